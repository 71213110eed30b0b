// Opening the delivery store on the session's backend.
#include "store/outbox_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<OutboxStore>> OutboxStore::Open(Database& db) {
  return OpenOn<OutboxStore>(db, sqlite::OpenOutboxStore, postgres::OpenOutboxStore);
}

}  // namespace yuqing::store

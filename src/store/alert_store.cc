// Opening the alert store on the session's backend.
#include "store/alert_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<AlertStore>> AlertStore::Open(Database& db) {
  return OpenOn<AlertStore>(db, sqlite::OpenAlertStore, postgres::OpenAlertStore);
}

}  // namespace yuqing::store

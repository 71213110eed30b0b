// Opening the scheme store on the session's backend.
#include "store/scheme_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<SchemeStore>> SchemeStore::Open(Database& db) {
  return OpenOn<SchemeStore>(db, sqlite::OpenSchemeStore, postgres::OpenSchemeStore);
}

}  // namespace yuqing::store

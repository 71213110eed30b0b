// Opening the user store on the session's backend.
#include "store/user_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<UserStore>> UserStore::Open(Database& db) {
  return OpenOn<UserStore>(db, sqlite::OpenUserStore, postgres::OpenUserStore);
}

}  // namespace yuqing::store

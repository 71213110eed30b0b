// Opening the quarantine on the session's backend.
#include "store/quarantine_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<QuarantineStore>> QuarantineStore::Open(Database& db) {
  return OpenOn<QuarantineStore>(db, sqlite::OpenQuarantineStore, postgres::OpenQuarantineStore);
}

}  // namespace yuqing::store

// Opening the source store on the session's backend.
#include "store/source_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<SourceStore>> SourceStore::Open(Database& db) {
  return OpenOn<SourceStore>(db, sqlite::OpenSourceStore, postgres::OpenSourceStore);
}

}  // namespace yuqing::store

// Opening the store on the session's backend.
#include "store/ingest_cursor_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<IngestCursorStore>> IngestCursorStore::Open(Database& db) {
  return OpenOn<IngestCursorStore>(db, sqlite::OpenIngestCursorStore, postgres::OpenIngestCursorStore);
}

}  // namespace yuqing::store

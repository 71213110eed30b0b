// Where each incremental source has been read up to (component "ingest_cursors"): for a crawler's
// database, per table, the crawler's last_modify_ts and row id; for a watched folder, per file,
// the byte offset of the first line not yet read. A cursor is saved after the batch it covers is
// committed, so a crash re-reads (and counts as duplicates) at most one batch, never skips one.
// On either backend (store/sqlite/, store/postgres/ ingest_cursor_store.cc).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

struct IngestCursor {
  int64_t a = -1;  // database: last_modify_ts; folder: byte offset (-1: nothing read)
  int64_t b = -1;  // database: row id; folder: the file's inode
};

class IngestCursorStore {
 public:
  static Result<std::unique_ptr<IngestCursorStore>> Open(Database& db);
  virtual ~IngestCursorStore() = default;
  // The cursor of (source, key); {-1, -1} when there is none.
  virtual Result<IngestCursor> Get(const std::string& source, const std::string& key) = 0;
  virtual Status Put(const std::string& source, const std::string& key, const IngestCursor& c, TimeMs now) = 0;
};

}  // namespace yuqing::store

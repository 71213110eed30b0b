// The quarantine (table `quarantine`, component "quarantine"): records that could not be stored,
// with where they came from and why, until someone resolves them (`yuqing quarantine`, the API).
// A QuarantineStore wraps one Database connection (one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/quarantine.h"
#include "core/status.h"
#include "core/time.h"
#include "store/sqlite/connection.h"

namespace yuqing::store {

class QuarantineStore {
 public:
  // Creates or migrates the table.
  static Result<std::unique_ptr<QuarantineStore>> Open(Database& db);
  // Records r, or counts it again when the same record (origin, line, offset, code and raw) is
  // already there: a file ingested twice leaves one row per bad line. Returns the row's id.
  Result<int64_t> Add(const QuarantineRecord& r);
  struct Entry {
    int64_t id = 0;
    QuarantineRecord record;
    std::string status;  // open | resolved
    TimeMs resolved_at = 0;
    int64_t seen = 1;    // times this record was quarantined (the same file ingested again)
    TimeMs last_at = 0;  // the last of them
  };
  Result<std::vector<Entry>> List(const std::string& status, size_t limit, int64_t after_id = 0);
  Result<std::optional<Entry>> Get(int64_t id);
  Status MarkResolved(int64_t id, TimeMs at);
  Status ReplaceRaw(int64_t id, const std::string& raw);
  Result<int64_t> CountOpen();

 private:
  explicit QuarantineStore(sqlite::Connection& db) : db_(db) {}
  sqlite::Connection& db_;
};

}  // namespace yuqing::store

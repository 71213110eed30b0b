// The quarantine (table `quarantine`, component "quarantine"): records that could not be stored,
// with where they came from and why, until someone resolves them (`yuqing quarantine`, the API).
// On either backend (store/sqlite/, store/postgres/ quarantine_store.cc: the raw record is kept
// byte for byte, BLOB or BYTEA); a QuarantineStore borrows one session (one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/quarantine.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

class QuarantineStore {
 public:
  // Creates or migrates the table.
  static Result<std::unique_ptr<QuarantineStore>> Open(Database& db);
  virtual ~QuarantineStore() = default;
  // Records r, or counts it again when the same record (origin, line, offset, code and raw) is
  // already there: a file ingested twice leaves one row per bad line. Returns the row's id.
  virtual Result<int64_t> Add(const QuarantineRecord& r) = 0;
  struct Entry {
    int64_t id = 0;
    QuarantineRecord record;
    std::string status;  // open | resolved
    TimeMs resolved_at = 0;
    int64_t seen = 1;    // times this record was quarantined (the same file ingested again)
    TimeMs last_at = 0;  // the last of them
  };
  virtual Result<std::vector<Entry>> List(const std::string& status, size_t limit, int64_t after_id = 0) = 0;
  virtual Result<std::optional<Entry>> Get(int64_t id) = 0;
  virtual Status MarkResolved(int64_t id, TimeMs at) = 0;
  virtual Status ReplaceRaw(int64_t id, const std::string& raw) = 0;
  virtual Result<int64_t> CountOpen() = 0;
};

}  // namespace yuqing::store

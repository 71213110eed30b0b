// Data sources (数据源) the system looks after (tables `sources`, `source_fetches`, component
// "sources"): what to fetch, how often, and what each fetch brought. A SourceStore wraps one
// Database connection (one thread at a time).
//
// The fetch log is the source's history: posts per hour, the chart on the 数据源 page and the
// usual gap between fetches that brought new posts (the silence alert) are all read from it. It
// is bounded: RecordFetch keeps the newest kMaxFetchesPerSource rows of each source.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/source.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

// The domain types are core/source.h's; these names stay for the store's callers.
using SourceRow = ::yuqing::SourceRow;
using SourceFetch = ::yuqing::SourceFetch;

struct HourCount {
  TimeMs hour = 0;  // start of the hour
  int64_t stored = 0;
};

constexpr int kMaxFetchesPerSource = 5000;

class SourceStore {
 public:
  static Result<std::unique_ptr<SourceStore>> Open(Database& db);

  // Inserts a source; returns its id. Conflict when the name is taken.
  Result<int64_t> Add(const SourceRow& s);
  // By id (digits) or name; nullopt when there is none.
  Result<std::optional<SourceRow>> Find(const std::string& ref);
  Result<std::optional<SourceRow>> Get(int64_t id);
  Result<std::vector<SourceRow>> List();
  // Removes the source and its fetch log. NotFound when absent.
  Status Remove(int64_t id);
  // Writes what a fetch or a silence check changes (next_run_at, last_*, validators, state,
  // silence_alert_id) and nothing a person set, so a pause made meanwhile stands.
  Status UpdateRunState(const SourceRow& s);
  // Pauses or resumes; resuming makes the source due at `now`. NotFound when absent.
  Status SetPaused(int64_t id, bool paused, TimeMs now);

  // Appends to the fetch log and trims it (see kMaxFetchesPerSource).
  Status RecordFetch(const SourceFetch& f);
  // Newest first.
  Result<std::vector<SourceFetch>> Fetches(int64_t source_id, size_t limit);
  // Posts stored by fetches at or after `since`.
  Result<int64_t> StoredSince(int64_t source_id, TimeMs since);
  // Posts stored per hour in [from, to), one entry per hour (zeros included).
  Result<std::vector<HourCount>> Hourly(int64_t source_id, TimeMs from, TimeMs to);
  // Times of the newest `limit` fetches that stored at least one post, oldest first.
  Result<std::vector<TimeMs>> NewDataTimes(int64_t source_id, size_t limit);

 private:
  explicit SourceStore(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace yuqing::store

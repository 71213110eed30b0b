// Data sources (数据源) the system looks after (tables `sources`, `source_fetches`, component
// "sources"): what to fetch, how often, and what each fetch brought. On either backend
// (store/sqlite/source_store.cc, store/postgres/source_store.cc); a SourceStore borrows one session
// (one thread at a time).
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
  virtual ~SourceStore() = default;

  // Inserts a source; returns its id. Conflict when the name is taken.
  virtual Result<int64_t> Add(const SourceRow& s) = 0;
  // By id (digits) or name; nullopt when there is none.
  virtual Result<std::optional<SourceRow>> Find(const std::string& ref) = 0;
  virtual Result<std::optional<SourceRow>> Get(int64_t id) = 0;
  virtual Result<std::vector<SourceRow>> List() = 0;
  // Removes the source and its fetch log. NotFound when absent.
  virtual Status Remove(int64_t id) = 0;
  // Writes what a fetch or a silence check changes (next_run_at, last_*, validators, state,
  // silence_alert_id) and nothing a person set, so a pause made meanwhile stands.
  virtual Status UpdateRunState(const SourceRow& s) = 0;
  // Pauses or resumes; resuming makes the source due at `now`. NotFound when absent.
  virtual Status SetPaused(int64_t id, bool paused, TimeMs now) = 0;

  // Appends to the fetch log and trims it (see kMaxFetchesPerSource).
  virtual Status RecordFetch(const SourceFetch& f) = 0;
  // Newest first.
  virtual Result<std::vector<SourceFetch>> Fetches(int64_t source_id, size_t limit) = 0;
  // Posts stored by fetches at or after `since`.
  virtual Result<int64_t> StoredSince(int64_t source_id, TimeMs since) = 0;
  // Posts stored per hour in [from, to), one entry per hour (zeros included).
  virtual Result<std::vector<HourCount>> Hourly(int64_t source_id, TimeMs from, TimeMs to) = 0;
  // Times of the newest `limit` fetches that stored at least one post, oldest first.
  virtual Result<std::vector<TimeMs>> NewDataTimes(int64_t source_id, size_t limit) = 0;
};

}  // namespace yuqing::store

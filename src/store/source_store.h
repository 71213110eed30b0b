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

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

struct SourceRow {
  int64_t id = 0;
  std::string name;         // unique; the CLI and the API accept it in place of the id
  std::string kind;         // feed | page | imap
  std::string url;
  nlohmann::json config = nlohmann::json::object();  // kind-specific (selectors, user, password_env)
  TimeMs every = 10 * kMinute;
  bool paused = false;
  std::string department;   // who is told when it goes silent ("" : unrouted, still listed)
  TimeMs silence_floor = 0; // never alert on silence shorter than this (0: the default floor)
  TimeMs created_at = 0;
  TimeMs next_run_at = 0;   // due when <= now
  TimeMs last_run_at = 0;
  TimeMs last_success_at = 0;
  TimeMs last_new_at = 0;   // last fetch that stored at least one new post
  std::string last_error;   // "" after a success
  TimeMs last_error_at = 0;
  std::string etag;         // conditional GET
  std::string last_modified;
  nlohmann::json state = nlohmann::json::object();  // kind-specific cursor (IMAP UIDVALIDITY/UID)
  int64_t silence_alert_id = 0;  // the open silence alert, 0 when none
};

struct SourceFetch {
  int64_t source_id = 0;
  TimeMs at = 0;
  bool ok = true;
  bool not_modified = false;
  int64_t stored = 0;
  int64_t duplicates = 0;
  int64_t quarantined = 0;
  std::string error;
};

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

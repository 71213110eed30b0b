// One fetch of one data source (数据源), and the silence check, shared by `yuqing sources run`
// and the scheduler inside `yuqing serve`. A fetch's records go through the same ingest path as
// everything else (the caller's RecordSink: a Pipeline, or serve's ingest writer), so they are
// stored, found duplicate or quarantined with a reason exactly as a file's would be.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "app/pipeline.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"
#include "store/source_store.h"

namespace yuqing::warning { class AlertListener; }

namespace yuqing::app {

// Hands a batch to the ingest path and returns its results in input order.
using RecordSink = std::function<Result<std::vector<RecordResult>>(std::vector<ingest::Item>&)>;

// Politeness towards the sites pages are fetched from: at most one request per origin
// (scheme://host:port) every `min_interval`, or every robots.txt Crawl-delay when that is longer.
// Acquire() waits (sleeps: the wait is the rate limit itself) until the origin's turn. One gate is
// shared by everything that fetches in a process (the scheduler's thread, `sources run`).
class HostGate {
 public:
  explicit HostGate(TimeMs min_interval = 2 * kSecond) : min_interval_(min_interval) {}
  void Acquire(const std::string& origin, TimeMs crawl_delay = 0);

 private:
  TimeMs min_interval_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> next_;  // guarded by mu_
};

// The kinds `sources add` accepts.
bool IsKnownSourceKind(const std::string& kind);

// Checks a source before it is stored: known kind, a URL whose scheme fits the kind, an interval
// of at least one second, the options the kind needs. Invalid names the field at fault first
// ("url: ..."; the CLI's options and the API's fields share the names), in Chinese when `zh`.
Status ValidateSource(const store::SourceRow& s, bool zh = false);

struct SourceRunReport {
  int64_t source_id = 0;
  std::string name;
  bool ok = true;
  bool not_modified = false;
  long http_status = 0;
  Counts counts;
  std::vector<RecordResult> quarantined;  // with their reasons
  std::string error;
};

// Fetches `s` once, hands the records to `sink`, then updates `s` (schedule, conditional-GET
// validators, cursor, last success/error) and its fetch log in `sources`. A fetch that fails
// (network, HTTP status, unparsable body) is a report with ok = false and the error, recorded
// on the source: it is not returned as an error. Errors are the store's or the sink's.
// Page sources go through `gate` (nullptr: a gate of the default interval for this call).
Result<SourceRunReport> RunSource(store::SourceStore& sources, store::SourceRow& s, const RecordSink& sink,
                                  TimeMs now, HostGate* gate = nullptr);

// How long a source may stay without new posts before it is called silent: three times the
// median gap between its fetches that brought new posts (the newest 50), never less than
// `floor` (0: the default, max(1 h, 3 × every)). With fewer than three gaps, the floor.
TimeMs SilenceThreshold(const std::vector<TimeMs>& new_data_times, TimeMs every, TimeMs floor);

// Raises the source's silence alert ("数据源 X 已 3 小时无新数据", level IV, routed to its
// department through the listeners: the outbox) when it has been silent longer than its
// threshold, and resolves it when new posts arrived since. At most one open alert per source.
// Paused sources are never silent. `db` is the connection `sources` uses.
Status CheckSilence(store::Database& db, store::SourceStore& sources, store::SourceRow& s, TimeMs now,
                    const std::vector<warning::AlertListener*>& listeners);

// The alert key of a source's silence alert: scheme 0, event -(kSilenceEventBase + id).
constexpr int64_t kSilenceEventBase = 1'000'000'000'000;

// The JSON view shared by the CLI and the API: the row (times ISO 8601, null when never) with
// its figures: posts_last_hour, posts_per_hour (the last 24 hours' mean), stored_24h,
// silence_threshold_ms, silent (an open silence alert).
Result<nlohmann::json> SourceToJson(store::SourceStore& sources, const store::SourceRow& s, TimeMs now);

// "3 小时" / "40 分钟" / "20 秒".
std::string SilenceSpanZh(TimeMs d);

}  // namespace yuqing::app

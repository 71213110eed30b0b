// Reports up the chain (issue 17): the daily and weekly briefs (日报、周报), the special report on
// one event (专报) and the post-incident review (复盘), assembled from the store's own aggregate
// queries so their figures equal what `stats`, `events show`, `alerts list` and `incidents eval`
// print for the same range.
//
// Two steps, kept apart so each can be tested and replaced: BuildReport() gathers the report's data
// as one JSON document (what `--format json` writes), RenderHtml() (render.h) lays it out through a
// mustache template. Reads only; runs on the caller's connection (one thread at a time).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/event.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::report {

enum class Kind { kDaily, kWeekly, kEvent, kIncident };

// "daily" | "weekly" | "event" | "incident".
const char* KindName(Kind k);

// A half-open range [from, to) of publication times.
struct Period {
  TimeMs from = 0;
  TimeMs to = 0;
};

// The day `date` ("2026-12-04") in the display zone (+08:00): kInvalid naming the value otherwise.
Result<Period> DayPeriod(std::string_view date);
// The ISO week `week` ("2026-W49", Monday to Monday) in the display zone; kInvalid otherwise.
Result<Period> WeekPeriod(std::string_view week);

struct Request {
  Kind kind = Kind::kDaily;
  Period period;            // daily, weekly (event, incident: derived from the event/incident)
  std::string scheme;       // restrict to the posts of this scheme (name or id); "" = all
  std::string department;   // restrict to the posts of this department's schemes; "" = all
  // When set (a department user of the API), daily and weekly reports count only the posts and
  // alerts of these schemes, whatever scheme/department asks for. Event and incident reports are
  // checked for visibility by the caller.
  std::optional<std::vector<int64_t>> allowed_schemes;
  int64_t event_id = 0;     // kEvent
  int64_t incident_id = 0;  // kIncident
  size_t top_events = 5;    // bounds of each list in the report (each top event reads up to 20,000
                            // of its posts for the forecast, as `events show` does)
  size_t notable_posts = 10;
  size_t keywords = 60;
};

// What the report reads besides the store. The forecast lives in app/ (it needs the fitted model),
// so it is handed in rather than linked; without one, events carry "forecast": null.
struct Inputs {
  store::Database* db = nullptr;
  TimeMs now = 0;  // decides what is overdue in incidents (the same clock as `incidents eval`)
  std::function<Result<nlohmann::json>(const analysis::EventRecord&)> forecast;
};

// The report's data:
//   {"kind", "period": {"from", "to", "from_ms", "to_ms"}, "previous_period", "scope",
//    "posts", "previous_posts", "change", "by_sentiment", "by_source", "by_province", "trend",
//    "keywords", "top_events", "notable_posts", "alerts", "alert_counts", "incidents",
//    "generated_at", + "event" (专报) / "review" (复盘)}
// Times are ISO 8601 in +08:00. kNotFound for an unknown scheme, department, event or incident;
// kInvalid for an empty period.
Result<nlohmann::json> BuildReport(const Inputs& in, const Request& req);

}  // namespace yuqing::report

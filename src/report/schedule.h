// Scheduled delivery of the briefs (issue 17): "the daily brief at 08:00 to 宣传科". A schedule
// names a kind (daily | weekly), a time of day in the display zone and a department; when that
// time has passed after a period ends, the period's report summary and a link to the report go to
// the department's contacts through the outbox (notify/), which delivers and retries them; e-mail
// contacts get the report itself attached.
//
// Exactly once per period and department, also across restarts: the outbox refuses a second
// message with the same idempotency key, which is kind + period + department + contact. Only the
// latest due period is sent, and never one that was due before the schedule existed.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "report/report.h"
#include "store/database.h"
#include "store/report_schedule_store.h"

namespace yuqing::report {

using Schedule = store::ReportSchedule;

// "08:00" -> 480; kInvalid naming --at otherwise.
Result<int> ParseClock(std::string_view hhmm);
std::string FormatClock(int minutes);

// Schedules are kept by store::ReportScheduleStore (store/report_schedule_store.h).
using ScheduleStore = store::ReportScheduleStore;

// The latest period of `s` whose send time (its end + at_minutes) is at or before now and not
// before the schedule was created; nullopt when none. `name` is "2026-06-02" or "2026-W23".
struct DuePeriod {
  Period period;
  std::string name;
  TimeMs send_at = 0;
};
std::optional<DuePeriod> LatestDue(const Schedule& s, TimeMs now);

struct DeliveryReport {
  int schedules = 0;   // due now
  int enqueued = 0;    // new outbox messages (0 when they were sent before)
};

// Enqueues every due schedule's message to each contact of its department at escalation order 0
// (idempotent, see above): the summary and, with `dashboard_url` ("http://host/"), a link to the
// report. E-mail contacts also get the report as a file (PDF through Chromium, else HTML), made
// once into `files_dir` ("" = no files). on_enqueued is called when something new was enqueued.
Result<DeliveryReport> DeliverDue(store::Database& db, TimeMs now, const std::string& dashboard_url,
                                  const std::string& files_dir, const std::function<void()>& on_enqueued = nullptr);

// `serve`'s thread running DeliverDue every `every` on its own connection.
class ScheduleRunner {
 public:
  using DbOpener = std::function<Result<std::unique_ptr<store::Database>>()>;
  static std::unique_ptr<ScheduleRunner> Start(DbOpener open, const Clock& clock, std::string dashboard_url,
                                               std::string files_dir, std::function<void()> on_enqueued,
                                               TimeMs every = 30 * kSecond);
  ~ScheduleRunner();  // stops and joins
  void Stop();

 private:
  ScheduleRunner() = default;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
};

}  // namespace yuqing::report

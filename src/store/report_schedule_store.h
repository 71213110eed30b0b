// The report schedules ("the daily brief at 08:00 to 宣传科"; table report_schedules, component
// "report_schedules"). What a schedule means and how it is delivered is report/schedule.h's; this
// keeps them, on either backend (store/sqlite/, store/postgres/ report_schedule_store.cc). One
// session, one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

struct ReportSchedule {
  int64_t id = 0;
  std::string kind = "daily";  // daily | weekly
  int at_minutes = 8 * 60;     // time of day (UTC+8) the report is sent, after its period ends
  std::string department;
  TimeMs created_at = 0;
};

class ReportScheduleStore {
 public:
  static Result<std::unique_ptr<ReportScheduleStore>> Open(Database& db);
  virtual ~ReportScheduleStore() = default;
  // kInvalid for an unknown kind or no department; kConflict when the same kind, time and
  // department exist.
  virtual Result<int64_t> Add(const ReportSchedule& s) = 0;
  virtual Result<std::vector<ReportSchedule>> List() = 0;
  virtual Status Remove(int64_t id) = 0;  // kNotFound when absent
};

}  // namespace yuqing::store

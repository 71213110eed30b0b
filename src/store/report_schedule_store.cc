// Opening the store on the session's backend.
#include "store/report_schedule_store.h"

#include "store/open_on.h"

namespace yuqing::store {

Result<std::unique_ptr<ReportScheduleStore>> ReportScheduleStore::Open(Database& db) {
  return OpenOn<ReportScheduleStore>(db, sqlite::OpenReportScheduleStore, postgres::OpenReportScheduleStore);
}

}  // namespace yuqing::store

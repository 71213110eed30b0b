// The PostgreSQL implementations of the store's interfaces (one factory per repository), for the
// dispatching Open functions in src/store/. Each brings its component's tables up to date first.
#pragma once

#include <memory>

#include "core/status.h"
#include "store/postgres/connection.h"

namespace yuqing::store {
class AlertStore;
class EventStore;
class IncidentRepository;
class IngestCursorStore;
class OutboxStore;
class QuarantineStore;
class ReportScheduleStore;
class SchemeStore;
class SeriesStore;
class SourceStore;
class UserDictStore;
class UserStore;
}  // namespace yuqing::store

namespace yuqing::store::postgres {

Result<std::unique_ptr<store::AlertStore>> OpenAlertStore(Connection& db);
Result<std::unique_ptr<store::EventStore>> OpenEventStore(Connection& db);
// The SQL behind store::IncidentStore (its Init()).
Result<std::unique_ptr<store::IncidentRepository>> OpenIncidentRepository(Connection& db);
Result<std::unique_ptr<store::IngestCursorStore>> OpenIngestCursorStore(Connection& db);
Result<std::unique_ptr<store::OutboxStore>> OpenOutboxStore(Connection& db);
Result<std::unique_ptr<store::QuarantineStore>> OpenQuarantineStore(Connection& db);
Result<std::unique_ptr<store::ReportScheduleStore>> OpenReportScheduleStore(Connection& db);
Result<std::unique_ptr<store::SchemeStore>> OpenSchemeStore(Connection& db);
Result<std::unique_ptr<store::SeriesStore>> OpenSeriesStore(Connection& db);
Result<std::unique_ptr<store::SourceStore>> OpenSourceStore(Connection& db);
Result<std::unique_ptr<store::UserDictStore>> OpenUserDictStore(Connection& db);
Result<std::unique_ptr<store::UserStore>> OpenUserStore(Connection& db);

}  // namespace yuqing::store::postgres

// Report schedules on SQLite.
#include "store/report_schedule_store.h"
#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

Status Migrate(Connection& db, int to) {
  if (to == 1)
    return db.Exec(R"sql(
      CREATE TABLE report_schedules (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL, at_minutes INTEGER NOT NULL, department TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (kind, at_minutes, department)
      );
    )sql");
  return Status::Ok();
}

class SqliteReportScheduleStore final : public store::ReportScheduleStore {
 public:
  explicit SqliteReportScheduleStore(Connection& db) : db_(db) {}
  Result<int64_t> Add(const ReportSchedule& s) override;
  Result<std::vector<ReportSchedule>> List() override;
  Status Remove(int64_t id) override;

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::ReportScheduleStore>> OpenReportScheduleStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("report_schedules", 1, Migrate));
  return std::unique_ptr<store::ReportScheduleStore>(new SqliteReportScheduleStore(db));
}

Result<int64_t> SqliteReportScheduleStore::Add(const ReportSchedule& s) {
  if (s.kind != "daily" && s.kind != "weekly") return Status::Invalid("--kind: daily or weekly, not \"" + s.kind + "\"");
  if (s.department.empty()) return Status::Invalid("--to: a department");
  YQ_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT id FROM report_schedules WHERE kind = ?1 AND at_minutes = ?2 AND department = ?3"));
  st.Bind(1, s.kind).Bind(2, s.at_minutes).Bind(3, s.department);
  YQ_ASSIGN_OR_RETURN(bool exists, st.Step());
  if (exists) return Status::Conflict("schedule " + std::to_string(st.Int(0)) + " already sends this report then to " + s.department);
  YQ_ASSIGN_OR_RETURN(auto ins, db_.Prepare("INSERT INTO report_schedules(kind, at_minutes, department, created_at) VALUES(?1, ?2, ?3, ?4)"));
  ins.Bind(1, s.kind).Bind(2, s.at_minutes).Bind(3, s.department).Bind(4, s.created_at);
  YQ_RETURN_IF_ERROR(ins.Run());
  return db_.LastInsertRowid();
}

Result<std::vector<ReportSchedule>> SqliteReportScheduleStore::List() {
  YQ_ASSIGN_OR_RETURN(auto st, db_.Prepare("SELECT id, kind, at_minutes, department, created_at FROM report_schedules ORDER BY id"));
  std::vector<ReportSchedule> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), st.Text(1), static_cast<int>(st.Int(2)), st.Text(3), st.Int(4)});
  }
  return out;
}

Status SqliteReportScheduleStore::Remove(int64_t id) {
  YQ_ASSIGN_OR_RETURN(auto st, db_.Prepare("DELETE FROM report_schedules WHERE id = ?1 RETURNING id"));
  st.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("no report schedule " + std::to_string(id));
  return Status::Ok();
}

}  // namespace yuqing::store::sqlite

// Data sources on SQLite.
#include <algorithm>
#include <cstdlib>

#include "store/source_rows.h"
#include "store/source_store.h"
#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

using source_rows::kColumns;
using source_rows::ReadRow;

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        url TEXT NOT NULL,
        config TEXT NOT NULL,
        every_ms INTEGER NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        department TEXT NOT NULL DEFAULT '',
        silence_floor_ms INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        next_run_at INTEGER NOT NULL DEFAULT 0,
        last_run_at INTEGER NOT NULL DEFAULT 0,
        last_success_at INTEGER NOT NULL DEFAULT 0,
        last_new_at INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        last_error_at INTEGER NOT NULL DEFAULT 0,
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT '{}',
        silence_alert_id INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE source_fetches (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        ok INTEGER NOT NULL,
        not_modified INTEGER NOT NULL,
        stored INTEGER NOT NULL,
        duplicates INTEGER NOT NULL,
        quarantined INTEGER NOT NULL,
        error TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX source_fetches_by_source ON source_fetches(source_id, at);
    )sql");
  }
  return Status::Ok();
}

class SqliteSourceStore final : public store::SourceStore {
 public:
  explicit SqliteSourceStore(Connection& db) : db_(db) {}
  Result<int64_t> Add(const SourceRow& s) override;
  Result<std::optional<SourceRow>> Find(const std::string& ref) override;
  Result<std::optional<SourceRow>> Get(int64_t id) override;
  Result<std::vector<SourceRow>> List() override;
  Status Remove(int64_t id) override;
  Status UpdateRunState(const SourceRow& s) override;
  Status SetPaused(int64_t id, bool paused, TimeMs now) override;
  Status RecordFetch(const SourceFetch& f) override;
  Result<std::vector<SourceFetch>> Fetches(int64_t source_id, size_t limit) override;
  Result<int64_t> StoredSince(int64_t source_id, TimeMs since) override;
  Result<std::vector<HourCount>> Hourly(int64_t source_id, TimeMs from, TimeMs to) override;
  Result<std::vector<TimeMs>> NewDataTimes(int64_t source_id, size_t limit) override;

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::SourceStore>> OpenSourceStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("sources", 1, Migrate));
  return std::unique_ptr<store::SourceStore>(new SqliteSourceStore(db));
}

Result<int64_t> SqliteSourceStore::Add(const SourceRow& s) {
  YQ_ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT 1 FROM sources WHERE name = ?"));
  q.Bind(1, s.name);
  YQ_ASSIGN_OR_RETURN(bool taken, q.Step());
  if (taken) return Status::Conflict("a source named '" + s.name + "' exists");
  YQ_ASSIGN_OR_RETURN(Statement ins,
                      db_.Prepare("INSERT INTO sources(name, kind, url, config, every_ms, paused, department, "
                                  "silence_floor_ms, created_at, next_run_at) VALUES (?,?,?,?,?,?,?,?,?,?)"));
  ins.Bind(1, s.name).Bind(2, s.kind).Bind(3, s.url).Bind(4, s.config.dump()).Bind(5, s.every);
  ins.Bind(6, s.paused ? 1 : 0).Bind(7, s.department).Bind(8, s.silence_floor).Bind(9, s.created_at);
  ins.Bind(10, s.next_run_at);
  YQ_RETURN_IF_ERROR(ins.Run());
  return db_.LastInsertRowid();
}

Result<std::optional<SourceRow>> SqliteSourceStore::Get(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Statement q, db_.Prepare(std::string("SELECT ") + kColumns + " FROM sources WHERE id = ?"));
  q.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<SourceRow>();
  return std::optional<SourceRow>(ReadRow(q));
}

Result<std::optional<SourceRow>> SqliteSourceStore::Find(const std::string& ref) {
  bool digits = !ref.empty() && ref.size() < 19 && std::all_of(ref.begin(), ref.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
  if (digits) {
    YQ_ASSIGN_OR_RETURN(auto s, Get(std::atoll(ref.c_str())));
    if (s) return s;
  }
  YQ_ASSIGN_OR_RETURN(Statement q, db_.Prepare(std::string("SELECT ") + kColumns + " FROM sources WHERE name = ?"));
  q.Bind(1, ref);
  YQ_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<SourceRow>();
  return std::optional<SourceRow>(ReadRow(q));
}

Result<std::vector<SourceRow>> SqliteSourceStore::List() {
  YQ_ASSIGN_OR_RETURN(Statement q, db_.Prepare(std::string("SELECT ") + kColumns + " FROM sources ORDER BY id"));
  std::vector<SourceRow> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadRow(q));
  }
  return out;
}

Status SqliteSourceStore::Remove(int64_t id) {
  Transaction tx(db_);
  YQ_RETURN_IF_ERROR(tx.status());
  YQ_ASSIGN_OR_RETURN(Statement f, db_.Prepare("DELETE FROM source_fetches WHERE source_id = ?"));
  f.Bind(1, id);
  YQ_RETURN_IF_ERROR(f.Run());
  YQ_ASSIGN_OR_RETURN(Statement q, db_.Prepare("DELETE FROM sources WHERE id = ?"));
  q.Bind(1, id);
  YQ_RETURN_IF_ERROR(q.Run());
  if (db_.Changes() == 0) return Status::NotFound("no source " + std::to_string(id));
  return tx.Commit();
}

Status SqliteSourceStore::UpdateRunState(const SourceRow& s) {
  YQ_ASSIGN_OR_RETURN(Statement q,
                      db_.Prepare("UPDATE sources SET next_run_at=?, last_run_at=?, last_success_at=?, "
                                  "last_new_at=?, last_error=?, last_error_at=?, etag=?, last_modified=?, state=?, "
                                  "silence_alert_id=? WHERE id=?"));
  q.Bind(1, s.next_run_at).Bind(2, s.last_run_at).Bind(3, s.last_success_at);
  q.Bind(4, s.last_new_at).Bind(5, s.last_error).Bind(6, s.last_error_at).Bind(7, s.etag);
  q.Bind(8, s.last_modified).Bind(9, s.state.dump()).Bind(10, s.silence_alert_id).Bind(11, s.id);
  YQ_RETURN_IF_ERROR(q.Run());
  if (db_.Changes() == 0) return Status::NotFound("no source " + std::to_string(s.id));
  return Status::Ok();
}

Status SqliteSourceStore::SetPaused(int64_t id, bool paused, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(Statement q, db_.Prepare(paused ? "UPDATE sources SET paused=1 WHERE id=?"
                                                      : "UPDATE sources SET paused=0, next_run_at=? WHERE id=?"));
  if (paused) q.Bind(1, id);
  else q.Bind(1, now).Bind(2, id);
  YQ_RETURN_IF_ERROR(q.Run());
  if (db_.Changes() == 0) return Status::NotFound("no source " + std::to_string(id));
  return Status::Ok();
}

Status SqliteSourceStore::RecordFetch(const SourceFetch& f) {
  YQ_ASSIGN_OR_RETURN(Statement q,
                      db_.Prepare("INSERT INTO source_fetches(source_id, at, ok, not_modified, stored, duplicates, "
                                  "quarantined, error) VALUES (?,?,?,?,?,?,?,?)"));
  q.Bind(1, f.source_id).Bind(2, f.at).Bind(3, f.ok ? 1 : 0).Bind(4, f.not_modified ? 1 : 0).Bind(5, f.stored);
  q.Bind(6, f.duplicates).Bind(7, f.quarantined).Bind(8, f.error.substr(0, source_rows::kMaxErrorBytes));
  YQ_RETURN_IF_ERROR(q.Run());
  YQ_ASSIGN_OR_RETURN(Statement trim,
                      db_.Prepare("DELETE FROM source_fetches WHERE source_id = ?1 AND id <= "
                                  "(SELECT id FROM source_fetches WHERE source_id = ?1 ORDER BY id DESC LIMIT 1 "
                                  "OFFSET ?2)"));
  trim.Bind(1, f.source_id).Bind(2, kMaxFetchesPerSource);
  return trim.Run();
}

Result<std::vector<SourceFetch>> SqliteSourceStore::Fetches(int64_t source_id, size_t limit) {
  YQ_ASSIGN_OR_RETURN(Statement q,
                      db_.Prepare(std::string("SELECT ") + source_rows::kFetchColumns +
                                  " FROM source_fetches WHERE source_id = ? ORDER BY id DESC LIMIT ?"));
  q.Bind(1, source_id).Bind(2, static_cast<int64_t>(limit));
  std::vector<SourceFetch> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(source_rows::ReadFetch(q));
  }
  return out;
}

Result<int64_t> SqliteSourceStore::StoredSince(int64_t source_id, TimeMs since) {
  YQ_ASSIGN_OR_RETURN(Statement q,
                      db_.Prepare("SELECT COALESCE(SUM(stored), 0) FROM source_fetches WHERE source_id = ? AND at >= ?"));
  q.Bind(1, source_id).Bind(2, since);
  YQ_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Int(0) : 0;
}

Result<std::vector<HourCount>> SqliteSourceStore::Hourly(int64_t source_id, TimeMs from, TimeMs to) {
  from -= ((from % kHour) + kHour) % kHour;
  std::vector<HourCount> out;
  for (TimeMs h = from; h < to && out.size() < 24 * 31; h += kHour) out.push_back({h, 0});
  YQ_ASSIGN_OR_RETURN(Statement q,
                      db_.Prepare("SELECT (at - ?2) / 3600000, SUM(stored) FROM source_fetches WHERE source_id = ?1 "
                                  "AND at >= ?2 AND at < ?3 GROUP BY 1"));
  q.Bind(1, source_id).Bind(2, from).Bind(3, to);
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    int64_t i = q.Int(0);
    if (i >= 0 && static_cast<size_t>(i) < out.size()) out[i].stored = q.Int(1);
  }
  return out;
}

Result<std::vector<TimeMs>> SqliteSourceStore::NewDataTimes(int64_t source_id, size_t limit) {
  YQ_ASSIGN_OR_RETURN(Statement q, db_.Prepare("SELECT at FROM source_fetches WHERE source_id = ? AND stored > 0 "
                                               "ORDER BY id DESC LIMIT ?"));
  q.Bind(1, source_id).Bind(2, static_cast<int64_t>(limit));
  std::vector<TimeMs> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(q.Int(0));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace yuqing::store::sqlite

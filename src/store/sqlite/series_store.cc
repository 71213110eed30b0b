// Series and baselines on SQLite.
#include "store/series_store.h"
#include "store/sqlite/stores.h"

namespace yuqing::store::sqlite {
namespace {

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE series (
        scheme_id INTEGER NOT NULL,
        event_id INTEGER NOT NULL,
        minute INTEGER NOT NULL,
        volume INTEGER NOT NULL,
        negative INTEGER NOT NULL,
        sensitive INTEGER NOT NULL,
        authoritative INTEGER NOT NULL,
        interactions INTEGER NOT NULL,
        reach INTEGER NOT NULL,
        PRIMARY KEY (scheme_id, event_id, minute)
      ) WITHOUT ROWID;
      CREATE TABLE baselines (
        scheme_id INTEGER NOT NULL,
        slot INTEGER NOT NULL,
        mean REAL NOT NULL,
        var REAL NOT NULL,
        n INTEGER NOT NULL,
        updated_to INTEGER NOT NULL,
        PRIMARY KEY (scheme_id, slot)
      ) WITHOUT ROWID;
    )sql");
  }
  return Status::Ok();
}

class SqliteSeriesStore final : public store::SeriesStore {
 public:
  explicit SqliteSeriesStore(Connection& db) : db_(db) {}
  Status Upsert(const std::vector<SeriesPoint>& points) override;
  Result<std::vector<SeriesPoint>> Range(int64_t scheme_id, int64_t event_id, TimeMs from, TimeMs to) override;
  Result<TimeMs> Last(int64_t scheme_id, int64_t event_id) override;
  Status SaveBaselines(const std::vector<BaselineRow>& rows) override;
  Result<std::vector<BaselineRow>> LoadBaselines(int64_t scheme_id) override;

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::SeriesStore>> OpenSeriesStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("series", 1, Migrate));
  return std::unique_ptr<store::SeriesStore>(new SqliteSeriesStore(db));
}

Status SqliteSeriesStore::Upsert(const std::vector<SeriesPoint>& points) {
  Status err;
  Statement* st = db_.Cached(
      "INSERT INTO series(scheme_id, event_id, minute, volume, negative, sensitive, authoritative, interactions, "
      "reach) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(scheme_id, event_id, minute) DO UPDATE SET "
      "volume=excluded.volume, negative=excluded.negative, sensitive=excluded.sensitive, "
      "authoritative=excluded.authoritative, interactions=excluded.interactions, reach=excluded.reach",
      &err);
  if (!st) return err;
  for (const auto& p : points) {
    st->Reset();
    st->Bind(1, p.scheme_id).Bind(2, p.event_id).Bind(3, p.minute).Bind(4, p.volume).Bind(5, p.negative);
    st->Bind(6, p.sensitive).Bind(7, p.authoritative).Bind(8, p.interactions).Bind(9, p.reach);
    YQ_RETURN_IF_ERROR(st->Run());
  }
  return Status::Ok();
}

Result<std::vector<SeriesPoint>> SqliteSeriesStore::Range(int64_t scheme_id, int64_t event_id, TimeMs from, TimeMs to) {
  // Cached: the warning engine reads the recent series of every new event it sees.
  Status err;
  Statement* stp = db_.Cached(
      "SELECT minute, volume, negative, sensitive, authoritative, interactions, reach "
      "FROM series WHERE scheme_id = ? AND event_id = ? AND minute >= ? AND minute < ? ORDER BY minute",
      &err);
  if (!stp) return err;
  Statement& st = *stp;
  st.Bind(1, scheme_id).Bind(2, event_id).Bind(3, from).Bind(4, to > 0 ? to : INT64_MAX);
  std::vector<SeriesPoint> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    SeriesPoint p;
    p.scheme_id = scheme_id;
    p.event_id = event_id;
    p.minute = st.Int(0);
    p.volume = st.Int(1);
    p.negative = st.Int(2);
    p.sensitive = st.Int(3);
    p.authoritative = st.Int(4);
    p.interactions = st.Int(5);
    p.reach = st.Int(6);
    out.push_back(p);
  }
  return out;
}

Result<TimeMs> SqliteSeriesStore::Last(int64_t scheme_id, int64_t event_id) {
  YQ_ASSIGN_OR_RETURN(Statement st,
                      db_.Prepare("SELECT COALESCE(MAX(minute), 0) FROM series WHERE scheme_id = ? AND event_id = ?"));
  st.Bind(1, scheme_id).Bind(2, event_id);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : TimeMs{0};
}

Status SqliteSeriesStore::SaveBaselines(const std::vector<BaselineRow>& rows) {
  Status err;
  Statement* st = db_.Cached(
      "INSERT INTO baselines(scheme_id, slot, mean, var, n, updated_to) VALUES (?,?,?,?,?,?) "
      "ON CONFLICT(scheme_id, slot) DO UPDATE SET mean=excluded.mean, var=excluded.var, n=excluded.n, "
      "updated_to=excluded.updated_to",
      &err);
  if (!st) return err;
  for (const auto& r : rows) {
    st->Reset();
    st->Bind(1, r.scheme_id).Bind(2, r.slot).Bind(3, r.mean).Bind(4, r.var).Bind(5, r.n).Bind(6, r.updated_to);
    YQ_RETURN_IF_ERROR(st->Run());
  }
  return Status::Ok();
}

Result<std::vector<BaselineRow>> SqliteSeriesStore::LoadBaselines(int64_t scheme_id) {
  Status err;
  Statement* stp = db_.Cached("SELECT slot, mean, var, n, updated_to FROM baselines WHERE scheme_id = ? ORDER BY slot",
                              &err);
  if (!stp) return err;
  Statement& st = *stp;
  st.Bind(1, scheme_id);
  std::vector<BaselineRow> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({scheme_id, static_cast<int>(st.Int(0)), st.Double(1), st.Double(2), st.Int(3), st.Int(4)});
  }
  return out;
}

}  // namespace yuqing::store::sqlite

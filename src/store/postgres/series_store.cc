// Series and baselines on PostgreSQL: a batch of minutes is one statement (unnest of arrays).
#include <map>
#include <tuple>

#include "store/postgres/stores.h"
#include "store/series_store.h"

namespace yuqing::store::postgres {
namespace {

Status Migrate(Connection& db, int v) {
  if (v == 1) {
    return db.Exec(R"sql(
      CREATE TABLE series (
        scheme_id BIGINT NOT NULL,
        event_id BIGINT NOT NULL,
        minute BIGINT NOT NULL,
        volume BIGINT NOT NULL,
        negative BIGINT NOT NULL,
        sensitive BIGINT NOT NULL,
        authoritative BIGINT NOT NULL,
        interactions BIGINT NOT NULL,
        reach BIGINT NOT NULL,
        PRIMARY KEY (scheme_id, event_id, minute)
      );
      CREATE TABLE baselines (
        scheme_id BIGINT NOT NULL,
        slot INTEGER NOT NULL,
        mean DOUBLE PRECISION NOT NULL,
        var DOUBLE PRECISION NOT NULL,
        n BIGINT NOT NULL,
        updated_to BIGINT NOT NULL,
        PRIMARY KEY (scheme_id, slot)
      );
    )sql");
  }
  return Status::Ok();
}

class PostgresSeriesStore final : public store::SeriesStore {
 public:
  explicit PostgresSeriesStore(Connection& db) : db_(db) {}

  Status Upsert(const std::vector<SeriesPoint>& points) override {
    if (points.empty()) return Status::Ok();
    // One row per minute: a statement may not update the same row twice (the last value wins,
    // as it does when SQLite writes them one by one).
    std::map<std::tuple<int64_t, int64_t, TimeMs>, const SeriesPoint*> last;
    for (const auto& p : points) last[{p.scheme_id, p.event_id, p.minute}] = &p;
    std::vector<int64_t> cols[9];
    for (const auto& [k, p] : last) {
      int64_t v[9] = {p->scheme_id, p->event_id,      p->minute,       p->volume, p->negative,
                      p->sensitive, p->authoritative, p->interactions, p->reach};
      for (int i = 0; i < 9; ++i) cols[i].push_back(v[i]);
    }
    Params params;
    for (auto& c : cols) params.AddArray(c);
    return db_
        .Query("INSERT INTO series(scheme_id, event_id, minute, volume, negative, sensitive, authoritative, "
               "interactions, reach) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], "
               "$5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[]) "
               "ON CONFLICT (scheme_id, event_id, minute) DO UPDATE SET volume=excluded.volume, "
               "negative=excluded.negative, sensitive=excluded.sensitive, authoritative=excluded.authoritative, "
               "interactions=excluded.interactions, reach=excluded.reach",
               params)
        .status();
  }

  Result<std::vector<SeriesPoint>> Range(int64_t scheme_id, int64_t event_id, TimeMs from, TimeMs to) override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("SELECT minute, volume, negative, sensitive, authoritative, interactions, "
                                          "reach FROM series WHERE scheme_id = $1 AND event_id = $2 AND minute >= $3 "
                                          "AND minute < $4 ORDER BY minute",
                                          Params().Add(scheme_id).Add(event_id).Add(from).Add(to > 0 ? to : INT64_MAX)));
    std::vector<SeriesPoint> out;
    out.reserve(r.size());
    for (int i = 0; i < r.size(); ++i) {
      SeriesPoint p;
      p.scheme_id = scheme_id;
      p.event_id = event_id;
      p.minute = r.Int(i, 0);
      p.volume = r.Int(i, 1);
      p.negative = r.Int(i, 2);
      p.sensitive = r.Int(i, 3);
      p.authoritative = r.Int(i, 4);
      p.interactions = r.Int(i, 5);
      p.reach = r.Int(i, 6);
      out.push_back(p);
    }
    return out;
  }

  Result<TimeMs> Last(int64_t scheme_id, int64_t event_id) override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("SELECT COALESCE(MAX(minute), 0) FROM series WHERE scheme_id = $1 AND "
                                          "event_id = $2",
                                          Params().Add(scheme_id).Add(event_id)));
    return r.Int(0, 0);
  }

  Status SaveBaselines(const std::vector<BaselineRow>& rows) override {
    if (rows.empty()) return Status::Ok();
    std::map<std::pair<int64_t, int>, const BaselineRow*> last;
    for (const auto& b : rows) last[{b.scheme_id, b.slot}] = &b;
    std::vector<int64_t> scheme, slot, n, updated_to;
    std::vector<double> mean, var;
    for (const auto& [k, b] : last) {
      scheme.push_back(b->scheme_id);
      slot.push_back(b->slot);
      mean.push_back(b->mean);
      var.push_back(b->var);
      n.push_back(b->n);
      updated_to.push_back(b->updated_to);
    }
    Params p;
    p.AddArray(scheme).AddArray(slot).AddArray(mean).AddArray(var).AddArray(n).AddArray(updated_to);
    return db_
        .Query("INSERT INTO baselines(scheme_id, slot, mean, var, n, updated_to) SELECT * FROM unnest($1::bigint[], "
               "$2::int[], $3::float8[], $4::float8[], $5::bigint[], $6::bigint[]) ON CONFLICT (scheme_id, slot) "
               "DO UPDATE SET mean=excluded.mean, var=excluded.var, n=excluded.n, updated_to=excluded.updated_to",
               p)
        .status();
  }

  Result<std::vector<BaselineRow>> LoadBaselines(int64_t scheme_id) override {
    YQ_ASSIGN_OR_RETURN(Rows r, db_.Query("SELECT slot, mean, var, n, updated_to FROM baselines WHERE scheme_id = $1 "
                                          "ORDER BY slot",
                                          Params().Add(scheme_id)));
    std::vector<BaselineRow> out;
    out.reserve(r.size());
    for (int i = 0; i < r.size(); ++i)
      out.push_back({scheme_id, static_cast<int>(r.Int(i, 0)), r.Double(i, 1), r.Double(i, 2), r.Int(i, 3), r.Int(i, 4)});
    return out;
  }

 private:
  Connection& db_;
};

}  // namespace

Result<std::unique_ptr<store::SeriesStore>> OpenSeriesStore(Connection& db) {
  YQ_RETURN_IF_ERROR(db.EnsureSchema("series", 1, Migrate));
  return std::unique_ptr<store::SeriesStore>(new PostgresSeriesStore(db));
}

}  // namespace yuqing::store::postgres

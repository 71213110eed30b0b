// PostStore's counts for the dashboard and `yuqing stats`: mostly read from the hourly counts
// (table post_counts) that the writes in post_store.cc keep.
#include "store/post_store.h"

#include <cstdint>

#include "store/post_rows.h"

namespace yuqing::store {

using namespace post_rows;

namespace {

// A read transaction: the statements inside see one snapshot. Ends (rolled back: it wrote
// nothing) when destroyed.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(sqlite::Connection& db) : db_(db), status_(db.Exec("BEGIN")) {}
  ~ReadSnapshot() {
    if (status_.ok()) (void)db_.Exec("ROLLBACK");
  }
  const Status& status() const { return status_; }

 private:
  sqlite::Connection& db_;
  Status status_;
};

}  // namespace

Result<int64_t> PostStore::Count(TimeMs from, TimeMs to) {
  std::string sql = "SELECT count(*) FROM posts";
  if (from || to) sql += " WHERE published_at >= ?1 AND published_at < ?2";
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare(sql));
  if (from || to) st.Bind(1, from).Bind(2, to ? to : INT64_MAX);
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<PostStats> PostStore::Stats() {
  PostStats s;
  ReadSnapshot snap(db_);
  YQ_RETURN_IF_ERROR(snap.status());
  {
    YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare("SELECT min(published_at), max(published_at) FROM posts"));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) {
      s.first = st.Int(0);
      s.last = st.Int(1);
    }
  }
  {
    YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare("SELECT count(*) FROM quarantine WHERE status = 'open'"));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) s.quarantined = st.Int(0);
  }
  // From the hourly counts: the same as grouping every post, without reading them.
  for (auto [dim, out] : {std::pair{kBySource, &s.by_source}, std::pair{kBySentiment, &s.by_sentiment}}) {
    YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare("SELECT value, sum(n) FROM post_counts WHERE dim = ?1 GROUP BY value "
                                                  "HAVING sum(n) > 0 ORDER BY 2 DESC, 1"));
    st.Bind(1, static_cast<int64_t>(dim));
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out->emplace_back(st.Text(0), st.Int(1));
      if (dim == kBySentiment) s.posts += st.Int(1);
    }
  }
  return s;
}

Result<VolumeSummary> PostStore::Summarize(TimeMs from, TimeMs to) {
  VolumeSummary v;
  if (from >= to) return v;
  ReadSnapshot snap(db_);
  YQ_RETURN_IF_ERROR(snap.status());
  // Whole hours [h0, h1) from post_counts; the rest of [from, to) from the posts themselves.
  TimeMs h0 = HourOf(from) == from ? from : HourOf(from) + kHour;
  TimeMs h1 = HourOf(to);
  std::vector<std::pair<TimeMs, TimeMs>> scans;
  if (h0 >= h1) {
    scans.push_back({from, to});
  } else {
    if (from < h0) scans.push_back({from, h0});
    if (h1 < to) scans.push_back({h1, to});
  }
  Status err;
  sqlite::Statement* scan = db_.Cached("SELECT published_at, sentiment, source, province FROM posts "
                               "WHERE published_at >= ?1 AND published_at < ?2", &err);
  if (!scan) return err;
  for (auto [a, b] : scans) {
    scan->Reset();
    scan->Bind(1, a).Bind(2, b);
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, scan->Step());
      if (!row) break;
      std::string sentiment(scan->TextView(1));
      ++v.total;
      ++v.hourly[{HourOf(scan->Int(0)), sentiment}];
      ++v.sentiments[sentiment];
      ++v.sources[std::string(scan->TextView(2))];
      std::string_view province = scan->TextView(3);
      if (!province.empty()) ++v.provinces[std::string(province)];
    }
  }
  scan->Reset();
  if (h0 < h1) {
    sqlite::Statement* counts = db_.Cached("SELECT hour, dim, value, n FROM post_counts WHERE hour >= ?1 AND hour < ?2 AND n != 0", &err);
    if (!counts) return err;
    counts->Bind(1, h0).Bind(2, h1);
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, counts->Step());
      if (!row) break;
      int64_t n = counts->Int(3);
      std::string value = counts->Text(2);
      switch (counts->Int(1)) {
        case kBySentiment:
          v.total += n;
          v.hourly[{counts->Int(0), value}] += n;
          v.sentiments[value] += n;
          break;
        case kBySource: v.sources[value] += n; break;
        case kByProvince: v.provinces[value] += n; break;
      }
    }
    counts->Reset();
  }
  return v;
}

}  // namespace yuqing::store

#include "report/queries.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "store/post_store.h"

namespace yuqing::report {
namespace {

using nlohmann::json;

std::string InList(const std::vector<int64_t>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ids[i]);
  }
  return s;
}

// " AND (...)" restricting posts p (published in [?1, ?2)) to the filter. Ids are integers from
// the store, never user text, so they are written into the statement.
std::string FilterSql(const PostFilter& f) {
  if (f.all()) return "";
  if (f.scheme_ids.empty() && f.event_ids.empty()) return " AND 0";
  std::string s = " AND (";
  // "event_id != 0" lets SQLite use the partial index posts_event (event_id, published_at).
  if (!f.event_ids.empty()) s += "(p.event_id != 0 AND p.event_id IN (" + InList(f.event_ids) + "))";
  if (!f.scheme_ids.empty()) {
    if (!f.event_ids.empty()) s += " OR ";
    s += "p.rowid IN (SELECT post_rowid FROM post_schemes WHERE scheme_id IN (" + InList(f.scheme_ids) +
         ") AND published_at >= ?1 AND published_at < ?2)";
  }
  return s + ")";
}

int SentimentIndex(std::string_view s) { return s == "negative" ? 0 : s == "positive" ? 2 : 1; }

// Cuts UTF-8 text to at most n characters (never inside a character).
std::string CutChars(std::string_view s, size_t n) {
  size_t chars = 0, i = 0;
  while (i < s.size() && chars < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  if (i >= s.size()) return std::string(s);
  return std::string(s.substr(0, i)) + "…";
}

}  // namespace

TimeMs BucketOf(TimeMs t, TimeMs bucket) {
  const TimeMs offset = kDefaultUtcOffsetMinutes * kMinute;
  TimeMs z = t + offset;
  return z - ((z % bucket) + bucket) % bucket - offset;
}

Result<Volume> CountPosts(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, TimeMs bucket) {
  Volume v;
  if (f.all()) {
    // The dashboard's own counts (hourly table + partial hours), so the figures are the same.
    YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(db));
    YQ_ASSIGN_OR_RETURN(store::VolumeSummary s, posts->Summarize(from, to));
    v.total = s.total;
    for (const auto& [key, n] : s.hourly) v.trend[BucketOf(key.first, bucket)][SentimentIndex(key.second)] += n;
    v.sentiments = std::move(s.sentiments);
    v.sources = std::move(s.sources);
    v.provinces = std::move(s.provinces);
    return v;
  }
  YQ_ASSIGN_OR_RETURN(store::Statement st,
                      db.Prepare("SELECT p.published_at, p.sentiment, p.source, p.province FROM posts p "
                                 "WHERE p.published_at >= ?1 AND p.published_at < ?2" + FilterSql(f)));
  st.Bind(1, from).Bind(2, to);
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ++v.total;
    std::string_view sent = st.TextView(1);
    ++v.trend[BucketOf(st.Int(0), bucket)][SentimentIndex(sent)];
    ++v.sentiments[std::string(sent)];
    ++v.sources[std::string(st.TextView(2))];
    if (std::string_view prov = st.TextView(3); !prov.empty()) ++v.provinces[std::string(prov)];
  }
  return v;
}

Result<json> TopKeywords(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n, size_t scan) {
  YQ_ASSIGN_OR_RETURN(store::Statement st,
                      db.Prepare("SELECT p.keywords FROM posts p WHERE p.published_at >= ?1 AND p.published_at < ?2" +
                                 FilterSql(f) + " ORDER BY p.published_at DESC LIMIT ?3"));
  st.Bind(1, from).Bind(2, to).Bind(3, static_cast<int64_t>(scan));
  std::unordered_map<std::string, int64_t> counts;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    json kw = json::parse(st.TextView(0), nullptr, false);
    if (!kw.is_array()) continue;
    for (const auto& k : kw)
      if (k.is_string()) ++counts[k.get<std::string>()];
  }
  std::vector<std::pair<std::string, int64_t>> v(counts.begin(), counts.end());
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  json out = json::array();
  for (size_t i = 0; i < v.size() && i < n; ++i) out.push_back({{"word", v[i].first}, {"count", v[i].second}});
  return out;
}

Result<json> NotablePosts(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n) {
  YQ_ASSIGN_OR_RETURN(
      store::Statement st,
      db.Prepare("SELECT p.id, p.source, p.url, p.author_name, p.published_at, p.title, p.text, p.sentiment, p.rumor, "
                 "p.reposts + p.comments + p.likes AS inter, p.author_followers FROM posts p "
                 "WHERE p.published_at >= ?1 AND p.published_at < ?2 AND (p.sentiment = 'negative' OR p.rumor >= 0.5)" +
                 FilterSql(f) + " ORDER BY inter DESC, p.author_followers DESC, p.published_at DESC LIMIT ?3"));
  st.Bind(1, from).Bind(2, to).Bind(3, static_cast<int64_t>(n));
  json out = json::array();
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    const bool negative = st.TextView(7) == "negative";
    const double rumor = st.Double(8);
    std::string text = st.Text(5).empty() ? st.Text(6) : st.Text(5) + " " + st.Text(6);
    out.push_back({{"id", st.Text(0)},
                   {"source", st.Text(1)},
                   {"url", st.Text(2)},
                   {"author", st.Text(3)},
                   {"published_at", FormatTime(st.Int(4))},
                   {"text", CutChars(text, 200)},
                   {"sentiment", st.Text(7)},
                   {"rumor", std::round(rumor * 100) / 100},
                   {"interactions", st.Int(9)},
                   {"reason", negative && rumor >= 0.5 ? "both" : negative ? "negative" : "rumor"}});
  }
  return out;
}

Result<std::vector<int64_t>> ActiveEvents(store::Database& db, const PostFilter& f, TimeMs from, TimeMs to, size_t n) {
  YQ_ASSIGN_OR_RETURN(store::Statement st,
                      db.Prepare("SELECT p.event_id, COUNT(*) AS c FROM posts p WHERE p.published_at >= ?1 AND "
                                 "p.published_at < ?2 AND p.event_id != 0" + FilterSql(f) +
                                 " GROUP BY p.event_id ORDER BY c DESC, p.event_id LIMIT ?3"));
  st.Bind(1, from).Bind(2, to).Bind(3, static_cast<int64_t>(n));
  std::vector<int64_t> ids;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    ids.push_back(st.Int(0));
  }
  return ids;
}

}  // namespace yuqing::report

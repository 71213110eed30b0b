#include "store/incident_posts.h"

#include <algorithm>

namespace yuqing::store {
namespace {

std::string IntList(const std::vector<int64_t>& v) {
  std::string s;
  for (int64_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

std::string Placeholders(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += i ? ",?" : "?";
  return s;
}

Result<sqlite::Statement> Prepared(sqlite::Connection& db, const std::string& sql, const std::vector<std::string>& args) {
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db.Prepare(sql));
  for (size_t i = 0; i < args.size(); ++i) st.Bind(static_cast<int>(i + 1), args[i]);
  return st;
}

}  // namespace

std::string IncidentPosts::Where(const PostScope& scope, std::vector<std::string>& args, TimeMs from,
                                 TimeMs to) const {
  const TimeMs lo = std::max(scope.from, from);
  const TimeMs hi = scope.to > 0 && to > 0 ? std::min(scope.to, to) : std::max(scope.to, to);
  std::string time;
  if (lo > 0) time += " AND p.published_at >= " + std::to_string(lo);
  if (hi > 0) time += " AND p.published_at < " + std::to_string(hi);
  std::vector<std::string> parts;
  if (!scope.event_ids.empty()) {
    parts.push_back("p.event_id IN (" + IntList(scope.event_ids) + ")");
  } else if (!scope.scheme_ids.empty()) {
    std::string sub = "p.rowid IN (SELECT post_rowid FROM post_schemes WHERE scheme_id IN (" +
                      IntList(scope.scheme_ids) + ")";
    if (lo > 0) sub += " AND published_at >= " + std::to_string(lo);
    if (hi > 0) sub += " AND published_at < " + std::to_string(hi);
    parts.push_back(sub + ")");
  }
  if (!scope.post_ids.empty()) {
    parts.push_back("p.id IN (" + Placeholders(scope.post_ids.size()) + ")");
    args.insert(args.end(), scope.post_ids.begin(), scope.post_ids.end());
  }
  if (parts.empty()) return "(0)";
  std::string w = "((" + parts[0] + ")";
  for (size_t i = 1; i < parts.size(); ++i) w += " OR (" + parts[i] + ")";
  return w + ")" + time;
}

Result<PostWindow> IncidentPosts::Window(const PostScope& scope, TimeMs from, TimeMs to, const AuthorityRule& rule) {
  std::vector<std::string> args;
  std::string where = Where(scope, args, from, to);
  std::string auth = "(p.author_verified = 1 AND p.author_followers >= " + std::to_string(rule.followers) + ")";
  for (size_t i = 0; i < rule.sources.size(); ++i) auth += " OR instr(lower(p.source), ?) > 0";
  std::string sql =
      "SELECT count(*), coalesce(sum(p.sentiment = 'negative'), 0), "
      "coalesce(sum(max(p.reposts, 0) + max(p.comments, 0) + max(p.likes, 0)), 0), "
      "coalesce(sum(max(p.author_followers, 0)), 0), coalesce(sum(" + auth + "), 0), "
      "coalesce(min(p.published_at), 0), coalesce(max(p.published_at), 0) FROM posts p WHERE " + where;
  // The SELECT's placeholders (the sources) are numbered before the WHERE's (the post ids).
  std::vector<std::string> ordered(rule.sources.begin(), rule.sources.end());
  ordered.insert(ordered.end(), args.begin(), args.end());
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, Prepared(db_, sql, ordered));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  PostWindow w;
  if (row) {
    w.volume = st.Int(0);
    w.negative = st.Int(1);
    w.interactions = st.Int(2);
    w.reach = st.Int(3);
    w.authoritative = st.Int(4);
    w.first = st.Int(5);
    w.last = st.Int(6);
  }
  return w;
}

Result<PostWindow> IncidentPosts::Span(const PostScope& scope, TimeMs from, TimeMs to) {
  std::vector<std::string> args;
  std::string where = Where(scope, args, from, to);
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, Prepared(db_,
                                             "SELECT count(*), coalesce(min(p.published_at), 0), "
                                             "coalesce(max(p.published_at), 0) FROM posts p WHERE " + where,
                                             args));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  PostWindow w;
  if (row) {
    w.volume = st.Int(0);
    w.first = st.Int(1);
    w.last = st.Int(2);
  }
  return w;
}

Result<std::vector<CurvePoint>> IncidentPosts::Curve(const PostScope& scope, TimeMs from, TimeMs to, TimeMs bucket,
                                                     TimeMs origin) {
  if (bucket <= 0) return Status::Invalid("bucket must be positive");
  std::vector<std::string> args;
  std::string where = Where(scope, args, from, to);
  const std::string b = std::to_string(bucket), o = std::to_string(origin % bucket);
  // published_at >= 0 and origin % bucket < bucket keep the integer division a floor.
  std::string sql = "SELECT ((p.published_at - " + o + " + " + b + ") / " + b + " - 1) * " + b + " + " + o +
                    " AS t, count(*), coalesce(sum(p.sentiment = 'negative'), 0) FROM posts p WHERE " + where +
                    " GROUP BY t ORDER BY t";
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, Prepared(db_, sql, args));
  std::vector<CurvePoint> out;
  for (;;) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Int(0), st.Int(1), st.Int(2)});
  }
  return out;
}

Result<std::vector<TimeMs>> IncidentPosts::TimesDescending(const PostScope& scope, TimeMs from, TimeMs to,
                                                          size_t limit) {
  std::vector<std::string> args;
  std::string where = Where(scope, args, from, to);
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, Prepared(db_,
                                             "SELECT p.published_at FROM posts p WHERE " + where +
                                                 " ORDER BY p.published_at DESC LIMIT " + std::to_string(limit),
                                             args));
  std::vector<TimeMs> out;
  for (;;) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.Int(0));
  }
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> IncidentPosts::CountSources(
    const PostScope& scope, const std::vector<std::string>& sources) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& src : sources) {
    std::vector<std::string> args;
    std::string where = Where(scope, args, 0, 0);
    args.push_back(src);
    YQ_ASSIGN_OR_RETURN(sqlite::Statement st, Prepared(db_, "SELECT count(*) FROM posts p WHERE " + where + " AND p.source = ?", args));
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    out.emplace_back(src, row ? st.Int(0) : 0);
  }
  return out;
}

Result<int64_t> IncidentPosts::CountType(const PostScope& scope, const std::string& type) {
  std::vector<std::string> args;
  std::string where = Where(scope, args, 0, 0);
  args.push_back("%," + type + ",%");
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, Prepared(db_, "SELECT count(*) FROM posts p WHERE " + where + " AND p.type_list LIKE ?", args));
  YQ_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<std::vector<int64_t>> IncidentPosts::EventsOf(const std::vector<std::string>& post_ids) {
  std::vector<int64_t> out;
  if (post_ids.empty()) return out;
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, Prepared(db_,
                                             "SELECT event_id, count(*) AS n FROM posts WHERE id IN (" +
                                                 Placeholders(post_ids.size()) +
                                                 ") AND event_id != 0 GROUP BY event_id ORDER BY n DESC, event_id",
                                             post_ids));
  for (;;) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(st.Int(0));
  }
  return out;
}

Result<std::vector<IncidentPosts::Fingerprint>> IncidentPosts::Fingerprints(TimeMs from, TimeMs to, size_t limit) {
  std::string sql = "SELECT id, published_at, simhash, dup_of FROM posts WHERE published_at >= " +
                    std::to_string(from) + (to > 0 ? " AND published_at < " + std::to_string(to) : std::string()) +
                    " ORDER BY published_at LIMIT " + std::to_string(limit);
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare(sql));
  std::vector<Fingerprint> out;
  for (;;) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), st.Int(1), static_cast<uint64_t>(st.Int(2)), st.Text(3)});
  }
  return out;
}

Result<std::vector<std::pair<std::string, TimeMs>>> IncidentPosts::ContainingAll(const std::vector<std::string>& words,
                                                                                 TimeMs from, TimeMs to, size_t limit) {
  std::vector<std::pair<std::string, TimeMs>> out;
  if (words.empty()) return out;
  std::string sql = "SELECT id, published_at FROM posts WHERE published_at >= " + std::to_string(from) +
                    (to > 0 ? " AND published_at < " + std::to_string(to) : std::string());
  for (size_t i = 0; i < words.size(); ++i) sql += " AND instr(title || ' ' || text, ?) > 0";
  sql += " ORDER BY published_at LIMIT " + std::to_string(limit);
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, Prepared(db_, sql, words));
  for (;;) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.emplace_back(st.Text(0), st.Int(1));
  }
  return out;
}

Result<std::vector<std::pair<std::string, TimeMs>>> IncidentPosts::SchemePosts(int64_t scheme_id, TimeMs from,
                                                                               TimeMs to, size_t limit) {
  std::string sql =
      "SELECT p.id, s.published_at FROM post_schemes s JOIN posts p ON p.rowid = s.post_rowid "
      "WHERE s.scheme_id = " + std::to_string(scheme_id) + " AND s.published_at >= " + std::to_string(from) +
      (to > 0 ? " AND s.published_at < " + std::to_string(to) : std::string()) +
      " ORDER BY s.published_at LIMIT " + std::to_string(limit);
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare(sql));
  std::vector<std::pair<std::string, TimeMs>> out;
  for (;;) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.emplace_back(st.Text(0), st.Int(1));
  }
  return out;
}

Status IncidentPosts::ForEachText(TimeMs from, TimeMs to, size_t limit,
                                  const std::function<Status(const PostText&)>& fn) {
  std::string sql =
      "SELECT id, title, text, author_name, source, channel, region, lang, author_verified, author_followers, "
      "published_at FROM posts WHERE published_at >= " + std::to_string(from) +
      (to > 0 ? " AND published_at < " + std::to_string(to) : std::string()) +
      " ORDER BY published_at LIMIT " + std::to_string(limit);
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db_.Prepare(sql));
  for (;;) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    PostText p;
    p.id = st.TextView(0);
    p.title = st.TextView(1);
    p.text = st.TextView(2);
    p.author = st.TextView(3);
    p.source = st.TextView(4);
    p.channel = st.TextView(5);
    p.region = st.TextView(6);
    p.lang = st.TextView(7);
    p.verified = st.Int(8) != 0;
    p.followers = st.Int(9);
    p.at = st.Int(10);
    YQ_RETURN_IF_ERROR(fn(p));
  }
  return Status::Ok();
}

Result<std::vector<CurvePoint>> IncidentPosts::CurveOfIds(const std::vector<std::string>& ids, TimeMs from, TimeMs to,
                                                          TimeMs bucket) {
  PostScope scope;
  scope.post_ids = ids;
  return Curve(scope, from, to, bucket);
}

}  // namespace yuqing::store

#include "store/scoped_reads.h"

namespace yuqing::store {
namespace {

std::string InList(const std::vector<int64_t>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ',';
    s += std::to_string(ids[i]);
  }
  return s;
}

// " AND (...)" restricting posts p (published in [?1, ?2)) to the scope. Ids are integers from
// the store, never user text, so they are written into the statement.
std::string ScopeSql(const ReadScope& s) {
  if (s.all()) return "";
  if (s.scheme_ids.empty() && s.event_ids.empty()) return " AND 0";
  std::string sql = " AND (";
  // "event_id != 0" lets SQLite use the partial index posts_event (event_id, published_at).
  if (!s.event_ids.empty()) sql += "(p.event_id != 0 AND p.event_id IN (" + InList(s.event_ids) + "))";
  if (!s.scheme_ids.empty()) {
    if (!s.event_ids.empty()) sql += " OR ";
    sql += "p.rowid IN (SELECT post_rowid FROM post_schemes WHERE scheme_id IN (" + InList(s.scheme_ids) +
           ") AND published_at >= ?1 AND published_at < ?2)";
  }
  return sql + ")";
}

}  // namespace

Status ForEachPostFacets(Database& session, const ReadScope& scope, TimeMs from, TimeMs to,
                         const std::function<void(const PostFacets&)>& fn) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db.Prepare("SELECT p.published_at, p.sentiment, p.source, p.province, p.event_id "
                                               "FROM posts p WHERE p.published_at >= ?1 AND p.published_at < ?2" +
                                               ScopeSql(scope)));
  st.Bind(1, from).Bind(2, to);
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    fn(PostFacets{st.Int(0), st.TextView(1), st.TextView(2), st.TextView(3), st.Int(4)});
  }
}

Result<std::vector<std::string>> ReadKeywordLists(Database& session, const ReadScope& scope, TimeMs from, TimeMs to,
                                              size_t scan) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st,
                      db.Prepare("SELECT p.keywords FROM posts p WHERE p.published_at >= ?1 AND p.published_at < ?2" +
                                 ScopeSql(scope) + " ORDER BY p.published_at DESC LIMIT ?3"));
  st.Bind(1, from).Bind(2, to).Bind(3, static_cast<int64_t>(scan));
  std::vector<std::string> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(st.Text(0));
  }
}

Result<std::vector<NotablePostRow>> ReadNotablePosts(Database& session, const ReadScope& scope, TimeMs from, TimeMs to,
                                                 size_t n) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  YQ_ASSIGN_OR_RETURN(
      sqlite::Statement st,
      db.Prepare("SELECT p.id, p.source, p.url, p.author_name, p.published_at, p.title, p.text, p.sentiment, p.rumor, "
                 "p.reposts + p.comments + p.likes AS inter, p.author_followers FROM posts p "
                 "WHERE p.published_at >= ?1 AND p.published_at < ?2 AND (p.sentiment = 'negative' OR p.rumor >= 0.5)" +
                 ScopeSql(scope) + " ORDER BY inter DESC, p.author_followers DESC, p.published_at DESC LIMIT ?3"));
  st.Bind(1, from).Bind(2, to).Bind(3, static_cast<int64_t>(n));
  std::vector<NotablePostRow> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    NotablePostRow r;
    r.id = st.Text(0);
    r.source = st.Text(1);
    r.url = st.Text(2);
    r.author = st.Text(3);
    r.published_at = st.Int(4);
    r.title = st.Text(5);
    r.text = st.Text(6);
    r.sentiment = st.Text(7);
    r.rumor = st.Double(8);
    r.interactions = st.Int(9);
    out.push_back(std::move(r));
  }
}

Result<std::vector<int64_t>> ReadActiveEvents(Database& session, const ReadScope& scope, TimeMs from, TimeMs to, size_t n) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st,
                      db.Prepare("SELECT p.event_id, COUNT(*) AS c FROM posts p WHERE p.published_at >= ?1 AND "
                                 "p.published_at < ?2 AND p.event_id != 0" + ScopeSql(scope) +
                                 " GROUP BY p.event_id ORDER BY c DESC, p.event_id LIMIT ?3"));
  st.Bind(1, from).Bind(2, to).Bind(3, static_cast<int64_t>(n));
  std::vector<int64_t> ids;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return ids;
    ids.push_back(st.Int(0));
  }
}

Result<bool> EventTouchesSchemes(Database& session, int64_t event_id, const std::vector<int64_t>& scheme_ids) {
  YQ_ASSIGN_OR_RETURN(sqlite::Connection* connection, sqlite::Connect(session));
  sqlite::Connection& db = *connection;
  if (scheme_ids.empty()) return false;
  YQ_ASSIGN_OR_RETURN(sqlite::Statement st, db.Prepare("SELECT 1 FROM posts p JOIN post_schemes s ON s.post_rowid = p.rowid "
                                               "WHERE p.event_id = ?1 AND s.scheme_id IN (" + InList(scheme_ids) +
                                               ") LIMIT 1"));
  st.Bind(1, event_id);
  return st.Step();
}

}  // namespace yuqing::store

// /api/v1/posts: search, ingest through the writer, one post, sentiment corrections.
#include <algorithm>

#include "core/post_json.h"
#include "core/stored_post.h"
#include "ingest/post_parser.h"
#include "rules/fts_query.h"
#include "server/handlers.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxRecordsPerRequest = 5000;

json HitJson(const store::SearchHit& h) {
  json j = StoredPostToJson(h.post);
  j["snippet_html"] = ReplaceAll(ReplaceAll(HtmlEscape(h.snippet), store::kMarkStart, "<mark>"), store::kMarkEnd, "</mark>");
  j["rank"] = h.rank;
  return j;
}

bool PostVisible(const Scope& scope, const StoredPost& p) {
  if (scope.all) return true;
  return std::any_of(p.schemes.begin(), p.schemes.end(), [&](const SchemeHit& h) {
    return std::binary_search(scope.scheme_ids.begin(), scope.scheme_ids.end(), h.scheme_id);
  });
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= s.size()) {
    size_t end = s.find(',', pos);
    if (end == std::string::npos) end = s.size();
    if (end > pos) out.push_back(s.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

}  // namespace

Result<Reply> SearchPosts(Ctx& c) {
  store::SearchQuery q;
  q.text = c.Param("q");
  if (q.text.size() > 1024) return Status::Invalid("q is at most 1024 bytes");
  if (!q.text.empty()) {
    // The scheme language, as in schemes and the live stream; an error names the column.
    rules::ParseError err;
    auto match = rules::ToFtsMatch(q.text, *c.state.norm, &err);
    if (!match.ok()) {
      Reply r;
      r.status = 400;
      r.body = {{"error", {{"code", "invalid"}, {"message", "q: " + match.status().message()}, {"column", err.column},
                           {"message_zh", "q：" + (err.zh.empty() ? match.status().message() : err.Message(true))}}}};
      return r;
    }
    q.match = std::move(*match);
  }
  if (auto v = c.Param("from"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.from, ParseTime(v));
  }
  if (auto v = c.Param("to"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.to, ParseTime(v));
  }
  q.sources = SplitComma(c.Param("source"));
  if (q.sources.size() > 20) return Status::Invalid("at most 20 sources");
  q.sentiment = c.Param("sentiment");
  if (!q.sentiment.empty() && q.sentiment != "negative" && q.sentiment != "neutral" && q.sentiment != "positive")
    return Status::Invalid("sentiment must be negative, neutral or positive");
  q.type = c.Param("type");
  q.province = c.Param("province");
  if (auto v = c.Param("event"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.event_id, IdFrom(v, "event"));
  }
  if (auto v = c.Param("scheme"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(q.scheme_id, IdFrom(v, "scheme"));
  }
  YQ_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 20, 200));
  q.limit = static_cast<size_t>(limit);
  std::string sort = c.Param("sort");
  if (!sort.empty() && sort != "time" && sort != "relevance") return Status::Invalid("sort must be time or relevance");
  q.relevance = sort == "relevance" && !q.text.empty();
  if (auto cur = c.Param("cursor"); !cur.empty()) {
    if (cur.size() > 64) return Status::Invalid("bad cursor");
    YQ_RETURN_IF_ERROR(q.SetCursor(cur));
    if (q.offset > 10000) return Status::Invalid("relevance paging stops at 10000 results; narrow the query");
  }
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  json items = json::array();
  json next = nullptr;
  if (!scope.all) {
    if (q.scheme_id && !std::binary_search(scope.scheme_ids.begin(), scope.scheme_ids.end(), q.scheme_id))
      return Status::Permission("scheme " + std::to_string(q.scheme_id) + " belongs to another department");
    if (scope.scheme_ids.empty()) return Reply(nlohmann::json{{"items", items}, {"next_cursor", next}});
    q.scheme_ids = scope.scheme_ids;
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto res, conn->posts->Search(q));
  for (const auto& h : res.hits) items.push_back(HitJson(h));
  if (!res.next_cursor.empty()) next = res.next_cursor;
  return Reply(nlohmann::json{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Result<Reply> IngestPosts(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  std::vector<json> records;
  if (body.is_array()) {
    if (body.size() > kMaxRecordsPerRequest)
      return Status::TooLarge("at most " + std::to_string(kMaxRecordsPerRequest) + " posts per request");
    for (auto& e : body) records.push_back(std::move(e));
  } else if (body.is_object()) {
    records.push_back(std::move(body));
  } else {
    return Status::Invalid("send one post object or an array of them");
  }
  if (records.empty()) return Status::Invalid("the array is empty");
  TimeMs now = c.now();
  ingest::ParseDefaults d;
  d.source = "api";
  d.now = now;
  std::vector<ingest::Item> inputs(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    ingest::Item& in = inputs[i];
    in.line = static_cast<int64_t>(i);
    ingest::ParsedPost p;
    if (records[i].is_object()) {
      p = ingest::PostFromJson(records[i], d);
    } else {
      p.ok = false;
      p.error = {"bad_json", "a post must be a JSON object"};
    }
    if (p.ok) {
      in.ok = true;
      in.post = std::move(p.post);
    } else {
      in.bad.origin = "api";
      in.bad.offset = static_cast<int64_t>(i);
      in.bad.code = p.error.code;
      in.bad.reason = p.error.reason;
      in.bad.raw = records[i].dump(-1, ' ', false, json::error_handler_t::replace).substr(0, kMaxQuarantineRawBytes);
      in.bad.format = "api";
      in.bad.at = now;
    }
  }
  if (!c.state.ingest) return Status::Unavailable("ingest is not running");
  YQ_ASSIGN_OR_RETURN(auto results, c.state.ingest->Submit(std::move(inputs)));
  int64_t stored = 0, dups = 0, quarantined = 0;
  json out = json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    json j = {{"index", i}, {"status", app::OutcomeName(r.outcome)}};
    switch (r.outcome) {
      case app::RecordOutcome::kStored: ++stored; j["id"] = r.id; break;
      case app::RecordOutcome::kDuplicate: ++dups; j["id"] = r.id; break;
      case app::RecordOutcome::kQuarantined:
        ++quarantined;
        j["code"] = r.code;
        j["reason"] = r.reason;
        j["quarantine_id"] = r.quarantine_id;
        break;
    }
    out.push_back(std::move(j));
  }
  return Reply(nlohmann::json{{"stored", stored}, {"duplicates", dups}, {"quarantined", quarantined}, {"results", std::move(out)}});
}

namespace {
Result<StoredPost> VisiblePost(Ctx& c, const std::string& id) {
  if (id.empty() || id.size() > 256) return Status::NotFound("no such post");
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto p, conn->posts->Get(id));
  if (!p) return Status::NotFound("no post " + id);
  YQ_ASSIGN_OR_RETURN(Scope scope, VisibleScope(c));
  // Posts outside the department's schemes are reported as absent, not forbidden.
  if (!PostVisible(scope, *p)) return Status::NotFound("no post " + id);
  return std::move(*p);
}
}  // namespace

Result<Reply> GetPost(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto p, VisiblePost(c, c.PathParam(0)));
  return Reply(StoredPostToJson(p));
}

Result<Reply> CorrectSentiment(Ctx& c) {
  std::string id = c.PathParam(0);
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  if (!body.is_object() || !body.contains("label") || !body["label"].is_string())
    return Status::Invalid("send {\"label\": \"negative|neutral|positive\"}");
  std::string label = body["label"].get<std::string>();
  double score;
  if (label == "negative") score = -1.0;
  else if (label == "neutral") score = 0.0;
  else if (label == "positive") score = 1.0;
  else return Status::Invalid("label must be negative, neutral or positive");
  if (body.contains("score") && body["score"].is_number()) score = std::clamp(body["score"].get<double>(), -1.0, 1.0);
  YQ_ASSIGN_OR_RETURN(auto p, VisiblePost(c, id));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_RETURN_IF_ERROR(conn->posts->UpdateSentiment(id, label, score));
#ifdef YUQING_HAVE_EVENTS
  if (Status st = RecordCorrection(c, id, p.post.title.empty() ? p.post.text : p.post.title + "\n" + p.post.text, label);
      !st.ok())
    return st;
#endif
  c.Audit("post.sentiment", "post:" + id,
          {{"from", p.analysis.sentiment_label}, {"to", label}, {"score", score}});
  YQ_ASSIGN_OR_RETURN(auto after, conn->posts->Get(id));
  if (!after) return Status::NotFound("no post " + id);
  return Reply(StoredPostToJson(*after));
}

}  // namespace yuqing::server

// /api/v1/schemes: monitoring schemes (CRUD scoped by department), syntax validation with the
// column of the error, and the live test against stored posts.
#include <algorithm>

#include "app/scheme_tester.h"
#include "core/post_json.h"
#include "rules/reference.h"
#include "rules/scheme_io.h"
#include "server/handlers.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

constexpr size_t kMaxTestScan = 20000;  // newest posts of the window a test reads at most

json ErrorJson(const rules::ParseError& e) {
  return {{"column", e.column}, {"message", e.Message(false)}, {"message_zh", e.Message(true)}};
}

// Parses the query and exclusions; Invalid carries the column in the message.
Status CheckScheme(Ctx& c, const rules::Scheme& s, rules::ParseError* err) {
  if (s.name.empty() || s.name.size() > 200) return Status::Invalid("name must be 1-200 bytes");
  if (s.exclude.size() > 64) return Status::Invalid("at most 64 exclusions");
  if (s.policy.size() > 64 * 1024) return Status::TooLarge("policy is at most 64 KiB");
  return rules::ParseScheme(s, *c.state.norm, {}, err).status();
}

Result<rules::Scheme> SchemeFromBody(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  if (!body.is_object()) return Status::Invalid("send a scheme object");
  YQ_ASSIGN_OR_RETURN(rules::Scheme s, rules::SchemeFromJson(body));
  // Non-admins create schemes for their own departments only.
  if (!c.who.admin()) {
    if (s.departments.empty()) s.departments = c.who.departments;
    for (const auto& d : s.departments) {
      if (std::find(c.who.departments.begin(), c.who.departments.end(), d) == c.who.departments.end())
        return Status::Permission("you cannot assign a scheme to department '" + d + "'");
    }
    if (s.departments.empty()) return Status::Permission("you belong to no department; ask an admin");
  }
  return s;
}

Result<rules::Scheme> VisibleScheme(Ctx& c, int64_t id) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto s, conn->schemes->Get(id));
  if (!s || !c.who.InAnyDepartment(s->departments)) return Status::NotFound("no scheme " + std::to_string(id));
  return std::move(*s);
}

Result<Reply> Invalid(const rules::ParseError& err, const Status& st) {
  Reply r;
  r.status = 400;
  r.body = {{"error", {{"code", "invalid"}, {"message", st.message()}, {"column", err.column},
                       {"message_zh", err.zh.empty() ? st.message() : err.Message(true)}}}};
  return r;
}

}  // namespace

Result<Reply> ListSchemes(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto all, conn->schemes->List(true));
  json items = json::array();
  for (const auto& s : all) {
    if (c.who.InAnyDepartment(s.departments)) items.push_back(rules::SchemeToJson(s));
  }
  return Reply(nlohmann::json{{"items", std::move(items)}});
}

Result<Reply> CreateScheme(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(rules::Scheme s, SchemeFromBody(c));
  s.id = 0;
  rules::ParseError err;
  if (Status st = CheckScheme(c, s, &err); !st.ok()) {
    if (st.code() == Code::kInvalid) return Invalid(err, st);
    return st;
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(int64_t id, conn->schemes->Add(s, c.now()));
  YQ_ASSIGN_OR_RETURN(auto saved, conn->schemes->Get(id));
  if (!saved) return Status::Internal("scheme vanished after insert");
  json j = rules::SchemeToJson(*saved);
  c.Audit("scheme.add", "scheme:" + std::to_string(id), j);
  Reply r(std::move(j));
  r.status = 201;
  return r;
}

Result<Reply> GetScheme(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "scheme"));
  YQ_ASSIGN_OR_RETURN(auto s, VisibleScheme(c, id));
  return Reply(rules::SchemeToJson(s));
}

Result<Reply> UpdateScheme(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "scheme"));
  YQ_ASSIGN_OR_RETURN(auto before, VisibleScheme(c, id));
  YQ_ASSIGN_OR_RETURN(rules::Scheme s, SchemeFromBody(c));
  s.id = id;
  rules::ParseError err;
  if (Status st = CheckScheme(c, s, &err); !st.ok()) {
    if (st.code() == Code::kInvalid) return Invalid(err, st);
    return st;
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_RETURN_IF_ERROR(conn->schemes->Update(s, c.now()));
  YQ_ASSIGN_OR_RETURN(auto saved, conn->schemes->Get(id));
  if (!saved) return Status::NotFound("no scheme " + std::to_string(id));
  json j = rules::SchemeToJson(*saved);
  c.Audit("scheme.update", "scheme:" + std::to_string(id), {{"before", rules::SchemeToJson(before)}, {"after", j}});
  return Reply(std::move(j));
}

Result<Reply> DeleteScheme(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t id, IdFrom(c.PathParam(0), "scheme"));
  YQ_ASSIGN_OR_RETURN(auto before, VisibleScheme(c, id));
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_RETURN_IF_ERROR(conn->schemes->Remove(id));
  c.Audit("scheme.delete", "scheme:" + std::to_string(id), rules::SchemeToJson(before));
  return Reply(nlohmann::json{{"ok", true}, {"id", id}});
}

Result<Reply> ValidateScheme(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  if (!body.is_object() || !body.contains("query") || !body["query"].is_string())
    return Status::Invalid("send {\"query\": \"...\"}");
  rules::Scheme s;
  s.name = "validate";
  s.query = body["query"].get<std::string>();
  if (body.contains("exclude") && body["exclude"].is_array()) {
    for (const auto& e : body["exclude"])
      if (e.is_string()) s.exclude.push_back(e.get<std::string>());
  }
  rules::ParseError err;
  auto ps = rules::ParseScheme(s, *c.state.norm, {}, &err);
  if (ps.ok()) return Reply(nlohmann::json{{"ok", true}, {"error", nullptr}});
  return Reply(nlohmann::json{{"ok", false}, {"error", ErrorJson(err)}});
}

Result<Reply> TestScheme(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  if (!body.is_object() || !body.contains("query") || !body["query"].is_string())
    return Status::Invalid("send {\"query\": \"...\", \"last\": \"7d\"}");
  rules::Scheme s;
  s.name = "test";
  s.query = body["query"].get<std::string>();
  if (body.contains("exclude") && body["exclude"].is_array()) {
    for (const auto& e : body["exclude"])
      if (e.is_string()) s.exclude.push_back(e.get<std::string>());
  }
  std::string last = body.value("last", std::string("7d"));
  YQ_ASSIGN_OR_RETURN(TimeMs window, ParseDuration(last));
  if (window <= 0 || window > 366 * kDay) return Status::Invalid("last must be between 1s and 366d");
  size_t samples_max = std::clamp<int64_t>(body.value("limit", 20), 1, 100);
  rules::ParseError err;
  auto ps = rules::ParseScheme(s, *c.state.norm, {}, &err);
  if (!ps.ok()) return Invalid(err, ps.status());

  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  app::SchemeTestOptions opts;
  opts.from = c.now() - window;
  opts.max_scan = kMaxTestScan;
  opts.max_samples = samples_max;
  YQ_ASSIGN_OR_RETURN(auto tested, app::TestScheme(*conn->posts, s, c.state.norm, opts));
  json samples = json::array();
  for (const auto& x : tested.samples) samples.push_back(StoredPostToJson(x.post));
  return Reply(nlohmann::json{{"count", tested.matched}, {"scanned", tested.scanned}, {"truncated", tested.truncated},
                              {"samples", std::move(samples)}});
}

}  // namespace yuqing::server

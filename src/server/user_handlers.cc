// /api/v1/users (list, create, change, reset a password), /api/v1/tokens, /api/v1/audit.
#include "core/user.h"
#include "core/user_json.h"
#include "server/handlers.h"

namespace yuqing::server {
namespace {
using nlohmann::json;

Result<std::vector<std::string>> StringList(const json& body, const char* key) {
  std::vector<std::string> out;
  if (!body.contains(key) || body[key].is_null()) return out;
  if (!body[key].is_array()) return Status::Invalid(std::string(key) + " must be an array of strings");
  for (const auto& e : body[key]) {
    if (!e.is_string()) return Status::Invalid(std::string(key) + " must be an array of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}
}  // namespace

Result<Reply> ListUsers(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto users, conn->users->ListUsers());
  json items = json::array();
  for (const auto& u : users) items.push_back(UserToJson(u));
  return Reply(nlohmann::json{{"items", std::move(items)}});
}

Result<Reply> CreateUser(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() || !body.contains("role") ||
      !body["role"].is_string())
    return Status::Invalid("send {\"name\", \"role\", \"departments\": [...], \"password\"?}");
  User u;
  u.name = body["name"].get<std::string>();
  u.role = body["role"].get<std::string>();
  YQ_ASSIGN_OR_RETURN(u.departments, StringList(body, "departments"));
  std::string password;
  bool generated = false;
  if (body.contains("password") && body["password"].is_string()) {
    password = body["password"].get<std::string>();
  } else {
    password = RandomPassword();
    generated = true;
  }
  c.state.password_slots.acquire();
  auto hash = HashPassword(password);
  c.state.password_slots.release();
  if (!hash.ok()) return hash.status();
  u.password_hash = *hash;
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(int64_t id, conn->users->AddUser(u, c.now()));
  YQ_ASSIGN_OR_RETURN(auto saved, conn->users->GetUser(id));
  if (!saved) return Status::Internal("user vanished after insert");
  json j = UserToJson(*saved);
  c.Audit("user.add", "user:" + u.name, {{"role", u.role}, {"departments", u.departments}});
  Reply r(nlohmann::json{{"user", j}, {"password", generated ? json(password) : json(nullptr)}});
  r.status = 201;
  return r;
}

Result<Reply> UpdateUserHandler(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(json body, c.JsonBody());
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  const std::string name = c.PathParam(0);
  YQ_ASSIGN_OR_RETURN(auto found, conn->users->FindUser(name));
  if (!found) return Status::NotFound("no user " + name);
  User u = *found;
  if (body.contains("role")) u.role = body["role"].get<std::string>();
  if (body.contains("departments")) {
    YQ_ASSIGN_OR_RETURN(u.departments, StringList(body, "departments"));
  }
  if (body.contains("disabled")) u.disabled = body["disabled"].get<bool>();
  // An admin who locks themselves out leaves nobody to undo it.
  if (u.id == c.who.user_id && u.disabled) return Status::Invalid("disabled: you cannot disable your own account");
  if (u.id == c.who.user_id && u.role != found->role) return Status::Invalid("role: you cannot change your own role");
  YQ_RETURN_IF_ERROR(conn->users->UpdateUser(u));
  if (u.disabled && !found->disabled) YQ_RETURN_IF_ERROR(conn->users->RemoveSessionsOf(u.id));
  YQ_ASSIGN_OR_RETURN(auto saved, conn->users->GetUser(u.id));
  if (!saved) return Status::NotFound("no user " + name);
  c.Audit(u.disabled != found->disabled ? (u.disabled ? "user.disable" : "user.enable") : "user.update", "user:" + name,
          {{"before", {{"role", found->role}, {"departments", found->departments}, {"disabled", found->disabled}}},
           {"after", {{"role", u.role}, {"departments", u.departments}, {"disabled", u.disabled}}}});
  return Reply(UserToJson(*saved));
}

Result<Reply> ResetPasswordHandler(Ctx& c) {
  json body = json::object();
  if (!c.req.body.empty()) {
    YQ_ASSIGN_OR_RETURN(body, c.JsonBody());
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  const std::string name = c.PathParam(0);
  YQ_ASSIGN_OR_RETURN(auto u, conn->users->FindUser(name));
  if (!u) return Status::NotFound("no user " + name);
  bool generated = !body.contains("password");
  std::string password = generated ? RandomPassword() : body["password"].get<std::string>();
  if (password.size() < 10) return Status::Invalid("password: at least 10 bytes");
  c.state.password_slots.acquire();
  auto hash = HashPassword(password);
  c.state.password_slots.release();
  if (!hash.ok()) return hash.status();
  // The admin knows this password too: its owner must change it at the next login (not when an
  // admin resets their own).
  const bool must_change = u->name != c.who.name;
  YQ_RETURN_IF_ERROR(conn->users->SetPassword(u->id, *hash, must_change));
  // Whoever knew the old password is logged out everywhere.
  YQ_RETURN_IF_ERROR(conn->users->RemoveSessionsOf(u->id));
  c.Audit("user.password.reset", "user:" + name, {{"generated", generated}, {"must_change", must_change}});
  return Reply(json{{"user", name}, {"password", generated ? json(password) : json(nullptr)}});
}

Result<Reply> CreateToken(Ctx& c) {
  json body = json::object();
  if (!c.req.body.empty()) {
    YQ_ASSIGN_OR_RETURN(body, c.JsonBody());
    if (!body.is_object()) return Status::Invalid("send {\"name\"?, \"user\"?}");
  }
  std::string name = body.value("name", std::string());
  std::string for_user = body.value("user", c.who.name);
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  int64_t user_id = c.who.user_id;
  if (for_user != c.who.name) {
    if (!c.who.admin()) return Status::Permission("only admins create tokens for other users");
    YQ_ASSIGN_OR_RETURN(auto u, conn->users->FindUser(for_user));
    if (!u) return Status::NotFound("no user " + for_user);
    user_id = u->id;
  }
  ApiToken t;
  std::string token = NewApiToken();
  t.user_id = user_id;
  t.name = name;
  t.token_hash = TokenDigest(token);
  t.created_at = c.now();
  YQ_ASSIGN_OR_RETURN(int64_t id, conn->users->AddToken(t));
  c.Audit("token.add", "user:" + for_user, {{"token_id", id}, {"name", name}});
  Reply r(nlohmann::json{{"id", id}, {"user", for_user}, {"name", name}, {"token", token}});
  r.status = 201;
  return r;
}

Result<Reply> ListAudit(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(int64_t limit, IntParam(c, "limit", 100, 1000));
  int64_t before = 0;
  if (auto v = c.Param("before"); !v.empty()) {
    YQ_ASSIGN_OR_RETURN(before, IdFrom(v, "audit entry"));
  }
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto entries, conn->users->ListAudit(static_cast<size_t>(limit), before, c.Param("actor"), c.Param("action")));
  json items = json::array();
  for (const auto& e : entries) items.push_back(AuditToJson(e));
  json next = entries.size() == static_cast<size_t>(limit) && !entries.empty() ? json(std::to_string(entries.back().id)) : json(nullptr);
  return Reply(nlohmann::json{{"items", std::move(items)}, {"next_cursor", next}});
}

}  // namespace yuqing::server

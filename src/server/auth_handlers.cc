// POST /api/v1/auth/login, /logout, GET /api/v1/auth/me, and request authentication.
#include <spdlog/spdlog.h>

#include "core/user.h"
#include "server/handlers.h"

namespace yuqing::server {
namespace {

constexpr const char* kCookie = "yuqing_session";

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    size_t a = part.find_first_not_of(' ');
    if (a != std::string::npos) part = part.substr(a);
    if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 && part[name.size()] == '=')
      return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

Status FillPrincipal(Ctx& c, const User& u) {
  if (u.disabled) return Status::Unauthenticated("this account is disabled");
  c.who.user_id = u.id;
  c.who.name = u.name;
  c.who.role = u.role;
  c.who.departments = u.departments;
  c.who.must_change_password = u.must_change_password;
  return Status::Ok();
}

// Routes a user who still has a one-time password may call: everything else answers 403 until
// the password is changed, so the password printed to a terminal at first start stops working
// as soon as it has been used once.
bool AllowedBeforePasswordChange(const std::string& path) {
  return path == "/api/v1/auth/me" || path == "/api/v1/auth/logout" || path == "/api/v1/auth/password";
}

// The shortest password accepted when one is chosen (generated ones are longer).
constexpr size_t kMinPasswordBytes = 10;

Reply TooMany(Ctx& c, const std::string& message) {
  Reply r;
  r.status = 429;
  int retry = static_cast<int>(c.state.opts.login_window / kSecond);
  r.body = ErrorBody(TooManyRequests(message, retry));
  r.headers.emplace_back("Retry-After", std::to_string(retry));
  return r;
}

nlohmann::json UserJson(const Principal& p) {
  return {{"name", p.name}, {"role", p.role}, {"departments", p.departments},
          {"must_change_password", p.must_change_password}};
}

std::string SessionCookie(const State& s, const std::string& value, int64_t max_age_s) {
  std::string c = std::string(kCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                  std::to_string(max_age_s);
  if (s.opts.secure_cookies) c += "; Secure";
  return c;
}

}  // namespace

Status Authenticate(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  const std::string auth = c.req.get_header_value("Authorization");
  if (!auth.empty()) {
    if (auth.rfind("Bearer ", 0) != 0 || auth.size() > 256)
      return Status::Unauthenticated("Authorization must be 'Bearer <token>'");
    YQ_ASSIGN_OR_RETURN(auto tok, conn->users->FindToken(TokenDigest(auth.substr(7)), c.now()));
    if (!tok) return Status::Unauthenticated("unknown or revoked API token");
    YQ_ASSIGN_OR_RETURN(auto user, conn->users->GetUser(tok->user_id));
    if (!user) return Status::Unauthenticated("the token's user no longer exists");
    return FillPrincipal(c, *user);
  }
  const std::string cookie = CookieValue(c.req, kCookie);
  if (cookie.empty() || cookie.size() > 256) return Status::Unauthenticated("log in first (POST /api/v1/auth/login)");
  std::string digest = TokenDigest(cookie);
  YQ_ASSIGN_OR_RETURN(auto session, conn->users->FindSession(digest, c.now()));
  if (!session) return Status::Unauthenticated("the session has expired; log in again");
  YQ_ASSIGN_OR_RETURN(auto user, conn->users->GetUser(session->user_id));
  if (!user) return Status::Unauthenticated("the session's user no longer exists");
  YQ_RETURN_IF_ERROR(FillPrincipal(c, *user));
  c.who.via_cookie = true;
  c.who.csrf_token = session->csrf_token;
  c.who.session_digest = digest;
  if (c.who.must_change_password && !AllowedBeforePasswordChange(c.req.path))
    return Status::Permission(kPasswordChangeRequired);
  return Status::Ok();
}

Result<Reply> Login(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto body, c.JsonBody());
  if (!body.is_object() || !body.contains("username") || !body["username"].is_string() ||
      !body.contains("password") || !body["password"].is_string())
    return Status::Invalid("send {\"username\": \"...\", \"password\": \"...\"}");
  std::string name = body["username"].get<std::string>();
  std::string password = body["password"].get<std::string>();
  if (name.size() > kMaxUserNameBytes || password.size() > 1024) return Status::Invalid("user name or password too long");
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  TimeMs now = c.now();
  const TimeMs since = now - c.state.opts.login_window;
  YQ_ASSIGN_OR_RETURN(int64_t failures, conn->users->RecentFailures(name, c.ip, since));
  if (failures >= c.state.opts.login_max_failures) {
    c.Audit("auth.login.blocked", "user:" + name);
    return TooMany(c, "too many failed logins for this user from this address; try again later");
  }
  YQ_ASSIGN_OR_RETURN(int64_t from_address, conn->users->RecentFailuresFrom(c.ip, since));
  if (from_address >= c.state.opts.login_max_failures_per_address) {
    c.Audit("auth.login.blocked", "ip:" + c.ip);
    return TooMany(c, "too many failed logins from this address; try again later");
  }
  YQ_ASSIGN_OR_RETURN(auto user, conn->users->FindUser(name));
  bool ok;
  {
    c.state.password_slots.acquire();
    // Unknown users cost the same hashing time as known ones, so timing does not reveal names.
    ok = VerifyPassword(password, user && !user->password_hash.empty() ? user->password_hash : c.state.dummy_hash);
    c.state.password_slots.release();
  }
  ok = ok && user && !user->password_hash.empty() && !user->disabled;
  YQ_RETURN_IF_ERROR(conn->users->RecordLoginAttempt(name, c.ip, ok, now));
  if (!ok) {
    c.Audit("auth.login.failed", "user:" + name);
    return Status::Unauthenticated("wrong user name or password");
  }
  YQ_RETURN_IF_ERROR(FillPrincipal(c, *user));
  std::string token = RandomHex(32);
  Session s;
  s.token_hash = TokenDigest(token);
  s.user_id = user->id;
  s.csrf_token = RandomHex(16);
  s.created_at = now;
  s.expires_at = now + c.state.opts.session_ttl;
  YQ_RETURN_IF_ERROR(conn->users->AddSession(s));
  (void)conn->users->PurgeExpiredSessions(now);
  c.Audit("auth.login", "user:" + name);
  Reply r(nlohmann::json{{"user", UserJson(c.who)}, {"csrf_token", s.csrf_token},
                         {"must_change_password", c.who.must_change_password}});
  r.headers.emplace_back("Set-Cookie", SessionCookie(c.state, token, c.state.opts.session_ttl / kSecond));
  return r;
}

Result<Reply> ChangePassword(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(auto body, c.JsonBody());
  if (!body.is_object() || !body.contains("current") || !body["current"].is_string())
    return Status::Invalid("current: send the current password as a string");
  if (!body.contains("new") || !body["new"].is_string()) return Status::Invalid("new: send the new password as a string");
  const std::string current = body["current"].get<std::string>();
  const std::string fresh = body["new"].get<std::string>();
  if (fresh.size() < kMinPasswordBytes || fresh.size() > 1024)
    return Status::Invalid("new: the password must be " + std::to_string(kMinPasswordBytes) + "-1024 bytes");
  if (fresh == current) return Status::Invalid("new: choose a password different from the current one");
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  YQ_ASSIGN_OR_RETURN(auto user, conn->users->GetUser(c.who.user_id));
  if (!user) return Status::Unauthenticated("the session's user no longer exists");
  TimeMs now = c.now();
  YQ_ASSIGN_OR_RETURN(int64_t failures, conn->users->RecentFailures(user->name, c.ip, now - c.state.opts.login_window));
  if (failures >= c.state.opts.login_max_failures)
    return TooMany(c, "too many wrong passwords for this user from this address; try again later");
  bool ok;
  {
    c.state.password_slots.acquire();
    ok = !user->password_hash.empty() && VerifyPassword(current, user->password_hash);
    c.state.password_slots.release();
  }
  if (!ok) {
    YQ_RETURN_IF_ERROR(conn->users->RecordLoginAttempt(user->name, c.ip, false, now));
    c.Audit("auth.password.failed", "user:" + user->name);
    return Status::Permission("current: the current password is wrong");
  }
  YQ_ASSIGN_OR_RETURN(std::string hash, HashPassword(fresh));
  YQ_RETURN_IF_ERROR(conn->users->SetPassword(user->id, hash));
  c.Audit("auth.password", "user:" + user->name);
  c.who.must_change_password = false;
  return Reply(nlohmann::json{{"ok", true}, {"user", UserJson(c.who)}});
}

Result<Reply> Logout(Ctx& c) {
  YQ_ASSIGN_OR_RETURN(Conn * conn, c.conn());
  if (!c.who.session_digest.empty()) YQ_RETURN_IF_ERROR(conn->users->RemoveSession(c.who.session_digest));
  c.Audit("auth.logout", "user:" + c.who.name);
  Reply r(nlohmann::json{{"ok", true}});
  r.headers.emplace_back("Set-Cookie", SessionCookie(c.state, "", 0));
  return r;
}

Result<Reply> Me(Ctx& c) {
  return Reply(nlohmann::json{{"user", UserJson(c.who)},
                {"csrf_token", c.who.via_cookie ? nlohmann::json(c.who.csrf_token) : nlohmann::json(nullptr)}});
}

Result<std::string> EnsureAdminUser(State& s) {
  YQ_ASSIGN_OR_RETURN(auto lease, s.pool.Acquire());
  YQ_ASSIGN_OR_RETURN(int64_t n, lease->users->CountUsers());
  if (n > 0) return std::string();
  std::string password = RandomPassword();
  YQ_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  User u;
  u.name = "admin";
  u.role = "admin";
  u.password_hash = hash;
  u.must_change_password = true;  // printed to a terminal: good for one login only
  TimeMs now = s.services.clock().Now();
  YQ_ASSIGN_OR_RETURN(int64_t id, lease->users->AddUser(u, now));
  AuditEntry e;
  e.at = now;
  e.actor = "system";
  e.action = "user.add";
  e.target = "user:admin";
  e.detail = {{"id", id}, {"role", "admin"}, {"reason", "first start"}};
  YQ_RETURN_IF_ERROR(lease->users->Audit(e).status());
  return password;
}

}  // namespace yuqing::server

// Users, sessions, API tokens, login attempts and the audit log (component "users").
// A UserStore wraps one Database connection (one thread at a time). It holds no secrets in the
// clear: callers pass password hashes (argon2id strings) and token hashes (hex digests); hashing
// and token generation live in server/auth.h, so the store needs no crypto.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

// Roles, from most to least powerful. admin: everything; analyst: schemes, sentiment
// corrections, ingest; responder: acknowledges alerts, works incidents; viewer: reads.
inline constexpr const char* kRoles[] = {"admin", "analyst", "responder", "viewer"};
bool IsValidRole(const std::string& role);

struct User {
  int64_t id = 0;
  std::string name;
  std::string role;
  std::vector<std::string> departments;
  std::string password_hash;  // "" when the user can only use API tokens
  bool disabled = false;
  TimeMs created_at = 0;
  bool must_change_password = false;  // a one-time password: only /auth/password until changed
};

struct Session {
  std::string token_hash;
  int64_t user_id = 0;
  std::string csrf_token;
  TimeMs created_at = 0;
  TimeMs expires_at = 0;
};

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string token_hash;
  TimeMs created_at = 0;
  TimeMs last_used = 0;
  bool revoked = false;
};

struct AuditEntry {
  int64_t id = 0;
  TimeMs at = 0;
  std::string actor;   // user name, or "system"
  std::string action;  // e.g. user.add, scheme.update, alert.ack, auth.login
  std::string target;  // what it applies to ("scheme:3", "user:li")
  std::string ip;
  nlohmann::json detail = nlohmann::json::object();
};

// Bounds on stored text.
inline constexpr size_t kMaxUserNameBytes = 64;
inline constexpr size_t kMaxDepartments = 32;
inline constexpr size_t kMaxDepartmentBytes = 128;
inline constexpr size_t kMaxAuditDetailBytes = 16 * 1024;

class UserStore {
 public:
  // Creates or migrates the tables.
  static Result<std::unique_ptr<UserStore>> Open(Database& db);

  // Inserts a user and returns its id. Invalid for a bad name/role/department, Conflict when the
  // name is taken. Names: 1..64 bytes of letters, digits, '.', '_', '-' (any script).
  Result<int64_t> AddUser(const User& u, TimeMs now);
  // Replaces role, departments and disabled of user u.id (NotFound when absent).
  Status UpdateUser(const User& u);
  // Sets must_change_password to `must_change`: true after an admin resets someone's password
  // (only they should know their password), false when they change it themselves.
  Status SetPassword(int64_t user_id, const std::string& password_hash, bool must_change = false);
  Result<std::optional<User>> GetUser(int64_t id);
  Result<std::optional<User>> FindUser(const std::string& name);
  Result<std::vector<User>> ListUsers();
  Result<int64_t> CountUsers();

  // Sessions are keyed by the hash of their token. Expired sessions are not returned.
  Status AddSession(const Session& s);
  Result<std::optional<Session>> FindSession(const std::string& token_hash, TimeMs now);
  Status RemoveSession(const std::string& token_hash);
  Status RemoveSessionsOf(int64_t user_id);
  Status PurgeExpiredSessions(TimeMs now);

  Result<int64_t> AddToken(const ApiToken& t);
  // Not revoked. Updates last_used to `now` (at most every 10 minutes, to spare the writer;
  // best effort: a failed update does not fail the lookup).
  Result<std::optional<ApiToken>> FindToken(const std::string& token_hash, TimeMs now);
  Result<std::vector<ApiToken>> ListTokens(int64_t user_id);
  Status RevokeToken(int64_t token_id);

  // Login attempts, for rate limiting by user name and client address.
  Status RecordLoginAttempt(const std::string& name, const std::string& ip, bool ok, TimeMs at);
  // Failed attempts for (name, ip) since `since` and after the last successful one.
  Result<int64_t> RecentFailures(const std::string& name, const std::string& ip, TimeMs since);
  // Failed attempts from ip since `since`, whatever the user name (password spraying); a success
  // does not reset it.
  Result<int64_t> RecentFailuresFrom(const std::string& ip, TimeMs since);

  // Appends to the audit log (the detail is truncated to kMaxAuditDetailBytes as text).
  Result<int64_t> Audit(const AuditEntry& e);
  // Newest first; before_id = 0 starts from the newest; actor/action "" match all.
  Result<std::vector<AuditEntry>> ListAudit(size_t limit, int64_t before_id = 0,
                                           const std::string& actor = "", const std::string& action = "");

 private:
  explicit UserStore(Database& db) : db_(db) {}
  Database& db_;
};

nlohmann::json UserToJson(const User& u);  // no password hash
nlohmann::json AuditToJson(const AuditEntry& e);

}  // namespace yuqing::store

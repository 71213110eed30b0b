// Users, sessions, API tokens, login attempts and the audit log (component "users"), on either
// backend (store/sqlite/user_store.cc, store/postgres/user_store.cc). A UserStore borrows one
// session (one thread at a time). It holds no secrets in the
// clear: callers pass password hashes (argon2id strings) and token hashes (hex digests); hashing
// and token generation live in server/auth.h, so the store needs no crypto.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "core/user.h"
#include "store/database.h"

namespace yuqing::store {

// The domain types are core/user.h's; these names stay for the store's callers.
using User = ::yuqing::User;
using Session = ::yuqing::Session;
using ApiToken = ::yuqing::ApiToken;
using AuditEntry = ::yuqing::AuditEntry;

class UserStore {
 public:
  // Creates or migrates the tables.
  static Result<std::unique_ptr<UserStore>> Open(Database& db);
  virtual ~UserStore() = default;

  // Inserts a user and returns its id. Invalid for a bad name/role/department, Conflict when the
  // name is taken. Names: 1..64 bytes of letters, digits, '.', '_', '-' (any script).
  virtual Result<int64_t> AddUser(const User& u, TimeMs now) = 0;
  // Replaces role, departments and disabled of user u.id (NotFound when absent).
  virtual Status UpdateUser(const User& u) = 0;
  // Sets must_change_password to `must_change`: true after an admin resets someone's password
  // (only they should know their password), false when they change it themselves.
  virtual Status SetPassword(int64_t user_id, const std::string& password_hash, bool must_change = false) = 0;
  virtual Result<std::optional<User>> GetUser(int64_t id) = 0;
  virtual Result<std::optional<User>> FindUser(const std::string& name) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Result<int64_t> CountUsers() = 0;

  // Sessions are keyed by the hash of their token. Expired sessions are not returned.
  virtual Status AddSession(const Session& s) = 0;
  virtual Result<std::optional<Session>> FindSession(const std::string& token_hash, TimeMs now) = 0;
  virtual Status RemoveSession(const std::string& token_hash) = 0;
  virtual Status RemoveSessionsOf(int64_t user_id) = 0;
  virtual Status PurgeExpiredSessions(TimeMs now) = 0;

  virtual Result<int64_t> AddToken(const ApiToken& t) = 0;
  // Not revoked. Updates last_used to `now` (at most every 10 minutes, to spare the writer;
  // best effort: a failed update does not fail the lookup).
  virtual Result<std::optional<ApiToken>> FindToken(const std::string& token_hash, TimeMs now) = 0;
  virtual Result<std::vector<ApiToken>> ListTokens(int64_t user_id) = 0;
  virtual Status RevokeToken(int64_t token_id) = 0;

  // Login attempts, for rate limiting by user name and client address.
  virtual Status RecordLoginAttempt(const std::string& name, const std::string& ip, bool ok, TimeMs at) = 0;
  // Failed attempts for (name, ip) since `since` and after the last successful one.
  virtual Result<int64_t> RecentFailures(const std::string& name, const std::string& ip, TimeMs since) = 0;
  // Failed attempts from ip since `since`, whatever the user name (password spraying); a success
  // does not reset it.
  virtual Result<int64_t> RecentFailuresFrom(const std::string& ip, TimeMs since) = 0;

  // Appends to the audit log (the detail is truncated to kMaxAuditDetailBytes as text).
  virtual Result<int64_t> Audit(const AuditEntry& e) = 0;
  // Newest first; before_id = 0 starts from the newest; actor/action "" match all.
  virtual Result<std::vector<AuditEntry>> ListAudit(size_t limit, int64_t before_id = 0,
                                           const std::string& actor = "", const std::string& action = "") = 0;
};

}  // namespace yuqing::store

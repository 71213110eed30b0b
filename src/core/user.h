// Users, their sessions and API tokens, and the audit log: who may do what (roles, departments)
// and who did what. Plain data; the store keeps them (store/user_store.h) holding no secrets in
// the clear (password and token hashes only), server/auth.h hashes and checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace yuqing {

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

// Bounds on stored text (UserStore enforces them).
inline constexpr size_t kMaxUserNameBytes = 64;
inline constexpr size_t kMaxDepartments = 32;
inline constexpr size_t kMaxDepartmentBytes = 128;
inline constexpr size_t kMaxAuditDetailBytes = 16 * 1024;

}  // namespace yuqing

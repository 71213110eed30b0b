// Internal to the user store's backends (store/sqlite/user_store.cc, store/postgres/user_store.cc):
// validation, the columns they read and how a row decodes. Not for use outside src/store/.
#pragma once

#include <nlohmann/json.hpp>

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/user.h"

namespace yuqing::store::user_rows {

inline constexpr const char* kUserCols =
    "id, name, role, departments, password_hash, disabled, created_at, must_change_password";
inline constexpr const char* kTokenCols = "id, user_id, name, token_hash, created_at, last_used, revoked";
inline constexpr const char* kSessionCols = "token_hash, user_id, csrf_token, created_at, expires_at";
inline constexpr const char* kAuditCols = "id, at, actor, action, target, ip, detail";

inline std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline bool ValidName(const std::string& n) {
  if (n.empty() || n.size() > kMaxUserNameBytes) return false;
  for (unsigned char c : n) {
    if (c >= 0x80) continue;  // letters of other scripts (UTF-8 sequences)
    if (!(std::isalnum(c) || c == '.' || c == '_' || c == '-')) return false;
  }
  return true;
}

inline Status CheckUser(const User& u) {
  if (!ValidName(u.name))
    return Status::Invalid("user name must be 1-64 bytes of letters, digits, '.', '_' or '-'");
  if (!IsValidRole(u.role)) return Status::Invalid("role must be admin, analyst, responder or viewer");
  if (u.departments.size() > kMaxDepartments) return Status::Invalid("too many departments");
  for (const auto& d : u.departments) {
    if (d.empty() || d.size() > kMaxDepartmentBytes) return Status::Invalid("department names are 1-128 bytes");
  }
  return Status::Ok();
}

inline std::vector<std::string> ParseList(std::string_view text) {
  std::vector<std::string> out;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (e.is_string()) out.push_back(e.get<std::string>());
  }
  return out;
}

// The audit detail as stored: JSON text of at most kMaxAuditDetailBytes.
inline std::string AuditDetail(const AuditEntry& e) {
  std::string detail = Dump(e.detail.is_null() ? nlohmann::json::object() : e.detail);
  if (detail.size() > kMaxAuditDetailBytes)
    detail = Dump(nlohmann::json{{"truncated", detail.substr(0, kMaxAuditDetailBytes - 64)}});
  return detail;
}

// Rows are a SQLite statement or a PostgreSQL row (Int, Text, TextView).
template <class Row>
User ReadUser(const Row& r) {
  User u;
  u.id = r.Int(0);
  u.name = r.Text(1);
  u.role = r.Text(2);
  u.departments = ParseList(r.TextView(3));
  u.password_hash = r.Text(4);
  u.disabled = r.Int(5) != 0;
  u.created_at = r.Int(6);
  u.must_change_password = r.Int(7) != 0;
  return u;
}

template <class Row>
ApiToken ReadToken(const Row& r) {
  ApiToken t;
  t.id = r.Int(0);
  t.user_id = r.Int(1);
  t.name = r.Text(2);
  t.token_hash = r.Text(3);
  t.created_at = r.Int(4);
  t.last_used = r.Int(5);
  t.revoked = r.Int(6) != 0;
  return t;
}

template <class Row>
Session ReadSession(const Row& r) {
  Session s;
  s.token_hash = r.Text(0);
  s.user_id = r.Int(1);
  s.csrf_token = r.Text(2);
  s.created_at = r.Int(3);
  s.expires_at = r.Int(4);
  return s;
}

template <class Row>
AuditEntry ReadAudit(const Row& r) {
  AuditEntry e;
  e.id = r.Int(0);
  e.at = r.Int(1);
  e.actor = r.Text(2);
  e.action = r.Text(3);
  e.target = r.Text(4);
  e.ip = r.Text(5);
  e.detail = nlohmann::json::parse(r.TextView(6), nullptr, false);
  if (e.detail.is_discarded()) e.detail = nlohmann::json::object();
  return e;
}

}  // namespace yuqing::store::user_rows

// Credentials: argon2id password hashes, random tokens and their stored digests (libsodium),
// and the authenticated principal with its role checks. Pure functions plus one value type;
// nothing here touches the store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::server {

// Hashes a password with argon2id (crypto_pwhash_str, interactive limits). Invalid when the
// password is shorter than 8 or longer than 1024 bytes; Internal when libsodium fails (memory).
Result<std::string> HashPassword(std::string_view password);
// True when `password` matches the argon2id string. False for an empty or malformed hash.
bool VerifyPassword(std::string_view password, const std::string& hash);

// `bytes` random bytes as lowercase hex (2 * bytes characters), from the OS CSPRNG.
std::string RandomHex(size_t bytes);
// A human-typable random password (20 characters from an unambiguous alphabet).
std::string RandomPassword();
// The digest stored for a session or API token (BLAKE2b-256, hex). Tokens themselves are never
// stored.
std::string TokenDigest(std::string_view token);
// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// Prefix that marks API tokens ("yq_" + 48 hex digits), so a leaked token is recognisable.
inline constexpr const char* kApiTokenPrefix = "yq_";
std::string NewApiToken();

// Roles as bits, so a route can allow any set of them.
enum Role : uint8_t { kAdmin = 1, kAnalyst = 2, kResponder = 4, kViewer = 8 };
using RoleSet = uint8_t;
inline constexpr RoleSet kAnyRole = kAdmin | kAnalyst | kResponder | kViewer;
// 0 for an unknown name.
Role RoleFromName(std::string_view name);

// Who is making a request.
struct Principal {
  int64_t user_id = 0;
  std::string name;
  std::string role;  // admin | analyst | responder | viewer
  std::vector<std::string> departments;
  bool via_cookie = false;  // cookie sessions must send the CSRF token on changes
  std::string csrf_token;   // the session's (cookie auth only)
  std::string session_digest;
  bool must_change_password = false;  // logged in with a one-time password

  bool authenticated() const { return user_id != 0; }
  bool admin() const { return role == "admin"; }
  bool Has(RoleSet roles) const { return (RoleFromName(role) & roles) != 0; }
  // True when the principal belongs to one of `departments` (admins belong to all).
  bool InAnyDepartment(const std::vector<std::string>& departments) const;
};

}  // namespace yuqing::server

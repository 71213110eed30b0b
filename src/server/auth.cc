#include "server/auth.h"

#include <sodium.h>

#include <algorithm>

namespace yuqing::server {
namespace {

bool SodiumReady() {
  // sodium_init is idempotent and thread-safe; it returns 1 when already initialised.
  return sodium_init() >= 0;
}

std::string Hex(const unsigned char* data, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.resize(n * 2);
  return out;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  if (password.size() < 8) return Status::Invalid("password must be at least 8 characters");
  if (password.size() > 1024) return Status::Invalid("password must be at most 1024 bytes");
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return Status::Internal("password hashing ran out of memory");
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES || password.size() > 1024) return false;
  if (!SodiumReady()) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string RandomHex(size_t bytes) {
  SodiumReady();
  std::string buf(bytes, '\0');
  randombytes_buf(buf.data(), bytes);
  return Hex(reinterpret_cast<const unsigned char*>(buf.data()), bytes);
}

std::string RandomPassword() {
  SodiumReady();
  static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 20; ++i) out.push_back(kAlphabet[randombytes_uniform(sizeof(kAlphabet) - 1)]);
  return out;
}

std::string TokenDigest(std::string_view token) {
  SodiumReady();
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  return Hex(out, sizeof out);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string NewApiToken() { return kApiTokenPrefix + RandomHex(24); }

Role RoleFromName(std::string_view name) {
  if (name == "admin") return kAdmin;
  if (name == "analyst") return kAnalyst;
  if (name == "responder") return kResponder;
  if (name == "viewer") return kViewer;
  return static_cast<Role>(0);
}

bool Principal::InAnyDepartment(const std::vector<std::string>& deps) const {
  if (admin()) return true;
  return std::any_of(deps.begin(), deps.end(), [&](const std::string& d) {
    return std::find(departments.begin(), departments.end(), d) != departments.end();
  });
}

}  // namespace yuqing::server

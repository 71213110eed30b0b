#include "notify/signing.h"

#include <sodium.h>

namespace yuqing::notify {

std::string HmacSha256(std::string_view key, std::string_view message) {
  // sodium_init is idempotent and thread-safe; the HMAC itself needs no initialisation, but the
  // library asks to be initialised before use.
  (void)sodium_init();
  crypto_auth_hmacsha256_state st;
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&st, out);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string Hex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  out.pop_back();
  return out;
}

std::string Base64(std::string_view bytes) {
  const int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    variant);
  out.resize(out.find('\0') == std::string::npos ? out.size() : out.find('\0'));
  return out;
}

std::string UrlEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string WebhookSignature(std::string_view secret, std::string_view ts, std::string_view body) {
  std::string msg;
  msg.reserve(ts.size() + 1 + body.size());
  msg.append(ts).append(".").append(body);
  return "sha256=" + Hex(HmacSha256(secret, msg));
}

std::string DingTalkSign(std::string_view secret, std::string_view ts_ms) {
  std::string msg = std::string(ts_ms) + "\n" + std::string(secret);
  return UrlEncode(Base64(HmacSha256(secret, msg)));
}

std::string FeishuSign(std::string_view secret, std::string_view ts_s) {
  std::string key = std::string(ts_s) + "\n" + std::string(secret);
  return Base64(HmacSha256(key, ""));
}

}  // namespace yuqing::notify

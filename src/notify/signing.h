// Signatures the channels need, all HMAC-SHA256 through libsodium (no hand-written crypto).
#pragma once

#include <string>
#include <string_view>

namespace yuqing::notify {

// HMAC-SHA256(key, message) as 32 raw bytes.
std::string HmacSha256(std::string_view key, std::string_view message);
std::string Hex(std::string_view bytes);
std::string Base64(std::string_view bytes);  // standard alphabet, padded
std::string UrlEncode(std::string_view s);    // RFC 3986 unreserved kept

// Generic webhook: header X-Yuqing-Signature = "sha256=" + hex(HMAC(secret, timestamp + "." + body)),
// with X-Yuqing-Timestamp = timestamp (Unix seconds).
std::string WebhookSignature(std::string_view secret, std::string_view timestamp_s, std::string_view body);

// DingTalk robot (加签): sign = urlencode(base64(HMAC-SHA256(secret, timestamp_ms + "\n" + secret))),
// sent as &timestamp=...&sign=... on the webhook URL.
std::string DingTalkSign(std::string_view secret, std::string_view timestamp_ms);

// Feishu robot (签名校验): sign = base64(HMAC-SHA256(key = timestamp_s + "\n" + secret, message = "")),
// sent in the JSON body beside "timestamp".
std::string FeishuSign(std::string_view secret, std::string_view timestamp_s);

}  // namespace yuqing::notify

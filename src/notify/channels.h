// The delivery channels: generic webhook (JSON + HMAC-SHA256 signature header), WeCom group robot,
// DingTalk robot (signed URL), Feishu robot (signed body) and e-mail over SMTP, all through
// libcurl. Each outbox entry carries its payload ({idempotency_key, kind, title, text, alert});
// the channel shapes it the way the receiver expects and always keeps the idempotency key in it.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/outbox_store.h"

namespace yuqing::notify {

// The channels a contact may use.
bool IsChannel(const std::string& name);
// Checks a target for its channel (http(s) URL, or an e-mail address). kInvalid with the reason.
Status ValidateTarget(const std::string& channel, const std::string& target);

struct SmtpSettings {
  std::string url;       // smtp://host:port or smtps://host:port
  std::string from;      // envelope and header sender
  std::string user, password;
};

struct SendOptions {
  TimeMs timeout = 10 * kSecond;         // whole request
  TimeMs connect_timeout = 3 * kSecond;
};

struct SendResult {
  bool ok = false;
  int status_code = 0;   // HTTP status, or SMTP response code
  std::string error;     // why it failed ("" when ok)
};

struct HttpRequest {
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

// The HTTP request for a webhook/wecom/dingtalk/feishu entry at time `now` (wall clock, for the
// signatures' timestamps). kInvalid for other channels or a payload that is not JSON.
Result<HttpRequest> BuildHttpRequest(const store::OutboxEntry& e, TimeMs now);
// The RFC 5322 message for an e-mail entry (UTF-8 subject encoded, base64 body, Message-ID from
// the idempotency key). A payload with "attachment": {"path", "name", "mime"} (a scheduled
// report) becomes multipart/mixed with that file (read now, at most 20 MiB; when it cannot be
// read the text says so and the mail goes without it).
std::string BuildEmail(const store::OutboxEntry& e, const SmtpSettings& s, TimeMs now);
// Judges a robot's answer: HTTP 2xx and, when the body is JSON with errcode/code/StatusCode, 0.
SendResult JudgeHttp(const std::string& channel, long http_status, const std::string& body);

// Delivers one entry (blocking, bounded by the options' timeouts). Thread-safe.
SendResult Send(const store::OutboxEntry& e, const SmtpSettings& smtp, const SendOptions& o, TimeMs now);

}  // namespace yuqing::notify

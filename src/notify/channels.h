// The delivery channels: generic webhook (JSON + HMAC-SHA256 signature header), WeCom group robot,
// DingTalk robot (signed URL), Feishu robot (signed body) and e-mail over SMTP, all through
// libcurl. Each outbox entry carries its payload ({idempotency_key, kind, title, text, alert});
// the channel shapes it the way the receiver expects and always keeps the idempotency key in it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/outbox_store.h"

namespace yuqing::notify {

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

// What one delivery hands to libcurl: an HTTP POST, or an e-mail message for an SMTP server.
struct Delivery {
  enum class Transport { kHttp, kSmtp };
  Transport transport = Transport::kHttp;
  // kHttp: the request as sent. kSmtp: url is the SMTP server and body the RFC 5322 message.
  HttpRequest request;
  std::string mail_from, mail_to;  // kSmtp: envelope sender and recipient (bare addresses)
  std::string user, password;      // kSmtp: the server's login, when it wants one
};

// A delivery channel: how its targets look, what it sends, how it reads the answer. Adding a
// channel is adding one entry to the table (channels.cc); everything below reads the table.
struct Channel {
  const char* name;
  Delivery::Transport transport;
  // Checks a target of this channel (its length is checked before). kInvalid with the reason.
  Status (*validate)(const std::string& target);
  // What to send for entry `e` at time `now` (wall clock, for the signatures' timestamps); smtp
  // is read by e-mail only. kInvalid when it cannot be sent (payload not JSON, no SMTP server).
  Result<Delivery> (*build)(const store::OutboxEntry& e, const SmtpSettings& smtp, TimeMs now);
  // Judges the answer to a delivery that reached the receiver (libcurl reported no error):
  // the HTTP status (SMTP reply code for e-mail) and up to 64 KiB of the body.
  SendResult (*judge)(std::string_view channel, long status, const std::string& body);
  const char* example;  // a target that validates (for help texts and tests)
};

// Every channel, in the order they are named to users.
std::span<const Channel> Channels();
// The channel named `name`; nullptr when there is none.
const Channel* FindChannel(std::string_view name);
// The channels' names for messages: "webhook, wecom, dingtalk, feishu or email".
std::string ChannelNames();
// The channels a contact may use.
bool IsChannel(const std::string& name);
// Checks a target for its channel (http(s) URL, or an e-mail address). kInvalid with the reason.
Status ValidateTarget(const std::string& channel, const std::string& target);

// The HTTP request for a webhook/wecom/dingtalk/feishu entry at time `now` (wall clock, for the
// signatures' timestamps). kInvalid for other channels or a payload that is not JSON.
Result<HttpRequest> BuildHttpRequest(const store::OutboxEntry& e, TimeMs now);
// The RFC 5322 message for an e-mail entry (UTF-8 subject encoded, base64 body, Message-ID from
// the idempotency key). A payload with "attachment": {"path", "name", "mime"} (a scheduled
// report) becomes multipart/mixed with that file (read now, at most 20 MiB; when it cannot be
// read the text says so and the mail goes without it).
std::string BuildEmail(const store::OutboxEntry& e, const SmtpSettings& s, TimeMs now);
// The channel's judgement of an answer (Channel::judge): HTTP 2xx and, for the robots, when the
// body is JSON with errcode/code/StatusCode, 0; e-mail takes any answer (libcurl fails a refused
// mail itself). An unknown channel is judged as a robot.
SendResult JudgeHttp(const std::string& channel, long http_status, const std::string& body);

// Delivers one entry (blocking, bounded by the options' timeouts): its channel's build, libcurl,
// its channel's judge. Thread-safe.
SendResult Send(const store::OutboxEntry& e, const SmtpSettings& smtp, const SendOptions& o, TimeMs now);

}  // namespace yuqing::notify

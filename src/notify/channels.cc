#include "notify/channels.h"

#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/json_guard.h"
#include "notify/signing.h"

namespace yuqing::notify {
namespace {

using nlohmann::json;

void InitCurlOnce() {
  static std::once_flag once;  // libcurl's global init must run once before any thread uses it
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t Collect(char* p, size_t size, size_t n, void* out) {
  auto* s = static_cast<std::string*>(out);
  if (s->size() < 64 * 1024) s->append(p, std::min(size * n, 64 * 1024 - s->size()));
  return size * n;
}

struct Upload {
  const std::string* data;
  size_t pos = 0;
};

size_t ReadUpload(char* p, size_t size, size_t n, void* in) {
  auto* u = static_cast<Upload*>(in);
  size_t k = std::min(size * n, u->data->size() - u->pos);
  std::memcpy(p, u->data->data() + u->pos, k);
  u->pos += k;
  return k;
}

std::string Rfc2822Date(TimeMs now) {
  std::time_t t = static_cast<std::time_t>(now / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string WrapBase64(const std::string& s) {
  std::string b = Base64(s), out;
  for (size_t i = 0; i < b.size(); i += 76) out += b.substr(i, 76) + "\r\n";
  return out;
}

// Strips CR/LF so header values cannot inject headers.
std::string HeaderSafe(std::string s) {
  for (char& c : s)
    if (c == '\r' || c == '\n') c = ' ';
  return s;
}

// ---------------------------------------------------------------- targets
Status ValidateUrl(const std::string& target) {
  if (target.rfind("http://", 0) != 0 && target.rfind("https://", 0) != 0)
    return Status::Invalid("target must be an http(s) URL: " + target);
  if (target.find_first_of(" \r\n") != std::string::npos) return Status::Invalid("URL contains spaces");
  return Status::Ok();
}

Status ValidateAddress(const std::string& target) {
  auto at = target.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= target.size() ||
      target.find_first_of(" \r\n<>,") != std::string::npos)
    return Status::Invalid("not an e-mail address: " + target);
  return Status::Ok();
}

// ---------------------------------------------------------------- requests
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// What every HTTP channel starts from: the parsed payload, the request with the common headers,
// the signatures' timestamps and the footer that keeps the idempotency key in a robot's text.
struct HttpStart {
  json payload;
  std::string title, text, ts_s, ts_ms, footer;
  Delivery delivery;
};

Result<HttpStart> StartHttp(const store::OutboxEntry& e, TimeMs now) {
  HttpStart h;
  h.payload = json::parse(e.payload, nullptr, false);
  if (!h.payload.is_object()) return Status::Invalid("outbox payload is not a JSON object");
  h.title = h.payload.value("title", std::string());
  h.text = h.payload.value("text", std::string());
  h.ts_s = std::to_string(now / 1000);
  h.ts_ms = std::to_string(now);
  h.footer = "\n\n> idempotency: " + e.idem_key;
  HttpRequest& r = h.delivery.request;
  r.url = e.target;
  r.headers = {"Content-Type: application/json; charset=utf-8", "Idempotency-Key: " + HeaderSafe(e.idem_key)};
  return h;
}

// The payload as it is, signed in a header when the contact has a secret.
Result<Delivery> BuildWebhook(const store::OutboxEntry& e, const SmtpSettings&, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(HttpStart h, StartHttp(e, now));
  HttpRequest& r = h.delivery.request;
  r.body = Dump(h.payload);
  r.headers.push_back("X-Yuqing-Timestamp: " + h.ts_s);
  r.headers.push_back("X-Yuqing-Idempotency-Key: " + HeaderSafe(e.idem_key));
  if (!e.secret.empty()) r.headers.push_back("X-Yuqing-Signature: " + WebhookSignature(e.secret, h.ts_s, r.body));
  return std::move(h.delivery);
}

// A WeCom group robot: markdown.
Result<Delivery> BuildWecom(const store::OutboxEntry& e, const SmtpSettings&, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(HttpStart h, StartHttp(e, now));
  h.delivery.request.body = Dump({{"msgtype", "markdown"}, {"markdown", {{"content", h.text + h.footer}}}});
  return std::move(h.delivery);
}

// A DingTalk robot: markdown; signed in the URL when the contact has a secret.
Result<Delivery> BuildDingtalk(const store::OutboxEntry& e, const SmtpSettings&, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(HttpStart h, StartHttp(e, now));
  HttpRequest& r = h.delivery.request;
  r.body = Dump({{"msgtype", "markdown"}, {"markdown", {{"title", h.title}, {"text", h.text + h.footer}}}});
  if (!e.secret.empty()) {
    r.url += (r.url.find('?') == std::string::npos ? "?" : "&");
    r.url += "timestamp=" + h.ts_ms + "&sign=" + DingTalkSign(e.secret, h.ts_ms);
  }
  return std::move(h.delivery);
}

// A Feishu robot: text; signed in the body when the contact has a secret.
Result<Delivery> BuildFeishu(const store::OutboxEntry& e, const SmtpSettings&, TimeMs now) {
  YQ_ASSIGN_OR_RETURN(HttpStart h, StartHttp(e, now));
  json b = {{"msg_type", "text"}, {"content", {{"text", h.title + "\n" + h.text + h.footer}}}};
  if (!e.secret.empty()) {
    b["timestamp"] = h.ts_s;
    b["sign"] = FeishuSign(e.secret, h.ts_s);
  }
  h.delivery.request.body = Dump(b);
  return std::move(h.delivery);
}

Result<Delivery> BuildMail(const store::OutboxEntry& e, const SmtpSettings& smtp, TimeMs now) {
  if (smtp.url.empty()) return Status::Invalid("no SMTP server configured (yuqing notify smtp --url ...)");
  Delivery d;
  d.transport = Delivery::Transport::kSmtp;
  d.request.url = smtp.url;
  d.request.body = BuildEmail(e, smtp, now);
  d.mail_from = smtp.from;
  d.mail_to = e.target;
  d.user = smtp.user;
  d.password = smtp.password;
  return d;
}

// ---------------------------------------------------------------- answers
SendResult JudgeStatus(long status, const std::string& body) {
  SendResult r;
  r.status_code = static_cast<int>(status);
  if (status < 200 || status >= 300) {
    r.error = "HTTP " + std::to_string(status) + (body.empty() ? "" : ": " + body.substr(0, 200));
    return r;
  }
  r.ok = true;
  return r;
}

SendResult JudgeWebhook(std::string_view, long status, const std::string& body) { return JudgeStatus(status, body); }

// A robot answers 200 to a refused message too, with an error code in its JSON.
SendResult JudgeRobot(std::string_view channel, long status, const std::string& body) {
  SendResult r = JudgeStatus(status, body);
  if (!r.ok) return r;
  auto parsed = ParseJson(body);
  const json j = parsed.ok() ? std::move(*parsed) : json();
  if (j.is_object()) {
    for (const char* k : {"errcode", "code", "StatusCode"}) {
      if (j.contains(k) && j[k].is_number_integer() && j[k].get<int64_t>() != 0) {
        r.ok = false;
        r.error = std::string(channel) + " refused: " + body.substr(0, 200);
        return r;
      }
    }
  }
  return r;
}

// libcurl fails the transfer on an SMTP error reply, so a mail that got an answer was accepted.
SendResult JudgeMail(std::string_view, long status, const std::string&) {
  SendResult r;
  r.ok = true;
  r.status_code = static_cast<int>(status);
  return r;
}

constexpr auto kHttp = Delivery::Transport::kHttp;
constexpr auto kSmtp = Delivery::Transport::kSmtp;

constexpr Channel kChannels[] = {
    {"webhook", kHttp, ValidateUrl, BuildWebhook, JudgeWebhook, "https://hooks.example.org/yuqing"},
    {"wecom", kHttp, ValidateUrl, BuildWecom, JudgeRobot, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY"},
    {"dingtalk", kHttp, ValidateUrl, BuildDingtalk, JudgeRobot, "https://oapi.dingtalk.com/robot/send?access_token=TOKEN"},
    {"feishu", kHttp, ValidateUrl, BuildFeishu, JudgeRobot, "https://open.feishu.cn/open-apis/bot/v2/hook/HOOK"},
    {"email", kSmtp, ValidateAddress, BuildMail, JudgeMail, "duty@example.org"},
};

}  // namespace

std::span<const Channel> Channels() { return kChannels; }

const Channel* FindChannel(std::string_view name) {
  for (const Channel& c : kChannels)
    if (name == c.name) return &c;
  return nullptr;
}

std::string ChannelNames() {
  std::string out;
  const size_t n = std::size(kChannels);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += i + 1 == n ? " or " : ", ";
    out += kChannels[i].name;
  }
  return out;
}

bool IsChannel(const std::string& c) { return FindChannel(c) != nullptr; }

Status ValidateTarget(const std::string& channel, const std::string& target) {
  const Channel* c = FindChannel(channel);
  if (!c) return Status::Invalid("channel must be " + ChannelNames());
  if (target.size() > 2000) return Status::Invalid("target too long");
  return c->validate(target);
}

Result<HttpRequest> BuildHttpRequest(const store::OutboxEntry& e, TimeMs now) {
  const Channel* c = FindChannel(e.channel);
  if (!c || c->transport != kHttp) return Status::Invalid("not an HTTP channel: " + e.channel);
  YQ_ASSIGN_OR_RETURN(Delivery d, c->build(e, SmtpSettings{}, now));
  return std::move(d.request);
}

// The largest file an e-mail carries (a report PDF is well below).
constexpr size_t kMaxAttachmentBytes = 20 << 20;

// RFC 5987 filename*: every byte outside [A-Za-z0-9._-] as %XX.
static std::string PercentEncode(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') out.push_back(static_cast<char>(c));
    else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string BuildEmail(const store::OutboxEntry& e, const SmtpSettings& s, TimeMs now) {
  json p = json::parse(e.payload, nullptr, false);
  std::string title = p.is_object() ? p.value("title", std::string("yuqing")) : "yuqing";
  std::string text = p.is_object() ? p.value("text", std::string()) : e.payload;
  std::string m;
  m += "Date: " + Rfc2822Date(now) + "\r\n";
  m += "From: " + HeaderSafe(s.from) + "\r\n";
  m += "To: " + HeaderSafe(e.target) + "\r\n";
  m += "Subject: =?UTF-8?B?" + Base64(title) + "?=\r\n";
  m += "Message-ID: <" + HeaderSafe(e.idem_key) + "@yuqing>\r\n";
  m += "X-Yuqing-Idempotency-Key: " + HeaderSafe(e.idem_key) + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  std::string file, name, mime;
  if (p.is_object() && p.contains("attachment") && p["attachment"].is_object()) {
    // A file sent with the message (a scheduled report): read at each attempt, so a retry sends
    // it too; a file that is gone or too big is named in the text instead.
    const json& a = p["attachment"];
    name = a.value("name", std::string("report"));
    mime = a.value("mime", std::string("application/octet-stream"));
    std::ifstream in(a.value("path", std::string()), std::ios::binary);
    std::ostringstream ss;
    if (in) ss << in.rdbuf();
    file = ss.str();
    if (!in || file.empty() || file.size() > kMaxAttachmentBytes) {
      text += "\n\n（附件 " + name + " 无法读取 / attachment unavailable）";
      file.clear();
    }
  }
  if (file.empty()) {
    m += "Content-Type: text/plain; charset=UTF-8\r\n";
    m += "Content-Transfer-Encoding: base64\r\n\r\n";
    m += WrapBase64(text + "\n\nidempotency: " + e.idem_key + "\n");
    return m;
  }
  // The boundary never occurs in base64 text (it holds '_' and '=' is only padding at the end).
  const std::string boundary = "yq_" + std::to_string(now) + "_part";
  m += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  m += "--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  m += WrapBase64(text + "\n\nidempotency: " + e.idem_key + "\n");
  m += "\r\n--" + boundary + "\r\nContent-Type: " + HeaderSafe(mime) + "\r\nContent-Transfer-Encoding: base64\r\n";
  m += "Content-Disposition: attachment; filename*=UTF-8''" + PercentEncode(name) + "\r\n\r\n";
  m += WrapBase64(file);
  m += "\r\n--" + boundary + "--\r\n";
  return m;
}

SendResult JudgeHttp(const std::string& channel, long http_status, const std::string& body) {
  const Channel* c = FindChannel(channel);
  return c ? c->judge(c->name, http_status, body) : JudgeRobot(channel, http_status, body);
}

SendResult Send(const store::OutboxEntry& e, const SmtpSettings& smtp, const SendOptions& o, TimeMs now) {
  SendResult res;
  const Channel* ch = FindChannel(e.channel);
  if (!ch) {
    res.error = "unknown channel: " + e.channel;
    return res;
  }
  auto d = ch->build(e, smtp, now);
  if (!d.ok()) {
    res.error = d.status().message();
    return res;
  }
  InitCurlOnce();
  CURL* c = curl_easy_init();
  if (!c) {
    res.error = "curl_easy_init failed";
    return res;
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout));
  std::string response;
  struct curl_slist* headers = nullptr;
  struct curl_slist* rcpt = nullptr;
  const HttpRequest& req = d->request;
  Upload up{&req.body};
  const std::string mail_from = "<" + d->mail_from + ">";
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  if (d->transport == Delivery::Transport::kSmtp) {
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
    rcpt = curl_slist_append(rcpt, ("<" + d->mail_to + ">").c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    if (!d->user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, d->user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, d->password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  } else {
    for (const auto& h : req.headers) headers = curl_slist_append(headers, h.c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  }
  CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(headers);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(c);
  if (rc != CURLE_OK) {
    res.status_code = static_cast<int>(code);
    res.error = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
    return res;
  }
  return ch->judge(ch->name, code, response);
}

}  // namespace yuqing::notify

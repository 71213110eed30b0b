#include "notify/channels.h"

#include <curl/curl.h>

#include <cctype>
#include <cstring>
#include <fstream>
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

}  // namespace

bool IsChannel(const std::string& c) {
  return c == "webhook" || c == "wecom" || c == "dingtalk" || c == "feishu" || c == "email";
}

Status ValidateTarget(const std::string& channel, const std::string& target) {
  if (!IsChannel(channel)) return Status::Invalid("channel must be webhook, wecom, dingtalk, feishu or email");
  if (target.size() > 2000) return Status::Invalid("target too long");
  if (channel == "email") {
    auto at = target.find('@');
    if (at == std::string::npos || at == 0 || at + 1 >= target.size() ||
        target.find_first_of(" \r\n<>,") != std::string::npos)
      return Status::Invalid("not an e-mail address: " + target);
    return Status::Ok();
  }
  if (target.rfind("http://", 0) != 0 && target.rfind("https://", 0) != 0)
    return Status::Invalid("target must be an http(s) URL: " + target);
  if (target.find_first_of(" \r\n") != std::string::npos) return Status::Invalid("URL contains spaces");
  return Status::Ok();
}

Result<HttpRequest> BuildHttpRequest(const store::OutboxEntry& e, TimeMs now) {
  json p = json::parse(e.payload, nullptr, false);
  if (!p.is_object()) return Status::Invalid("outbox payload is not a JSON object");
  const std::string key = e.idem_key;
  const std::string title = p.value("title", std::string());
  const std::string text = p.value("text", std::string());
  HttpRequest r;
  r.url = e.target;
  r.headers = {"Content-Type: application/json; charset=utf-8", "Idempotency-Key: " + HeaderSafe(key)};
  const std::string ts_s = std::to_string(now / 1000), ts_ms = std::to_string(now);
  const std::string footer = "\n\n> idempotency: " + key;
  auto dump = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); };
  if (e.channel == "webhook") {
    r.body = dump(p);
    r.headers.push_back("X-Yuqing-Timestamp: " + ts_s);
    r.headers.push_back("X-Yuqing-Idempotency-Key: " + HeaderSafe(key));
    if (!e.secret.empty()) r.headers.push_back("X-Yuqing-Signature: " + WebhookSignature(e.secret, ts_s, r.body));
  } else if (e.channel == "wecom") {
    r.body = dump({{"msgtype", "markdown"}, {"markdown", {{"content", text + footer}}}});
  } else if (e.channel == "dingtalk") {
    r.body = dump({{"msgtype", "markdown"}, {"markdown", {{"title", title}, {"text", text + footer}}}});
    if (!e.secret.empty()) {
      r.url += (r.url.find('?') == std::string::npos ? "?" : "&");
      r.url += "timestamp=" + ts_ms + "&sign=" + DingTalkSign(e.secret, ts_ms);
    }
  } else if (e.channel == "feishu") {
    json b = {{"msg_type", "text"}, {"content", {{"text", title + "\n" + text + footer}}}};
    if (!e.secret.empty()) {
      b["timestamp"] = ts_s;
      b["sign"] = FeishuSign(e.secret, ts_s);
    }
    r.body = dump(b);
  } else {
    return Status::Invalid("not an HTTP channel: " + e.channel);
  }
  return r;
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
  SendResult r;
  r.status_code = static_cast<int>(http_status);
  if (http_status < 200 || http_status >= 300) {
    r.error = "HTTP " + std::to_string(http_status) + (body.empty() ? "" : ": " + body.substr(0, 200));
    return r;
  }
  if (channel != "webhook") {
    auto parsed = ParseJson(body);
    const json j = parsed.ok() ? std::move(*parsed) : json();
    if (j.is_object()) {
      for (const char* k : {"errcode", "code", "StatusCode"}) {
        if (j.contains(k) && j[k].is_number_integer() && j[k].get<int64_t>() != 0) {
          r.error = channel + " refused: " + body.substr(0, 200);
          return r;
        }
      }
    }
  }
  r.ok = true;
  return r;
}

SendResult Send(const store::OutboxEntry& e, const SmtpSettings& smtp, const SendOptions& o, TimeMs now) {
  InitCurlOnce();
  SendResult res;
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
  std::string payload;
  Upload up{&payload};
  if (e.channel == "email") {
    if (smtp.url.empty()) {
      curl_easy_cleanup(c);
      res.error = "no SMTP server configured (yuqing notify smtp --url ...)";
      return res;
    }
    payload = BuildEmail(e, smtp, now);
    curl_easy_setopt(c, CURLOPT_URL, smtp.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + smtp.from + ">").c_str());
    rcpt = curl_slist_append(rcpt, ("<" + e.target + ">").c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    if (!smtp.user.empty()) {
      curl_easy_setopt(c, CURLOPT_USERNAME, smtp.user.c_str());
      curl_easy_setopt(c, CURLOPT_PASSWORD, smtp.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadUpload);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  } else {
    auto req = BuildHttpRequest(e, now);
    if (!req.ok()) {
      curl_easy_cleanup(c);
      res.error = req.status().message();
      return res;
    }
    payload = req->body;
    curl_easy_setopt(c, CURLOPT_URL, req->url.c_str());
    for (const auto& h : req->headers) headers = curl_slist_append(headers, h.c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(payload.size()));
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
  if (e.channel == "email") {
    res.ok = true;
    res.status_code = static_cast<int>(code);
    return res;
  }
  return JudgeHttp(e.channel, code, response);
}

}  // namespace yuqing::notify

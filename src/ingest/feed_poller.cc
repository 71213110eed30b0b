#include "ingest/feed_poller.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace yuqing::ingest {
namespace {

struct Ctx {
  std::string body;
  size_t max = 0;
  bool too_big = false;
  std::string etag, last_modified;
};

size_t OnBody(char* p, size_t size, size_t n, void* userdata) {
  auto* c = static_cast<Ctx*>(userdata);
  size_t len = size * n;
  if (c->body.size() + len > c->max) {
    c->too_big = true;
    return 0;
  }
  c->body.append(p, len);
  return len;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

size_t OnHeader(char* p, size_t size, size_t n, void* userdata) {
  auto* c = static_cast<Ctx*>(userdata);
  std::string line(p, size * n);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (name == "etag") c->etag = Trimmed(line.substr(colon + 1));
    if (name == "last-modified") c->last_modified = Trimmed(line.substr(colon + 1));
  }
  return size * n;
}

}  // namespace

Result<FetchResult> FetchFeed(const std::string& url, FeedState& state, const FetchOptions& opts) {
  CURL* curl = curl_easy_init();
  if (!curl) return Status::Internal("curl_easy_init failed");
  Ctx ctx;
  ctx.max = opts.max_bytes;
  curl_slist* headers = nullptr;
  if (!state.etag.empty()) headers = curl_slist_append(headers, ("If-None-Match: " + state.etag).c_str());
  if (!state.last_modified.empty())
    headers = curl_slist_append(headers, ("If-Modified-Since: " + state.last_modified).c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, opts.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, opts.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &ctx);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &ctx);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (ctx.too_big) return Status::TooLarge(url + ": the feed is larger than " + std::to_string(opts.max_bytes) + " bytes");
  if (rc != CURLE_OK) return Status::Unavailable(url + ": " + curl_easy_strerror(rc));
  FetchResult r;
  r.http_status = status;
  if (status == 304) {
    r.not_modified = true;
    return r;
  }
  if (status < 200 || status >= 300) return Status::Unavailable(url + ": HTTP " + std::to_string(status));
  if (!ctx.etag.empty()) state.etag = ctx.etag;
  if (!ctx.last_modified.empty()) state.last_modified = ctx.last_modified;
  r.body = std::move(ctx.body);
  return r;
}

}  // namespace yuqing::ingest

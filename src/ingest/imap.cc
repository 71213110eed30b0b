#include "ingest/imap.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <regex>

namespace yuqing::ingest {
namespace {

struct Body {
  std::string data;
  size_t max = 0;
  bool too_big = false;
};

size_t OnBody(char* p, size_t size, size_t n, void* userdata) {
  auto* b = static_cast<Body*>(userdata);
  size_t len = size * n;
  if (b->data.size() + len > b->max) {
    b->too_big = true;
    return 0;
  }
  b->data.append(p, len);
  return len;
}

std::string Root(const std::string& url) {
  size_t s = url.find("://");
  size_t slash = s == std::string::npos ? std::string::npos : url.find('/', s + 3);
  return slash == std::string::npos ? url + "/" : url.substr(0, slash + 1);
}

std::string MailboxUrl(const std::string& url) {
  std::string root = Root(url);
  return root + ImapMailbox(url);
}

// One libcurl IMAP transfer: `custom` as the command (empty: a FETCH by URL).
Result<std::string> Transfer(const ImapOptions& o, const std::string& url, const std::string& custom, size_t max) {
  CURL* curl = curl_easy_init();
  if (!curl) return Status::Internal("curl_easy_init failed");
  Body body;
  body.max = max;
  char err[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_USERNAME, o.user.c_str());
  curl_easy_setopt(curl, CURLOPT_PASSWORD, o.password.c_str());
  curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));  // never in clear text
  if (!o.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o.ca_file.c_str());
  if (!custom.empty()) curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, custom.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, o.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  CURLcode rc = curl_easy_perform(curl);
  curl_easy_cleanup(curl);
  if (body.too_big) return Status::TooLarge(url + ": larger than " + std::to_string(max) + " bytes");
  if (rc != CURLE_OK)
    return Status::Unavailable(Root(o.url) + ": " + curl_easy_strerror(rc) + (err[0] ? std::string(" (") + err + ")" : ""));
  return std::move(body.data);
}

}  // namespace

std::string ImapMailbox(const std::string& url) {
  size_t s = url.find("://");
  size_t slash = s == std::string::npos ? std::string::npos : url.find('/', s + 3);
  std::string box = slash == std::string::npos ? "" : url.substr(slash + 1);
  if (auto semi = box.find(';'); semi != std::string::npos) box.erase(semi);
  while (!box.empty() && box.back() == '/') box.pop_back();
  return box.empty() ? "INBOX" : box;
}

Result<int64_t> ImapUidValidity(const ImapOptions& o) {
  YQ_ASSIGN_OR_RETURN(std::string out, Transfer(o, Root(o.url), "EXAMINE " + ImapMailbox(o.url), 1 << 20));
  static const std::regex kValidity(R"(\[UIDVALIDITY (\d+)\])");
  std::smatch m;
  if (!std::regex_search(out, m, kValidity)) return Status::Unavailable(o.url + ": the server named no UIDVALIDITY");
  return std::atoll(m[1].str().c_str());
}

Result<std::vector<int64_t>> ImapUidsAfter(const ImapOptions& o, int64_t after) {
  YQ_ASSIGN_OR_RETURN(std::string out,
                      Transfer(o, MailboxUrl(o.url), "UID SEARCH UID " + std::to_string(after + 1) + ":*", 8 << 20));
  std::vector<int64_t> uids;
  size_t pos = out.find("* SEARCH");
  if (pos == std::string::npos) return uids;
  size_t end = out.find('\n', pos);
  std::string line = out.substr(pos + 8, end == std::string::npos ? std::string::npos : end - pos - 8);
  const char* p = line.c_str();
  while (*p) {
    char* next = nullptr;
    long long v = std::strtoll(p, &next, 10);
    if (next == p) {
      ++p;
      continue;
    }
    if (v > after) uids.push_back(v);  // "n:*" also answers the last UID when all are below n
    p = next;
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

Result<std::string> ImapFetch(const ImapOptions& o, int64_t uid) {
  return Transfer(o, MailboxUrl(o.url) + "/;UID=" + std::to_string(uid), "", o.max_message_bytes);
}

}  // namespace yuqing::ingest

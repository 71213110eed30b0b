// Fetches RSS/Atom feeds over HTTP(S) with libcurl, honouring ETag and Last-Modified so that an
// unchanged feed costs one 304 and no parsing.
#pragma once

#include <string>

#include "core/status.h"

namespace yuqing::ingest {

struct FeedState {
  std::string etag;
  std::string last_modified;
};

struct FetchResult {
  bool not_modified = false;  // 304: nothing new
  long http_status = 0;
  std::string body;
};

struct FetchOptions {
  long timeout_ms = 30000;
  size_t max_bytes = 32u << 20;  // a feed larger than this is refused
  std::string user_agent = "yuqing/0.1 (+feed poller)";
};

// GETs url with conditional headers from `state`, and updates `state` from the response.
// A non-2xx/304 status or a transport failure is kUnavailable with the reason.
Result<FetchResult> FetchFeed(const std::string& url, FeedState& state, const FetchOptions& opts = {});

}  // namespace yuqing::ingest

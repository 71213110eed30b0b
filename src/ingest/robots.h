// robots.txt (RFC 9309), the subset yuqing needs to be a polite fetcher of pages without feeds.
// Debian ships no C or C++ robots.txt parser, so this reads the documented subset:
//   groups of `User-agent:` lines (our token "yuqing", else "*"; several agents per group),
//   `Allow:` / `Disallow:` with `*` wildcards and a `$` end anchor, the longest match deciding
//   (Allow on a tie), an empty Disallow allowing everything, and `Crawl-delay:` in seconds (at
//   most 60: a fetcher waiting on one site holds up the others).
// Comments (#) and unknown lines (Sitemap, Host ...) are ignored.
#pragma once

#include <string>
#include <string_view>

#include "core/time.h"

namespace yuqing::ingest {

struct RobotsVerdict {
  bool allowed = true;
  std::string rule;       // the deciding line, e.g. "Disallow: /admin" ("" when none matched)
  TimeMs crawl_delay = 0; // from the chosen group, 0 when none
};

// What `robots_txt` says about fetching `path` (path and query, starting with '/') as `agent`.
RobotsVerdict CheckRobots(std::string_view robots_txt, std::string_view agent, std::string_view path);

// "https://host:port/a/b?q" → "https://host:port/robots.txt"; "" when the URL is not http(s).
std::string RobotsUrl(const std::string& url);
// The path and query of `url` ("/" when none).
std::string PathOf(const std::string& url);
// The scheme://host:port of `url` (the rate limit's key).
std::string OriginOf(const std::string& url);

}  // namespace yuqing::ingest

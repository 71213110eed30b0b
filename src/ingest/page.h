// Web pages without a feed (领导留言板, local forums, news lists): the items a page lists, picked
// out with CSS selectors (html_select.h) from gumbo's parse, as records for PostFromJson.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "ingest/html_select.h"

namespace yuqing::ingest {

struct PageSelectors {
  Selector item;   // each match is one post
  Selector title;  // within the item: its text is the title
  Selector link;   // within the item: its href (or the item's own href, or its first <a href>)
  Selector time;   // optional (alternatives empty): its datetime attribute, or its text
  bool has_time = false;
};

// Parses the four selectors; Invalid names the option ("item: selector '...' ...").
Result<PageSelectors> ParsePageSelectors(const std::string& item, const std::string& title, const std::string& link,
                                         const std::string& time);

// The records of a page: {id: "page-" + absolute link, url, title, text (the item's text),
// published_at (when a time was found; Chinese dates such as 2026年6月1日 09:00 read as
// 2026-06-01 09:00), source: "web", channel: the page's <title>}. An item without a link gets
// no id (the post parser then derives one from its content). InvalidArgument when the page has
// more than kMaxHtmlTags tags.
Result<std::vector<nlohmann::json>> ExtractPageItems(std::string_view html, const PageSelectors& sel,
                                                     const std::string& page_url);

// Resolves `ref` against `base` (absolute http(s) URLs, //host, /path, relative paths, ?query,
// #fragment dropped). "" when `ref` is not a web link (javascript:, mailto: ...).
std::string ResolveUrl(const std::string& base, const std::string& ref);

}  // namespace yuqing::ingest

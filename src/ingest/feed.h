// RSS 2.0 and Atom feeds (pugixml): each item/entry becomes a JSON record for PostFromJson.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"

namespace yuqing::ingest {

struct FeedItem {
  nlohmann::json record;  // id, url, title, text, published_at, author, source, channel
  int64_t index = 0;      // 0-based item number
  int64_t offset = 0;     // byte offset of the item element in the document (approximate)
  std::string raw;        // the item's XML
};

// Parses an RSS 2.0 or Atom document. Returns an error (with the byte offset) when the XML is
// malformed or is neither RSS nor Atom.
Status ParseFeed(std::string_view xml, const std::function<void(FeedItem&)>& on_item);

// RFC 822 / RFC 1123 dates as used by RSS ("Wed, 02 Oct 2002 13:00:00 GMT", "+0800").
// "CST" is read as China Standard Time (UTC+8), since our feeds are Chinese.
Result<TimeMs> ParseRfc822(std::string_view s);

// Removes HTML tags and decodes the common entities; collapses runs of whitespace.
std::string StripHtml(std::string_view html);

}  // namespace yuqing::ingest

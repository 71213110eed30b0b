// A record adapter turns one record of a known vendor's shape (a MediaCrawler row, a Weibo API
// status, a weibo-crawler export line) into a post. The readers hand it the decoded record — a
// JSON object, or a CSV/table row as an object of strings keyed by the raw column names — and it
// returns the post or the reason it cannot be one, exactly as PostFromJson does for our own shape.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "ingest/post_parser.h"

namespace yuqing::ingest {

class RecordAdapter {
 public:
  virtual ~RecordAdapter() = default;
  // Pure: no I/O, safe to call from several threads on one adapter.
  virtual ParsedPost Convert(const nlohmann::json& record, const ParseDefaults& d) const = 0;
  // A record that holds several posts (a status and the status it reposts; a weibo-crawler
  // document of one user's weibos) appends each; the default appends Convert's one post.
  virtual void ConvertAll(const nlohmann::json& record, const ParseDefaults& d, std::vector<ParsedPost>& out) const {
    out.push_back(Convert(record, d));
  }
};

// Helpers shared by the adapters.
// The first present, non-null, non-empty value among `names` as a string ("" when none). Numbers
// are written as integers; "None"/"null" (Python's str(None) in crawler exports) count as absent.
std::string FirstString(const nlohmann::json& j, std::initializer_list<const char*> names);

// A count as crawlers write it: integers, "12", "1.2万", "10+", "" / "None" (0). Returns the value
// to hand to PostFromJson (an integer, or the original string when it is not a count, so that the
// parser quarantines it with its usual bad_field reason).
nlohmann::json CountValue(const nlohmann::json& j, std::initializer_list<const char*> names);

}  // namespace yuqing::ingest

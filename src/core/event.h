// Events (话题/事件): what the event tracker (analysis/event_tracker.h) knows about one cluster of
// posts and the store keeps (store/event_store.h), and analysts' sentiment corrections. Plain
// data, header-only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"

namespace yuqing {

struct Spreader {
  std::string author_id;
  std::string author_name;
  int64_t posts = 0;
  int64_t reach = 0;  // sum over their posts in the event of followers + reposts + comments
};

struct EventRecord {
  int64_t id = 0;
  std::string title;               // text of the most representative original post (bounded)
  std::string representative_post;  // its id
  TimeMs first_seen = 0;
  TimeMs last_seen = 0;
  int64_t posts = 0;
  int64_t originals = 0;  // posts that are neither reposts nor near-duplicate copies
  int64_t copies = 0;     // near-duplicate copies (Analysis::dup_of set)
  int64_t reposts = 0;    // posts with a parent, or quoting an earlier post (quote_links.h)
  std::map<TimeMs, int64_t> volume;  // hour start (ms) → posts
  int64_t negative = 0, neutral = 0, positive = 0;
  std::map<std::string, int64_t> types;    // opinion type → posts
  std::map<std::string, int64_t> regions;  // "浙江/宁波" or "浙江" → posts
  std::map<std::string, int64_t> sources;  // post source → posts
  std::string first_post_id;
  std::string first_author_id;
  std::string first_author_name;
  std::vector<Spreader> spreaders;                     // key spreaders, most reach first (≤ 10)
  std::vector<std::pair<std::string, double>> terms;   // keyword centroid, heaviest first
  int64_t merged_into = 0;  // non-zero: this event was merged into that one
};

// An analyst's sentiment label for a text, fed to `yuqing model train`.
struct SentimentCorrection {
  int64_t id = 0;
  std::string post_id;  // may be empty when the text was typed in
  std::string text;
  std::string label;  // negative | neutral | positive
  std::string user;
  TimeMs created_at = 0;
};

}  // namespace yuqing

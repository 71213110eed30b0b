// The counts of PostStore::Count, Stats and Summarize (post_store.h): what the dashboard's
// overview and `yuqing stats` show. Implemented in post_stats.cc.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"

namespace yuqing::store {

// Posts of a time range counted for the dashboard (PostStore::Summarize).
struct VolumeSummary {
  int64_t total = 0;
  // (start of the UTC hour, sentiment) -> posts; whole hours of the display zone too, since
  // its offset is whole hours.
  std::map<std::pair<TimeMs, std::string>, int64_t> hourly;
  std::map<std::string, int64_t> sentiments, sources;
  std::map<std::string, int64_t> provinces;  // posts with a province only
};

struct PostStats {
  int64_t posts = 0;
  int64_t quarantined = 0;
  TimeMs first = 0, last = 0;
  std::vector<std::pair<std::string, int64_t>> by_source;
  std::vector<std::pair<std::string, int64_t>> by_sentiment;
};

}  // namespace yuqing::store

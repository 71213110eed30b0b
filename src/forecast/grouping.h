// Groups posts into cascades by their root: a repost of a repost counts for the root it
// ultimately reposts.
#pragma once

#include <string>
#include <vector>

#include "forecast/cascade.h"

namespace yuqing::forecast {

struct CascadePost {
  std::string id;
  std::string parent;  // "" for a root
  TimeMs t_ms = 0;
  int64_t followers = -1;
  bool verified = false;
  std::string text;
};

struct Grouping {
  std::vector<Observation> cascades;  // one per root, in the order the roots came
  size_t orphans = 0;     // reposts whose chain reaches a post that is not in the input
  size_t duplicates = 0;  // posts whose id came before (the first is kept)
  size_t cycles = 0;      // reposts whose chain loops (bad data)
};

// Roots are the posts without a parent. text_rumor_p is left at -1 (the caller fills it in).
Grouping GroupByRoot(const std::vector<CascadePost>& posts);

}  // namespace yuqing::forecast

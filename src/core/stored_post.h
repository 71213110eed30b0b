// A post as the store keeps it: the record, what the analysis stages judged, the monitoring
// schemes it matched, and its row id (the order posts were stored in, which paging cursors and
// the live stream follow). Plain data; what search, the API, exports and the stream pass around.
#pragma once

#include <cstdint>
#include <vector>

#include "core/post.h"

namespace yuqing {

struct StoredPost {
  int64_t rowid = 0;
  Post post;
  Analysis analysis;
  std::vector<SchemeHit> schemes;
};

}  // namespace yuqing

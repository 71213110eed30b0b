// Volume series: one minute of posts per scheme and event with what the warning signals read,
// and the burst detector's learned baselines. Plain data; warning/ computes them, the store keeps
// them (store/series_store.h).
#pragma once

#include <cstdint>

#include "core/time.h"

namespace yuqing {

// One minute of one key. Keys: (scheme, 0) a scheme; (0, event) an event over all schemes;
// (scheme, event) an event within a scheme.
struct SeriesPoint {
  int64_t scheme_id = 0;
  int64_t event_id = 0;
  TimeMs minute = 0;        // start of the minute (ms, multiple of 60000)
  int64_t volume = 0;
  int64_t negative = 0;
  int64_t sensitive = 0;    // posts with a sensitive opinion type
  int64_t authoritative = 0;
  int64_t interactions = 0; // reposts + comments + likes
  int64_t reach = 0;        // sum of the authors' followers
};

// A learned baseline: EWMA mean and variance of the posts per detection window for one slot
// (slot 0..23: hour of day in China Standard Time; slot 24: all hours).
struct BaselineRow {
  int64_t scheme_id = 0;
  int slot = 0;
  double mean = 0;
  double var = 0;
  int64_t n = 0;            // windows observed
  TimeMs updated_to = 0;    // end of the last window folded in
};

}  // namespace yuqing

// Per-minute volume series of schemes and events (table `series`), and the learned baselines of
// the burst detector (table `baselines`), component "series". Written by warning/ in batches;
// read by `yuqing series`, the API and reports. One Database connection, one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

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

class SeriesStore {
 public:
  static Result<std::unique_ptr<SeriesStore>> Open(Database& db);

  // Replaces the stored minutes with these values (the caller holds the full minute).
  Status Upsert(const std::vector<SeriesPoint>& points);
  // Minutes of one key in [from, to), oldest first.
  Result<std::vector<SeriesPoint>> Range(int64_t scheme_id, int64_t event_id, TimeMs from, TimeMs to);
  // The last minute stored for the key (0 when none).
  Result<TimeMs> Last(int64_t scheme_id, int64_t event_id);

  Status SaveBaselines(const std::vector<BaselineRow>& rows);
  Result<std::vector<BaselineRow>> LoadBaselines(int64_t scheme_id);

 private:
  explicit SeriesStore(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace yuqing::store

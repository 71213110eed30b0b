// Per-minute volume series of schemes and events (table `series`), and the learned baselines of
// the burst detector (table `baselines`), component "series". Written by warning/ in batches;
// read by `yuqing series`, the API and reports. On either backend (store/sqlite/series_store.cc,
// store/postgres/series_store.cc); one session, one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/series.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

// The domain types are core/series.h's; these names stay for the store's callers.
using SeriesPoint = ::yuqing::SeriesPoint;
using BaselineRow = ::yuqing::BaselineRow;

class SeriesStore {
 public:
  static Result<std::unique_ptr<SeriesStore>> Open(Database& db);
  virtual ~SeriesStore() = default;

  // Replaces the stored minutes with these values (the caller holds the full minute).
  virtual Status Upsert(const std::vector<SeriesPoint>& points) = 0;
  // Minutes of one key in [from, to), oldest first.
  virtual Result<std::vector<SeriesPoint>> Range(int64_t scheme_id, int64_t event_id, TimeMs from, TimeMs to) = 0;
  // The last minute stored for the key (0 when none).
  virtual Result<TimeMs> Last(int64_t scheme_id, int64_t event_id) = 0;

  virtual Status SaveBaselines(const std::vector<BaselineRow>& rows) = 0;
  virtual Result<std::vector<BaselineRow>> LoadBaselines(int64_t scheme_id) = 0;
};

}  // namespace yuqing::store

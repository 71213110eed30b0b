// In-memory series of one key (a scheme, an event, or an event within a scheme): 1-minute
// buckets over the live window, sums over windows, the evidence candidates, and the learned
// baseline of posts per detection window (EWMA mean and variance per hour of day).
#pragma once

#include <array>
#include <deque>
#include <string>
#include <vector>

#include "core/series.h"
#include "core/time.h"
#include "store/series_store.h"
#include "warning/policy.h"

namespace yuqing::warning {

// What one post contributes to a key's bucket.
struct PostFacts {
  bool negative = false;
  bool sensitive = false;       // negative and of a sensitive opinion type
  bool authoritative = false;
  bool spreading = false;       // of a spreading type (group event, accident)
  int64_t interactions = 0;
  int64_t reach = 0;
};

struct Bucket {
  TimeMs minute = 0;
  int64_t volume = 0, negative = 0, sensitive = 0, authoritative = 0, spreading = 0;
  int64_t interactions = 0, reach = 0;
  void Add(const Bucket& o);
};

// A post kept as possible evidence for an alert.
struct EvidencePost {
  std::string id, source, author, text, url, sentiment;
  std::vector<std::string> types;
  TimeMs at = 0;
  double score = 0;
  int64_t interactions = 0;
};

class KeySeries {
 public:
  // Adds a post at time t (its minute's bucket). Posts older than the kept buckets are ignored
  // for the windows (they are still counted in the persisted history through the dirty set).
  void Add(TimeMs t, const PostFacts& f);
  // Sum of the buckets in [from, to).
  Bucket Sum(TimeMs from, TimeMs to) const;
  // Puts back minutes read from the store (no dirty marks), e.g. when a process restarts; a
  // minute already held is replaced.
  void Restore(const std::vector<SeriesPoint>& points);
  // Drops buckets before keep_from.
  void Trim(TimeMs keep_from);
  // Minutes changed since the last TakeDirty, as points of this key.
  std::vector<SeriesPoint> TakeDirty(int64_t scheme_id, int64_t event_id);
  bool empty() const { return buckets_.empty(); }
  const std::deque<Bucket>& buckets() const { return buckets_; }
  TimeMs last_minute() const { return buckets_.empty() ? 0 : buckets_.back().minute; }

  // Evidence: keeps the `cap` best posts (by score) seen since `since`.
  void AddEvidence(EvidencePost p, TimeMs since, size_t cap);
  std::vector<EvidencePost> TopEvidence(size_t n, TimeMs since) const;

  // Heap bytes held (buckets, dirty marks, evidence), for the engine's memory budget.
  size_t bytes() const;

 private:
  std::deque<Bucket> buckets_;  // ascending by minute, no gaps required
  std::vector<TimeMs> dirty_;
  std::vector<EvidencePost> evidence_;
  size_t evidence_bytes_ = 0;  // of evidence_, kept by AddEvidence
};

// The learned rhythm of a scheme: EWMA of posts per window for each hour of day (CST) and for
// all hours. Windows are aligned to multiples of policy.window since the epoch.
class Baseline {
 public:
  struct Expected {
    double mean = 0, sd = 0;
    bool warm = false;       // enough history for a burst verdict
    const char* basis = "";  // "hour-of-day" | "all-hours" | "floor"
  };
  // Folds every closed window up to `now` into the EWMA, reading counts from `series`. A window
  // whose count is far above the mean is clipped (mean + 3 sd) so a burst does not teach itself.
  void Advance(TimeMs now, const KeySeries& series, const Policy& p);
  Expected At(TimeMs t, const Policy& p) const;

  std::vector<BaselineRow> Rows(int64_t scheme_id) const;
  void Load(const std::vector<BaselineRow>& rows);
  TimeMs updated_to() const { return updated_to_; }

 private:
  struct Slot {
    double mean = 0, var = 0;
    int64_t n = 0;
  };
  void Observe(Slot& s, double x, double alpha) const;
  std::array<Slot, 25> slots_{};  // 0..23 hour of day; 24 all hours
  TimeMs updated_to_ = 0;          // end of the last folded window (0: none yet)
  TimeMs first_seen_ = 0;
};

// Hour of day in China Standard Time.
int HourOfDay(TimeMs t);

}  // namespace yuqing::warning

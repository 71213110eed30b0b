#include "warning/series.h"

#include <algorithm>
#include <cmath>

#include "core/series.h"

namespace yuqing::warning {

void Bucket::Add(const Bucket& o) {
  volume += o.volume, negative += o.negative, sensitive += o.sensitive, authoritative += o.authoritative;
  spreading += o.spreading, interactions += o.interactions, reach += o.reach;
}

void KeySeries::Add(TimeMs t, const PostFacts& f) {
  TimeMs m = t - ((t % kMinute) + kMinute) % kMinute;
  Bucket* b = nullptr;
  if (buckets_.empty() || buckets_.back().minute < m) {
    buckets_.push_back(Bucket{m});
    b = &buckets_.back();
  } else {
    // A late post: find its minute (the deque is sorted); insert when missing.
    auto it = std::lower_bound(buckets_.begin(), buckets_.end(), m,
                               [](const Bucket& x, TimeMs v) { return x.minute < v; });
    if (it == buckets_.end() || it->minute != m) it = buckets_.insert(it, Bucket{m});
    b = &*it;
  }
  b->volume += 1;
  b->negative += f.negative;
  b->sensitive += f.sensitive;
  b->authoritative += f.authoritative;
  b->spreading += f.spreading;
  b->interactions += f.interactions;
  b->reach += f.reach;
  if (dirty_.empty() || dirty_.back() != m) dirty_.push_back(m);
}

Bucket KeySeries::Sum(TimeMs from, TimeMs to) const {
  Bucket s;
  // Windows are near the end: scan backwards.
  for (auto it = buckets_.rbegin(); it != buckets_.rend(); ++it) {
    if (it->minute >= to) continue;
    if (it->minute < from) break;
    s.Add(*it);
  }
  return s;
}

void KeySeries::Restore(const std::vector<SeriesPoint>& points) {
  for (const auto& p : points) {
    Bucket b{p.minute, p.volume, p.negative, p.sensitive, p.authoritative, 0, p.interactions, p.reach};
    auto it = std::lower_bound(buckets_.begin(), buckets_.end(), p.minute,
                               [](const Bucket& x, TimeMs v) { return x.minute < v; });
    if (it != buckets_.end() && it->minute == p.minute) {
      *it = b;
    } else {
      buckets_.insert(it, b);
    }
  }
}

void KeySeries::Trim(TimeMs keep_from) {
  while (!buckets_.empty() && buckets_.front().minute < keep_from) buckets_.pop_front();
}

std::vector<SeriesPoint> KeySeries::TakeDirty(int64_t scheme_id, int64_t event_id) {
  std::sort(dirty_.begin(), dirty_.end());
  dirty_.erase(std::unique(dirty_.begin(), dirty_.end()), dirty_.end());
  std::vector<SeriesPoint> out;
  for (TimeMs m : dirty_) {
    auto it = std::lower_bound(buckets_.begin(), buckets_.end(), m,
                               [](const Bucket& x, TimeMs v) { return x.minute < v; });
    if (it == buckets_.end() || it->minute != m) continue;
    out.push_back({scheme_id, event_id, m, it->volume, it->negative, it->sensitive, it->authoritative,
                   it->interactions, it->reach});
  }
  dirty_.clear();
  return out;
}

namespace {
size_t HeapBytes(const EvidencePost& e) {
  size_t n = sizeof(EvidencePost) + e.id.capacity() + e.source.capacity() + e.author.capacity() +
             e.text.capacity() + e.url.capacity() + e.sentiment.capacity() + e.types.capacity() * sizeof(std::string);
  for (const auto& t : e.types) n += t.capacity();
  return n;
}
}  // namespace

void KeySeries::AddEvidence(EvidencePost p, TimeMs since, size_t cap) {
  if (cap == 0) return;
  std::erase_if(evidence_, [&](const EvidencePost& e) { return e.at < since; });
  if (evidence_.size() >= cap) {
    auto worst = std::min_element(evidence_.begin(), evidence_.end(), [](const auto& a, const auto& b) {
      return a.score < b.score || (a.score == b.score && a.at < b.at);
    });
    if (worst->score <= p.score) *worst = std::move(p);
  } else {
    evidence_.push_back(std::move(p));
  }
  evidence_bytes_ = evidence_.capacity() * sizeof(EvidencePost) - evidence_.size() * sizeof(EvidencePost);
  for (const auto& e : evidence_) evidence_bytes_ += HeapBytes(e);
}

size_t KeySeries::bytes() const {
  // A deque holds its buckets in 512-byte blocks; count whole blocks.
  const size_t per_block = std::max<size_t>(1, 512 / sizeof(Bucket));
  const size_t blocks = (buckets_.size() + per_block - 1) / per_block;
  return sizeof(KeySeries) + blocks * 512 + dirty_.capacity() * sizeof(TimeMs) + evidence_bytes_;
}

std::vector<EvidencePost> KeySeries::TopEvidence(size_t n, TimeMs since) const {
  std::vector<EvidencePost> v;
  for (const auto& e : evidence_)
    if (e.at >= since) v.push_back(e);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.score > b.score || (a.score == b.score && a.at > b.at);
  });
  if (v.size() > n) v.resize(n);
  return v;
}

int HourOfDay(TimeMs t) {
  TimeMs local = t + kDefaultUtcOffsetMinutes * kMinute;
  return static_cast<int>(((local % kDay) + kDay) % kDay / kHour);
}

void Baseline::Observe(Slot& s, double x, double alpha) const {
  if (s.n == 0) {
    s.mean = x;
    s.var = 0;
  } else {
    // West's incremental EWMA of mean and variance.
    double d = x - s.mean;
    s.mean += alpha * d;
    s.var = (1 - alpha) * (s.var + alpha * d * d);
  }
  ++s.n;
}

void Baseline::Advance(TimeMs now, const KeySeries& series, const Policy& p) {
  const TimeMs w = p.window;
  TimeMs last_closed = now - ((now % w) + w) % w;  // end of the newest closed window
  if (updated_to_ == 0) {
    // Start learning at the first window that holds data.
    TimeMs first = series.empty() ? now : std::min(now, series.last_minute());
    if (first_seen_ == 0) first_seen_ = first;
    updated_to_ = first - ((first % w) + w) % w;
    return;
  }
  // After a long gap the EWMA of zero windows converges anyway; bound the work to 30 days.
  if (last_closed - updated_to_ > 30 * kDay) updated_to_ = last_closed - 30 * kDay;
  double a_slot = 1 - std::exp2(-static_cast<double>(w * 24) / static_cast<double>(p.slot_half_life));
  double a_all = 1 - std::exp2(-static_cast<double>(w) / static_cast<double>(p.global_half_life));
  a_slot = std::clamp(a_slot, 0.001, 1.0);
  a_all = std::clamp(a_all, 0.001, 1.0);
  while (updated_to_ + w <= last_closed) {
    TimeMs end = updated_to_ + w;
    double x = static_cast<double>(series.Sum(updated_to_, end).volume);
    Slot& all = slots_[24];
    Slot& slot = slots_[HourOfDay(updated_to_)];
    double cap = all.mean + 3 * std::sqrt(std::max(all.var, all.mean)) + 1;
    if (all.n > 0 && x > cap) x = cap;
    Observe(slot, x, a_slot);
    Observe(all, x, a_all);
    updated_to_ = end;
  }
}

Baseline::Expected Baseline::At(TimeMs t, const Policy& p) const {
  Expected e;
  const Slot& all = slots_[24];
  const Slot& slot = slots_[HourOfDay(t)];
  e.warm = all.n * p.window >= p.warmup;
  double mean = all.mean, var = all.var;
  e.basis = "all-hours";
  if (slot.n >= p.slot_min_windows) {
    mean = slot.mean;
    var = slot.var;
    e.basis = "hour-of-day";
  }
  if (mean < p.baseline_floor) {
    mean = p.baseline_floor;
    e.basis = "floor";
  }
  // Counts are at least Poisson-dispersed: the variance never drops below the mean.
  e.mean = mean;
  e.sd = std::sqrt(std::max(var, mean));
  return e;
}

std::vector<BaselineRow> Baseline::Rows(int64_t scheme_id) const {
  std::vector<BaselineRow> rows;
  for (int i = 0; i < 25; ++i)
    if (slots_[i].n > 0) rows.push_back({scheme_id, i, slots_[i].mean, slots_[i].var, slots_[i].n, updated_to_});
  if (rows.empty() && updated_to_) rows.push_back({scheme_id, 24, 0, 0, 0, updated_to_});
  return rows;
}

void Baseline::Load(const std::vector<BaselineRow>& rows) {
  for (const auto& r : rows) {
    if (r.slot < 0 || r.slot > 24) continue;
    slots_[r.slot] = {r.mean, r.var, r.n};
    updated_to_ = std::max(updated_to_, r.updated_to);
  }
}

}  // namespace yuqing::warning

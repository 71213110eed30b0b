#include "analysis/simhash.h"

#include <algorithm>
#include <cmath>

namespace yuqing::analysis {

uint64_t Hash64(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

namespace {

// Words made only of ASCII punctuation/symbols or CJK punctuation carry no content.
bool IsContentWord(const std::string& w) {
  for (unsigned char c : w) {
    if (c >= 0x80) return !(w.size() == 3 && (static_cast<unsigned char>(w[0]) == 0xE3 || static_cast<unsigned char>(w[0]) == 0xEF ||
                                              (static_cast<unsigned char>(w[0]) == 0xE2 && static_cast<unsigned char>(w[1]) == 0x80)));
    if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return true;
  }
  return false;
}

}  // namespace

uint64_t SimHash(const std::vector<std::string>& words, const text::Segmenter* seg) {
  float v[64] = {};
  int used = 0;
  for (const auto& w : words) {
    if (!IsContentWord(w)) continue;
    if (seg && seg->IsStopWord(w)) continue;
    float weight = seg ? static_cast<float>(std::min(seg->Idf(w), 14.0)) : 1.0f;
    uint64_t h = Hash64(w);
    for (int b = 0; b < 64; ++b) v[b] += (h >> b & 1) ? weight : -weight;
    ++used;
  }
  if (used == 0) return 0;
  uint64_t out = 0;
  for (int b = 0; b < 64; ++b)
    if (v[b] > 0) out |= 1ull << b;
  return out;
}

NearDupIndex::NearDupIndex(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)), buckets_(4 * 65536) {}

const std::string* NearDupIndex::Find(uint64_t hash, int max_distance) const {
  const Entry* best = nullptr;
  int best_d = max_distance + 1;
  for (int band = 0; band < 4; ++band) {
    const auto& bucket = buckets_[band * 65536 + (hash >> (16 * band) & 0xFFFF)];
    for (const Slot& s : bucket) {
      int d = HammingDistance(s.hash, hash);
      if (d > best_d || !Live(s.seq)) continue;
      const Entry& e = ring_[s.seq % capacity_];
      if (d < best_d || (best && e.seq < best->seq)) best = &e, best_d = d;
    }
  }
  return best ? &best->id : nullptr;
}

void NearDupIndex::Add(uint64_t hash, std::string id) {
  uint64_t seq = next_++;
  if (ring_.size() < capacity_) ring_.emplace_back();
  Entry& e = ring_[seq % capacity_];
  e.hash = hash;
  e.seq = seq;
  e.id = std::move(id);
  for (int band = 0; band < 4; ++band) {
    auto& bucket = buckets_[band * 65536 + (hash >> (16 * band) & 0xFFFF)];
    // Drop entries that fell out of the ring and keep the newest kMaxBucket.
    size_t drop = 0;
    while (drop < bucket.size() && !Live(bucket[drop].seq)) ++drop;
    if (bucket.size() - drop >= kMaxBucket) drop = bucket.size() - kMaxBucket + 1;
    if (drop) bucket.erase(bucket.begin(), bucket.begin() + drop);
    bucket.push_back({seq, hash});
  }
}

}  // namespace yuqing::analysis

// Near-duplicates: 64-bit SimHash over a post's words (weighted by idf) and a banded index that
// finds an earlier post within Hamming distance 3 (four 16-bit bands: by pigeonhole, two hashes
// within distance 3 agree exactly on at least one band).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "text/segmenter.h"

namespace yuqing::analysis {

// Stable 64-bit hash of a string (FNV-1a with a murmur finaliser); the same on every platform.
uint64_t Hash64(std::string_view s);

// SimHash of segmented, normalised words. Punctuation, whitespace and stop words are skipped;
// each remaining word votes with weight idf (1 without a segmenter). 0 when no word remains.
uint64_t SimHash(const std::vector<std::string>& words, const text::Segmenter* seg);

inline int HammingDistance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

// The last `capacity` hashes with their post ids; older entries fall out (FIFO). Each band
// bucket keeps at most kMaxBucket entries (the newest), so a lookup costs at most
// 4 * kMaxBucket comparisons however large the stream. Not thread-safe: one owner.
class NearDupIndex {
 public:
  static constexpr size_t kMaxBucket = 32;
  explicit NearDupIndex(size_t capacity = 1 << 20);

  // The id of the closest indexed hash within max_distance (the oldest among equals), or nullptr.
  // The pointer is valid until the next Add.
  const std::string* Find(uint64_t hash, int max_distance = 3) const;
  void Add(uint64_t hash, std::string id);
  size_t size() const { return next_ < capacity_ ? next_ : capacity_; }

 private:
  struct Entry {
    uint64_t hash = 0;
    uint64_t seq = 0;
    std::string id;
  };
  bool Live(uint64_t seq) const { return seq + capacity_ >= next_ && seq < next_; }
  size_t capacity_;
  uint64_t next_ = 0;                           // sequence number of the next entry
  std::vector<Entry> ring_;                     // ring_[seq % capacity_]
  struct Slot {
    uint64_t seq;
    uint64_t hash;  // kept beside the seq so a lookup touches the ring only for a match
  };
  std::vector<std::vector<Slot>> buckets_;  // 4 bands x 65536 → entries, oldest first
};

}  // namespace yuqing::analysis

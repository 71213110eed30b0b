// Near-duplicates: 64-bit SimHash over a post's words (weighted by idf) and a banded index that
// finds an earlier post within Hamming distance 3 (four 16-bit bands: by pigeonhole, two hashes
// within distance 3 agree exactly on at least one band).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/hash.h"
#include "text/segmenter.h"

namespace yuqing::analysis {

using yuqing::Hash64;  // core/hash.h

// SimHash of segmented, normalised words. Punctuation, whitespace and stop words are skipped;
// each remaining word votes with weight idf (1 without a segmenter). 0 when no word remains.
uint64_t SimHash(const std::vector<std::string>& words, const text::Segmenter* seg);
// The same with the words' facts already looked up (Segmenter::Facts), as the analyzer has them.
uint64_t SimHash(const std::vector<std::string>& words, const std::vector<text::Segmenter::WordFact>& facts);

inline int HammingDistance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

// The last `capacity` hashes with their post ids; older entries fall out (FIFO). Each band
// bucket keeps at most bucket_slots() entries (the newest), so a lookup costs at most
// 4 * bucket_slots() comparisons however large the stream. Not thread-safe: one owner.
//
// Layout: the ids sit in a ring of `capacity` entries; each of the 4 × 65536 band buckets is a
// fixed block of slots written round-robin (their hashes, then the low 32 bits of their sequence
// numbers), all in one zeroed allocation whose pages are committed as the index fills (12 bytes
// × 4 × 65536 × bucket_slots(): 96 MiB at the default 1M capacity, where a bucket holds 32).
// A lookup reads 4 blocks, issued together; nothing is allocated per post.
class NearDupIndex {
 public:
  static constexpr size_t kMaxBucket = 32;
  explicit NearDupIndex(size_t capacity = 1 << 20);
  ~NearDupIndex();
  NearDupIndex(const NearDupIndex&) = delete;
  NearDupIndex& operator=(const NearDupIndex&) = delete;

  // The id of the closest indexed hash within max_distance (the oldest among equals), or nullptr.
  // The pointer is valid until the next Add.
  const std::string* Find(uint64_t hash, int max_distance = 3) const;
  void Add(uint64_t hash, std::string id);
  size_t size() const { return next_ < capacity_ ? next_ : capacity_; }
  // Slots per band bucket: about twice the average fill at full capacity, 4 to kMaxBucket.
  size_t bucket_slots() const { return slots_; }

 private:
  struct Entry {
    uint64_t hash = 0;
    uint64_t seq = 0;
    std::string id;
  };
  static constexpr size_t kBuckets = 4 * 65536;
  static size_t Bucket(uint64_t hash, int band) { return band * 65536 + (hash >> (16 * band) & 0xFFFF); }
  // The full sequence number of a slot's low 32 bits (the newest one that has them).
  uint64_t Seq(uint32_t low) const { return next_ - static_cast<uint32_t>(static_cast<uint32_t>(next_) - low); }
  bool Live(uint64_t seq) const { return seq + capacity_ >= next_ && seq < next_; }

  size_t capacity_;
  size_t slots_;     // per bucket
  uint64_t next_ = 0;       // sequence number of the next entry
  std::vector<Entry> ring_;  // ring_[seq % capacity_]
  uint64_t* Hashes(size_t bucket) const { return blocks_ + bucket * (slots_ + slots_ / 2); }
  uint32_t* Seqs(size_t bucket) const { return reinterpret_cast<uint32_t*>(Hashes(bucket) + slots_); }
  uint64_t* blocks_ = nullptr;  // per bucket: uint64_t hash[slots_], uint32_t seq[slots_]; calloc'd
  uint8_t* fill_ = nullptr;     // [bucket]: slots written so far, capped at slots_
  uint8_t* head_ = nullptr;     // [bucket]: the next slot to write
};

}  // namespace yuqing::analysis

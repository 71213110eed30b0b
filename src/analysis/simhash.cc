#include "analysis/simhash.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <new>

namespace yuqing::analysis {

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

// Adds one word's vote: +weight where its hash has the bit set, -weight where not; written
// without a branch so that the compiler vectorises the 64 lanes (the sums are the same, bit for bit).
void Vote(float (&v)[64], uint64_t h, double idf) {
  const float weight = static_cast<float>(std::min(idf, 14.0));
  for (int b = 0; b < 64; ++b) v[b] += weight * static_cast<float>(static_cast<int>(h >> b & 1) * 2 - 1);
}

uint64_t Fingerprint(const float (&v)[64]) {
  uint64_t out = 0;
  for (int b = 0; b < 64; ++b)
    if (v[b] > 0) out |= 1ull << b;
  return out;
}

}  // namespace

uint64_t SimHash(const std::vector<std::string>& words, const text::Segmenter* seg) {
  if (seg) {
    std::vector<text::Segmenter::WordFact> facts;
    seg->Facts(words, facts);
    return SimHash(words, facts);
  }
  float v[64] = {};
  int used = 0;
  for (const auto& w : words) {
    if (!IsContentWord(w)) continue;
    Vote(v, Hash64(w), 1.0);
    ++used;
  }
  return used ? Fingerprint(v) : 0;
}

uint64_t SimHash(const std::vector<std::string>& words, const std::vector<text::Segmenter::WordFact>& facts) {
  float v[64] = {};
  int used = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    if (!IsContentWord(words[i]) || facts[i].stop) continue;
    Vote(v, facts[i].hash, facts[i].idf);
    ++used;
  }
  return used ? Fingerprint(v) : 0;
}

NearDupIndex::NearDupIndex(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {
  slots_ = 4;
  while (slots_ < kMaxBucket && slots_ * 32768 < capacity_) slots_ *= 2;
  // Zeroed allocations: pages are committed as buckets fill, not up front.
  blocks_ = static_cast<uint64_t*>(std::calloc(kBuckets * (slots_ + slots_ / 2), sizeof(uint64_t)));
  fill_ = static_cast<uint8_t*>(std::calloc(kBuckets, 1));
  head_ = static_cast<uint8_t*>(std::calloc(kBuckets, 1));
  if (!blocks_ || !fill_ || !head_) {
    std::free(blocks_), std::free(fill_), std::free(head_);
    throw std::bad_alloc();
  }
  // Growing the ring would move every id at each doubling (a pause in the stream); reserving only
  // claims address space, pages are committed as the ring fills.
  ring_.reserve(capacity_);
}

NearDupIndex::~NearDupIndex() {
  std::free(blocks_);
  std::free(fill_);
  std::free(head_);
}

const std::string* NearDupIndex::Find(uint64_t hash, int max_distance) const {
  size_t b[4];
  for (int band = 0; band < 4; ++band) {
    b[band] = Bucket(hash, band);
    __builtin_prefetch(Hashes(b[band]));
  }
  const Entry* best = nullptr;
  int best_d = max_distance + 1;
  for (int band = 0; band < 4; ++band) {
    const uint64_t* h = Hashes(b[band]);
    const uint32_t* q = Seqs(b[band]);
    for (size_t i = 0, n = fill_[b[band]]; i < n; ++i) {
      int d = HammingDistance(h[i], hash);
      if (d > best_d) continue;
      uint64_t seq = Seq(q[i]);
      if (!Live(seq)) continue;
      const Entry& e = ring_[seq % capacity_];
      if (e.seq != seq || e.hash != h[i]) continue;  // the slot is older than 2^32 entries
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
  // Each bucket is a ring of slots_ entries: the oldest is overwritten (entries that fell out of
  // the id ring are skipped by Find until then).
  for (int band = 0; band < 4; ++band) {
    size_t b = Bucket(hash, band);
    Hashes(b)[head_[b]] = hash;
    Seqs(b)[head_[b]] = static_cast<uint32_t>(seq);
    head_[b] = static_cast<uint8_t>((head_[b] + 1) % slots_);
    if (fill_[b] < slots_) ++fill_[b];
  }
}

}  // namespace yuqing::analysis

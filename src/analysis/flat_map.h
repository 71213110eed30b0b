// Open-addressing hash tables keyed by 64-bit integers (post-id and keyword hashes, event ids),
// for the event tracker's per-post lookups: one probe sequence in one flat array instead of a
// bucket, a node and a std::string per entry.
//
//   FlatMap<V>:   grows by doubling (load ≤ 1/2); linear probing, backward-shift deletion (no
//                 tombstones, so lookups stay short however many entries come and go).
//   RecentMap<V>: at most `capacity` entries, the oldest inserted falls out first (a ring of keys
//                 in insertion order). Its table is sized once for the capacity, never rehashes,
//                 and is allocated zeroed with calloc, so pages are committed only as they fill.
//
// V must be trivially copyable (slots are moved with memcpy-like copies; a zeroed slot is an
// empty V). Keys are mixed (Fibonacci hashing) so sequential ids spread; key 0 is allowed.
// Pointers returned by Find/Insert stay valid until the next Insert or Erase. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

namespace yuqing::analysis {

template <typename V>
class FlatMap {
  static_assert(std::is_trivially_copyable_v<V>, "FlatMap values must be trivially copyable");

 public:
  // min_slots is rounded up to a power of two (≥ 16). Fixed maps never grow: the owner keeps
  // size() below half the slots (RecentMap does).
  explicit FlatMap(size_t min_slots = 16, bool fixed = false) : fixed_(fixed) { Allocate(min_slots); }
  FlatMap(FlatMap&& o) noexcept { *this = std::move(o); }
  FlatMap& operator=(FlatMap&& o) noexcept {
    std::swap(slots_, o.slots_);
    std::swap(mask_, o.mask_);
    std::swap(shift_, o.shift_);
    std::swap(size_, o.size_);
    std::swap(fixed_, o.fixed_);
    std::swap(has_zero_, o.has_zero_);
    std::swap(zero_, o.zero_);
    return *this;
  }

  V* Find(uint64_t key) {
    if (key == 0) return has_zero_ ? &zero_ : nullptr;
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_.get()[i];
      if (s.key == key) return &s.value;
      if (s.key == 0) return nullptr;
    }
  }
  const V* Find(uint64_t key) const { return const_cast<FlatMap*>(this)->Find(key); }
  // Starts loading key's home slot, so that several lookups can wait for memory together.
  void Prefetch(uint64_t key) const { __builtin_prefetch(&slots_.get()[Home(key)]); }

  // The slot for key (value-initialised when new); `inserted` tells which.
  V* Insert(uint64_t key, bool* inserted = nullptr) {
    if (key == 0) {
      if (inserted) *inserted = !has_zero_;
      if (!has_zero_) has_zero_ = true, zero_ = V{}, ++size_;
      return &zero_;
    }
    if (!fixed_ && 2 * (size_ + 1) > mask_ + 1) Grow();
    for (size_t i = Home(key);; i = (i + 1) & mask_) {
      Slot& s = slots_.get()[i];
      if (s.key == key) {
        if (inserted) *inserted = false;
        return &s.value;
      }
      if (s.key == 0) {
        s.key = key;
        s.value = V{};
        ++size_;
        if (inserted) *inserted = true;
        return &s.value;
      }
    }
  }

  bool Erase(uint64_t key) {
    if (key == 0) {
      if (!has_zero_) return false;
      has_zero_ = false, --size_;
      return true;
    }
    size_t i = Home(key);
    Slot* t = slots_.get();
    while (t[i].key != key) {
      if (t[i].key == 0) return false;
      i = (i + 1) & mask_;
    }
    // Backward-shift: move later members of the probe run into the hole when their home allows.
    for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      if (t[j].key == 0) break;
      size_t home = Home(t[j].key);
      // Slot j's entry may fill hole i when its home is not within (i, j] (cyclically).
      if (((j - home) & mask_) >= ((j - i) & mask_)) {
        t[i] = t[j];
        i = j;
      }
    }
    t[i].key = 0;
    t[i].value = V{};
    --size_;
    return true;
  }

  // Calls f(key, value&) for every entry, in no particular order. f must not insert or erase.
  template <typename F>
  void ForEach(F&& f) {
    if (has_zero_) f(uint64_t{0}, zero_);
    for (size_t i = 0; i <= mask_; ++i)
      if (slots_.get()[i].key != 0) f(slots_.get()[i].key, slots_.get()[i].value);
  }

  // Erases the entries for which pred(key, value&) is true (pred may release what V points to).
  // pred must give the same answer when asked twice: an entry that wraps around the table's end
  // can shift back into a slot the sweep is looking at and be asked again.
  template <typename P>
  size_t EraseIf(P&& pred) {
    size_t n = 0;
    if (has_zero_ && pred(uint64_t{0}, zero_)) has_zero_ = false, --size_, ++n;
    // Erasing shifts later entries back, so an erased slot is looked at again.
    for (size_t i = 0; i <= mask_;) {
      Slot& s = slots_.get()[i];
      if (s.key != 0 && pred(s.key, s.value)) {
        uint64_t key = s.key;
        Erase(key);
        ++n;
        continue;  // a later entry may have shifted into slot i: look at it too
      }
      ++i;
    }
    return n;
  }

  size_t size() const { return size_; }
  size_t slots() const { return mask_ + 1; }

 private:
  struct Slot {
    uint64_t key;  // 0: empty
    V value;
  };
  struct Free {
    void operator()(Slot* p) const { std::free(p); }
  };

  size_t Home(uint64_t key) const { return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> shift_); }

  void Allocate(size_t min_slots) {
    size_t n = 16;
    int bits = 4;
    while (n < min_slots) n <<= 1, ++bits;
    Slot* p = static_cast<Slot*>(std::calloc(n, sizeof(Slot)));
    if (!p) throw std::bad_alloc();
    slots_.reset(p);
    mask_ = n - 1;
    shift_ = 64 - bits;
  }

  void Grow() {
    std::unique_ptr<Slot, Free> old = std::move(slots_);
    size_t old_n = mask_ + 1;
    Allocate(2 * old_n);
    for (size_t k = 0; k < old_n; ++k) {
      const Slot& s = old.get()[k];
      if (s.key == 0) continue;
      size_t i = Home(s.key);
      while (slots_.get()[i].key != 0) i = (i + 1) & mask_;
      slots_.get()[i] = s;
    }
  }

  std::unique_ptr<Slot, Free> slots_;
  size_t mask_ = 0;
  int shift_ = 64;
  size_t size_ = 0;
  bool fixed_ = false;
  bool has_zero_ = false;
  V zero_{};
};

template <typename V>
class RecentMap {
 public:
  explicit RecentMap(size_t capacity)
      : capacity_(capacity ? capacity : 1), map_(2 * capacity_, /*fixed=*/true),
        ring_(static_cast<uint64_t*>(std::calloc(capacity_, sizeof(uint64_t)))) {
    if (!ring_) throw std::bad_alloc();
  }

  const V* Find(uint64_t key) const { return map_.Find(key); }
  void Prefetch(uint64_t key) const { map_.Prefetch(key); }

  // Sets key's value. A new key is the newest; when the map is full the oldest key falls out.
  // A key already present keeps its place in the order.
  void Put(uint64_t key, const V& value) {
    bool inserted = false;
    V* v = map_.Insert(key, &inserted);
    *v = value;
    if (!inserted) return;
    size_t pos = static_cast<size_t>(count_ % capacity_);
    if (count_ >= capacity_) map_.Erase(ring_.get()[pos]);
    ring_.get()[pos] = key;
    ++count_;
  }

  size_t size() const { return map_.size(); }
  size_t capacity() const { return capacity_; }

 private:
  struct Free {
    void operator()(uint64_t* p) const { std::free(p); }
  };
  size_t capacity_;
  FlatMap<V> map_;
  std::unique_ptr<uint64_t, Free> ring_;  // keys in insertion order, ring_[n % capacity_]
  uint64_t count_ = 0;                    // keys ever inserted
};

}  // namespace yuqing::analysis

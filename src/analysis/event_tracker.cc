#include "analysis/event_tracker.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "analysis/flat_map.h"
#include "analysis/quote_links.h"

namespace yuqing::analysis {

namespace {

constexpr TimeMs kHourMs = 3600 * 1000;
constexpr size_t kTitleChars = 60;
constexpr size_t kMaxSpreadersKept = 256;  // per event, pruned to the top 64 beyond this
constexpr size_t kSpreadersReported = 10;
constexpr size_t kPostKeywords = 8;
constexpr size_t kMaxCentroidTerms = 32;       // centroid_terms is clamped to this
constexpr size_t kMaxEventsPerKeyword = 8;     // events_per_keyword is clamped to this
constexpr size_t kMaxCandidates = 64;          // max_candidates is clamped to this
// An event's place in the tracker's slab as the postings store it: slot (low 24 bits) and the
// slot's generation (high 8 bits), so a list entry left behind by an event that went away is
// recognised (up to 256 reuses of the slot; a stale entry that slips through only costs a
// candidate, since events are chosen by their own centroid). A merged event's slots point at
// the event it went into, so the lists that named it lead there, as its id does.
constexpr uint32_t kSlotBits = 24;
constexpr uint32_t kMaxSlots = (1u << kSlotBits) - 1;
constexpr uint32_t kNoRef = ~0u;

// Weight of the i-th keyword (keywords arrive best first).
float RankWeight(size_t i) { return 1.0f / (1.0f + 0.25f * static_cast<float>(i)); }

// Term hashes are never 0 (0 marks an empty centroid slot).
uint64_t TermHash(std::string_view s) {
  uint64_t h = Hash64(s);
  return h ? h : 1;
}

std::string Title(const Post& p) {
  std::string_view src = p.title.empty() ? std::string_view(p.text) : std::string_view(p.title);
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < src.size() && chars < kTitleChars;) {
    unsigned char c = static_cast<unsigned char>(src[i]);
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    len = std::min(len, src.size() - i);
    if (c == '\n' || c == '\r' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.append(src.substr(i, len));
    }
    i += len;
    ++chars;
  }
  return out;
}

// A post's keywords as weighted term hashes.
struct PostTerms {
  uint64_t hash[kPostKeywords];
  float weight[kPostKeywords];
  size_t n = 0;
  double norm = 0;
};

// An event's keyword centroid: ≤ 2 × kMaxCentroidTerms + kPostKeywords terms in a small
// open-addressing table, with a 512-bit Bloom filter in front. Scoring a candidate event reads
// the filter (one cache line) and probes the table only for the post's terms that pass it, so a
// candidate costs about two cache lines however large its centroid.
class Centroid {
 public:
  static constexpr size_t kSlots = 128;  // power of two, > 2 * kMaxCentroidTerms + kPostKeywords

  bool MayContain(uint64_t h) const {
    return (bloom_[h & 7] >> (h >> 3 & 63) & 1) && (bloom_[h >> 9 & 7] >> (h >> 12 & 63) & 1);
  }
  bool Contains(uint64_t h) const { return MayContain(h) && Weight(h) != 0; }
  float Weight(uint64_t h) const {
    for (size_t i = Home(h);; i = (i + 1) & (kSlots - 1)) {
      if (key_[i] == h) return w_[i];
      if (key_[i] == 0) return 0;
    }
  }
  // Adds w to the term's weight (a new term when absent). Returns true for a new term.
  bool Add(uint64_t h, float w) {
    size_t i = Home(h);
    while (key_[i] != 0 && key_[i] != h) i = (i + 1) & (kSlots - 1);
    bool fresh = key_[i] == 0;
    if (fresh) {
      key_[i] = h;
      w_[i] = 0;
      ++n_;
      bloom_[h & 7] |= 1ull << (h >> 3 & 63);
      bloom_[h >> 9 & 7] |= 1ull << (h >> 12 & 63);
    }
    sumsq_ += (w_[i] + w) * (w_[i] + w) - w_[i] * w_[i];
    w_[i] += w;
    return fresh;
  }
  // Keeps the `keep` heaviest terms once there are more than twice as many. Equal weights are
  // common (most terms come from one post); they are settled as the sorted-vector centroid did
  // (nth_element over hash order), so clustering is the same as it was.
  bool Prune(size_t keep) {
    if (n_ <= 2 * keep) return false;
    struct Kept {
      float w;
      uint64_t key;
    } all[kSlots];
    size_t m = 0;
    for (size_t i = 0; i < kSlots; ++i)
      if (key_[i]) all[m++] = {w_[i], key_[i]};
    std::sort(all, all + m, [](const Kept& a, const Kept& b) { return a.key < b.key; });
    std::nth_element(all, all + keep, all + m, [](const Kept& a, const Kept& b) { return a.w > b.w; });
    Clear();
    for (size_t i = 0; i < keep; ++i) Add(all[i].key, all[i].w);
    return true;
  }
  template <typename F>
  void ForEach(F&& f) const {
    for (size_t i = 0; i < kSlots; ++i)
      if (key_[i]) f(key_[i], w_[i]);
  }
  size_t size() const { return n_; }
  double sumsq() const { return sumsq_; }

 private:
  static size_t Home(uint64_t h) { return static_cast<size_t>(h >> 57); }
  void Clear() {
    std::memset(key_, 0, sizeof key_);
    std::memset(bloom_, 0, sizeof bloom_);
    n_ = 0;
    sumsq_ = 0;
  }
  uint64_t bloom_[8] = {};
  double sumsq_ = 0;
  size_t n_ = 0;
  uint64_t key_[kSlots] = {};
  float w_[kSlots] = {};
};
static_assert(Centroid::kSlots > 2 * kMaxCentroidTerms + kPostKeywords);

}  // namespace

struct alignas(64) EventState {
  // Read for every candidate: the first two cache lines.
  TimeMs last_seen = 0;
  uint64_t stamp = 0;    // the Assign call that last listed this event as a candidate
  uint32_t ref = kNoRef;  // slab slot and generation
  Centroid centroid;     // its Bloom filter and norm come first
  std::vector<uint32_t> slots;  // slab slots that lead here: its own and those of merged events
  // Read when the post joins.
  std::vector<std::pair<uint64_t, std::string>> names;  // the centroid's terms' keywords
  double best_sim = 0;
  bool dirty = true;
  size_t bytes = 0;  // what Bytes() said when last measured (the tracker's running total holds it)
  EventRecord rec;
  std::unordered_map<std::string, Spreader> spreaders;

  // The memory this state holds, estimated in O(1) from its sizes (entries at typical sizes, not
  // walked), so that it can be re-measured on every post; a function of the state alone, so the
  // byte budget sheds the same events in every run over the same posts.
  size_t Bytes() const {
    constexpr size_t kNameBytes = 56;       // (hash, keyword) with a short keyword
    constexpr size_t kSpreaderBytes = 176;  // hash node, id key, Spreader with two short strings
    constexpr size_t kMapNodeBytes = 80;    // std::map node with a short key
    return sizeof(EventState) + names.size() * kNameBytes + spreaders.size() * kSpreaderBytes +
           (rec.volume.size() + rec.types.size() + rec.regions.size() + rec.sources.size()) * kMapNodeBytes +
           slots.size() * sizeof(uint32_t) + rec.title.size() + rec.first_author_name.size() +
           rec.representative_post.size() + rec.first_post_id.size();
  }

  double Similarity(const PostTerms& p) const {
    double sumsq = centroid.sumsq();
    if (sumsq <= 0 || p.norm <= 0) return 0;
    double dot = 0;
    for (size_t k = 0; k < p.n; ++k)
      if (centroid.MayContain(p.hash[k])) dot += p.weight[k] * centroid.Weight(p.hash[k]);
    return dot / (p.norm * std::sqrt(sumsq));
  }

  void AddTerm(uint64_t h, float w, const std::string& name) {
    if (centroid.Add(h, w)) names.emplace_back(h, name);
  }

  void Prune(size_t keep) {
    if (!centroid.Prune(keep)) return;
    names.erase(std::remove_if(names.begin(), names.end(),
                               [&](const auto& n) { return !centroid.Contains(n.first); }),
                names.end());
  }

  // Fills the derived fields of rec (spreaders, terms) before it is handed out.
  void Finish(size_t terms) {
    std::vector<Spreader> s;
    s.reserve(spreaders.size());
    for (auto& [id, sp] : spreaders) s.push_back(sp);
    size_t n = std::min(kSpreadersReported, s.size());
    std::partial_sort(s.begin(), s.begin() + n, s.end(), [](const Spreader& a, const Spreader& b) {
      return a.reach != b.reach ? a.reach > b.reach : a.posts > b.posts;
    });
    s.resize(n);
    rec.spreaders = std::move(s);
    std::vector<std::pair<double, const std::string*>> t;
    t.reserve(names.size());
    for (const auto& [h, name] : names) t.emplace_back(centroid.Weight(h), &name);
    std::sort(t.begin(), t.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : *a.second < *b.second;
    });
    rec.terms.clear();
    for (size_t i = 0; i < t.size() && i < terms; ++i) rec.terms.emplace_back(*t[i].second, t[i].first);
  }
};

namespace {
// Recent events that used a keyword (slab refs), oldest first.
struct Posting {
  uint32_t n;
  uint32_t refs[kMaxEventsPerKeyword];
};
}  // namespace

struct EventTracker::Impl {
  EventTrackerOptions opts;
  NearDupIndex dedup;
  FlatMap<EventState*> live;      // event id → state (owned)
  std::vector<EventState*> slab;  // slot → state (nullptr when free), what postings point at
  std::vector<uint8_t> slab_gen;  // slot → generation, bumped when the slot is freed
  std::vector<uint32_t> free_slots;
  FlatMap<int64_t> merged;        // merged event id → the event it went into
  FlatMap<Posting> postings;      // keyword hash → recent events
  RecentMap<int64_t> post_event;  // Hash64(post id) → event, the last post_map_capacity posts
  RecentMap<int64_t> quote_event;  // quote key → event of the first recent post that had it
  RecentMap<int64_t> author_event;  // author name key → event of their latest post
  std::vector<EventRecord> merged_out;  // merged-away records waiting for TakeDirty
  std::vector<EventRecord> expired_out;  // changed records of events that left memory
  int64_t next_id;
  TimeMs now = 0;
  TimeMs swept_hour = std::numeric_limits<TimeMs>::min();  // stream hour of the last Sweep
  uint64_t assigned = 0;  // Assign calls so far
  size_t live_bytes = 0;  // sum of the live states' bytes

  explicit Impl(EventTrackerOptions o)
      : opts(Clamp(o)), dedup(o.dedup_capacity), live(1024), merged(64), postings(1 << 14),
        post_event(o.post_map_capacity), quote_event(o.quote_links ? o.quote_key_capacity : 1),
        author_event(o.quote_links ? o.quote_key_capacity / 2 : 1),
        next_id(o.first_event_id) {}
  ~Impl() {
    live.ForEach([](uint64_t, EventState*& e) { delete e; });
  }

  EventState* NewEvent(int64_t id) {
    auto* e = new EventState();
    e->rec.id = id;
    uint32_t slot = kMaxSlots;
    if (!free_slots.empty()) {
      slot = free_slots.back();
      free_slots.pop_back();
    } else if (slab.size() < kMaxSlots) {
      slot = static_cast<uint32_t>(slab.size());
      slab.push_back(nullptr);
      slab_gen.push_back(0);
    }
    if (slot != kMaxSlots) {  // else: beyond 16M live events, not listed under keywords
      slab[slot] = e;
      e->ref = slot | static_cast<uint32_t>(slab_gen[slot]) << kSlotBits;
      e->slots.push_back(slot);
    }
    bool inserted = false;
    EventState*& at = *live.Insert(static_cast<uint64_t>(id), &inserted);
    if (!inserted) Drop(at);
    at = e;
    return e;
  }

  void Remeasure(EventState* e) {
    live_bytes -= e->bytes;
    e->bytes = e->Bytes();
    live_bytes += e->bytes;
  }
  bool OverBudget() const {
    return live.size() > opts.max_live_events || live_bytes > opts.max_live_event_bytes;
  }

  // Frees a state that left live (expired or replaced) and the slots that lead to it.
  void Drop(EventState* e) {
    live_bytes -= e->bytes;
    for (uint32_t slot : e->slots) {
      slab[slot] = nullptr;
      ++slab_gen[slot];
      free_slots.push_back(slot);
    }
    delete e;
  }

  EventState* FromRef(uint32_t ref) const {
    uint32_t slot = ref & kMaxSlots;
    return slab_gen[slot] == ref >> kSlotBits ? slab[slot] : nullptr;
  }

  static EventTrackerOptions Clamp(EventTrackerOptions o) {
    o.centroid_terms = std::clamp<size_t>(o.centroid_terms, 1, kMaxCentroidTerms);
    o.max_live_events = std::max<size_t>(o.max_live_events, 10);
    o.max_live_event_bytes = std::max<size_t>(o.max_live_event_bytes, 10 * sizeof(EventState));
    o.events_per_keyword = std::clamp<size_t>(o.events_per_keyword, 1, kMaxEventsPerKeyword);
    o.max_candidates = std::clamp<size_t>(o.max_candidates, 1, kMaxCandidates);
    return o;
  }

  int64_t Resolve(int64_t id) const {
    for (int hops = 0; hops < 64; ++hops) {
      const int64_t* next = merged.Find(static_cast<uint64_t>(id));
      if (!next) return id;
      id = *next;
    }
    return id;
  }

  // The live state of an event id, following merges (merged ids are never live themselves).
  EventState* Live(int64_t id) {
    if (EventState** e = live.Find(static_cast<uint64_t>(id))) return *e;
    if (!merged.Find(static_cast<uint64_t>(id))) return nullptr;
    EventState** e = live.Find(static_cast<uint64_t>(Resolve(id)));
    return e ? *e : nullptr;
  }

  void Post(const EventState* e, uint64_t h) {
    if (e->ref == kNoRef) return;
    Posting& p = *postings.Insert(h);
    uint32_t i = 0;
    while (i < p.n && p.refs[i] != e->ref) ++i;
    if (i < p.n) {  // already listed: move to the newest end
      std::memmove(p.refs + i, p.refs + i + 1, (p.n - i - 1) * sizeof(uint32_t));
      --p.n;
    } else if (p.n == opts.events_per_keyword) {
      std::memmove(p.refs, p.refs + 1, (p.n - 1) * sizeof(uint32_t));
      --p.n;
    }
    p.refs[p.n++] = e->ref;
  }

  void Merge(EventState* into, EventState* from);
  void Sweep();
  void Shed();
  void Evict(std::vector<int64_t>& ids);
  void Update(EventState* e, const ProcessedPost& p, TimeMs t, const PostTerms& terms, double sim, bool repost);
  EventState* Quoted(const QuoteKeys& keys);
  void PrefetchQuotes(const QuoteKeys& keys, bool refs) const {
    if (refs)
      for (size_t i = 0; i < keys.n_refs; ++i) quote_event.Prefetch(keys.refs[i]);
    for (size_t i = 0; i < keys.n_own; ++i) quote_event.Prefetch(keys.own[i]);
    if (keys.author) author_event.Prefetch(keys.author);
    if (refs && keys.quoted_author) author_event.Prefetch(keys.quoted_author);
  }
  void Remember(const QuoteKeys& keys, int64_t event_id);
};

// The live event of the first quote key that names one (keys come best first), else that of the
// latest post by the author the chain names.
EventState* EventTracker::Impl::Quoted(const QuoteKeys& keys) {
  for (size_t i = 0; i < keys.n_refs; ++i)
    if (const int64_t* ev = quote_event.Find(keys.refs[i]))
      if (EventState* e = Live(*ev)) return e;
  if (keys.quoted_author)
    if (const int64_t* ev = author_event.Find(keys.quoted_author)) return Live(*ev);
  return nullptr;
}

// A key keeps the event of the first post that had it while that event lives, so a quote leads
// to the original's event even after later posts repeat the link or headline elsewhere.
void EventTracker::Impl::Remember(const QuoteKeys& keys, int64_t event_id) {
  for (size_t i = 0; i < keys.n_own; ++i) {
    const int64_t* ev = quote_event.Find(keys.own[i]);
    if (!ev || !Live(*ev)) quote_event.Put(keys.own[i], event_id);
  }
  if (keys.author) author_event.Put(keys.author, event_id);
}

void EventTracker::Impl::Merge(EventState* into, EventState* from) {
  EventRecord& a = into->rec;
  EventRecord& b = from->rec;
  if (b.first_seen < a.first_seen) {
    a.first_seen = b.first_seen;
    a.first_post_id = b.first_post_id;
    a.first_author_id = b.first_author_id;
    a.first_author_name = b.first_author_name;
  }
  a.last_seen = std::max(a.last_seen, b.last_seen);
  into->last_seen = a.last_seen;
  a.posts += b.posts;
  a.originals += b.originals;
  a.copies += b.copies;
  a.reposts += b.reposts;
  for (auto& [k, v] : b.volume) a.volume[k] += v;
  a.negative += b.negative;
  a.neutral += b.neutral;
  a.positive += b.positive;
  for (auto& [k, v] : b.types) a.types[k] += v;
  for (auto& [k, v] : b.regions) a.regions[k] += v;
  for (auto& [k, v] : b.sources) a.sources[k] += v;
  for (auto& [id, s] : from->spreaders) {
    auto& t = into->spreaders[id];
    if (t.author_id.empty()) t = s;
    else t.posts += s.posts, t.reach += s.reach;
  }
  for (const auto& [h, name] : from->names) into->AddTerm(h, from->centroid.Weight(h), name);
  into->Prune(opts.centroid_terms);
  if (from->best_sim > into->best_sim) {
    into->best_sim = from->best_sim;
    a.title = b.title;
    a.representative_post = b.representative_post;
  }
  into->dirty = true;
  for (const auto& [h, name] : from->names) Post(into, h);
  b.merged_into = a.id;
  *merged.Insert(static_cast<uint64_t>(b.id)) = a.id;
  from->Finish(opts.centroid_terms);
  merged_out.push_back(std::move(b));
  live.Erase(static_cast<uint64_t>(merged_out.back().id));
  for (uint32_t slot : from->slots) slab[slot] = into;
  into->slots.insert(into->slots.end(), from->slots.begin(), from->slots.end());
  live_bytes -= from->bytes;
  delete from;
  Remeasure(into);
}

// Events idle for longer than the window leave memory (a changed one leaves its record for
// TakeDirty), and keyword lists that only name departed events are trimmed. Called from Assign
// at the first post of every stream hour, never from TakeDirty: the tracker's state is then a
// function of the posts assigned alone, not of where batches or processes were split, which is
// what lets a restarted tracker replay the store and land exactly where an uninterrupted run is.
void EventTracker::Impl::Sweep() {
  std::vector<int64_t> gone;
  live.ForEach([&](uint64_t id, EventState*& e) {
    if (now - e->last_seen > opts.window_ms) gone.push_back(static_cast<int64_t>(id));
  });
  Evict(gone);
}

// Past max_live_events or max_live_event_bytes, the least recently active (by last post time,
// then id: the order depends on the posts alone) leave memory, as expired events do, until both
// are back under nine tenths of their bound.
void EventTracker::Impl::Shed() {
  struct Aged {
    TimeMs last_seen;
    int64_t id;
    size_t bytes;
    bool operator<(const Aged& o) const { return last_seen != o.last_seen ? last_seen < o.last_seen : id < o.id; }
  };
  std::vector<Aged> by_age;
  by_age.reserve(live.size());
  live.ForEach([&](uint64_t id, EventState*& e) { by_age.push_back({e->last_seen, static_cast<int64_t>(id), e->bytes}); });
  std::sort(by_age.begin(), by_age.end());
  const size_t keep = opts.max_live_events - opts.max_live_events / 10;
  const size_t keep_bytes = opts.max_live_event_bytes - opts.max_live_event_bytes / 10;
  size_t count = by_age.size(), bytes = live_bytes;
  std::vector<int64_t> gone;
  for (const Aged& a : by_age) {
    if (count <= keep && bytes <= keep_bytes) break;
    gone.push_back(a.id);
    --count;
    bytes -= std::min(bytes, a.bytes);
  }
  Evict(gone);
}

void EventTracker::Impl::Evict(std::vector<int64_t>& gone) {
  std::sort(gone.begin(), gone.end());  // slots are freed in id order, whatever the table layout
  for (int64_t id : gone) {
    EventState* e = *live.Find(static_cast<uint64_t>(id));
    if (e->dirty) {
      e->Finish(opts.centroid_terms);
      expired_out.push_back(e->rec);
    }
    live.Erase(static_cast<uint64_t>(id));
    Drop(e);
  }
  // Keywords whose events all left memory would otherwise accumulate with the vocabulary.
  if (postings.size() > 4 * (live.size() + 1) * opts.centroid_terms) {
    postings.EraseIf([&](uint64_t, Posting& list) {
      uint32_t kept = 0;
      for (uint32_t i = 0; i < list.n; ++i)
        if (FromRef(list.refs[i])) list.refs[kept++] = list.refs[i];
      list.n = kept;
      return kept == 0;
    });
  }
}

void EventTracker::Impl::Update(EventState* e, const ProcessedPost& p, TimeMs t, const PostTerms& terms,
                                double sim, bool repost) {
  EventRecord& r = e->rec;
  const Analysis& a = p.analysis;
  if (r.posts == 0 || t < r.first_seen) {
    r.first_seen = t;
    r.first_post_id = p.post.id;
    r.first_author_id = p.post.author.id;
    r.first_author_name = p.post.author.name;
  }
  r.last_seen = std::max(r.last_seen, t);
  e->last_seen = r.last_seen;
  ++r.posts;
  bool copy = !a.dup_of.empty();
  if (repost) ++r.reposts;
  else if (copy) ++r.copies;
  else ++r.originals;
  ++r.volume[t - ((t % kHourMs) + kHourMs) % kHourMs];
  if (a.sentiment_label == "negative") ++r.negative;
  else if (a.sentiment_label == "positive") ++r.positive;
  else ++r.neutral;
  for (const auto& h : a.types) ++r.types[h.type];
  if (!a.province.empty()) ++r.regions[a.city.empty() ? a.province : a.province + "/" + a.city];
  if (!p.post.source.empty()) ++r.sources[p.post.source];
  const std::string& author = p.post.author.id.empty() ? p.post.author.name : p.post.author.id;
  if (!author.empty()) {
    Spreader& s = e->spreaders[author];
    if (s.author_id.empty()) {
      s.author_id = author;
      s.author_name = p.post.author.name;
    }
    ++s.posts;
    s.reach += 1 + std::max<int64_t>(0, p.post.author.followers) + std::max<int64_t>(0, p.post.metrics.reposts) +
               std::max<int64_t>(0, p.post.metrics.comments);
    if (e->spreaders.size() > kMaxSpreadersKept) {
      std::vector<std::pair<int64_t, std::string>> by_reach;
      for (auto& [id, sp] : e->spreaders) by_reach.emplace_back(sp.reach, id);
      std::nth_element(by_reach.begin(), by_reach.begin() + 64, by_reach.end(), std::greater<>());
      for (size_t i = 64; i < by_reach.size(); ++i) e->spreaders.erase(by_reach[i].second);
    }
  }
  if (!repost && !copy && (r.representative_post.empty() || sim > e->best_sim)) {
    e->best_sim = sim;
    r.representative_post = p.post.id;
    r.title = Title(p.post);
  }
  for (size_t i = 0; i < terms.n; ++i) {
    e->AddTerm(terms.hash[i], terms.weight[i], a.keywords[i]);
    Post(e, terms.hash[i]);
  }
  e->Prune(opts.centroid_terms);
  e->dirty = true;
  Remeasure(e);
}

EventTracker::EventTracker(EventTrackerOptions opts) : impl_(std::make_unique<Impl>(opts)) {}
EventTracker::~EventTracker() = default;

void EventTracker::Assign(ProcessedPost& p) {
  Impl& m = *impl_;
  Analysis& a = p.analysis;
  TimeMs t = p.post.published_at ? p.post.published_at : p.post.ingested_at;
  m.now = std::max(m.now, t);
  ++m.assigned;
  const TimeMs hour = m.now - ((m.now % kHourMs) + kHourMs) % kHourMs;
  if (hour != m.swept_hour) {
    m.swept_hour = hour;
    m.Sweep();
  }
  if (m.OverBudget()) m.Shed();

  // Quote keys first, so their table slots load while the near-duplicate index is read.
  QuoteKeys quotes;
  if (m.opts.quote_links) {
    QuoteKeysOf(p.post, quotes);
    m.PrefetchQuotes(quotes, p.post.parent.empty());
  }

  // 1. Near-duplicates: link to the earlier original; only originals enter the index, so every
  // copy points at an original rather than at another copy.
  a.dup_of.clear();
  if (a.simhash != 0) {
    const std::string* orig = m.dedup.Find(a.simhash, m.opts.max_hamming);
    if (orig && *orig != p.post.id) a.dup_of = *orig;
    else m.dedup.Add(a.simhash, p.post.id);
  }

  PostTerms terms;
  terms.n = std::min(a.keywords.size(), kPostKeywords);
  double norm2 = 0;
  for (size_t i = 0; i < terms.n; ++i) {
    terms.hash[i] = TermHash(a.keywords[i]);
    terms.weight[i] = RankWeight(i);
    norm2 += terms.weight[i] * terms.weight[i];
  }
  terms.norm = std::sqrt(norm2);

  // 2. Reposts and copies follow their original.
  EventState* target = nullptr;
  double sim = 0;
  for (const std::string* link : {&p.post.parent, &a.dup_of}) {
    if (target || link->empty()) continue;
    if (const int64_t* ev = m.post_event.Find(Hash64(*link))) target = m.Live(*ev);
  }
  // 2b. Without a parent, a post that quotes a recent one (//@ chain, 转发：, its link or
  // headline) follows it: sources that carry no parent id still keep reposts with originals.
  bool quoted = false;
  if (!target && p.post.parent.empty() && (quotes.n_refs > 0 || quotes.quoted_author)) {
    target = m.Quoted(quotes);
    quoted = target != nullptr;
  }

  // 3. The most similar live event among bounded candidates: the newest events listed under
  // each keyword, best keyword first.
  // Memory latency dominates here (lists and events are spread over a large heap), so each
  // round of loads is issued before any is used.
  if (!target && terms.n > 0) {
    for (size_t k = 0; k < terms.n; ++k) m.postings.Prefetch(terms.hash[k]);
    uint32_t refs[kPostKeywords * kMaxEventsPerKeyword];
    size_t nr = 0;
    for (size_t k = 0; k < terms.n; ++k) {
      const Posting* list = m.postings.Find(terms.hash[k]);
      if (!list) continue;
      for (uint32_t j = list->n; j-- > 0;) {
        const EventState* e = m.slab[list->refs[j] & kMaxSlots];
        if (e) __builtin_prefetch(e), __builtin_prefetch(reinterpret_cast<const char*>(e) + 64);
        refs[nr++] = list->refs[j];
      }
    }
    EventState* cands[kMaxCandidates];
    size_t nc = 0;
    for (size_t i = 0; i < nr && nc < m.opts.max_candidates; ++i) {
      EventState* e = m.FromRef(refs[i]);
      if (!e || e->stamp == m.assigned) continue;
      e->stamp = m.assigned;
      cands[nc++] = e;
    }
    EventState* best = nullptr;
    EventState* second = nullptr;
    double best_sim = 0, second_sim = 0;
    for (size_t i = 0; i < nc; ++i) {
      EventState* e = cands[i];
      if (t - e->last_seen > m.opts.window_ms) continue;
      double s = e->Similarity(terms);
      if (s > best_sim) {
        second = best, second_sim = best_sim;
        best = e, best_sim = s;
      } else if (s > second_sim) {
        second = e, second_sim = s;
      }
    }
    if (best && best_sim >= m.opts.join_threshold) {
      target = best;
      sim = best_sim;
      if (second && second_sim >= m.opts.merge_threshold) {
        // The older event survives, so ids users have seen stay valid as long as possible.
        EventState* into = best->rec.id < second->rec.id ? best : second;
        EventState* from = into == best ? second : best;
        m.Merge(into, from);
        target = into;
      }
    }
  }

  if (!target) {
    target = m.NewEvent(m.next_id++);
    sim = m.opts.join_threshold;
  }
  m.Update(target, p, t, terms, sim, !p.post.parent.empty() || quoted);
  a.event_id = target->rec.id;
  if (!p.post.id.empty()) m.post_event.Put(Hash64(p.post.id), target->rec.id);
  m.Remember(quotes, target->rec.id);
}

std::vector<EventRecord> EventTracker::TakeDirty() {
  Impl& m = *impl_;
  std::vector<EventRecord> out = std::move(m.merged_out);
  m.merged_out.clear();
  for (auto& r : m.expired_out) out.push_back(std::move(r));
  m.expired_out.clear();
  m.live.ForEach([&](uint64_t, EventState* e) {
    if (!e->dirty) return;
    e->Finish(m.opts.centroid_terms);
    out.push_back(e->rec);
    e->dirty = false;
  });
  std::sort(out.begin(), out.end(), [](const EventRecord& a, const EventRecord& b) { return a.id < b.id; });
  return out;
}

const EventRecord* EventTracker::Find(int64_t event_id) const {
  EventState* e = impl_->Live(event_id);
  if (!e) return nullptr;
  e->Finish(impl_->opts.centroid_terms);
  return &e->rec;
}

void EventTracker::Restore(const std::vector<EventRecord>& events) {
  Impl& m = *impl_;
  for (const auto& r : events) {
    m.next_id = std::max(m.next_id, r.id + 1);
    if (r.merged_into) {
      *m.merged.Insert(static_cast<uint64_t>(r.id)) = r.merged_into;
      continue;
    }
    EventState* e = m.NewEvent(r.id);
    e->rec = r;
    e->last_seen = r.last_seen;
    e->dirty = false;
    e->best_sim = m.opts.join_threshold;
    for (const auto& s : r.spreaders) e->spreaders[s.author_id] = s;
    for (const auto& [name, w] : r.terms) {
      uint64_t h = TermHash(name);
      e->AddTerm(h, static_cast<float>(w), name);
      m.Post(e, h);
    }
    e->Prune(m.opts.centroid_terms);
    m.Remeasure(e);
    m.now = std::max(m.now, r.last_seen);
  }
}

int64_t EventTracker::EventOfPost(const std::string& post_id) const {
  if (post_id.empty()) return 0;
  const int64_t* ev = impl_->post_event.Find(Hash64(post_id));
  return ev ? impl_->Resolve(*ev) : 0;
}

size_t EventTracker::live_events() const { return impl_->live.size(); }
size_t EventTracker::live_event_bytes() const { return impl_->live_bytes; }
int64_t EventTracker::next_event_id() const { return impl_->next_id; }

}  // namespace yuqing::analysis

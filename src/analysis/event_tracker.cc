#include "analysis/event_tracker.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace yuqing::analysis {

namespace {

constexpr TimeMs kHourMs = 3600 * 1000;
constexpr size_t kTitleChars = 60;
constexpr size_t kMaxSpreadersKept = 256;  // per event, pruned to the top 64 beyond this
constexpr size_t kSpreadersReported = 10;
constexpr size_t kPostKeywords = 8;

struct Term {
  uint64_t hash;
  float weight;
  std::string name;
};

// Weight of the i-th keyword (keywords arrive best first).
float RankWeight(size_t i) { return 1.0f / (1.0f + 0.25f * static_cast<float>(i)); }

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

}  // namespace

struct EventState {
  EventRecord rec;
  std::vector<Term> centroid;  // sorted by hash
  double sumsq = 0;
  double best_sim = 0;
  std::unordered_map<std::string, Spreader> spreaders;
  bool dirty = true;

  double Similarity(const std::vector<std::pair<uint64_t, float>>& post, double post_norm) const {
    if (sumsq <= 0 || post_norm <= 0) return 0;
    double dot = 0;
    for (const auto& [h, w] : post) {
      auto it = std::lower_bound(centroid.begin(), centroid.end(), h, [](const Term& t, uint64_t x) { return t.hash < x; });
      if (it != centroid.end() && it->hash == h) dot += w * it->weight;
    }
    return dot / (post_norm * std::sqrt(sumsq));
  }

  void AddTerm(uint64_t h, float w, const std::string& name) {
    auto it = std::lower_bound(centroid.begin(), centroid.end(), h, [](const Term& t, uint64_t x) { return t.hash < x; });
    if (it != centroid.end() && it->hash == h) {
      sumsq += (it->weight + w) * (it->weight + w) - it->weight * it->weight;
      it->weight += w;
    } else {
      centroid.insert(it, Term{h, w, name});
      sumsq += w * w;
    }
  }

  void Prune(size_t keep) {
    if (centroid.size() <= 2 * keep) return;
    std::nth_element(centroid.begin(), centroid.begin() + keep, centroid.end(),
                     [](const Term& a, const Term& b) { return a.weight > b.weight; });
    centroid.resize(keep);
    std::sort(centroid.begin(), centroid.end(), [](const Term& a, const Term& b) { return a.hash < b.hash; });
    sumsq = 0;
    for (const auto& t : centroid) sumsq += t.weight * t.weight;
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
    std::vector<const Term*> t;
    for (const auto& x : centroid) t.push_back(&x);
    std::sort(t.begin(), t.end(), [](const Term* a, const Term* b) { return a->weight > b->weight; });
    rec.terms.clear();
    for (size_t i = 0; i < t.size() && i < terms; ++i) rec.terms.emplace_back(t[i]->name, t[i]->weight);
  }
};

struct EventTracker::Impl {
  EventTrackerOptions opts;
  NearDupIndex dedup;
  std::unordered_map<int64_t, std::unique_ptr<EventState>> live;
  std::unordered_map<int64_t, int64_t> merged;                   // merged event → survivor
  std::unordered_map<uint64_t, std::vector<int64_t>> postings;   // keyword → recent events, newest last
  std::unordered_map<std::string, int64_t> post_event;           // post id → event (FIFO bounded)
  std::deque<std::string> post_order;
  std::vector<EventRecord> merged_out;  // merged-away records waiting for TakeDirty
  int64_t next_id;
  TimeMs now = 0;

  explicit Impl(EventTrackerOptions o) : opts(o), dedup(o.dedup_capacity), next_id(o.first_event_id) {}

  int64_t Resolve(int64_t id) const {
    for (int hops = 0; hops < 64; ++hops) {
      auto it = merged.find(id);
      if (it == merged.end()) return id;
      id = it->second;
    }
    return id;
  }

  EventState* Live(int64_t id) {
    auto it = live.find(Resolve(id));
    return it == live.end() ? nullptr : it->second.get();
  }

  void RememberPost(const std::string& id, int64_t event) {
    if (id.empty()) return;
    auto [it, inserted] = post_event.emplace(id, event);
    if (!inserted) {
      it->second = event;
      return;
    }
    post_order.push_back(id);
    if (post_order.size() > opts.post_map_capacity) {
      post_event.erase(post_order.front());
      post_order.pop_front();
    }
  }

  void Post(int64_t event, uint64_t h) {
    auto& list = postings[h];
    auto it = std::find(list.begin(), list.end(), event);
    if (it != list.end()) list.erase(it);
    list.push_back(event);
    if (list.size() > opts.events_per_keyword) list.erase(list.begin());
  }

  void Merge(EventState* into, EventState* from);
  void Update(EventState* e, const ProcessedPost& p, TimeMs t, const std::vector<std::pair<uint64_t, float>>& terms,
              double sim);
};

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
  for (const auto& t : from->centroid) into->AddTerm(t.hash, t.weight, t.name);
  into->Prune(opts.centroid_terms);
  if (from->best_sim > into->best_sim) {
    into->best_sim = from->best_sim;
    a.title = b.title;
    a.representative_post = b.representative_post;
  }
  into->dirty = true;
  for (const auto& t : from->centroid) Post(a.id, t.hash);
  b.merged_into = a.id;
  merged[b.id] = a.id;
  from->Finish(opts.centroid_terms);
  merged_out.push_back(std::move(b));
  live.erase(merged_out.back().id);
}

void EventTracker::Impl::Update(EventState* e, const ProcessedPost& p, TimeMs t,
                                const std::vector<std::pair<uint64_t, float>>& terms, double sim) {
  EventRecord& r = e->rec;
  const Analysis& a = p.analysis;
  if (r.posts == 0 || t < r.first_seen) {
    r.first_seen = t;
    r.first_post_id = p.post.id;
    r.first_author_id = p.post.author.id;
    r.first_author_name = p.post.author.name;
  }
  r.last_seen = std::max(r.last_seen, t);
  ++r.posts;
  bool repost = !p.post.parent.empty();
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
  for (size_t i = 0; i < terms.size(); ++i) {
    e->AddTerm(terms[i].first, terms[i].second, a.keywords[i]);
    Post(r.id, terms[i].first);
  }
  e->Prune(opts.centroid_terms);
  e->dirty = true;
}

EventTracker::EventTracker(EventTrackerOptions opts) : impl_(std::make_unique<Impl>(opts)) {}
EventTracker::~EventTracker() = default;

void EventTracker::Assign(ProcessedPost& p) {
  Impl& m = *impl_;
  Analysis& a = p.analysis;
  TimeMs t = p.post.published_at ? p.post.published_at : p.post.ingested_at;
  m.now = std::max(m.now, t);

  // 1. Near-duplicates: link to the earlier original; only originals enter the index, so every
  // copy points at an original rather than at another copy.
  a.dup_of.clear();
  if (a.simhash != 0) {
    const std::string* orig = m.dedup.Find(a.simhash, m.opts.max_hamming);
    if (orig && *orig != p.post.id) a.dup_of = *orig;
    else m.dedup.Add(a.simhash, p.post.id);
  }

  std::vector<std::pair<uint64_t, float>> terms;
  size_t nk = std::min(a.keywords.size(), kPostKeywords);
  terms.reserve(nk);
  double norm2 = 0;
  for (size_t i = 0; i < nk; ++i) {
    terms.emplace_back(Hash64(a.keywords[i]), RankWeight(i));
    norm2 += terms.back().second * terms.back().second;
  }
  double norm = std::sqrt(norm2);

  // 2. Reposts and copies follow their original.
  EventState* target = nullptr;
  double sim = 0;
  for (const std::string* link : {&p.post.parent, &a.dup_of}) {
    if (target || link->empty()) continue;
    auto it = m.post_event.find(*link);
    if (it != m.post_event.end()) target = m.Live(it->second);
  }

  // 3. The most similar live event among bounded candidates.
  if (!target && !terms.empty()) {
    int64_t cands[64];
    size_t nc = 0;
    size_t cap = std::min<size_t>(m.opts.max_candidates, 64);
    for (const auto& [h, w] : terms) {
      auto it = m.postings.find(h);
      if (it == m.postings.end()) continue;
      for (auto e = it->second.rbegin(); e != it->second.rend() && nc < cap; ++e) {
        int64_t id = m.Resolve(*e);
        if (std::find(cands, cands + nc, id) == cands + nc) cands[nc++] = id;
      }
    }
    EventState* best = nullptr;
    EventState* second = nullptr;
    double best_sim = 0, second_sim = 0;
    for (size_t i = 0; i < nc; ++i) {
      EventState* e = m.Live(cands[i]);
      if (!e || t - e->rec.last_seen > m.opts.window_ms) continue;
      double s = e->Similarity(terms, norm);
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
    auto e = std::make_unique<EventState>();
    e->rec.id = m.next_id++;
    target = e.get();
    sim = m.opts.join_threshold;
    m.live.emplace(target->rec.id, std::move(e));
  }
  m.Update(target, p, t, terms, sim);
  a.event_id = target->rec.id;
  m.RememberPost(p.post.id, target->rec.id);
}

std::vector<EventRecord> EventTracker::TakeDirty() {
  Impl& m = *impl_;
  std::vector<EventRecord> out = std::move(m.merged_out);
  m.merged_out.clear();
  std::vector<int64_t> expired;
  for (auto& [id, e] : m.live) {
    if (e->dirty) {
      e->Finish(m.opts.centroid_terms);
      out.push_back(e->rec);
      e->dirty = false;
    }
    if (m.now - e->rec.last_seen > m.opts.window_ms) expired.push_back(id);
  }
  for (int64_t id : expired) m.live.erase(id);
  // Keywords whose events all left memory would otherwise accumulate with the vocabulary.
  if (m.postings.size() > 4 * (m.live.size() + 1) * m.opts.centroid_terms) {
    for (auto it = m.postings.begin(); it != m.postings.end();) {
      auto& list = it->second;
      list.erase(std::remove_if(list.begin(), list.end(), [&](int64_t e) { return !m.Live(e); }), list.end());
      it = list.empty() ? m.postings.erase(it) : std::next(it);
    }
  }
  std::sort(out.begin(), out.end(), [](const EventRecord& a, const EventRecord& b) { return a.id < b.id; });
  return out;
}

const EventRecord* EventTracker::Find(int64_t event_id) const {
  auto it = impl_->live.find(impl_->Resolve(event_id));
  if (it == impl_->live.end()) return nullptr;
  it->second->Finish(impl_->opts.centroid_terms);
  return &it->second->rec;
}

void EventTracker::Restore(const std::vector<EventRecord>& events) {
  Impl& m = *impl_;
  for (const auto& r : events) {
    m.next_id = std::max(m.next_id, r.id + 1);
    if (r.merged_into) {
      m.merged[r.id] = r.merged_into;
      continue;
    }
    auto e = std::make_unique<EventState>();
    e->rec = r;
    e->dirty = false;
    e->best_sim = m.opts.join_threshold;
    for (const auto& s : r.spreaders) e->spreaders[s.author_id] = s;
    for (const auto& [name, w] : r.terms) {
      uint64_t h = Hash64(name);
      e->AddTerm(h, static_cast<float>(w), name);
      m.Post(r.id, h);
    }
    m.now = std::max(m.now, r.last_seen);
    m.live[r.id] = std::move(e);
  }
}

int64_t EventTracker::EventOfPost(const std::string& post_id) const {
  auto it = impl_->post_event.find(post_id);
  return it == impl_->post_event.end() ? 0 : impl_->Resolve(it->second);
}

size_t EventTracker::live_events() const { return impl_->live.size(); }
int64_t EventTracker::next_event_id() const { return impl_->next_id; }

}  // namespace yuqing::analysis

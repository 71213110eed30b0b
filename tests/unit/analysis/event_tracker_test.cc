#include "analysis/event_tracker.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <unordered_map>

#include "analysis/flat_map.h"

namespace yuqing::analysis {

namespace {
constexpr TimeMs kHour = 3600 * 1000;

ProcessedPost MakePost(const std::string& id, std::vector<std::string> kw, TimeMs t, uint64_t simhash = 0,
                       const std::string& parent = "") {
  ProcessedPost p;
  p.post.id = id;
  p.post.text = "text of " + id;
  p.post.published_at = t;
  p.post.parent = parent;
  p.post.source = "weibo";
  p.post.author.id = "u-" + id;
  p.post.author.followers = 10;
  p.analysis.keywords = std::move(kw);
  p.analysis.simhash = simhash;
  return p;
}

// Low thresholds: a post sharing half its words with each of two events joins one and merges them.
EventTrackerOptions MergingOptions() {
  EventTrackerOptions o;
  o.join_threshold = 0.3;
  o.merge_threshold = 0.45;
  return o;
}
}  // namespace

TEST(EventTrackerTest, SimilarPostsJoinDifferentOnesSplit) {
  EventTracker t;
  auto a = MakePost("a", {"自来水", "停水", "东湖", "投诉"}, 1000);
  auto b = MakePost("b", {"停水", "东湖", "自来水", "居民"}, 2000);
  auto c = MakePost("c", {"高考", "成绩", "分数线"}, 3000);
  t.Assign(a);
  t.Assign(b);
  t.Assign(c);
  EXPECT_EQ(a.analysis.event_id, b.analysis.event_id);
  EXPECT_NE(a.analysis.event_id, c.analysis.event_id);
  const EventRecord* e = t.Find(a.analysis.event_id);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->posts, 2);
  EXPECT_EQ(e->first_post_id, "a");
  EXPECT_EQ(e->sources.at("weibo"), 2);
}

TEST(EventTrackerTest, RepostsJoinTheirOriginalsEvent) {
  EventTracker t;
  auto a = MakePost("a", {"自来水", "停水"}, 1000);
  auto r = MakePost("r", {"哈哈"}, 2000, 0, "a");
  t.Assign(a);
  t.Assign(r);
  EXPECT_EQ(r.analysis.event_id, a.analysis.event_id);
  EXPECT_EQ(t.Find(a.analysis.event_id)->reposts, 1);
}

TEST(EventTrackerTest, NearDuplicatesLinkToTheOriginal) {
  EventTracker t;
  auto a = MakePost("a", {"x"}, 1000, 0xF0F0F0F0F0F0F0F0ull);
  auto b = MakePost("b", {"y"}, 2000, 0xF0F0F0F0F0F0F0F0ull ^ 0x3);
  auto c = MakePost("c", {"z"}, 3000, 0xF0F0F0F0F0F0F0F0ull ^ 0x1);
  t.Assign(a);
  t.Assign(b);
  t.Assign(c);
  EXPECT_EQ(a.analysis.dup_of, "");
  EXPECT_EQ(b.analysis.dup_of, "a");
  EXPECT_EQ(c.analysis.dup_of, "a");
  EXPECT_EQ(b.analysis.event_id, a.analysis.event_id);
  EXPECT_EQ(t.Find(a.analysis.event_id)->copies, 2);
}

TEST(EventTrackerTest, IdleEventsStopTakingPostsAfterTheWindow) {
  EventTrackerOptions o;
  o.window_ms = 24 * kHour;
  EventTracker t(o);
  auto a = MakePost("a", {"自来水", "停水"}, 0);
  auto b = MakePost("b", {"自来水", "停水"}, 48 * kHour);
  t.Assign(a);
  t.Assign(b);
  EXPECT_NE(a.analysis.event_id, b.analysis.event_id);
  auto dirty = t.TakeDirty();
  EXPECT_EQ(dirty.size(), 2u);
  EXPECT_EQ(t.live_events(), 1u);  // a's event left memory
  EXPECT_TRUE(t.TakeDirty().empty());
}

TEST(EventTrackerTest, APostBridgingTwoEventsMergesThem) {
  EventTracker t(MergingOptions());
  auto a = MakePost("a", {"甲", "乙", "丙"}, 1000);
  auto b = MakePost("b", {"丁", "戊", "己"}, 2000);
  t.Assign(a);
  t.Assign(b);
  ASSERT_NE(a.analysis.event_id, b.analysis.event_id);
  auto c = MakePost("c", {"甲", "丁", "乙", "戊"}, 3000);
  t.Assign(c);
  EXPECT_EQ(c.analysis.event_id, a.analysis.event_id);
  EXPECT_EQ(t.EventOfPost("b"), a.analysis.event_id);
  auto dirty = t.TakeDirty();
  bool saw_merged = false;
  for (const auto& e : dirty)
    if (e.id == b.analysis.event_id) saw_merged = e.merged_into == a.analysis.event_id;
  EXPECT_TRUE(saw_merged);
  EXPECT_EQ(t.Find(a.analysis.event_id)->posts, 3);
}

TEST(EventTrackerTest, RestoreContinuesEventsAndIds) {
  EventTracker t;
  auto a = MakePost("a", {"自来水", "停水", "东湖"}, 1000);
  t.Assign(a);
  auto saved = t.TakeDirty();
  EventTracker t2;
  t2.Restore(saved);
  auto b = MakePost("b", {"自来水", "停水", "东湖"}, 2000);
  t2.Assign(b);
  EXPECT_EQ(b.analysis.event_id, a.analysis.event_id);
  auto c = MakePost("c", {"完全", "无关"}, 3000);
  t2.Assign(c);
  EXPECT_GT(c.analysis.event_id, a.analysis.event_id);
}

TEST(EventTrackerTest, KeySpreadersRankedByReach) {
  EventTracker t;
  for (int i = 0; i < 5; ++i) {
    auto p = MakePost("p" + std::to_string(i), {"自来水", "停水"}, 1000 + i);
    p.post.author.followers = i * 1000;
    t.Assign(p);
  }
  auto dirty = t.TakeDirty();
  ASSERT_EQ(dirty.size(), 1u);
  ASSERT_FALSE(dirty[0].spreaders.empty());
  EXPECT_EQ(dirty[0].spreaders[0].author_id, "u-p4");
  EXPECT_FALSE(dirty[0].terms.empty());
}

TEST(EventTrackerTest, ForgottenPostsFallBackToKeywords) {
  EventTrackerOptions o;
  o.post_map_capacity = 2;
  EventTracker t(o);
  auto a = MakePost("a", {"自来水", "停水"}, 1000);
  auto b = MakePost("b", {"高考", "成绩"}, 2000);
  auto c = MakePost("c", {"台风", "登陆"}, 3000);
  t.Assign(a);
  t.Assign(b);
  t.Assign(c);
  EXPECT_EQ(t.EventOfPost("a"), 0);  // the oldest id fell out
  EXPECT_EQ(t.EventOfPost("b"), b.analysis.event_id);
  EXPECT_EQ(t.EventOfPost("c"), c.analysis.event_id);
  auto r = MakePost("r", {"转发"}, 4000, 0, "a");  // its parent is forgotten, no shared keyword
  t.Assign(r);
  EXPECT_NE(r.analysis.event_id, a.analysis.event_id);
  auto r2 = MakePost("r2", {"转发"}, 5000, 0, "c");
  t.Assign(r2);
  EXPECT_EQ(r2.analysis.event_id, c.analysis.event_id);
}

TEST(EventTrackerTest, ExpiredEventsSlotsAreReusedWithoutStaleCandidates) {
  EventTrackerOptions o;
  o.window_ms = kHour;
  EventTracker t(o);
  auto a = MakePost("a", {"自来水", "停水", "东湖"}, 0);
  t.Assign(a);
  t.TakeDirty();
  // Two hours on: a's event leaves memory and its slab slot goes to a new, unrelated event.
  auto b = MakePost("b", {"高考", "成绩", "分数线"}, 2 * kHour);
  t.Assign(b);
  t.TakeDirty();
  EXPECT_EQ(t.live_events(), 1u);
  // The keyword lists still name a's old slot; they must not lead to b's event.
  auto c = MakePost("c", {"自来水", "停水", "东湖"}, 2 * kHour + 1);
  t.Assign(c);
  EXPECT_NE(c.analysis.event_id, b.analysis.event_id);
  EXPECT_NE(c.analysis.event_id, a.analysis.event_id);
  EXPECT_EQ(t.live_events(), 2u);
}

TEST(EventTrackerTest, MergedEventsKeywordsLeadToTheSurvivor) {
  EventTracker t(MergingOptions());
  auto a = MakePost("a", {"甲", "乙", "丙"}, 1000);
  auto b = MakePost("b", {"丁", "戊", "己"}, 2000);
  auto c = MakePost("c", {"甲", "丁", "乙", "戊"}, 3000);
  t.Assign(a);
  t.Assign(b);
  t.Assign(c);
  ASSERT_EQ(t.EventOfPost("b"), a.analysis.event_id);
  auto d = MakePost("d", {"己", "戊", "庚"}, 4000);  // b's words only
  t.Assign(d);
  EXPECT_EQ(d.analysis.event_id, a.analysis.event_id);
  EXPECT_EQ(t.Find(b.analysis.event_id), t.Find(a.analysis.event_id));
}

// What a restart relies on: the assignments and the records depend only on the posts assigned,
// not on when the owner took the changed records (once per post, per batch, or never).
TEST(EventTrackerTest, AssignmentsDoNotDependOnWhenRecordsAreTaken) {
  std::mt19937 rng(7);
  const std::vector<std::string> vocab = {"停水", "东湖", "自来水", "高考", "成绩", "火灾", "仓库", "地铁",
                                          "延误", "暴雨", "学校", "食堂", "投诉", "医院", "疫苗", "口罩"};
  std::vector<ProcessedPost> posts;
  TimeMs t = 0;
  for (int i = 0; i < 3000; ++i) {
    t += std::uniform_int_distribution<TimeMs>(0, 6 * 60 * 1000)(rng);
    std::vector<std::string> kw;
    for (int k = 0; k < 4; ++k) kw.push_back(vocab[rng() % vocab.size()]);
    std::string parent = i > 10 && rng() % 5 == 0 ? "p" + std::to_string(rng() % i) : "";
    uint64_t simhash = rng() % 4 == 0 ? 0xABCD0000ull + rng() % 8 : rng() | 1;
    posts.push_back(MakePost("p" + std::to_string(i), kw, t, simhash, parent));
  }
  auto run = [&](int take_every) {
    EventTrackerOptions o;
    o.window_ms = 3 * kHour;  // many events come and go
    EventTracker tr(o);
    std::vector<std::pair<int64_t, std::string>> assigned;
    std::map<int64_t, EventRecord> records;
    auto take = [&] {
      for (auto& r : tr.TakeDirty()) records[r.id] = r;
    };
    for (size_t i = 0; i < posts.size(); ++i) {
      ProcessedPost p = posts[i];
      tr.Assign(p);
      assigned.emplace_back(p.analysis.event_id, p.analysis.dup_of);
      if (take_every > 0 && i % take_every == 0) take();
    }
    take();
    return std::make_pair(assigned, records);
  };
  auto each = run(1);
  auto never = run(0);
  auto batches = run(37);
  EXPECT_EQ(each.first, never.first);
  EXPECT_EQ(each.first, batches.first);
  ASSERT_EQ(each.second.size(), never.second.size());
  ASSERT_EQ(each.second.size(), batches.second.size());
  for (const auto& [id, r] : each.second) {
    for (const auto* other : {&never.second, &batches.second}) {
      const EventRecord& o = other->at(id);
      EXPECT_EQ(r.posts, o.posts) << id;
      EXPECT_EQ(r.copies, o.copies) << id;
      EXPECT_EQ(r.reposts, o.reposts) << id;
      EXPECT_EQ(r.volume, o.volume) << id;
      EXPECT_EQ(r.merged_into, o.merged_into) << id;
      EXPECT_EQ(r.representative_post, o.representative_post) << id;
      EXPECT_EQ(r.terms, o.terms) << id;
    }
  }
}

TEST(EventTrackerTest, LiveEventsStayUnderTheCapLeastRecentlyActiveLeave) {
  EventTrackerOptions o;
  o.max_live_events = 100;
  EventTracker t(o);
  size_t taken = 0;
  int64_t first_event = 0;
  for (int i = 0; i < 1000; ++i) {  // 1,000 unrelated events within one minute of stream time
    auto p = MakePost("p" + std::to_string(i), {"词" + std::to_string(i) + "甲", "词" + std::to_string(i) + "乙"}, 1000 + i);
    t.Assign(p);
    if (i == 0) first_event = p.analysis.event_id;
    // The oldest event is kept active: it must never be the one that leaves.
    auto keep = MakePost("k" + std::to_string(i), {"词0甲", "词0乙"}, 1000 + i);
    t.Assign(keep);
    EXPECT_EQ(keep.analysis.event_id, first_event);
    EXPECT_LE(t.live_events(), 101u);
    taken += t.TakeDirty().size();
  }
  EXPECT_GE(taken, 1000u);  // every event's record went out, the shed ones included
  const EventRecord* e = t.Find(first_event);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->posts, 1001);
}

// Busy events (hundreds of spreaders each) fill a byte budget long before the count bound: the
// least recently active leave, the tracker's estimate stays under the budget, and two runs over the
// same posts shed the same events (the estimate depends on the state alone).
TEST(EventTrackerTest, LiveEventsStayUnderTheByteBudget) {
  EventTrackerOptions o;
  o.max_live_event_bytes = 1 << 20;
  auto run = [&](std::vector<int64_t>& ids) {
    EventTracker t(o);
    size_t peak = 0;
    for (int ev = 0; ev < 200; ++ev)
      for (int i = 0; i < 60; ++i) {  // 60 posts by 60 authors into each of 200 unrelated events
        auto p = MakePost("e" + std::to_string(ev) + "-" + std::to_string(i),
                          {"词" + std::to_string(ev) + "甲", "词" + std::to_string(ev) + "乙"}, 1000 + ev * 60 + i);
        t.Assign(p);
        ids.push_back(p.analysis.event_id);
        peak = std::max(peak, t.live_event_bytes());
      }
    EXPECT_LE(peak, o.max_live_event_bytes + (64u << 10));  // one post past the bound at most
    EXPECT_LT(t.live_events(), 200u);  // the budget, not the count (60,000), made them leave
    EXPECT_GT(t.live_event_bytes(), 0u);
    // The newest event is still live and complete; the first left memory.
    EXPECT_NE(t.Find(ids.back()), nullptr);
    EXPECT_EQ(t.Find(ids.front()), nullptr);
    EXPECT_EQ(t.Find(ids.back())->posts, 60);
  };
  std::vector<int64_t> first, second;
  run(first);
  run(second);
  EXPECT_EQ(first, second);
}

TEST(EventTrackerTest, CostStaysBoundedWithManyEvents) {
  // Many distinct events under shared keywords: candidate lists stay capped and every post is
  // placed; the post map keeps only its capacity.
  EventTrackerOptions o;
  o.post_map_capacity = 1000;
  o.dedup_capacity = 1000;
  EventTracker t(o);
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    auto p = MakePost("p" + std::to_string(i), {"共同", "w" + std::to_string(i % 5000), "x" + std::to_string(rng() % 3000)},
                      1000 + i, rng());
    t.Assign(p);
    ASSERT_GT(p.analysis.event_id, 0);
    if (i % 1000 == 999) t.TakeDirty();
  }
  EXPECT_EQ(t.EventOfPost("p0"), 0);
  EXPECT_GT(t.EventOfPost("p19999"), 0);
}

TEST(FlatMapTest, MatchesAReferenceMapUnderCollisionsAndWrapAround) {
  // A fixed 16-slot table kept at most half full: long probe runs, runs that wrap around the
  // end, and backward-shift deletion on every erase.
  FlatMap<int64_t> m(16, /*fixed=*/true);
  std::unordered_map<uint64_t, int64_t> ref;
  std::mt19937_64 rng(42);
  for (int step = 0; step < 200000; ++step) {
    uint64_t key = rng() % 24;  // includes 0
    if (ref.size() < 8 && rng() % 2) {
      *m.Insert(key) = step;
      ref[key] = step;
    } else {
      EXPECT_EQ(m.Erase(key), ref.erase(key) == 1);
    }
    ASSERT_EQ(m.size(), ref.size());
    for (uint64_t k = 0; k < 24; ++k) {
      const int64_t* v = m.Find(k);
      auto it = ref.find(k);
      ASSERT_EQ(v != nullptr, it != ref.end()) << "key " << k << " step " << step;
      if (v) ASSERT_EQ(*v, it->second);
    }
  }
}

TEST(FlatMapTest, GrowsAndErasesByPredicate) {
  FlatMap<int64_t> m;
  for (uint64_t k = 0; k < 10000; ++k) *m.Insert(k * 7919) = static_cast<int64_t>(k);
  EXPECT_EQ(m.size(), 10000u);
  EXPECT_GE(m.slots(), 20000u);
  for (uint64_t k = 0; k < 10000; ++k) ASSERT_EQ(*m.Find(k * 7919), static_cast<int64_t>(k));
  bool inserted = true;
  *m.Insert(7919, &inserted) += 0;
  EXPECT_FALSE(inserted);
  EXPECT_EQ(m.EraseIf([](uint64_t, int64_t& v) { return v % 2 == 0; }), 5000u);
  EXPECT_EQ(m.size(), 5000u);
  for (uint64_t k = 0; k < 10000; ++k) ASSERT_EQ(m.Find(k * 7919) != nullptr, k % 2 == 1) << k;
  size_t seen = 0;
  m.ForEach([&](uint64_t, int64_t& v) { seen += v % 2; });
  EXPECT_EQ(seen, 5000u);
}

TEST(RecentMapTest, OldestInsertedFallsOutFirst) {
  RecentMap<int64_t> m(3);
  for (int64_t k = 1; k <= 3; ++k) m.Put(k, k * 10);
  m.Put(1, 11);  // an update keeps its place
  m.Put(4, 40);
  EXPECT_EQ(m.Find(1), nullptr);
  EXPECT_EQ(*m.Find(2), 20);
  EXPECT_EQ(*m.Find(4), 40);
  m.Put(0, 5);  // key 0 is an ordinary key
  EXPECT_EQ(m.Find(2), nullptr);
  EXPECT_EQ(*m.Find(0), 5);
  EXPECT_EQ(m.size(), 3u);
}

TEST(RecentMapTest, KeepsExactlyTheLastCapacityKeys) {
  RecentMap<int64_t> m(1000);
  std::mt19937_64 rng(3);
  std::vector<uint64_t> keys(100000);
  for (auto& k : keys) k = rng() % (1ull << 40);  // spread keys, some repeating never matter here
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  std::shuffle(keys.begin(), keys.end(), rng);
  for (size_t i = 0; i < keys.size(); ++i) m.Put(keys[i], static_cast<int64_t>(i));
  EXPECT_EQ(m.size(), 1000u);
  for (size_t i = 0; i < keys.size(); ++i) {
    const int64_t* v = m.Find(keys[i]);
    if (i + 1000 >= keys.size()) {
      ASSERT_NE(v, nullptr) << i;
      ASSERT_EQ(*v, static_cast<int64_t>(i));
    } else {
      ASSERT_EQ(v, nullptr) << i;
    }
  }
}

}  // namespace yuqing::analysis

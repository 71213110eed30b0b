#include "analysis/event_tracker.h"

#include <gtest/gtest.h>

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
  EventTrackerOptions o;
  o.join_threshold = 0.3;
  o.merge_threshold = 0.45;
  EventTracker t(o);
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

}  // namespace yuqing::analysis

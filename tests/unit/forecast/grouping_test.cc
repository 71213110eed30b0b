#include "forecast/grouping.h"

#include <gtest/gtest.h>

namespace yuqing::forecast {
namespace {

TEST(GroupByRoot, FollowsParentsTransitively) {
  std::vector<CascadePost> posts = {
      {"r1", "", 0, 5000, true, "原帖"},
      {"a", "r1", 60'000, -1, false, "转发微博"},
      {"b", "a", 120'000, -1, false, "辟谣了"},
      {"c", "b", 180'000, -1, false, ""},
      {"r2", "", 10, 10, false, "另一个"},
      {"d", "r2", 70'000, -1, false, ""},
  };
  Grouping g = GroupByRoot(posts);
  ASSERT_EQ(g.cascades.size(), 2u);
  EXPECT_EQ(g.cascades[0].id, "r1");
  EXPECT_EQ(g.cascades[0].root_followers, 5000);
  EXPECT_TRUE(g.cascades[0].root_verified);
  ASSERT_EQ(g.cascades[0].reposts.size(), 3u);
  EXPECT_EQ(g.cascades[0].reposts[0].depth, 1);
  EXPECT_EQ(g.cascades[0].reposts[1].depth, 2);
  EXPECT_EQ(g.cascades[0].reposts[2].depth, 3);
  EXPECT_EQ(g.cascades[1].reposts.size(), 1u);
}

TEST(GroupByRoot, ARepostBeforeItsParentInTheFileStillCounts) {
  Grouping g = GroupByRoot({{"c", "b", 3, -1, false, ""}, {"b", "r", 2, -1, false, ""}, {"r", "", 1, 0, false, ""}});
  ASSERT_EQ(g.cascades.size(), 1u);
  EXPECT_EQ(g.cascades[0].reposts.size(), 2u);
}

TEST(GroupByRoot, OrphansCyclesAndDuplicatesAreCountedNotForecast) {
  Grouping g = GroupByRoot({{"r", "", 1, 0, false, ""},
                            {"x", "missing", 2, -1, false, ""},
                            {"p", "q", 3, -1, false, ""},
                            {"q", "p", 4, -1, false, ""},
                            {"r", "", 5, 0, false, ""}});
  ASSERT_EQ(g.cascades.size(), 1u);
  EXPECT_TRUE(g.cascades[0].reposts.empty());
  EXPECT_EQ(g.orphans, 1u);
  EXPECT_EQ(g.cycles, 2u);
  EXPECT_EQ(g.duplicates, 1u);
}

}  // namespace
}  // namespace yuqing::forecast

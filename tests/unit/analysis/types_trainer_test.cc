#include "analysis/types_trainer.h"

#include <gtest/gtest.h>

namespace yuqing::analysis {

namespace {
const std::unordered_set<std::string> kReport = {"title:5", "title:6"};  // society, politics

std::vector<std::string> Labels(const std::string& label, const std::string& source,
                                const std::vector<std::string>& proposed) {
  return WeakTypeLabels({"text", label, "", "", source}, proposed, kReport);
}
}  // namespace

TEST(WeakTypeLabels, TitlesKeepAccidentsOnlyInReportClasses) {
  EXPECT_EQ(Labels("neutral", "title:5", {"accident"}), std::vector<std::string>{"accident"});
  // A footballer's injury (sports, class 7) or a raid in a game (8) is not an accident.
  EXPECT_EQ(Labels("neutral", "title:7", {"accident"}), std::vector<std::string>{"none"});
  EXPECT_EQ(Labels("neutral", "title:8", {"group_event"}), std::vector<std::string>{"none"});
  // A report of someone's complaint is news, not a complaint.
  EXPECT_EQ(Labels("neutral", "title:5", {"complaint"}), std::vector<std::string>{"none"});
}

TEST(WeakTypeLabels, WeiboPostsNeedTheMatchingAttitude) {
  EXPECT_EQ(Labels("positive", "weibo", {"praise"}), std::vector<std::string>{"praise"});
  // 谢谢 in a grieving post is not praise.
  EXPECT_EQ(Labels("negative", "weibo", {"praise"}), std::vector<std::string>{"none"});
  EXPECT_EQ(Labels("neutral", "weibo", {"accident"}), std::vector<std::string>{"none"});
  EXPECT_EQ(Labels("negative", "weibo", {"complaint", "attack"}), (std::vector<std::string>{"complaint", "attack"}));
  // Confirmed and contradicted proposals in one post give both labels, once each.
  EXPECT_EQ(Labels("negative", "weibo", {"praise", "group_event", "accident"}),
            (std::vector<std::string>{"none", "group_event", "accident"}));
}

TEST(WeakTypeLabels, ReviewsAreComplaintsOrPraiseOfAService) {
  EXPECT_EQ(Labels("negative", "review", {}), std::vector<std::string>{"complaint"});
  EXPECT_EQ(Labels("positive", "review", {}), std::vector<std::string>{"praise"});
  EXPECT_EQ(Labels("positive", "review", {"complaint"}), std::vector<std::string>{"none"});
  EXPECT_EQ(Labels("negative", "review", {"accident"}), std::vector<std::string>{"none"});
}

TEST(WeakTypeLabels, NewsAndRumourAreNotItsBusiness) {
  EXPECT_EQ(Labels("neutral", "weibo", {"news", "rumor"}), std::vector<std::string>{"none"});
  EXPECT_EQ(Labels("neutral", "", {}), std::vector<std::string>{"none"});
}

}  // namespace yuqing::analysis

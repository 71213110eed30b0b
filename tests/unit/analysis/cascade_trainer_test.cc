#include "analysis/cascade_trainer.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "analysis/corpus.h"
#include "core/time.h"

namespace yuqing::analysis {
namespace {

TEST(CedRepostTime, BeijingDatesWithAndWithoutTheYear) {
  auto full = ParseCedRepostTime("2013-10-05 19:37:52", 2013);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(*full, *ParseTime("2013-10-05T19:37:52+08:00"));
  auto short_form = ParseCedRepostTime("02月06日 17:45", 2014);
  ASSERT_TRUE(short_form.ok());
  EXPECT_EQ(*short_form, *ParseTime("2014-02-06T17:45:00+08:00"));
  EXPECT_FALSE(ParseCedRepostTime("yesterday", 2014).ok());
}

TEST(CedCascades, RealTreesLoadWithTheirMess) {
  const std::string path = std::string(YUQING_SHARED_DATA) + "/rumor/ced_weibo_rumor_train.jsonl.gz";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "skipped: " << path << " is absent";
  auto all = LoadCedCascades(path);
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_EQ(all->size(), 2716u);
  size_t rumours = 0, dated = 0, total = 0;
  for (const auto& c : *all) {
    rumours += c.rumor;
    dated += c.obs.reposts.size();
    total += static_cast<size_t>(c.final_size);
    EXPECT_LT(c.final_size, 1000) << c.id;  // the crawl's cap
  }
  EXPECT_EQ(rumours, 1236u);
  EXPECT_GT(dated, total * 99 / 100);  // nearly every repost date reads
}

}  // namespace
}  // namespace yuqing::analysis

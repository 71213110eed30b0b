#include "text/dict_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace yuqing::text {
namespace {

namespace fs = std::filesystem;

class DictIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("yq_dict_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& body) {
    std::ofstream(dir_ / name) << body;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(DictIndexTest, WeightsArePrefixesAndOverridesAsInCppjieba) {
  auto dict = Write("d.txt", "自来 10 n\n自来水 30 n\n水 60 n\n");
  auto user = Write("u.txt", "自来水公司\n\n水 40 n\n厂\n");
  auto idx = DictIndex::Load(dict, user);
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  std::vector<DictIndex::Match> m;
  (*idx)->PrefixMatches("自来水公司的", m);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].bytes, 6u);
  EXPECT_DOUBLE_EQ(m[0].weight, std::log(10.0 / 100));
  EXPECT_EQ(m[1].bytes, 9u);
  EXPECT_EQ(m[2].bytes, 15u);
  EXPECT_DOUBLE_EQ(m[2].weight, std::log(30.0 / 100));  // no frequency: the median weight
  (*idx)->PrefixMatches("水", m);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_DOUBLE_EQ(m[0].weight, std::log(40.0 / 100));  // the user entry overrides
  EXPECT_DOUBLE_EQ((*idx)->min_weight(), std::log(10.0 / 100));
  EXPECT_TRUE((*idx)->Contains("自来水"));
  EXPECT_FALSE((*idx)->Contains("来水"));
  EXPECT_FALSE((*idx)->Contains(""));
  EXPECT_TRUE((*idx)->IsUserSingleCharWord(0x5382));   // 厂
  EXPECT_FALSE((*idx)->IsUserSingleCharWord(0x81EA));  // 自
  (*idx)->PrefixMatches("", m);
  EXPECT_TRUE(m.empty());
  (*idx)->PrefixMatches("的", m);  // no word starts with it
  EXPECT_TRUE(m.empty());
}

TEST_F(DictIndexTest, MatchesEndAtTheEndOfTheView) {
  auto idx = DictIndex::Load(Write("d.txt", "水 10 n\n水厂 10 n\n厂 5 n\n😀😀 1 x\n"), "");
  ASSERT_TRUE(idx.ok()) << idx.status().ToString();
  std::vector<DictIndex::Match> m;
  const std::string text = "水厂";
  (*idx)->PrefixMatches(std::string_view(text.data(), 3), m);  // the bytes after the view are not read
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].bytes, 3u);
  (*idx)->PrefixMatches(std::string_view(text.data(), 5), m);  // a partial character
  EXPECT_EQ(m.size(), 1u);
  (*idx)->PrefixMatches(text, m);
  EXPECT_EQ(m.size(), 2u);
  (*idx)->PrefixMatches("😀😀😀", m);  // four-byte characters take the walk from the root
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].bytes, 8u);
  (*idx)->PrefixMatches("\xC0\x80\xE6\xB0\xB4", m);  // malformed bytes match nothing
  EXPECT_TRUE(m.empty());
}

TEST_F(DictIndexTest, MalformedLinesNameFileAndLine) {
  auto dict = Write("d.txt", "自来 10 n\n自来水 n\n");
  auto idx = DictIndex::Load(dict, "");
  ASSERT_FALSE(idx.ok());
  EXPECT_NE(idx.status().message().find("d.txt:2"), std::string::npos) << idx.status().ToString();
  dict = Write("d2.txt", "自来 ten n\n");
  idx = DictIndex::Load(dict, "");
  ASSERT_FALSE(idx.ok());
  EXPECT_NE(idx.status().message().find("d2.txt:1"), std::string::npos);
  auto good = Write("d3.txt", "自来 10 n\n");
  auto user = Write("u.txt", "甲\n乙 1 n x\n");
  idx = DictIndex::Load(good, user);
  ASSERT_FALSE(idx.ok());
  EXPECT_NE(idx.status().message().find("u.txt:2"), std::string::npos);
}

TEST_F(DictIndexTest, MissingOrEmptyFilesAreErrors) {
  EXPECT_FALSE(DictIndex::Load((dir_ / "absent.txt").string(), "").ok());
  EXPECT_FALSE(DictIndex::Load(Write("empty.txt", ""), "").ok());
  EXPECT_FALSE(DictIndex::Load(Write("d.txt", "自来 10 n\n"), (dir_ / "absent.txt").string()).ok());
}

}  // namespace
}  // namespace yuqing::text

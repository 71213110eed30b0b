#include "ingest/encoding.h"

#include <gtest/gtest.h>

namespace yuqing::ingest {

TEST(Encoding, Utf8PassesAndBomIsStripped) {
  EXPECT_EQ(*ToUtf8("\xEF\xBB\xBF东湖", Encoding::kAuto), "东湖");
}

TEST(Encoding, GbkIsDetectedAndConverted) {
  bool converted = false;
  auto r = ToUtf8("\xb6\xab\xba\xfe\xd7\xd4\xc0\xb4\xcb\xae", Encoding::kAuto, &converted);  // 东湖自来水
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "东湖自来水");
  EXPECT_TRUE(converted);
}

TEST(Encoding, StrictUtf8RefusesGbk) {
  auto r = ToUtf8("\xb6\xab\xba\xfe", Encoding::kUtf8);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("UTF-8"), std::string::npos);
}

TEST(Encoding, GarbageIsRefusedClearly) {
  auto r = ToUtf8("\xff\xff\xff\xff", Encoding::kAuto);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("bad encoding"), std::string::npos);
}

TEST(Encoding, Names) {
  EXPECT_EQ(*ParseEncoding("gbk"), Encoding::kGbk);
  EXPECT_FALSE(ParseEncoding("latin9").ok());
}

}  // namespace yuqing::ingest

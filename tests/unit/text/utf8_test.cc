#include "text/utf8.h"

#include <gtest/gtest.h>

namespace yuqing::text {

TEST(Utf8, Validates) {
  EXPECT_TRUE(IsValidUtf8("东湖 abc"));
  EXPECT_FALSE(IsValidUtf8("\xb6\xab\xba\xfe"));  // GBK for 东湖
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_EQ(CountCodePoints("东湖ab"), 4u);
}

}  // namespace yuqing::text

#include "text/normalizer.h"

#include <gtest/gtest.h>

namespace yuqing::text {

class NormalizerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto n = Normalizer::Create();
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    norm_ = *n;
  }
  static inline std::shared_ptr<const Normalizer> norm_;
};

TEST_F(NormalizerTest, TraditionalToSimplified) {
  EXPECT_EQ(norm_->Normalize("東湖自來水公司水質問題"), "东湖自来水公司水质问题");
  EXPECT_EQ(norm_->Normalize("鐵路"), "铁路");
}

TEST_F(NormalizerTest, WidthAndCase) {
  EXPECT_EQ(norm_->Normalize("ＡＢＣ１２３！　Water"), "abc123! water");
}

TEST_F(NormalizerTest, SimplifiedIsUnchanged) {
  std::string s = "东湖自来水公司今日停水检修预计下午恢复";
  EXPECT_EQ(norm_->Normalize(s), s);
  EXPECT_EQ(norm_->Normalize("检修，预计"), "检修,预计");  // full-width punctuation folds too
}

TEST_F(NormalizerTest, OffsetsMapBackToOriginal) {
  std::string in = "Ａ東b";
  std::string out;
  std::vector<uint32_t> off;
  norm_->NormalizeWithOffsets(in, out, off);
  EXPECT_EQ(out, "a东b");
  ASSERT_EQ(off.size(), out.size() + 1);
  EXPECT_EQ(off[0], 0u);   // a <- Ａ (3 bytes)
  EXPECT_EQ(off[1], 3u);   // 东 <- 東
  EXPECT_EQ(off[4], 6u);   // b
  EXPECT_EQ(off[5], 7u);   // end
}

TEST_F(NormalizerTest, InvalidBytesDoNotCrash) {
  std::string in = "ab\xff\xfe\xe4";
  std::string out = norm_->Normalize(in);
  EXPECT_FALSE(out.empty());
}

}  // namespace yuqing::text

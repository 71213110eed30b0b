// The fuzz target's checks in the ordinary test suite: the seed corpus plus a few hundred
// thousand generated inputs (random bytes, and random sequences of the language's tokens).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "rules/query.h"
#include "rules/reference.h"
#include "test_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace yuqing::rules {
namespace {

void Check(const std::string& q, int* accepted) {
  ParseError err;
  auto r = ParseQuery(q, *testing::Norm(), {}, &err);
  if (r.ok()) {
    ++*accepted;
    ASSERT_TRUE(RequiresPositiveTerm(r->root)) << q;
    // A canonical form parses again to the same tree.
    auto again = ParseQuery(ToString(r->root), *testing::Norm());
    ASSERT_TRUE(again.ok()) << q << " -> " << ToString(r->root) << ": " << again.status().message();
    ASSERT_EQ(ToString(again->root), ToString(r->root)) << q;
  } else {
    ASSERT_GE(err.column, 0);
    ASSERT_LE(static_cast<size_t>(err.column), q.size() + 1) << q;
    ASSERT_FALSE(err.en.empty());
    ASSERT_FALSE(err.zh.empty());
  }
}

TEST(ParserFuzzTest, CorpusAndRandomInputs) {
  int accepted = 0, total = 0;
  for (const auto& entry : std::filesystem::directory_iterator(YUQING_RULES_CORPUS_DIR)) {
    std::ifstream f(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    Check(ss.str(), &accepted);
    ++total;
  }
  ASSERT_GT(total, 10);
  static const char* kTokens[] = {"停水", "水", "鐵路", "water", "AND", "OR", "NOT", "-", "(", ")", "\"", "“", "”",
                                  "NEAR/3", "NEAR/", "NEAR", "title:", "text:", "author:", "source:", "lang:",
                                  "author.verified:", "true", "author.followers:", ">", ">=10", "10", ":", " ",
                                  "  ", "\\", "（", "）", "：", "\xff", "\xe6\xb0", "\0", "foo:", "-(", "--",
                                  "a", "12306", "\t", "NOTa", "ANDOR"};
  std::mt19937 rng(42);
  for (int i = 0; i < 300000; ++i) {
    std::string q;
    if (i % 4 == 0) {
      int n = static_cast<int>(rng() % 24);
      for (int k = 0; k < n; ++k) q.push_back(static_cast<char>(rng() % 256));
    } else {
      int n = static_cast<int>(rng() % 16);
      for (int k = 0; k < n; ++k) {
        q += kTokens[rng() % (sizeof kTokens / sizeof *kTokens)];
        if (rng() % 2) q += " ";
      }
    }
    Check(q, &accepted);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(q.data()), q.size());
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_GT(accepted, 10000);  // the generator must reach the accepting paths too
}

}  // namespace
}  // namespace yuqing::rules

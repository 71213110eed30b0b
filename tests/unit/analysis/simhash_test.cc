#include "analysis/simhash.h"

#include <gtest/gtest.h>

namespace yuqing::analysis {

namespace {
std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}
}  // namespace

TEST(SimHashTest, IdenticalAndLightlyEditedTextsAreClose) {
  auto a = Words("东湖 自来水 公司 停水 三天 没人 管 居民 生活 受到 严重 影响 希望 尽快 解决 问题 供水 恢复 时间 未知");
  auto b = a;
  b.push_back("转发");
  EXPECT_EQ(SimHash(a, nullptr), SimHash(a, nullptr));
  EXPECT_LE(HammingDistance(SimHash(a, nullptr), SimHash(b, nullptr)), 3);
  auto c = Words("今天 天气 不错 适合 出门 散步 公园 里 人 很多 孩子 们 在 放风筝");
  EXPECT_GT(HammingDistance(SimHash(a, nullptr), SimHash(c, nullptr)), 10);
  EXPECT_EQ(SimHash(Words(", 。 !"), nullptr), 0u);
}

TEST(NearDupIndexTest, FindsWithinDistanceThree) {
  NearDupIndex idx(100);
  uint64_t h = 0x123456789abcdef0ull;
  idx.Add(h, "orig");
  EXPECT_EQ(*idx.Find(h ^ 0x7), "orig");                     // distance 3, all in band 0
  EXPECT_EQ(*idx.Find(h ^ 0x1 ^ (1ull << 20) ^ (1ull << 40)), "orig");  // spread over bands
  EXPECT_EQ(idx.Find(h ^ 0xF), nullptr);                     // distance 4
}

TEST(NearDupIndexTest, OldEntriesFallOutAndBucketsStayBounded) {
  NearDupIndex idx(4);
  // Hashes i * 0x1111... are at least 16 bits apart from each other.
  for (uint64_t i = 0; i < 10; ++i) idx.Add(i * 0x1111111111111111ull, "p" + std::to_string(i));
  EXPECT_EQ(idx.size(), 4u);
  EXPECT_EQ(idx.Find(0), nullptr);  // p0 evicted
  EXPECT_EQ(*idx.Find(9 * 0x1111111111111111ull), "p9");
  NearDupIndex big(1000);
  for (int i = 0; i < 200; ++i) big.Add(0xAAAA000000000000ull | (static_cast<uint64_t>(i) << 20), std::to_string(i));
  EXPECT_NE(big.Find(0xAAAA000000000000ull | (199ull << 20)), nullptr);
}

TEST(NearDupIndexTest, FullBucketsOverwriteTheirOldestSlot) {
  NearDupIndex idx(1 << 20);
  ASSERT_EQ(idx.bucket_slots(), NearDupIndex::kMaxBucket);
  // 100 hashes sharing bands 0 and 2-3 (all zero) but far apart in band 1: each band-0 bucket
  // keeps only the newest kMaxBucket, yet every hash is still found through its own band 1.
  auto h = [](uint64_t i) { return (i * 0x0F0Full & 0xFFFF) << 16; };
  for (uint64_t i = 0; i < 100; ++i) idx.Add(h(i), "p" + std::to_string(i));
  for (uint64_t i = 0; i < 100; ++i) {
    const std::string* id = idx.Find(h(i) ^ 0x1, 3);  // distance 1, in band 0
    ASSERT_NE(id, nullptr) << i;
    EXPECT_EQ(*id, "p" + std::to_string(i));
  }
}

TEST(NearDupIndexTest, PrefersTheClosestThenTheOldest) {
  NearDupIndex idx(100);
  uint64_t h = 0xFEDCBA9876543210ull;
  idx.Add(h ^ 0x3, "far");
  idx.Add(h ^ 0x1, "near-old");
  idx.Add(h ^ 0x2, "near-new");
  EXPECT_EQ(*idx.Find(h), "near-old");
  EXPECT_EQ(idx.size(), 3u);
}

TEST(NearDupIndexTest, EntriesOutOfTheRingAreNotFoundEvenInTheirBuckets) {
  NearDupIndex idx(8);
  EXPECT_EQ(idx.bucket_slots(), 4u);
  idx.Add(0x1111, "old");
  for (uint64_t i = 1; i <= 8; ++i) idx.Add(i << 40, "n" + std::to_string(i));  // other buckets
  EXPECT_EQ(idx.Find(0x1111), nullptr);  // fell out of the ring; its bucket slots still hold it
  idx.Add(0x1111, "again");
  EXPECT_EQ(*idx.Find(0x1110), "again");
}

}  // namespace yuqing::analysis

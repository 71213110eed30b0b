#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "server/state.h"

namespace yuqing::server {
namespace {

TEST(JsonCacheTest, ComputesOnceForConcurrentCallers) {
  JsonCache cache;
  std::atomic<int> computed{0};
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = cache.GetOrCompute("k", 1000, 5000, [&]() -> Result<nlohmann::json> {
        ++computed;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return nlohmann::json{{"v", 1}};
      });
      if (r.ok() && (*r)["v"] == 1) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(computed.load(), 1);
  EXPECT_EQ(ok.load(), 8);
}

TEST(JsonCacheTest, ExpiresAndDoesNotCacheErrors) {
  JsonCache cache;
  int n = 0;
  auto f = [&]() -> Result<nlohmann::json> { return nlohmann::json(++n); };
  EXPECT_EQ(*cache.GetOrCompute("k", 0, 10, f), 1);
  EXPECT_EQ(*cache.GetOrCompute("k", 5, 10, f), 1);
  EXPECT_EQ(*cache.GetOrCompute("k", 10, 10, f), 2);
  auto bad = [&]() -> Result<nlohmann::json> { return Status::Io("x"); };
  EXPECT_FALSE(cache.GetOrCompute("e", 0, 10, bad).ok());
  EXPECT_EQ(*cache.GetOrCompute("e", 0, 10, f), 3);
}

}  // namespace
}  // namespace yuqing::server

#include "drill/sandbox.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "store/sqlite/connection.h"

#include "store/post_store.h"

namespace yuqing::drill {
namespace {

TEST(DrillClock, RunsAtTheDrillSpeed) {
  DrillState s;
  s.start = 1'000'000'000'000;
  s.wall_start = 2'000'000'000'000;
  s.speed = 60;
  EXPECT_EQ(DrillTime(s, s.wall_start), s.start);
  EXPECT_EQ(DrillTime(s, s.wall_start + kMinute), s.start + kHour);
}

TEST(DrillClock, FastModeStopsAtTheEndThenRunsInRealTime) {
  DrillState s;
  s.start = 1'000'000'000'000;
  s.end = s.start + 5 * kHour;
  s.speed = 0;
  s.status = "running";
  EXPECT_EQ(DrillTime(s, 123), s.end);
  s.status = "replayed";
  s.wall_replayed = 2'000'000'000'000;
  EXPECT_EQ(DrillTime(s, s.wall_replayed + kMinute), s.end + kMinute);
}

TEST(DrillState, WritesAndReadsBack) {
  auto dir = std::filesystem::temp_directory_path() / ("yq-drill-state-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  EXPECT_FALSE(IsSandbox(dir.string()));
  EXPECT_EQ(ReadState(dir.string()).status().code(), Code::kNotFound);
  DrillState s;
  s.scenario_name = "x";
  s.start = 1000;
  s.wall_start = 2000;
  s.speed = 60;
  s.end = 5000;
  ASSERT_TRUE(WriteState(dir.string(), s).ok());
  EXPECT_TRUE(IsSandbox(dir.string()));
  auto back = ReadState(dir.string());
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->scenario_name, "x");
  EXPECT_EQ(back->start, 1000);
  EXPECT_EQ(back->speed, 60);
  EXPECT_EQ(back->end, 5000);
  std::filesystem::remove_all(dir);
}

TEST(Sandbox, RefusesAStoreWithPosts) {
  auto dir = std::filesystem::temp_directory_path() / ("yq-drill-store-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto db = store::Database::Open((dir / "yuqing.db").string());
  ASSERT_TRUE(db.ok()) << db.status().message();
  EXPECT_TRUE(CheckEmptyStore(**db, true).ok());
  // A stand-in for the posts component, as PostStore::Open would have registered it.
  ASSERT_TRUE(store::sqlite::Expect(**db, "test").Exec("CREATE TABLE posts (id TEXT); INSERT INTO posts VALUES ('a')").ok());
  ASSERT_TRUE(store::sqlite::Expect(**db, "test").EnsureSchema("posts", store::PostStore::kSchemaVersion, [](store::sqlite::Connection&, int) { return Status::Ok(); }).ok());
  Status st = CheckEmptyStore(**db, true);
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_NE(st.message().find("1 条帖子"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("不是演练沙箱"), std::string::npos);
  db->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace yuqing::drill

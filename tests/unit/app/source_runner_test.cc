#include "app/source_runner.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/alert_store.h"
#include "store/source_store.h"

namespace yuqing::app {
namespace {

class SourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("yq-sources-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    db_ = std::move(store::Database::Open((dir_ / "t.db").string())).value();
    sources_ = std::move(store::SourceStore::Open(*db_)).value();
  }
  void TearDown() override {
    sources_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  store::SourceRow Add(const std::string& name, TimeMs created) {
    store::SourceRow s;
    s.name = name;
    s.kind = "feed";
    s.url = "http://127.0.0.1:9/feed";
    s.every = kMinute;
    s.created_at = s.next_run_at = created;
    s.id = sources_->Add(s).value();
    return s;
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<store::SourceStore> sources_;
};

TEST(SilenceThreshold, FloorUntilThreeGapsThenThreeMedianGaps) {
  EXPECT_EQ(SilenceThreshold({}, kMinute, 0), kHour);               // default floor: max(1 h, 3 × every)
  EXPECT_EQ(SilenceThreshold({}, kHour, 0), 3 * kHour);
  EXPECT_EQ(SilenceThreshold({0, kHour, 2 * kHour}, kMinute, 0), kHour);  // two gaps: not learned yet
  // Gaps 2 h, 2 h, 2 h, 10 h: median 2 h → 6 h (one long night does not move it).
  EXPECT_EQ(SilenceThreshold({0, 2 * kHour, 4 * kHour, 6 * kHour, 16 * kHour}, kMinute, 0), 6 * kHour);
  // Frequent posts never bring the threshold under the floor.
  EXPECT_EQ(SilenceThreshold({0, kMinute, 2 * kMinute, 3 * kMinute}, kMinute, 0), kHour);
  EXPECT_EQ(SilenceThreshold({0, kMinute, 2 * kMinute, 3 * kMinute}, kMinute, 2 * kSecond), 3 * kMinute);
}

TEST(SilenceSpan, ReadsAsHoursMinutesSeconds) {
  EXPECT_EQ(SilenceSpanZh(3 * kHour + 5 * kMinute), "3 小时");
  EXPECT_EQ(SilenceSpanZh(40 * kMinute), "40 分钟");
  EXPECT_EQ(SilenceSpanZh(20 * kSecond), "20 秒");
}

TEST(ValidateSource, NamesTheField) {
  store::SourceRow s;
  s.name = "x";
  s.kind = "feed";
  s.url = "https://rsshub.example.org/weibo/user/1";
  s.every = 10 * kMinute;
  EXPECT_TRUE(ValidateSource(s).ok());
  auto bad = s;
  bad.kind = "ftp";
  EXPECT_EQ(ValidateSource(bad).message().rfind("kind: ", 0), 0u);
  bad = s;
  bad.url = "file:///etc/passwd";
  EXPECT_EQ(ValidateSource(bad).message().rfind("url: ", 0), 0u);
  bad = s;
  bad.every = 500;
  EXPECT_EQ(ValidateSource(bad).message(), "every: at least 1s");
  EXPECT_EQ(ValidateSource(bad, true).message(), "every: 至少 1s");
}

TEST_F(SourceTest, StoreFindsByIdOrNameAndRefusesADuplicateName) {
  auto s = Add("东湖新闻", 1000);
  EXPECT_EQ(sources_->Find(std::to_string(s.id)).value()->name, "东湖新闻");
  EXPECT_EQ(sources_->Find("东湖新闻").value()->id, s.id);
  EXPECT_FALSE(sources_->Find("nope").value().has_value());
  store::SourceRow dup = s;
  EXPECT_EQ(sources_->Add(dup).status().code(), Code::kConflict);
  ASSERT_TRUE(sources_->SetPaused(s.id, true, 5000).ok());
  EXPECT_TRUE(sources_->Find("东湖新闻").value()->paused);
  ASSERT_TRUE(sources_->SetPaused(s.id, false, 7000).ok());
  EXPECT_EQ(sources_->Find("东湖新闻").value()->next_run_at, 7000);
  EXPECT_EQ(sources_->SetPaused(999, true, 0).code(), Code::kNotFound);
  ASSERT_TRUE(sources_->Remove(s.id).ok());
  EXPECT_EQ(sources_->Remove(s.id).code(), Code::kNotFound);
}

TEST_F(SourceTest, RunStateNeverUndoesAPause) {
  auto s = Add("a", 0);
  ASSERT_TRUE(sources_->SetPaused(s.id, true, 0).ok());  // a person pauses while a fetch runs
  s.last_run_at = 10;
  ASSERT_TRUE(sources_->UpdateRunState(s).ok());         // the fetch's stale row is written back
  EXPECT_TRUE(sources_->Get(s.id).value()->paused);
}

TEST_F(SourceTest, FetchLogGivesHourlyCountsAndNewDataTimes) {
  auto s = Add("a", 0);
  const TimeMs h0 = 1000 * kHour;
  for (auto [at, stored] : std::vector<std::pair<TimeMs, int64_t>>{{h0 + 1, 3}, {h0 + 2, 0}, {h0 + kHour + 5, 4}}) {
    store::SourceFetch f;
    f.source_id = s.id;
    f.at = at;
    f.stored = stored;
    ASSERT_TRUE(sources_->RecordFetch(f).ok());
  }
  auto hours = sources_->Hourly(s.id, h0, h0 + 3 * kHour).value();
  ASSERT_EQ(hours.size(), 3u);
  EXPECT_EQ(hours[0].stored, 3);
  EXPECT_EQ(hours[1].stored, 4);
  EXPECT_EQ(hours[2].stored, 0);
  EXPECT_EQ(sources_->StoredSince(s.id, h0 + 3).value(), 4);
  EXPECT_EQ(sources_->NewDataTimes(s.id, 10).value(), (std::vector<TimeMs>{h0 + 1, h0 + kHour + 5}));
  EXPECT_EQ(sources_->Fetches(s.id, 2).value().front().at, h0 + kHour + 5);  // newest first
}

TEST_F(SourceTest, AFailedFetchIsRecordedOnTheSourceNotReturned) {
  auto s = Add("closed-port", 0);
  int calls = 0;
  RecordSink sink = [&](std::vector<ingest::Item>&) -> Result<std::vector<RecordResult>> {
    ++calls;
    return std::vector<RecordResult>{};
  };
  auto rep = RunSource(*sources_, s, sink, 5 * kMinute);
  ASSERT_TRUE(rep.ok()) << rep.status().ToString();
  EXPECT_FALSE(rep->ok);
  EXPECT_FALSE(rep->error.empty());
  EXPECT_EQ(calls, 0);
  auto stored = sources_->Get(s.id).value();
  EXPECT_EQ(stored->last_error, rep->error);
  EXPECT_EQ(stored->last_error_at, 5 * kMinute);
  EXPECT_EQ(stored->last_success_at, 0);
  EXPECT_EQ(stored->next_run_at, 6 * kMinute);
  auto log = sources_->Fetches(s.id, 10).value();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_FALSE(log[0].ok);
}

TEST_F(SourceTest, SilenceRaisesOneAlertAndNewPostsResolveIt) {
  auto s = Add("东湖订阅", 0);
  s.silence_floor = 2 * kHour;
  // Not silent yet.
  ASSERT_TRUE(CheckSilence(*db_, *sources_, s, kHour, {}).ok());
  EXPECT_EQ(s.silence_alert_id, 0);
  // Silent for 3 hours: one alert, with the words the press office reads.
  ASSERT_TRUE(CheckSilence(*db_, *sources_, s, 3 * kHour, {}).ok());
  ASSERT_NE(s.silence_alert_id, 0);
  auto alerts = store::AlertStore::Open(*db_).value();
  auto a = alerts->Get(s.silence_alert_id).value();
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->rule, "source_silent");
  EXPECT_EQ(a->message.rfind("数据源 东湖订阅 已 3 小时无新数据", 0), 0u) << a->message;
  const int64_t first = s.silence_alert_id;
  ASSERT_TRUE(CheckSilence(*db_, *sources_, s, 4 * kHour, {}).ok());
  EXPECT_EQ(s.silence_alert_id, first);  // still one
  EXPECT_EQ(alerts->ListActive().value().size(), 1u);
  // A paused source is never silent (and keeps what it has).
  s.last_new_at = 5 * kHour;  // posts came
  ASSERT_TRUE(CheckSilence(*db_, *sources_, s, 5 * kHour + kMinute, {}).ok());
  EXPECT_EQ(s.silence_alert_id, 0);
  EXPECT_EQ(alerts->Get(first).value()->status, "resolved");
  EXPECT_EQ(sources_->Get(s.id).value()->silence_alert_id, 0);
}

}  // namespace
}  // namespace yuqing::app

// The ingest cursors, report schedules, data sources, the quarantine and the user dictionary, on
// SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include "store/ingest_cursor_store.h"
#include "store/postgres/connection.h"
#include "store/quarantine_store.h"
#include "store/report_schedule_store.h"
#include "store/source_store.h"
#include "store/sqlite/connection.h"
#include "store/user_dict_store.h"
#include "testing/test_store.h"

namespace yuqing::store {
namespace {

class SmallStoresTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    db_ = std::move(where_->Open()).value();
  }
  void TearDown() override {
    db_.reset();
    where_.reset();
  }
  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<Database> db_;
};

TEST_P(SmallStoresTest, IngestCursorsStartEmptyAndKeepTheLastPut) {
  auto cursors = IngestCursorStore::Open(*db_);
  ASSERT_TRUE(cursors.ok()) << cursors.status().ToString();
  auto none = (*cursors)->Get("crawler", "weibo_note");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->a, -1);
  EXPECT_EQ(none->b, -1);
  ASSERT_TRUE((*cursors)->Put("crawler", "weibo_note", {1700000000000, 42}, 1).ok());
  ASSERT_TRUE((*cursors)->Put("crawler", "weibo_note", {1700000000500, 43}, 2).ok());
  ASSERT_TRUE((*cursors)->Put("folder", "/in/a.jsonl", {1024, 7}, 2).ok());
  auto got = (*cursors)->Get("crawler", "weibo_note");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->a, 1700000000500);
  EXPECT_EQ(got->b, 43);
  EXPECT_EQ((*cursors)->Get("folder", "/in/a.jsonl")->a, 1024);
}

TEST_P(SmallStoresTest, ReportSchedulesRefuseDuplicatesAndBadKinds) {
  auto schedules = ReportScheduleStore::Open(*db_);
  ASSERT_TRUE(schedules.ok()) << schedules.status().ToString();
  ReportSchedule s{0, "daily", 8 * 60, "宣传科", 100};
  auto id = (*schedules)->Add(s);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto again = (*schedules)->Add(s);
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_NE(again.status().message().find(std::to_string(*id)), std::string::npos) << again.status().message();
  s.kind = "hourly";
  EXPECT_EQ((*schedules)->Add(s).status().code(), Code::kInvalid);
  s.kind = "weekly";
  ASSERT_TRUE((*schedules)->Add(s).ok());
  auto all = (*schedules)->List();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].department, "宣传科");
  ASSERT_TRUE((*schedules)->Remove(*id).ok());
  EXPECT_EQ((*schedules)->Remove(*id).code(), Code::kNotFound);
  EXPECT_EQ((*schedules)->List()->size(), 1u);
}

TEST_P(SmallStoresTest, SourcesKeepTheirRunStateAndABoundedFetchLog) {
  auto sources = SourceStore::Open(*db_);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  SourceRow s;
  s.name = "东湖区政府网站";
  s.kind = "page";
  s.url = "https://example.gov.cn/news";
  s.config = {{"item", "li.news"}};
  s.department = "宣传科";
  s.created_at = 10;
  auto id = (*sources)->Add(s);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ((*sources)->Add(s).status().code(), Code::kConflict);
  auto byname = (*sources)->Find("东湖区政府网站");
  ASSERT_TRUE(byname.ok() && byname->has_value());
  EXPECT_EQ((*byname)->id, *id);
  EXPECT_EQ((*byname)->config["item"], "li.news");
  EXPECT_EQ((*sources)->Find(std::to_string(*id))->value().name, s.name);
  SourceRow run = **byname;
  run.next_run_at = 5000;
  run.etag = "\"v1\"";
  run.state = {{"uid", 42}};
  run.paused = true;  // run state only: a pause is not the fetcher's to change
  ASSERT_TRUE((*sources)->UpdateRunState(run).ok());
  auto got = (*sources)->Get(*id)->value();
  EXPECT_EQ(got.etag, "\"v1\"");
  EXPECT_EQ(got.state["uid"], 42);
  EXPECT_FALSE(got.paused);
  ASSERT_TRUE((*sources)->SetPaused(*id, true, 6000).ok());
  EXPECT_TRUE((*sources)->Get(*id)->value().paused);
  ASSERT_TRUE((*sources)->SetPaused(*id, false, 7000).ok());
  EXPECT_EQ((*sources)->Get(*id)->value().next_run_at, 7000) << "resuming makes it due now";
  // The fetch log: hourly counts, new-data times, and at most kMaxFetchesPerSource rows.
  const TimeMs h0 = 1780000000000 - 1780000000000 % kHour;
  for (int i = 0; i < kMaxFetchesPerSource + 20; ++i) {
    SourceFetch f;
    f.source_id = *id;
    f.at = h0 + i * kMinute;
    f.stored = i % 10 == 0 ? 3 : 0;
    ASSERT_TRUE((*sources)->RecordFetch(f).ok());
  }
  auto fetches = (*sources)->Fetches(*id, 100000);
  ASSERT_TRUE(fetches.ok());
  EXPECT_EQ(fetches->size(), static_cast<size_t>(kMaxFetchesPerSource));
  EXPECT_EQ(fetches->front().at, h0 + (kMaxFetchesPerSource + 19) * kMinute) << "newest first";
  auto hourly = (*sources)->Hourly(*id, h0 + 50 * kHour, h0 + 52 * kHour);
  ASSERT_TRUE(hourly.ok());
  ASSERT_EQ(hourly->size(), 2u);
  EXPECT_EQ((*hourly)[0].stored, 18) << "6 fetches with posts in the hour, 3 each";
  auto times = (*sources)->NewDataTimes(*id, 3);
  ASSERT_TRUE(times.ok());
  ASSERT_EQ(times->size(), 3u);
  EXPECT_LT((*times)[0], (*times)[2]) << "oldest first";
  EXPECT_EQ((*sources)->StoredSince(*id, h0 + (kMaxFetchesPerSource + 10) * kMinute).value(), 3);
  ASSERT_TRUE((*sources)->Remove(*id).ok());
  EXPECT_EQ((*sources)->Remove(*id).code(), Code::kNotFound);
  EXPECT_TRUE((*sources)->Fetches(*id, 10)->empty()) << "the log goes with its source";
}

// A bad record is kept byte for byte (invalid UTF-8 and NULs included) and once however often its
// file is ingested.
TEST_P(SmallStoresTest, TheQuarantineKeepsRawBytesAndCountsRepeats) {
  auto q = QuarantineStore::Open(*db_);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  QuarantineRecord r;
  r.origin = "posts.jsonl";
  r.line = 7;
  r.offset = 1234;
  r.code = "bad_json";
  r.reason = "第 7 行：JSON 解析失败";
  r.raw = std::string("{\"text\": \"\xff\xfe") + std::string(1, '\0') + "东湖\"";
  r.format = "jsonl";
  r.at = 100;
  auto id = (*q)->Add(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  r.at = 200;
  auto again = (*q)->Add(r);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *id) << "the same record ingested again is the same row";
  QuarantineRecord other = r;
  other.line = 8;
  ASSERT_TRUE((*q)->Add(other).ok());
  auto got = (*q)->Get(*id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->record.raw, r.raw) << "byte for byte";
  EXPECT_EQ((*got)->seen, 2);
  EXPECT_EQ((*got)->last_at, 200);
  EXPECT_EQ((*got)->record.offset, 1234);
  EXPECT_EQ((*q)->CountOpen().value(), 2);
  ASSERT_TRUE((*q)->MarkResolved(*id, 300).ok());
  EXPECT_EQ((*q)->CountOpen().value(), 1);
  EXPECT_EQ((*q)->List("open", 10)->size(), 1u);
  EXPECT_EQ((*q)->List("all", 10)->size(), 2u);
  EXPECT_EQ((*q)->List("", 10, *id)->size(), 1u) << "after the first id";
  ASSERT_TRUE((*q)->ReplaceRaw(*id, "{\"text\": \"fixed\"}").ok());
  EXPECT_EQ((*q)->Get(*id)->value().record.raw, "{\"text\": \"fixed\"}");
}

TEST_P(SmallStoresTest, UserWordsAreKeptInByteOrderOnceEach) {
  // A reader that must not write sees no words before the component exists, and creates nothing.
  auto none = UserDictStore::ReadWords(*db_);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
  EXPECT_FALSE(*db_->HasComponent("user_dict"));

  auto dict = UserDictStore::Open(*db_);
  ASSERT_TRUE(dict.ok()) << dict.status().ToString();
  UserDictStore& d = **dict;
  EXPECT_TRUE(*d.Add("新冠", 10));
  EXPECT_FALSE(*d.Add("新冠", 20)) << "a word is kept once";
  EXPECT_TRUE(*d.Add("Zebra", 30));
  EXPECT_TRUE(*d.Add("apple", 40));
  auto list = d.List();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].word, "Zebra");  // byte order: upper case before lower, ASCII before CJK
  EXPECT_EQ((*list)[1].word, "apple");
  EXPECT_EQ((*list)[2].word, "新冠");
  EXPECT_EQ((*list)[2].added_at, 10);
  EXPECT_EQ(*UserDictStore::ReadWords(*db_), (std::vector<std::string>{"Zebra", "apple", "新冠"}));
  EXPECT_TRUE(*d.Remove("apple"));
  EXPECT_FALSE(*d.Remove("apple"));
  EXPECT_EQ(*d.IndexVersion(), "");
  ASSERT_TRUE(d.SetIndexVersion("abc").ok());
  ASSERT_TRUE(d.SetIndexVersion("def").ok());
  EXPECT_EQ(*d.IndexVersion(), "def");
  EXPECT_EQ(DictVersion({"b", "a"}), DictVersion({"a", "b"}));
}

TEST_P(SmallStoresTest, TheUserDictionaryRefusesWordsPastItsBound) {
  auto dict = UserDictStore::Open(*db_);
  ASSERT_TRUE(dict.ok());
  // Filled in one statement (20,000 Adds take seconds over a PostgreSQL connection).
  const std::string n = std::to_string(kMaxUserWords - 1);
  if (GetParam() == storetest::TestBackend::kPostgres)
    ASSERT_TRUE((*postgres::Connect(*db_))->Exec("INSERT INTO user_words SELECT 'w' || g, 1 FROM generate_series(0, " + n + ") g").ok());
  else
    ASSERT_TRUE((*sqlite::Connect(*db_))->Exec("WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < " + n +
                                               ") INSERT INTO user_words SELECT 'w' || i, 1 FROM g").ok());
  ASSERT_EQ((*dict)->List()->size(), kMaxUserWords);
  auto more = (*dict)->Add("one-too-many", 2);
  EXPECT_EQ(more.status().code(), Code::kTooLarge);
  EXPECT_FALSE(*(*dict)->Add("w7", 3)) << "a word already there is not refused for the bound";
}

INSTANTIATE_TEST_SUITE_P(Backends, SmallStoresTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::store

// The event store's contract, on SQLite and on PostgreSQL.
#include "store/event_store.h"

#include <gtest/gtest.h>

#include "testing/test_store.h"

namespace yuqing::store {
namespace {

class EventStoreTest : public ::testing::TestWithParam<storetest::TestBackend> {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, GetParam());
    db_ = std::move(where_->Open()).value();
    auto s = EventStore::Open(*db_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    events_ = std::move(s).value();
  }
  void TearDown() override {
    events_.reset();
    db_.reset();
    where_.reset();
  }
  static EventRecord Event(int64_t id, TimeMs first, TimeMs last, int64_t posts) {
    EventRecord a;
    a.id = id;
    a.title = "东湖停水 " + std::to_string(id);
    a.first_seen = first;
    a.last_seen = last;
    a.posts = posts;
    a.volume[0] = posts;
    a.types["complaint"] = 2;
    a.regions["浙江/宁波"] = 1;
    a.spreaders.push_back({"u1", "张三", 2, 900});
    a.terms.emplace_back("停水", 2.5);
    return a;
  }
  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<EventStore> events_;
};

TEST_P(EventStoreTest, UpsertGetListAndMerges) {
  EventRecord a = Event(1, 1000, 5000, 3);
  EventRecord b = Event(2, 1000, 5000, 3);
  b.merged_into = 1;
  ASSERT_TRUE(events_->Upsert({a, b}).ok());
  a.posts = 4;
  ASSERT_TRUE(events_->Upsert({a}).ok());
  auto got = events_->Get(2);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, 1);
  EXPECT_EQ(got->posts, 4);
  EXPECT_EQ(got->regions.at("浙江/宁波"), 1);
  EXPECT_EQ(got->spreaders.at(0).author_name, "张三");
  EXPECT_DOUBLE_EQ(got->terms.at(0).second, 2.5);
  auto unmerged = events_->Get(2, /*follow_merges=*/false);
  ASSERT_TRUE(unmerged.ok());
  EXPECT_EQ(unmerged->merged_into, 1);
  auto list = events_->List({});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
  EXPECT_EQ(events_->LoadActive(0)->size(), 2u);
  EXPECT_EQ(*events_->MaxId(), 2);
  EXPECT_EQ(events_->Get(99).status().code(), Code::kNotFound);
}

TEST_P(EventStoreTest, ListOrdersFiltersAndSummaries) {
  ASSERT_TRUE(events_->Upsert({Event(1, 1000, 9000, 5), Event(2, 2000, 3000, 50), Event(3, 8000, 8500, 1)}).ok());
  auto ids = [&](EventQuery q) {
    std::vector<int64_t> out;
    auto list = events_->List(q);
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (list.ok())
      for (const auto& e : *list) out.push_back(e.id);
    return out;
  };
  EXPECT_EQ(ids({}), (std::vector<int64_t>{1, 3, 2}));  // last_seen descending
  EXPECT_EQ(ids({.order = "posts"}), (std::vector<int64_t>{2, 1, 3}));
  EXPECT_EQ(ids({.order = "first_seen"}), (std::vector<int64_t>{3, 2, 1}));
  EXPECT_EQ(ids({.since = 4000}), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(ids({.until = 1500}), (std::vector<int64_t>{1}));
  EXPECT_EQ(ids({.min_posts = 5}), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(ids({.limit = 1}), (std::vector<int64_t>{1}));
  auto summary = events_->List({.summary = true});
  ASSERT_TRUE(summary.ok());
  ASSERT_EQ(summary->size(), 3u);
  EXPECT_TRUE((*summary)[0].volume.empty());
  EXPECT_TRUE((*summary)[0].spreaders.empty());
  EXPECT_EQ((*summary)[0].terms.size(), 1u);
  EXPECT_EQ((*summary)[0].title, "东湖停水 1");
  // Spans overlapping [2500, 7000): 1 and 2 (3 starts after), by the indexed read.
  EXPECT_EQ(*events_->CountActive(2500, 7000), 2);
  EXPECT_EQ(*events_->CountActive(9500, 9600), 0);
}

TEST_P(EventStoreTest, TrackerVersionAndRebuild) {
  EXPECT_EQ(*events_->TrackerVersion(), 0);
  ASSERT_TRUE(events_->SetTrackerVersion(3).ok());
  EXPECT_EQ(*events_->TrackerVersion(), 3);
  ASSERT_TRUE(events_->Upsert({Event(1, 1000, 2000, 1)}).ok());
  ASSERT_TRUE(events_->DeleteAll().ok());
  EXPECT_EQ(*events_->MaxId(), 0);
  EXPECT_EQ(*events_->TrackerVersion(), 3);
  // A second session sees the same store (a restarted process).
  auto again = EventStore::Open(*db_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*(*again)->TrackerVersion(), 3);
}

TEST_P(EventStoreTest, TitlesAreKeptExactlyWhateverTheyHold) {
  EventRecord e = Event(7, 1000, 2000, 1);
  e.title = std::string("零") + '\0' + "字节 <b>'\"";
  ASSERT_TRUE(events_->Upsert({e}).ok());
  auto got = events_->Get(7);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->title, e.title);
}

TEST_P(EventStoreTest, CorrectionsAreKeptAsLabelledData) {
  EXPECT_EQ(events_->AddCorrection({0, "p1", "文本", "angry", "", 0}).code(), Code::kInvalid);
  EXPECT_EQ(events_->AddCorrection({0, "p1", "", "positive", "", 0}).code(), Code::kInvalid);
  ASSERT_TRUE(events_->AddCorrection({0, "p1", "服务还行", "positive", "analyst", 1}).ok());
  ASSERT_TRUE(events_->AddCorrection({0, "", "又停水了", "negative", "", 2}).ok());
  auto cs = events_->Corrections();
  ASSERT_TRUE(cs.ok()) << cs.status().ToString();
  ASSERT_EQ(cs->size(), 2u);
  EXPECT_EQ((*cs)[0].label, "positive");
  EXPECT_EQ((*cs)[0].user, "analyst");
  EXPECT_EQ((*cs)[0].post_id, "p1");
  EXPECT_EQ((*cs)[1].text, "又停水了");
  EXPECT_EQ((*cs)[1].created_at, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventStoreTest, storetest::kBothBackends, storetest::BackendName);

}  // namespace
}  // namespace yuqing::store

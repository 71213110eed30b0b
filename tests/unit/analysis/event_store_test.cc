#include "store/event_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace yuqing::store {

class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("yq_event_store_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto db = Database::Open((dir_ / "t.db").string());
    ASSERT_TRUE(db.ok());
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(EventStoreTest, UpsertGetListAndMerges) {
  auto es = EventStore::Open(*db_);
  ASSERT_TRUE(es.ok()) << es.status().ToString();
  EventRecord a;
  a.id = 1;
  a.title = "东湖停水";
  a.first_seen = 1000;
  a.last_seen = 5000;
  a.posts = 3;
  a.volume[0] = 3;
  a.types["complaint"] = 2;
  a.regions["浙江/宁波"] = 1;
  a.spreaders.push_back({"u1", "张三", 2, 900});
  a.terms.emplace_back("停水", 2.5);
  EventRecord b = a;
  b.id = 2;
  b.merged_into = 1;
  ASSERT_TRUE(es->Upsert({a, b}).ok());
  a.posts = 4;
  ASSERT_TRUE(es->Upsert({a}).ok());
  auto got = es->Get(2);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, 1);
  EXPECT_EQ(got->posts, 4);
  EXPECT_EQ(got->regions.at("浙江/宁波"), 1);
  EXPECT_EQ(got->spreaders.at(0).author_name, "张三");
  EXPECT_DOUBLE_EQ(got->terms.at(0).second, 2.5);
  auto list = es->List({});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
  EXPECT_EQ(es->LoadActive(0)->size(), 2u);
  EXPECT_EQ(*es->MaxId(), 2);
  EXPECT_EQ(es->Get(99).status().code(), Code::kNotFound);
}

TEST_F(EventStoreTest, CorrectionsAreKeptAsLabelledData) {
  auto es = EventStore::Open(*db_);
  ASSERT_TRUE(es.ok());
  EXPECT_FALSE(es->AddCorrection({0, "p1", "文本", "angry", "", 0}).ok());
  ASSERT_TRUE(es->AddCorrection({0, "p1", "服务还行", "positive", "analyst", 1}).ok());
  auto cs = es->Corrections();
  ASSERT_TRUE(cs.ok());
  ASSERT_EQ(cs->size(), 1u);
  EXPECT_EQ((*cs)[0].label, "positive");
}

}  // namespace yuqing::store

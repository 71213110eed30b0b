#include "store/sqlite/connection.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace yuqing::store::sqlite {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("yq-db-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = Connection::Open((dir_ / "t.db").string());
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<Connection> db_;
};

TEST_F(DatabaseTest, SchemaMigratesOnceAndRefusesNewer) {
  int calls = 0;
  auto migrate = [&](Connection& db, int v) {
    ++calls;
    return v == 1 ? db.Exec("CREATE TABLE t (x INTEGER)") : db.Exec("ALTER TABLE t ADD COLUMN y TEXT");
  };
  ASSERT_TRUE(db_->EnsureSchema("c", 1, migrate).ok());
  ASSERT_TRUE(db_->EnsureSchema("c", 1, migrate).ok());
  EXPECT_EQ(calls, 1);
  ASSERT_TRUE(db_->EnsureSchema("c", 2, migrate).ok());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(db_->EnsureSchema("c", 1, migrate).code(), Code::kConflict);
}

TEST_F(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (x INTEGER)").ok());
  {
    Transaction tx(*db_);
    ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES (1)").ok());
  }
  {
    Transaction tx(*db_);
    ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  auto st = db_->Prepare("SELECT group_concat(x) FROM t");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->Text(0), "2");
}

TEST_F(DatabaseTest, ErrorsAreValues) {
  auto st = db_->Prepare("SELEKT 1");
  EXPECT_FALSE(st.ok());
  EXPECT_FALSE(db_->Exec("INSERT INTO missing VALUES (1)").ok());
  Status err;
  EXPECT_EQ(db_->Cached("nonsense", &err), nullptr);
  EXPECT_FALSE(err.ok());
}

TEST_F(DatabaseTest, CachedStatementsAreFoundByTextWhateverItsAddress) {
  Status err;
  Statement* one = db_->Cached("SELECT 1", &err);
  ASSERT_NE(one, nullptr);
  EXPECT_EQ(db_->Cached("SELECT 1"), one);  // a literal again
  std::string built = std::string("SELECT ") + "1";
  EXPECT_EQ(db_->Cached(built), one);  // the same text elsewhere
  // A different text at an address that held a cached one gets its own statement.
  built = "SELECT 2";
  Statement* two = db_->Cached(built);
  ASSERT_NE(two, nullptr);
  EXPECT_NE(two, one);
  ASSERT_TRUE(*two->Step());
  EXPECT_EQ(two->Int(0), 2);
  built = "SELECT 1";
  EXPECT_EQ(db_->Cached(built), one);
  // Many texts built at run time: each still finds its own statement (the address index is
  // bounded and rebuilt as needed).
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 600; ++i) {
      std::string sql = "SELECT " + std::to_string(i);
      Statement* st = db_->Cached(sql);
      ASSERT_NE(st, nullptr);
      ASSERT_TRUE(*st->Step());
      ASSERT_EQ(st->Int(0), i);
    }
  }
}

}  // namespace yuqing::store::sqlite

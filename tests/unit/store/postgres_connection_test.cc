// The PostgreSQL connection (store/postgres/connection.h) against the cluster scripts/test.sh
// starts; skipped with the reason when there is none.
#include "store/postgres/connection.h"

#include <gtest/gtest.h>

#include "testing/test_store.h"

namespace yuqing::store::postgres {
namespace {

class PostgresConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    YQ_OPEN_TEST_STORE(where_, storetest::TestBackend::kPostgres);
    auto c = Connection::Open(where_->where());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    db_ = std::move(c).value();
  }
  void TearDown() override {
    db_.reset();
    where_.reset();
  }
  std::unique_ptr<storetest::TestStore> where_;
  std::unique_ptr<Connection> db_;
};

TEST(PostgresUrl, PasswordsAreRedacted) {
  EXPECT_EQ(RedactUrl("postgres://yq:s3cret@db.example:5432/yuqing"), "postgres://yq:***@db.example:5432/yuqing");
  EXPECT_EQ(RedactUrl("postgres://yq@127.0.0.1/yuqing"), "postgres://yq@127.0.0.1/yuqing");
  EXPECT_TRUE(Database::IsPostgresUrl("postgresql://x/y"));
  EXPECT_FALSE(Database::IsPostgresUrl("/var/lib/yuqing/yuqing.db"));
}

TEST(PostgresUrl, AnUnreachableServerIsUnavailableWithoutThePassword) {
  // Nothing listens on port 1; no TLS or GSSAPI is tried (the test runs under LeakSanitizer too).
  auto c = Database::Open("postgres://yq:s3cret@127.0.0.1:1/yuqing?connect_timeout=2&sslmode=disable&gssencmode=disable");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kUnavailable);
  EXPECT_EQ(c.status().message().find("s3cret"), std::string::npos) << c.status().message();
}

TEST_F(PostgresConnectionTest, ParametersRoundTripAndErrorsMapToCodes) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, x DOUBLE PRECISION, note TEXT)").ok());
  auto ins = db_->Query("INSERT INTO t VALUES ($1, $2, $3, $4)", Params().Add("东湖").Add(int64_t{1} << 40).Add(0.1).AddNull());
  ASSERT_TRUE(ins.ok()) << ins.status().ToString();
  EXPECT_EQ(ins->Affected(), 1);
  auto r = db_->Query("SELECT k, n, x, note FROM t WHERE k = $1", Params().Add("东湖"));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1);
  EXPECT_EQ(r->Text(0, 0), "东湖");
  EXPECT_EQ(r->Int(0, 1), int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(r->Double(0, 2), 0.1);
  EXPECT_TRUE(r->IsNull(0, 3));
  auto dup = db_->Query("INSERT INTO t VALUES ($1, 1, 1, '')", Params().Add("东湖"));
  EXPECT_EQ(dup.status().code(), Code::kConflict);
  EXPECT_EQ(db_->Exec("SELEKT 1").code(), Code::kInvalid);
  auto arr = db_->Query("SELECT sum(v) FROM unnest($1::bigint[]) v", Params().AddArray(std::vector<int64_t>{1, 2, 39}));
  ASSERT_TRUE(arr.ok()) << arr.status().ToString();
  EXPECT_EQ(arr->Int(0, 0), 42);
}

TEST_F(PostgresConnectionTest, TransactionsRollBackAndDoNotNest) {
  ASSERT_TRUE(db_->Exec("CREATE TABLE t (x BIGINT)").ok());
  {
    Transaction tx(*db_);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES (1)").ok());
    Transaction inner(*db_);
    EXPECT_FALSE(inner.status().ok()) << "a nested BEGIN would let the inner COMMIT end the outer";
  }  // rolled back
  {
    Transaction tx(*db_);
    ASSERT_TRUE(db_->Exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  auto r = db_->Query("SELECT string_agg(x::text, ',') FROM t");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->Text(0, 0), "2");
}

TEST_F(PostgresConnectionTest, SchemaMigratesOnceAndRefusesNewer) {
  int calls = 0;
  auto migrate = [&](Connection& db, int v) {
    ++calls;
    return v == 1 ? db.Exec("CREATE TABLE m (x BIGINT)") : db.Exec("ALTER TABLE m ADD COLUMN y TEXT");
  };
  EXPECT_FALSE(db_->HasComponent("m").value());
  ASSERT_TRUE(db_->EnsureSchema("m", 2, migrate).ok());
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(db_->HasComponent("m").value());
  ASSERT_TRUE(db_->EnsureSchema("m", 2, migrate).ok());
  EXPECT_EQ(calls, 2) << "up to date: nothing runs again";
  EXPECT_EQ(db_->EnsureSchema("m", 1, migrate).code(), Code::kConflict) << "written by a newer yuqing";
}

}  // namespace
}  // namespace yuqing::store::postgres

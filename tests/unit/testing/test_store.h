// A fresh, empty store on either backend for the tests that run on both: SQLite in a temporary
// folder, PostgreSQL in a schema of its own in the cluster scripts/test.sh starts (its URL in
// YUQING_TEST_POSTGRES). A PostgreSQL case is skipped, with the reason, when that is not set.
//
//   class FooTest : public ::testing::TestWithParam<storetest::TestBackend> { ... };
//   void SetUp() override { YQ_OPEN_TEST_STORE(store_, GetParam()); db_ = store_->Open().value(); }
//   INSTANTIATE_TEST_SUITE_P(Backends, FooTest, storetest::kBothBackends, storetest::BackendName);
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/postgres/connection.h"

namespace yuqing::storetest {

enum class TestBackend { kSqlite, kPostgres };
inline const auto kBothBackends = ::testing::Values(TestBackend::kSqlite, TestBackend::kPostgres);

inline std::string BackendName(const ::testing::TestParamInfo<TestBackend>& info) {
  return info.param == TestBackend::kSqlite ? "Sqlite" : "Postgres";
}

// The cluster's URL, or empty when no cluster was started for the tests.
inline std::string PostgresTestUrl() {
  const char* url = std::getenv("YUQING_TEST_POSTGRES");
  return url ? url : "";
}

class TestStore {
 public:
  // Empty when the backend is not available here (`*skip` says why).
  static std::unique_ptr<TestStore> Create(TestBackend backend, std::string* skip) {
    static std::atomic<int> counter{0};
    std::string tag = std::to_string(::getpid()) + "_" + std::to_string(counter++);
    std::unique_ptr<TestStore> t(new TestStore());
    t->backend_ = backend;
    if (backend == TestBackend::kSqlite) {
      t->dir_ = std::filesystem::temp_directory_path() / ("yq-store-" + tag);
      std::filesystem::remove_all(t->dir_);
      std::filesystem::create_directories(t->dir_);
      t->where_ = (t->dir_ / "yuqing.db").string();
      return t;
    }
    std::string base = PostgresTestUrl();
    if (base.empty()) {
      *skip = "PostgreSQL case skipped: YUQING_TEST_POSTGRES is not set (scripts/test.sh starts a cluster)";
      return nullptr;
    }
    t->base_ = base;
    t->schema_ = "t" + tag;
    auto admin = store::postgres::Connection::Open(base);
    if (!admin.ok()) {
      *skip = "PostgreSQL case skipped: " + admin.status().ToString();
      return nullptr;
    }
    if (!(*admin)->Exec("DROP SCHEMA IF EXISTS " + t->schema_ + " CASCADE; CREATE SCHEMA " + t->schema_).ok()) {
      *skip = "PostgreSQL case skipped: cannot create a schema";
      return nullptr;
    }
    t->where_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + t->schema_;
    return t;
  }
  ~TestStore() {
    if (backend_ == TestBackend::kSqlite) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    } else if (auto admin = store::postgres::Connection::Open(base_); admin.ok()) {
      (void)(*admin)->Exec("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    }
  }

  TestBackend backend() const { return backend_; }
  // The SQLite file or the PostgreSQL URL (with this store's schema first on the search path).
  const std::string& where() const { return where_; }
  Result<std::unique_ptr<store::Database>> Open() const { return store::Database::Open(where_); }

 private:
  TestStore() = default;
  TestBackend backend_ = TestBackend::kSqlite;
  std::filesystem::path dir_;
  std::string base_, schema_, where_;
};

}  // namespace yuqing::storetest

// Fills `var` (a std::unique_ptr<TestStore>) or skips the test; for SetUp().
#define YQ_OPEN_TEST_STORE(var, backend)                                 \
  do {                                                                   \
    std::string yq_skip_reason;                                          \
    var = ::yuqing::storetest::TestStore::Create(backend, &yq_skip_reason); \
    if (!var) GTEST_SKIP() << yq_skip_reason;                            \
  } while (0)

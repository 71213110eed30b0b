// A fresh, empty directory per test (named after the test), for the stores the tests open, and
// an incident store in it.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/incident_store.h"
#include "testing/test_store.h"

namespace yuqing::incident {

inline std::filesystem::path FreshTestDir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() /
             (prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A fresh directory for the test with a database (t.db) holding the incident tables. Call with
// ASSERT_NO_FATAL_FAILURE.
inline void OpenIncidentStore(const std::string& prefix, std::filesystem::path& dir,
                              std::unique_ptr<store::Database>& db, std::unique_ptr<store::IncidentStore>& store) {
  dir = FreshTestDir(prefix);
  auto opened = store::Database::Open((dir / "t.db").string());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db = std::move(opened).value();
  store = std::make_unique<store::IncidentStore>(*db);
  ASSERT_TRUE(store->Init().ok());
}

// A fresh store on `backend` (SQLite in a temporary folder, PostgreSQL in a schema of its own)
// holding the incident tables, for the suites that run on both. Skips the test when the backend
// is not available here: call with ASSERT_NO_FATAL_FAILURE, then return when IsSkipped().
inline void OpenIncidentStoreOn(storetest::TestBackend backend, std::unique_ptr<storetest::TestStore>& where,
                                std::unique_ptr<store::Database>& db, std::unique_ptr<store::IncidentStore>& store) {
  YQ_OPEN_TEST_STORE(where, backend);
  auto opened = where->Open();
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db = std::move(opened).value();
  store = std::make_unique<store::IncidentStore>(*db);
  auto init = store->Init();
  ASSERT_TRUE(init.ok()) << init.ToString();
}

}  // namespace yuqing::incident

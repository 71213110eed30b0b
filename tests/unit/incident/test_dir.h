// A fresh, empty directory per test (named after the test), for the stores the tests open.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace yuqing::incident {

inline std::filesystem::path FreshTestDir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() /
             (prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace yuqing::incident

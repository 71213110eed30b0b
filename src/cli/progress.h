// A progress bar on stderr for long work (only when stderr is a terminal and output is not JSON).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace yuqing::cli {

class Progress {
 public:
  Progress(std::string label, int64_t total, bool enabled);
  ~Progress();
  void Update(int64_t done, const std::string& detail = "");
  void Finish();

 private:
  std::string label_;
  int64_t total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace yuqing::cli

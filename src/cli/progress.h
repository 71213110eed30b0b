// A progress bar on stderr for long work (only when stderr is a terminal and output is not JSON).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace yuqing::cli {

// The words of the bar, in the user's language.
struct ProgressWords {
  const char* elapsed = "已用";
  const char* remaining = "剩余";
};

// One line of the bar: label, bar, percent, detail, rate (MB/s of `done` bytes), elapsed, ETA.
std::string FormatProgress(const std::string& label, int64_t done, int64_t total, double secs,
                           const std::string& detail, const ProgressWords& words);

class Progress {
 public:
  Progress(std::string label, int64_t total, bool enabled, ProgressWords words = {});
  ~Progress();
  void Update(int64_t done, const std::string& detail = "");
  void Finish();

 private:
  std::string label_;
  ProgressWords words_;
  int64_t total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace yuqing::cli

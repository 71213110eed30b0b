#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace yuqing::cli {

Progress::Progress(std::string label, int64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && isatty(STDERR_FILENO)) {
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t done, const std::string& detail) {
  if (!enabled_ || finished_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100) && done < total_) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  double frac = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 0;
  if (frac > 1) frac = 1;
  int width = 30, filled = static_cast<int>(frac * width);
  std::string bar(filled, '#');
  bar.append(width - filled, '-');
  std::fprintf(stderr, "\r%s [%s] %5.1f%% %s %.0fs ", label_.c_str(), bar.c_str(), frac * 100, detail.c_str(), secs);
  std::fflush(stderr);
}

void Progress::Finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\n");
}

}  // namespace yuqing::cli

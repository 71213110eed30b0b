#include "cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace yuqing::cli {

std::string FormatProgress(const std::string& label, int64_t done, int64_t total, double secs,
                           const std::string& detail, const ProgressWords& words) {
  double frac = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0;
  if (frac > 1) frac = 1;
  int width = 30, filled = static_cast<int>(frac * width);
  std::string bar(filled, '#');
  bar.append(width - filled, '-');
  double rate = secs > 0 ? static_cast<double>(done) / secs : 0;  // bytes per second
  char buf[256];
  int n = std::snprintf(buf, sizeof buf, "%s [%s] %5.1f%% %s %.1f MB/s %s %.0fs", label.c_str(), bar.c_str(),
                        frac * 100, detail.c_str(), rate / 1e6, words.elapsed, secs);
  std::string line(buf, n > 0 ? std::min<size_t>(static_cast<size_t>(n), sizeof buf - 1) : 0);
  if (rate > 0 && done < total) {
    std::snprintf(buf, sizeof buf, " %s %.0fs", words.remaining, static_cast<double>(total - done) / rate);
    line += buf;
  }
  return line;
}

Progress::Progress(std::string label, int64_t total, bool enabled, ProgressWords words)
    : label_(std::move(label)), words_(words), total_(total), enabled_(enabled && isatty(STDERR_FILENO)) {
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::~Progress() { Finish(); }

void Progress::Update(int64_t done, const std::string& detail) {
  if (!enabled_ || finished_) return;
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100) && done < total_) return;
  last_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  std::fprintf(stderr, "\r%s   ", FormatProgress(label_, done, total_, secs, detail, words_).c_str());
  std::fflush(stderr);
}

void Progress::Finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  std::fprintf(stderr, "\n");
}

}  // namespace yuqing::cli

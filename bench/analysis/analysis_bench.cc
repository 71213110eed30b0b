// Throughput of per-post analysis (Analyzer::Analyze, segmentation excluded; its Keywords part
// alone too, and the quote keys) and of event assignment (EventTracker::Assign) as the tracker grows from 10k to 1M
// posts, on real Weibo posts from the COVID stream. Usage: analysis_bench [posts_for_analysis=20000] [assigned=1000000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <ctime>

#include <sys/resource.h>

#include "analysis/analyzer.h"
#include "analysis/event_tracker.h"
#include "analysis/quote_links.h"
#include "bench_data.h"

using namespace yuqing;

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 20000;
  auto stream = bench::ReadCovidStream(bench::CovidStreamPath(), n);
  if (!stream.ok()) {
    std::printf("SKIP: %s\n", stream.status().message().c_str());
    return 0;
  }
  auto norm = text::Normalizer::Create();
  auto seg = text::Segmenter::Create();
  if (!norm.ok() || !seg.ok()) return std::printf("cannot load the text stage\n"), 1;
  auto an = analysis::Analyzer::Create({}, *norm, *seg);
  if (!an.ok()) return std::printf("%s\n", an.status().ToString().c_str()), 1;

  std::vector<ProcessedPost> posts(stream->size());
  for (size_t i = 0; i < posts.size(); ++i) {
    posts[i].post.id = "p" + std::to_string(i);
    posts[i].post.text = (*stream)[i].text;
    posts[i].post.author.id = (*stream)[i].user;
    posts[i].post.published_at = (*stream)[i].day + static_cast<TimeMs>(i % 86400) * 1000;
    (*an)->Prepare(posts[i]);
  }
  using clk = std::chrono::steady_clock;
  for (int round = 0; round < 2; ++round) {  // the first round warms caches
    auto t0 = clk::now();
    for (auto& p : posts) (*an)->Analyze(p);
    double us = std::chrono::duration<double, std::micro>(clk::now() - t0).count() / posts.size();
    if (round == 1) std::printf("analyze: %zu posts, %.2f us/post (%.0f posts/s), one core\n", posts.size(), us, 1e6 / us);
  }
  auto cpu_us = [] {  // this thread's CPU time: other processes' turns on a shared machine excluded
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
  };
  for (int round = 0; round < 2; ++round) {  // the keyword part of Analyze alone
    double c0 = cpu_us();
    size_t k = 0;
    for (auto& p : posts) k += (*seg)->Keywords(p.words, 8).size();
    double us = (cpu_us() - c0) / posts.size();
    if (round == 1)
      std::printf("keywords: %.2f us/post of CPU (%.1f keywords/post)\n", us, static_cast<double>(k) / posts.size());
  }

  for (int round = 0; round < 2; ++round) {  // quote keys alone (part of Assign), texts in cache
    double c0 = cpu_us();
    size_t k = 0;
    analysis::QuoteKeys q;
    for (auto& p : posts) analysis::QuoteKeysOf(p.post, q), k += q.n_own + q.n_refs;
    double us = (cpu_us() - c0) / posts.size();
    if (round == 1) std::printf("quote keys: %.2f us/post of CPU (%.2f keys/post)\n", us, static_cast<double>(k) / posts.size());
  }

  // Event assignment: cycle over the analysed posts with fresh ids, later times and perturbed
  // SimHashes (so cycles are new posts, not copies). Each window of 10k posts is built first and
  // then assigned in one timed run; the figure is the thread's CPU time (the machine may be
  // shared, and wall time then counts other processes' turns), wall time beside it.
  analysis::EventTracker tracker;
  std::mt19937_64 rng(1);
  size_t total = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000000, window = 10000, done = 0;
  bool every = std::getenv("ASSIGN_EVERY_WINDOW") != nullptr;  // print every window, not only 10k/100k/1M
  TimeMs span = posts.back().post.published_at - posts.front().post.published_at + 86400000;
  std::vector<ProcessedPost> batch(window);
  auto faults = [] {  // minor page faults: the kernel committing fresh pages of the tables
    rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_minflt;
  };
  while (done < total) {
    size_t n = std::min(window, total - done);
    for (size_t k = 0; k < n; ++k) {
      size_t cycle = (done + k) / posts.size(), i = (done + k) % posts.size();
      ProcessedPost& p = batch[k];
      p.post.id = "c" + std::to_string(cycle) + "_" + std::to_string(i);
      p.post.author = posts[i].post.author;
      p.post.text = posts[i].post.text;  // quote links read it (untimed copy)
      p.post.published_at = posts[i].post.published_at + static_cast<TimeMs>(cycle) * span;
      p.analysis.keywords = posts[i].analysis.keywords;
      p.analysis.simhash = posts[i].analysis.simhash ^ (cycle ? rng() : 0);
    }
    long f0 = faults();
    double c0 = cpu_us();
    auto t0 = clk::now();
    for (size_t k = 0; k < n; ++k) tracker.Assign(batch[k]);
    double wall = std::chrono::duration<double, std::micro>(clk::now() - t0).count();
    double cpu = cpu_us() - c0;
    long f = faults() - f0;
    done += n;
    if (every || done == 10000 || done == 100000 || done == 1000000)
      std::printf("assign: at %zu posts, %.2f us/post over the last %zu (wall %.2f; page faults %ld; live events %zu)\n",
                  done, cpu / n, n, wall / n, f, tracker.live_events());
    if (done % 100000 == 0) tracker.TakeDirty();  // as the pipeline flushes
  }
  return 0;
}

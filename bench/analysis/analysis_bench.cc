// Throughput of per-post analysis (Analyzer::Analyze, segmentation excluded) and of event
// assignment (EventTracker::Assign) as the tracker grows from 10k to 1M posts, on real Weibo
// posts from the COVID stream. Usage: analysis_bench [posts_for_analysis=20000] [assigned=1000000]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "analysis/analyzer.h"
#include "analysis/event_tracker.h"
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

  // Event assignment: cycle over the analysed posts with fresh ids, later times and perturbed
  // SimHashes (so cycles are new posts, not copies), timing windows of 10k posts.
  analysis::EventTracker tracker;
  std::mt19937_64 rng(1);
  size_t total = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 1000000, window = 10000, done = 0;
  TimeMs span = posts.back().post.published_at - posts.front().post.published_at + 86400000;
  double window_us = 0;
  for (size_t cycle = 0; done < total; ++cycle) {
    for (size_t i = 0; i < posts.size() && done < total; ++i, ++done) {
      ProcessedPost p;
      p.post.id = "c" + std::to_string(cycle) + "_" + std::to_string(i);
      p.post.author = posts[i].post.author;
      p.post.published_at = posts[i].post.published_at + static_cast<TimeMs>(cycle) * span;
      p.analysis.keywords = posts[i].analysis.keywords;
      p.analysis.simhash = posts[i].analysis.simhash ^ (cycle ? rng() : 0);
      auto t0 = clk::now();
      tracker.Assign(p);
      window_us += std::chrono::duration<double, std::micro>(clk::now() - t0).count();
      if ((done + 1) % window == 0) {
        if (done + 1 == 10000 || done + 1 == 100000 || done + 1 == 1000000)
          std::printf("assign: at %zu posts, %.2f us/post over the last %zu (live events %zu)\n", done + 1,
                      window_us / window, window, tracker.live_events());
        window_us = 0;
        if ((done + 1) % 100000 == 0) tracker.TakeDirty();  // as the pipeline flushes
      }
    }
  }
  return 0;
}

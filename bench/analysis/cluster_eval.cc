// Event clustering quality on the COVID Weibo stream with #hashtags# as weak labels (see the data
// README): the first 50,000 posts (file order = day order) carrying exactly one hashtag, of those
// the posts whose tag has >= 20 posts among them; hashtags are removed from the text before
// analysis. Reports B-cubed precision/recall/F1 for the tracker and for the trivial
// one-cluster-per-day reference. Usage: analysis_cluster_eval [join_threshold]
#include <cstdio>
#include <cstdlib>
#include <map>
#include <regex>
#include <unordered_map>

#include "analysis/analyzer.h"
#include "analysis/event_tracker.h"
#include "bench_data.h"

using namespace yuqing;

namespace {

struct Scores {
  double p, r;
};

// B-cubed over items with gold labels and predicted clusters.
Scores BCubed(const std::vector<int64_t>& gold, const std::vector<int64_t>& pred) {
  std::map<std::pair<int64_t, int64_t>, double> both;
  std::unordered_map<int64_t, double> g, c;
  for (size_t i = 0; i < gold.size(); ++i) ++both[{gold[i], pred[i]}], ++g[gold[i]], ++c[pred[i]];
  double p = 0, r = 0;
  for (size_t i = 0; i < gold.size(); ++i) {
    double k = both[{gold[i], pred[i]}];
    p += k / c[pred[i]];
    r += k / g[gold[i]];
  }
  return {p / gold.size(), r / gold.size()};
}

void Print(const char* name, Scores s) {
  std::printf("%-28s P %.3f  R %.3f  F1 %.3f\n", name, s.p, s.r, 2 * s.p * s.r / (s.p + s.r + 1e-12));
}

}  // namespace

int main(int argc, char** argv) {
  auto stream = bench::ReadCovidStream(bench::CovidStreamPath());
  if (!stream.ok()) {
    std::printf("SKIP: %s\n", stream.status().message().c_str());
    return 0;
  }
  std::regex tag_re("#([^#\\s]{1,40})#");
  struct Item {
    size_t idx;
    std::string tag, text;
  };
  std::vector<Item> items;
  for (size_t i = 0; i < stream->size() && items.size() < 50000; ++i) {
    const std::string& t = (*stream)[i].text;
    auto begin = std::sregex_iterator(t.begin(), t.end(), tag_re);
    std::vector<std::string> tags;
    for (auto it = begin; it != std::sregex_iterator(); ++it) tags.push_back((*it)[1].str());
    if (tags.size() != 1) continue;
    items.push_back({i, tags[0], std::regex_replace(t, tag_re, " ")});
  }
  std::unordered_map<std::string, int> tag_count;
  for (const auto& it : items) ++tag_count[it.tag];
  std::vector<Item> kept;
  std::unordered_map<std::string, int64_t> tag_id;
  for (auto& it : items)
    if (tag_count[it.tag] >= 20) {
      tag_id.emplace(it.tag, static_cast<int64_t>(tag_id.size()));
      kept.push_back(std::move(it));
    }
  std::printf("posts with one hashtag: %zu; kept (tag used >= 20 times): %zu posts, %zu tags\n", items.size(),
              kept.size(), tag_id.size());

  auto norm = text::Normalizer::Create();
  auto seg = text::Segmenter::Create();
  if (!norm.ok() || !seg.ok()) return 1;
  auto an = analysis::Analyzer::Create({}, *norm, *seg);
  if (!an.ok()) return std::printf("%s\n", an.status().ToString().c_str()), 1;
  analysis::EventTrackerOptions opts;
  if (argc > 1) opts.join_threshold = std::atof(argv[1]);
  analysis::EventTracker tracker(opts);
  std::vector<int64_t> gold, day;
  std::vector<std::string> ids;
  for (size_t k = 0; k < kept.size(); ++k) {
    const auto& sp = (*stream)[kept[k].idx];
    ProcessedPost p;
    p.post.id = "p" + std::to_string(kept[k].idx);
    p.post.text = kept[k].text;
    p.post.author.id = sp.user;
    p.post.published_at = sp.day + static_cast<TimeMs>(k % 86400) * 1000;
    (*an)->Prepare(p);
    (*an)->Analyze(p);
    tracker.Assign(p);
    ids.push_back(p.post.id);
    gold.push_back(tag_id[kept[k].tag]);
    day.push_back(sp.day);
  }
  std::vector<int64_t> pred;
  for (const auto& id : ids) pred.push_back(tracker.EventOfPost(id));
  std::unordered_map<int64_t, int> sizes;
  for (auto e : pred) ++sizes[e];
  std::printf("events: %zu (join_threshold %.2f)\n", sizes.size(), opts.join_threshold);
  Print("yuqing EventTracker", BCubed(gold, pred));
  Print("one cluster per day (ref)", BCubed(gold, day));
  return 0;
}

// Event clustering quality on real data.
//  1. COVID Weibo stream with #hashtags# as weak labels (see the data README): the first 50,000
//     posts (file order = day order) carrying exactly one hashtag, of those the posts whose tag
//     has >= 20 posts among them; hashtags are removed from the text before analysis. Reports
//     B-cubed precision/recall/F1 for the tracker and for the trivial one-cluster-per-day
//     reference.
//  2. CED rumour cascades (../shared/data/rumor): every `ced_every`-th original with its reposts,
//     replayed in time order as the converter (scripts/data/ced_to_jsonl.py) orders them. Reports
//     the share of reposts that land in their original's event (those whose parent came earlier
//     in the stream, and all), and B-cubed with each cascade as one gold cluster.
// Usage: analysis_cluster_eval [join_threshold] [ced_every=4]  (ced_every 0 skips CED)
#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <unordered_map>
#include <unordered_set>

#include "analysis/analyzer.h"
#include "analysis/event_tracker.h"
#include "analysis/model_paths.h"
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

// CED times: the original's `time` is unix seconds or Weibo's "Wed Aug 08 13:25:02 +0800 2012";
// repost dates are "YYYY-mm-dd HH:MM:SS" Beijing time (a few lack the year: skipped, as the
// pipeline quarantines them). 0 when unreadable.
TimeMs OriginalTime(const nlohmann::json& v) {
  if (v.is_number()) return static_cast<TimeMs>(v.get<double>() * 1000);
  if (!v.is_string()) return 0;
  std::string s = v.get<std::string>();
  if (!s.empty() && std::all_of(s.begin(), s.end(), ::isdigit)) return std::stoll(s) * 1000;
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char mon[4] = {}, tz[6] = {};
  int day, hh, mm, ss, year;
  if (std::sscanf(s.c_str(), "%*3s %3s %d %d:%d:%d %5s %d", mon, &day, &hh, &mm, &ss, tz, &year) != 7) return 0;
  int m = 0;
  while (m < 12 && std::string(months[m]) != mon) ++m;
  if (m == 12) return 0;
  char iso[64];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02dT%02d:%02d:%02d%c%c%c:%c%c", year, m + 1, day, hh, mm, ss, tz[0], tz[1],
                tz[2], tz[3], tz[4]);
  auto t = ParseTime(iso);
  return t.ok() ? *t : 0;
}

TimeMs RepostTime(const std::string& s) {
  if (s.size() != 19 || s[4] != '-') return 0;
  auto t = ParseTime(s.substr(0, 10) + "T" + s.substr(11) + "+08:00");
  return t.ok() ? *t : 0;
}

struct CedPost {
  TimeMs t;
  std::string id, parent, root, text;
};

Result<std::vector<CedPost>> ReadCed(const std::string& path, size_t every) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Status::NotFound("CED data not found: " + path);
  std::vector<CedPost> out;
  std::string line;
  char buf[1 << 16];
  size_t seen = 0;
  while (gzgets(f, buf, sizeof buf)) {
    line += buf;
    if (line.back() != '\n') continue;
    if (seen++ % every == 0) {
      auto o = nlohmann::json::parse(line, nullptr, false);
      TimeMs t = o.is_object() ? OriginalTime(o.value("time", nlohmann::json())) : 0;
      if (t) {
        std::string oid = "ced-" + o["id"].get<std::string>();
        std::string text = o.value("text", "");
        out.push_back({t, oid, "", oid, text.empty() ? "转发微博" : text});
        for (const auto& r : o.value("reposts", nlohmann::json::array())) {
          if (!r.is_array() || r.size() < 5) continue;
          TimeMs rt = RepostTime(r[0].get<std::string>());
          if (!rt) continue;
          std::string parent = r[3].get<std::string>(), rtext = r[4].get<std::string>();
          out.push_back({rt, "ced-r-" + r[2].get<std::string>(), parent.empty() ? oid : "ced-r-" + parent, oid,
                         rtext.empty() ? "转发微博" : rtext});
        }
      }
    }
    line.clear();
  }
  gzclose(f);
  std::stable_sort(out.begin(), out.end(), [](const CedPost& a, const CedPost& b) { return a.t < b.t; });
  return out;
}

int EvalCed(const analysis::Analyzer& an, double join_threshold, size_t every) {
  auto ced = ReadCed(analysis::DefaultTrainDataDir() + "/rumor/ced_weibo_rumor_train.jsonl.gz", every);
  if (!ced.ok()) {
    std::printf("CED: SKIP: %s\n", ced.status().message().c_str());
    return 0;
  }
  analysis::EventTrackerOptions opts;
  opts.join_threshold = join_threshold;
  analysis::EventTracker tracker(opts);
  std::unordered_set<std::string> seen;
  std::vector<size_t> eligible;  // reposts whose parent came earlier in the stream
  size_t reposts = 0, parent_live = 0, joined_live = 0;
  for (size_t i = 0; i < ced->size(); ++i) {
    const CedPost& c = (*ced)[i];
    ProcessedPost p;
    p.post.id = c.id;
    p.post.parent = c.parent;
    p.post.text = c.text;
    p.post.published_at = c.t;
    an.Prepare(p);
    an.Analyze(p);
    // The parent's event still in memory (idle events leave after the window): the repost must
    // join it.
    int64_t parent_event = c.parent.empty() ? 0 : tracker.EventOfPost(c.parent);
    const analysis::EventRecord* live = parent_event ? tracker.Find(parent_event) : nullptr;
    int64_t live_id = live ? live->id : 0;
    tracker.Assign(p);
    if (live_id) ++parent_live, joined_live += p.analysis.event_id == live_id;
    if (!c.parent.empty()) {
      ++reposts;
      if (seen.count(c.parent)) eligible.push_back(i);
    }
    seen.insert(c.id);
    if (i % 10000 == 9999) tracker.TakeDirty();
  }
  // Repeated repost ids (in the data) are one post to the tracker: score each id once.
  std::unordered_map<std::string, int64_t> root_id;
  std::vector<int64_t> gold, pred;
  std::unordered_set<std::string> scored;
  size_t in_all = 0, in_eligible = 0;
  for (size_t i = 0; i < ced->size(); ++i) {
    const CedPost& c = (*ced)[i];
    if (!scored.insert(c.id).second) continue;
    int64_t e = tracker.EventOfPost(c.id);
    gold.push_back(root_id.emplace(c.root, static_cast<int64_t>(root_id.size())).first->second);
    pred.push_back(e);
    if (!c.parent.empty() && e == tracker.EventOfPost(c.root)) ++in_all;
  }
  for (size_t i : eligible)
    if (tracker.EventOfPost((*ced)[i].id) == tracker.EventOfPost((*ced)[i].root)) ++in_eligible;
  std::unordered_set<int64_t> events(pred.begin(), pred.end());
  std::printf("CED (every %zu-th original): %zu cascades, %zu posts (%zu reposts, %zu after their parent), %zu events\n",
              every, root_id.size(), ced->size(), reposts, eligible.size(), events.size());
  std::printf("reposts in their original's event: %.3f of those after their parent, %.3f of all\n",
              static_cast<double>(in_eligible) / std::max<size_t>(1, eligible.size()),
              static_cast<double>(in_all) / std::max<size_t>(1, reposts));
  std::printf("reposts whose parent's event was in memory: %zu (%.3f of reposts), joined it: %.3f\n", parent_live,
              static_cast<double>(parent_live) / std::max<size_t>(1, reposts),
              static_cast<double>(joined_live) / std::max<size_t>(1, parent_live));
  Print("CED cascades, B-cubed", BCubed(gold, pred));
  return 0;
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
  size_t copies = 0;
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
    copies += !p.analysis.dup_of.empty();
    ids.push_back(p.post.id);
    gold.push_back(tag_id[kept[k].tag]);
    day.push_back(sp.day);
  }
  std::vector<int64_t> pred;
  for (const auto& id : ids) pred.push_back(tracker.EventOfPost(id));
  std::unordered_map<int64_t, int> sizes;
  for (auto e : pred) ++sizes[e];
  std::printf("events: %zu (join_threshold %.2f); near-duplicate copies: %zu\n", sizes.size(), opts.join_threshold,
              copies);
  Print("yuqing EventTracker", BCubed(gold, pred));
  Print("one cluster per day (ref)", BCubed(gold, day));
  size_t every = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 4;
  return every ? EvalCed(**an, opts.join_threshold, every) : 0;
}

// Matcher benchmark: N schemes built from real vocabulary (frequent words of the COVID Weibo
// corpus when present, else generated words) matched against the corpus posts, one thread.
//   rules_bench --schemes 10000 [--corpus FILE.tsv.gz] [--posts LIMIT] [--out DIR] [--seed S] [--reps R]
// The match figure is the median of R passes (default 3) over all posts, one thread, in CPU
// seconds of that thread (the wall-clock median is in the JSON too, as match_s): Matcher::Match
// per post, i.e. the Hyperscan scan and the boolean evaluation of the schemes, on the normalised
// text written to DIR/posts.txt. Prints human-readable figures and, last, one JSON line. Writes
// DIR/literals.txt and DIR/posts.txt (normalised text, one post a line) so that run.sh can time
// `rg -F -f` on the same text for the same literals.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/matcher.h"
#include "text/normalizer.h"
#include "text/segmenter.h"
#include "text/utf8.h"

namespace {

namespace text = yuqing::text;
using yuqing::Result;
using yuqing::Status;
using Steady = std::chrono::steady_clock;
double Seconds(Steady::time_point a) { return std::chrono::duration<double>(Steady::now() - a).count(); }
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

long RssKiB() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}
long PeakRssKiB() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

struct Args {
  size_t schemes = 10000;
  std::string corpus = YUQING_SOURCE_DIR "/../shared/data/stream/covid19_weibo_unlabeled_2020.tsv.gz";
  size_t posts = 0;  // 0: all
  std::string out;  // where literals.txt and posts.txt go (for ripgrep); none when empty
  uint32_t seed = 1;
  int reps = 3;
};

std::vector<std::string> LoadPosts(const Args& a, bool& real) {
  std::vector<std::string> posts;
  if (FILE* probe = fopen(a.corpus.c_str(), "r")) {
    fclose(probe);
    std::string cmd = "gzip -dc '" + a.corpus + "'";
    FILE* f = popen(cmd.c_str(), "r");
    std::string line;
    char buf[1 << 16];
    bool header = true;
    while (f && fgets(buf, sizeof buf, f)) {
      line += buf;
      if (line.empty() || line.back() != '\n') continue;
      line.pop_back();
      if (!header) {
        size_t t1 = line.find('\t'), t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 != std::string::npos) posts.push_back(line.substr(t2 + 1));
      }
      header = false;
      line.clear();
      if (a.posts && posts.size() >= a.posts) break;
    }
    if (f) pclose(f);
    real = true;
    return posts;
  }
  real = false;
  std::cerr << "corpus absent (" << a.corpus << "): generating synthetic posts\n";
  std::mt19937 rng(a.seed);
  size_t n = a.posts ? a.posts : 200000;
  for (size_t i = 0; i < n; ++i) {
    std::string p;
    int len = 20 + static_cast<int>(rng() % 150);
    for (int k = 0; k < len; ++k) text::AppendUtf8(p, 0x4E00 + static_cast<uint32_t>(std::min(rng() % 3000, rng() % 3000)));
    posts.push_back(p);
  }
  return posts;
}

// Words by descending frequency: segmented from a sample of the corpus (real), or synthetic.
std::vector<std::string> Vocabulary(const std::vector<std::string>& norm_posts, bool real, size_t want, uint32_t seed) {
  std::vector<std::string> vocab;
  auto seg = real ? text::Segmenter::Create() : Result<std::shared_ptr<const text::Segmenter>>(Status::NotFound(""));
  if (seg.ok()) {
    std::unordered_map<std::string, int> freq;
    std::vector<std::string> words;
    size_t sample = std::min<size_t>(norm_posts.size(), 150000);
    for (size_t i = 0; i < sample; ++i) {
      words.clear();
      (*seg)->Cut(norm_posts[i], words);
      for (auto& w : words) {
        size_t chars = text::CountCodePoints(w), cjk = 0, alpha = 0;
        for (size_t k = 0; k < w.size();) {
          uint32_t cp = text::DecodeUtf8(w, k);
          cjk += text::IsCjk(cp);
          alpha += (cp >= 'a' && cp <= 'z');
        }
        bool ok = (cjk == chars && chars >= 2) || (alpha == chars && chars >= 3);
        if (ok && !(*seg)->IsStopWord(w)) ++freq[w];
      }
    }
    std::vector<std::pair<int, std::string>> byf;
    for (auto& [w, c] : freq) byf.push_back({c, w});
    std::sort(byf.begin(), byf.end(), [](auto& x, auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
    for (auto& [c, w] : byf) vocab.push_back(w);
  }
  std::mt19937 rng(seed);
  std::unordered_set<std::string> seen(vocab.begin(), vocab.end());
  while (vocab.size() < want) {  // synthetic words beyond the real vocabulary
    std::string w;
    int len = 2 + static_cast<int>(rng() % 3);
    for (int k = 0; k < len; ++k) text::AppendUtf8(w, 0x4E00 + static_cast<uint32_t>(rng() % 20000));
    if (seen.insert(w).second) vocab.push_back(w);
  }
  return vocab;
}

// A realistic scheme: who/what (an OR group) AND which trouble (an OR group), sometimes an
// exclusion, a proximity condition or a title scope.
std::vector<yuqing::rules::Scheme> MakeSchemes(size_t n, const std::vector<std::string>& vocab, size_t pool,
                                               uint32_t seed) {
  std::mt19937 rng(seed);
  pool = std::min(pool, vocab.size());
  auto word = [&] { return vocab[rng() % pool]; };
  auto group = [&](int lo, int hi) {
    int k = lo + static_cast<int>(rng() % (hi - lo + 1));
    std::string g = k > 1 ? "(" : "";
    for (int i = 0; i < k; ++i) g += (i ? " OR " : "") + word();
    return g + (k > 1 ? ")" : "");
  };
  std::vector<yuqing::rules::Scheme> out;
  for (size_t i = 0; i < n; ++i) {
    yuqing::rules::Scheme s;
    s.id = static_cast<int64_t>(i + 1);
    s.name = "bench" + std::to_string(i);
    int kind = static_cast<int>(rng() % 10);
    if (kind == 0) s.query = word() + " NEAR/10 " + word() + " OR " + group(1, 3);
    else if (kind == 1) s.query = "title:" + group(1, 3) + " " + group(1, 3);
    else s.query = group(1, 4) + " " + group(2, 5);
    if (rng() % 10 < 3) s.query += " -" + word();
    if (rng() % 10 == 0) s.exclude.push_back(word());
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace yuqing;
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--schemes") a.schemes = std::stoul(v);
    else if (k == "--corpus") a.corpus = v;
    else if (k == "--posts") a.posts = std::stoul(v);
    else if (k == "--out") a.out = v;
    else if (k == "--seed") a.seed = static_cast<uint32_t>(std::stoul(v));
    else if (k == "--reps") a.reps = std::max(1, std::stoi(v));
    else {
      std::cerr << "unknown option " << k << "\n";
      return 2;
    }
  }
  auto norm = text::Normalizer::Create();
  if (!norm.ok()) {
    std::cerr << norm.status().ToString() << "\n";
    return 3;
  }
  bool real = false;
  auto t = Steady::now();
  std::vector<std::string> posts = LoadPosts(a, real);
  double load_s = Seconds(t);
  t = Steady::now();
  size_t bytes = 0;
  for (auto& p : posts) {
    p = (*norm)->Normalize(p);
    bytes += p.size();
  }
  double norm_s = Seconds(t);
  t = Steady::now();
  // Terms are drawn from the 10*N most frequent words (about 5 distinct literals per scheme), as
  // far as the real vocabulary reaches; generated words fill in only when the corpus is absent.
  std::vector<std::string> vocab = Vocabulary(posts, real, real ? 0 : a.schemes * 10, a.seed);
  double vocab_s = Seconds(t);
  auto schemes = MakeSchemes(a.schemes, vocab, a.schemes * 10, a.seed);

  long rss_before = RssKiB();
  t = Steady::now();
  std::vector<rules::CompileError> errors;
  auto m = rules::Matcher::Compile(schemes, *norm, {}, &errors);
  double compile_s = Seconds(t);
  if (!m.ok()) {
    std::cerr << m.status().ToString() << "\n";
    return 3;
  }
  long rss_matcher = RssKiB() - rss_before;

  // Only when asked: posts.txt is the whole corpus (170 MB of ../shared/data), never to land in
  // the working directory, least of all a checkout.
  if (!a.out.empty()) {
    std::ofstream lf(a.out + "/literals.txt");
    std::unordered_set<std::string> lits;
    std::vector<std::string> order;
    for (const auto& s : (*m)->schemes()) {
      auto ps = rules::ParseScheme(s, **norm);
      std::vector<const rules::Node*> stack{&ps->query.root};
      for (auto& e : ps->excludes) stack.push_back(&e.root);
      while (!stack.empty()) {
        const rules::Node* n = stack.back();
        stack.pop_back();
        if (n->kind == rules::Node::kTerm && lits.insert(n->term).second) order.push_back(n->term);
        for (auto& c : n->children) stack.push_back(&c);
      }
    }
    for (auto& l : order) lf << l << "\n";
    std::ofstream pf(a.out + "/posts.txt");
    for (auto& p : posts) {
      std::string line = p;
      std::replace(line.begin(), line.end(), '\n', ' ');
      pf << line << "\n";
    }
  }

  rules::Scratch scratch;
  std::vector<SchemeHit> hits;
  size_t matched_posts = 0, total_hits = 0;
  rules::MatchInput warm;
  warm.text = posts.empty() ? "" : posts[0];
  (*m)->Match(warm, hits, scratch);  // prepares the scratch
  std::vector<double> times, cpu_times;
  for (int r = 0; r < a.reps; ++r) {
    matched_posts = total_hits = 0;
    double cpu0 = ThreadCpuSeconds();
    t = Steady::now();
    for (const auto& p : posts) {
      hits.clear();
      rules::MatchInput in;
      in.text = p;
      (*m)->Match(in, hits, scratch);
      matched_posts += !hits.empty();
      total_hits += hits.size();
    }
    times.push_back(Seconds(t));
    cpu_times.push_back(ThreadCpuSeconds() - cpu0);
  }
  std::sort(times.begin(), times.end());
  std::sort(cpu_times.begin(), cpu_times.end());
  double match_s = times[times.size() / 2];
  // Throughput per CPU second of the matching thread, as every other bench/run row: on a shared
  // machine the wall clock also counts the time spent waiting for a core.
  const double match_cpu_s = cpu_times[cpu_times.size() / 2];
  double pps = posts.size() / match_cpu_s;
  nlohmann::json j = {{"schemes", (*m)->schemes().size()},
                      {"literals", (*m)->literal_count()},
                      {"vocabulary", real ? "covid19_weibo" : "synthetic"},
                      {"vocabulary_words", vocab.size()},
                      {"posts", posts.size()},
                      {"mb", bytes / 1e6},
                      {"compile_s", compile_s},
                      {"match_s", match_s},
                      {"match_s_min", times.front()},
                      {"match_cpu_s", match_cpu_s},
                      {"reps", a.reps},
                      {"posts_per_s", pps},
                      {"us_per_post", 1e6 / pps},
                      {"mb_per_s", bytes / 1e6 / match_cpu_s},
                      {"matched_posts", matched_posts},
                      {"scheme_hits", total_hits},
                      {"matcher_bytes", (*m)->memory_bytes()},
                      {"matcher_rss_mib", rss_matcher / 1024.0},
                      {"peak_rss_mib", PeakRssKiB() / 1024.0},
                      {"load_s", load_s},
                      {"normalize_s", norm_s},
                      {"vocab_s", vocab_s},
                      {"compile_errors", errors.size()}};
  std::cout << "schemes " << a.schemes << ": " << (*m)->literal_count() << " literals, compile " << compile_s
            << " s, match " << static_cast<long>(pps) << " posts/s (" << 1e6 / pps << " us/post, "
            << bytes / 1e6 / match_cpu_s << " MB/s, per CPU second), matcher " << (*m)->memory_bytes() / 1048576.0 << " MiB (rss +"
            << rss_matcher / 1024.0 << " MiB), peak rss " << PeakRssKiB() / 1024.0 << " MiB, " << matched_posts
            << "/" << posts.size() << " posts matched\n";
  std::cout << j.dump() << std::endl;
  return 0;
}

// Stage benchmarks for bench/run: yuqing's stages one at a time on a posts file, each beside the
// native peer that does the same job plainly (bench/peers/native_peers.h). One thread. Every
// command prints one JSON line (times in seconds; medians of --reps repetitions where cheap).
//
//   stage_bench segment TEXTS [--reps 3] [--side both|yuqing|peer]
//       yuqing's Segmenter::Cut vs cppjieba's Jieba::Cut (precise mode + HMM, same dictionaries)
//   stage_bench analysis TEXTS [--models DIR] [--reps 3]
//       normalise + segment + sentiment, and the whole per-post Analyzer (needs the models)
//   stage_bench neardup TEXTS [--brute N] [--side both|yuqing|peer]
//       SimHash banded index (find + add per post) vs a brute-force Hamming scan (first N posts)
//   stage_bench match --schemes N [--posts P] [--sample K] [--corpus TSV.GZ] [--seed S]
//       the same schemes as bench/rules/rules_bench (same generator, seed and vocabulary):
//       the compiled Matcher vs the naive per-scheme loop over the first K posts
//   stage_bench ingest POSTS.jsonl --dir TMPDIR [--batch 2000]
//       parse -> normalise + segment -> store with full-text index, stage by stage, and the same
//       posts as plain SQLite inserts (one table, primary key only, no full-text index)
//
// TEXTS is one post text a line. Times are thread CPU seconds. Peak RSS is reported from getrusage; bench/run runs the sides
// in separate processes (--side) when it wants each side's own peak.
#include <sys/resource.h>
#include <time.h>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/pipeline.h"  // OpenStoreConnection
#include "app/services.h"
#include "ingest/post_parser.h"
#include "native_peers.h"
#include "rules/matcher.h"
#include "store/database.h"
#include "store/post_store.h"
#include "text/normalizer.h"
#include "text/segmenter.h"
#include "text/utf8.h"
#ifdef YQ_BENCH_ANALYSIS
#include "analysis/analyzer.h"
#include "analysis/sentiment.h"
#include "analysis/simhash.h"
#endif

namespace {

namespace text = yuqing::text;
namespace rules = yuqing::rules;
using yuqing::Result;
using yuqing::Status;
using json = nlohmann::json;

// Times are CPU seconds of the calling thread: "per core" figures that hold on a busy machine,
// where wall time also counts the time spent waiting for a core.
struct CpuClock {
  using time_point = double;
  static double now() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
  }
};
double Since(double a) { return CpuClock::now() - a; }

double PeakRssMiB() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

// Times fn() reps times; the median seconds.
double TimeMedian(int reps, const std::function<void()>& fn) {
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    auto s = CpuClock::now();
    fn();
    t.push_back(Since(s));
  }
  return Median(t);
}

json Rate(size_t posts, double seconds) {
  return {{"seconds", seconds},
          {"posts_per_s", seconds > 0 ? posts / seconds : 0.0},
          {"us_per_post", posts ? seconds * 1e6 / posts : 0.0}};
}

struct Flags {
  std::vector<std::string> positional;
  std::map<std::string, std::string> opts;
  std::string Get(const std::string& k, const std::string& d) const {
    auto it = opts.find(k);
    return it == opts.end() ? d : it->second;
  }
  size_t Num(const std::string& k, size_t d) const { return std::stoul(Get(k, std::to_string(d))); }
};

Flags ParseFlags(int argc, char** argv, int first) {
  Flags f;
  for (int i = first; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) == 0 && i + 1 < argc) f.opts[a.substr(2)] = argv[++i];
    else f.positional.push_back(a);
  }
  return f;
}

std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) lines.push_back(std::move(line));
  return lines;
}

template <typename T>
T OrDie(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::cerr << what << ": " << r.status().ToString() << "\n";
    std::exit(3);
  }
  return std::move(*r);
}

bool Want(const Flags& f, const char* side) {
  std::string s = f.Get("side", "both");
  return s == "both" || s == side;
}

// ---- segment -------------------------------------------------------------------------------

int Segment(const Flags& f) {
  auto texts = ReadLines(f.positional.at(0));
  int reps = static_cast<int>(f.Num("reps", 3));
  json out = {{"stage", "segment"}, {"posts", texts.size()}};
  auto t0 = CpuClock::now();
  auto seg = OrDie(text::Segmenter::Create(), "segmenter");
  out["load_s"] = Since(t0);
  std::vector<std::string> words;
  size_t tokens = 0;
  if (Want(f, "yuqing")) {
    double s = TimeMedian(reps, [&] {
      tokens = 0;
      for (const auto& t : texts) {
        words.clear();
        seg->Cut(t, words);
        tokens += words.size();
      }
    });
    out["yuqing"] = Rate(texts.size(), s);
    out["yuqing"]["tokens"] = tokens;
  }
  if (Want(f, "peer")) {
    yuqing::bench::RawJieba raw(seg->dict_dir());
    double s = TimeMedian(reps, [&] {
      tokens = 0;
      for (const auto& t : texts) {
        words.clear();
        raw.Cut(t, words);
        tokens += words.size();
      }
    });
    out["cppjieba"] = Rate(texts.size(), s);
    out["cppjieba"]["tokens"] = tokens;
  }
  out["reps"] = reps;
  out["peak_rss_mib"] = PeakRssMiB();
  std::cout << out.dump() << std::endl;
  return 0;
}

// ---- analysis and near-duplicates ----------------------------------------------------------

#ifdef YQ_BENCH_ANALYSIS
int Analysis(const Flags& f) {
  namespace an = yuqing::analysis;
  auto texts = ReadLines(f.positional.at(0));
  int reps = static_cast<int>(f.Num("reps", 3));
  auto norm = OrDie(text::Normalizer::Create(), "normalizer");
  auto seg = OrDie(text::Segmenter::Create(), "segmenter");
  an::AnalyzerOptions opts;
  opts.models_dir = f.Get("models", "");
  auto t0 = CpuClock::now();
  auto az = an::Analyzer::Create(opts, norm, seg);
  json out = {{"stage", "analysis"}, {"posts", texts.size()}};
  if (!az.ok()) {
    out["error"] = az.status().ToString();
    std::cout << out.dump() << std::endl;
    return 0;
  }
  out["load_s"] = Since(t0);
  const an::Analyzer& a = **az;
  std::vector<yuqing::ProcessedPost> posts(texts.size());
  for (size_t i = 0; i < texts.size(); ++i) posts[i].post.text = texts[i];
  size_t negative = 0;
  // Sentiment as a user of the Python stack sees it: text in, label out (normalise + segment +
  // classify), so that it compares with jieba + naive Bayes.
  double s = TimeMedian(reps, [&] {
    negative = 0;
    for (auto& p : posts) {
      a.Prepare(p);
      auto r = a.sentiment().Classify(p.norm_text, p.words);
      negative += std::string_view(r.label) == "negative";
    }
  });
  out["sentiment"] = Rate(posts.size(), s);
  out["sentiment"]["negative"] = negative;
  // The analysis stage alone, as the pipeline runs it: posts arrive normalised and segmented
  // (that is the spine's work, measured in its own row).
  for (auto& p : posts) a.Prepare(p);
  s = TimeMedian(reps, [&] {
    for (auto& p : posts) a.Analyze(p);
  });
  out["analyze"] = Rate(posts.size(), s);
  out["reps"] = reps;
  out["peak_rss_mib"] = PeakRssMiB();
  std::cout << out.dump() << std::endl;
  return 0;
}

int NearDup(const Flags& f) {
  namespace an = yuqing::analysis;
  auto texts = ReadLines(f.positional.at(0));
  size_t brute = std::min(texts.size(), f.Num("brute", 20000));
  auto norm = OrDie(text::Normalizer::Create(), "normalizer");
  auto seg = OrDie(text::Segmenter::Create(), "segmenter");
  std::vector<std::vector<std::string>> words(texts.size());
  std::string n;
  for (size_t i = 0; i < texts.size(); ++i) {
    n.clear();
    norm->Normalize(texts[i], n);
    seg->Cut(n, words[i]);
  }
  json out = {{"stage", "neardup"}, {"posts", texts.size()}};
  std::vector<uint64_t> hashes(texts.size());
  auto t0 = CpuClock::now();
  for (size_t i = 0; i < texts.size(); ++i) hashes[i] = an::SimHash(words[i], seg.get());
  out["simhash"] = Rate(texts.size(), Since(t0));
  words.clear();
  words.shrink_to_fit();
  std::vector<char> index_dup(texts.size(), 0);
  if (Want(f, "yuqing")) {
    an::NearDupIndex index(1 << 20);
    size_t dups = 0;
    t0 = CpuClock::now();
    for (size_t i = 0; i < hashes.size(); ++i) {
      if (hashes[i] == 0) continue;
      if (index.Find(hashes[i], 3)) {
        ++dups;
        index_dup[i] = 1;
      }
      index.Add(hashes[i], std::to_string(i));
    }
    out["yuqing"] = Rate(hashes.size(), Since(t0));
    out["yuqing"]["near_duplicates"] = dups;
  }
  if (Want(f, "peer") && brute > 0) {
    std::vector<uint64_t> prefix(hashes.begin(), hashes.begin() + brute);
    t0 = CpuClock::now();
    auto found = yuqing::bench::BruteForceNearDup(prefix, 3);
    double s = Since(t0);
    size_t dups = 0, agree = 0;
    for (size_t i = 0; i < found.size(); ++i) {
      dups += found[i] >= 0;
      agree += (found[i] >= 0) == (index_dup[i] != 0);
    }
    out["brute_force"] = Rate(brute, s);
    out["brute_force"]["near_duplicates"] = dups;
    // The brute-force cost per post grows with the posts before it: scan_posts says over how
    // many it was measured, so a ratio is only fair for that prefix size.
    out["brute_force"]["scan_posts"] = brute;
    if (Want(f, "yuqing")) out["brute_force"]["agreement"] = brute ? double(agree) / brute : 1.0;
  }
  out["peak_rss_mib"] = PeakRssMiB();
  std::cout << out.dump() << std::endl;
  return 0;
}
#endif

// ---- match ---------------------------------------------------------------------------------
// LoadPosts, Vocabulary and MakeSchemes follow bench/rules/rules_bench.cc exactly, so that with
// the same corpus, --posts and --seed the schemes are the ones rules_bench (and ripgrep) saw.

std::vector<std::string> LoadCorpus(const std::string& corpus, size_t limit, uint32_t seed, bool& real) {
  std::vector<std::string> posts;
  if (FILE* probe = fopen(corpus.c_str(), "r")) {
    fclose(probe);
    std::string cmd = "gzip -dc '" + corpus + "'";
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
      if (limit && posts.size() >= limit) break;
    }
    if (f) pclose(f);
    real = true;
    return posts;
  }
  real = false;
  std::mt19937 rng(seed);
  size_t n = limit ? limit : 200000;
  for (size_t i = 0; i < n; ++i) {
    std::string p;
    int len = 20 + static_cast<int>(rng() % 150);
    for (int k = 0; k < len; ++k)
      text::AppendUtf8(p, 0x4E00 + static_cast<uint32_t>(std::min(rng() % 3000, rng() % 3000)));
    posts.push_back(p);
  }
  return posts;
}

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
    std::sort(byf.begin(), byf.end(),
              [](auto& x, auto& y) { return x.first != y.first ? x.first > y.first : x.second < y.second; });
    for (auto& [c, w] : byf) vocab.push_back(w);
  }
  std::mt19937 rng(seed);
  std::unordered_set<std::string> seen(vocab.begin(), vocab.end());
  while (vocab.size() < want) {
    std::string w;
    int len = 2 + static_cast<int>(rng() % 3);
    for (int k = 0; k < len; ++k) text::AppendUtf8(w, 0x4E00 + static_cast<uint32_t>(rng() % 20000));
    if (seen.insert(w).second) vocab.push_back(w);
  }
  return vocab;
}

std::vector<rules::Scheme> MakeSchemes(size_t n, const std::vector<std::string>& vocab, size_t pool, uint32_t seed) {
  std::mt19937 rng(seed);
  pool = std::min(pool, vocab.size());
  auto word = [&] { return vocab[rng() % pool]; };
  auto group = [&](int lo, int hi) {
    int k = lo + static_cast<int>(rng() % (hi - lo + 1));
    std::string g = k > 1 ? "(" : "";
    for (int i = 0; i < k; ++i) g += (i ? " OR " : "") + word();
    return g + (k > 1 ? ")" : "");
  };
  std::vector<rules::Scheme> out;
  for (size_t i = 0; i < n; ++i) {
    rules::Scheme s;
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

int Match(const Flags& f) {
  size_t nschemes = f.Num("schemes", 10000);
  size_t limit = f.Num("posts", 0);
  size_t sample = f.Num("sample", 1000);
  uint32_t seed = static_cast<uint32_t>(f.Num("seed", 1));
  std::string corpus =
      f.Get("corpus", YUQING_SOURCE_DIR "/../shared/data/stream/covid19_weibo_unlabeled_2020.tsv.gz");
  auto norm = OrDie(text::Normalizer::Create(), "normalizer");
  bool real = false;
  auto posts = LoadCorpus(corpus, limit, seed, real);
  for (auto& p : posts) p = norm->Normalize(p);
  auto vocab = Vocabulary(posts, real, real ? 0 : nschemes * 10, seed);
  auto schemes = MakeSchemes(nschemes, vocab, nschemes * 10, seed);
  sample = std::min(sample, posts.size());
  json out = {{"stage", "match"}, {"schemes", nschemes}, {"posts", sample}, {"vocabulary", real ? "covid19_weibo" : "synthetic"}};

  auto m = OrDie(rules::Matcher::Compile(schemes, norm, {}, nullptr), "matcher");
  rules::Scratch scratch;
  std::vector<yuqing::SchemeHit> hits;
  size_t yq_matches = 0;
  double s = TimeMedian(3, [&] {
    yq_matches = 0;
    for (size_t i = 0; i < sample; ++i) {
      hits.clear();
      rules::MatchInput in;
      in.text = posts[i];
      m->Match(in, hits, scratch);
      yq_matches += hits.size();
    }
  });
  out["yuqing"] = Rate(sample, s);
  out["yuqing"]["scheme_hits"] = yq_matches;

  yuqing::bench::NaiveMatcher naive;
  for (const auto& sc : m->schemes()) {
    auto ps = rules::ParseScheme(sc, *norm);
    if (ps.ok()) naive.schemes.push_back(std::move(*ps));
  }
  std::vector<rules::FieldTexts> fields(sample);
  for (size_t i = 0; i < sample; ++i) {
    rules::MatchInput in;
    in.text = posts[i];
    fields[i] = rules::NormalizeFields(in, *norm, true);
  }
  size_t naive_matches = 0;
  auto t0 = CpuClock::now();
  for (size_t i = 0; i < sample; ++i) naive_matches += naive.Match(fields[i]);
  out["naive_loop"] = Rate(sample, Since(t0));
  out["naive_loop"]["scheme_hits"] = naive_matches;
  out["agree"] = naive_matches == yq_matches;
  out["peak_rss_mib"] = PeakRssMiB();
  std::cout << out.dump() << std::endl;
  return 0;
}

// ---- ingest --------------------------------------------------------------------------------

int Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::cerr << what << ": " << sqlite3_errmsg(db) << "\n";
    std::exit(3);
  }
  return rc;
}

int Ingest(const Flags& f) {
  namespace fs = std::filesystem;
  const std::string path = f.positional.at(0);
  const std::string dir = f.Get("dir", "");
  if (dir.empty()) {
    std::cerr << "ingest needs --dir\n";
    return 2;
  }
  size_t batch = f.Num("batch", 2000);
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto services = OrDie(yuqing::app::Services::Open(dir + "/fts"), "services");
  auto t0 = CpuClock::now();
  // The store path alone (no analysis, schemes or warning): the pipeline's connection with the
  // FTS tokenizer, the post store, and Prepare as Pipeline::Prepare does it.
  auto norm = OrDie(services->normalizer(), "normalizer");
  auto seg = OrDie(services->segmenter(), "segmenter");
  auto dbp = OrDie(yuqing::app::OpenStoreConnection(*services), "store");
  auto storep = OrDie(yuqing::store::PostStore::Open(*dbp), "post store");
  double load_s = Since(t0);
  std::vector<text::Token> tokens;
  auto segment = [&](std::string_view original, yuqing::SegmentedField& f) {
    norm->NormalizeWithOffsets(original, f.norm, f.offsets);
    seg->CutForSearch(f.norm, tokens, f.colocated);
    f.token_begin.resize(tokens.size());
    f.token_end.resize(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
      f.token_begin[i] = tokens[i].begin;
      f.token_end[i] = tokens[i].end;
    }
  };
  auto prepare = [&](yuqing::ProcessedPost& pp) {  // mirrors app::Pipeline::Prepare
    segment(pp.post.title, pp.title_seg);
    segment(pp.post.text, pp.text_seg);
    pp.norm_text.clear();
    pp.words.clear();
    if (!pp.post.title.empty()) {
      pp.norm_text = pp.title_seg.norm;
      pp.norm_text.push_back('\n');
    }
    pp.norm_text += pp.text_seg.norm;
    for (const yuqing::SegmentedField* f : {&pp.title_seg, &pp.text_seg})
      for (size_t i = 0; i < f->token_begin.size(); ++i)
        if (!f->colocated[i]) pp.words.emplace_back(f->norm, f->token_begin[i], f->token_end[i] - f->token_begin[i]);
  };

  sqlite3* plain = nullptr;
  Check(sqlite3_open((dir + "/plain.db").c_str(), &plain), plain, "open plain");
  Check(sqlite3_exec(plain, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                            "CREATE TABLE posts(id TEXT PRIMARY KEY, source TEXT, author TEXT,"
                            " published_at INTEGER, text TEXT)", nullptr, nullptr, nullptr), plain, "schema");
  sqlite3_stmt* ins = nullptr;
  Check(sqlite3_prepare_v2(plain, "INSERT OR IGNORE INTO posts VALUES(?,?,?,?,?)", -1, &ins, nullptr), plain, "prep");

  yuqing::ingest::ParseDefaults defaults;
  defaults.now = 1;
  double t_read = 0, t_parse = 0, t_prepare = 0, t_store = 0, t_plain = 0;
  size_t posts = 0, bad = 0, stored = 0, bytes = 0;
  std::ifstream in(path);
  std::vector<std::string> lines;
  std::vector<yuqing::ProcessedPost> work;
  auto& db = *dbp;
  auto& store = *storep;
  for (bool more = true; more;) {
    auto t = CpuClock::now();
    lines.clear();
    std::string line;
    while (lines.size() < batch && (more = static_cast<bool>(std::getline(in, line)))) {
      bytes += line.size() + 1;
      lines.push_back(std::move(line));
    }
    t_read += Since(t);
    if (lines.empty()) break;

    t = CpuClock::now();
    work.clear();
    work.reserve(lines.size());
    for (const auto& l : lines) {
      auto pp = yuqing::ingest::PostFromJsonText(l, defaults);
      if (!pp.ok) {
        ++bad;
        continue;
      }
      work.emplace_back();
      work.back().post = std::move(pp.post);
    }
    t_parse += Since(t);

    t = CpuClock::now();
    for (auto& p : work) prepare(p);
    t_prepare += Since(t);

    t = CpuClock::now();
    {
      yuqing::store::Transaction tx(db);
      for (auto& p : work) stored += OrDie(store.Insert(p), "insert");
      auto st = tx.Commit();
      if (!st.ok()) {
        std::cerr << st.ToString() << "\n";
        return 3;
      }
    }
    t_store += Since(t);

    t = CpuClock::now();
    Check(sqlite3_exec(plain, "BEGIN", nullptr, nullptr, nullptr), plain, "begin");
    for (const auto& p : work) {
      sqlite3_bind_text(ins, 1, p.post.id.data(), static_cast<int>(p.post.id.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 2, p.post.source.data(), static_cast<int>(p.post.source.size()), SQLITE_STATIC);
      sqlite3_bind_text(ins, 3, p.post.author.id.data(), static_cast<int>(p.post.author.id.size()), SQLITE_STATIC);
      sqlite3_bind_int64(ins, 4, p.post.published_at);
      sqlite3_bind_text(ins, 5, p.post.text.data(), static_cast<int>(p.post.text.size()), SQLITE_STATIC);
      Check(sqlite3_step(ins), plain, "insert plain");
      sqlite3_reset(ins);
    }
    Check(sqlite3_exec(plain, "COMMIT", nullptr, nullptr, nullptr), plain, "commit");
    t_plain += Since(t);
    posts += work.size();
  }
  sqlite3_finalize(ins);
  sqlite3_close(plain);
  auto size_of = [&](const std::string& p) {
    std::error_code ec;
    uintmax_t total = 0;
    for (const char* suffix : {"", "-wal"}) {
      auto s = fs::file_size(p + suffix, ec);
      if (!ec) total += s;
    }
    return total / 1048576.0;
  };
  double spine = t_read + t_parse + t_prepare + t_store;
  json out = {{"stage", "ingest"},
              {"posts", posts},
              {"bad", bad},
              {"stored", stored},
              {"input_mb", bytes / 1e6},
              {"load_s", load_s},
              {"read", Rate(posts, t_read)},
              {"parse", Rate(posts, t_parse)},
              {"normalise_segment", Rate(posts, t_prepare)},
              {"store_fts", Rate(posts, t_store)},
              {"plain_insert", Rate(posts, t_plain)},
              {"spine", Rate(posts, spine)},
              {"plain_spine", Rate(posts, t_read + t_parse + t_plain)},
              {"fts_db_mib", size_of(services->db_path())},
              {"plain_db_mib", size_of(dir + "/plain.db")},
              {"peak_rss_mib", PeakRssMiB()}};
  std::cout << out.dump() << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: stage_bench segment|analysis|neardup|match|ingest ... (see the source's header)\n";
    return 2;
  }
  std::string cmd = argv[1];
  Flags f = ParseFlags(argc, argv, 2);
  if ((cmd == "segment" || cmd == "analysis" || cmd == "neardup" || cmd == "ingest") && f.positional.empty()) {
    std::cerr << cmd << ": missing input file\n";
    return 2;
  }
  if (cmd == "segment") return Segment(f);
  if (cmd == "match") return Match(f);
  if (cmd == "ingest") return Ingest(f);
#ifdef YQ_BENCH_ANALYSIS
  if (cmd == "analysis") return Analysis(f);
  if (cmd == "neardup") return NearDup(f);
#else
  if (cmd == "analysis" || cmd == "neardup") {
    std::cout << json{{"stage", cmd}, {"error", "not built: src/analysis is absent"}}.dump() << std::endl;
    return 0;
  }
#endif
  std::cerr << "unknown command " << cmd << "\n";
  return 2;
}

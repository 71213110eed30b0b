// search_bench: single-thread cost of the server's read paths on one store, without HTTP —
// PostStore::Search (newest first and by relevance) for the words of bench/server/run.sh, and the
// dashboard overview aggregate. For profiling (perf record) and for before/after comparisons;
// bench/server/run.sh measures the same paths under 50 concurrent clients.
//   build/bench/search_bench STORE.db [--reps 3] [--limit 20] [--only search|relevance|overview|latest]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "store/fts_tokenizer.h"
#include "store/post_store.h"
#include "store/sqlite/connection.h"

using namespace yuqing;

namespace {

double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

const char* kWords[] = {"停水",     "火灾",       "水质发黄", "交通拥堵", "服务态度差", "地铁三号线", "东湖区",
                        "电梯故障", "食品安全",   "燃气泄漏", "停电",     "收费不合理", "\"排队太久\"", "医院 投诉",
                        "学位紧张 -谣言", "市税务局", "噪音扰民", "道路塌陷", "拖欠工资", "高铁南站"};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: search_bench STORE.db [--reps N] [--limit N] [--only KIND]\n");
    return 2;
  }
  std::string path = argv[1], only;
  int reps = 3;
  size_t limit = 20;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--reps")) reps = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--limit")) limit = std::strtoul(argv[i + 1], nullptr, 10);
    else if (!std::strcmp(argv[i], "--only")) only = argv[i + 1];
  }
  // SQLite itself: this bench times FTS5 statements directly.
  auto db = store::sqlite::Connection::Open(path, {.read_only = false, .create = false});
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.status().ToString().c_str());
    return 1;
  }
  auto norm = text::Normalizer::Create();
  auto seg = text::Segmenter::Create();
  if (!norm.ok() || !seg.ok()) {
    std::fprintf(stderr, "dictionaries: %s %s\n", norm.status().ToString().c_str(), seg.status().ToString().c_str());
    return 1;
  }
  if (auto st = store::RegisterYuqingTokenizer(**db, *norm, *seg); !st.ok()) return 1;
  auto cache = std::make_shared<store::SearchCache>();
  auto posts = store::PostStore::Open(**db, cache);
  auto direct = store::PostStore::Open(**db);
  if (!posts.ok() || !direct.ok()) {
    std::fprintf(stderr, "%s\n", posts.status().ToString().c_str());
    return 1;
  }
  auto run = [&](const char* kind, auto&& one) {
    if (!only.empty() && only != kind) return;
    std::vector<double> cpu, wall;
    for (int r = 0; r < reps; ++r) {
      for (const char* w : kWords) {
        double c0 = CpuMs();
        auto t0 = std::chrono::steady_clock::now();
        if (!one(w)) return;
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(CpuMs() - c0);
      }
    }
    std::vector<double> s = cpu;
    std::sort(s.begin(), s.end());
    std::printf("%-10s n=%zu cpu median %.2f ms  p95 %.2f ms  max %.2f ms  (wall median %.2f ms)\n", kind, cpu.size(),
                Median(cpu), s[s.size() * 95 / 100], s.back(), Median(wall));
  };
  auto search = [&](const char* w, bool relevance, bool page2, store::PostStore* ps = nullptr) {
    if (!ps) ps = posts->get();
    store::SearchQuery q;
    q.text = w;
    q.limit = limit;
    q.relevance = relevance;
    auto res = ps->Search(q);
    if (!res.ok()) {
      std::fprintf(stderr, "%s: %s\n", w, res.status().ToString().c_str());
      return false;
    }
    if (page2 && !res->next_cursor.empty()) {
      if (!q.SetCursor(res->next_cursor).ok()) return false;
      res = ps->Search(q);
      if (!res.ok()) return false;
    }
    return true;
  };
  run("direct", [&](const char* w) { return search(w, false, false, direct->get()); });
  run("cold", [&](const char* w) {
    auto fresh = store::PostStore::Open(**db, std::make_shared<store::SearchCache>());
    return fresh.ok() && search(w, false, false, fresh->get());
  });
  run("search", [&](const char* w) { return search(w, false, false); });
  run("filtered", [&](const char* w) {
    store::SearchQuery q;
    q.text = w;
    q.limit = limit;
    q.sentiment = "negative";
    q.sources = {"weibo", "news"};
    return (*posts)->Search(q).ok();
  });
  run("page2", [&](const char* w) { return search(w, false, true); });
  run("relevance", [&](const char* w) { return search(w, true, false); });
  auto raw = [&](const char* w, const std::string& sql) {
    auto m = store::ToFtsQuery(w);
    if (!m.ok()) return false;
    auto st = (*db)->Prepare(sql);
    if (!st.ok()) { std::fprintf(stderr, "%s\n", st.status().ToString().c_str()); return false; }
    st->Bind(1, *m);
    int64_t n = 0;
    while (true) { auto r = st->Step(); if (!r.ok() || !*r) break; ++n; }
    return true;
  };
  run("fts_ids", [&](const char* w) { return raw(w, "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1"); });
  run("fts_join", [&](const char* w) { return raw(w, "SELECT f.rowid, p.published_at FROM posts_fts f JOIN posts p ON p.rowid = f.rowid WHERE posts_fts MATCH ?1"); });
  run("fts_bm25", [&](const char* w) { return raw(w, "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1 ORDER BY bm25(posts_fts, 2.0, 1.0) LIMIT 21"); });
  run("fts_rank", [&](const char* w) { return raw(w, "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1 ORDER BY rank LIMIT 21"); });
  run("bm25_probe1000", [&](const char* w) {
    auto m = store::ToFtsQuery(w);
    auto ids = (*db)->Prepare("SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1000");
    ids->Bind(1, *m);
    std::vector<int64_t> v;
    while (true) { auto r = ids->Step(); if (!r.ok() || !*r) break; v.push_back(ids->Int(0)); }
    auto st = (*db)->Prepare("SELECT bm25(posts_fts, 2.0, 1.0) FROM posts_fts WHERE posts_fts MATCH ?1 AND rowid = ?2");
    for (int64_t id : v) { st->Reset(); st->Bind(1, *m).Bind(2, id); (void)st->Step(); }
    return true;
  });
  for (const char* what : {"rowid", "snippet(posts_fts, -1, '[', ']', '..', 24)", "bm25(posts_fts)"}) {
    std::string name = std::string("probe20_") + std::string(what).substr(0, 4);
    run(name.c_str(), [&](const char* w) {
      auto m = store::ToFtsQuery(w);
      auto ids = (*db)->Prepare("SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1 ORDER BY rowid DESC LIMIT 20");
      ids->Bind(1, *m);
      std::vector<int64_t> v;
      while (true) { auto r = ids->Step(); if (!r.ok() || !*r) break; v.push_back(ids->Int(0)); }
      auto st = (*db)->Prepare(std::string("SELECT ") + what + " FROM posts_fts WHERE posts_fts MATCH ?1 AND rowid = ?2");
      for (int64_t id : v) { st->Reset(); st->Bind(1, *m).Bind(2, id); (void)st->Step(); }
      return true;
    });
  }
  run("bm25_range1000", [&](const char* w) {
    auto m = store::ToFtsQuery(w);
    auto ids = (*db)->Prepare("SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET 999");
    ids->Bind(1, *m);
    (void)ids->Step();
    int64_t lo = ids->Int(0);
    auto st = (*db)->Prepare("SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?1 AND rowid >= ?2 ORDER BY bm25(posts_fts, 2.0, 1.0) LIMIT 21");
    st->Bind(1, *m).Bind(2, lo);
    while (true) { auto r = st->Step(); if (!r.ok() || !*r) break; }
    return true;
  });
  // The overview's counts over 24 h windows ending at varying seconds (no two alike), as the
  // uncached dashboard requests of run.sh.
  TimeMs newest = 0;
  if (auto st = (*db)->Prepare("SELECT max(published_at) FROM posts"); st.ok() && *st->Step()) newest = st->Int(0);
  int64_t shift = 0;
  run("overview", [&](const char*) {
    TimeMs to = newest - (shift++ * 7919 % 86400) * 1000;
    return (*posts)->Summarize(to - kDay, to).ok();
  });
  run("latest", [&](const char*) {
    store::SearchQuery q;
    q.limit = limit;
    q.sentiment = "negative";
    return (*posts)->Search(q).ok();
  });
  return 0;
}

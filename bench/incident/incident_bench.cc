// incident_bench [--quick] [--dir DIR]: times `statement check` on a 1,000-character statement,
// opening an incident (with its plan's tasks) when 10,000 incidents are stored, and the timeline
// (and evaluation) of an incident whose event holds 100,000 posts among 200,000 stored. Prints
// one line per figure with its target, and exits 1 when a target is missed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "incident/evaluation.h"
#include "incident/incident_service.h"
#include "store/fts_tokenizer.h"
#include "store/post_store.h"
#include "store/sqlite/connection.h"
#include "text/segmenter.h"
#include "incident/statement_checker.h"
#include "incident/wide_text.h"
#include "text/normalizer.h"

using namespace yuqing;
using namespace yuqing::incident;
using Clk = std::chrono::steady_clock;

size_t CountChars(const std::string& s) { return Widen(s).size(); }

namespace {

double Ms(Clk::time_point a, Clk::time_point b) { return std::chrono::duration<double, std::milli>(b - a).count(); }

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// A realistic 1,000-character statement: facts, apology, investigation, dated promises, and a few
// phrases the rules flag, repeated to length.
std::string Statement1000() {
  const std::string part =
      "6月1日起，东湖片区部分居民反映自来水有异味。经东湖自来水公司取样检测，原因是二号水厂消毒工艺调整导致余氯偏高，"
      "已于6月2日10时恢复正常工艺。给大家带来的不便，我们深表歉意。市水务局已成立调查组，我们将于6月3日18时前在官方网站公布全部检测数据，"
      "三个工作日内答复反映问题的居民。我们高度重视，将尽快处理！";
  std::string s;
  while (CountChars(s) < 1000) s += part;
  std::wstring w = Widen(s);
  return Narrow(w.substr(0, 1000));
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  std::string dir = (std::filesystem::temp_directory_path() / "yuqing-incident-bench").string();
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
  }
  int failed = 0;

  // 1. statement check.
  auto norm = text::Normalizer::Create();
  auto checker = StatementChecker::Create(norm.ok() ? *norm : nullptr);
  if (!checker.ok()) {
    std::fprintf(stderr, "%s\n", checker.status().ToString().c_str());
    return 2;
  }
  const std::string text = Statement1000();
  const TimeMs at = ParseTime("2026-06-02T12:00:00+08:00").value();
  std::vector<double> times;
  size_t findings = 0;
  for (int i = 0; i < (quick ? 50 : 300); ++i) {
    auto a = Clk::now();
    auto r = (*checker)->Check(text, at);
    auto b = Clk::now();
    findings = r.ok() ? r->findings.size() : 0;
    times.push_back(Ms(a, b));
  }
  double p50 = Percentile(times, 0.5), p99 = Percentile(times, 0.99);
  std::printf("statement check, %zu chars (%zu findings): median %.2f ms, p99 %.2f ms (target <= 5 ms)%s\n",
              CountChars(text), findings, p50, p99, p50 <= 5 ? "" : "  MISSED");
  failed += p50 > 5;

  // 2. open an incident + tasks with 10,000 stored.
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto db = store::sqlite::Connection::Open(dir + "/bench.db");  // posts are written with SQL below
  if (!db.ok()) return 2;
  store::IncidentStore st(**db);
  if (!st.Init().ok()) return 2;
  auto plans = DefaultPlans();
  if (!plans.ok()) return 2;
  ManualClock clock(at);
  IncidentService svc(st, clock, *plans, nullptr, checker->get());
  const int stored = 10000;
  const char* levels[] = {"I", "II", "III", "IV"};
  {
    store::Transaction tx(**db);
    for (int i = 0; i < stored; ++i) {
      // Fill fast through the store (the service opens its own transaction per incident).
      store::IncidentRow r;
      r.title = "历史事件 " + std::to_string(i);
      r.level = levels[i % 4];
      r.detected_at = r.opened_at = r.updated_at = at - (stored - i) * kHour;
      auto id = st.InsertIncident(r);
      if (!id.ok()) return 2;
      for (int k = 0; k < 8; ++k) {
        store::TaskRow t;
        t.incident_id = *id;
        t.plan_id = "general-major";
        t.task_key = "k" + std::to_string(k);
        t.title = t.title_en = "task";
        t.role = "commander";
        t.due_at = r.detected_at + (k + 1) * kHour;
        t.created_at = r.detected_at;
        if (!st.InsertTask(t).ok()) return 2;
      }
    }
    if (!tx.Commit().ok()) return 2;
  }
  times.clear();
  for (int i = 0; i < (quick ? 20 : 100); ++i) {
    OpenRequest req;
    req.title = "基准事件";
    req.level = levels[i % 2];
    req.team = {{"commander", "王强"}, {"spokesperson", "李娜"}};
    auto a = Clk::now();
    auto o = svc.Open(req);
    auto b = Clk::now();
    if (!o.ok()) {
      std::fprintf(stderr, "%s\n", o.status().ToString().c_str());
      return 2;
    }
    times.push_back(Ms(a, b));
  }
  p50 = Percentile(times, 0.5);
  p99 = Percentile(times, 0.99);
  std::printf("open incident + plan tasks, %d incidents stored: median %.2f ms, p99 %.2f ms (target <= 50 ms)%s\n",
              stored, p50, p99, p50 <= 50 ? "" : "  MISSED");
  failed += p50 > 50;

  // 3. timeline of an incident with 100,000 posts (and 100,000 others in the store).
  {
    auto seg = text::Segmenter::Create();
    if (!seg.ok() || !norm.ok()) {
      std::fprintf(stderr, "timeline: no segmenter/normalizer: skipped\n");
      std::filesystem::remove_all(dir);
      return failed ? 1 : 0;
    }
    if (!store::RegisterYuqingTokenizer(**db, *norm, *seg).ok()) return 2;
    auto posts = store::PostStore::Open(**db);  // the real posts schema and indexes
    if (!posts.ok()) return 2;
    const int n_event = quick ? 20000 : 100000, n_other = n_event;
    const TimeMs start = at - 3 * kDay;
    {
      // Straight into the posts table: the timeline reads posts, not the full-text index.
      store::Transaction tx(**db);
      auto ins = (*db)->Prepare("INSERT INTO posts(id, source, text, published_at, ingested_at, sentiment, "
                                "author_followers, reposts, likes, event_id, type_list) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
      if (!ins.ok()) return 2;
      for (int i = 0; i < n_event + n_other; ++i) {
        const bool mine = i % 2 == 0;
        const TimeMs t = start + static_cast<TimeMs>(i) * (3 * kDay) / (n_event + n_other);
        ins->Reset();
        ins->Bind(1, "p" + std::to_string(i)).Bind(2, i % 17 == 0 ? "hotline" : "weibo").Bind(3, "东湖自来水异味");
        ins->Bind(4, t).Bind(5, t).Bind(6, i % 3 == 0 ? "negative" : "neutral").Bind(7, int64_t{100 + i % 5000});
        ins->Bind(8, int64_t{i % 7}).Bind(9, int64_t{i % 11}).Bind(10, int64_t{mine ? 42 : 43 + i % 50});
        ins->Bind(11, i % 5 == 0 ? ",complaint," : ",");
        if (!ins->Run().ok()) return 2;
      }
      if (!tx.Commit().ok()) return 2;
    }
    clock.Set(start + 2 * kDay);
    OpenRequest req;
    req.title = "十万帖子事件";
    req.level = "I";
    req.detected_at = start + kDay;
    req.team = {{"commander", "王强"}, {"spokesperson", "李娜"}};
    store::IncidentLinkRow ev;
    ev.kind = "event";
    ev.ref = "42";
    req.links = {ev};
    auto o = svc.Open(req);
    if (!o.ok()) return 2;
    for (int k = 0; k < 4; ++k) {  // four published statements, each with its windows
      auto s = svc.AddStatement(o->incident.id, text.substr(0, 600), k == 0 ? "holding" : "update", 0, "李娜");
      if (!s.ok() || !svc.ApproveStatement(s->id, "王强", "bench").ok()) return 2;
      if (!svc.PublishStatement(s->id, "weibo", "", start + kDay + (k + 1) * 3 * kHour, "李娜").ok()) return 2;
    }
    std::vector<double> tl, evl;
    size_t entries = 0;
    int64_t total = 0;
    for (int i = 0; i < (quick ? 5 : 20); ++i) {
      auto a = Clk::now();
      auto j = Timeline(st, o->incident.id, clock.Now());
      auto b = Clk::now();
      if (!j.ok()) {
        std::fprintf(stderr, "%s\n", j.status().ToString().c_str());
        return 2;
      }
      entries = (*j)["entries"].size();
      total = (*j)["posts"]["total"].get<int64_t>();
      tl.push_back(Ms(a, b));
      if (getenv("YQ_BENCH_VERBOSE")) std::fprintf(stderr, "timeline run %d: %.1f ms\n", i, tl.back());
      a = Clk::now();
      auto e = Evaluate(st, o->incident.id, clock.Now());
      b = Clk::now();
      if (!e.ok()) return 2;
      evl.push_back(Ms(a, b));
    }
    p50 = Percentile(tl, 0.5);
    std::printf("timeline of an incident with %lld posts (%d stored, %zu entries): median %.1f ms, p99 %.1f ms "
                "(target <= 200 ms)%s\n",
                static_cast<long long>(total), n_event + n_other, entries, p50, Percentile(tl, 0.99),
                p50 <= 200 ? "" : "  MISSED");
    std::printf("evaluation of the same incident (4 statements, windows and curves): median %.1f ms\n",
                Percentile(evl, 0.5));
    failed += p50 > 200;
  }
  std::filesystem::remove_all(dir);
  return failed ? 1 : 0;
}

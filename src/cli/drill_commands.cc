// yuqing drill run|score|record|status: crisis drills (演练). `drill run` replays a scenario
// (drill/scenario.h) into a sandbox data directory on the drill's clock; the team then works the
// crisis there (`serve --data SANDBOX`, or the incident commands) and `drill score` measures the
// response. See docs/drills.md.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/context.h"
#include "cli/ingest_runner.h"
#include "cli/progress.h"
#include "cli/response_commands.h"
#include "cli/stream_replay.h"
#include "drill/sandbox.h"
#include "drill/scenario.h"
#include "drill/score.h"
#include "incident/plan.h"
#include "ingest/reader.h"
#include "notify/directory.h"
#include "rules/reference.h"
#include "rules/scheme_io.h"
#include "store/alert_store.h"
#include "store/incident_store.h"
#include "store/outbox_store.h"
#include "store/post_store.h"
#include "store/scheme_store.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kScenarioCopy = "drill-scenario.yaml";  // the scenario as run, kept in the sandbox

struct RunOpts {
  std::string scenario;
  std::string speed = "60";
  std::string start;
  bool json = false;
};

Result<double> ParseSpeed(const Context& ctx, const std::string& text) {
  if (text == "max") return 0.0;
  double v = -1;
  try {
    size_t used = 0;
    v = std::stod(text, &used);
    if (used != text.size()) v = -1;
  } catch (...) {
  }
  if (!(v >= 0)) return Status::Invalid(ctx.T("--speed 应为倍数（60 = 每分钟演练一小时；0 或 max = 最快）",
                                              "--speed must be a factor (60 = one drill hour per minute; 0 or max = as fast as possible)"));
  return v;
}

Status ReadText(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return Status::Ok();
}

// A new, empty directory or one whose store holds nothing: never a production store.
Status CheckSandbox(Context& ctx, app::Services& s) {
  if (drill::IsSandbox(ctx.data_dir)) {
    auto st = drill::ReadState(ctx.data_dir);
    std::string name = st.ok() ? st->scenario_name : "?";
    return Status::Conflict(ctx.zh() ? "沙箱 " + ctx.data_dir + " 已演练过场景 " + name + "；每次演练请用一个新目录"
                                     : "sandbox " + ctx.data_dir + " already holds a drill of " + name +
                                           "; use a new directory for each drill");
  }
  return drill::CheckEmptyStore(s.db(), ctx.zh());
}

// Every inline, burst and inject post as a pipeline input at start + its offset.
Status InlineInputs(const drill::Scenario& sc, TimeMs start, std::vector<ingest::Item>& out) {
  std::string jsonl;
  for (const auto& p : drill::InlinePosts(sc)) {
    json j = p.post;
    j["published_at"] = FormatTime(start + p.at);
    j["drill"] = sc.name;
    jsonl += j.dump() + "\n";
  }
  ingest::ReadOptions ro;
  ro.format = ingest::Format::kJsonLines;
  return ingest::ReadBuffer(jsonl, "scenario:" + sc.name, ro, [&](ingest::Item& it) {
    out.push_back(std::move(it));
    return Status::Ok();
  });
}

// Marks a post as the drill's (extra field "drill"), as inline posts are.
void MarkDrill(Post& p, const std::string& name) {
  json extra = p.extra_json.empty() ? json::object() : json::parse(p.extra_json, nullptr, false);
  if (!extra.is_object()) return;
  extra["drill"] = name;
  p.extra_json = extra.dump();
}

// A posts file moved in time: its first post at start + pf.at, its gaps kept.
Status FileInputs(const Context& ctx, const drill::Scenario& sc, const drill::PostsFile& pf, TimeMs start,
                  std::vector<ingest::Item>& out) {
  std::error_code ec;
  if (!fs::is_regular_file(pf.path, ec)) {
    std::string hint = pf.hint.empty() ? "" : (ctx.zh() ? "；" : "; ") + pf.hint;
    return Status::NotFound(ctx.zh() ? "场景引用的帖子文件不存在: " + pf.path + hint
                                     : "the scenario's posts file is missing: " + pf.path + hint);
  }
  std::vector<ingest::Item> file;
  ingest::ReadOptions ro;
  YQ_RETURN_IF_ERROR(ingest::ReadFile(pf.path, ro, [&](ingest::Item& it) {
    file.push_back(std::move(it));
    return Status::Ok();
  }));
  TimeMs first = 0;
  for (const auto& in : file)
    if (in.ok && in.post.published_at > 0 && (first == 0 || in.post.published_at < first)) first = in.post.published_at;
  for (auto& in : file) {
    if (in.ok) {
      in.post.published_at = start + pf.at + (in.post.published_at - first);
      MarkDrill(in.post, sc.name);
    }
    out.push_back(std::move(in));
  }
  return Status::Ok();
}

Status InstallDepartments(app::Services& s, const drill::Scenario& sc) {
  YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(s.db()));
  for (const auto& name : sc.departments) {
    store::Department d{name, "演练部门（" + sc.title + "）", {}, s.clock().Now()};
    YQ_RETURN_IF_ERROR(notify::ValidateDepartment(d));
    Status st = ob->AddDepartment(d);
    if (!st.ok() && st.code() != Code::kConflict) return st;
  }
  return Status::Ok();
}

Status InstallSchemes(app::Services& s, const drill::Scenario& sc) {
  YQ_ASSIGN_OR_RETURN(auto norm, s.normalizer());
  for (const auto& scheme : sc.schemes) {
    rules::ParseError err;
    if (!rules::ParseScheme(scheme, *norm, {}, &err).ok())
      return Status::Invalid("schemes: " + scheme.name + ": " + err.Message(true));
  }
  YQ_ASSIGN_OR_RETURN(auto store, store::SchemeStore::Open(s.db()));
  for (auto scheme : sc.schemes) {
    scheme.id = 0;
    YQ_ASSIGN_OR_RETURN(int64_t id, store->Add(scheme, s.clock().Now()));
    (void)id;
  }
  return Status::Ok();
}

Status InstallPlans(app::Services& s, const drill::Scenario& sc) {
  store::IncidentStore store(s.db());
  YQ_RETURN_IF_ERROR(store.Init());
  for (const auto& p : sc.plans) YQ_RETURN_IF_ERROR(store.PutPlan(p.id, incident::PlanToJson(p).dump(), s.clock().Now()));
  return Status::Ok();
}

Result<TimeMs> StartTime(const RunOpts& o) {
  if (!o.start.empty()) {
    auto t = ParseTime(o.start);
    if (!t.ok()) return Status::Invalid("--start: " + t.status().message());
    return *t;
  }
  return SystemClock().Now() / kMinute * kMinute;  // the current minute
}

Result<int64_t> CountAlerts(app::Services& s) {
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(s.db()));
  YQ_ASSIGN_OR_RETURN(auto totals, alerts->CountAll());
  return totals.count;
}

void PrintRunSummary(Context& ctx, const drill::DrillState& st, const StreamReplayResult& r, int64_t alerts) {
  std::cout << ctx.T("演练场景已回放: ", "drill replayed: ") << st.title << "\n"
            << ctx.T("  帖子: 入库 ", "  posts: stored ") << r.counts.stored << ctx.T("，重复 ", ", duplicates ")
            << r.counts.duplicates << ctx.T("，隔离 ", ", quarantined ") << r.counts.quarantined << "\n"
            << ctx.T("  预警: ", "  alerts: ") << alerts << "\n"
            << ctx.T("  演练时间: ", "  drill time: ") << FormatTime(st.start) << " → " << FormatTime(st.end) << "\n"
            << ctx.T("下一步: yuqing serve --data ", "next: yuqing serve --data ") << ctx.data_dir
            << ctx.T("（在看板中处置），完成后 yuqing drill score --data ", " (work it in the dashboard), then yuqing drill score --data ")
            << ctx.data_dir << "\n";
}

// A paced drill takes a while: say how long, and that the team can start now.
void PrintRunStart(Context& ctx, const drill::DrillState& st, size_t posts) {
  const double wall_minutes = static_cast<double>(st.end - st.start) / st.speed / static_cast<double>(kMinute);
  char minutes[32];
  std::snprintf(minutes, sizeof minutes, "%.1f", wall_minutes);
  std::cout << ctx.T("演练开始: ", "drill started: ") << st.title << "\n"
            << ctx.T("  演练时间 ", "  drill time ") << FormatTime(st.start) << " → " << FormatTime(st.end)
            << ctx.T("，倍速 ", ", speed ") << st.speed << ctx.T("，帖子 ", ", posts ") << posts
            << ctx.T("，约需 ", ", about ") << minutes << ctx.T(" 分钟", " minutes") << "\n"
            << ctx.T("  现在即可另开终端: yuqing serve --data ", "  start the dashboard now: yuqing serve --data ")
            << ctx.data_dir << std::endl;
}

// Every post of the scenario as pipeline inputs in replay order. Read before anything is written:
// a missing posts file leaves the directory untouched.
Result<std::vector<ingest::Item>> ReadInputs(const Context& ctx, const drill::Scenario& sc, TimeMs start) {
  std::vector<ingest::Item> inputs;
  YQ_RETURN_IF_ERROR(InlineInputs(sc, start, inputs));
  for (const auto& pf : sc.posts_files) YQ_RETURN_IF_ERROR(FileInputs(ctx, sc, pf, start, inputs));
  SortForReplay(inputs);
  return inputs;
}

// The scenario's departments, schemes and plans, and a copy of its text for `drill score`.
Status Install(Context& ctx, app::Services& s, const drill::Scenario& sc, const std::string& text) {
  YQ_RETURN_IF_ERROR(InstallDepartments(s, sc));
  YQ_RETURN_IF_ERROR(InstallSchemes(s, sc));
  YQ_RETURN_IF_ERROR(InstallPlans(s, sc));
  const std::string path = ctx.data_dir + "/" + kScenarioCopy;
  std::ofstream copy(path, std::ios::binary | std::ios::trunc);
  copy << text;
  if (!copy) return Status::Io(ctx.T("无法写入 ", "cannot write ") + path);
  return Status::Ok();
}

void PrintRunResult(Context& ctx, const RunOpts& o, const drill::DrillState& st, const drill::Scenario& sc,
                    const StreamReplayResult& r, int64_t alerts) {
  if (!o.json) return PrintRunSummary(ctx, st, r, alerts);
  json j = drill::StateToJson(st);
  j["stored"] = r.counts.stored;
  j["duplicates"] = r.counts.duplicates;
  j["quarantined"] = r.counts.quarantined;
  j["alerts"] = alerts;
  j["injects"] = sc.injects.size();
  j["seconds"] = r.seconds;
  PrintJson(j);
}

Status Run(Context& ctx, const RunOpts& o, bool data_given) {
  if (!data_given)
    return Status::Invalid(ctx.T("演练必须用 --data 明确指定沙箱目录（一个新的空目录），以免写入生产库",
                                 "a drill needs --data naming its sandbox (a new, empty directory), so that it never writes to a production store"));
  YQ_ASSIGN_OR_RETURN(double speed, ParseSpeed(ctx, o.speed));
  YQ_ASSIGN_OR_RETURN(drill::Scenario sc, drill::ReadScenario(o.scenario, ctx.zh()));
  YQ_ASSIGN_OR_RETURN(TimeMs start, StartTime(o));
  std::string text;
  YQ_RETURN_IF_ERROR(ReadText(o.scenario, text));
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_RETURN_IF_ERROR(CheckSandbox(ctx, *s));
  YQ_ASSIGN_OR_RETURN(std::vector<ingest::Item> inputs, ReadInputs(ctx, sc, start));

  drill::DrillState st;
  st.scenario_path = fs::absolute(o.scenario).string();
  st.scenario_name = sc.name;
  st.title = sc.title;
  st.start = st.end = start;
  for (const auto& in : inputs)
    if (in.ok) st.end = std::max(st.end, in.post.published_at);
  st.wall_start = SystemClock().Now();
  st.speed = speed;
  auto clock = std::make_shared<ManualClock>(start);
  s->set_clock(clock);  // what is installed is stamped at the drill's start
  YQ_RETURN_IF_ERROR(Install(ctx, *s, sc, text));
  YQ_RETURN_IF_ERROR(drill::WriteState(ctx.data_dir, st));

  if (!o.json && speed > 0) PrintRunStart(ctx, st, inputs.size());
  Progress progress(ctx.T("演练", "drill"), static_cast<int64_t>(inputs.size()), !o.json && speed == 0);
  StreamReplayOptions so;
  so.speed = speed;
  so.origin = start;
  YQ_ASSIGN_OR_RETURN(StreamReplayResult r, ReplayStream(*s, inputs, clock, so, &progress));
  st.status = "replayed";
  st.wall_replayed = SystemClock().Now();
  YQ_RETURN_IF_ERROR(drill::WriteState(ctx.data_dir, st));
  YQ_ASSIGN_OR_RETURN(int64_t alerts, CountAlerts(*s));
  PrintRunResult(ctx, o, st, sc, r, alerts);
  return Status::Ok();
}

// The sandbox's state and scenario (the copy kept at `drill run`, read against the original's
// directory for its relative paths).
Result<std::pair<drill::DrillState, drill::Scenario>> OpenDrill(Context& ctx) {
  auto st = drill::ReadState(ctx.data_dir);
  if (!st.ok() && st.status().code() == Code::kNotFound)
    return Status::NotFound(ctx.zh() ? ctx.data_dir + " 不是演练沙箱（没有 drill.json）；先运行 yuqing drill run 场景文件 --data " + ctx.data_dir
                                     : ctx.data_dir + " is no drill sandbox (no drill.json); run yuqing drill run SCENARIO --data " + ctx.data_dir + " first");
  if (!st.ok()) return st.status();
  std::string text;
  YQ_RETURN_IF_ERROR(ReadText(ctx.data_dir + "/" + kScenarioCopy, text));
  auto dir = fs::path(st->scenario_path).parent_path().string();
  YQ_ASSIGN_OR_RETURN(drill::Scenario sc, drill::ParseScenario(text, dir, ctx.zh()));
  return std::make_pair(*st, std::move(sc));
}

struct ScoreOpts {
  int64_t incident = 0;
  bool json = false;
};

std::string Pct(const json& v) {
  if (v.is_null()) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v.get<double>());
  return buf;
}

void PrintScore(Context& ctx, const json& j) {
  std::cout << ctx.T("演练评分: ", "drill score: ") << j["drill"]["title"].get<std::string>() << "  "
            << Pct(j["score"]["overall"]) << " / 100\n";
  const json& parts = j["score"]["parts"];
  std::cout << ctx.T("  开启处置 ", "  opening ") << Pct(parts["opening"]) << ctx.T("  阶段期限 ", "  deadlines ")
            << Pct(parts["deadlines"]) << ctx.T("  口径审查 ", "  statements ") << Pct(parts["statements"])
            << ctx.T("  承诺兑现 ", "  commitments ") << Pct(parts["commitments"]) << ctx.T("  突发情况 ", "  injects ")
            << Pct(parts["injects"]) << "\n";
  if (j.contains("stages")) {
    std::cout << ctx.T("阶段:\n", "stages:\n");
    for (const auto& t : j["stages"]) {
      const char* mark = t["met"].is_null() ? "·" : t["met"] == true ? "✓" : "✗";
      std::cout << "  " << mark << " " << (ctx.zh() ? t["title"] : t["title_en"]).get<std::string>()
                << ctx.T("  期限 ", "  due ") << t["due_at"].get<std::string>()
                << (t["done_at"].is_null() ? "" : ctx.T("  完成 ", "  done ") + t["done_at"].get<std::string>()) << "\n";
    }
  }
  if (!j["missed"].empty()) {
    std::cout << ctx.T("未达要求:\n", "missed:\n");
    for (const auto& m : j["missed"]) std::cout << "  - " << m.get<std::string>() << "\n";
  }
  std::cout << ctx.T("复盘报告: yuqing report incident --incident ", "review: yuqing report incident --incident ")
            << (j["incident"].is_null() ? std::string("ID") : std::to_string(j["incident"]["id"].get<int64_t>()))
            << " --data " << ctx.data_dir << " --format html --out review.html\n";
}

Status ScoreCmd(Context& ctx, const ScoreOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto drill, OpenDrill(ctx));
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_RETURN_IF_ERROR(ApplyIncidentClock(*s));
  drill::ScoreOptions so;
  so.incident_id = o.incident;
  so.zh = ctx.zh();
  YQ_ASSIGN_OR_RETURN(json j, drill::Score(s->db(), drill.second, drill.first, s->clock().Now(), so));
  if (o.json) PrintJson(j);
  else PrintScore(ctx, j);
  return Status::Ok();
}

Status StatusCmd(Context& ctx, bool as_json) {
  YQ_ASSIGN_OR_RETURN(auto drill, OpenDrill(ctx));
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  json j = drill::StateToJson(drill.first);
  j["now"] = FormatTime(s->clock().Now());
  j["injects"] = json::array();
  for (const auto& in : drill.second.injects)
    j["injects"].push_back({{"key", in.key}, {"title", in.title}, {"at", FormatTime(drill.first.start + in.at)},
                            {"expect", in.expect}, {"within_minutes", in.within / kMinute}});
  if (as_json) {
    PrintJson(j);
    return Status::Ok();
  }
  std::cout << ctx.T("演练: ", "drill: ") << drill.first.title << " (" << drill.first.scenario_name << ")\n"
            << ctx.T("  演练时间 ", "  drill time ") << FormatTime(drill.first.start) << " → " << FormatTime(drill.first.end)
            << ctx.T("，倍速 ", ", speed ") << drill.first.speed << ctx.T("，当前 ", ", now ") << j["now"].get<std::string>() << "\n";
  for (const auto& in : j["injects"])
    std::cout << "  " << in["at"].get<std::string>() << "  " << in["title"].get<std::string>() << "\n";
  return Status::Ok();
}

struct RecordOpts {
  int64_t event = 0;
  std::string out, name, title;
  size_t max_posts = 20000;
  bool json = false;
};

// The event's posts, oldest first (at most `max`).
Result<std::vector<store::StoredPost>> EventPosts(store::PostStore& posts, int64_t event, size_t max) {
  store::SearchQuery q;
  q.event_id = event;
  q.limit = 1000;
  std::vector<store::StoredPost> out;
  while (out.size() < max) {
    YQ_ASSIGN_OR_RETURN(auto page, posts.Search(q));
    for (auto& h : page.hits) out.push_back(std::move(h.post));
    if (page.next_cursor.empty()) break;
    YQ_RETURN_IF_ERROR(q.SetCursor(page.next_cursor));
  }
  if (out.size() > max) out.resize(max);
  std::sort(out.begin(), out.end(), [](const store::StoredPost& a, const store::StoredPost& b) {
    return a.post.published_at < b.post.published_at;
  });
  return out;
}

// The schemes the posts matched, and their departments.
Status AddSchemes(store::Database& db, const std::vector<store::StoredPost>& posts, drill::Scenario& sc) {
  YQ_ASSIGN_OR_RETURN(auto schemes, store::SchemeStore::Open(db));
  std::set<int64_t> ids;
  for (const auto& p : posts)
    for (const auto& h : p.schemes) ids.insert(h.scheme_id);
  std::set<std::string> deps;
  for (int64_t id : ids) {
    YQ_ASSIGN_OR_RETURN(auto s, schemes->Get(id));
    if (!s) continue;
    sc.schemes.push_back(*s);
    deps.insert(s->departments.begin(), s->departments.end());
  }
  sc.departments.assign(deps.begin(), deps.end());
  return Status::Ok();
}

Status RecordCmd(Context& ctx, const RecordOpts& o) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_ASSIGN_OR_RETURN(auto posts_store, store::PostStore::Open(s->db()));
  YQ_ASSIGN_OR_RETURN(auto posts, EventPosts(*posts_store, o.event, o.max_posts));
  if (posts.empty())
    return Status::NotFound(ctx.zh() ? "事件 " + std::to_string(o.event) + " 没有帖子（yuqing events list）"
                                     : "event " + std::to_string(o.event) + " has no posts (yuqing events list)");
  drill::Scenario sc;
  sc.name = o.name.empty() ? "event-" + std::to_string(o.event) : o.name;
  sc.title = o.title.empty() ? std::string(ctx.T("事件 ", "event ")) + std::to_string(o.event) + ctx.T(" 复现演练", " replayed as a drill") : o.title;
  sc.description = ctx.T("由 yuqing drill record 从真实事件生成：帖子及其相对时间", "made by yuqing drill record from a real event: its posts with their relative times");
  const TimeMs t0 = posts.front().post.published_at;
  for (const auto& p : posts) {
    json j = ingest::PostToJson(p.post);
    for (const char* k : {"published_at", "ingested_at"}) j.erase(k);
    sc.posts.push_back({p.post.published_at - t0, std::move(j), 0});
  }
  YQ_RETURN_IF_ERROR(AddSchemes(s->db(), posts, sc));
  const std::string text = drill::ScenarioToYaml(sc);
  std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io(ctx.T("无法写入 ", "cannot write ") + o.out);
  out << text;
  if (!out) return Status::Io(ctx.T("无法写入 ", "cannot write ") + o.out);
  const std::string span = drill::FormatOffset(posts.back().post.published_at - t0).substr(1);
  if (o.json) {
    PrintJson({{"out", o.out}, {"name", sc.name}, {"posts", sc.posts.size()}, {"span", span}, {"schemes", sc.schemes.size()}});
    return Status::Ok();
  }
  std::cout << ctx.T("已生成演练场景 ", "wrote scenario ") << o.out << ctx.T("：帖子 ", ": posts ") << sc.posts.size()
            << ctx.T("，时长 ", ", spanning ") << span
            << ctx.T("，监测方案 ", ", schemes ") << sc.schemes.size() << "\n";
  return Status::Ok();
}

void RegisterRun(CLI::App* drill, Context& ctx, const CLI::Option* data_opt) {
  auto o = std::make_shared<RunOpts>();
  auto* c = drill->add_subcommand("run", ctx.T("开始演练：把场景按其时间回放到沙箱数据目录（绝不写入生产库）",
                                               "run a drill: replay a scenario into a sandbox data directory on its own clock (never a production store)"));
  c->add_option("SCENARIO", o->scenario, ctx.T("场景文件（YAML 或 JSON，见 docs/drills.md）", "scenario file (YAML or JSON, see docs/drills.md)"))->required();
  c->add_option("--speed", o->speed, ctx.T("倍速：60 = 每分钟演练一小时；1 = 实时；0 或 max = 最快（测试用）",
                                           "time factor: 60 = one drill hour per minute; 1 = real time; 0 or max = as fast as possible (tests)"))
      ->capture_default_str();
  c->add_option("--start", o->start, ctx.T("场景 +0 对应的演练时间（默认：当前分钟）", "drill time of the scenario's +0 (default: the current minute)"));
  c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  c->callback([&ctx, o, data_opt] {
    if (Status st = Run(ctx, *o, data_opt->count() > 0 || std::getenv("YUQING_DATA")); !st.ok()) ctx.Fail(st);
  });
}

void RegisterScore(CLI::App* drill, Context& ctx) {
  auto o = std::make_shared<ScoreOpts>();
  auto* c = drill->add_subcommand("score", ctx.T("演练评分：阶段用时对照预案期限、口径审查、承诺兑现、突发情况应对和遗漏步骤",
                                                 "score a drill: stage times against the plan's deadlines, statement checks, commitments, injects, missed steps"));
  c->add_option("--incident", o->incident, ctx.T("评分的危机事件编号（默认：沙箱中第一个）", "incident to score (default: the sandbox's first)"));
  c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  c->callback([&ctx, o] {
    if (Status st = ScoreCmd(ctx, *o); !st.ok()) ctx.Fail(st);
  });
}

void RegisterRecord(CLI::App* drill, Context& ctx) {
  auto o = std::make_shared<RecordOpts>();
  auto* c = drill->add_subcommand("record", ctx.T("录制场景：把库中一个真实事件的帖子（及相对时间）写成演练场景文件",
                                                  "record a scenario: a real event's posts, with their relative times, as a scenario file"));
  c->add_option("--event", o->event, ctx.T("事件编号（yuqing events list）", "event id (yuqing events list)"))->required();
  c->add_option("--out", o->out, ctx.T("输出的场景文件（.yaml）", "scenario file to write (.yaml)"))->required();
  c->add_option("--name", o->name, ctx.T("场景编号（默认 event-事件编号）", "scenario name (default event-ID)"));
  c->add_option("--title", o->title, ctx.T("场景标题", "scenario title"));
  c->add_option("--max-posts", o->max_posts, ctx.T("最多帖子数", "at most this many posts"))->check(CLI::Range(1, 1000000));
  c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  c->callback([&ctx, o] {
    if (Status st = RecordCmd(ctx, *o); !st.ok()) ctx.Fail(st);
  });
}

}  // namespace

void RegisterDrillCommands(CLI::App& app, Context& ctx) {
  auto* drill = app.add_subcommand("drill", ctx.T("演练：按场景回放危机，在沙箱中处置并评分", "drills: replay a crisis scenario into a sandbox, work it, score it"));
  drill->require_subcommand(1);
  RegisterRun(drill, ctx, app.get_option("--data"));
  RegisterScore(drill, ctx);
  RegisterRecord(drill, ctx);
  auto as_json = std::make_shared<bool>(false);
  auto* st = drill->add_subcommand("status", ctx.T("演练状态：场景、演练时钟和突发情况时间表", "drill status: scenario, drill clock and the injects' times"));
  st->add_flag("--json", *as_json, ctx.T("输出 JSON", "print JSON"));
  st->callback([&ctx, as_json] {
    if (Status s = StatusCmd(ctx, *as_json); !s.ok()) ctx.Fail(s);
  });
}

}  // namespace yuqing::cli

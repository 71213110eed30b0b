// yuqing sources list|add|remove|pause|resume|run: the data sources (数据源) `yuqing serve`
// fetches on their schedule (app/source_scheduler.h). `run` fetches now, once, through the same
// ingest pipeline, and prints the accounting.
#include <iostream>

#include "app/pipeline.h"
#include "app/source_runner.h"
#include "cli/context.h"
#include "cli/ingest_runner.h"
#include "store/source_store.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

struct SourceOpts {
  bool json = false;
  std::string kind = "feed", url, name, every = "10m", department, silence_floor;
  std::string item, title, link, time;  // page selectors
  std::string user, password_env, ca_file;  // imap
  std::vector<std::string> refs;
  std::string ref;
  size_t batch = 500;
};

Result<std::unique_ptr<store::SourceStore>> Sources(Context& ctx) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  return store::SourceStore::Open(s->db());
}

Result<store::SourceRow> Find(Context& ctx, store::SourceStore& sources, const std::string& ref) {
  YQ_ASSIGN_OR_RETURN(auto s, sources.Find(ref));
  if (!s) return Status::NotFound(std::string(ctx.T("没有数据源 ", "no source ")) + ref);
  return std::move(*s);
}

std::string HostOf(const std::string& url) {
  size_t b = url.find("://");
  b = b == std::string::npos ? 0 : b + 3;
  size_t e = url.find_first_of("/?#", b);
  return url.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

std::string Or(const json& v, const char* dash = "-") { return v.is_string() ? v.get<std::string>() : dash; }

Status List(Context& ctx, const SourceOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto sources, Sources(ctx));
  YQ_ASSIGN_OR_RETURN(auto list, sources->List());
  const TimeMs now = ctx.services()->clock().Now();
  json items = json::array();
  for (const auto& s : list) {
    YQ_ASSIGN_OR_RETURN(json j, app::SourceToJson(*sources, s, now));
    items.push_back(std::move(j));
  }
  if (o.json) {
    PrintJson({{"items", items}});
    return Status::Ok();
  }
  if (items.empty()) {
    std::cout << ctx.T("还没有数据源。添加：yuqing sources add --kind feed --url URL --every 10m",
                       "no sources yet. add one: yuqing sources add --kind feed --url URL --every 10m")
              << std::endl;
    return Status::Ok();
  }
  for (const auto& j : items) {
    std::cout << "#" << j["id"].get<int64_t>() << " " << j["name"].get<std::string>() << "  [" << j["kind"].get<std::string>()
              << "] " << ctx.T("每 ", "every ") << j["every"].get<std::string>()
              << (j["paused"].get<bool>() ? ctx.T("  已暂停", "  paused") : "")
              << (j["silent"].get<bool>() ? ctx.T("  无新数据告警中", "  silent (alerted)") : "") << "\n   " << j["url"].get<std::string>()
              << "\n   " << ctx.T("最近成功 ", "last success ") << Or(j["last_success_at"]) << ctx.T("，最近新数据 ", ", last new posts ")
              << Or(j["last_new_at"]) << ctx.T("，近 1 小时 ", ", last hour ") << j["posts_last_hour"].get<int64_t>()
              << ctx.T(" 条，24 小时 ", " posts, 24 h ") << j["stored_24h"].get<int64_t>() << ctx.T(" 条", " posts") << "\n";
    if (!j["last_error"].get<std::string>().empty())
      std::cout << "   " << ctx.T("最近错误 ", "last error ") << Or(j["last_error_at"]) << ": " << j["last_error"].get<std::string>() << "\n";
  }
  return Status::Ok();
}

Status Add(Context& ctx, const SourceOpts& o) {
  store::SourceRow s;
  s.kind = o.kind;
  s.url = o.url;
  s.name = o.name.empty() ? HostOf(o.url) : o.name;
  s.department = o.department;
  if (s.kind == "page") {
    s.config = {{"item", o.item}, {"title", o.title}, {"link", o.link}};
    if (!o.time.empty()) s.config["time"] = o.time;
  }
  if (s.kind == "imap") {
    s.config = {{"user", o.user}, {"password_env", o.password_env}};
    if (!o.ca_file.empty()) s.config["ca_file"] = o.ca_file;
  }
  auto every = ParseDuration(o.every);
  if (!every.ok()) return Status::Invalid(std::string("every: ") + ctx.T("无法识别的时长 '", "bad duration '") + o.every + "'");
  s.every = *every;
  if (!o.silence_floor.empty()) {
    auto floor = ParseDuration(o.silence_floor);
    if (!floor.ok())
      return Status::Invalid(std::string("silence_floor: ") + ctx.T("无法识别的时长 '", "bad duration '") + o.silence_floor + "'");
    s.silence_floor = *floor;
  }
  YQ_RETURN_IF_ERROR(app::ValidateSource(s, ctx.zh()));
  YQ_ASSIGN_OR_RETURN(auto sources, Sources(ctx));
  s.created_at = s.next_run_at = ctx.services()->clock().Now();
  YQ_ASSIGN_OR_RETURN(s.id, sources->Add(s));
  if (o.json) {
    YQ_ASSIGN_OR_RETURN(json j, app::SourceToJson(*sources, s, s.created_at));
    PrintJson(j);
  } else {
    std::cout << ctx.T("已添加数据源 #", "added source #") << s.id << " " << s.name
              << ctx.T("（yuqing serve 运行时按计划抓取；立即抓取一次：yuqing sources run ",
                       " (yuqing serve fetches it on schedule; fetch now: yuqing sources run ")
              << s.id << ctx.T("）", ")") << std::endl;
  }
  return Status::Ok();
}

Status Change(Context& ctx, const SourceOpts& o, const std::string& what) {
  YQ_ASSIGN_OR_RETURN(auto sources, Sources(ctx));
  YQ_ASSIGN_OR_RETURN(auto s, Find(ctx, *sources, o.ref));
  const TimeMs now = ctx.services()->clock().Now();
  if (what == "remove") YQ_RETURN_IF_ERROR(sources->Remove(s.id));
  else YQ_RETURN_IF_ERROR(sources->SetPaused(s.id, what == "pause", now));
  if (o.json) {
    PrintJson({{"id", s.id}, {"name", s.name}, {"action", what}});
    return Status::Ok();
  }
  const char* done = what == "remove" ? ctx.T("已删除", "removed") : what == "pause" ? ctx.T("已暂停", "paused")
                                                                                  : ctx.T("已恢复", "resumed");
  std::cout << done << ctx.T(" 数据源 #", " source #") << s.id << " " << s.name << std::endl;
  return Status::Ok();
}

json ReportJson(const app::SourceRunReport& r) {
  json q = json::array();
  for (const auto& x : r.quarantined)
    q.push_back({{"line", x.line}, {"code", x.code}, {"reason", x.reason}, {"quarantine_id", x.quarantine_id}});
  return {{"id", r.source_id}, {"name", r.name}, {"ok", r.ok}, {"not_modified", r.not_modified},
          {"http_status", r.http_status}, {"stored", r.counts.stored}, {"duplicates", r.counts.duplicates},
          {"quarantined", r.counts.quarantined}, {"quarantine", q}, {"error", r.error}};
}

Status Run(Context& ctx, const SourceOpts& o) {
  YQ_ASSIGN_OR_RETURN(auto sources, Sources(ctx));
  std::vector<store::SourceRow> todo;
  if (o.refs.empty()) {
    YQ_ASSIGN_OR_RETURN(auto list, sources->List());
    for (auto& s : list)
      if (!s.paused) todo.push_back(std::move(s));
  } else {
    for (const auto& r : o.refs) {
      YQ_ASSIGN_OR_RETURN(auto s, Find(ctx, *sources, r));
      todo.push_back(std::move(s));
    }
  }
  app::HostGate gate;  // the runs below share the per-site rate limit
  // The pipeline (segmenter, analysis models) is loaded only when a fetch brings records: a round
  // of 304s and errors costs no model loading.
  std::unique_ptr<app::Pipeline> pipeline;
  app::RecordSink sink = [&](std::vector<ingest::Item>& in) -> Result<std::vector<app::RecordResult>> {
    if (!pipeline) {
      YQ_ASSIGN_OR_RETURN(pipeline, app::Pipeline::Create(*ctx.services()));
    }
    return pipeline->Process(in);
  };
  json items = json::array();
  bool failed = false;
  for (auto& s : todo) {
    YQ_ASSIGN_OR_RETURN(auto rep, app::RunSource(*sources, s, sink, ctx.services()->clock().Now(), &gate));
    failed |= !rep.ok;
    items.push_back(ReportJson(rep));
    if (o.json) continue;
    std::cout << "#" << rep.source_id << " " << rep.name << ": ";
    if (!rep.ok) std::cout << ctx.T("抓取失败: ", "fetch failed: ") << rep.error << "\n";
    else if (rep.not_modified) std::cout << ctx.T("未变化 (304)", "not modified (304)") << "\n";
    else
      std::cout << ctx.T("已入库 ", "stored ") << rep.counts.stored << ctx.T("，重复 ", ", duplicates ")
                << rep.counts.duplicates << ctx.T("，隔离 ", ", quarantined ") << rep.counts.quarantined << "\n";
    for (const auto& q : rep.quarantined) std::cout << "   " << ctx.T("隔离 ", "quarantined ") << q.code << ": " << q.reason << "\n";
  }
  if (o.json) PrintJson({{"items", items}});
  if (failed) ctx.exit_code = 3;  // a fetch failed: a runtime failure, reported per source above
  return Status::Ok();
}

}  // namespace

void RegisterSourcesCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SourceOpts>();
  auto* cmd = app.add_subcommand("sources", ctx.T("数据源：yuqing serve 按计划抓取的订阅源、网页和邮箱", "data sources that yuqing serve fetches on schedule (feeds, pages, mailboxes)"));
  cmd->require_subcommand(1);
  auto fail = [&ctx](const Status& st) {
    if (!st.ok()) ctx.Fail(st);
  };

  auto* list = cmd->add_subcommand("list", ctx.T("列出数据源：类型、计划、最近成功、最近错误、每小时帖子数", "list sources: kind, schedule, last success, last error, posts per hour"));
  list->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, o, fail] { fail(List(ctx, *o)); });

  auto* add = cmd->add_subcommand("add", ctx.T("添加数据源", "add a source"));
  add->add_option("--kind", o->kind, ctx.T("类型：feed（RSS/Atom，含 RSSHub）、page（没有订阅源的网页）或 imap（邮箱）", "kind: feed (RSS/Atom, RSSHub included), page (a web page without a feed) or imap (a mailbox)"))->capture_default_str();
  add->add_option("--user", o->user, ctx.T("imap：用户名", "imap: user name"));
  add->add_option("--password-env", o->password_env, ctx.T("imap：存放密码的环境变量名（密码不入库）", "imap: the environment variable holding the password (never stored)"));
  add->add_option("--ca-file", o->ca_file, ctx.T("imap：信任此 CA 证书（自签名的服务器）", "imap: trust this CA certificate (a self-signed server)"));
  add->add_option("--item", o->item, ctx.T("page：每条内容的 CSS 选择器，如 'ul.list > li'", "page: CSS selector of each item, e.g. 'ul.list > li'"));
  add->add_option("--title", o->title, ctx.T("page：条目内标题的 CSS 选择器", "page: CSS selector of the title within an item"));
  add->add_option("--link", o->link, ctx.T("page：条目内链接的 CSS 选择器（取 href）", "page: CSS selector of the link within an item (its href)"));
  add->add_option("--time", o->time, ctx.T("page：条目内时间的 CSS 选择器（可选）", "page: CSS selector of the time within an item (optional)"));
  add->add_option("--url", o->url, ctx.T("地址", "URL"))->required();
  add->add_option("--name", o->name, ctx.T("名称（默认：URL 的主机名）", "name (default: the URL's host)"));
  add->add_option("--every", o->every, ctx.T("抓取间隔，如 10m、1h（至少 1s）", "interval, e.g. 10m, 1h (at least 1s)"))->capture_default_str();
  add->add_option("--department", o->department, ctx.T("数据源停更时通知的部门", "department told when the source goes silent"));
  add->add_option("--silence-floor", o->silence_floor,
                  ctx.T("无新数据告警的最短时长（默认 max(1h, 3×间隔)；实际阈值还参考历史间隔）", "shortest silence that raises an alert (default max(1h, 3 × every); the source's own gaps may raise it)"));
  add->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  add->callback([&ctx, o, fail] { fail(Add(ctx, *o)); });

  for (const char* what : {"remove", "pause", "resume"}) {
    const std::string w = what;
    auto* c = cmd->add_subcommand(what, w == "remove" ? ctx.T("删除数据源（已入库的帖子保留）", "remove a source (its stored posts stay)")
                                        : w == "pause" ? ctx.T("暂停抓取", "stop fetching")
                                                       : ctx.T("恢复抓取（立即到期）", "fetch again (due at once)"));
    c->add_option("source", o->ref, ctx.T("数据源编号或名称", "source id or name"))->required();
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o, fail, w] { fail(Change(ctx, *o, w)); });
  }

  auto* run = cmd->add_subcommand("run", ctx.T("立即抓取一次（默认：所有未暂停的数据源）并入库", "fetch now, once (default: every source not paused), and ingest"));
  run->add_option("sources", o->refs, ctx.T("数据源编号或名称", "source ids or names"));
  run->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  run->callback([&ctx, o, fail] { fail(Run(ctx, *o)); });
}

}  // namespace yuqing::cli

// Warning and delivery commands: alerts list|show|ack|resolve, series, departments, contacts,
// notify run|smtp|test, outbox list. Times in JSON are ISO 8601 (China Standard Time); alert
// times are the stream's (simulated during replay), delivery times the wall clock's.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "app/listeners.h"
#include "app/pipeline.h"
#include "cli/context.h"
#include "cli/directory_commands.h"
#include "core/alert_json.h"
#include "notify/channels.h"
#include "notify/directory.h"
#include "notify/dispatcher.h"
#include "notify/router.h"
#include "store/alert_store.h"
#include "store/outbox_store.h"
#include "store/scheme_store.h"
#include "store/series_store.h"
#include "warning/engine.h"
#include "warning/policy.h"
#include "warning/signals.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

store::Database* Db(Context& ctx) {
  auto* s = ctx.services();
  return s ? &s->db() : nullptr;
}

std::string WhoAmI() {
  const char* u = std::getenv("USER");
  return u && *u ? u : "cli";
}

std::string TimeOrEmpty(TimeMs t) { return t ? FormatTime(t) : ""; }

json OutboxJson(const store::OutboxEntry& e) {
  json p = json::parse(e.payload, nullptr, false);
  return {{"id", e.id},
          {"idempotency_key", e.idem_key},
          {"alert_id", e.alert_id},
          {"notice", e.notice},
          {"department", e.department},
          {"contact_id", e.contact_id},
          {"channel", e.channel},
          {"target", e.target},
          {"status", e.status},
          {"attempts", e.attempts},
          {"next_attempt_at", e.status == "pending" && e.next_attempt_at ? json(FormatTime(e.next_attempt_at)) : json(nullptr)},
          {"last_error", e.last_error},
          {"created_at", FormatTime(e.created_at)},
          {"delivered_at", e.delivered_at ? json(FormatTime(e.delivered_at)) : json(nullptr)},
          {"title", p.is_object() ? p.value("title", std::string()) : std::string()}};
}

json AttemptJson(const store::DeliveryAttempt& a) {
  return {{"outbox_id", a.outbox_id}, {"attempt", a.attempt}, {"at", FormatTime(a.at)}, {"ok", a.ok},
          {"status_code", a.status_code}, {"error", a.error}, {"duration_ms", a.duration_ms}};
}

// ---------------------------------------------------------------- alerts

struct AlertOpts {
  std::string status, level, scheme;
  int64_t id = 0;
  size_t limit = 100;
  std::string by, note;
  bool json = false;
};

Result<int64_t> SchemeId(store::Database& db, const std::string& key) {
  if (key.empty()) return int64_t{0};
  if (key.find_first_not_of("0123456789") == std::string::npos) return static_cast<int64_t>(std::stoll(key));
  YQ_ASSIGN_OR_RETURN(auto schemes, store::SchemeStore::Open(db));
  YQ_ASSIGN_OR_RETURN(auto s, schemes->GetByName(key));
  if (!s) return Status::NotFound("no scheme '" + key + "'");
  return s->id;
}

Status AlertsList(Context& ctx, const AlertOpts& o) {
  auto* db = Db(ctx);
  if (!db) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(*db));
  store::AlertFilter f;
  f.status = o.status;
  if (!o.level.empty()) {
    f.min_severity = ParseLevel(o.level);
    if (!f.min_severity) return Status::Invalid(ctx.T("--level 应为 IV、III、II 或 I", "--level must be IV, III, II or I"));
  }
  YQ_ASSIGN_OR_RETURN(f.scheme_id, SchemeId(*db, o.scheme));
  f.limit = o.limit;
  YQ_ASSIGN_OR_RETURN(auto list, alerts->List(f));
  if (o.json) {
    json items = json::array();
    for (const auto& a : list) items.push_back(AlertToJson(a));
    PrintJson({{"items", items}, {"count", list.size()}});
    return Status::Ok();
  }
  if (list.empty()) std::cout << ctx.T("没有预警\n", "no alerts\n");
  for (const auto& a : list) {
    std::cout << "#" << a.id << "  " << LevelName(a.severity) << " " << LevelNameZh(a.severity) << "  "
              << a.status << "  " << FormatTime(a.created_at) << "  " << a.scheme_name
              << (a.event_id ? std::string(ctx.T(" · 事件 ", " · event ")) + std::to_string(a.event_id) : "") << "\n    "
              << a.message << "\n    "
              << a.rule << "\n";
  }
  return Status::Ok();
}

Status AlertsShow(Context& ctx, const AlertOpts& o) {
  auto* db = Db(ctx);
  if (!db) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(*db));
  YQ_ASSIGN_OR_RETURN(auto outbox, store::OutboxStore::Open(*db));
  YQ_ASSIGN_OR_RETURN(auto a, alerts->Get(o.id));
  if (!a) return Status::NotFound(ctx.T("找不到预警 ", "no alert ") + std::to_string(o.id));
  YQ_ASSIGN_OR_RETURN(auto hist, alerts->History(o.id));
  YQ_ASSIGN_OR_RETURN(auto entries, outbox->List("", o.id, 1000));
  YQ_ASSIGN_OR_RETURN(auto log, outbox->Log(o.id, 0, 1000));
  json j = AlertToJson(*a);
  json h = json::array(), d = json::array(), l = json::array();
  for (auto& e : hist) h.push_back(AlertHistoryToJson(e));
  for (auto& e : entries) d.push_back(OutboxJson(e));
  for (auto& e : log) l.push_back(AttemptJson(e));
  j["history"] = h;
  j["outbox"] = d;
  j["deliveries"] = l;
  if (o.json) {
    PrintJson(j);
    return Status::Ok();
  }
  std::cout << j.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  return Status::Ok();
}

Status AlertsChange(Context& ctx, const AlertOpts& o, bool ack) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  // The listeners every path uses (app/listeners.h): the same notice as an API acknowledgement.
  YQ_ASSIGN_OR_RETURN(auto listeners, app::AlertListeners::Open(*s, s->db()));
  const auto& ls = listeners.all();
  std::string by = o.by.empty() ? WhoAmI() : o.by;
  TimeMs now = s->clock().Now();
  if (ack) {
    YQ_RETURN_IF_ERROR(warning::AckAlert(s->db(), o.id, by, now, o.note, ls));
  } else {
    YQ_RETURN_IF_ERROR(warning::ResolveAlert(s->db(), o.id, by, now, o.note, ls));
  }
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(s->db()));
  YQ_ASSIGN_OR_RETURN(auto a, alerts->Get(o.id));
  if (o.json) {
    PrintJson(AlertToJson(*a));
  } else {
    std::cout << (ack ? ctx.T("已确认预警 #", "acknowledged alert #") : ctx.T("已解除预警 #", "resolved alert #")) << o.id
              << "  (" << by << ", " << FormatTime(now) << ")\n";
  }
  return Status::Ok();
}

void RegisterAlerts(CLI::App& app, Context& ctx) {
  auto* alerts = app.add_subcommand("alerts", ctx.T("预警：列出、查看、确认和解除预警", "alerts: list, show, acknowledge and resolve"));
  alerts->require_subcommand(1);
  {
    auto o = std::make_shared<AlertOpts>();
    auto* c = alerts->add_subcommand("list", ctx.T("列出预警，最新在前", "list alerts, newest first"));
    c->add_option("--status", o->status, ctx.T("状态：open（未确认）、acked（已确认）、resolved（已解除）或 active（未确认+已确认）", "open, acked, resolved or active (open+acked)"));
    c->add_option("--level", o->level, ctx.T("不低于此级别（IV、III、II、I）", "at least this level (IV, III, II, I)"));
    c->add_option("--scheme,--topic", o->scheme, ctx.T("方案编号或名称", "scheme id or name"));
    c->add_option("--limit", o->limit, ctx.T("最多显示条数", "at most this many"))->check(CLI::Range(1, 10000));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      if (Status st = AlertsList(ctx, *o); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<AlertOpts>();
    auto* c = alerts->add_subcommand("show", ctx.T("查看一条预警及其处理记录和投递日志", "one alert with its history and delivery log"));
    c->add_option("id", o->id, ctx.T("预警编号", "alert id"))->required();
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      if (Status st = AlertsShow(ctx, *o); !st.ok()) ctx.Fail(st);
    });
  }
  for (bool ack : {true, false}) {
    auto o = std::make_shared<AlertOpts>();
    auto* c = alerts->add_subcommand(ack ? "ack" : "resolve", ack ? ctx.T("确认（认领）预警", "acknowledge an alert")
                                                              : ctx.T("解除预警", "resolve an alert"));
    c->add_option("id", o->id, ctx.T("预警编号", "alert id"))->required();
    c->add_option("--by", o->by, ctx.T("操作人（默认：$USER）", "who (default: $USER)"));
    c->add_option("--note", o->note, ctx.T("备注", "a note for the record"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o, ack] {
      if (Status st = AlertsChange(ctx, *o, ack); !st.ok()) ctx.Fail(st);
    });
  }
}

// ---------------------------------------------------------------- series

struct SeriesOpts {
  std::string topic;
  int64_t event = 0;
  std::string from, to;
  bool json = false;
};

Status Series(Context& ctx, const SeriesOpts& o) {
  auto* db = Db(ctx);
  if (!db) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  if (o.topic.empty() == (o.event == 0)) return Status::Invalid(ctx.T("请给出 --topic 方案 或 --event 事件编号（二选一）", "give --topic ID or --event ID"));
  YQ_ASSIGN_OR_RETURN(int64_t scheme, SchemeId(*db, o.topic));
  TimeMs from = 0, to = 0;
  if (!o.from.empty()) {
    YQ_ASSIGN_OR_RETURN(from, ParseTime(o.from));
  }
  if (!o.to.empty()) {
    YQ_ASSIGN_OR_RETURN(to, ParseTime(o.to));
  }
  YQ_ASSIGN_OR_RETURN(auto series, store::SeriesStore::Open(*db));
  YQ_ASSIGN_OR_RETURN(auto points, series->Range(scheme, o.event, from, to));
  warning::Policy policy = *warning::ParsePolicy("");
  if (scheme) {
    YQ_ASSIGN_OR_RETURN(auto schemes, store::SchemeStore::Open(*db));
    YQ_ASSIGN_OR_RETURN(auto s, schemes->Get(scheme));
    if (s) {
      auto p = warning::ParsePolicy(s->policy);
      if (p.ok()) policy = *p;
    }
  }
  // The heat of the last heat window of the range, with its parts.
  warning::Bucket last;
  TimeMs end = points.empty() ? 0 : points.back().minute + kMinute;
  int64_t total = 0, negative = 0;
  json pts = json::array();
  for (const auto& p : points) {
    total += p.volume;
    negative += p.negative;
    if (p.minute >= end - policy.heat_window) {
      last.volume += p.volume, last.negative += p.negative, last.sensitive += p.sensitive;
      last.authoritative += p.authoritative, last.interactions += p.interactions, last.reach += p.reach;
    }
    pts.push_back({{"minute", FormatTime(p.minute)}, {"volume", p.volume}, {"negative", p.negative},
                   {"sensitive", p.sensitive}, {"authoritative", p.authoritative},
                   {"interactions", p.interactions}, {"reach", p.reach}});
  }
  warning::Heat h = warning::ComputeHeat(last, policy);
  json heat = {{"total", h.total},
               {"window_end", end ? json(FormatTime(end)) : json(nullptr)},
               {"parts", {{"volume", h.volume}, {"interactions", h.interactions}, {"reach", h.reach},
                          {"negative", h.negative}, {"authority", h.authority}}}};
  if (o.json) {
    PrintJson({{"scheme_id", scheme}, {"event_id", o.event}, {"bucket", "1m"}, {"total", total},
               {"negative", negative}, {"heat", heat}, {"items", pts}});
    return Status::Ok();
  }
  std::cout << ctx.T("分钟数: ", "minutes: ") << points.size() << ctx.T("  总量: ", "  total: ") << total
            << ctx.T("  负面: ", "  negative: ") << negative << ctx.T("  热度: ", "  heat: ") << static_cast<int>(h.total)
            << "\n";
  for (const auto& p : points) std::cout << FormatTime(p.minute) << "  " << p.volume << "  (-" << p.negative << ")\n";
  return Status::Ok();
}

// ---------------------------------------------------------------- departments, contacts

struct DirOpts {
  std::string name, description, department, channel, target, secret, min_level;
  std::vector<std::string> regions;
  int escalation_order = 0;
  int64_t id = 0;
  bool json = false;
};

void RegisterDirectory(CLI::App& app, Context& ctx) {
  auto* deps = app.add_subcommand("departments", ctx.T("部门：接收预警直报的部门", "departments that receive alerts"));
  deps->require_subcommand(1);
  {
    auto o = std::make_shared<DirOpts>();
    auto* c = deps->add_subcommand("add", ctx.T("新增部门", "add a department"));
    c->add_option("name", o->name, ctx.T("部门名称（方案和用户引用此名）", "the name schemes and users use"))->required();
    c->add_option("--description", o->description, ctx.T("职责说明", "what it does"));
    c->add_option("--region", o->regions, ctx.T("地区规则：也接收覆盖此地区的方案的预警", "region rule: also receives alerts of schemes covering this region"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* s = ctx.services();
        if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(s->db()));
        store::Department d{o->name, o->description, o->regions, s->clock().Now()};
        YQ_RETURN_IF_ERROR(notify::ValidateDepartment(d));
        YQ_RETURN_IF_ERROR(ob->AddDepartment(d));
        if (o->json) PrintJson({{"name", o->name}, {"regions", o->regions}});
        else std::cout << ctx.T("已添加部门 ", "added department ") << o->name << "\n";
        return Status::Ok();
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<DirOpts>();
    auto* c = deps->add_subcommand("list", ctx.T("列出部门及其联系人数", "list departments with their contacts"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(*db));
        YQ_ASSIGN_OR_RETURN(auto list, ob->ListDepartments());
        YQ_ASSIGN_OR_RETURN(auto contacts, ob->ListContacts(""));
        json items = json::array();
        for (auto& d : list) {
          int n = 0;
          for (auto& c : contacts) n += c.department == d.name;
          items.push_back({{"name", d.name}, {"description", d.description}, {"regions", d.regions}, {"contacts", n}});
          if (!o->json) std::cout << d.name << "  (" << n << ctx.T(" 个联系人)", " contacts)") << "\n";
        }
        if (o->json) PrintJson({{"items", items}});
        return Status::Ok();
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }

  auto* contacts = app.add_subcommand("contacts", ctx.T("联系人：通知谁、经哪个渠道", "contacts: who is told, over which channel"));
  contacts->require_subcommand(1);
  {
    auto o = std::make_shared<DirOpts>();
    auto* c = contacts->add_subcommand("add", ctx.T("为部门新增联系人", "add a contact to a department"));
    c->add_option("--department", o->department, ctx.T("部门名称", "department name"))->required();
    c->add_option("--channel", o->channel, ctx.T("渠道：webhook、wecom（企业微信）、dingtalk（钉钉）、feishu（飞书）或 email（邮件）", "webhook, wecom, dingtalk, feishu or email"))->required();
    c->add_option("--target", o->target, ctx.T("机器人/webhook URL 或邮箱地址", "robot/webhook URL or e-mail address"))->required();
    c->add_option("--secret", o->secret, ctx.T("HMAC 密钥（webhook）或加签密钥（钉钉、飞书）", "HMAC key (webhook) or signing secret (dingtalk, feishu)"));
    c->add_option("--escalation-order", o->escalation_order, ctx.T("0：首先通知；n：升级到第 n 步时通知", "0: told first; n: told at escalation step n"))
        ->check(CLI::Range(0, 20));
    c->add_option("--name", o->name, ctx.T("人员或群组名称", "person or group name"));
    c->add_option("--min-level", o->min_level, ctx.T("只接收此级别及以上的预警（IV、III、II、I）", "only alerts at this level or above (IV, III, II, I)"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* s = ctx.services();
        if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(s->db()));
        store::Contact c;
        c.department = o->department;
        c.name = o->name;
        c.channel = o->channel;
        c.target = o->target;
        c.secret = o->secret;
        c.escalation_order = o->escalation_order;
        if (!o->min_level.empty()) {
          c.min_severity = ParseLevel(o->min_level);
          if (!c.min_severity) return Status::Invalid(ctx.T("--min-level 应为 IV、III、II 或 I", "--min-level must be IV, III, II or I"));
        }
        c.created_at = s->clock().Now();
        YQ_RETURN_IF_ERROR(notify::ValidateContact(c));
        YQ_ASSIGN_OR_RETURN(int64_t id, ob->AddContact(c));
        if (o->json) PrintJson({{"id", id}, {"department", c.department}, {"channel", c.channel}});
        else std::cout << ctx.T("已添加联系人 #", "added contact #") << id << "\n";
        return Status::Ok();
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<DirOpts>();
    auto* c = contacts->add_subcommand("list", ctx.T("列出联系人", "list contacts"));
    c->add_option("--department", o->department, ctx.T("只看此部门", "only this department"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(*db));
        YQ_ASSIGN_OR_RETURN(auto list, ob->ListContacts(o->department));
        json items = json::array();
        for (auto& c : list) {
          // The full target (an admin on the server's own machine may need it); the secret masked.
          json j = notify::ContactToJson(c);
          j["target"] = c.target;
          items.push_back(std::move(j));
          if (!o->json)
            std::cout << "#" << c.id << "  " << c.department << "  " << c.channel << "  " << c.target << ctx.T("  升级顺序 ", "  order ")
                      << c.escalation_order << "\n";
        }
        if (o->json) PrintJson({{"items", items}});
        return Status::Ok();
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
  RegisterDirectoryEdits(*deps, *contacts, ctx);  // edit, remove (rm): directory_commands.cc
}

// ---------------------------------------------------------------- notify, outbox

struct NotifyOpts {
  bool once = false, json = false;
  int workers = 4;
  std::string timeout = "10s";
  std::string url, from, user, password, department, status;
  int64_t alert = 0;
  size_t limit = 100;
};

Status NotifyRun(Context& ctx, const NotifyOpts& o) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  notify::DispatcherOptions opts;
  opts.workers = o.workers;
  YQ_ASSIGN_OR_RETURN(opts.send.timeout, ParseDuration(o.timeout));
  if (opts.send.timeout <= 0) return Status::Invalid(ctx.T("--timeout 须大于 0", "--timeout must be positive"));
  opts.send.connect_timeout = std::min(opts.send.connect_timeout, opts.send.timeout);
  SystemClock wall;
  YQ_ASSIGN_OR_RETURN(auto d, notify::Dispatcher::Create([s] { return s->OpenDatabase(); }, wall, opts));
  if (o.once) {
    YQ_ASSIGN_OR_RETURN(auto st, d->RunOnce());
    YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(s->db()));
    YQ_ASSIGN_OR_RETURN(auto counts, ob->CountByStatus());
    if (o.json) {
      PrintJson({{"delivered", st.delivered}, {"failed_attempts", st.failed}, {"pending", counts.pending},
                 {"sending", counts.sending}, {"unrouted", counts.unrouted}});
    } else {
      std::cout << ctx.T("已送达 ", "delivered ") << st.delivered << ctx.T("，失败尝试 ", ", failed attempts ") << st.failed
                << ctx.T("，待重试 ", ", pending ") << counts.pending << "\n";
    }
    return Status::Ok();
  }
  YQ_RETURN_IF_ERROR(d->Start());
  std::cerr << ctx.T("投递进程运行中 (Ctrl-C 退出)\n", "dispatcher running (Ctrl-C to stop)\n");
  // Runs until killed: the outbox makes stopping at any moment safe.
  while (true) std::this_thread::sleep_for(std::chrono::hours(1));
}

void RegisterNotify(CLI::App& app, Context& ctx) {
  auto* n = app.add_subcommand("notify", ctx.T("投递：运行投递进程、配置邮件、发送测试消息", "delivery: run the dispatcher, configure e-mail, send a test"));
  n->require_subcommand(1);
  {
    auto o = std::make_shared<NotifyOpts>();
    auto* c = n->add_subcommand("run", ctx.T("投递发件箱（持续运行直到停止，或 --once）", "deliver the outbox (until stopped, or --once)"));
    c->add_flag("--once", o->once, ctx.T("只投递当前到期的消息，然后退出", "deliver what is due now, then exit"));
    c->add_option("--workers", o->workers, ctx.T("并行投递数", "parallel deliveries"))->check(CLI::Range(1, 64));
    c->add_option("--timeout", o->timeout, ctx.T("单次投递超时（如 10s）", "per-delivery timeout (e.g. 10s)"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      if (Status st = NotifyRun(ctx, *o); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<NotifyOpts>();
    auto* c = n->add_subcommand("smtp", ctx.T("设置邮件联系人使用的 SMTP 服务器", "set the SMTP server for e-mail contacts"));
    c->add_option("--url", o->url, ctx.T("smtp://主机:端口 或 smtps://主机:端口", "smtp://host:port or smtps://host:port"))->required();
    c->add_option("--from", o->from, ctx.T("发件人地址", "sender address"))->required();
    c->add_option("--user", o->user, ctx.T("登录名", "login"));
    c->add_option("--password", o->password, ctx.T("密码", "password"));
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(*db));
        return notify::SaveSmtp(*ob, {o->url, o->from, o->user, o->password});
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<NotifyOpts>();
    auto* c = n->add_subcommand("test", ctx.T("给部门的首批联系人发一条测试消息（放入发件箱）", "enqueue a test message for a department's first contacts"));
    c->add_option("--department", o->department, ctx.T("部门", "department"))->required();
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* s = ctx.services();
        if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
        YQ_ASSIGN_OR_RETURN(auto router, app::OpenRouter(*s, s->db()));
        TimeMs now = s->clock().Now();
        YQ_ASSIGN_OR_RETURN(int k, router->EnqueueMessage(o->department, "test", "yuqing 测试消息 test message",
                                                          "这是一条测试消息。This is a test.",
                                                          "test-" + std::to_string(now), now));
        if (o->json) PrintJson({{"enqueued", k}});
        else std::cout << ctx.T("已加入发件箱: ", "enqueued: ") << k << "\n";
        return Status::Ok();
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
  auto* ob = app.add_subcommand("outbox", ctx.T("发件箱：待投递和已投递的消息", "outbox: messages waiting or delivered"));
  ob->require_subcommand(1);
  {
    auto o = std::make_shared<NotifyOpts>();
    auto* c = ob->add_subcommand("list", ctx.T("列出发件箱消息，最新在前", "list outbox entries, newest first"));
    c->add_option("--status", o->status, ctx.T("状态：pending（待投递）、sending（投递中）、delivered（已送达）或 unrouted（无人接收）", "pending, sending, delivered or unrouted"));
    c->add_option("--alert", o->alert, ctx.T("只看此预警的消息", "only this alert's"));
    c->add_option("--limit", o->limit, ctx.T("最多显示条数", "at most this many"))->check(CLI::Range(1, 100000));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
        YQ_ASSIGN_OR_RETURN(auto store, store::OutboxStore::Open(*db));
        YQ_ASSIGN_OR_RETURN(auto list, store->List(o->status, o->alert, o->limit));
        YQ_ASSIGN_OR_RETURN(auto counts, store->CountByStatus());
        json items = json::array();
        for (auto& e : list) items.push_back(OutboxJson(e));
        if (o->json) {
          PrintJson({{"items", items},
                     {"counts", {{"pending", counts.pending}, {"sending", counts.sending},
                                 {"delivered", counts.delivered}, {"unrouted", counts.unrouted}}}});
          return Status::Ok();
        }
        for (auto& e : list)
          std::cout << "#" << e.id << "  " << e.status << "  " << e.channel << "  " << e.target << ctx.T("  预警 ", "  alert ") << e.alert_id
                    << "  " << e.notice << ctx.T("  尝试次数 ", "  attempts ") << e.attempts << (e.last_error.empty() ? "" : "  " + e.last_error)
                    << "\n";
        return Status::Ok();
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
}

}  // namespace

void RegisterWarningCommands(CLI::App& app, Context& ctx) {
  RegisterAlerts(app, ctx);
  {
    auto o = std::make_shared<SeriesOpts>();
    auto* c = app.add_subcommand("series", ctx.T("走势：方案或事件每分钟的声量及热度", "per-minute volume of a scheme or an event, with its heat"));
    c->add_option("--topic,--scheme", o->topic, ctx.T("方案编号或名称", "scheme id or name"));
    c->add_option("--event", o->event, ctx.T("事件编号", "event id"));
    c->add_option("--from", o->from, ctx.T("起始时间（ISO 8601）", "from this time (ISO 8601)"));
    c->add_option("--to", o->to, ctx.T("截止时间", "until this time"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o] {
      if (Status st = Series(ctx, *o); !st.ok()) ctx.Fail(st);
    });
  }
  RegisterDirectory(app, ctx);
  RegisterNotify(app, ctx);
}

}  // namespace yuqing::cli

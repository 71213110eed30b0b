// Warning and delivery commands: alerts list|show|ack|resolve, series, departments, contacts,
// notify run|smtp|test, outbox list. Times in JSON are ISO 8601 (China Standard Time); alert
// times are the stream's (simulated during replay), delivery times the wall clock's.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "app/pipeline.h"
#include "cli/context.h"
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
  if (!db) return Status::Io("no data directory");
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(*db));
  store::AlertFilter f;
  f.status = o.status;
  if (!o.level.empty()) {
    f.min_severity = store::ParseLevel(o.level);
    if (!f.min_severity) return Status::Invalid("--level must be IV, III, II or I");
  }
  YQ_ASSIGN_OR_RETURN(f.scheme_id, SchemeId(*db, o.scheme));
  f.limit = o.limit;
  YQ_ASSIGN_OR_RETURN(auto list, alerts->List(f));
  if (o.json) {
    json items = json::array();
    for (const auto& a : list) items.push_back(store::AlertToJson(a));
    PrintJson({{"items", items}, {"count", list.size()}});
    return Status::Ok();
  }
  if (list.empty()) std::cout << ctx.T("没有预警\n", "no alerts\n");
  for (const auto& a : list) {
    std::cout << "#" << a.id << "  " << store::LevelName(a.severity) << " " << store::LevelNameZh(a.severity) << "  "
              << a.status << "  " << FormatTime(a.created_at) << "  " << a.scheme_name
              << (a.event_id ? std::string(ctx.T(" · 事件 ", " · event ")) + std::to_string(a.event_id) : "") << "\n    "
              << a.message << "\n    "
              << a.rule << "\n";
  }
  return Status::Ok();
}

Status AlertsShow(Context& ctx, const AlertOpts& o) {
  auto* db = Db(ctx);
  if (!db) return Status::Io("no data directory");
  YQ_ASSIGN_OR_RETURN(auto alerts, store::AlertStore::Open(*db));
  YQ_ASSIGN_OR_RETURN(auto outbox, store::OutboxStore::Open(*db));
  YQ_ASSIGN_OR_RETURN(auto a, alerts->Get(o.id));
  if (!a) return Status::NotFound("no alert " + std::to_string(o.id));
  YQ_ASSIGN_OR_RETURN(auto hist, alerts->History(o.id));
  YQ_ASSIGN_OR_RETURN(auto entries, outbox->List("", o.id, 1000));
  YQ_ASSIGN_OR_RETURN(auto log, outbox->Log(o.id, 0, 1000));
  json j = store::AlertToJson(*a);
  json h = json::array(), d = json::array(), l = json::array();
  for (auto& e : hist) h.push_back(store::AlertHistoryToJson(e));
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
  if (!s) return Status::Io("no data directory");
  YQ_ASSIGN_OR_RETURN(auto router, notify::Router::Create(s->db()));
  std::vector<warning::AlertListener*> ls = {router.get()};
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
    PrintJson(store::AlertToJson(*a));
  } else {
    std::cout << (ack ? ctx.T("已确认预警 #", "acknowledged alert #") : ctx.T("已解除预警 #", "resolved alert #")) << o.id
              << "  (" << by << ", " << FormatTime(now) << ")\n";
  }
  return Status::Ok();
}

void RegisterAlerts(CLI::App& app, Context& ctx) {
  auto* alerts = app.add_subcommand("alerts", "预警: list, show, acknowledge and resolve alerts");
  alerts->require_subcommand(1);
  {
    auto o = std::make_shared<AlertOpts>();
    auto* c = alerts->add_subcommand("list", "list alerts, newest first");
    c->add_option("--status", o->status, "open, acked, resolved or active (open+acked)");
    c->add_option("--level", o->level, "at least this level (IV, III, II, I)");
    c->add_option("--scheme,--topic", o->scheme, "scheme id or name");
    c->add_option("--limit", o->limit, "at most this many")->check(CLI::Range(1, 10000));
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      if (Status st = AlertsList(ctx, *o); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<AlertOpts>();
    auto* c = alerts->add_subcommand("show", "one alert with its history and delivery log");
    c->add_option("id", o->id, "alert id")->required();
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      if (Status st = AlertsShow(ctx, *o); !st.ok()) ctx.Fail(st);
    });
  }
  for (bool ack : {true, false}) {
    auto o = std::make_shared<AlertOpts>();
    auto* c = alerts->add_subcommand(ack ? "ack" : "resolve", ack ? "acknowledge (认领) an alert" : "resolve (解除) an alert");
    c->add_option("id", o->id, "alert id")->required();
    c->add_option("--by", o->by, "who (default: $USER)");
    c->add_option("--note", o->note, "a note for the record");
    c->add_flag("--json", o->json, "print JSON");
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
  if (!db) return Status::Io("no data directory");
  if (o.topic.empty() == (o.event == 0)) return Status::Invalid("give --topic ID or --event ID");
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
  auto* deps = app.add_subcommand("departments", "部门: departments that receive alerts (直报)");
  deps->require_subcommand(1);
  {
    auto o = std::make_shared<DirOpts>();
    auto* c = deps->add_subcommand("add", "add a department");
    c->add_option("name", o->name, "the name schemes and users use")->required();
    c->add_option("--description", o->description, "what it does");
    c->add_option("--region", o->regions, "region rule: also receives alerts of schemes covering this region");
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* s = ctx.services();
        if (!s) return Status::Io("no data directory");
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
    auto* c = deps->add_subcommand("list", "list departments with their contacts");
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io("no data directory");
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

  auto* contacts = app.add_subcommand("contacts", "联系人: who is told, over which channel");
  contacts->require_subcommand(1);
  {
    auto o = std::make_shared<DirOpts>();
    auto* c = contacts->add_subcommand("add", "add a contact to a department");
    c->add_option("--department", o->department, "department name")->required();
    c->add_option("--channel", o->channel, "webhook, wecom, dingtalk, feishu or email")->required();
    c->add_option("--target", o->target, "robot/webhook URL or e-mail address")->required();
    c->add_option("--secret", o->secret, "HMAC key (webhook) or signing secret (dingtalk, feishu)");
    c->add_option("--escalation-order", o->escalation_order, "0: told first; n: told at escalation step n")
        ->check(CLI::Range(0, 20));
    c->add_option("--name", o->name, "person or group name");
    c->add_option("--min-level", o->min_level, "only alerts at this level or above (IV, III, II, I)");
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* s = ctx.services();
        if (!s) return Status::Io("no data directory");
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(s->db()));
        store::Contact c;
        c.department = o->department;
        c.name = o->name;
        c.channel = o->channel;
        c.target = o->target;
        c.secret = o->secret;
        c.escalation_order = o->escalation_order;
        if (!o->min_level.empty()) {
          c.min_severity = store::ParseLevel(o->min_level);
          if (!c.min_severity) return Status::Invalid("--min-level must be IV, III, II or I");
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
    auto* c = contacts->add_subcommand("list", "list contacts");
    c->add_option("--department", o->department, "only this department");
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io("no data directory");
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(*db));
        YQ_ASSIGN_OR_RETURN(auto list, ob->ListContacts(o->department));
        json items = json::array();
        for (auto& c : list) {
          // The full target (an admin on the server's own machine may need it); the secret masked.
          json j = notify::ContactToJson(c);
          j["target"] = c.target;
          items.push_back(std::move(j));
          if (!o->json)
            std::cout << "#" << c.id << "  " << c.department << "  " << c.channel << "  " << c.target << "  order "
                      << c.escalation_order << "\n";
        }
        if (o->json) PrintJson({{"items", items}});
        return Status::Ok();
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<DirOpts>();
    auto* c = contacts->add_subcommand("rm", "remove a contact");
    c->add_option("id", o->id, "contact id")->required();
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io("no data directory");
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(*db));
        return ob->RemoveContact(o->id);
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
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
  if (!s) return Status::Io("no data directory");
  notify::DispatcherOptions opts;
  opts.workers = o.workers;
  YQ_ASSIGN_OR_RETURN(opts.send.timeout, ParseDuration(o.timeout));
  if (opts.send.timeout <= 0) return Status::Invalid("--timeout must be positive");
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
  auto* n = app.add_subcommand("notify", "投递: run the dispatcher, configure e-mail, send a test");
  n->require_subcommand(1);
  {
    auto o = std::make_shared<NotifyOpts>();
    auto* c = n->add_subcommand("run", "deliver the outbox (until stopped, or --once)");
    c->add_flag("--once", o->once, "deliver what is due now, then exit");
    c->add_option("--workers", o->workers, "parallel deliveries")->check(CLI::Range(1, 64));
    c->add_option("--timeout", o->timeout, "per-delivery timeout (e.g. 10s)");
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      if (Status st = NotifyRun(ctx, *o); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<NotifyOpts>();
    auto* c = n->add_subcommand("smtp", "set the SMTP server for e-mail contacts");
    c->add_option("--url", o->url, "smtp://host:port or smtps://host:port")->required();
    c->add_option("--from", o->from, "sender address")->required();
    c->add_option("--user", o->user, "login");
    c->add_option("--password", o->password, "password");
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io("no data directory");
        YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(*db));
        return notify::SaveSmtp(*ob, {o->url, o->from, o->user, o->password});
      };
      if (Status st = run(); !st.ok()) ctx.Fail(st);
    });
  }
  {
    auto o = std::make_shared<NotifyOpts>();
    auto* c = n->add_subcommand("test", "enqueue a test message for a department's first contacts");
    c->add_option("--department", o->department, "department")->required();
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* s = ctx.services();
        if (!s) return Status::Io("no data directory");
        YQ_ASSIGN_OR_RETURN(auto router, notify::Router::Create(s->db()));
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
  auto* ob = app.add_subcommand("outbox", "发件箱: messages waiting or delivered");
  ob->require_subcommand(1);
  {
    auto o = std::make_shared<NotifyOpts>();
    auto* c = ob->add_subcommand("list", "list outbox entries, newest first");
    c->add_option("--status", o->status, "pending, sending, delivered or unrouted");
    c->add_option("--alert", o->alert, "only this alert's");
    c->add_option("--limit", o->limit, "at most this many")->check(CLI::Range(1, 100000));
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      auto run = [&]() -> Status {
        auto* db = Db(ctx);
        if (!db) return Status::Io("no data directory");
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
          std::cout << "#" << e.id << "  " << e.status << "  " << e.channel << "  " << e.target << "  alert " << e.alert_id
                    << "  " << e.notice << "  attempts " << e.attempts << (e.last_error.empty() ? "" : "  " + e.last_error)
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
    auto* c = app.add_subcommand("series", "走势: per-minute volume of a scheme or an event, with its heat");
    c->add_option("--topic,--scheme", o->topic, "scheme id or name");
    c->add_option("--event", o->event, "event id");
    c->add_option("--from", o->from, "from this time (ISO 8601)");
    c->add_option("--to", o->to, "until this time");
    c->add_flag("--json", o->json, "print JSON");
    c->callback([&ctx, o] {
      if (Status st = Series(ctx, *o); !st.ok()) ctx.Fail(st);
    });
  }
  RegisterDirectory(app, ctx);
  RegisterNotify(app, ctx);
}

}  // namespace yuqing::cli

// Crisis-response commands (处置): statement (check/add/approve/publish/list/show), plans
// (list/show/import/export), incidents (open/list/show/ack/respond/monitor/close/review/level/
// assign/link/comm/timeline/eval/stats/sweep), tasks (list/done), commitments (list/kept).
// Thin handlers over incident::IncidentService; exit codes follow cli/context.h
// (statement check: 0 ok, 1 errors found, 2 unreadable input).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/listeners.h"
#include "cli/context.h"
#include "incident/evaluation.h"
#include "incident/incident_service.h"
#include "incident/plan.h"
#include "incident/alert_intake.h"
#include "incident/response.h"
#include "cli/response_commands.h"
#include "incident/statement_checker.h"
#include "store/incident_store.h"
#include "text/normalizer.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;
namespace inc = yuqing::incident;

// Everything an incident command needs, built for one invocation.
struct Env {
  app::Services* services = nullptr;
  std::unique_ptr<inc::Response> response;
  store::IncidentStore* store = nullptr;
  inc::IncidentService* service = nullptr;
};

Status ReadInput(const std::string& path, std::string& out) {
  if (path == "-") {
    std::stringstream ss;
    ss << std::cin.rdbuf();
    out = ss.str();
    return Status::Ok();
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Invalid("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  if (f.bad()) return Status::Invalid("cannot read " + path);
  out = ss.str();
  return Status::Ok();
}

std::string DefaultActor() {
  const char* u = std::getenv("YUQING_USER");
  if (!u || !*u) u = std::getenv("USER");
  return u && *u ? u : "cli";
}

Result<std::unique_ptr<Env>> OpenEnv(Context& ctx) {
  auto env = std::make_unique<Env>();
  env->services = ctx.services();
  if (!env->services) return Status::Io(ctx.T("无法打开数据目录 ", "cannot open the data directory ") + ctx.data_dir);
  YQ_RETURN_IF_ERROR(ApplyIncidentClock(*env->services));
  // Hooks wired as for the API and the sweeper (app/listeners.h).
  YQ_ASSIGN_OR_RETURN(env->response, app::OpenResponse(*env->services, env->services->db()));
  env->store = &env->response->store();
  env->service = &env->response->service();
  return env;
}

// Runs `body` with an Env, reporting failures through ctx.
template <typename F>
void WithEnv(Context& ctx, F body) {
  auto env = OpenEnv(ctx);
  if (!env.ok()) {
    if (ctx.exit_code == 0) ctx.Fail(env.status());
    return;
  }
  Status st = body(**env);
  if (!st.ok()) ctx.Fail(st);
}

std::string Label(const Context& ctx, const inc::Finding& f) {
  return std::string(ctx.zh() ? inc::PrincipleNameZh(f.principle) : inc::PrincipleName(f.principle)) + "/" +
         inc::SeverityName(f.severity);
}

// ---------------------------------------------------------------- statement
void RegisterStatement(CLI::App& app, Context& ctx) {
  auto* st = app.add_subcommand("statement", ctx.T("回应口径：审查、起草、审批和发布", "statements: check, draft, approve and publish"));
  st->require_subcommand(1);

  struct CheckOpts {
    std::string file, at, rules;
    bool json = false;
  };
  auto co = std::make_shared<CheckOpts>();
  auto* check = st->add_subcommand("check", ctx.T("审查口径：按谦和、权威、诚信、节制检查草稿", "check a draft against the four principles (modest, authoritative, honest, restrained)"));
  check->add_option("FILE", co->file, ctx.T("口径文本（UTF-8；- 表示从标准输入读取）", "statement text (UTF-8; - for stdin)"))->required();
  check->add_option("--at", co->at, ctx.T("以此时间推算承诺日期（默认：现在）", "resolve promised dates against this time (default: now)"));
  check->add_option("--lang", ctx.lang, ctx.T("提示语言：zh 或 en", "message language: zh or en"))->check(CLI::IsMember({"zh", "en"}));
  check->add_option("--rules", co->rules, ctx.T("规则文件（默认：自带的 statement_rules.yaml）", "rule file (default: the shipped statement_rules.yaml)"));
  check->add_flag("--json", co->json, ctx.T("输出 JSON", "print JSON"));
  check->callback([&ctx, co] {
    std::string text;
    if (Status s = ReadInput(co->file, text); !s.ok()) return ctx.Fail(s);
    TimeMs at = 0;
    if (!co->at.empty()) {
      auto t = ParseTime(co->at);
      if (!t.ok()) return ctx.Fail(Status::Invalid("--at: " + t.status().message()));
      at = *t;
    } else {
      at = SystemClock().Now();
    }
    auto norm = text::Normalizer::Create();
    auto checker = inc::StatementChecker::Create(norm.ok() ? *norm : nullptr, co->rules);
    if (!checker.ok()) return ctx.Fail(checker.status());
    auto r = (*checker)->Check(text, at, !ctx.zh());
    if (!r.ok()) {
      ctx.Fail(r.status());
      ctx.exit_code = 2;
      return;
    }
    if (co->json) {
      PrintJson(inc::CheckResultToJson(*r, text));
    } else {
      std::cout << (r->ok ? ctx.T("通过", "passed") : ctx.T("未通过", "not passed")) << " ("
                << r->findings.size() << ctx.T(" 条意见)", " findings)") << "\n";
      for (const auto& f : r->findings)
        std::cout << ctx.T("  第", "  sentence ") << f.sentence + 1 << ctx.T("句 [", " [") << Label(ctx, f) << "] "
                  << f.message << "\n";
      for (const auto& c : r->commitments)
        std::cout << ctx.T("  承诺: ", "  promise: ") << c.text << " → "
                  << (c.due ? FormatTime(*c.due) : ctx.T("无日期", "no date")) << "\n";
    }
    ctx.exit_code = r->ok ? 0 : 1;
  });

  struct AddOpts {
    int64_t incident = 0, previous = 0;
    std::string file, kind, by = DefaultActor();
    bool json = false;
  };
  auto ao = std::make_shared<AddOpts>();
  auto* add = st->add_subcommand("add", ctx.T("起草：为危机事件新增一版草稿", "draft: add a draft (a new version) to an incident"));
  add->add_option("--incident", ao->incident, ctx.T("危机事件编号", "incident id"))->required();
  add->add_option("FILE", ao->file, ctx.T("口径文本（- 表示从标准输入读取）", "statement text (- for stdin)"))->required();
  add->add_option("--kind", ao->kind, ctx.T("类型：holding（初步回应）| authoritative（权威发布）| update（进展通报）| clarification（澄清）| press_conference（发布会）| other（其他）", "holding | authoritative | update | clarification | press_conference | other"));
  add->add_option("--revises", ao->previous, ctx.T("所修改的上一版编号", "id of the version this one revises"));
  add->add_option("--by", ao->by, ctx.T("起草人", "who drafts"));
  add->add_flag("--json", ao->json, ctx.T("输出 JSON", "print JSON"));
  add->callback([&ctx, ao] {
    std::string body;
    if (Status s = ReadInput(ao->file, body); !s.ok()) return ctx.Fail(s);
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto s, env.service->AddStatement(ao->incident, body, ao->kind, ao->previous, ao->by));
      if (ao->json) PrintJson(inc::StatementToJson(s));
      else
        std::cout << ctx.T("已起草口径 ", "drafted statement ") << s.id << " (v" << s.version << ")"
                  << (s.check_ok ? "" : ctx.T("，审查有错误", "; the check found errors")) << "\n";
      return Status::Ok();
    });
  });

  struct IdOpts {
    int64_t id = 0;
    std::string by = DefaultActor(), override_reason, channel, url, at;
    bool json = false;
  };
  auto po = std::make_shared<IdOpts>();
  auto* approve = st->add_subcommand("approve", ctx.T("审批：批准草稿", "approve a draft"));
  approve->add_option("ID", po->id, ctx.T("口径编号", "statement id"))->required();
  approve->add_option("--by", po->by, ctx.T("审批人", "who approves"));
  approve->add_option("--override", po->override_reason, ctx.T("审查有错误仍批准，并写明理由", "approve despite check errors, with the reason"));
  approve->add_flag("--json", po->json, ctx.T("输出 JSON", "print JSON"));
  approve->callback([&ctx, po] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto s, env.service->ApproveStatement(po->id, po->by, po->override_reason));
      if (po->json) PrintJson(inc::StatementToJson(s, false));
      else std::cout << ctx.T("已审批口径 ", "approved statement ") << s.id << "\n";
      return Status::Ok();
    });
  });

  auto pub = std::make_shared<IdOpts>();
  auto* publish = st->add_subcommand("publish", ctx.T("发布：登记已批准口径的发布", "record the publication of an approved statement"));
  publish->add_option("ID", pub->id, ctx.T("口径编号", "statement id"))->required();
  publish->add_option("--channel", pub->channel, ctx.T("发布渠道：weibo、wechat、website、press …", "where: weibo, wechat, website, press ..."))->required();
  publish->add_option("--url", pub->url, ctx.T("发布地址（URL）", "the published URL"));
  publish->add_option("--at", pub->at, ctx.T("发布时间（默认：现在）", "publication time (default: now)"));
  publish->add_option("--by", pub->by, ctx.T("发布人", "who publishes"));
  publish->add_flag("--json", pub->json, ctx.T("输出 JSON", "print JSON"));
  publish->callback([&ctx, pub] {
    std::optional<TimeMs> at;
    if (!pub->at.empty()) {
      auto t = ParseTime(pub->at);
      if (!t.ok()) return ctx.Fail(Status::Invalid("--at: " + t.status().message()));
      at = *t;
    }
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto s, env.service->PublishStatement(pub->id, pub->channel, pub->url, at, pub->by));
      YQ_ASSIGN_OR_RETURN(auto cs, env.store->ListCommitments(s.incident_id));
      json made = json::array();
      for (const auto& c : cs)
        if (c.statement_id == s.id) made.push_back(inc::CommitmentToJson(c, env.services->clock().Now()));
      if (pub->json) {
        json j = inc::StatementToJson(s, false);
        j["commitments"] = made;
        PrintJson(j);
      } else {
        std::cout << ctx.T("已发布口径 ", "published statement ") << s.id << ctx.T("，承诺 ", "; commitments: ")
                  << made.size() << "\n";
      }
      return Status::Ok();
    });
  });

  struct ListOpts {
    int64_t incident = 0, id = 0;
    bool json = false;
  };
  auto lo = std::make_shared<ListOpts>();
  auto* list = st->add_subcommand("list", ctx.T("口径列表：危机事件的全部口径及各版本", "the statements of an incident, all versions"));
  list->add_option("--incident", lo->incident, ctx.T("危机事件编号", "incident id"))->required();
  list->add_flag("--json", lo->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, lo] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_RETURN_IF_ERROR(env.store->GetIncident(lo->incident).status());
      YQ_ASSIGN_OR_RETURN(auto rows, env.store->ListStatements(lo->incident));
      json a = json::array();
      for (const auto& s : rows) a.push_back(inc::StatementToJson(s, false));
      if (lo->json) PrintJson({{"statements", a}});
      else
        for (const auto& s : rows)
          std::cout << s.id << "  v" << s.version << "  " << s.state << "  " << s.kind << "  " << FormatTime(s.created_at) << "\n";
      return Status::Ok();
    });
  });
  auto so = std::make_shared<ListOpts>();
  auto* show = st->add_subcommand("show", ctx.T("查看口径：一条口径的正文和审查结果", "one statement with its text and check result"));
  show->add_option("ID", so->id, ctx.T("口径编号", "statement id"))->required();
  show->add_flag("--json", so->json, ctx.T("输出 JSON", "print JSON"));
  show->callback([&ctx, so] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto s, env.store->GetStatement(so->id));
      if (so->json) PrintJson(inc::StatementToJson(s));
      else std::cout << "#" << s.id << " v" << s.version << " " << s.state << "\n" << s.body << "\n";
      return Status::Ok();
    });
  });
}

// ---------------------------------------------------------------- plans
void RegisterPlans(CLI::App& app, Context& ctx) {
  auto* pl = app.add_subcommand("plans", ctx.T("预案：按危机事件类型和级别的处置预案", "response plans per incident type and level"));
  pl->require_subcommand(1);
  struct Opts {
    std::string id, file, format = "yaml";
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* list = pl->add_subcommand("list", ctx.T("列出预案", "list plans"));
  list->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      const auto& plans = env.service->plans();
      if (o->json) {
        json a = json::array();
        for (const auto& p : plans)
          a.push_back({{"id", p.id}, {"title", ctx.zh() || p.title_en.empty() ? p.title_zh : p.title_en},
                       {"types", p.types}, {"levels", p.levels}, {"tasks", p.tasks.size()}});
        PrintJson({{"plans", a}});
      } else {
        for (const auto& p : plans) std::cout << p.id << "  " << (ctx.zh() ? p.title_zh : p.title_en) << "\n";
      }
      return Status::Ok();
    });
  });
  auto* show = pl->add_subcommand("show", ctx.T("查看预案", "show one plan"));
  show->add_option("ID", o->id, ctx.T("预案编号", "plan id"))->required();
  show->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  show->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      for (const auto& p : env.service->plans()) {
        if (p.id != o->id) continue;
        if (o->json) {
          PrintJson(inc::PlanToJson(p));
        } else {
          std::cout << p.id << "  " << (ctx.zh() ? p.title_zh : p.title_en) << "\n" << p.basis << "\n";
          for (const auto& t : p.tasks)
            std::cout << "  +" << FormatDuration(t.due_after) << "  [" << t.role << "]  "
                      << (ctx.zh() ? t.title_zh : t.title_en) << "\n";
        }
        return Status::Ok();
      }
      return Status::NotFound(ctx.T("找不到预案 ", "no plan ") + o->id);
    });
  });
  auto* imp = pl->add_subcommand("import", ctx.T("导入预案（YAML 或 JSON；替换同编号预案）", "import plans (YAML or JSON; replaces plans with the same id)"));
  imp->add_option("FILE", o->file, ctx.T("预案文件（- 表示从标准输入读取）", "plan file (- for stdin)"))->required();
  imp->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  imp->callback([&ctx, o] {
    std::string text;
    if (Status s = ReadInput(o->file, text); !s.ok()) return ctx.Fail(s);
    auto plans = inc::ParsePlans(text);
    if (!plans.ok()) return ctx.Fail(Status::Invalid(o->file + ": " + plans.status().message()));
    WithEnv(ctx, [&](Env& env) -> Status {
      store::Transaction tx(env.store->db());
      YQ_RETURN_IF_ERROR(tx.status());
      json ids = json::array();
      for (const auto& p : *plans) {
        YQ_RETURN_IF_ERROR(env.store->PutPlan(p.id, inc::PlanToJson(p).dump(), env.services->clock().Now()));
        ids.push_back(p.id);
      }
      YQ_RETURN_IF_ERROR(tx.Commit());
      if (o->json) PrintJson({{"imported", ids}});
      else std::cout << ctx.T("已导入预案: ", "imported plans: ") << ids.size() << "\n";
      return Status::Ok();
    });
  });
  auto* exp = pl->add_subcommand("export", ctx.T("导出预案（全部生效预案）", "export plans (all effective plans)"));
  exp->add_option("--format", o->format, ctx.T("yaml 或 json", "yaml or json"))->check(CLI::IsMember({"yaml", "json"}));
  exp->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      if (o->format == "json") std::cout << inc::PlansToJson(env.service->plans()).dump(2) << "\n";
      else std::cout << inc::PlansToYaml(env.service->plans());
      return Status::Ok();
    });
  });
}

void PrintTasks(const Context& ctx, const std::vector<store::TaskRow>& tasks, TimeMs now, bool as_json) {
  if (as_json) {
    json a = json::array();
    for (const auto& t : tasks) a.push_back(inc::TaskToJson(t, now));
    PrintJson({{"tasks", a}});
    return;
  }
  for (const auto& t : tasks)
    std::cout << t.id << "  " << FormatTime(t.due_at) << "  " << t.status << (t.status == "open" && now > t.due_at ? "!" : "")
              << "  [" << t.role << (t.owner.empty() ? "" : ":" + t.owner) << "]  " << (ctx.zh() ? t.title : t.title_en) << "\n";
}

// ---------------------------------------------------------------- incidents, tasks, commitments
// One function per subcommand: its options, and its callback over an Env.

void AddJsonFlag(CLI::App* c, const Context& ctx, bool& json) {
  c->add_flag("--json", json, ctx.T("输出 JSON", "print JSON"));
}

void AddIncidentId(CLI::App* c, const Context& ctx, int64_t& id) {
  c->add_option("ID", id, ctx.T("危机事件编号", "incident id"))->required();
}

// --json prints one line of JSON; without it the same document, indented.
void PrintDocument(const json& j, bool as_json) {
  if (as_json) PrintJson(j);
  else std::cout << j.dump(2) << "\n";
}

json LinksToJson(const std::vector<store::IncidentLinkRow>& links) {
  json a = json::array();
  for (const auto& l : links) a.push_back({{"kind", l.kind}, {"ref", l.ref}});
  return a;
}

struct OpenOpts {
  std::string title, level, type = "general", alert, detected_at, by = DefaultActor();
  std::vector<std::string> team;  // role=person
  std::vector<std::string> departments;
  bool json = false;
};

// The request `incidents open` sends, or why its options do not make one.
Result<inc::OpenRequest> OpenRequestFrom(const Context& ctx, const OpenOpts& o) {
  inc::OpenRequest req;
  req.title = o.title;
  req.level = o.level;
  req.type = o.type;
  req.alert_id = o.alert;
  req.actor = o.by;
  if (req.level.empty() && req.alert_id.empty())
    return Status::Invalid(ctx.T("缺少 --level（I、II、III 或 IV），除非用 --alert 从预警开启", "--level: required (I, II, III or IV) unless opened from --alert"));
  for (const auto& d : o.departments) {
    store::IncidentLinkRow l;
    l.kind = "department";
    l.ref = d;
    req.links.push_back(l);
  }
  if (!o.detected_at.empty()) {
    auto t = ParseTime(o.detected_at);
    if (!t.ok()) return Status::Invalid("--detected-at: " + t.status().message());
    req.detected_at = *t;
  }
  for (const auto& m : o.team) {
    auto eq = m.find('=');
    if (eq == std::string::npos) return Status::Invalid(ctx.T("--team 应写成 角色=人员，实际是 ", "--team: expected role=person, got ") + m);
    req.team.push_back({m.substr(0, eq), m.substr(eq + 1)});
  }
  return req;
}

void AddIncidentOpen(CLI::App* in, Context& ctx) {
  auto o = std::make_shared<OpenOpts>();
  auto* c = in->add_subcommand("open", ctx.T("开启危机事件：新建危机事件（按预案生成任务）", "open an incident (creates its plan's tasks)"));
  c->add_option("--title", o->title, ctx.T("标题", "title"));
  c->add_option("--level", o->level, ctx.T("级别：I | II | III | IV", "I | II | III | IV"))->check(CLI::IsMember({"I", "II", "III", "IV"}));
  c->add_option("--type", o->type, ctx.T("危机事件类型（general、complaint_wave、rumor、accident …）", "incident type (general, complaint_wave, rumor, accident, ...)"));
  c->add_option("--alert", o->alert, ctx.T("来源预警编号", "the alert it comes from"));
  c->add_option("--detected-at", o->detected_at, ctx.T("发现时间（默认：现在，或预警的时间）", "detection time (default: now, or the alert's time)"));
  c->add_option("--team", o->team, ctx.T("角色=人员，如 commander=王强（可重复）", "role=person, e.g. commander=王强 (repeatable)"));
  c->add_option("--department", o->departments, ctx.T("通报的部门（可重复；用 --alert 时默认取预警的部门）", "department told of the incident (repeatable; from --alert: the alert's)"));
  c->add_option("--by", o->by, ctx.T("开启人", "who opens it"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    auto req = OpenRequestFrom(ctx, *o);
    if (!req.ok()) return ctx.Fail(req.status());
    WithEnv(ctx, [&](Env& env) -> Status {
      if (!req->alert_id.empty()) YQ_RETURN_IF_ERROR(inc::FillFromAlert(env.store->db(), *req));
      YQ_ASSIGN_OR_RETURN(auto opened, env.service->Open(*req));
      const TimeMs now = env.services->clock().Now();
      if (o->json) {
        json j = inc::IncidentToJson(opened.incident);
        YQ_ASSIGN_OR_RETURN(auto links, env.store->Links(opened.incident.id));
        j["links"] = LinksToJson(links);
        json tasks = json::array();
        for (const auto& t : opened.tasks) tasks.push_back(inc::TaskToJson(t, now));
        j["tasks"] = tasks;
        PrintJson(j);
      } else {
        std::cout << ctx.T("已开启危机事件 ", "opened incident ") << opened.incident.id << " (" << opened.incident.plan_id
                  << ", " << opened.tasks.size() << ctx.T(" 项任务)", " tasks)") << "\n";
        PrintTasks(ctx, opened.tasks, now, false);
      }
      return Status::Ok();
    });
  });
}

void AddIncidentList(CLI::App* in, Context& ctx) {
  struct Opts {
    std::string state;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = in->add_subcommand("list", ctx.T("危机事件列表", "list incidents"));
  c->add_option("--state", o->state, ctx.T("只看此状态", "only in this state"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      store::IncidentFilter f;
      f.state = o->state;
      YQ_ASSIGN_OR_RETURN(auto rows, env.store->ListIncidents(f));
      if (o->json) {
        json a = json::array();
        for (const auto& r : rows) a.push_back(inc::IncidentToJson(r));
        PrintJson({{"incidents", a}});
      } else {
        for (const auto& r : rows)
          std::cout << r.id << "  " << r.level << "  " << r.state << "  " << FormatTime(r.detected_at) << "  " << r.title << "\n";
      }
      return Status::Ok();
    });
  });
}

// An incident with its team, links, tasks, statements and commitments.
Result<json> IncidentDocument(Env& env, int64_t id) {
  const TimeMs now = env.services->clock().Now();
  YQ_ASSIGN_OR_RETURN(auto r, env.store->GetIncident(id));
  json j = inc::IncidentToJson(r);
  YQ_ASSIGN_OR_RETURN(auto roles, env.store->Roles(r.id));
  j["team"] = json::array();
  for (const auto& ro : roles) j["team"].push_back({{"role", ro.role}, {"person", ro.person}});
  YQ_ASSIGN_OR_RETURN(auto links, env.store->Links(r.id));
  j["links"] = LinksToJson(links);
  YQ_ASSIGN_OR_RETURN(auto tasks, env.store->ListTasks(r.id));
  j["tasks"] = json::array();
  for (const auto& t : tasks) j["tasks"].push_back(inc::TaskToJson(t, now));
  YQ_ASSIGN_OR_RETURN(auto sts, env.store->ListStatements(r.id));
  j["statements"] = json::array();
  for (const auto& s : sts) j["statements"].push_back(inc::StatementToJson(s, false));
  YQ_ASSIGN_OR_RETURN(auto cs, env.store->ListCommitments(r.id));
  j["commitments"] = json::array();
  for (const auto& c : cs) j["commitments"].push_back(inc::CommitmentToJson(c, now));
  return j;
}

void AddIncidentShow(CLI::App* in, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = in->add_subcommand("show", ctx.T("查看危机事件：小组、关联、任务、口径、承诺", "show an incident: team, links, tasks, statements, commitments"));
  AddIncidentId(c, ctx, o->id);
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(json j, IncidentDocument(env, o->id));
      PrintDocument(j, o->json);
      return Status::Ok();
    });
  });
}

// A state transition: ack, respond, monitor, close, review.
struct Step {
  const char *name, *state, *help_zh;
};
constexpr Step kSteps[] = {{"ack", "acknowledged", "确认危机事件（→ acknowledged 已确认）"},
                           {"respond", "responding", "开始处置（→ responding 处置中）"},
                           {"monitor", "monitoring", "转入监测（→ monitoring 监测中）"},
                           {"close", "closed", "结案（→ closed 已结案）"},
                           {"review", "reviewed", "完成复盘（→ reviewed 已复盘）"}};

void AddIncidentStep(CLI::App* in, Context& ctx, const Step& step) {
  struct Opts {
    int64_t id = 0;
    std::string by = DefaultActor(), note, no_response;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  const std::string to = step.state;
  auto* c = in->add_subcommand(step.name, ctx.zh() ? std::string(step.help_zh) : std::string("→ ") + step.state);
  AddIncidentId(c, ctx, o->id);
  c->add_option("--by", o->by, ctx.T("操作人", "who"));
  c->add_option("--note", o->note, ctx.T("备注", "note"));
  if (to == "closed")
    c->add_option("--no-response", o->no_response, ctx.T("不发布公开回应即结案，并写明理由", "close without a public statement, for this reason"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o, to] {
    WithEnv(ctx, [&](Env& env) -> Status {
      if (!o->no_response.empty()) YQ_RETURN_IF_ERROR(env.service->DecideNoResponse(o->id, o->no_response, o->by).status());
      YQ_ASSIGN_OR_RETURN(auto r, env.service->Transition(o->id, to, o->by, o->note));
      if (o->json) PrintJson(inc::IncidentToJson(r));
      else std::cout << r.id << " → " << r.state << "\n";
      return Status::Ok();
    });
  });
}

void AddIncidentLevel(CLI::App* in, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    std::string level, reason, by = DefaultActor();
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = in->add_subcommand("level", ctx.T("调整级别：升级或降级，并写明理由", "raise or lower the level, with the reason"));
  AddIncidentId(c, ctx, o->id);
  c->add_option("--to", o->level, ctx.T("级别：I | II | III | IV", "I | II | III | IV"))->required();
  c->add_option("--reason", o->reason, ctx.T("理由", "why"))->required();
  c->add_option("--by", o->by, ctx.T("操作人", "who"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto r, env.service->ChangeLevel(o->id, o->level, o->reason, o->by));
      if (o->json) PrintJson(inc::IncidentToJson(r));
      else std::cout << r.id << ctx.T(" 级别 ", " level ") << r.level << "\n";
      return Status::Ok();
    });
  });
}

void AddIncidentAssign(CLI::App* in, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    std::string role, person, by = DefaultActor();
  };
  auto o = std::make_shared<Opts>();
  auto* c = in->add_subcommand("assign", ctx.T("分配角色：commander（总指挥）、spokesperson（发言人）、analyst（分析员）、media_liaison（媒体联络）、scribe（记录员）、owner（责任人）、legal（法务）", "assign a role: commander, spokesperson, analyst, media_liaison, scribe, owner, legal"));
  AddIncidentId(c, ctx, o->id);
  c->add_option("--role", o->role, ctx.T("角色", "role"))->required();
  c->add_option("--person", o->person, ctx.T("人员", "person"))->required();
  c->add_option("--by", o->by, ctx.T("操作人", "who"));
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) { return env.service->AssignRole(o->id, o->role, o->person, o->by); });
  });
}

void AddIncidentLink(CLI::App* in, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    std::string kind, ref, by = DefaultActor();
  };
  auto o = std::make_shared<Opts>();
  auto* c = in->add_subcommand("link", ctx.T("关联：关联预警、事件、方案或帖子", "link an alert, event, scheme or post"));
  AddIncidentId(c, ctx, o->id);
  c->add_option("--kind", o->kind, ctx.T("类型：alert（预警）| event（事件）| scheme（方案）| post（帖子）", "alert | event | scheme | post"))->required();
  c->add_option("--ref", o->ref, ctx.T("其编号", "its id"))->required();
  c->add_option("--by", o->by, ctx.T("操作人", "who"));
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) { return env.service->Link(o->id, o->kind, o->ref, o->by); });
  });
}

void AddIncidentComm(CLI::App* in, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    std::string kind, channel, with, content, at, by = DefaultActor();
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = in->add_subcommand("comm", ctx.T("沟通记录：登记媒体沟通、对公众答复或内部通报", "log a media contact, a reply to the public, an internal notice"));
  AddIncidentId(c, ctx, o->id);
  c->add_option("--kind", o->kind, ctx.T("对象：media（媒体）| public（公众）| internal（内部）", "media | public | internal"))->required();
  c->add_option("--channel", o->channel, ctx.T("方式：电话、采访、热线、邮件、会议 …", "phone, interview, hotline, e-mail, meeting ..."));
  c->add_option("--with", o->with, ctx.T("沟通对象", "who was contacted"));
  c->add_option("--content", o->content, ctx.T("沟通内容", "what was said"));
  c->add_option("--at", o->at, ctx.T("时间（默认：现在）", "when (default: now)"));
  c->add_option("--by", o->by, ctx.T("操作人", "who"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      store::CommunicationRow row;
      row.incident_id = o->id;
      row.kind = o->kind;
      row.channel = o->channel;
      row.counterpart = o->with;
      row.content = o->content;
      row.actor = o->by;
      if (!o->at.empty()) {
        auto t = ParseTime(o->at);
        if (!t.ok()) return Status::Invalid("--at: " + t.status().message());
        row.at = *t;
      }
      YQ_ASSIGN_OR_RETURN(int64_t id, env.service->LogCommunication(row));
      if (o->json) PrintJson({{"id", id}});
      else std::cout << ctx.T("已记录 ", "logged ") << id << "\n";
      return Status::Ok();
    });
  });
}

void AddIncidentTimeline(CLI::App* in, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = in->add_subcommand("timeline", ctx.T("时间线：按时间顺序列出全部经过", "timeline: everything in order"));
  AddIncidentId(c, ctx, o->id);
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(json j, inc::Timeline(*env.store, o->id, env.services->clock().Now()));
      PrintDocument(j, o->json);
      return Status::Ok();
    });
  });
}

void AddIncidentEval(CLI::App* in, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    std::string window;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = in->add_subcommand("eval", ctx.T("评估：逐阶段衡量处置用时", "evaluation: every stage measured"));
  AddIncidentId(c, ctx, o->id);
  c->add_option("--window", o->window, ctx.T("口径发布前后的统计窗口（默认 6h）", "window on each side of a statement (default 6h)"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      inc::FigureOptions fo;
      if (!o->window.empty()) {
        YQ_ASSIGN_OR_RETURN(fo.window, ParseDuration(o->window));
        if (fo.window <= 0) return Status::Invalid(ctx.T("--window 须大于 0", "--window must be positive"));
      }
      YQ_ASSIGN_OR_RETURN(json j, inc::Evaluate(*env.store, o->id, env.services->clock().Now(), fo));
      PrintDocument(j, o->json);
      return Status::Ok();
    });
  });
}

void AddIncidentStats(CLI::App* in, Context& ctx) {
  auto as_json = std::make_shared<bool>(false);
  auto* c = in->add_subcommand("stats", ctx.T("统计：各危机事件的中位数和趋势", "medians and trends across incidents"));
  AddJsonFlag(c, ctx, *as_json);
  c->callback([&ctx, as_json] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(json j, inc::Stats(*env.store, env.services->clock().Now()));
      PrintDocument(j, *as_json);
      return Status::Ok();
    });
  });
}

void AddIncidentSweep(CLI::App* in, Context& ctx) {
  auto as_json = std::make_shared<bool>(false);
  auto* c = in->add_subcommand("sweep", ctx.T("检查期限：对逾期任务和承诺触发一次提醒（serve 会定期执行）", "fire overdue task / commitment hooks once (serve does this periodically)"));
  AddJsonFlag(c, ctx, *as_json);
  c->callback([&ctx, as_json] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto rep, env.service->Sweep());
      json j = {{"tasks_notified", rep.tasks_notified}, {"tasks_escalated", rep.tasks_escalated},
                {"commitments_overdue", rep.commitments_overdue}, {"hook_errors", rep.hook_errors}};
      PrintDocument(j, *as_json);
      return Status::Ok();
    });
  });
}

void RegisterIncidents(CLI::App& app, Context& ctx) {
  auto* in = app.add_subcommand("incidents", ctx.T("危机事件处置：危机事件、处置小组、状态和评估", "incidents: their team, state and evaluation"));
  in->require_subcommand(1);
  AddIncidentOpen(in, ctx);
  AddIncidentList(in, ctx);
  AddIncidentShow(in, ctx);
  for (const Step& step : kSteps) AddIncidentStep(in, ctx, step);
  AddIncidentLevel(in, ctx);
  AddIncidentAssign(in, ctx);
  AddIncidentLink(in, ctx);
  AddIncidentComm(in, ctx);
  AddIncidentTimeline(in, ctx);
  AddIncidentEval(in, ctx);
  AddIncidentStats(in, ctx);
  AddIncidentSweep(in, ctx);
}

// ---------------------------------------------------------------- tasks
void AddTaskList(CLI::App* tk, Context& ctx) {
  struct Opts {
    int64_t incident = 0;
    bool overdue = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = tk->add_subcommand("list", ctx.T("任务列表", "list tasks"));
  c->add_option("--incident", o->incident, ctx.T("危机事件编号（默认：全部）", "incident id (default: all)"));
  c->add_flag("--overdue", o->overdue, ctx.T("只看已过期限仍未完成的任务", "only open tasks past their deadline"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto tasks, env.service->Tasks(o->incident, o->overdue));
      PrintTasks(ctx, tasks, env.services->clock().Now(), o->json);
      return Status::Ok();
    });
  });
}

void AddTaskDone(CLI::App* tk, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    std::string by = DefaultActor(), note;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = tk->add_subcommand("done", ctx.T("完成任务", "mark a task done"));
  c->add_option("ID", o->id, ctx.T("任务编号", "task id"))->required();
  c->add_option("--note", o->note, ctx.T("备注", "note"));
  c->add_option("--by", o->by, ctx.T("操作人", "who"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto t, env.service->CompleteTask(o->id, o->by, o->note));
      if (o->json) PrintJson(inc::TaskToJson(t, env.services->clock().Now()));
      else std::cout << ctx.T("已完成任务 ", "done: task ") << t.id << "\n";
      return Status::Ok();
    });
  });
}

void RegisterTasks(CLI::App& app, Context& ctx) {
  auto* tk = app.add_subcommand("tasks", ctx.T("任务：危机事件预案中的任务", "tasks: the plan tasks of incidents"));
  tk->require_subcommand(1);
  AddTaskList(tk, ctx);
  AddTaskDone(tk, ctx);
}

// ---------------------------------------------------------------- commitments
void AddCommitmentList(CLI::App* cmt, Context& ctx) {
  struct Opts {
    int64_t incident = 0;
    bool overdue = false, json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = cmt->add_subcommand("list", ctx.T("承诺列表", "list commitments"));
  c->add_option("--incident", o->incident, ctx.T("危机事件编号（默认：全部）", "incident id (default: all)"));
  c->add_flag("--overdue", o->overdue, ctx.T("只看已到期仍未兑现的承诺", "only unkept promises past their due time"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto rows, env.service->Commitments(o->incident, o->overdue));
      const TimeMs now = env.services->clock().Now();
      if (o->json) {
        json a = json::array();
        for (const auto& row : rows) a.push_back(inc::CommitmentToJson(row, now));
        PrintJson({{"commitments", a}});
      } else {
        for (const auto& row : rows)
          std::cout << row.id << "  " << (row.due_at ? FormatTime(*row.due_at) : "-") << "  " << row.status << "  " << row.text << "\n";
      }
      return Status::Ok();
    });
  });
}

void AddCommitmentKept(CLI::App* cmt, Context& ctx) {
  struct Opts {
    int64_t id = 0;
    std::string evidence, by = DefaultActor();
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* c = cmt->add_subcommand("kept", ctx.T("兑现承诺：标记承诺已兑现，并附证明", "mark a promise kept, with the evidence"));
  c->add_option("ID", o->id, ctx.T("承诺编号", "commitment id"))->required();
  c->add_option("--evidence", o->evidence, ctx.T("证明已兑现的网址（URL）", "URL showing it was kept"))->required();
  c->add_option("--by", o->by, ctx.T("操作人", "who"));
  AddJsonFlag(c, ctx, o->json);
  c->callback([&ctx, o] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto kept, env.service->KeepCommitment(o->id, o->evidence, o->by));
      if (o->json) PrintJson(inc::CommitmentToJson(kept, env.services->clock().Now()));
      else std::cout << ctx.T("已兑现承诺 ", "kept: commitment ") << kept.id << "\n";
      return Status::Ok();
    });
  });
}

void RegisterCommitments(CLI::App& app, Context& ctx) {
  auto* cmt = app.add_subcommand("commitments", ctx.T("承诺：已发布口径中作出的承诺", "commitments: promises made in published statements"));
  cmt->require_subcommand(1);
  AddCommitmentList(cmt, ctx);
  AddCommitmentKept(cmt, ctx);
}

}  // namespace

void RegisterIncidentCommands(CLI::App& app, Context& ctx) {
  RegisterStatement(app, ctx);
  RegisterResponseCommands(app, ctx);
  RegisterPlans(app, ctx);
  RegisterIncidents(app, ctx);
  RegisterTasks(app, ctx);
  RegisterCommitments(app, ctx);
}

}  // namespace yuqing::cli

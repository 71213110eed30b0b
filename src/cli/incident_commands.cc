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
void RegisterLifecycle(CLI::App& app, Context& ctx) {
  auto* in = app.add_subcommand("incidents", ctx.T("危机事件处置：危机事件、处置小组、状态和评估", "incidents: their team, state and evaluation"));
  in->require_subcommand(1);

  struct OpenOpts {
    std::string title, level, type = "general", alert, detected_at, by = DefaultActor();
    std::vector<std::string> team;  // role=person
    std::vector<std::string> departments;
    bool json = false;
  };
  auto oo = std::make_shared<OpenOpts>();
  auto* open = in->add_subcommand("open", ctx.T("开启危机事件：新建危机事件（按预案生成任务）", "open an incident (creates its plan's tasks)"));
  open->add_option("--title", oo->title, ctx.T("标题", "title"));
  open->add_option("--level", oo->level, ctx.T("级别：I | II | III | IV", "I | II | III | IV"))->check(CLI::IsMember({"I", "II", "III", "IV"}));
  open->add_option("--type", oo->type, ctx.T("危机事件类型（general、complaint_wave、rumor、accident …）", "incident type (general, complaint_wave, rumor, accident, ...)"));
  open->add_option("--alert", oo->alert, ctx.T("来源预警编号", "the alert it comes from"));
  open->add_option("--detected-at", oo->detected_at, ctx.T("发现时间（默认：现在，或预警的时间）", "detection time (default: now, or the alert's time)"));
  open->add_option("--team", oo->team, ctx.T("角色=人员，如 commander=王强（可重复）", "role=person, e.g. commander=王强 (repeatable)"));
  open->add_option("--department", oo->departments, ctx.T("通报的部门（可重复；用 --alert 时默认取预警的部门）", "department told of the incident (repeatable; from --alert: the alert's)"));
  open->add_option("--by", oo->by, ctx.T("开启人", "who opens it"));
  open->add_flag("--json", oo->json, ctx.T("输出 JSON", "print JSON"));
  open->callback([&ctx, oo] {
    inc::OpenRequest req;
    req.title = oo->title;
    req.level = oo->level;
    req.type = oo->type;
    req.alert_id = oo->alert;
    req.actor = oo->by;
    if (req.level.empty() && req.alert_id.empty())
      return ctx.Fail(Status::Invalid(ctx.T("缺少 --level（I、II、III 或 IV），除非用 --alert 从预警开启", "--level: required (I, II, III or IV) unless opened from --alert")));
    for (const auto& d : oo->departments) {
      store::IncidentLinkRow l;
      l.kind = "department";
      l.ref = d;
      req.links.push_back(l);
    }
    if (!oo->detected_at.empty()) {
      auto t = ParseTime(oo->detected_at);
      if (!t.ok()) return ctx.Fail(Status::Invalid("--detected-at: " + t.status().message()));
      req.detected_at = *t;
    }
    for (const auto& m : oo->team) {
      auto eq = m.find('=');
      if (eq == std::string::npos) return ctx.Fail(Status::Invalid(ctx.T("--team 应写成 角色=人员，实际是 ", "--team: expected role=person, got ") + m));
      req.team.push_back({m.substr(0, eq), m.substr(eq + 1)});
    }
    WithEnv(ctx, [&](Env& env) -> Status {
      if (!req.alert_id.empty()) YQ_RETURN_IF_ERROR(inc::FillFromAlert(env.store->db(), req));
      YQ_ASSIGN_OR_RETURN(auto opened, env.service->Open(req));
      const TimeMs now = env.services->clock().Now();
      if (oo->json) {
        json j = inc::IncidentToJson(opened.incident);
        YQ_ASSIGN_OR_RETURN(auto links, env.store->Links(opened.incident.id));
        j["links"] = json::array();
        for (const auto& l : links) j["links"].push_back({{"kind", l.kind}, {"ref", l.ref}});
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

  struct Common {
    int64_t id = 0;
    std::string by = DefaultActor(), note, state, reason, level, role, person, kind, ref, channel, with, content,
                at, no_response;
    bool json = false;
  };
  auto lo = std::make_shared<Common>();
  auto* list = in->add_subcommand("list", ctx.T("危机事件列表", "list incidents"));
  list->add_option("--state", lo->state, ctx.T("只看此状态", "only in this state"));
  list->add_flag("--json", lo->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, lo] {
    WithEnv(ctx, [&](Env& env) -> Status {
      store::IncidentFilter f;
      f.state = lo->state;
      YQ_ASSIGN_OR_RETURN(auto rows, env.store->ListIncidents(f));
      if (lo->json) {
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

  auto sh = std::make_shared<Common>();
  auto* show = in->add_subcommand("show", ctx.T("查看危机事件：小组、关联、任务、口径、承诺", "show an incident: team, links, tasks, statements, commitments"));
  show->add_option("ID", sh->id, ctx.T("危机事件编号", "incident id"))->required();
  show->add_flag("--json", sh->json, ctx.T("输出 JSON", "print JSON"));
  show->callback([&ctx, sh] {
    WithEnv(ctx, [&](Env& env) -> Status {
      const TimeMs now = env.services->clock().Now();
      YQ_ASSIGN_OR_RETURN(auto r, env.store->GetIncident(sh->id));
      json j = inc::IncidentToJson(r);
      YQ_ASSIGN_OR_RETURN(auto roles, env.store->Roles(r.id));
      j["team"] = json::array();
      for (const auto& ro : roles) j["team"].push_back({{"role", ro.role}, {"person", ro.person}});
      YQ_ASSIGN_OR_RETURN(auto links, env.store->Links(r.id));
      j["links"] = json::array();
      for (const auto& l : links) j["links"].push_back({{"kind", l.kind}, {"ref", l.ref}});
      YQ_ASSIGN_OR_RETURN(auto tasks, env.store->ListTasks(r.id));
      j["tasks"] = json::array();
      for (const auto& t : tasks) j["tasks"].push_back(inc::TaskToJson(t, now));
      YQ_ASSIGN_OR_RETURN(auto sts, env.store->ListStatements(r.id));
      j["statements"] = json::array();
      for (const auto& s : sts) j["statements"].push_back(inc::StatementToJson(s, false));
      YQ_ASSIGN_OR_RETURN(auto cs, env.store->ListCommitments(r.id));
      j["commitments"] = json::array();
      for (const auto& c : cs) j["commitments"].push_back(inc::CommitmentToJson(c, now));
      if (sh->json) PrintJson(j);
      else std::cout << j.dump(2) << "\n";
      return Status::Ok();
    });
  });

  // State transitions: ack, respond, monitor, close, review.
  struct Step {
    const char *name, *state, *help_zh;
  };
  const Step kSteps[] = {{"ack", "acknowledged", "确认危机事件（→ acknowledged 已确认）"},
                         {"respond", "responding", "开始处置（→ responding 处置中）"},
                         {"monitor", "monitoring", "转入监测（→ monitoring 监测中）"},
                         {"close", "closed", "结案（→ closed 已结案）"},
                         {"review", "reviewed", "完成复盘（→ reviewed 已复盘）"}};
  for (const auto& [name, state, help_zh] : kSteps) {
    auto o = std::make_shared<Common>();
    std::string to = state;
    auto* c = in->add_subcommand(name, ctx.zh() ? std::string(help_zh) : std::string("→ ") + state);
    c->add_option("ID", o->id, ctx.T("危机事件编号", "incident id"))->required();
    c->add_option("--by", o->by, ctx.T("操作人", "who"));
    c->add_option("--note", o->note, ctx.T("备注", "note"));
    if (to == "closed")
      c->add_option("--no-response", o->no_response, ctx.T("不发布公开回应即结案，并写明理由", "close without a public statement, for this reason"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
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

  auto lv = std::make_shared<Common>();
  auto* level = in->add_subcommand("level", ctx.T("调整级别：升级或降级，并写明理由", "raise or lower the level, with the reason"));
  level->add_option("ID", lv->id, ctx.T("危机事件编号", "incident id"))->required();
  level->add_option("--to", lv->level, ctx.T("级别：I | II | III | IV", "I | II | III | IV"))->required();
  level->add_option("--reason", lv->reason, ctx.T("理由", "why"))->required();
  level->add_option("--by", lv->by, ctx.T("操作人", "who"));
  level->add_flag("--json", lv->json, ctx.T("输出 JSON", "print JSON"));
  level->callback([&ctx, lv] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto r, env.service->ChangeLevel(lv->id, lv->level, lv->reason, lv->by));
      if (lv->json) PrintJson(inc::IncidentToJson(r));
      else std::cout << r.id << ctx.T(" 级别 ", " level ") << r.level << "\n";
      return Status::Ok();
    });
  });

  auto as = std::make_shared<Common>();
  auto* assign = in->add_subcommand("assign", ctx.T("分配角色：commander（总指挥）、spokesperson（发言人）、analyst（分析员）、media_liaison（媒体联络）、scribe（记录员）、owner（责任人）、legal（法务）", "assign a role: commander, spokesperson, analyst, media_liaison, scribe, owner, legal"));
  assign->add_option("ID", as->id, ctx.T("危机事件编号", "incident id"))->required();
  assign->add_option("--role", as->role, ctx.T("角色", "role"))->required();
  assign->add_option("--person", as->person, ctx.T("人员", "person"))->required();
  assign->add_option("--by", as->by, ctx.T("操作人", "who"));
  assign->callback([&ctx, as] {
    WithEnv(ctx, [&](Env& env) { return env.service->AssignRole(as->id, as->role, as->person, as->by); });
  });

  auto lk = std::make_shared<Common>();
  auto* link = in->add_subcommand("link", ctx.T("关联：关联预警、事件、方案或帖子", "link an alert, event, scheme or post"));
  link->add_option("ID", lk->id, ctx.T("危机事件编号", "incident id"))->required();
  link->add_option("--kind", lk->kind, ctx.T("类型：alert（预警）| event（事件）| scheme（方案）| post（帖子）", "alert | event | scheme | post"))->required();
  link->add_option("--ref", lk->ref, ctx.T("其编号", "its id"))->required();
  link->add_option("--by", lk->by, ctx.T("操作人", "who"));
  link->callback([&ctx, lk] {
    WithEnv(ctx, [&](Env& env) { return env.service->Link(lk->id, lk->kind, lk->ref, lk->by); });
  });

  auto cm = std::make_shared<Common>();
  auto* comm = in->add_subcommand("comm", ctx.T("沟通记录：登记媒体沟通、对公众答复或内部通报", "log a media contact, a reply to the public, an internal notice"));
  comm->add_option("ID", cm->id, ctx.T("危机事件编号", "incident id"))->required();
  comm->add_option("--kind", cm->kind, ctx.T("对象：media（媒体）| public（公众）| internal（内部）", "media | public | internal"))->required();
  comm->add_option("--channel", cm->channel, ctx.T("方式：电话、采访、热线、邮件、会议 …", "phone, interview, hotline, e-mail, meeting ..."));
  comm->add_option("--with", cm->with, ctx.T("沟通对象", "who was contacted"));
  comm->add_option("--content", cm->content, ctx.T("沟通内容", "what was said"));
  comm->add_option("--at", cm->at, ctx.T("时间（默认：现在）", "when (default: now)"));
  comm->add_option("--by", cm->by, ctx.T("操作人", "who"));
  comm->add_flag("--json", cm->json, ctx.T("输出 JSON", "print JSON"));
  comm->callback([&ctx, cm] {
    WithEnv(ctx, [&](Env& env) -> Status {
      store::CommunicationRow row;
      row.incident_id = cm->id;
      row.kind = cm->kind;
      row.channel = cm->channel;
      row.counterpart = cm->with;
      row.content = cm->content;
      row.actor = cm->by;
      if (!cm->at.empty()) {
        auto t = ParseTime(cm->at);
        if (!t.ok()) return Status::Invalid("--at: " + t.status().message());
        row.at = *t;
      }
      YQ_ASSIGN_OR_RETURN(int64_t id, env.service->LogCommunication(row));
      if (cm->json) PrintJson({{"id", id}});
      else std::cout << ctx.T("已记录 ", "logged ") << id << "\n";
      return Status::Ok();
    });
  });

  for (const char* name : {"timeline", "eval"}) {
    auto o = std::make_shared<Common>();
    const bool is_eval = std::string(name) == "eval";
    auto* c = in->add_subcommand(name, is_eval ? ctx.T("评估：逐阶段衡量处置用时", "evaluation: every stage measured")
                                          : ctx.T("时间线：按时间顺序列出全部经过", "timeline: everything in order"));
    c->add_option("ID", o->id, ctx.T("危机事件编号", "incident id"))->required();
    if (is_eval) c->add_option("--window", o->at, ctx.T("口径发布前后的统计窗口（默认 6h）", "window on each side of a statement (default 6h)"));
    c->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
    c->callback([&ctx, o, is_eval] {
      WithEnv(ctx, [&](Env& env) -> Status {
        const TimeMs now = env.services->clock().Now();
        json j;
        if (is_eval) {
          inc::FigureOptions fo;
          if (!o->at.empty()) {
            YQ_ASSIGN_OR_RETURN(fo.window, ParseDuration(o->at));
            if (fo.window <= 0) return Status::Invalid(ctx.T("--window 须大于 0", "--window must be positive"));
          }
          YQ_ASSIGN_OR_RETURN(j, inc::Evaluate(*env.store, o->id, now, fo));
        } else {
          YQ_ASSIGN_OR_RETURN(j, inc::Timeline(*env.store, o->id, now));
        }
        if (o->json) PrintJson(j);
        else std::cout << j.dump(2) << "\n";
        return Status::Ok();
      });
    });
  }
  auto so = std::make_shared<Common>();
  auto* stats = in->add_subcommand("stats", ctx.T("统计：各危机事件的中位数和趋势", "medians and trends across incidents"));
  stats->add_flag("--json", so->json, ctx.T("输出 JSON", "print JSON"));
  stats->callback([&ctx, so] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(json j, inc::Stats(*env.store, env.services->clock().Now()));
      if (so->json) PrintJson(j);
      else std::cout << j.dump(2) << "\n";
      return Status::Ok();
    });
  });
  auto sw = std::make_shared<Common>();
  auto* sweep = in->add_subcommand("sweep", ctx.T("检查期限：对逾期任务和承诺触发一次提醒（serve 会定期执行）", "fire overdue task / commitment hooks once (serve does this periodically)"));
  sweep->add_flag("--json", sw->json, ctx.T("输出 JSON", "print JSON"));
  sweep->callback([&ctx, sw] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto rep, env.service->Sweep());
      json j = {{"tasks_notified", rep.tasks_notified}, {"tasks_escalated", rep.tasks_escalated},
                {"commitments_overdue", rep.commitments_overdue}, {"hook_errors", rep.hook_errors}};
      if (sw->json) PrintJson(j);
      else std::cout << j.dump(2) << "\n";
      return Status::Ok();
    });
  });

  // tasks
  auto* tk = app.add_subcommand("tasks", ctx.T("任务：危机事件预案中的任务", "tasks: the plan tasks of incidents"));
  tk->require_subcommand(1);
  struct TaskOpts {
    int64_t incident = 0, id = 0;
    bool overdue = false, json = false;
    std::string by = DefaultActor(), note;
  };
  auto to = std::make_shared<TaskOpts>();
  auto* tl = tk->add_subcommand("list", ctx.T("任务列表", "list tasks"));
  tl->add_option("--incident", to->incident, ctx.T("危机事件编号（默认：全部）", "incident id (default: all)"));
  tl->add_flag("--overdue", to->overdue, ctx.T("只看已过期限仍未完成的任务", "only open tasks past their deadline"));
  tl->add_flag("--json", to->json, ctx.T("输出 JSON", "print JSON"));
  tl->callback([&ctx, to] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto tasks, env.service->Tasks(to->incident, to->overdue));
      PrintTasks(ctx, tasks, env.services->clock().Now(), to->json);
      return Status::Ok();
    });
  });
  auto td = std::make_shared<TaskOpts>();
  auto* done = tk->add_subcommand("done", ctx.T("完成任务", "mark a task done"));
  done->add_option("ID", td->id, ctx.T("任务编号", "task id"))->required();
  done->add_option("--note", td->note, ctx.T("备注", "note"));
  done->add_option("--by", td->by, ctx.T("操作人", "who"));
  done->add_flag("--json", td->json, ctx.T("输出 JSON", "print JSON"));
  done->callback([&ctx, td] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto t, env.service->CompleteTask(td->id, td->by, td->note));
      if (td->json) PrintJson(inc::TaskToJson(t, env.services->clock().Now()));
      else std::cout << ctx.T("已完成任务 ", "done: task ") << t.id << "\n";
      return Status::Ok();
    });
  });

  // commitments
  auto* cmt = app.add_subcommand("commitments", ctx.T("承诺：已发布口径中作出的承诺", "commitments: promises made in published statements"));
  cmt->require_subcommand(1);
  struct CmOpts {
    int64_t incident = 0, id = 0;
    bool overdue = false, json = false;
    std::string evidence, by = DefaultActor();
  };
  auto clo = std::make_shared<CmOpts>();
  auto* cl = cmt->add_subcommand("list", ctx.T("承诺列表", "list commitments"));
  cl->add_option("--incident", clo->incident, ctx.T("危机事件编号（默认：全部）", "incident id (default: all)"));
  cl->add_flag("--overdue", clo->overdue, ctx.T("只看已到期仍未兑现的承诺", "only unkept promises past their due time"));
  cl->add_flag("--json", clo->json, ctx.T("输出 JSON", "print JSON"));
  cl->callback([&ctx, clo] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto rows, env.service->Commitments(clo->incident, clo->overdue));
      const TimeMs now = env.services->clock().Now();
      if (clo->json) {
        json a = json::array();
        for (const auto& c : rows) a.push_back(inc::CommitmentToJson(c, now));
        PrintJson({{"commitments", a}});
      } else {
        for (const auto& c : rows)
          std::cout << c.id << "  " << (c.due_at ? FormatTime(*c.due_at) : "-") << "  " << c.status << "  " << c.text << "\n";
      }
      return Status::Ok();
    });
  });
  auto ck = std::make_shared<CmOpts>();
  auto* kept = cmt->add_subcommand("kept", ctx.T("兑现承诺：标记承诺已兑现，并附证明", "mark a promise kept, with the evidence"));
  kept->add_option("ID", ck->id, ctx.T("承诺编号", "commitment id"))->required();
  kept->add_option("--evidence", ck->evidence, ctx.T("证明已兑现的网址（URL）", "URL showing it was kept"))->required();
  kept->add_option("--by", ck->by, ctx.T("操作人", "who"));
  kept->add_flag("--json", ck->json, ctx.T("输出 JSON", "print JSON"));
  kept->callback([&ctx, ck] {
    WithEnv(ctx, [&](Env& env) -> Status {
      YQ_ASSIGN_OR_RETURN(auto c, env.service->KeepCommitment(ck->id, ck->evidence, ck->by));
      if (ck->json) PrintJson(inc::CommitmentToJson(c, env.services->clock().Now()));
      else std::cout << ctx.T("已兑现承诺 ", "kept: commitment ") << c.id << "\n";
      return Status::Ok();
    });
  });
}

}  // namespace

void RegisterIncidentCommands(CLI::App& app, Context& ctx) {
  RegisterStatement(app, ctx);
  RegisterResponseCommands(app, ctx);
  RegisterPlans(app, ctx);
  RegisterLifecycle(app, ctx);
}

}  // namespace yuqing::cli

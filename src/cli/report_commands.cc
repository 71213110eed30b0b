// yuqing report daily|weekly|event|incident: the briefs and reviews of issue 17 (src/report/).
#include <iostream>

#include "app/event_forecast.h"
#include "cli/context.h"
#include "cli/response_commands.h"
#include "report/output.h"
#include "report/render.h"
#include "report/renderers.h"
#include "report/report.h"
#include "report/schedule.h"
#include "store/outbox_store.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

struct ReportOpts {
  std::string date, week, scheme, department, format = "html", out, template_file;
  int64_t event = 0, incident = 0;
  bool json = false;
};

Status RunReport(Context& ctx, report::Kind kind, const ReportOpts& o) {
  YQ_ASSIGN_OR_RETURN(report::Format format, report::ParseFormat(o.format));
  report::Request req;
  req.kind = kind;
  req.scheme = o.scheme;
  req.department = o.department;
  req.event_id = o.event;
  req.incident_id = o.incident;
  if (kind == report::Kind::kDaily) {
    YQ_ASSIGN_OR_RETURN(req.period, report::DayPeriod(o.date));
  } else if (kind == report::Kind::kWeekly) {
    YQ_ASSIGN_OR_RETURN(req.period, report::WeekPeriod(o.week));
  }
  // A missing converter is said before any work, in the user's language, with what to install.
  if (format == report::Format::kPdf || format == report::Format::kDocx) {
    if (!report::FindChromium().ok())
      return Status::Unavailable(ctx.T("未找到 chromium，无法生成 PDF/DOCX（图表）：请安装 Debian 软件包 chromium（apt-get install chromium）"
                                       "或设置 $YUQING_CHROMIUM；--format html 不需要它",
                                       "no chromium for PDF/DOCX charts: install the Debian package chromium (apt-get install chromium) "
                                       "or set $YUQING_CHROMIUM; --format html works without it"));
  }
  if (format == report::Format::kDocx && !report::FindPandoc().ok())
    return Status::Unavailable(ctx.T("未找到 pandoc，无法生成 DOCX：请安装 Debian 软件包 pandoc（apt-get install pandoc）；--format html 不需要它",
                                     "no pandoc for DOCX: install the Debian package pandoc (apt-get install pandoc); --format html works without it"));
  report::RenderOptions render;
  render.lang = ctx.lang;
  if (!o.template_file.empty()) {
    auto t = report::ReadTextFile(o.template_file);
    if (!t.ok()) return Status::Invalid("--template: " + t.status().message());
    render.template_text = std::move(t).value();
  }
  if (format != report::Format::kJson) report::FindChartAssets(render);
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  // The same clock as `incidents eval` ($YUQING_NOW when set), so overdue means the same.
  YQ_RETURN_IF_ERROR(ApplyIncidentClock(*s));
  YQ_ASSIGN_OR_RETURN(auto model, s->cascade_model());
  report::Inputs in;
  in.db = &s->db();
  in.now = s->clock().Now();
  in.forecast = [db = in.db, model](const analysis::EventRecord& e) -> Result<json> {
    YQ_ASSIGN_OR_RETURN(auto fc, app::ForecastEvent(*db, e, model.get()));
    return app::ForecastToJson(fc, e.last_seen);
  };
  YQ_ASSIGN_OR_RETURN(json data, report::BuildReport(in, req));
  std::string out = o.out;
  if (out.empty()) {
    std::string name = kind == report::Kind::kDaily ? o.date : kind == report::Kind::kWeekly ? o.week
                     : kind == report::Kind::kEvent ? "event-" + std::to_string(o.event)
                                                    : "incident-" + std::to_string(o.incident);
    out = std::string("report-") + report::KindName(kind) + "-" + name + "." + report::FormatExtension(format);
  }
  YQ_RETURN_IF_ERROR(report::WriteReport(data, format, render, out));
  if (o.json) {
    PrintJson({{"out", out}, {"format", o.format}, {"kind", report::KindName(kind)}, {"period", data["period"]},
               {"posts", data["posts"]}, {"charts", format == report::Format::kJson || !render.echarts_js.empty()}});
  } else {
    std::cout << ctx.T("已生成报告：", "report written: ") << out << ctx.T("（", " (") << data["posts"].get<int64_t>()
              << ctx.T(" 条信息）", " posts)") << "\n";
    if (format != report::Format::kJson && render.echarts_js.empty())
      std::cerr << ctx.T("提示: 未找到 ECharts（在 web/ 运行 npm ci 或设置 $YUQING_ECHARTS），报告中没有图表\n",
                         "note: ECharts not found (run npm ci in web/ or set $YUQING_ECHARTS); the report has no charts\n");
  }
  return Status::Ok();
}

void AddCommon(CLI::App* c, Context& ctx, ReportOpts& o, bool scoped) {
  if (scoped) {
    c->add_option("--scheme", o.scheme, ctx.T("只统计此监测方案（名称或编号）的信息", "only the posts of this scheme (name or id)"));
    c->add_option("--department", o.department, ctx.T("只统计此部门各方案的信息", "only the posts of this department's schemes"));
  }
  c->add_option("--format", o.format, ctx.T("格式：html（默认）、pdf、docx 或 json（报告数据）", "html (default), pdf, docx or json (the report's data)"))
      ->check(CLI::IsMember({"json", "html", "pdf", "docx"}));
  c->add_option("--out", o.out, ctx.T("输出文件（默认：当前目录下 report-<类型>-<时段>.<格式>）", "output file (default: report-<kind>-<period>.<format> here)"));
  c->add_option("--template", o.template_file,
                ctx.T("自定义 mustache 模板（复制 share/report/report.zh.mustache 修改）", "your own mustache template (copy share/report/report.en.mustache)"));
  c->add_flag("--json", o.json, ctx.T("以 JSON 输出结果摘要", "print a JSON summary of what was written"));
}

}  // namespace

void RegisterExportCommand(CLI::App& app, Context& ctx);  // export_command.cc

namespace {

struct ScheduleOpts {
  std::string kind = "daily", at = "08:00", to, now;
  int64_t id = 0;
  bool json = false;
};

nlohmann::json ScheduleJson(const report::Schedule& s) {
  return {{"id", s.id}, {"kind", s.kind}, {"at", report::FormatClock(s.at_minutes)}, {"to", s.department},
          {"created_at", FormatTime(s.created_at)}};
}

Status OpenSchedules(Context& ctx, std::unique_ptr<report::ScheduleStore>& out) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_RETURN_IF_ERROR(ApplyIncidentClock(*s));
  YQ_ASSIGN_OR_RETURN(out, report::ScheduleStore::Open(s->db()));
  return Status::Ok();
}

// report schedule add|list|remove|run.
void RegisterSchedule(CLI::App* rep, Context& ctx) {
  auto* sc = rep->add_subcommand("schedule", ctx.T("定时推送报告：到点把日报/周报摘要和链接发给部门（经发件箱，每期只发一次）",
                                                   "scheduled reports: the brief's summary and link to a department (through the outbox, once per period)"));
  sc->require_subcommand(1);
  auto o = std::make_shared<ScheduleOpts>();
  auto* add = sc->add_subcommand("add", ctx.T("新增定时推送", "add a schedule"));
  add->add_option("--kind", o->kind, ctx.T("daily（日报，次日发送）或 weekly（周报，下周一发送）", "daily (sent the next day) or weekly (sent on Monday)"))
      ->check(CLI::IsMember({"daily", "weekly"}));
  add->add_option("--at", o->at, ctx.T("发送时间 HH:MM（北京时间，默认 08:00）", "time of day HH:MM (UTC+8, default 08:00)"));
  add->add_option("--to", o->to, ctx.T("接收部门（其联系人）", "the department (its contacts)"))->required();
  add->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  add->callback([&ctx, o] {
    auto run = [&]() -> Status {
      std::unique_ptr<report::ScheduleStore> store;
      YQ_RETURN_IF_ERROR(OpenSchedules(ctx, store));
      report::Schedule s;
      s.kind = o->kind;
      YQ_ASSIGN_OR_RETURN(s.at_minutes, report::ParseClock(o->at));
      s.department = o->to;
      YQ_ASSIGN_OR_RETURN(auto ob, store::OutboxStore::Open(ctx.services()->db()));
      YQ_ASSIGN_OR_RETURN(auto dep, ob->GetDepartment(o->to));
      if (!dep) return Status::NotFound("--to: no department " + o->to + " (yuqing departments add)");
      s.created_at = ctx.services()->clock().Now();
      YQ_ASSIGN_OR_RETURN(s.id, store->Add(s));
      if (o->json) PrintJson(ScheduleJson(s));
      else std::cout << ctx.T("已添加定时推送 ", "schedule added: ") << s.id << "\n";
      return Status::Ok();
    };
    if (Status st = run(); !st.ok()) ctx.Fail(st);
  });
  auto lo = std::make_shared<ScheduleOpts>();
  auto* list = sc->add_subcommand("list", ctx.T("列出定时推送", "list schedules"));
  list->add_flag("--json", lo->json, ctx.T("输出 JSON", "print JSON"));
  list->callback([&ctx, lo] {
    auto run = [&]() -> Status {
      std::unique_ptr<report::ScheduleStore> store;
      YQ_RETURN_IF_ERROR(OpenSchedules(ctx, store));
      YQ_ASSIGN_OR_RETURN(auto all, store->List());
      nlohmann::json items = nlohmann::json::array();
      for (const auto& s : all) {
        items.push_back(ScheduleJson(s));
        if (!lo->json) std::cout << s.id << "\t" << s.kind << "\t" << report::FormatClock(s.at_minutes) << "\t" << s.department << "\n";
      }
      if (lo->json) PrintJson({{"items", items}});
      return Status::Ok();
    };
    if (Status st = run(); !st.ok()) ctx.Fail(st);
  });
  auto ro = std::make_shared<ScheduleOpts>();
  auto* rm = sc->add_subcommand("remove", ctx.T("删除定时推送", "remove a schedule"));
  rm->add_option("id", ro->id, ctx.T("编号", "schedule id"))->required();
  rm->add_flag("--json", ro->json, ctx.T("输出 JSON", "print JSON"));
  rm->callback([&ctx, ro] {
    auto run = [&]() -> Status {
      std::unique_ptr<report::ScheduleStore> store;
      YQ_RETURN_IF_ERROR(OpenSchedules(ctx, store));
      YQ_RETURN_IF_ERROR(store->Remove(ro->id));
      if (ro->json) PrintJson({{"removed", ro->id}});
      else std::cout << ctx.T("已删除 ", "removed ") << ro->id << "\n";
      return Status::Ok();
    };
    if (Status st = run(); !st.ok()) ctx.Fail(st);
  });
  auto uo = std::make_shared<ScheduleOpts>();
  auto* now = sc->add_subcommand("run", ctx.T("立即发送到期未发的报告（serve 每 30 秒自动执行；适合 cron）",
                                             "send the due reports not sent yet (serve does this every 30 s; for cron)"));
  now->add_option("--public-url", uo->to, ctx.T("报告链接中的看板地址，如 http://host:8080/", "the dashboard's address for the link, e.g. http://host:8080/"));
  now->add_flag("--json", uo->json, ctx.T("输出 JSON", "print JSON"));
  now->callback([&ctx, uo] {
    auto run = [&]() -> Status {
      std::unique_ptr<report::ScheduleStore> store;
      YQ_RETURN_IF_ERROR(OpenSchedules(ctx, store));
      auto* s = ctx.services();
      YQ_ASSIGN_OR_RETURN(auto rep, report::DeliverDue(s->db(), s->clock().Now(), uo->to, s->data_dir() + "/reports"));
      if (uo->json) PrintJson({{"due", rep.schedules}, {"enqueued", rep.enqueued}});
      else std::cout << ctx.T("到期 ", "due: ") << rep.schedules << ctx.T("，新入发件箱 ", ", enqueued: ") << rep.enqueued << "\n";
      return Status::Ok();
    };
    if (Status st = run(); !st.ok()) ctx.Fail(st);
  });
}

}  // namespace

void RegisterReportCommands(CLI::App& app, Context& ctx) {
  RegisterExportCommand(app, ctx);
  auto* rep = app.add_subcommand("report", ctx.T("报告：日报、周报、专报、复盘（HTML、PDF、DOCX、JSON）",
                                                 "reports: daily, weekly, event and incident review (HTML, PDF, DOCX, JSON)"));
  rep->require_subcommand(1);
  RegisterSchedule(rep, ctx);
  struct Spec {
    const char* name;
    report::Kind kind;
    const char* zh;
    const char* en;
  };
  for (const Spec& sp : {Spec{"daily", report::Kind::kDaily, "舆情日报：某一天（北京时间）的舆情", "daily brief: one day (UTC+8)"},
                         Spec{"weekly", report::Kind::kWeekly, "舆情周报：某一 ISO 周（周一至周日）", "weekly brief: one ISO week (Monday to Sunday)"},
                         Spec{"event", report::Kind::kEvent, "舆情专报：一个事件的全过程", "special report on one event"},
                         Spec{"incident", report::Kind::kIncident, "复盘报告：一次事件处置的全过程评估", "review of one incident"}}) {
    auto o = std::make_shared<ReportOpts>();
    auto* c = rep->add_subcommand(sp.name, ctx.T(sp.zh, sp.en));
    switch (sp.kind) {
      case report::Kind::kDaily:
        c->add_option("--date", o->date, ctx.T("日期 YYYY-MM-DD", "the day, YYYY-MM-DD"))->required();
        break;
      case report::Kind::kWeekly:
        c->add_option("--week", o->week, ctx.T("ISO 周，如 2026-W49", "ISO week, e.g. 2026-W49"))->required();
        break;
      case report::Kind::kEvent:
        c->add_option("--event", o->event, ctx.T("事件编号（events list）", "event id (events list)"))->required();
        break;
      case report::Kind::kIncident:
        c->add_option("--incident", o->incident, ctx.T("处置事件编号（incidents list）", "incident id (incidents list)"))->required();
        break;
    }
    const bool scoped = sp.kind == report::Kind::kDaily || sp.kind == report::Kind::kWeekly;
    AddCommon(c, ctx, *o, scoped);
    c->callback([&ctx, o, kind = sp.kind] {
      if (Status st = RunReport(ctx, kind, *o); !st.ok()) {
        ctx.Fail(st);
        // A missing converter is the user's to fix (install it): exit 2, as for bad input.
        if (st.code() == Code::kUnavailable) ctx.exit_code = 2;
      }
    });
  }
}

}  // namespace yuqing::cli

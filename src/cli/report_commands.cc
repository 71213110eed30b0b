// yuqing report daily|weekly|event|incident: the briefs and reviews of issue 17 (src/report/).
#include <iostream>

#include "app/event_forecast.h"
#include "cli/context.h"
#include "cli/response_commands.h"
#include "report/output.h"
#include "report/render.h"
#include "report/renderers.h"
#include "report/report.h"

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
  if (format != report::Format::kJson) render.echarts_js = report::FindEcharts();
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

void RegisterReportCommands(CLI::App& app, Context& ctx) {
  RegisterExportCommand(app, ctx);
  auto* rep = app.add_subcommand("report", ctx.T("报告：日报、周报、专报、复盘（HTML、PDF、DOCX、JSON）",
                                                 "reports: daily, weekly, event and incident review (HTML, PDF, DOCX, JSON)"));
  rep->require_subcommand(1);
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

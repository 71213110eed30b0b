// yuqing export posts --query Q | --event ID | --scheme NAME --format csv|xlsx --out FILE:
// an analyst's export of posts (src/report/export.h), with a progress bar.
#include <unistd.h>

#include <iostream>

#include "app/pipeline.h"
#include "cli/context.h"
#include "cli/progress.h"
#include "report/export.h"
#include "rules/fts_query.h"
#include "store/event_store.h"
#include "store/post_store.h"
#include "store/scheme_store.h"

namespace yuqing::cli {
namespace {

struct ExportOpts {
  std::string query, scheme, from, to, format = "csv", out;
  int64_t event = 0;
  bool json = false;
};

Status RunExport(Context& ctx, const ExportOpts& o) {
  YQ_ASSIGN_OR_RETURN(report::ExportFormat format, report::ParseExportFormat(o.format));
  const int given = !o.query.empty() + (o.event > 0) + !o.scheme.empty();
  if (given != 1) return Status::Invalid(ctx.T("须且只能给出 --query、--event、--scheme 之一", "give exactly one of --query, --event, --scheme"));
  if (o.out.empty()) return Status::Invalid(ctx.T("--out: 须给出输出文件", "--out: the output file is required"));
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  store::SearchQuery q;
  if (!o.from.empty()) {
    auto t = ParseTime(o.from);
    if (!t.ok()) return Status::Invalid("--from: " + t.status().message());
    q.from = *t;
  }
  if (!o.to.empty()) {
    auto t = ParseTime(o.to);
    if (!t.ok()) return Status::Invalid("--to: " + t.status().message());
    q.to = *t;
  }
  YQ_ASSIGN_OR_RETURN(auto db, app::OpenStoreConnection(*s));
  YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(*db));
  int64_t total = -1;
  if (!o.query.empty()) {
    YQ_ASSIGN_OR_RETURN(auto norm, s->normalizer());
    rules::ParseError err;
    auto match = rules::ToFtsMatch(o.query, *norm, &err);
    if (!match.ok()) return Status::Invalid("--query: " + (ctx.zh() ? "检索式有误，" + err.Message(true) : err.Message(false)));
    q.text = o.query;
    q.match = std::move(*match);
  } else if (o.event > 0) {
    YQ_ASSIGN_OR_RETURN(auto events, store::EventStore::Open(*db));
    auto e = events->Get(o.event, true);
    if (!e.ok()) return e.status().code() == Code::kNotFound ? Status::NotFound("--event: no event " + std::to_string(o.event)) : e.status();
    q.event_id = e->id;
    total = e->posts;
  } else {
    YQ_ASSIGN_OR_RETURN(auto schemes, store::SchemeStore::Open(*db));
    YQ_ASSIGN_OR_RETURN(auto sc, schemes->GetByName(o.scheme));
    if (!sc) {
      int64_t id = std::atoll(o.scheme.c_str());
      if (id > 0) {
        YQ_ASSIGN_OR_RETURN(sc, schemes->Get(id));
      }
    }
    if (!sc) return Status::NotFound("--scheme: no scheme " + o.scheme);
    q.scheme_id = sc->id;
  }
  if (total < 0) {  // a first page tells the total when counting is cheap
    store::SearchQuery first = q;
    first.limit = 1;
    YQ_ASSIGN_OR_RETURN(auto r, posts->Search(first));
    total = r.total;
  }
  Progress bar(ctx.T("导出", "export"), total > 0 ? total : 0, !o.json && isatty(STDERR_FILENO),
               ctx.zh() ? ProgressWords{} : ProgressWords{"elapsed", "left"});
  YQ_ASSIGN_OR_RETURN(report::ExportResult r,
                      report::ExportPosts(*posts, q, format, o.out, ctx.zh(),
                                          [&bar](int64_t rows) { bar.Update(rows, std::to_string(rows)); }));
  bar.Finish();
  if (o.json) {
    PrintJson({{"out", o.out}, {"format", o.format}, {"rows", r.rows}, {"truncated", r.truncated}});
  } else {
    std::cout << ctx.T("已导出 ", "exported ") << r.rows << ctx.T(" 条帖子到 ", " posts to ") << o.out << "\n";
    if (r.truncated) std::cout << ctx.T("提示: 已达单表行数上限，其余未导出\n", "note: the sheet's row limit was reached; the rest was left out\n");
  }
  return Status::Ok();
}

}  // namespace

void RegisterExportCommand(CLI::App& app, Context& ctx) {
  auto* ex = app.add_subcommand("export", ctx.T("导出：帖子导出为 CSV 或 Excel（XLSX）", "export: posts as CSV or Excel (XLSX)"));
  ex->require_subcommand(1);
  auto o = std::make_shared<ExportOpts>();
  auto* c = ex->add_subcommand("posts", ctx.T("导出一次检索、一个事件或一个监测方案的帖子", "the posts of a search, an event or a scheme"));
  c->add_option("--query", o->query, ctx.T("检索式（同 yuqing search）", "a query (as in yuqing search)"));
  c->add_option("--event", o->event, ctx.T("事件编号", "event id"));
  c->add_option("--scheme", o->scheme, ctx.T("监测方案名称或编号", "scheme name or id"));
  c->add_option("--from", o->from, ctx.T("发布时间不早于（ISO 8601）", "published at or after (ISO 8601)"));
  c->add_option("--to", o->to, ctx.T("发布时间早于（ISO 8601）", "published before (ISO 8601)"));
  c->add_option("--format", o->format, ctx.T("格式：csv（默认）或 xlsx", "csv (default) or xlsx"))->check(CLI::IsMember({"csv", "xlsx"}));
  c->add_option("--out", o->out, ctx.T("输出文件", "output file"))->required();
  c->add_flag("--json", o->json, ctx.T("以 JSON 输出结果摘要", "print a JSON summary"));
  c->callback([&ctx, o] {
    if (Status st = RunExport(ctx, *o); !st.ok()) ctx.Fail(st);
  });
}

}  // namespace yuqing::cli

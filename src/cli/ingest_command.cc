// yuqing ingest FILE... | --url URL [--every 5m]
#include <sys/stat.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/context.h"
#include "cli/db_ingest.h"
#include "cli/watch_ingest.h"
#include "cli/file_plan.h"
#include "cli/ingest_runner.h"
#include "cli/progress.h"
#include "ingest/feed_poller.h"
#include "ingest/table_mapping.h"

namespace yuqing::cli {
namespace {

struct IngestOpts {
  std::vector<std::string> files;
  std::string url;
  std::string from;  // a crawler's database: sqlite:PATH or mysql://...
  std::string watch;  // a folder crawlers write into
  std::string every;
  bool json = false;
  IngestFlags flags;
};

void PrintCounts(Context& ctx, const app::Counts& c, bool json) {
  if (json) {
    PrintJson({{"stored", c.stored}, {"duplicates", c.duplicates}, {"quarantined", c.quarantined}});
  } else {
    std::cout << ctx.T("已入库 ", "stored ") << c.stored << ctx.T("，重复 ", ", duplicates ") << c.duplicates
              << ctx.T("，隔离 ", ", quarantined ") << c.quarantined << std::endl;
    if (c.quarantined > 0)
      std::cout << ctx.T("查看隔离记录: yuqing quarantine list", "see the quarantine: yuqing quarantine list") << std::endl;
  }
}

Status IngestFiles(Context& ctx, app::Pipeline& pipeline, IngestOpts& o, const FilePlan& plan) {
  int64_t total_bytes = 0;
  for (const auto& job : plan.jobs) {
    struct stat st{};
    if (job.path != "-" && stat(job.path.c_str(), &st) != 0)
      return Status::NotFound(std::string(ctx.T("无法打开文件 ", "cannot open ")) + job.path);
    total_bytes += st.st_size;
  }
  Progress progress(ctx.T("入库", "ingest"), total_bytes, !o.json,
                    {ctx.T("已用", "elapsed"), ctx.T("剩余", "left")});
  BatchFeeder feeder(pipeline, o.flags.batch);
  int64_t done_bytes = 0;
  for (const auto& job : plan.jobs) {
    const std::string& f = job.path;
    IngestFlags flags = o.flags;
    flags.format = job.container == "xlsx" ? "auto" : job.container;
    YQ_ASSIGN_OR_RETURN(auto ropts, MakeReadOptions(flags, ctx.services()->clock().Now()));
    ropts.adapter = job.adapter;
    int64_t n = 0;
    auto read = [&](const ingest::ItemSink& sink) {
      return job.container == "xlsx" ? ingest::ReadXlsxFile(f, job.sheet, ropts, sink) : ingest::ReadFile(f, ropts, sink);
    };
    YQ_RETURN_IF_ERROR(read([&](ingest::Item& item) -> Status {
      if (!item.ok && !job.vendor.empty()) item.bad.format = job.vendor;  // see NeedsSourceToRetry
      YQ_RETURN_IF_ERROR(feeder.Add(item));
      if (++n % 2000 == 0) {  // by byte offset: the percentage moves within a file
        const auto& c = pipeline.counts();
        progress.Update(done_bytes + item.offset,
                        std::to_string(c.stored + c.duplicates + c.quarantined) + ctx.T(" 条", " posts"));
      }
      return Status::Ok();
    }));
    YQ_RETURN_IF_ERROR(feeder.Flush());
    struct stat st{};
    if (f != "-" && stat(f.c_str(), &st) == 0) done_bytes += st.st_size;
    progress.Update(done_bytes);
  }
  progress.Finish();
  return Status::Ok();
}

Status PollFeed(Context& ctx, app::Pipeline& pipeline, IngestOpts& o) {
  TimeMs every = 0;
  if (!o.every.empty()) {
    YQ_ASSIGN_OR_RETURN(every, ParseDuration(o.every));
    if (every < kSecond) return Status::Invalid(ctx.T("--every 至少为 1s", "--every must be at least 1s"));
  }
  ingest::FeedState state;
  while (true) {
    auto fetched = ingest::FetchFeed(o.url, state);
    if (!fetched.ok()) {
      if (every == 0) return fetched.status();
      std::cerr << ctx.T("抓取失败，稍后重试: ", "fetch failed, will retry: ") << fetched.status().message() << std::endl;
    } else if (!fetched->not_modified) {
      auto before = pipeline.counts();
      YQ_ASSIGN_OR_RETURN(auto ropts, MakeReadOptions(o.flags, ctx.services()->clock().Now()));
      if (o.flags.format == "auto") ropts.format = ingest::Format::kFeed;
      BatchFeeder feeder(pipeline, o.flags.batch);
      YQ_RETURN_IF_ERROR(ingest::ReadBuffer(fetched->body, o.url, ropts,
                                            [&](ingest::Item& it) { return feeder.Add(it); }));
      YQ_RETURN_IF_ERROR(feeder.Flush());
      if (every) {
        auto c = pipeline.counts();
        app::Counts d{c.stored - before.stored, c.duplicates - before.duplicates, c.quarantined - before.quarantined};
        PrintCounts(ctx, d, o.json);
      }
    } else if (every && !o.json) {
      std::cerr << ctx.T("未变化 (304)", "not modified (304)") << std::endl;
    }
    if (every == 0) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(every));  // the polling interval itself
  }
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<IngestOpts>();
  auto* cmd = app.add_subcommand("ingest", ctx.T("入库：读取 JSON Lines、JSON、CSV、RSS/Atom 文件或订阅源 URL 中的帖子", "read posts from JSON Lines, JSON, CSV, RSS/Atom files or a feed URL"));
  cmd->add_option("files", o->files, ctx.T("要读取的文件或文件夹（- 表示标准输入）", "files to read, or folders (- for stdin)"));
  cmd->add_option("--url", o->url, ctx.T("抓取 RSS/Atom 订阅源", "poll an RSS/Atom feed"));
  cmd->add_option("--from", o->from, ctx.T("读取 MediaCrawler 的数据库（只读、增量）：sqlite:路径 或 mysql://用户:密码@主机:端口/库名", "read MediaCrawler's database (read-only, incremental): sqlite:PATH or mysql://user:pass@host:port/db"));
  cmd->add_option("--watch", o->watch, ctx.T("持续监视文件夹（inotify）：每条记录只读一次，重启后接着读，正在写的文件不读半行；Ctrl-C 结束", "follow a folder (inotify): every record once, across restarts, never half a line of a file being written; Ctrl-C stops"));
  cmd->add_option("--every", o->every, ctx.T("配合 --url：按此间隔持续抓取（如 5m）", "with --url: keep polling at this interval (e.g. 5m)"));
  cmd->add_option("--format", o->flags.format, ctx.T("格式：auto（自动，含下列爬虫格式的识别）、jsonl、json、csv、rss、atom；爬虫输出：mediacrawler、weibo（微博 API 的 status）、weibo-crawler", "auto (also recognises the crawler formats below), jsonl, json, csv, rss, atom; crawler outputs: mediacrawler, weibo (Weibo API statuses), weibo-crawler"))->capture_default_str();
  cmd->add_option("--encoding", o->flags.encoding, ctx.T("编码：auto（自动识别 UTF-8、GBK）、utf-8、gbk", "auto (UTF-8, GBK detected), utf-8, gbk"))->capture_default_str();
  cmd->add_option("--source", o->flags.source, ctx.T("记录未写来源时使用的来源（weibo、news …）", "source for records that name none (weibo, news, ...)"));
  cmd->add_option("--map", o->flags.maps, ctx.T("CSV 列名=字段，如 --map 正文=text --map 发布时间=published_at；或一个映射文件 --map mapping.yaml（CSV/XLSX 表格，见 docs/sources.md）", "CSV column=field, e.g. --map 正文=text --map 发布时间=published_at; or one mapping file --map mapping.yaml (CSV/XLSX tables, see docs/sources.md)"));
  cmd->add_option("--batch", o->flags.batch, ctx.T("每个事务写入的记录数", "records per transaction"))->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_flag("--json", o->json, ctx.T("输出 {\"stored\":N,\"duplicates\":N,\"quarantined\":N}", "print {\"stored\":N,\"duplicates\":N,\"quarantined\":N}"));
  cmd->callback([&ctx, o] {
    if (int(!o->files.empty()) + int(!o->url.empty()) + int(!o->from.empty()) + int(!o->watch.empty()) != 1) {
      ctx.Fail(Status::Invalid(ctx.T("请给出文件或文件夹、--url、--from 或 --watch（四选一）", "give files or folders, --url, --from or --watch (one of them)")));
      return;
    }
    // Planned before the pipeline starts (it replays the store first): a missing path or a file
    // the format cannot place stops here, with nothing stored.
    FilePlan plan;
    auto mapping = TakeMappingFile(o->flags.maps);
    if (!mapping.ok()) return ctx.Fail(mapping.status());
    if (!o->files.empty()) {
      auto planned = PlanFiles(o->files, o->flags.format, o->flags.source, *mapping);
      if (!planned.ok()) {
        if (planned.status().code() == Code::kNotFound)
          return ctx.Fail(Status::NotFound(ctx.T("无法打开 ", "cannot open ") + planned.status().message().substr(12)));
        return ctx.Fail(planned.status());
      }
      plan = std::move(planned).value();
      if (!o->json && !plan.profiles.empty())
        std::cerr << ctx.T("读取作者资料（粉丝数、认证）: ", "read creator profiles (followers, verified): ")
                  << plan.profiles.size() << ctx.T(" 个文件", " files") << std::endl;
    }
    auto* s = ctx.services();
    if (!s) return;
    if (!o->watch.empty()) BlockStopSignals();  // before the pipeline's threads start
    auto pipeline = app::Pipeline::Create(*s);
    if (!pipeline.ok()) return ctx.Fail(pipeline.status());
    WatchOptions w{o->watch, o->flags.format, o->flags, o->json};
    Status st = !o->watch.empty() ? WatchFolder(ctx, **pipeline, w)
                : !o->from.empty() ? IngestFromDb(ctx, **pipeline, o->from, o->flags, o->json)
                : o->url.empty() ? IngestFiles(ctx, **pipeline, *o, plan)
                                 : PollFeed(ctx, **pipeline, *o);
    if (!st.ok()) {
      // What was committed before the failure stays stored; say how far we got (nothing to say
      // when nothing was read, e.g. a missing file).
      const auto& c = (*pipeline)->counts();
      if (c.stored + c.duplicates + c.quarantined > 0) PrintCounts(ctx, c, o->json);
      return ctx.Fail(st);
    }
    if (o->url.empty() || o->every.empty()) PrintCounts(ctx, (*pipeline)->counts(), o->json);
  });
}

}  // namespace yuqing::cli

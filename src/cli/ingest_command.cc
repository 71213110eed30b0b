// yuqing ingest FILE... | --url URL [--every 5m]
#include <sys/stat.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/context.h"
#include "cli/ingest_runner.h"
#include "cli/progress.h"
#include "ingest/feed_poller.h"

namespace yuqing::cli {
namespace {

struct IngestOpts {
  std::vector<std::string> files;
  std::string url;
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

Status IngestFiles(Context& ctx, app::Pipeline& pipeline, IngestOpts& o) {
  int64_t total_bytes = 0;
  for (const auto& f : o.files) {
    struct stat st{};
    if (f != "-" && stat(f.c_str(), &st) != 0)
      return Status::NotFound(std::string(ctx.T("无法打开文件 ", "cannot open ")) + f);
    total_bytes += st.st_size;
  }
  Progress progress(ctx.T("入库", "ingest"), total_bytes, !o.json,
                    {ctx.T("已用", "elapsed"), ctx.T("剩余", "left")});
  BatchFeeder feeder(pipeline, o.flags.batch);
  int64_t done_bytes = 0;
  for (const auto& f : o.files) {
    YQ_ASSIGN_OR_RETURN(auto ropts, MakeReadOptions(o.flags, ctx.services()->clock().Now()));
    int64_t n = 0;
    YQ_RETURN_IF_ERROR(ingest::ReadFile(f, ropts, [&](ingest::Item& item) -> Status {
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
  cmd->add_option("files", o->files, ctx.T("要读取的文件（- 表示标准输入）", "files to read (- for stdin)"));
  cmd->add_option("--url", o->url, ctx.T("抓取 RSS/Atom 订阅源", "poll an RSS/Atom feed"));
  cmd->add_option("--every", o->every, ctx.T("配合 --url：按此间隔持续抓取（如 5m）", "with --url: keep polling at this interval (e.g. 5m)"));
  cmd->add_option("--format", o->flags.format, ctx.T("格式：auto（自动）、jsonl、json、csv、rss、atom", "auto, jsonl, json, csv, rss, atom"))->capture_default_str();
  cmd->add_option("--encoding", o->flags.encoding, ctx.T("编码：auto（自动识别 UTF-8、GBK）、utf-8、gbk", "auto (UTF-8, GBK detected), utf-8, gbk"))->capture_default_str();
  cmd->add_option("--source", o->flags.source, ctx.T("记录未写来源时使用的来源（weibo、news …）", "source for records that name none (weibo, news, ...)"));
  cmd->add_option("--map", o->flags.maps, ctx.T("CSV 列名=字段，如 --map 正文=text --map 发布时间=published_at", "CSV column=field, e.g. --map 正文=text --map 发布时间=published_at"));
  cmd->add_option("--batch", o->flags.batch, ctx.T("每个事务写入的记录数", "records per transaction"))->capture_default_str()->check(CLI::Range(1, 100000));
  cmd->add_flag("--json", o->json, ctx.T("输出 {\"stored\":N,\"duplicates\":N,\"quarantined\":N}", "print {\"stored\":N,\"duplicates\":N,\"quarantined\":N}"));
  cmd->callback([&ctx, o] {
    if (o->files.empty() == o->url.empty()) {
      ctx.Fail(Status::Invalid(ctx.T("请给出文件，或 --url（二选一）", "give files or --url (one of them)")));
      return;
    }
    for (const auto& f : o->files) {  // before the pipeline starts (it replays the store first)
      struct stat st{};
      if (f != "-" && stat(f.c_str(), &st) != 0)
        return ctx.Fail(Status::NotFound(std::string(ctx.T("无法打开文件 ", "cannot open ")) + f));
    }
    auto* s = ctx.services();
    if (!s) return;
    auto pipeline = app::Pipeline::Create(*s);
    if (!pipeline.ok()) return ctx.Fail(pipeline.status());
    Status st = o->url.empty() ? IngestFiles(ctx, **pipeline, *o) : PollFeed(ctx, **pipeline, *o);
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

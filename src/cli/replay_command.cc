// yuqing replay FILE... --speed 60|max: feeds a recorded stream through the ingest path in time
// order, with each post's timestamp as the clock, so later stages see time pass. Incident
// deadlines are swept on the same clock (incident::StreamSweeper): a task or commitment that
// passes its deadline inside the stream is notified and escalated through the outbox at the
// deadline's stream time, as `serve` would at that moment.
#include <iostream>

#include "cli/context.h"
#include "cli/ingest_runner.h"
#include "cli/progress.h"
#include "cli/stream_replay.h"

namespace yuqing::cli {
namespace {

struct ReplayOpts {
  std::vector<std::string> files;
  std::string speed = "max";
  bool json = false;
  IngestFlags flags;
};

Status Run(Context& ctx, ReplayOpts& o) {
  double speed = 0;  // 0 = as fast as possible
  if (o.speed != "max") {
    try {
      speed = std::stod(o.speed);
    } catch (...) {
      speed = -1;
    }
    if (!(speed > 0)) return Status::Invalid(ctx.T("--speed 应为正的倍数（如 60）或 max", "--speed must be a positive factor (e.g. 60) or max"));
  }
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  // Read everything first: the stream must be replayed in time order whatever the file order.
  std::vector<ingest::Item> inputs;
  for (const auto& f : o.files) {
    YQ_ASSIGN_OR_RETURN(auto ropts, MakeReadOptions(o.flags, s->clock().Now()));
    YQ_RETURN_IF_ERROR(ingest::ReadFile(f, ropts, [&](ingest::Item& it) {
      inputs.push_back(std::move(it));
      return Status::Ok();
    }));
  }
  SortForReplay(inputs);
  Progress progress(ctx.T("回放", "replay"), static_cast<int64_t>(inputs.size()), !o.json);
  StreamReplayOptions so;
  so.speed = speed;
  so.batch = o.flags.batch;
  YQ_ASSIGN_OR_RETURN(StreamReplayResult r, ReplayStream(*s, inputs, std::make_shared<ManualClock>(0), so, &progress));
  const auto& c = r.counts;
  const double secs = r.seconds;
  const TimeMs stream_start = r.stream_start;
  const auto& d = r.deadlines;
  if (o.json) {
    PrintJson({{"stored", c.stored}, {"duplicates", c.duplicates}, {"quarantined", c.quarantined},
               {"stream_from", stream_start ? nlohmann::json(FormatTime(stream_start)) : nlohmann::json(nullptr)},
               {"stream_to", stream_start ? nlohmann::json(FormatTime(r.stream_end)) : nlohmann::json(nullptr)},
               {"seconds", secs},
               {"incident_sweeps",
                {{"sweeps", d.sweeps}, {"tasks_notified", d.tasks_notified}, {"tasks_escalated", d.tasks_escalated},
                 {"commitments_overdue", d.commitments_overdue}, {"hook_errors", d.hook_errors},
                 {"errors", d.errors}}}});
  } else {
    std::cout << ctx.T("回放完成: 已入库 ", "replayed: stored ") << c.stored << ctx.T("，重复 ", ", duplicates ")
              << c.duplicates << ctx.T("，隔离 ", ", quarantined ") << c.quarantined << "  ("
              << static_cast<int64_t>(secs * 1000) << " ms)" << std::endl;
    if (d.sweeps > 0)
      std::cout << ctx.T("处置期限: 逾期提醒 ", "incident deadlines: overdue notices ") << d.tasks_notified
                << ctx.T("，升级督办 ", ", escalations ") << d.tasks_escalated << ctx.T("，承诺逾期 ", ", overdue commitments ")
                << d.commitments_overdue << (d.hook_errors ? ctx.T("，未送出 ", ", not sent ") + std::to_string(d.hook_errors) : "")
                << std::endl;
  }
  return Status::Ok();
}

}  // namespace

void RegisterReplayCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ReplayOpts>();
  auto* cmd = app.add_subcommand("replay", ctx.T("回放：按时间顺序重放录制的数据流，使用其自身时钟", "replay: feed a recorded stream in time order, with its own clock"));
  cmd->add_option("files", o->files, ctx.T("要回放的文件（任何可入库格式）", "files to replay (any ingest format)"))->required();
  cmd->add_option("--speed", o->speed, ctx.T("加速倍数（60 = 每分钟回放一小时），或 max（最快）", "time factor (60 = one hour per minute) or max"))->capture_default_str();
  cmd->add_option("--format", o->flags.format, ctx.T("格式：auto（自动）、jsonl、json、csv、rss、atom", "auto, jsonl, json, csv, rss, atom"));
  cmd->add_option("--source", o->flags.source, ctx.T("记录未写来源时使用的来源", "source for records that name none"));
  cmd->add_option("--batch", o->flags.batch, ctx.T("每个事务写入的记录数", "records per transaction"))->check(CLI::Range(1, 100000));
  cmd->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  cmd->callback([&ctx, o] {
    if (Status st = Run(ctx, *o); !st.ok()) ctx.Fail(st);
  });
}

}  // namespace yuqing::cli

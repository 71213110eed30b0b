// The spine's commands: ingest, search, stats, quarantine, replay.
#include <iostream>

#include "app/pipeline.h"
#include "cli/context.h"
#include "store/post_store.h"

namespace yuqing::cli {

void RegisterIngestCommand(CLI::App& app, Context& ctx);
void RegisterSearchCommand(CLI::App& app, Context& ctx);
void RegisterQuarantineCommand(CLI::App& app, Context& ctx);
void RegisterReplayCommand(CLI::App& app, Context& ctx);
void RegisterSourcesCommand(CLI::App& app, Context& ctx);  // source_commands.cc

namespace {

struct StatsOpts {
  bool json = false;
  std::string from, to;
};

// The posts published in [from, to): the dashboard's counts (PostStore::Summarize), which the
// reports (src/report/) also read, so `stats --from --to` checks a report's figures.
Status RangeStats(Context& ctx, store::PostStore& posts, const StatsOpts& o) {
  YQ_ASSIGN_OR_RETURN(TimeMs from, ParseTime(o.from));
  YQ_ASSIGN_OR_RETURN(TimeMs to, ParseTime(o.to));
  if (from >= to) return Status::Invalid("--from must be before --to");
  YQ_ASSIGN_OR_RETURN(store::VolumeSummary v, posts.Summarize(from, to));
  nlohmann::json by_source = nlohmann::json::object(), by_sentiment = nlohmann::json::object(),
                 by_province = nlohmann::json::object();
  for (auto& [k, n] : v.sources) by_source[k] = n;
  for (auto& [k, n] : v.sentiments) by_sentiment[k] = n;
  for (auto& [k, n] : v.provinces) by_province[k] = n;
  if (o.json) {
    PrintJson({{"from", FormatTime(from)}, {"to", FormatTime(to)}, {"posts", v.total}, {"by_source", by_source},
               {"by_sentiment", by_sentiment}, {"by_province", by_province}});
    return Status::Ok();
  }
  std::cout << FormatTime(from) << " — " << FormatTime(to) << "\n" << ctx.T("帖子: ", "posts: ") << v.total << "\n";
  for (auto& [k, n] : v.sources) std::cout << "  " << k << ": " << n << "\n";
  return Status::Ok();
}

Status Stats(Context& ctx, const StatsOpts& o) {
  const bool json = o.json;
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_ASSIGN_OR_RETURN(auto db, app::OpenStoreConnection(*s));
  YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(*db));
  if (!o.from.empty() || !o.to.empty()) {
    if (o.from.empty() || o.to.empty()) return Status::Invalid(ctx.T("--from 与 --to 须同时给出", "--from and --to go together"));
    return RangeStats(ctx, *posts, o);
  }
  YQ_ASSIGN_OR_RETURN(auto st, posts->Stats());
  if (json) {
    nlohmann::json by_source = nlohmann::json::object(), by_sentiment = nlohmann::json::object();
    for (auto& [k, v] : st.by_source) by_source[k] = v;
    for (auto& [k, v] : st.by_sentiment) by_sentiment[k] = v;
    PrintJson({{"posts", st.posts},
               {"quarantined", st.quarantined},
               {"first_post", st.posts ? nlohmann::json(FormatTime(st.first)) : nlohmann::json(nullptr)},
               {"last_post", st.posts ? nlohmann::json(FormatTime(st.last)) : nlohmann::json(nullptr)},
               {"by_source", by_source},
               {"by_sentiment", by_sentiment},
               {"data_dir", s->data_dir()}});
    return Status::Ok();
  }
  std::cout << ctx.T("帖子: ", "posts: ") << st.posts << "\n"
            << ctx.T("隔离: ", "quarantined: ") << st.quarantined << "\n";
  if (st.posts)
    std::cout << ctx.T("时间范围: ", "time range: ") << FormatTime(st.first) << " — " << FormatTime(st.last) << "\n";
  for (auto& [k, v] : st.by_source) std::cout << "  " << k << ": " << v << "\n";
  return Status::Ok();
}

}  // namespace

void RegisterSpineCommands(CLI::App& app, Context& ctx) {
  RegisterIngestCommand(app, ctx);
  RegisterSearchCommand(app, ctx);
  RegisterQuarantineCommand(app, ctx);
  RegisterReplayCommand(app, ctx);
  RegisterSourcesCommand(app, ctx);
  auto o = std::make_shared<StatsOpts>();
  auto* stats = app.add_subcommand("stats", ctx.T("统计：库中有什么", "statistics: what the store holds"));
  stats->add_flag("--json", o->json, ctx.T("输出 JSON", "print JSON"));
  stats->add_option("--from", o->from, ctx.T("只统计此时间（含）之后发布的帖子，与 --to 同用", "only posts published from this time on (with --to)"));
  stats->add_option("--to", o->to, ctx.T("只统计此时间之前发布的帖子", "only posts published before this time"));
  stats->callback([&ctx, o] {
    if (Status st = Stats(ctx, *o); !st.ok()) ctx.Fail(st);
  });
}

}  // namespace yuqing::cli

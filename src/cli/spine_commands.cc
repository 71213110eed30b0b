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

Status Stats(Context& ctx, bool json) {
  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  YQ_ASSIGN_OR_RETURN(auto db, app::OpenStoreConnection(*s));
  YQ_ASSIGN_OR_RETURN(auto posts, store::PostStore::Open(*db));
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
  auto json = std::make_shared<bool>(false);
  auto* stats = app.add_subcommand("stats", ctx.T("统计：库中有什么", "statistics: what the store holds"));
  stats->add_flag("--json", *json, ctx.T("输出 JSON", "print JSON"));
  stats->callback([&ctx, json] {
    if (Status st = Stats(ctx, *json); !st.ok()) ctx.Fail(st);
  });
}

}  // namespace yuqing::cli

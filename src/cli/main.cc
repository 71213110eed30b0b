// The yuqing command: global flags, then one subcommand per task. Each area registers its own
// subcommands (cli/<area>_commands.cc).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/cli_text.h"
#include "cli/context.h"

namespace yuqing::cli {
void RegisterDictCommands(CLI::App& app, Context& ctx);  // dict add|remove|list|rebuild (dict_commands.cc)
void RegisterReportCommands(CLI::App& app, Context& ctx);  // report daily|weekly|event|incident
void RegisterDrillCommands(CLI::App& app, Context& ctx);   // drill run|score|record|status (drill_commands.cc)
}  // namespace yuqing::cli

int main(int argc, char** argv) {
  using namespace yuqing::cli;
  Context ctx;
  const char* env_data = std::getenv("YUQING_DATA");
  ctx.data_dir = env_data && *env_data ? env_data : "data";
  // Known before the commands are registered: their help strings are in the user's language.
  ctx.lang = LanguageFromArgs(argc, argv);

  CLI::App app{ctx.T("yuqing 舆情 — 舆情监测、预警与危机处置系统",
                     "yuqing — public-opinion monitoring, warning and crisis response")};
  LocalizeApp(app, ctx, std::string("yuqing ") + YUQING_VERSION);
  app.option_defaults()->always_capture_default();
  app.add_option("--data", ctx.data_dir, ctx.T("数据目录（一个 SQLite 库）；$YUQING_DATA", "data directory: one SQLite store; $YUQING_DATA"))
      ->capture_default_str();
  app.add_option("--lang", ctx.lang, ctx.T("界面语言：zh（默认）或 en；$YUQING_LANG", "message language: zh (default) or en; $YUQING_LANG"))->check(CLI::IsMember({"zh", "en"}));
  app.add_option("--workers", ctx.workers,
                 ctx.T("分析线程数（默认：本机核数，最多 8）；也可写在子命令之后", "pipeline threads for per-post work (default: the machine's cores, at most 8); may also follow the subcommand"))
      ->check(CLI::Range(1, 64))
      ->default_str("auto");
  // Global flags may follow the subcommand too (`yuqing replay FILE --workers 2`).
  app.fallthrough();
  app.require_subcommand(1);

  RegisterSpineCommands(app, ctx);
  RegisterServeCommand(app, ctx);
  RegisterUserCommands(app, ctx);
  RegisterAnalysisCommands(app, ctx);
  RegisterForecastCommands(app, ctx);
  RegisterRulesCommands(app, ctx);
  RegisterWarningCommands(app, ctx);
  RegisterIncidentCommands(app, ctx);
  RegisterDictCommands(app, ctx);
  RegisterReportCommands(app, ctx);
  RegisterDrillCommands(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return ReportParseError(app, e, ctx);
  }
  // Leave without tearing down the dictionaries: freeing cppjieba's millions of trie nodes takes
  // longer than most commands. The store is closed properly first; nothing else holds state.
  int code = ctx.exit_code;
  if (ctx.services_) ctx.services_->CloseStore();
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
}

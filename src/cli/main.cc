// The yuqing command: global flags, then one subcommand per task. Each area registers its own
// subcommands (cli/<area>_commands.cc).
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/context.h"

int main(int argc, char** argv) {
  using namespace yuqing::cli;
  Context ctx;
  const char* env_data = std::getenv("YUQING_DATA");
  ctx.data_dir = env_data && *env_data ? env_data : "data";
  if (const char* env_lang = std::getenv("YUQING_LANG"); env_lang && std::string(env_lang).rfind("en", 0) == 0)
    ctx.lang = "en";

  CLI::App app{"yuqing 舆情 — public-opinion monitoring and crisis response\n"
               "舆情监测、预警与危机处置系统"};
  app.set_version_flag("--version", std::string("yuqing ") + YUQING_VERSION);
  app.option_defaults()->always_capture_default();
  app.add_option("--data", ctx.data_dir, "data directory (数据目录): one SQLite store; $YUQING_DATA")
      ->capture_default_str();
  app.add_option("--lang", ctx.lang, "message language: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  app.add_option("--workers", ctx.workers,
                 "pipeline threads for per-post work (分析线程数; default: the machine's cores, at most 8); "
                 "may also follow the subcommand")
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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
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

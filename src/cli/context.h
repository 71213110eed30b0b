// What every command shares: the global flags and the services for the data directory.
// Commands set ctx.exit_code; main() returns it.
//   exit 0: done (or "yes": a query matched, a statement passed)
//   exit 1: a negative answer (no match, check found errors)
//   exit 2: bad usage or input that cannot be read/parsed
//   exit 3: a runtime failure (store, network)
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/services.h"
#include "core/status.h"

namespace yuqing::cli {

struct Context {
  std::string data_dir;  // --data (default: $YUQING_DATA or ./data)
  std::string lang = "zh";
  size_t workers = 0;  // --workers (0: Services' default, the machine's cores)
  int exit_code = 0;

  // Opens the services for data_dir on first use; on failure prints the reason and returns null
  // (and sets exit_code = 3).
  app::Services* services();

  bool zh() const { return lang != "en"; }
  // Picks the message in the user's language.
  const char* T(const char* zh_text, const char* en_text) const { return zh() ? zh_text : en_text; }

  // Prints "错误: ..." / "error: ..." to stderr and sets exit_code from the status.
  void Fail(const Status& st);

  std::unique_ptr<app::Services> services_;
};

int ExitCodeFor(const Status& st);

// One JSON document on one line of stdout (UTF-8 kept as is, invalid bytes replaced).
void PrintJson(const nlohmann::json& j);

// Registration of each area's subcommands (one file per area: <area>_commands.cc).
void RegisterSpineCommands(CLI::App& app, Context& ctx);     // ingest, search, stats, quarantine, replay
void RegisterServeCommand(CLI::App& app, Context& ctx);      // serve
void RegisterUserCommands(CLI::App& app, Context& ctx);      // user add|list|token|passwd, audit
void RegisterAnalysisCommands(CLI::App& app, Context& ctx);  // analyze, events, model
void RegisterRulesCommands(CLI::App& app, Context& ctx);     // match, topics
void RegisterWarningCommands(CLI::App& app, Context& ctx);   // alerts, series, departments, contacts, notify, outbox
void RegisterForecastCommands(CLI::App& app, Context& ctx);   // cascades
void RegisterIncidentCommands(CLI::App& app, Context& ctx);  // statement, plans, incidents, tasks, commitments

}  // namespace yuqing::cli

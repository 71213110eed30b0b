// Internal to the incident commands: the second half of them (response_commands.cc).
#pragma once

#include <CLI/CLI.hpp>

#include "app/services.h"
#include "cli/context.h"

namespace yuqing::cli {

// The incident commands' clock: the wall clock, or YUQING_NOW (a fixed ISO 8601 time) for drills
// and tests, so that a replayed crisis is answered on the stream's time. Invalid on a bad time.
Status ApplyIncidentClock(app::Services& services);

// statement diff|comment|comments|resolve-comment, clarify add|list|show|statement,
// talking-points add|from-statement|list|approve|retire. `statement` must be registered first.
void RegisterResponseCommands(CLI::App& app, Context& ctx);

}  // namespace yuqing::cli

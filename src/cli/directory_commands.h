// `departments edit|remove` and `contacts edit|remove` (directory_commands.cc), added under the
// `departments` and `contacts` commands that warning_commands.cc registers.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace yuqing::cli {

void RegisterDirectoryEdits(CLI::App& departments, CLI::App& contacts, Context& ctx);

}  // namespace yuqing::cli

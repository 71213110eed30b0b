// The command line's own words in the user's language: CLI11's help labels, help and version
// flags, and its parse errors. Our commands' help strings use ctx.T at registration, so the
// language must be known before the app is built (LanguageFromArgs).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "cli/context.h"

namespace yuqing::cli {

// "en" when argv holds `--lang en` or `--lang=en` (anywhere, as --lang may follow the
// subcommand), else when $YUQING_LANG starts with "en"; otherwise "zh". Any other --lang value is
// left to the --lang option's own check, which rejects it.
std::string LanguageFromArgs(int argc, char** argv);

// Sets the help formatter (labels 用法/选项/子命令/...), the group names and the help and version
// flags' descriptions for ctx's language. Call before any option or subcommand is added:
// subcommands copy these from their parent when they are created.
void LocalizeApp(CLI::App& app, const Context& ctx, const std::string& version);

// Prints a parse error to stderr the way CLI11 would, but in ctx's language (Chinese: the option
// name and value kept, with a hint to run `yuqing <子命令> --help`), and returns the exit code:
// 0 for --help and --version (printed to stdout), 2 for every usage error.
int ReportParseError(CLI::App& app, const CLI::ParseError& e, const Context& ctx);

// A message from a lower layer (store/, notify/, incident/ ...) in Chinese when it is one of the
// common ones (no such alert/department/..., a bad time or duration, a wrong state); any other
// message is returned unchanged. An "--option: " prefix is kept.
std::string LocalizeMessage(const std::string& msg);

}  // namespace yuqing::cli

// Where the incident module's data files (statement rules, default plans) come from. They are
// data, read at run time, so a deployment can edit them; a copy is compiled in as the last resort
// so the binary works from any directory.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing::incident {

struct DataFile {
  std::string text;
  std::string origin;  // the path read, or "built-in"
};

// Looks for `name` (e.g. "statement_rules.yaml") in, in order: $YUQING_INCIDENT_DATA (a
// directory), <directory of the running binary>/share/incident, the source tree's
// src/incident/data; then falls back to the compiled-in copy. Fails only for an unknown name.
Result<DataFile> ReadDataFile(std::string_view name);

}  // namespace yuqing::incident

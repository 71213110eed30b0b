// Bounded JSON: every JSON text yuqing reads from outside (request bodies, records, policies,
// webhook answers) goes through ParseJson, which refuses nesting deeper than kMaxJsonDepth before
// nlohmann builds anything. nlohmann's parser is iterative, but dump() and the comparison and copy
// operators recurse once per level, so a value nested ~60,000 levels deep (well under every size
// limit) overflowed the stack of whichever thread later printed it. Checking the depth up front
// means nothing deeper than the bound ever exists in memory.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/status.h"

namespace yuqing {

// Deepest nesting of arrays and objects accepted anywhere. Real records (Weibo API statuses,
// crawler exports) nest fewer than 10 levels.
constexpr int kMaxJsonDepth = 64;

// The byte offset of the first bracket that opens level max_depth + 1, or -1 when the text never
// nests deeper than max_depth. Scans the raw text (string contents and escapes skipped) without
// validating it, in one pass and constant memory.
long JsonDepthViolation(std::string_view text, int max_depth = kMaxJsonDepth);

// Parses text as JSON. Fails with kInvalid: "nesting deeper than 64 levels at byte N" or "invalid
// JSON at byte N: <parser's explanation>". Never throws.
Result<nlohmann::json> ParseJson(std::string_view text, int max_depth = kMaxJsonDepth);

}  // namespace yuqing

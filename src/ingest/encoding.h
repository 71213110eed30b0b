// Input encodings: UTF-8 is expected; GBK/GB18030 (common in Chinese exports) is detected and
// converted. Anything else is rejected with a clear reason.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing::ingest {

enum class Encoding { kAuto, kUtf8, kGbk };

Result<Encoding> ParseEncoding(std::string_view name);

// Returns `in` as valid UTF-8. With kAuto, invalid UTF-8 that converts cleanly from GB18030 is
// converted; with kGbk it is always converted; with kUtf8 invalid input is an error.
// *converted is set when a conversion happened. Strips a leading UTF-8 byte-order mark.
Result<std::string> ToUtf8(std::string_view in, Encoding enc, bool* converted = nullptr);

}  // namespace yuqing::ingest

// Text as code points for the statement checker: std::wstring holds one code point per element
// (wchar_t is 32 bits on the platforms yuqing supports), so regular expressions see characters,
// not bytes, and every index is a character offset — the unit findings report.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace yuqing::incident {

static_assert(sizeof(wchar_t) == 4, "the statement checker needs a 32-bit wchar_t");

// Decodes UTF-8 (invalid bytes become U+FFFD, one per byte).
std::wstring Widen(std::string_view utf8);
// Encodes code points as UTF-8.
std::string Narrow(std::wstring_view wide);

// Folds a code point for matching: full-width ASCII to ASCII, ideographic space to space, ASCII
// upper case to lower case. One code point in, one out, so offsets are kept. (When an OpenCC
// normaliser is available the checker uses it instead, which also maps traditional to simplified.)
uint32_t BasicFold(uint32_t cp);

}  // namespace yuqing::incident

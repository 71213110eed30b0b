// Sentence splitting with character offsets, for the statement checker and its findings.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace yuqing::incident {

struct SentenceSpan {
  size_t start = 0;  // character (code point) offset of the first non-blank character
  size_t end = 0;    // one past the last character, terminal punctuation and closing quotes included
};

// Splits at 。！？!? ；; …… and line breaks; a '.' ends a sentence only before white space or the
// end (so "3.5" and "www.x.cn" stay whole). Closing quotes and brackets after the terminator stay
// with the sentence. Blank pieces are dropped. A sentence longer than max_chars is cut at the
// next comma past the limit (or hard at 2 * max_chars), so one run-on paragraph cannot make the
// rules' work quadratic.
std::vector<SentenceSpan> SplitSentences(const std::wstring& text, size_t max_chars = 400);

}  // namespace yuqing::incident

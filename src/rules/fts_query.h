// The monitoring-scheme query language (query.h) as an SQLite FTS5 MATCH expression, so that
// post search (the feed, `yuqing search`, GET /api/v1/posts?q=) reads queries exactly as
// schemes do: AND / OR / NOT / -word, brackets, "phrases", NEAR/n and title: / text: scopes.
// What FTS cannot search (author:, source:, ... and the author.* filters) is an error with the
// column, never a silently different result.
#pragma once

#include <string>
#include <string_view>

#include "rules/query.h"

namespace yuqing::rules {

// On failure (syntax, or a part search cannot run) fills *error when given; the Status message
// is the English "column N: ...".
Result<std::string> ToFtsMatch(std::string_view query, const text::Normalizer& norm, ParseError* error = nullptr);

}  // namespace yuqing::rules

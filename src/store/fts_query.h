// The plain search syntax (words, "phrases", OR, -word) compiled to an FTS5 MATCH expression; the
// "yuqing" tokenizer cuts each quoted term as it cuts the posts (fts_tokenizer.h). The scheme
// query language has its own compiler, rules/fts_query.h, whose output SearchQuery::match takes.
#pragma once

#include <string>

#include "core/status.h"

namespace yuqing::store {

// Converts a user query (words, "phrases", OR, -word) to an FTS5 MATCH expression: positive
// terms ANDed (or ORed where written), exclusions last as NOT. Invalid input (unbalanced quotes,
// a dangling OR, only exclusions) is kInvalid with the column.
Result<std::string> ToFtsQuery(const std::string& user_query);

}  // namespace yuqing::store

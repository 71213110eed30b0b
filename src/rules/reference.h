// Schemes parsed for matching, and the plain reference evaluator: a direct, obviously correct
// reading of the query language (substring search per term, all occurrence pairs for NEAR).
// The compiled Matcher must agree with it exactly (tests/unit/rules/differential_test.cc); the
// CLI's `match` command and highlighting use it directly.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "rules/fields.h"
#include "rules/query.h"
#include "rules/scheme.h"
#include "text/normalizer.h"

namespace yuqing::rules {

// A scheme matches a post when `query` matches and none of `excludes` does.
struct ParsedScheme {
  Query query;
  std::vector<Query> excludes;
};

// Parses a scheme's query and exclusions. An exclusion's error is prefixed with its position
// ("exclude 2: column 3: ...").
Result<ParsedScheme> ParseScheme(const Scheme& scheme, const text::Normalizer& norm,
                                 const ParseOptions& opts = {}, ParseError* error = nullptr);

// The post with every text field normalised, indexed by field bit position (0 title .. 6 lang).
struct FieldTexts {
  std::array<std::string, kNumFields> field;
  bool verified = false;
  int64_t followers = 0;
};

// Normalises every field of `in` (title and text too, unless already_normalised).
FieldTexts NormalizeFields(const MatchInput& in, const text::Normalizer& norm, bool title_text_normalised);

// One occurrence of a term, in characters (code points) of the field; normalisation maps each
// character to one character, so these are offsets in the original field text as well.
struct HitSpan {
  std::string term;  // the normalised term
  int field = 0;     // bit position: FieldName(field)
  uint32_t start = 0;
  uint32_t end = 0;  // exclusive
};

// Byte offsets of every occurrence of `term` in `s` that respects the word-boundary rule
// (a term starting/ending with a word character needs a non-word character or the edge there).
std::vector<size_t> FindOccurrences(std::string_view s, std::string_view term);

bool ReferenceEval(const Node& node, const FieldTexts& post);
bool ReferenceMatch(const ParsedScheme& scheme, const FieldTexts& post);

// The positive-polarity terms of the query (outside NOT, NEAR operands included) that occur in
// one of their fields, in query order, without repeats. Exclusions contribute nothing.
std::vector<std::string> ReferenceHitTerms(const Query& query, const FieldTexts& post);

// Every occurrence of the query's positive-polarity terms, ordered by field then start.
std::vector<HitSpan> HighlightSpans(const Query& query, const FieldTexts& post);

}  // namespace yuqing::rules

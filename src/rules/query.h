// The monitoring-scheme query language: syntax tree and parser (docs/query-language.md).
//
//   query   := or
//   or      := and ("OR" and)*
//   and     := unary (["AND"] unary)*          juxtaposition means AND
//   unary   := ("NOT" | "-") unary | near       precedence NOT > AND > OR
//   near    := primary ["NEAR/" n primary]      both operands plain terms
//   primary := term | "(" or ")" | field ":" (term | "(" or ")") | filter
//   term    := word | '"' phrase '"'
//   filter  := "author.verified:" (true|false) | "author.followers:" [>|>=|<|<=|=] integer
//
// Terms are normalised with text::Normalizer (traditional→simplified, full-width→half-width,
// lower case). Operators are recognised only in upper case. Columns are 1-based and count
// characters (code points) of the query as typed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "rules/fields.h"
#include "text/normalizer.h"

namespace yuqing::rules {

struct ParseOptions {
  size_t max_query_bytes = 8 * 1024;
  int max_terms = 256;      // terms (NEAR operands included)
  int max_depth = 24;       // nesting of parentheses and NOTs
  int max_term_chars = 64;  // characters in one term
  int max_near = 1000;      // largest n in NEAR/n
};

enum class CmpOp : uint8_t { kEq, kGt, kGe, kLt, kLe };

struct Node {
  enum Kind : uint8_t { kTerm, kNear, kAnd, kOr, kNot, kVerified, kFollowers };
  Kind kind = kTerm;
  // kTerm: the normalised literal; `phrase` when it was quoted; `fields` the fields it searches.
  std::string term;
  bool phrase = false;
  FieldMask fields = kDefaultFields;
  // kNear: children[0], children[1] are kTerm nodes with equal fields; distance in characters.
  int distance = 0;
  // kVerified: bool_value. kFollowers: op, number.
  bool bool_value = false;
  CmpOp op = CmpOp::kEq;
  int64_t number = 0;
  int column = 0;  // where the node starts in the query (1-based characters)
  std::vector<Node> children;  // kAnd, kOr (>= 2), kNot (1), kNear (2)
};

struct Query {
  Node root;
  int term_count = 0;
};

// A parse failure: the column (1-based characters; 0 when the failure concerns the whole query)
// and the reason in both languages. Status messages carry the English text
// ("column 14: expected ')' to close '(' at column 3").
struct ParseError {
  int column = 0;
  std::string en;
  std::string zh;
  std::string Message(bool zh_lang) const;  // "column N: ..." / "第 N 列：..."
};

// Parses and checks one query. Rejects (never crashes, never hangs, linear in the input):
// syntax errors, empty terms or groups, more terms or nesting than `opts` allow, and queries
// that could match a post containing none of their positive terms (only NOT, only author
// filters) — the matcher's presearch relies on that. On failure fills *error when given.
Result<Query> ParseQuery(std::string_view query, const text::Normalizer& norm,
                         const ParseOptions& opts = {}, ParseError* error = nullptr);

// True when the query can only be true if one of its positive-polarity terms occurs
// (the property ParseQuery enforces on whole queries).
bool RequiresPositiveTerm(const Node& node);

// A canonical text form, fully parenthesised (for tests and debugging).
std::string ToString(const Node& node);

// Latin-script word characters, for whole-word matching: ASCII letters and digits, '_',
// and Latin-1/Latin Extended letters (U+00C0..U+024F except × and ÷).
inline bool IsWordChar(uint32_t cp) {
  return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
         cp == '_' || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

// Whether a match of `term` must be checked for a word boundary before / after it: true when
// the term's first / last character is a word character.
bool NeedsBoundaryBefore(std::string_view term);
bool NeedsBoundaryAfter(std::string_view term);

}  // namespace yuqing::rules

// A small CSS selector matcher over gumbo's tree, for pages without feeds (sources --kind page).
// Debian ships no C or C++ CSS selector library (lexbor's is not packaged for Debian 12), so this
// implements the documented subset, no more:
//
//   tag   .class   #id   [attr]   [attr=value]   [attr="value"]   *      (compound: div.item#x[data-id])
//   A B   (descendant)   A > B   (child)   A, B   (either)
//
// Anything else (pseudo-classes, ~ +, attribute operators other than =) is refused with the
// column, so a selector never silently matches the wrong thing. Matching is case-insensitive
// for tag names and case-sensitive for classes, ids and attribute values, as in HTML.
#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::ingest {

struct SimpleSelector {
  std::string tag;                   // "" or "*": any
  std::string id;
  std::vector<std::string> classes;
  struct Attr {
    std::string name;
    bool has_value = false;
    std::string value;
  };
  std::vector<Attr> attrs;
};

// A compound chain, right to left: parts[0] is the subject; combinators[i] joins parts[i] to
// parts[i + 1] ('>' child, ' ' descendant).
struct ComplexSelector {
  std::vector<SimpleSelector> parts;
  std::vector<char> combinators;
};

struct Selector {
  std::vector<ComplexSelector> alternatives;  // A, B
  std::string text;
};

// Invalid with "selector 'x': ... at column N" for what the subset does not cover.
Result<Selector> ParseSelector(std::string_view text);

// The elements under `scope` (not `scope` itself) that match, in document order.
std::vector<const GumboNode*> SelectAll(const GumboNode* scope, const Selector& sel);
// The first of them, or nullptr.
const GumboNode* SelectFirst(const GumboNode* scope, const Selector& sel);

// An element's visible text (scripts and styles left out), whitespace collapsed and trimmed.
std::string NodeText(const GumboNode* node);
// An attribute's value, or "" when absent.
std::string NodeAttr(const GumboNode* node, const char* name);

}  // namespace yuqing::ingest

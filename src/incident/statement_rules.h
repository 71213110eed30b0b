// The statement rules: data, not code. A rule file (YAML or JSON, see
// src/incident/data/statement_rules.yaml and docs/statements.md) lists, for the four principles
// 谦和 humble / 权威 authoritative / 诚信 honest / 节制 restrained, the words and patterns that make a
// finding, its severity, its message in Chinese and English, and the reason for it. A few checks
// that need counting (facts present, repetition, length) are built in and parameterised here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::incident {

enum class Principle { kHumble, kAuthoritative, kHonest, kRestrained };
enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };

const char* PrincipleName(Principle p);  // "humble", "authoritative", "honest", "restrained"
const char* PrincipleNameZh(Principle p);  // "谦和", "权威", "诚信", "节制"
const char* SeverityName(Severity s);    // "info", "warning", "error"

struct Message {
  std::string zh;
  std::string en;
  const std::string& In(bool english) const { return english && !en.empty() ? en : zh; }
};

// Literal terms and ECMAScript regular expressions over folded text (one code point per char).
struct Matcher {
  std::vector<std::wstring> terms;
  std::vector<std::wregex> regex;
  bool empty() const { return terms.empty() && regex.empty(); }
  // First (leftmost) match inside [begin, end) of text; {npos, npos} when none.
  std::pair<size_t, size_t> Find(const std::wstring& text, size_t begin, size_t end) const;
  bool Any(const std::wstring& text, size_t begin, size_t end) const {
    return Find(text, begin, end).first != std::wstring::npos;
  }
};

// Built-in checks a rule may select with `check:`.
enum class Check {
  kNone,             // a plain lexicon/pattern rule
  kNoFacts,          // the statement states no fact of any kind
  kFewFacts,         // fewer than `threshold` kinds of fact; {missing} lists the others
  kNoNextUpdate,     // no promise with a date
  kRepetition,       // a sentence repeats an earlier one (character-bigram Jaccard ≥ threshold)
  kStatementLength,  // more than `threshold` characters in all
  kSentenceLength,   // a sentence longer than `threshold` characters
  kBoilerplate,      // `threshold`+ of the rule's phrases in sentences that state no fact, and such
                     // sentences are at least `share` of all sentences (套话 instead of facts)
};

struct Rule {
  std::string id;
  Principle principle = Principle::kHumble;
  Severity severity = Severity::kWarning;
  bool statement_scope = false;  // looks at the whole statement (when_any / require_any)
  Check check = Check::kNone;
  double threshold = 0;
  Matcher match;             // sentence scope: what makes a finding
  Matcher unless;            // ... unless the same sentence also has one of these (e.g. evidence)
  // Speed only: words one of which every match contains, so sentences without them skip the
  // (slow, std::regex) patterns. Must not change what matches.
  Matcher prefilter;
  bool unless_time = false;  // ... unless the same sentence names a time
  bool in_promise = false;   // only in sentences that promise something (commitment markers)
  bool question = false;     // only in questions (a sentence with a '?' outside quotation marks)
  Matcher when_any;          // statement scope: fires when one of these is present (or always)
  Matcher require_any;       // ... and none of these is
  int when_facts_below = -1;  // only when fewer kinds of fact than this are present
  std::optional<Severity> severity_without_dated_commitment;
  // The severity when no earlier sentence states a fact (a legal warning before saying what happened).
  std::optional<Severity> severity_before_facts;
  double share = 0;  // kBoilerplate: the share of sentences that must be hollow
  Message message;  // "{match}" is replaced by the matched text, "{missing}" by missing fact kinds
  std::string reason;
};

struct FactKind {
  std::string kind;  // time, place, quantity, investigator, measures
  Message name;
  Matcher match;
  bool from_times = false;  // any time expression counts
  // Whether a match makes its sentence a factual one for the sentence-level checks (boilerplate,
  // severity_before_facts). Off for kinds that match loosely ("我市", "县委县政府" look like places).
  bool in_sentences = true;
};

struct CommitmentLexicon {
  Matcher markers;          // 将, 预计, 争取 ... a promise
  Matcher marker_excludes;  // 将近 ... words that contain a marker but promise nothing
  Matcher actions;          // 公布, 通报, 恢复 ... what is promised
  Matcher past;             // 已, 已经 ... done already: not a promise
  Matcher past_excludes;    // 而已, 不得已 ...
  Matcher reported_promises;  // 承诺, 保证 ...: "已承诺于…支付" is a promise all the same
};

struct RuleSet {
  int version = 1;
  // Sentence rules skip words wholly inside quotation marks (reported speech). Off unless the file
  // says `skip_quoted: true`, so that older rule files behave as they did.
  bool skip_quoted = false;
  std::vector<FactKind> facts;
  CommitmentLexicon commitments;
  std::vector<Rule> rules;
};

// Folds one code point for matching (see Normalizer::Fold); terms and patterns are folded with it
// so that they meet the folded statement.
using FoldFn = std::function<uint32_t(uint32_t)>;

// Parses a rule file (YAML or JSON). Errors name the field: "rules[3].regex[1]: ...".
Result<RuleSet> ParseRules(std::string_view text, const FoldFn& fold);
// Reads and parses a rule file.
Result<RuleSet> LoadRules(const std::string& path, const FoldFn& fold);

}  // namespace yuqing::incident

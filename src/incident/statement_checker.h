// `statement check`: reviews a draft statement (回应口径) sentence by sentence against the four
// principles 谦和 / 权威 / 诚信 / 节制 using a RuleSet, and lists the promises it makes with their
// resolved due times. Pure computation: no store, no clock (the reference time is a parameter).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "incident/sentences.h"
#include "incident/statement_rules.h"

namespace yuqing::text {
class Normalizer;
}

namespace yuqing::incident {

// Bound on what we review: a statement is a page, not a book.
constexpr size_t kMaxStatementBytes = 64 * 1024;

struct Finding {
  Principle principle = Principle::kHumble;
  Severity severity = Severity::kWarning;
  int sentence = 0;   // 0-based index into CheckResult::sentences
  size_t start = 0;   // character offsets into the statement: the matched words, or the sentence
  size_t end = 0;
  bool statement_scope = false;  // about the statement as a whole (then start..end is all of it)
  std::string rule;              // rule id, e.g. "humble.refusal"
  std::string message;           // in the requested language
};

struct Commitment {
  std::string text;  // the promise as written (its clause or clauses)
  int sentence = 0;
  size_t start = 0;  // character offsets
  size_t end = 0;
  std::optional<TimeMs> due;  // nullopt: a promise with no date (itself a finding)
};

struct CheckResult {
  bool ok = true;  // no finding is an error
  std::vector<Finding> findings;  // ordered by sentence, then offset
  std::vector<Commitment> commitments;
  std::vector<SentenceSpan> sentences;
  std::vector<std::string> facts;  // kinds of fact present (time, place, ...)
  size_t chars = 0;
};

class StatementChecker {
 public:
  // `normalizer` may be null: then only width and case are folded (no traditional → simplified).
  StatementChecker(std::shared_ptr<const RuleSet> rules, std::shared_ptr<const text::Normalizer> normalizer);

  // Loads the rule file (see FindDataFile("statement_rules.yaml")) folded with `normalizer`.
  static Result<std::unique_ptr<StatementChecker>> Create(std::shared_ptr<const text::Normalizer> normalizer,
                                                          const std::string& rules_path = "");

  // Reviews `utf8` with promises resolved against `at`. Fails (kTooLarge) above kMaxStatementBytes
  // and (kInvalid) on empty text. Thread-safe.
  Result<CheckResult> Check(std::string_view utf8, TimeMs at, bool english = false) const;

  const RuleSet& rules() const { return *rules_; }

 private:
  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const text::Normalizer> normalizer_;
};

// The JSON of `statement check --json`:
// {"ok", "findings":[{"principle","severity","sentence","start","end","message","rule","scope",
//  "text"}], "commitments":[{"text","due","sentence","start","end"}], "sentences":[{"start","end"}],
//  "facts":[...]}. `statement` is the checked text (for the matched words in "text").
nlohmann::json CheckResultToJson(const CheckResult& r, std::string_view statement);

// Folds with the normaliser when given, else BasicFold.
FoldFn MakeFold(std::shared_ptr<const text::Normalizer> normalizer);

}  // namespace yuqing::incident

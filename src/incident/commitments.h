// Finding the promises in a statement: a clause with a promise marker (将, 预计, 争取 ...) or a
// deadline (…前, …内) and an action (公布, 通报, 恢复 ...), not already done (已 ...). Its due time is
// the clause's time expression, or the one in a preceding clause that has no action of its own
// ("6月3日18时前，我们将在官网公布 ...").
#pragma once

#include <string>
#include <vector>

#include "incident/sentences.h"
#include "incident/statement_checker.h"
#include "incident/statement_rules.h"
#include "incident/time_expr.h"

namespace yuqing::incident {

// `folded` is the folded statement, `original` the same text unfolded (for the quoted text);
// `times` are all time mentions in `folded` (FindTimes). Offsets are characters.
std::vector<Commitment> ExtractCommitments(const std::wstring& folded, const std::wstring& original,
                                           const std::vector<SentenceSpan>& sentences,
                                           const std::vector<TimeMention>& times, const CommitmentLexicon& lex,
                                           TimeMs at);

// True when [begin, end) of `folded` holds a promise marker that is not part of an excluded word.
bool HasPromiseMarker(const std::wstring& folded, size_t begin, size_t end, const CommitmentLexicon& lex);

}  // namespace yuqing::incident

#include "incident/commitments.h"

#include <algorithm>

#include "incident/wide_text.h"

namespace yuqing::incident {
namespace {

using Span = std::pair<size_t, size_t>;

std::vector<Span> AllMatches(const Matcher& m, const std::wstring& t, size_t b, size_t e) {
  std::vector<Span> out;
  size_t pos = b;
  while (pos < e) {
    Span s = m.Find(t, pos, e);
    if (s.first == std::wstring::npos) break;
    out.push_back(s);
    pos = s.first + 1;
  }
  return out;
}

// Position of the first occurrence of `m` in [b, e) not inside an occurrence of `excl`; npos if none.
size_t FirstNotExcluded(const Matcher& m, const Matcher& excl, const std::wstring& t, size_t b, size_t e) {
  std::vector<Span> ex = excl.empty() ? std::vector<Span>{} : AllMatches(excl, t, b, e);
  for (const Span& s : AllMatches(m, t, b, e)) {
    bool covered = false;
    for (const Span& x : ex) covered = covered || (x.first <= s.first && s.second <= x.second);
    if (!covered) return s.first;
  }
  return std::wstring::npos;
}

bool IsClauseBreak(wchar_t c) { return c == L',' || c == L';' || c == L':' || c == L'，' || c == L'；'; }

bool IsTrimmed(wchar_t c) {
  return c == L' ' || c == L'。' || c == L',' || c == L';' || c == L'!' || c == L'?' || c == L'\n' || c == L'\r' ||
         c == L'\t';
}

}  // namespace

bool HasPromiseMarker(const std::wstring& folded, size_t begin, size_t end, const CommitmentLexicon& lex) {
  return FirstNotExcluded(lex.markers, lex.marker_excludes, folded, begin, end) != std::wstring::npos;
}

std::vector<Commitment> ExtractCommitments(const std::wstring& folded, const std::wstring& original,
                                           const std::vector<SentenceSpan>& sentences,
                                           const std::vector<TimeMention>& times, const CommitmentLexicon& lex,
                                           TimeMs at) {
  std::vector<Commitment> out;
  for (size_t si = 0; si < sentences.size(); ++si) {
    const SentenceSpan& s = sentences[si];
    std::vector<Span> clauses;
    size_t b = s.start;
    for (size_t i = s.start; i < s.end; ++i) {
      if (IsClauseBreak(folded[i])) {
        if (i > b) clauses.push_back({b, i});
        b = i + 1;
      }
    }
    if (s.end > b) clauses.push_back({b, s.end});

    bool promise_context = false;
    size_t group_start = std::wstring::npos;  // first clause of the promise being built
    const TimeMention* pending = nullptr;    // a time named in an earlier clause without action
    for (const Span& c : clauses) {
      if (group_start == std::wstring::npos) group_start = c.first;
      const size_t action = FirstNotExcluded(lex.actions, Matcher{}, folded, c.first, c.second);
      const size_t marker = FirstNotExcluded(lex.markers, lex.marker_excludes, folded, c.first, c.second);
      const size_t past = FirstNotExcluded(lex.past, lex.past_excludes, folded, c.first, c.second);
      // "已于…恢复" is done; "已承诺于…支付" is still a promise (a reported promise between the two).
      const size_t reported =
          past == std::wstring::npos ? std::wstring::npos
                                     : FirstNotExcluded(lex.reported_promises, Matcher{}, folded, past, c.second);
      const bool is_past = past != std::wstring::npos && (action == std::wstring::npos || past < action) &&
                           !(reported != std::wstring::npos && (action == std::wstring::npos || reported < action));
      const TimeMention* deadline = nullptr;
      const TimeMention* future = nullptr;
      const TimeMention* any = nullptr;
      for (const TimeMention& t : times) {
        if (t.start < c.first || t.end > c.second) continue;
        if (!any) any = &t;
        if (t.deadline && !deadline) deadline = &t;
        if (!future && t.when && *t.when >= at && !t.approximate) future = &t;
      }
      if (marker != std::wstring::npos && !is_past) promise_context = true;
      if (is_past) promise_context = false;
      const bool dated_limit = (deadline && deadline->when && *deadline->when >= at) ||
                               (pending && pending->deadline && pending->when && *pending->when >= at);
      if (action != std::wstring::npos && !is_past &&
          (marker != std::wstring::npos || promise_context || dated_limit)) {
        Commitment cm;
        size_t from = group_start, to = c.second;
        while (from < to && IsTrimmed(original[from])) ++from;
        while (to > from && IsTrimmed(folded[to - 1])) --to;
        cm.text = Narrow(std::wstring_view(original).substr(from, to - from));
        cm.sentence = static_cast<int>(si);
        cm.start = from;
        cm.end = to;
        const TimeMention* when = deadline ? deadline : future ? future : pending;
        if (when && when->when && !(when == pending && !pending->deadline && *pending->when < at)) cm.due = when->when;
        out.push_back(std::move(cm));
        group_start = std::wstring::npos;
        pending = nullptr;
      } else if (action == std::wstring::npos && any && !is_past) {
        pending = deadline ? deadline : any;  // the promise follows in the next clause
      } else {
        group_start = std::wstring::npos;
        pending = nullptr;
      }
    }
  }
  return out;
}

}  // namespace yuqing::incident

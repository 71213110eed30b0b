#include "incident/statement_checker.h"

#include <algorithm>
#include <unordered_set>

#include "incident/commitments.h"
#include "incident/data_files.h"
#include "incident/time_expr.h"
#include "incident/wide_text.h"
#include "text/normalizer.h"

namespace yuqing::incident {
namespace {

constexpr size_t npos = std::wstring::npos;

std::string Replace(std::string s, std::string_view what, std::string_view with) {
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size()))
    s.replace(p, what.size(), with);
  return s;
}

// Character bigrams of the sentence's CJK letters and ASCII word characters (punctuation and
// spaces ignored), for the repetition check.
std::unordered_set<uint64_t> Bigrams(const std::wstring& t, size_t b, size_t e) {
  std::unordered_set<uint64_t> out;
  wchar_t prev = 0;
  for (size_t i = b; i < e; ++i) {
    wchar_t c = t[i];
    bool letter = (c >= 0x4E00 && c <= 0x9FFF) || (c >= L'0' && c <= L'9') || (c >= L'a' && c <= L'z');
    if (!letter) continue;
    if (prev) out.insert((static_cast<uint64_t>(prev) << 32) | static_cast<uint32_t>(c));
    prev = c;
  }
  return out;
}

double Jaccard(const std::unordered_set<uint64_t>& a, const std::unordered_set<uint64_t>& b) {
  if (a.empty() || b.empty()) return 0;
  size_t inter = 0;
  for (uint64_t x : a) inter += b.count(x);
  return static_cast<double>(inter) / static_cast<double>(a.size() + b.size() - inter);
}

bool IsClauseBreak(wchar_t c) { return c == L',' || c == L';' || c == L':'; }

// Characters inside quotation marks. Quoted words are reported speech ("一名干部称“你是替谁说话”"),
// not the statement's own voice, so sentence rules do not match inside them.
std::vector<bool> QuotedMask(const std::wstring& t) {
  std::vector<bool> quoted(t.size(), false);
  int depth = 0;
  bool ascii_open = false;
  for (size_t i = 0; i < t.size(); ++i) {
    wchar_t c = t[i];
    if (c == L'“' || c == L'「' || c == L'『') ++depth;
    else if ((c == L'”' || c == L'」' || c == L'』') && depth > 0) --depth;
    else if (c == L'"') ascii_open = !ascii_open;
    quoted[i] = depth > 0 || ascii_open;
  }
  return quoted;
}

bool AllQuoted(const std::vector<bool>& quoted, size_t b, size_t e) {
  for (size_t i = b; i < e; ++i)
    if (!quoted[i]) return false;
  return b < e;
}

// The leftmost match in [b, e) that is not wholly inside quotation marks.
std::pair<size_t, size_t> FindUnquoted(const Matcher& m, const std::wstring& t, size_t b, size_t e,
                                       const std::vector<bool>& quoted) {
  for (size_t from = b; from < e;) {
    auto hit = m.Find(t, from, e);
    if (hit.first == npos || !AllQuoted(quoted, hit.first, hit.second)) return hit;
    from = hit.first + 1;
  }
  return {npos, npos};
}

// A question in the statement's own voice: a '?' (folded from '？') outside quotation marks.
bool IsQuestion(const std::wstring& t, const SentenceSpan& s, const std::vector<bool>& quoted) {
  for (size_t i = s.start; i < s.end; ++i)
    if (t[i] == L'?' && !quoted[i]) return true;
  return false;
}

// Non-overlapping matches of `m` in [b, e), outside quotation marks.
int CountMatches(const Matcher& m, const std::wstring& t, size_t b, size_t e, const std::vector<bool>& quoted) {
  int n = 0;
  for (size_t from = b; from < e;) {
    auto hit = FindUnquoted(m, t, from, e, quoted);
    if (hit.first == npos) break;
    ++n;
    from = std::max(hit.second, hit.first + 1);
  }
  return n;
}

// Whether each sentence states a concrete fact: a time, or a match of a fact kind that counts in
// sentences (a number, who investigates, a measure taken).
std::vector<bool> FactualSentences(const std::wstring& t, const std::vector<SentenceSpan>& sentences,
                                   const std::vector<TimeMention>& times, const std::vector<FactKind>& facts) {
  std::vector<bool> out(sentences.size(), false);
  for (size_t i = 0; i < sentences.size(); ++i) {
    const SentenceSpan& s = sentences[i];
    for (const FactKind& f : facts) {
      if (!f.in_sentences) continue;
      if (f.from_times)
        for (const TimeMention& tm : times) out[i] = out[i] || (tm.start >= s.start && tm.end <= s.end);
      if (!out[i] && !f.match.empty()) out[i] = f.match.Any(t, s.start, s.end);
      if (out[i]) break;
    }
  }
  return out;
}

// kBoilerplate: enough stock phrases in sentences that state no fact, and such sentences make up
// at least `share` of the statement. One "高度重视" beside facts is padding, not a hollow answer.
bool IsBoilerplate(const Rule& rule, const std::wstring& t, const std::vector<SentenceSpan>& sentences,
                   const std::vector<bool>& factual, const std::vector<bool>& quoted) {
  int hits = 0;
  size_t hollow = 0;
  for (size_t i = 0; i < sentences.size(); ++i) {
    if (factual[i]) continue;
    int n = CountMatches(rule.match, t, sentences[i].start, sentences[i].end, quoted);
    hits += n;
    if (n > 0) ++hollow;
  }
  return hits >= static_cast<int>(rule.threshold) &&
         static_cast<double>(hollow) >= rule.share * static_cast<double>(sentences.size());
}

size_t CountLetters(const std::wstring& t, size_t b, size_t e) {
  size_t n = 0;
  for (size_t i = b; i < e; ++i)
    if (t[i] != L' ' && t[i] != L'\n' && t[i] != L'\r' && t[i] != L'\t') ++n;
  return n;
}

}  // namespace

FoldFn MakeFold(std::shared_ptr<const text::Normalizer> normalizer) {
  if (!normalizer) return [](uint32_t cp) { return BasicFold(cp); };
  return [n = std::move(normalizer)](uint32_t cp) { return n->Fold(cp); };
}

StatementChecker::StatementChecker(std::shared_ptr<const RuleSet> rules,
                                   std::shared_ptr<const text::Normalizer> normalizer)
    : rules_(std::move(rules)), normalizer_(std::move(normalizer)) {}

Result<std::unique_ptr<StatementChecker>> StatementChecker::Create(std::shared_ptr<const text::Normalizer> normalizer,
                                                                   const std::string& rules_path) {
  FoldFn fold = MakeFold(normalizer);
  Result<RuleSet> rs = Status::Internal("unset");
  if (!rules_path.empty()) {
    rs = LoadRules(rules_path, fold);
  } else {
    YQ_ASSIGN_OR_RETURN(DataFile f, ReadDataFile("statement_rules.yaml"));
    rs = ParseRules(f.text, fold);
    if (!rs.ok()) return Status(rs.status().code(), f.origin + ": " + rs.status().message());
  }
  if (!rs.ok()) return rs.status();
  return std::make_unique<StatementChecker>(std::make_shared<const RuleSet>(std::move(rs).value()),
                                            std::move(normalizer));
}

Result<CheckResult> StatementChecker::Check(std::string_view utf8, TimeMs at, bool english) const {
  if (utf8.size() > kMaxStatementBytes)
    return Status::TooLarge("statement is " + std::to_string(utf8.size()) + " bytes; the limit is " +
                            std::to_string(kMaxStatementBytes));
  const std::wstring original = Widen(utf8);
  std::wstring t = original;
  for (wchar_t& c : t)
    c = static_cast<wchar_t>(normalizer_ ? normalizer_->Fold(static_cast<uint32_t>(c))
                                         : BasicFold(static_cast<uint32_t>(c)));
  CheckResult r;
  r.sentences = SplitSentences(t);
  if (r.sentences.empty()) return Status::Invalid("the statement is empty");
  r.chars = CountLetters(t, 0, t.size());
  const RuleSet& rs = *rules_;
  const std::vector<TimeMention> times = FindTimes(t, at);
  r.commitments = ExtractCommitments(t, original, r.sentences, times, rs.commitments, at);
  bool dated_commitment = false;
  for (const Commitment& c : r.commitments) dated_commitment = dated_commitment || c.due.has_value();

  // Facts present, by kind.
  std::vector<const FactKind*> missing;
  for (const FactKind& f : rs.facts) {
    bool present = (f.from_times && !times.empty()) || (!f.match.empty() && f.match.Any(t, 0, t.size()));
    if (present) r.facts.push_back(f.kind);
    else missing.push_back(&f);
  }
  const int fact_count = static_cast<int>(r.facts.size());
  std::string missing_text;
  for (const FactKind* f : missing) {
    if (!missing_text.empty()) missing_text += english ? ", " : "、";
    missing_text += f->name.In(english);
  }

  const std::vector<bool> quoted = rs.skip_quoted ? QuotedMask(t) : std::vector<bool>(t.size(), false);
  const std::vector<bool> factual = FactualSentences(t, r.sentences, times, rs.facts);
  const int first_factual = static_cast<int>(std::find(factual.begin(), factual.end(), true) - factual.begin());
  auto sentence_of = [&](size_t pos) {
    for (size_t i = 0; i < r.sentences.size(); ++i)
      if (pos < r.sentences[i].end) return static_cast<int>(i);
    return static_cast<int>(r.sentences.size()) - 1;
  };
  auto add = [&](const Rule& rule, int sentence, size_t start, size_t end, bool whole) {
    Finding f;
    f.principle = rule.principle;
    f.severity = rule.severity;
    if (rule.severity_without_dated_commitment && !dated_commitment) f.severity = *rule.severity_without_dated_commitment;
    if (rule.severity_before_facts && sentence <= first_factual)
      f.severity = std::max(f.severity, *rule.severity_before_facts);
    f.sentence = sentence;
    f.start = start;
    f.end = end;
    f.statement_scope = whole;
    f.rule = rule.id;
    std::string msg = Replace(rule.message.In(english), "{match}", Narrow(std::wstring_view(original).substr(start, end - start)));
    f.message = Replace(std::move(msg), "{missing}", missing_text);
    r.findings.push_back(std::move(f));
  };
  const size_t n_sent = r.sentences.size();
  const size_t last = r.sentences.back().end;
  std::vector<std::unordered_set<uint64_t>> bigrams;

  for (const Rule& rule : rs.rules) {
    if (rule.when_facts_below >= 0 && fact_count >= rule.when_facts_below) continue;
    switch (rule.check) {
      case Check::kNoFacts:
        if (fact_count == 0) add(rule, 0, r.sentences[0].start, last, true);
        continue;
      case Check::kFewFacts:
        if (fact_count > 0 && fact_count < static_cast<int>(rule.threshold)) add(rule, 0, r.sentences[0].start, last, true);
        continue;
      case Check::kNoNextUpdate:
        if (!dated_commitment) add(rule, static_cast<int>(n_sent - 1), r.sentences.back().start, last, true);
        continue;
      case Check::kStatementLength:
        if (static_cast<double>(r.chars) > rule.threshold) add(rule, 0, r.sentences[0].start, last, true);
        continue;
      case Check::kSentenceLength:
        for (size_t i = 0; i < n_sent; ++i) {
          const SentenceSpan& s = r.sentences[i];
          if (static_cast<double>(CountLetters(t, s.start, s.end)) > rule.threshold)
            add(rule, static_cast<int>(i), s.start, s.end, false);
        }
        continue;
      case Check::kRepetition:
        if (bigrams.empty())
          for (const SentenceSpan& s : r.sentences) bigrams.push_back(Bigrams(t, s.start, s.end));
        for (size_t i = 1; i < n_sent; ++i) {
          if (bigrams[i].size() < 6) continue;  // "谢谢。" twice is not padding
          for (size_t j = 0; j < i; ++j) {
            if (Jaccard(bigrams[i], bigrams[j]) >= rule.threshold) {
              add(rule, static_cast<int>(i), r.sentences[i].start, r.sentences[i].end, false);
              break;
            }
          }
        }
        continue;
      case Check::kBoilerplate:
        if (IsBoilerplate(rule, t, r.sentences, factual, quoted)) add(rule, 0, r.sentences[0].start, last, true);
        continue;
      case Check::kNone:
        break;
    }
    if (rule.statement_scope) {
      size_t anchor = npos, anchor_end = npos;
      if (!rule.when_any.empty()) {
        auto m = rule.when_any.Find(t, 0, t.size());
        if (m.first == npos) continue;
        anchor = m.first;
        anchor_end = m.second;
      }
      if (!rule.require_any.empty() && rule.require_any.Any(t, 0, t.size())) continue;
      if (anchor == npos) add(rule, 0, r.sentences[0].start, last, true);
      else add(rule, sentence_of(anchor), anchor, anchor_end, false);
      continue;
    }
    for (size_t i = 0; i < n_sent; ++i) {
      const SentenceSpan& s = r.sentences[i];
      if (rule.question && !IsQuestion(t, s, quoted)) continue;
      if (!rule.prefilter.empty() && !rule.prefilter.Any(t, s.start, s.end)) continue;
      auto m = FindUnquoted(rule.match, t, s.start, s.end, quoted);
      if (m.first == npos) continue;
      if (!rule.unless.empty() && rule.unless.Any(t, s.start, s.end)) continue;
      if (rule.unless_time) {
        // The clause around the match (between commas) names a time.
        size_t cb = m.first, ce = m.second;
        while (cb > s.start && !IsClauseBreak(t[cb - 1])) --cb;
        while (ce < s.end && !IsClauseBreak(t[ce])) ++ce;
        bool has_time = false;
        for (const TimeMention& tm : times) has_time = has_time || (tm.start >= cb && tm.end <= ce);
        if (has_time) continue;
      }
      if (rule.in_promise && !HasPromiseMarker(t, s.start, s.end, rs.commitments)) continue;
      add(rule, static_cast<int>(i), m.first, m.second, false);
    }
  }
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.sentence != b.sentence) return a.sentence < b.sentence;
    return a.start < b.start;
  });
  for (const Finding& f : r.findings) r.ok = r.ok && f.severity != Severity::kError;
  return r;
}

nlohmann::json CheckResultToJson(const CheckResult& r, std::string_view statement) {
  using nlohmann::json;
  const std::wstring w = Widen(statement);
  json findings = json::array();
  for (const Finding& f : r.findings) {
    findings.push_back({{"principle", PrincipleName(f.principle)},
                        {"severity", SeverityName(f.severity)},
                        {"sentence", f.sentence},
                        {"start", f.start},
                        {"end", f.end},
                        {"message", f.message},
                        {"rule", f.rule},
                        {"scope", f.statement_scope ? "statement" : "sentence"},
                        {"text", f.statement_scope ? std::string() : Narrow(std::wstring_view(w).substr(
                                                                          f.start, f.end - f.start))}});
  }
  json commitments = json::array();
  for (const Commitment& c : r.commitments) {
    commitments.push_back({{"text", c.text},
                           {"due", c.due ? json(FormatTime(*c.due)) : json(nullptr)},
                           {"sentence", c.sentence},
                           {"start", c.start},
                           {"end", c.end}});
  }
  json sentences = json::array();
  for (const SentenceSpan& s : r.sentences) sentences.push_back({{"start", s.start}, {"end", s.end}});
  return {{"ok", r.ok},           {"findings", findings}, {"commitments", commitments},
          {"sentences", sentences}, {"facts", r.facts},   {"chars", r.chars}};
}

}  // namespace yuqing::incident

#include "rules/reference.h"

#include <algorithm>

#include "text/utf8.h"

namespace yuqing::rules {
namespace {

uint32_t PrevCodePoint(std::string_view s, size_t pos) {
  size_t i = pos - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80 && pos - i < 4) --i;
  return text::DecodeUtf8(s, i);
}

uint32_t CharIndex(std::string_view s, size_t byte) {
  return static_cast<uint32_t>(text::CountCodePoints(s.substr(0, byte)));
}

void CollectPositiveTerms(const Node& n, bool positive, std::vector<const Node*>& out) {
  switch (n.kind) {
    case Node::kTerm:
      if (positive) out.push_back(&n);
      break;
    case Node::kNear:
    case Node::kAnd:
    case Node::kOr:
      for (const Node& c : n.children) CollectPositiveTerms(c, positive, out);
      break;
    case Node::kNot:
      CollectPositiveTerms(n.children[0], !positive, out);
      break;
    default:
      break;
  }
}

}  // namespace

Result<ParsedScheme> ParseScheme(const Scheme& scheme, const text::Normalizer& norm, const ParseOptions& opts,
                                 ParseError* error) {
  ParsedScheme ps;
  ParseError err;
  auto q = ParseQuery(scheme.query, norm, opts, &err);
  if (!q.ok()) {
    if (error) *error = err;
    return q.status();
  }
  ps.query = std::move(q).value();
  for (size_t i = 0; i < scheme.exclude.size(); ++i) {
    auto e = ParseQuery(scheme.exclude[i], norm, opts, &err);
    if (!e.ok()) {
      std::string n = std::to_string(i + 1);
      err.en = "exclude " + n + ": " + err.Message(false);
      err.zh = "排除词 " + n + "：" + err.Message(true);
      err.column = 0;
      if (error) *error = err;
      return Status::Invalid(err.en);
    }
    ps.excludes.push_back(std::move(e).value());
  }
  return ps;
}

FieldTexts NormalizeFields(const MatchInput& in, const text::Normalizer& norm, bool title_text_normalised) {
  FieldTexts f;
  const std::string_view raw[kNumFields] = {in.title, in.text, in.author, in.source,
                                            in.channel, in.region, in.lang};
  for (int i = 0; i < kNumFields; ++i) {
    if (i < 2 && title_text_normalised) f.field[i] = std::string(raw[i]);
    else norm.Normalize(raw[i], f.field[i]);
  }
  f.verified = in.verified;
  f.followers = in.followers;
  return f;
}

std::vector<size_t> FindOccurrences(std::string_view s, std::string_view term) {
  std::vector<size_t> out;
  if (term.empty()) return out;
  bool before = NeedsBoundaryBefore(term), after = NeedsBoundaryAfter(term);
  for (size_t p = s.find(term); p != std::string_view::npos; p = s.find(term, p + 1)) {
    if (before && p > 0 && IsWordChar(PrevCodePoint(s, p))) continue;
    size_t e = p + term.size();
    if (after && e < s.size()) {
      size_t i = e;
      if (IsWordChar(text::DecodeUtf8(s, i))) continue;
    }
    out.push_back(p);
  }
  return out;
}

bool ReferenceEval(const Node& n, const FieldTexts& post) {
  switch (n.kind) {
    case Node::kTerm:
      for (int f = 0; f < kNumFields; ++f)
        if ((n.fields & (1 << f)) && !FindOccurrences(post.field[f], n.term).empty()) return true;
      return false;
    case Node::kNear: {
      const std::string& ta = n.children[0].term;
      const std::string& tb = n.children[1].term;
      int64_t la = static_cast<int64_t>(text::CountCodePoints(ta));
      int64_t lb = static_cast<int64_t>(text::CountCodePoints(tb));
      for (int f = 0; f < kNumFields; ++f) {
        if (!(n.fields & (1 << f))) continue;
        const std::string& s = post.field[f];
        for (size_t pa : FindOccurrences(s, ta)) {
          for (size_t pb : FindOccurrences(s, tb)) {
            int64_t sa = CharIndex(s, pa), sb = CharIndex(s, pb);
            int64_t gap = std::max(sa, sb) - std::min(sa + la, sb + lb);
            if (gap <= n.distance) return true;
          }
        }
      }
      return false;
    }
    case Node::kAnd:
      for (const Node& c : n.children)
        if (!ReferenceEval(c, post)) return false;
      return true;
    case Node::kOr:
      for (const Node& c : n.children)
        if (ReferenceEval(c, post)) return true;
      return false;
    case Node::kNot:
      return !ReferenceEval(n.children[0], post);
    case Node::kVerified:
      return post.verified == n.bool_value;
    case Node::kFollowers:
      switch (n.op) {
        case CmpOp::kEq: return post.followers == n.number;
        case CmpOp::kGt: return post.followers > n.number;
        case CmpOp::kGe: return post.followers >= n.number;
        case CmpOp::kLt: return post.followers < n.number;
        case CmpOp::kLe: return post.followers <= n.number;
      }
  }
  return false;
}

bool ReferenceMatch(const ParsedScheme& scheme, const FieldTexts& post) {
  if (!ReferenceEval(scheme.query.root, post)) return false;
  for (const Query& e : scheme.excludes)
    if (ReferenceEval(e.root, post)) return false;
  return true;
}

std::vector<std::string> ReferenceHitTerms(const Query& query, const FieldTexts& post) {
  std::vector<const Node*> terms;
  CollectPositiveTerms(query.root, true, terms);
  std::vector<std::string> out;
  for (const Node* t : terms) {
    if (std::find(out.begin(), out.end(), t->term) != out.end()) continue;
    for (int f = 0; f < kNumFields; ++f) {
      if ((t->fields & (1 << f)) && !FindOccurrences(post.field[f], t->term).empty()) {
        out.push_back(t->term);
        break;
      }
    }
  }
  return out;
}

std::vector<HitSpan> HighlightSpans(const Query& query, const FieldTexts& post) {
  std::vector<const Node*> terms;
  CollectPositiveTerms(query.root, true, terms);
  std::vector<HitSpan> out;
  for (const Node* t : terms) {
    uint32_t len = static_cast<uint32_t>(text::CountCodePoints(t->term));
    for (int f = 0; f < kNumFields; ++f) {
      if (!(t->fields & (1 << f))) continue;
      for (size_t p : FindOccurrences(post.field[f], t->term)) {
        uint32_t s = CharIndex(post.field[f], p);
        out.push_back({t->term, f, s, s + len});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const HitSpan& a, const HitSpan& b) {
    if (a.field != b.field) return a.field < b.field;
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end > b.end;
    return a.term < b.term;
  });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const HitSpan& a, const HitSpan& b) {
                          return a.field == b.field && a.start == b.start && a.end == b.end && a.term == b.term;
                        }),
            out.end());
  return out;
}

}  // namespace yuqing::rules

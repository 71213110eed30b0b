#include "app/scheme_tester.h"

#include <algorithm>
#include <string>

#include "rules/match_input.h"
#include "rules/matcher.h"

namespace yuqing::app {

Result<SchemeTestResult> TestScheme(store::PostStore& posts, rules::Scheme scheme,
                                    std::shared_ptr<const text::Normalizer> norm, const SchemeTestOptions& opts,
                                    rules::ParseError* error) {
  scheme.enabled = true;  // a disabled scheme is tested too
  if (scheme.id == 0) scheme.id = 1;
  std::vector<rules::CompileError> errors;
  YQ_ASSIGN_OR_RETURN(auto matcher, rules::Matcher::Compile({scheme}, norm, {}, &errors));
  if (!errors.empty()) {
    if (error) *error = errors.front().error;
    return Status::Invalid(errors.front().error.Message(false));
  }
  SchemeTestResult res;
  store::SearchQuery q;  // no text: every post of the period, newest first
  q.from = opts.from;
  rules::Scratch scratch;
  std::vector<SchemeHit> hits;
  std::string title, text;
  while (true) {
    q.limit = 1000;
    if (opts.max_scan) q.limit = std::min<size_t>(q.limit, opts.max_scan - static_cast<size_t>(res.scanned));
    YQ_ASSIGN_OR_RETURN(auto page, posts.Search(q));
    for (auto& h : page.hits) {
      const Post& p = h.post.post;
      title.clear();
      text.clear();
      norm->Normalize(p.title, title);
      norm->Normalize(p.text, text);
      const rules::MatchInput in = rules::MatchInputFrom(p, title, text);
      hits.clear();
      matcher->Match(in, hits, scratch);
      if (hits.empty()) continue;
      ++res.matched;
      if (res.samples.size() < opts.max_samples) {
        SchemeTestSample s;
        s.terms = hits[0].terms;
        if (auto spans = matcher->Highlight(scheme.id, in); spans.ok()) s.spans = std::move(*spans);
        s.post = std::move(h.post);
        res.samples.push_back(std::move(s));
      }
    }
    res.scanned += static_cast<int64_t>(page.hits.size());
    if (page.next_cursor.empty()) break;
    if (opts.max_scan && static_cast<size_t>(res.scanned) >= opts.max_scan) {
      res.truncated = true;
      break;
    }
    YQ_RETURN_IF_ERROR(q.SetCursor(page.next_cursor));
  }
  return res;
}

}  // namespace yuqing::app

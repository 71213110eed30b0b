// The compiled matcher: every enabled scheme's literals in one Hyperscan literal database.
// Each post field is scanned once; only schemes with a hit on one of their trigger literals
// (a presearcher, as in Lucene Monitor) are evaluated, by a small postfix program per scheme.
// Results agree exactly with the reference evaluator (reference.h).
//
// A Matcher is immutable and thread-safe; each thread passes its own Scratch. See
// live_matcher.h for rebuilding while posts flow.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/post.h"
#include "core/status.h"
#include "rules/fields.h"
#include "rules/query.h"
#include "rules/reference.h"
#include "rules/scheme.h"
#include "text/normalizer.h"

namespace yuqing::rules {

class Matcher;

// Per-thread working memory for Match. Default-constructible and movable; it adapts itself to
// whichever Matcher it is passed to (re-preparing when the matcher changes). One thread at a
// time; never share one Scratch between concurrent Match calls.
class Scratch {
 public:
  Scratch();
  ~Scratch();
  Scratch(Scratch&&) noexcept;
  Scratch& operator=(Scratch&&) noexcept;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  struct Impl;

 private:
  friend class Matcher;
  std::unique_ptr<Impl> impl_;
};

struct CompileOptions {
  ParseOptions parse;
  // Estimated share of posts (0..1] containing a literal, used to choose the rarest literals as
  // a scheme's triggers. Empty: a length-based guess (longer literals are rarer).
  std::function<double(std::string_view literal)> literal_frequency;
};

// A scheme that could not be compiled (it is left out; the others still match).
struct CompileError {
  int64_t scheme_id = 0;
  std::string name;
  ParseError error;
};

class Matcher {
 public:
  ~Matcher();

  // Compiles the enabled schemes of `schemes`. Schemes that do not parse are left out and
  // listed in *errors (when given). Fails only when Hyperscan itself fails.
  static Result<std::shared_ptr<const Matcher>> Compile(const std::vector<Scheme>& schemes,
                                                        std::shared_ptr<const text::Normalizer> norm,
                                                        const CompileOptions& opts = {},
                                                        std::vector<CompileError>* errors = nullptr);

  // Appends one SchemeHit per matching scheme to `out` (not cleared), in ascending scheme order
  // of the compiled list, each with its positive terms that occur (query order, no repeats).
  // Contract for `in`: see MatchInput (title/text pre-normalised).
  void Match(const MatchInput& in, std::vector<SchemeHit>& out, Scratch& scratch) const;

  // Character offsets of every occurrence of the scheme's positive terms (for highlighting).
  // Slow path (re-parses the scheme); NotFound when the scheme is not in this matcher.
  Result<std::vector<HitSpan>> Highlight(int64_t scheme_id, const MatchInput& in) const;

  // The compiled schemes (metadata included), and lookup by id (nullptr when absent).
  const std::vector<Scheme>& schemes() const { return schemes_; }
  const Scheme* Find(int64_t scheme_id) const;
  size_t literal_count() const;
  // Bytes held by the Hyperscan database and the matcher's tables (approximate).
  size_t memory_bytes() const;
  const text::Normalizer& normalizer() const { return *norm_; }

  struct Impl;

 private:
  Matcher() = default;
  std::shared_ptr<const text::Normalizer> norm_;
  std::vector<Scheme> schemes_;
  std::shared_ptr<Impl> impl_;  // shared so a Scratch can tell which database it was prepared for
};

}  // namespace yuqing::rules

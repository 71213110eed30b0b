// Native (C++) peers for bench/ingest/stage_bench: what a team would write without yuqing's
// engineering, measured on the same posts in the same process. See docs/performance.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/reference.h"
#include "rules/scheme.h"
#include "text/normalizer.h"

namespace yuqing::bench {

// cppjieba itself (the library yuqing's segmenter wraps), precise mode with HMM, on the same
// dictionary directory.
class RawJieba {
 public:
  explicit RawJieba(const std::string& dict_dir);
  ~RawJieba();
  void Cut(std::string_view text, std::vector<std::string>& words) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Brute-force near-duplicate search: for post i, the earliest j < i with Hamming distance
// <= max_distance, by scanning all earlier hashes. Returns, per post, the index found or -1.
std::vector<int64_t> BruteForceNearDup(const std::vector<uint64_t>& hashes, int max_distance);

// The naive per-scheme loop: every scheme, parsed once, evaluated on every post by the reference
// evaluator (substring search per term). Returns the number of (post, scheme) matches.
struct NaiveMatcher {
  std::vector<rules::ParsedScheme> schemes;
  size_t Match(const rules::FieldTexts& post) const;
};

}  // namespace yuqing::bench

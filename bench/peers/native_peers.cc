#include "native_peers.h"

#include "cppjieba/Jieba.hpp"

namespace yuqing::bench {

struct RawJieba::Impl {
  explicit Impl(const std::string& d)
      : jieba(d + "/jieba.dict.utf8", d + "/hmm_model.utf8", d + "/user.dict.utf8", d + "/idf.utf8",
              d + "/stop_words.utf8") {}
  cppjieba::Jieba jieba;
};

RawJieba::RawJieba(const std::string& dict_dir) : impl_(std::make_unique<Impl>(dict_dir)) {}
RawJieba::~RawJieba() = default;

void RawJieba::Cut(std::string_view text, std::vector<std::string>& words) const {
  impl_->jieba.Cut(std::string(text), words, true);
}

std::vector<int64_t> BruteForceNearDup(const std::vector<uint64_t>& hashes, int max_distance) {
  std::vector<int64_t> found(hashes.size(), -1);
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (hashes[i] == 0) continue;  // no words: never a duplicate (as NearDupIndex callers do)
    for (size_t j = 0; j < i; ++j) {
      if (hashes[j] != 0 && __builtin_popcountll(hashes[i] ^ hashes[j]) <= max_distance) {
        found[i] = static_cast<int64_t>(j);
        break;
      }
    }
  }
  return found;
}

size_t NaiveMatcher::Match(const rules::FieldTexts& post) const {
  size_t n = 0;
  for (const auto& s : schemes) n += rules::ReferenceMatch(s, post);
  return n;
}

}  // namespace yuqing::bench

// Chinese (and mixed) word segmentation: the only user of cppjieba in the project.
// cppjieba abort()s on a missing or bad dictionary, so Create() checks the files first and passes
// absolute paths. All methods are const and safe to call from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/status.h"

namespace yuqing::text {

struct Token {
  uint32_t begin = 0;  // byte offsets into the segmented text
  uint32_t end = 0;
};

class Segmenter {
 public:
  // dict_dir holds jieba.dict.utf8, hmm_model.utf8, idf.utf8, stop_words.utf8 (cppjieba's dict/).
  // An empty dict_dir uses $YUQING_DICT_DIR, then the dictionaries fetched at build time.
  static Result<std::shared_ptr<const Segmenter>> Create(std::string dict_dir = "");
  ~Segmenter();

  // Precise mode with HMM for unknown words. Whitespace-only pieces are dropped.
  void Cut(std::string_view text, std::vector<std::string>& words) const;
  void CutOffsets(std::string_view text, std::vector<Token>& tokens) const;
  // Search mode: long words are followed by their dictionary sub-words (自来水 → 自来水, 自来, 来水).
  // `colocated[i]` is true when token i overlaps the previous full word (a sub-word of it).
  void CutForSearch(std::string_view text, std::vector<Token>& tokens, std::vector<bool>& colocated) const;

  // Inverse document frequency from cppjieba's idf.utf8 (median idf for unknown words).
  double Idf(std::string_view word) const;
  bool IsStopWord(std::string_view word) const;
  // Top-n words by TF-IDF over already segmented words (stop words, single Latin letters, digits
  // and punctuation skipped), best first.
  std::vector<std::pair<std::string, double>> Keywords(const std::vector<std::string>& words, size_t n) const;

  const std::string& dict_dir() const { return dict_dir_; }

 private:
  Segmenter() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string dict_dir_;
  std::unordered_map<std::string, double> idf_;
  std::unordered_set<std::string> stop_words_;
  double median_idf_ = 10.0;
};

// Resolves the dictionary directory: explicit, $YUQING_DICT_DIR, or the build-time default.
std::string DefaultDictDir();

}  // namespace yuqing::text

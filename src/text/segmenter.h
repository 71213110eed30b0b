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
  // stop_words_file adds the project's stop words (one a line, '#' comments) to cppjieba's; empty
  // uses DefaultStopWordsFile() when it exists. kIo when an explicit file cannot be read.
  static Result<std::shared_ptr<const Segmenter>> Create(std::string dict_dir = "", std::string stop_words_file = "");
  ~Segmenter();

  // Precise mode with HMM for unknown words. Whitespace-only pieces are dropped.
  void Cut(std::string_view text, std::vector<std::string>& words) const;
  void CutOffsets(std::string_view text, std::vector<Token>& tokens) const;
  // Search mode: long words are followed by their dictionary sub-words (自来水 → 自来水, 自来, 来水).
  // `colocated[i]` is true when token i overlaps the previous full word (a sub-word of it).
  void CutForSearch(std::string_view text, std::vector<Token>& tokens, std::vector<bool>& colocated) const;

  // Inverse document frequency from cppjieba's idf.utf8 (median idf for unknown words).
  double Idf(std::string_view word) const;
  // cppjieba's stop words (SimHash skips them). The project's list (models/stop_words_zh.txt)
  // only keeps words out of keywords (IsContentWord): near-duplicate detection stays as it was.
  bool IsStopWord(std::string_view word) const;
  // Whether a word may be a keyword: in neither stop-word list, at least two characters with a letter or a
  // CJK character, not made only of function characters (我要, 没有, 就是, 什么), not a
  // numeral with a measure word (一个, 两例, 三千名), and not a segmenter fragment that the
  // dictionary does not know glued to a function character (地要, 需再, 来了).
  bool IsContentWord(std::string_view word) const;
  // Top-n content words (IsContentWord) by TF-IDF over already segmented words, best first.
  std::vector<std::pair<std::string, double>> Keywords(const std::vector<std::string>& words, size_t n) const;

  // What the rules above know of a word, for code that asks about every word of a post (keywords
  // and SimHash): Facts() looks each word up once, and starts the reads of all of them before
  // using any, since the word table is larger than the caches.
  struct WordFact {
    uint64_t hash = 0;   // Hash64(word): the table's key, and SimHash's vote
    double idf = 0;      // Idf(word)
    bool stop = false;         // IsStopWord(word)
    bool has_idf = false;      // listed in idf.utf8
    bool not_keyword = false;  // in the project's stop-word list
  };
  void Facts(const std::vector<std::string>& words, std::vector<WordFact>& out) const;
  // The same answers as above, from the word's facts.
  bool IsContentWord(std::string_view word, const WordFact& fact) const;
  std::vector<std::pair<std::string, double>> Keywords(const std::vector<std::string>& words,
                                                       const std::vector<WordFact>& facts, size_t n) const;

  const std::string& dict_dir() const { return dict_dir_; }

 private:
  Segmenter() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string dict_dir_;
  // What the keyword rules know of a word: its idf (from idf.utf8) and whether it is a stop word,
  // in one open-addressing table keyed by a 64-bit hash of the word, so that a word costs one
  // probe (about one cache miss) however large the dictionary (260k words).
  struct WordInfo {
    uint64_t key = 0;  // the word's hash, its low 3 bits holding the flags below; 0: empty
    double idf = 0;
    uint64_t flags() const { return key & 7; }
  };
  static constexpr uint64_t kHasIdf = 1, kStop = 2, kNotKeyword = 4;  // kStop: cppjieba's list
  WordInfo& Slot(uint64_t hash);
  const WordInfo* Lookup(std::string_view word) const;
  const WordInfo* LookupKey(uint64_t key) const;  // key: WordKey(Hash64(word))
  WordFact FactOf(uint64_t hash) const;
  std::vector<WordInfo> words_;
  size_t mask_ = 0;
  double median_idf_ = 10.0;
};

// Resolves the dictionary directory: explicit, $YUQING_DICT_DIR, or the build-time default.
std::string DefaultDictDir();
// $YUQING_MODELS_DIR/stop_words_zh.txt, else the source tree's models/stop_words_zh.txt.
std::string DefaultStopWordsFile();

}  // namespace yuqing::text

// The segmenter's dictionary: cppjieba's dictionary files (jieba.dict.utf8 and the user
// dictionary) with cppjieba's word weights, held in a double-array trie (darts) over UTF-8 bytes.
// cppjieba keeps its dictionary in a trie whose every node is a std::unordered_map (about 100 MiB
// for 350k words): building a post's word graph cost a hash lookup per character per candidate
// word, the hottest code of ingest. Here one contiguous array answers "every dictionary word
// starting here" in one walk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::text {

class DictIndex {
 public:
  struct Entry {  // a dictionary word and its weight (a frequency while a file is read)
    std::string word;
    double weight;
  };
  struct Match {
    double weight;   // log(frequency / total), as cppjieba computes it
    uint32_t bytes;  // the word's length in bytes
  };
  // Loads cppjieba's dictionary ("word freq tag" a line) and user dictionary ("word [freq] [tag]")
  // the way cppjieba's DictTrie does: weight log(freq / sum of the dictionary's freqs), user words
  // without a frequency at the dictionary's median weight, later entries overriding earlier ones.
  // kInvalid names the file and line of a malformed dictionary entry; kIo an unreadable file.
  static Result<std::unique_ptr<DictIndex>> Load(const std::string& dict_path, const std::string& user_dict_path);
  ~DictIndex();

  // Every dictionary word that is a prefix of `text`, shortest first, into `out` (cleared).
  void PrefixMatches(std::string_view text, std::vector<Match>& out) const;
  // Whether `word` is in the dictionary.
  bool Contains(std::string_view word) const;
  // The weight of a character the dictionary does not know (the dictionary's lowest weight).
  double min_weight() const { return min_weight_; }
  // A single character from the user dictionary is kept as a word, not given to the HMM.
  bool IsUserSingleCharWord(uint32_t rune) const;

 private:
  DictIndex();
  // The double array over `entries` (the last of equal words wins) and the per-character node table.
  Status BuildTrie(const std::vector<Entry>& entries);
  struct Trie;
  std::unique_ptr<Trie> trie_;
  std::vector<double> weights_;  // trie value → weight
  std::vector<uint32_t> user_single_chars_;  // sorted
  // The trie node reached by each BMP character's UTF-8 bytes (0: no word starts with it). A
  // walk starts there: one small, mostly cached table read instead of two or three transitions
  // through the large array, and none at all for characters that start no word.
  std::vector<uint32_t> first_node_;
  std::vector<int32_t> first_value_;  // the character's own word (trie value), or -1
  double min_weight_ = 0;
  size_t max_word_bytes_ = 0;
};

}  // namespace yuqing::text

// cppjieba's HMM step for unknown words (HMMSegment::Cut over a range of characters), with the
// model's emission probabilities in one flat table instead of four hash maps: the Viterbi pass
// looked each character up four times in std::unordered_map (about 2% of an ingest). The
// arithmetic, the order of the additions and the tie-breaking are cppjieba's, so the words are
// the same (tests/unit/text/segmenter_jieba_test.cc compares whole cuts with cppjieba's).
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "cppjieba/DictTrie.hpp"  // the constants HMMModel.hpp uses
#include "cppjieba/HMMModel.hpp"

namespace yuqing::text {

class HmmCut {
 public:
  explicit HmmCut(const cppjieba::HMMModel& model);

  // Appends the words of [begin, end) as HMMSegment::Cut(begin, end, out) would: runs of ASCII
  // letters (then digits) and of digits (and dots) are words, the rest goes through Viterbi.
  void Cut(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end, std::vector<cppjieba::WordRange>& out) const;

 private:
  static constexpr size_t kStates = cppjieba::HMMModel::STATUS_SUM;  // B, E, M, S
  using Emission = std::array<double, kStates>;

  // The four emission log-probabilities of a character (MIN_DOUBLE where the model has none).
  const Emission& Emit(uint32_t rune) const;
  void Viterbi(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end, std::vector<uint8_t>& status) const;
  void InternalCut(const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end,
                   std::vector<cppjieba::WordRange>& out) const;

  double start_[kStates];
  double trans_[kStates][kStates];
  std::vector<uint32_t> bmp_slot_;                 // code point < 0x10000 -> index in emissions_ (0: none)
  std::vector<Emission> emissions_;                // [0] is the character the model does not know
  std::unordered_map<uint32_t, uint32_t> astral_;  // the rare characters past the BMP
};

}  // namespace yuqing::text

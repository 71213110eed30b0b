#include "text/hmm_cut.h"

namespace yuqing::text {

using cppjieba::HMMModel;
using cppjieba::RuneStr;
using cppjieba::WordRange;

HmmCut::HmmCut(const HMMModel& model) : bmp_slot_(0x10000, 0) {
  for (size_t y = 0; y < kStates; ++y) {
    start_[y] = model.startProb[y];
    for (size_t z = 0; z < kStates; ++z) trans_[y][z] = model.transProb[y][z];
  }
  Emission unknown;
  unknown.fill(cppjieba::MIN_DOUBLE);
  emissions_.push_back(unknown);
  for (size_t y = 0; y < kStates; ++y) {
    for (const auto& [rune, p] : *model.emitProbVec[y]) {
      uint32_t slot = rune < 0x10000 ? bmp_slot_[rune] : (astral_.count(rune) ? astral_[rune] : 0);
      if (slot == 0) {
        slot = static_cast<uint32_t>(emissions_.size());
        emissions_.push_back(unknown);
        if (rune < 0x10000) bmp_slot_[rune] = slot;
        else astral_[rune] = slot;
      }
      emissions_[slot][y] = p;
    }
  }
}

const HmmCut::Emission& HmmCut::Emit(uint32_t rune) const {
  if (rune < 0x10000) return emissions_[bmp_slot_[rune]];
  auto it = astral_.find(rune);
  return emissions_[it == astral_.end() ? 0 : it->second];
}

namespace {
bool IsLetter(uint32_t x) { return ('a' <= x && x <= 'z') || ('A' <= x && x <= 'Z'); }
bool IsDigit(uint32_t x) { return '0' <= x && x <= '9'; }
}  // namespace

void HmmCut::Cut(const RuneStr* begin, const RuneStr* end, std::vector<WordRange>& out) const {
  const RuneStr* left = begin;
  const RuneStr* right = begin;
  while (right != end) {
    if (right->rune >= 0x80) {
      ++right;
      continue;
    }
    if (left != right) InternalCut(left, right, out);
    left = right;
    // SequentialLetterRule, else NumbersRule, else the ASCII character alone.
    if (IsLetter(right->rune)) {
      ++right;
      while (right != end && (IsLetter(right->rune) || IsDigit(right->rune))) ++right;
    } else if (IsDigit(right->rune)) {
      ++right;
      while (right != end && (IsDigit(right->rune) || right->rune == '.')) ++right;
    } else {
      ++right;
    }
    out.push_back(WordRange(left, right - 1));
    left = right;
  }
  if (left != right) InternalCut(left, right, out);
}

void HmmCut::InternalCut(const RuneStr* begin, const RuneStr* end, std::vector<WordRange>& out) const {
  thread_local std::vector<uint8_t> status;
  Viterbi(begin, end, status);
  const RuneStr* left = begin;
  for (size_t i = 0; i < status.size(); ++i) {
    if (status[i] % 2) {  // E or S ends a word
      const RuneStr* right = begin + i + 1;
      out.push_back(WordRange(left, right - 1));
      left = right;
    }
  }
}

void HmmCut::Viterbi(const RuneStr* begin, const RuneStr* end, std::vector<uint8_t>& status) const {
  // weight[x * 4 + y]: the best log-probability of characters [0, x] ending in state y; path:
  // the state before it. Same sums in the same order as cppjieba, strict > for ties.
  thread_local std::vector<double> weight;
  thread_local std::vector<int8_t> path;
  const size_t n = static_cast<size_t>(end - begin);
  weight.resize(n * kStates);
  path.resize(n * kStates);
  {
    const Emission& e = Emit(begin->rune);
    for (size_t y = 0; y < kStates; ++y) {
      weight[y] = start_[y] + e[y];
      path[y] = -1;
    }
  }
  for (size_t x = 1; x < n; ++x) {
    const Emission& e = Emit(begin[x].rune);
    const double* prev = &weight[(x - 1) * kStates];
    for (size_t y = 0; y < kStates; ++y) {
      double w = cppjieba::MIN_DOUBLE;
      int8_t from = HMMModel::E;
      for (size_t py = 0; py < kStates; ++py) {
        const double t = prev[py] + trans_[py][y] + e[y];
        if (t > w) {
          w = t;
          from = static_cast<int8_t>(py);
        }
      }
      weight[x * kStates + y] = w;
      path[x * kStates + y] = from;
    }
  }
  const double end_e = weight[(n - 1) * kStates + HMMModel::E];
  const double end_s = weight[(n - 1) * kStates + HMMModel::S];
  int stat = end_e >= end_s ? HMMModel::E : HMMModel::S;
  status.resize(n);
  for (size_t x = n; x-- > 0;) {
    status[x] = static_cast<uint8_t>(stat);
    stat = path[x * kStates + static_cast<size_t>(stat)];
  }
}

}  // namespace yuqing::text

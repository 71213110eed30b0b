#include "text/dict_index.h"

#include <darts.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numeric>

#include "cppjieba/Unicode.hpp"
#include "limonp/StringUtil.hpp"

namespace yuqing::text {

struct DictIndex::Trie {
  Darts::DoubleArray array;
};

DictIndex::DictIndex() : trie_(std::make_unique<Trie>()) {}
DictIndex::~DictIndex() = default;

namespace {

using Entry = DictIndex::Entry;

// UTF-8 of a BMP code point.
size_t EncodeBmp(uint32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  out[0] = static_cast<char>(0xE0 | (cp >> 12));
  out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[2] = static_cast<char>(0x80 | (cp & 0x3F));
  return 3;
}

// The BMP code point `s` starts with in shortest-form UTF-8 (so its bytes are EncodeBmp's), and
// its length; 0 for anything else (4-byte characters, malformed bytes).
size_t DecodeBmp(std::string_view s, uint32_t& cp) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  if (b(0) < 0x80) {
    cp = b(0);
    return 1;
  }
  if (s.size() >= 2 && (b(0) & 0xE0) == 0xC0 && (b(1) & 0xC0) == 0x80) {
    cp = ((b(0) & 0x1Fu) << 6) | (b(1) & 0x3Fu);
    return cp >= 0x80 ? 2 : 0;
  }
  if (s.size() >= 3 && (b(0) & 0xF0) == 0xE0 && (b(1) & 0xC0) == 0x80 && (b(2) & 0xC0) == 0x80) {
    cp = ((b(0) & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    return cp >= 0x800 ? 3 : 0;
  }
  return 0;
}

std::string Where(const std::string& path, size_t line) { return path + ":" + std::to_string(line); }

// jieba.dict.utf8: "word freq tag", exactly three columns (cppjieba aborts on anything else).
Status ReadDictionary(const std::string& path, std::vector<Entry>& out) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read dictionary " + path);
  std::string line;
  for (size_t no = 1; std::getline(in, line); ++no) {
    std::vector<std::string> cols;
    limonp::Split(line, cols, " ");
    if (cols.size() != 3) return Status::Invalid(Where(path, no) + ": expected \"word freq tag\"");
    double freq = 0;
    auto [end, ec] = std::from_chars(cols[1].data(), cols[1].data() + cols[1].size(), freq);
    if (ec != std::errc() || !(freq > 0)) return Status::Invalid(Where(path, no) + ": bad frequency " + cols[1]);
    out.push_back({std::move(cols[0]), freq});
  }
  if (out.empty()) return Status::Invalid("dictionary has no words: " + path);
  return Status::Ok();
}

// cppjieba's DictTrie: frequencies become log-probabilities of the dictionary's total. Returns
// the total; `sorted` gets the weights in increasing order.
double ToLogWeights(std::vector<Entry>& entries, std::vector<double>& sorted) {
  const double sum = std::accumulate(entries.begin(), entries.end(), 0.0,
                                     [](double s, const Entry& e) { return s + e.weight; });
  sorted.clear();
  sorted.reserve(entries.size());
  for (auto& e : entries) {
    e.weight = std::log(e.weight / sum);
    sorted.push_back(e.weight);
  }
  std::sort(sorted.begin(), sorted.end());
  return sum;
}

// The user dictionary ("word [freq] [tag]"), appended to `entries`: a word without a frequency
// gets the median weight; single characters are listed in `single_chars`.
Status ReadUserDictionary(const std::string& path, double sum, double median, std::vector<Entry>& entries,
                          std::vector<uint32_t>& single_chars) {
  std::ifstream in(path);
  if (!in) return Status::Io("cannot read user dictionary " + path);
  std::string line;
  cppjieba::RuneStrArray runes;
  for (size_t no = 1; std::getline(in, line); ++no) {
    if (line.empty()) continue;
    std::vector<std::string> cols;
    limonp::Split(line, cols, " ");
    if (cols.size() > 3) return Status::Invalid(Where(path, no) + ": expected \"word [freq] [tag]\"");
    double weight = median;
    if (cols.size() == 3) weight = std::log(std::atoi(cols[1].c_str()) / sum);  // cppjieba reads it with atoi
    if (cppjieba::DecodeUTF8RunesInString(cols[0], runes) && runes.size() == 1) single_chars.push_back(runes[0].rune);
    entries.push_back({std::move(cols[0]), weight});
  }
  std::sort(single_chars.begin(), single_chars.end());
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<DictIndex>> DictIndex::Load(const std::string& dict_path, const std::string& user_dict_path) {
  std::unique_ptr<DictIndex> index(new DictIndex());
  std::vector<Entry> entries;
  YQ_RETURN_IF_ERROR(ReadDictionary(dict_path, entries));
  std::vector<double> sorted;
  const double sum = ToLogWeights(entries, sorted);
  index->min_weight_ = sorted.front();  // what a character the dictionary does not know costs
  if (!user_dict_path.empty()) {
    YQ_RETURN_IF_ERROR(
        ReadUserDictionary(user_dict_path, sum, sorted[sorted.size() / 2], entries, index->user_single_chars_));
  }
  YQ_RETURN_IF_ERROR(index->BuildTrie(entries));
  return index;
}

Status DictIndex::BuildTrie(const std::vector<Entry>& entries) {
  // darts wants the keys sorted bytewise (std::string orders bytes as unsigned) and unique; a
  // later entry overrides an earlier one, as cppjieba's trie insertion does.
  std::vector<uint32_t> order(entries.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return entries[a].word < entries[b].word; });
  std::vector<const char*> keys;
  std::vector<size_t> lengths;
  std::vector<Darts::DoubleArray::value_type> values;
  for (size_t i = 0; i < order.size(); ++i) {
    const Entry& e = entries[order[i]];
    if (i + 1 < order.size() && entries[order[i + 1]].word == e.word) continue;  // overridden
    if (e.word.empty() || e.word.find('\0') != std::string::npos) continue;
    keys.push_back(e.word.c_str());
    lengths.push_back(e.word.size());
    values.push_back(static_cast<Darts::DoubleArray::value_type>(weights_.size()));
    weights_.push_back(e.weight);
    max_word_bytes_ = std::max(max_word_bytes_, e.word.size());
  }
  if (trie_->array.build(keys.size(), keys.data(), lengths.data(), values.data()) != 0) {
    return Status::Invalid("cannot build the dictionary trie");
  }
  first_node_.assign(0x10000, 0);
  first_value_.assign(0x10000, -1);
  for (uint32_t cp = 1; cp < 0x10000; ++cp) {
    char bytes[3];
    size_t n = EncodeBmp(cp, bytes);
    size_t node = 0, pos = 0;
    auto v = trie_->array.traverse(bytes, node, pos, n);
    if (v == -2) continue;
    first_node_[cp] = static_cast<uint32_t>(node);
    first_value_[cp] = v;
  }
  return Status::Ok();
}

void DictIndex::PrefixMatches(std::string_view text, std::vector<Match>& out) const {
  thread_local std::vector<Darts::DoubleArray::result_pair_type> found;
  out.clear();
  if (text.empty()) return;
  // At most one match per byte length: the buffer never overflows.
  if (found.size() < max_word_bytes_ + 1) found.resize(max_word_bytes_ + 1);
  uint32_t cp = 0;
  size_t skip = DecodeBmp(text, cp);  // bytes already walked, through first_node_
  size_t node = 0;
  if (skip) {
    node = first_node_[cp];
    if (node == 0) return;  // no word starts with this character
    if (skip == text.size()) {  // (darts reads a length of 0 as "up to the NUL")
      if (first_value_[cp] >= 0) out.push_back({weights_[static_cast<size_t>(first_value_[cp])], static_cast<uint32_t>(skip)});
      return;
    }
  }
  size_t n = trie_->array.commonPrefixSearch(text.data() + skip, found.data(), found.size(), text.size() - skip, node);
  n = std::min(n, found.size());
  for (size_t i = 0; i < n; ++i) {
    out.push_back({weights_[static_cast<size_t>(found[i].value)], static_cast<uint32_t>(skip + found[i].length)});
  }
}

bool DictIndex::Contains(std::string_view word) const {
  if (word.empty()) return false;
  return trie_->array.exactMatchSearch<Darts::DoubleArray::value_type>(word.data(), word.size()) >= 0;
}

bool DictIndex::IsUserSingleCharWord(uint32_t rune) const {
  return std::binary_search(user_single_chars_.begin(), user_single_chars_.end(), rune);
}

}  // namespace yuqing::text

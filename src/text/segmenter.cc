#include "text/segmenter.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cppjieba/MixSegment.hpp"
#include "cppjieba/QuerySegment.hpp"
#include "text/utf8.h"

namespace yuqing::text {

// Only the parts of cppjieba we use: its Jieba class would also load a keyword extractor with a
// second copy of the 6 MB IDF table (we keep our own, see Keywords()).
struct Segmenter::Impl {
  explicit Impl(const std::string& dir)
      : dict(dir + "/jieba.dict.utf8", dir + "/user.dict.utf8"),
        hmm(dir + "/hmm_model.utf8"),
        mix(&dict, &hmm),
        query(&dict, &hmm) {}
  cppjieba::DictTrie dict;
  cppjieba::HMMModel hmm;
  cppjieba::MixSegment mix;
  cppjieba::QuerySegment query;
};

std::string DefaultDictDir() {
  if (const char* env = std::getenv("YUQING_DICT_DIR"); env && *env) return env;
  return YUQING_JIEBA_DICT_DIR;
}

Result<std::shared_ptr<const Segmenter>> Segmenter::Create(std::string dict_dir) {
  namespace fs = std::filesystem;
  if (dict_dir.empty()) dict_dir = DefaultDictDir();
  std::error_code ec;
  dict_dir = fs::absolute(dict_dir, ec).string();
  for (const char* f : {"jieba.dict.utf8", "hmm_model.utf8", "user.dict.utf8", "idf.utf8", "stop_words.utf8"}) {
    fs::path p = fs::path(dict_dir) / f;
    if (!fs::is_regular_file(p, ec) || fs::file_size(p, ec) == 0) {
      return Status::Io("segmentation dictionary missing or empty: " + p.string() +
                        " (run scripts/setup.sh, or set YUQING_DICT_DIR)");
    }
  }
  std::shared_ptr<Segmenter> s(new Segmenter());
  s->dict_dir_ = dict_dir;
  s->impl_ = std::make_unique<Impl>(dict_dir);
  std::ifstream idf(dict_dir + "/idf.utf8");
  std::string word;
  double v;
  std::vector<double> all;
  while (idf >> word >> v) {
    s->idf_.emplace(word, v);
    all.push_back(v);
  }
  if (!all.empty()) {
    std::nth_element(all.begin(), all.begin() + all.size() / 2, all.end());
    s->median_idf_ = all[all.size() / 2];
  }
  std::ifstream stop(dict_dir + "/stop_words.utf8");
  while (std::getline(stop, word)) {
    if (!word.empty() && word.back() == '\r') word.pop_back();
    if (!word.empty()) s->stop_words_.insert(word);
  }
  return std::shared_ptr<const Segmenter>(s);
}

Segmenter::~Segmenter() = default;

namespace {
bool IsBlank(std::string_view w) {
  for (char c : w)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}
}  // namespace

void Segmenter::Cut(std::string_view text, std::vector<std::string>& words) const {
  words.clear();
  std::vector<std::string> raw;
  impl_->mix.Cut(std::string(text), raw, true);
  for (auto& w : raw)
    if (!IsBlank(w)) words.push_back(std::move(w));
}

void Segmenter::CutOffsets(std::string_view text, std::vector<Token>& tokens) const {
  tokens.clear();
  std::vector<cppjieba::Word> raw;
  std::string s(text);
  impl_->mix.Cut(s, raw, true);
  for (const auto& w : raw) {
    if (IsBlank(w.word)) continue;
    tokens.push_back({w.offset, static_cast<uint32_t>(w.offset + w.word.size())});
  }
}

void Segmenter::CutForSearch(std::string_view text, std::vector<Token>& tokens,
                             std::vector<bool>& colocated) const {
  tokens.clear();
  colocated.clear();
  std::vector<cppjieba::Word> raw;
  std::string s(text);
  // cppjieba's search mode emits sub-words before the long word; reorder so that each full word
  // comes first and its sub-words follow as colocated tokens (same position in a phrase).
  impl_->query.Cut(s, raw, true);
  uint32_t covered_end = 0;
  size_t i = 0;
  while (i < raw.size()) {
    // Find the longest word starting at or before the sub-words of this group.
    size_t j = i;
    uint32_t group_begin = raw[i].offset;
    uint32_t group_end = raw[i].offset + raw[i].word.size();
    while (j + 1 < raw.size() && raw[j + 1].offset < group_end) {
      ++j;
      group_end = std::max<uint32_t>(group_end, raw[j].offset + raw[j].word.size());
    }
    // The full word is the one spanning the whole group; emit it first.
    size_t full = j;
    for (size_t k = i; k <= j; ++k)
      if (raw[k].offset == group_begin && raw[k].offset + raw[k].word.size() == group_end) full = k;
    if (!IsBlank(raw[full].word)) {
      tokens.push_back({raw[full].offset, static_cast<uint32_t>(raw[full].offset + raw[full].word.size())});
      colocated.push_back(false);
      for (size_t k = i; k <= j; ++k) {
        if (k == full || IsBlank(raw[k].word)) continue;
        tokens.push_back({raw[k].offset, static_cast<uint32_t>(raw[k].offset + raw[k].word.size())});
        colocated.push_back(true);
      }
    }
    covered_end = group_end;
    i = j + 1;
  }
  (void)covered_end;
}

double Segmenter::Idf(std::string_view word) const {
  auto it = idf_.find(std::string(word));
  return it == idf_.end() ? median_idf_ : it->second;
}

bool Segmenter::IsStopWord(std::string_view word) const {
  return stop_words_.count(std::string(word)) > 0;
}

std::vector<std::pair<std::string, double>> Segmenter::Keywords(const std::vector<std::string>& words,
                                                                size_t n) const {
  std::unordered_map<std::string, double> tf;
  for (const auto& w : words) {
    size_t cps = CountCodePoints(w);
    bool latin = !w.empty() && static_cast<unsigned char>(w[0]) < 0x80;
    if (latin ? w.size() < 2 : cps < 2) continue;  // single characters carry little meaning
    bool has_word_char = false;
    for (size_t i = 0; i < w.size();) {
      uint32_t cp = DecodeUtf8(w, i);
      if (IsCjk(cp) || (cp < 0x80 && std::isalpha(static_cast<int>(cp)))) has_word_char = true;
    }
    if (!has_word_char || IsStopWord(w)) continue;
    tf[w] += 1.0;
  }
  std::vector<std::pair<std::string, double>> out;
  out.reserve(tf.size());
  for (auto& [w, c] : tf) out.emplace_back(w, c * Idf(w));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

}  // namespace yuqing::text

#include "text/segmenter.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/hash.h"
#include "cppjieba/Unicode.hpp"
#include "text/dict_index.h"
#include "text/hmm_cut.h"
#include "text/utf8.h"

namespace yuqing::text {

// cppjieba's segmentation with its dictionaries, its HMM for unknown words and its algorithms,
// but not its dictionary trie: MixCut is cppjieba's MixSegment (precise mode with HMM) with the
// word graph built from a double-array trie (DictIndex) instead of cppjieba's trie of hash maps.
// The words, weights, tie-breaking and HMM are cppjieba's, so the result is the same
// (tests/unit/text/segmenter_jieba_test.cc compares them, real posts included); it costs less
// time and 100 MiB less memory, and allocates nothing per word. cppjieba's Jieba class would also
// load a keyword extractor with a second copy of the 6 MB IDF table (we keep our own, see Keywords()).
struct Segmenter::Impl {
  explicit Impl(const std::string& dir) : hmm_cut(cppjieba::HMMModel(dir + "/hmm_model.utf8")) {}
  HmmCut hmm_cut;
  std::unique_ptr<DictIndex> index;

  // Precise-mode words of `s` as rune ranges into `runes` (which it fills).
  void MixCut(const std::string& s, cppjieba::RuneStrArray& runes, std::vector<cppjieba::WordRange>& out) const;

 private:
  // One separator-free range: BestPath, then the HMM over runs of unknown single characters.
  void CutRange(const std::string& s, const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end,
                std::vector<cppjieba::WordRange>& out) const;
  // cppjieba's MPSegment: best[i] is the length in characters of the first word on the most
  // probable path through the graph of dictionary words from character i to the range's end.
  void BestPath(const std::string& s, const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end,
                std::vector<uint32_t>& best) const;
};

namespace {
// cppjieba's separators (SegmentBase's SPECIAL_SEPARATORS): each is a range of its own and the
// text between two of them is segmented alone.
bool IsSeparator(uint32_t rune) { return rune == ' ' || rune == '\t' || rune == '\n' || rune == 0xFF0C || rune == 0x3002; }
}  // namespace

void Segmenter::Impl::MixCut(const std::string& s, cppjieba::RuneStrArray& runes,
                             std::vector<cppjieba::WordRange>& out) const {
  out.clear();
  // Invalid UTF-8 (which normalised text never is) segments to nothing, as in cppjieba.
  if (!cppjieba::DecodeUTF8RunesInString(s, runes)) return;
  const cppjieba::RuneStr* cur = runes.begin();
  const cppjieba::RuneStr* end = runes.end();
  while (cur != end) {
    const cppjieba::RuneStr* start = cur;
    while (cur != end && !IsSeparator(cur->rune)) ++cur;
    if (cur == start) ++cur;
    CutRange(s, start, cur, out);
  }
}

void Segmenter::Impl::BestPath(const std::string& s, const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end,
                               std::vector<uint32_t>& best) const {
  // Computed from the end: weight[i] is the best log-probability of characters [i, n).
  // Candidates are tried shortest first and only a strictly better one wins, as in cppjieba.
  thread_local std::vector<double> weight;
  thread_local std::vector<DictIndex::Match> matches;
  const size_t n = static_cast<size_t>(end - begin);
  const uint32_t end_byte = end[-1].offset + end[-1].len;
  weight.assign(n + 1, 0.0);
  best.assign(n, 1);
  const double min_weight = index->min_weight();
  for (size_t i = n; i-- > 0;) {
    const uint32_t from = begin[i].offset;
    index->PrefixMatches(std::string_view(s.data() + from, end_byte - from), matches);
    // The single character first: its dictionary weight, or the dictionary's minimum.
    size_t m = 0;
    double single = min_weight;
    if (!matches.empty() && matches[0].bytes == begin[i].len) single = matches[m++].weight;
    double best_w = weight[i + 1] + single;
    uint32_t best_len = 1;
    size_t k = i + 1;  // rune index just past the candidate word
    uint32_t k_byte = from + begin[i].len;
    for (; m < matches.size(); ++m) {
      const uint32_t want = from + matches[m].bytes;
      while (k < n && k_byte < want) k_byte += begin[k++].len;
      if (k_byte != want) continue;  // not on a character boundary (only in malformed text)
      const double w = weight[k] + matches[m].weight;
      if (w > best_w) {
        best_w = w;
        best_len = static_cast<uint32_t>(k - i);
      }
    }
    weight[i] = best_w;
    best[i] = best_len;
  }
}

void Segmenter::Impl::CutRange(const std::string& s, const cppjieba::RuneStr* begin, const cppjieba::RuneStr* end,
                               std::vector<cppjieba::WordRange>& out) const {
  thread_local std::vector<uint32_t> best;
  thread_local std::vector<cppjieba::WordRange> words;
  BestPath(s, begin, end, best);
  const size_t n = static_cast<size_t>(end - begin);
  words.clear();
  for (size_t i = 0; i < n; i += best[i]) words.push_back(cppjieba::WordRange(begin + i, begin + i + best[i] - 1));
  // MixSegment: runs of single characters the dictionary does not own go through the HMM.
  for (size_t i = 0; i < words.size(); ++i) {
    auto single = [&](size_t j) {
      return words[j].left == words[j].right && !index->IsUserSingleCharWord(words[j].left->rune);
    };
    if (!single(i)) {
      out.push_back(words[i]);
      continue;
    }
    size_t j = i;
    while (j < words.size() && single(j)) ++j;
    hmm_cut.Cut(words[i].left, words[j - 1].left + 1, out);
    i = j - 1;
  }
}

namespace {
// Hash64 with the low 3 bits clear (they hold flags in the table), never 0 (an empty slot). Two
// words sharing the remaining 61 bits (odds about 1e-8 for the dictionary) would share their idf
// and stop-word flags.
uint64_t WordKey(uint64_t hash) {
  const uint64_t h = hash & ~uint64_t{7};
  return h ? h : 8;
}
uint64_t WordHash(std::string_view s) { return WordKey(Hash64(s)); }
}  // namespace

std::string DefaultDictDir() {
  if (const char* env = std::getenv("YUQING_DICT_DIR"); env && *env) return env;
  return YUQING_JIEBA_DICT_DIR;
}

std::string DefaultStopWordsFile() {
  if (const char* env = std::getenv("YUQING_MODELS_DIR"); env && *env) return std::string(env) + "/stop_words_zh.txt";
  return std::string(YUQING_SOURCE_DIR) + "/models/stop_words_zh.txt";
}

Result<std::shared_ptr<const Segmenter>> Segmenter::Create(std::string dict_dir, std::string stop_words_file) {
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
  YQ_ASSIGN_OR_RETURN(s->impl_->index, DictIndex::Load(dict_dir + "/jieba.dict.utf8", dict_dir + "/user.dict.utf8"));
  std::ifstream idf(dict_dir + "/idf.utf8");
  std::string word;
  double v;
  std::vector<std::pair<std::string, double>> idfs;
  std::vector<double> all;
  while (idf >> word >> v) {
    idfs.emplace_back(word, v);
    all.push_back(v);
  }
  size_t slots = 1024;
  while (slots < 2 * (idfs.size() + 4096)) slots *= 2;  // stop words fit beside, load ≤ 1/2
  s->words_.assign(slots, WordInfo{});
  s->mask_ = slots - 1;
  for (const auto& [w, x] : idfs) {
    WordInfo& e = s->Slot(WordHash(w));
    e.idf = x;
    e.key |= kHasIdf;
  }
  if (!all.empty()) {
    std::nth_element(all.begin(), all.begin() + all.size() / 2, all.end());
    s->median_idf_ = all[all.size() / 2];
  }
  std::ifstream stop(dict_dir + "/stop_words.utf8");
  while (std::getline(stop, word)) {
    if (!word.empty() && word.back() == '\r') word.pop_back();
    if (!word.empty()) s->Slot(WordHash(word)).key |= kStop;
  }
  bool explicit_file = !stop_words_file.empty();
  if (!explicit_file) stop_words_file = DefaultStopWordsFile();
  std::ifstream extra(stop_words_file);
  if (!extra && explicit_file) return Status::Io("cannot read stop words: " + stop_words_file);
  while (std::getline(extra, word)) {
    size_t end = word.find('#');
    if (end != std::string::npos) word.resize(end);
    while (!word.empty() && std::isspace(static_cast<unsigned char>(word.back()))) word.pop_back();
    if (!word.empty()) s->Slot(WordHash(word)).key |= kNotKeyword;
  }
  return std::shared_ptr<const Segmenter>(s);
}

Segmenter::~Segmenter() = default;

Segmenter::WordInfo& Segmenter::Slot(uint64_t hash) {
  for (size_t i = (hash >> 3) & mask_;; i = (i + 1) & mask_) {
    if ((words_[i].key & ~uint64_t{7}) == hash) return words_[i];
    if (words_[i].key == 0) {
      words_[i].key = hash;
      return words_[i];
    }
  }
}

const Segmenter::WordInfo* Segmenter::Lookup(std::string_view word) const { return LookupKey(WordHash(word)); }

const Segmenter::WordInfo* Segmenter::LookupKey(uint64_t key) const {
  for (size_t i = (key >> 3) & mask_;; i = (i + 1) & mask_) {
    if ((words_[i].key & ~uint64_t{7}) == key) return &words_[i];
    if (words_[i].key == 0) return nullptr;
  }
}

Segmenter::WordFact Segmenter::FactOf(uint64_t hash) const {
  WordFact f;
  f.hash = hash;
  const WordInfo* e = LookupKey(WordKey(hash));
  f.has_idf = e && (e->flags() & kHasIdf);
  f.stop = e && (e->flags() & kStop);
  f.not_keyword = e && (e->flags() & kNotKeyword);
  f.idf = f.has_idf ? e->idf : median_idf_;
  return f;
}

void Segmenter::Facts(const std::vector<std::string>& words, std::vector<WordFact>& out) const {
  out.resize(words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    out[i].hash = Hash64(words[i]);
    __builtin_prefetch(&words_[(WordKey(out[i].hash) >> 3) & mask_]);
  }
  for (auto& f : out) f = FactOf(f.hash);
}

namespace {
bool IsBlank(std::string_view w) {
  for (char c : w)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  return true;
}
}  // namespace

void Segmenter::Cut(std::string_view text, std::vector<std::string>& words) const {
  words.clear();
  thread_local std::vector<Token> tokens;
  CutOffsets(text, tokens);
  for (const Token& t : tokens) words.emplace_back(text.substr(t.begin, t.end - t.begin));
}

namespace {
// cppjieba takes a std::string and fills rune and range vectors: per-thread buffers, reused.
struct CutBuffers {
  std::string text;
  cppjieba::RuneStrArray runes;
  std::vector<cppjieba::WordRange> words;
};
CutBuffers& Buffers(std::string_view text) {
  thread_local CutBuffers b;
  b.text.assign(text);
  return b;
}
Token TokenOf(const cppjieba::WordRange& w) { return {w.left->offset, w.right->offset + w.right->len}; }
}  // namespace

void Segmenter::CutOffsets(std::string_view text, std::vector<Token>& tokens) const {
  tokens.clear();
  CutBuffers& b = Buffers(text);
  impl_->MixCut(b.text, b.runes, b.words);
  for (const auto& w : b.words) {
    Token t = TokenOf(w);
    if (!IsBlank(text.substr(t.begin, t.end - t.begin))) tokens.push_back(t);
  }
}

void Segmenter::CutForSearch(std::string_view text, std::vector<Token>& tokens,
                             std::vector<bool>& colocated) const {
  tokens.clear();
  colocated.clear();
  CutBuffers& b = Buffers(text);
  impl_->MixCut(b.text, b.runes, b.words);
  // cppjieba's QuerySegment: a word of more than two characters is followed by the dictionary
  // words among its two-character pieces, then (more than three) its three-character pieces, as
  // colocated tokens (the same position in a phrase).
  for (const auto& w : b.words) {
    Token full = TokenOf(w);
    if (IsBlank(text.substr(full.begin, full.end - full.begin))) continue;
    tokens.push_back(full);
    colocated.push_back(false);
    const size_t len = static_cast<size_t>(w.right - w.left) + 1;
    for (size_t piece = 2; piece <= 3; ++piece) {
      if (len <= piece) break;
      for (size_t i = 0; i + piece <= len; ++i) {
        Token t{w.left[i].offset, w.left[i + piece - 1].offset + w.left[i + piece - 1].len};
        if (!impl_->index->Contains(text.substr(t.begin, t.end - t.begin))) continue;
        tokens.push_back(t);
        colocated.push_back(true);
      }
    }
  }
}

double Segmenter::Idf(std::string_view word) const {
  const WordInfo* e = Lookup(word);
  return e && (e->flags() & kHasIdf) ? e->idf : median_idf_;
}

bool Segmenter::IsStopWord(std::string_view word) const {
  const WordInfo* e = Lookup(word);
  return e && (e->flags() & kStop);
}

namespace {

// Character classes for the keyword rules (BMP code points).
enum CharClass : uint8_t {
  kFunction = 1,    // pronouns, particles, auxiliaries, adverbs, conjunctions, demonstratives
  kNumeral = 2,
  kMeasure = 4,     // measure words (classifiers)
  kGluedFirst = 8,  // starts a segmenter fragment when the dictionary does not know the word
  kGluedLast = 16,  // ends one
  kParticle = 32,   // sentence-final particle: never ends an unknown content word
  kFinal = 64,      // never ends a content word, known or not (了 in 太好了, 吗 in 是吗)
  kDemonstrative = 128,
};
// Measure words that are not common surnames either (张, 周, 米, 段 ... are both): an unknown
// three-character word starting with one is a fragment like 例新冠 (…3例 | 新冠…), not a name.
constexpr std::string_view kPlainMeasures = "例名个只条件起包轮届批次种份句块座辆架层倍些";

struct CharClasses {
  uint8_t of[0x10000] = {};
  CharClasses() {
    Mark("我你他她它咱您们的地得了着过吗呢吧啊呀哦嘛是在有要会能可就都也还又才再已被把将让给对向从跟和与及或而且但却很太更最没不别无否这那哪些么什怎样个啥谁其此之乃亦哈呵嘿嘻哇噢嗯唉哎呜",
         kFunction);
    Mark("零〇一二两三四五六七八九十百千万亿几半多余数第", kNumeral);
    Mark("个只条名位例次件种张份句场块步段年天月日周号点分秒岁人家所座间辆架台批起项口层倍元角斤吨米些把双对群支根头包届轮",
         kMeasure);
    Mark("的了着吗呢吧啊呀是在有要会能可就都也还又才再被把将让给对从和与及或而但很太更最没不别这那哪些么个谁我你他她它",
         kGluedFirst);
    // 会 is left out: unknown X会 is usually an organisation or a meeting (红会, 军运会).
    Mark("的了着吗呢吧啊呀是在有要能可就都也还又才再被把将让给对从和与及或而但很太更最没不别这那哪些么个谁", kGluedLast);
    Mark("了吗呢吧啊呀哦嘛的", kParticle);
    Mark("了吗呢啊呀哦嘛", kFinal);
    Mark("这那哪每各某该", kDemonstrative);
  }
  void Mark(std::string_view chars, uint8_t c) {
    for (size_t i = 0; i < chars.size();) {
      uint32_t cp = DecodeUtf8(chars, i);
      if (cp < 0x10000) of[cp] |= c;
    }
  }
};

const CharClasses& Classes() {
  static const CharClasses c;
  return c;
}

}  // namespace

bool Segmenter::IsContentWord(std::string_view w) const { return IsContentWord(w, FactOf(Hash64(w))); }

bool Segmenter::IsContentWord(std::string_view w, const WordFact& fact) const {
  bool latin = !w.empty() && static_cast<unsigned char>(w[0]) < 0x80;
  if (latin && w.size() < 2) return false;
  const CharClasses& cc = Classes();
  uint32_t cps[16];
  size_t n = 0;
  uint8_t all = 0xFF;
  bool has_word_char = false;
  for (size_t i = 0; i < w.size();) {
    uint32_t cp = DecodeUtf8(w, i);
    if (IsCjk(cp) || (cp < 0x80 && std::isalpha(static_cast<int>(cp)))) has_word_char = true;
    if (n < 16) cps[n] = cp;
    ++n;
    all &= cp < 0x10000 ? cc.of[cp] : 0;
  }
  if (!latin && n < 2) return false;  // single characters carry little meaning
  if (!has_word_char || fact.stop || fact.not_keyword) return false;
  if (all & kFunction) return false;  // 我要, 没有, 就是, 什么
  if (n > 16) return true;
  auto is = [&](size_t k, uint8_t c) { return cps[k] < 0x10000 && (cc.of[cps[k]] & c); };
  // Numerals and measure words (一个, 两例, 三千名, 一个多), or numerals alone (三十三).
  if (is(0, kNumeral)) {
    size_t i = 0;
    while (i < n && (is(i, kNumeral) || is(i, kMeasure))) ++i;
    if (i == n) return false;
  }
  if (n == 2 && is(0, kDemonstrative) && is(1, kMeasure)) return false;  // 这场, 每天, 各位
  if (is(n - 1, kFinal)) return false;                                    // 太好了, 是吗
  if (!fact.has_idf) {
    // Not in the dictionary: the HMM may have glued a function character to a neighbour.
    if (n == 2 && (is(0, kGluedFirst) || is(1, kGluedLast))) return false;  // 地要, 需再, 我要
    if (is(n - 1, kParticle)) return false;                                 // 卖吗, 美的
    if (n == 3 && kPlainMeasures.find(w.substr(0, 3)) != std::string_view::npos) return false;  // 例新冠
  }
  return true;
}

std::vector<std::pair<std::string, double>> Segmenter::Keywords(const std::vector<std::string>& words,
                                                                size_t n) const {
  std::vector<WordFact> facts;
  Facts(words, facts);
  return Keywords(words, facts, n);
}

std::vector<std::pair<std::string, double>> Segmenter::Keywords(const std::vector<std::string>& words,
                                                                const std::vector<WordFact>& facts, size_t n) const {
  // Term frequencies by sorting the post's content words (a post has tens of words: cheaper than
  // a hash map of strings).
  std::vector<std::pair<std::string_view, double>> content;  // word, idf
  content.reserve(words.size());
  for (size_t i = 0; i < words.size(); ++i)
    if (IsContentWord(words[i], facts[i])) content.emplace_back(words[i], facts[i].idf);
  std::sort(content.begin(), content.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string_view, double>> scored;
  for (size_t i = 0; i < content.size();) {
    size_t j = i + 1;
    while (j < content.size() && content[j].first == content[i].first) ++j;
    scored.emplace_back(content[i].first, static_cast<double>(j - i) * content[i].second);
    i = j;
  }
  size_t k = std::min(n, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + k, scored.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::pair<std::string, double>> out;
  out.reserve(k);
  for (size_t i = 0; i < k; ++i) out.emplace_back(std::string(scored[i].first), scored[i].second);
  return out;
}

}  // namespace yuqing::text

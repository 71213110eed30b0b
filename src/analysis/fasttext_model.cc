#include "analysis/fasttext_model.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>
#include <sstream>

#include <fasttext/fasttext.h>

namespace yuqing::analysis {

namespace {

constexpr std::string_view kLabelPrefix = "__label__";
constexpr std::string_view kEos = "</s>";
constexpr int32_t kMagic = 793712314;  // fastText's file signature
constexpr int32_t kVersion = 12;       // the format of fastText 0.9.x
constexpr uint64_t kNgramMultiplier = 116049371;

}  // namespace

// The parts of a model file's dictionary that libfasttext keeps private: the vocabulary in id
// order and the map from n-gram bucket to kept input row written by quantisation (pruneidx).
struct FileDictionary {
  int32_t nwords = 0, nlabels = 0;
  std::vector<std::string> words;                  // word ids 0..nwords-1
  std::vector<std::pair<int32_t, int32_t>> prune;  // bucket -> row - nwords
  int64_t prune_size = -1;                         // -1: not pruned (every bucket has a row)
};

namespace {

template <typename T>
bool ReadPod(std::istream& in, T& v) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&v), sizeof(T)));
}

// Reads the header, the arguments and the dictionary of a fastText 0.9 model file (the layout
// of FastText::saveModel: signature, Args::save, Dictionary::save).
Result<FileDictionary> ReadFileDictionary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io("cannot open " + path);
  int32_t magic = 0, version = 0;
  if (!ReadPod(in, magic) || !ReadPod(in, version) || magic != kMagic)
    return Status::Invalid("not a fastText model: " + path);
  if (version != kVersion)
    return Status::Invalid("fastText model format " + std::to_string(version) + " is not supported (retrain with `yuqing model train`): " + path);
  in.seekg(12 * sizeof(int32_t) + sizeof(double), std::ios::cur);  // Args
  FileDictionary d;
  int32_t size = 0;
  int64_t ntokens = 0;
  if (!ReadPod(in, size) || !ReadPod(in, d.nwords) || !ReadPod(in, d.nlabels) || !ReadPod(in, ntokens) ||
      !ReadPod(in, d.prune_size) || size < 0 || d.nwords < 0 || d.nwords > size)
    return Status::Invalid("truncated fastText dictionary: " + path);
  d.words.reserve(d.nwords);
  std::string w;
  for (int32_t i = 0; i < size; ++i) {
    if (!std::getline(in, w, '\0')) return Status::Invalid("truncated fastText dictionary: " + path);
    int64_t count = 0;
    int8_t type = 0;
    if (!ReadPod(in, count) || !ReadPod(in, type)) return Status::Invalid("truncated fastText dictionary: " + path);
    if (i < d.nwords) d.words.push_back(w);
  }
  for (int64_t i = 0; i < d.prune_size; ++i) {
    int32_t bucket = 0, row = 0;
    if (!ReadPod(in, bucket) || !ReadPod(in, row)) return Status::Invalid("truncated fastText prune index: " + path);
    d.prune.emplace_back(bucket, row);
  }
  return d;
}

}  // namespace

uint32_t FastTextModel::TokenHash(std::string_view token) {
  uint32_t h = 2166136261u;
  for (char c : token) {
    h ^= static_cast<uint32_t>(static_cast<int8_t>(c));  // fastText sign-extends each byte
    h *= 16777619u;
  }
  return h;
}

// One model's weights: its vocabulary in id order, the n-gram buckets it kept with their rows,
// and every input row projected on its labels (row_logits[r * labels + l] = W_out[l] · row_r).
struct Projection {
  size_t labels = 0;
  int32_t word_ngrams = 1;
  uint64_t buckets = 0;
  std::vector<std::string> words;                  // row of words[i] is i
  std::vector<std::pair<int32_t, int32_t>> kept;  // (bucket, row)
  std::vector<float> row_logits;
};

namespace {

Result<std::shared_ptr<const Projection>> Project(fasttext::FastText& ft, FileDictionary& fd, size_t nlabels,
                                                  const std::string& path) {
  fasttext::Args args = ft.getArgs();
  if (args.model != fasttext::model_name::sup || args.loss != fasttext::loss_name::softmax || args.maxn > 0)
    return Status::Invalid("only supervised softmax models without character n-grams are supported (train with `yuqing model train`): " + path);
  auto dict = ft.getDictionary();
  if (fd.nwords != dict->nwords() || fd.nlabels != dict->nlabels())
    return Status::Invalid("fastText dictionary does not match its library view: " + path);
  auto p = std::make_shared<Projection>();
  p->labels = nlabels;
  p->word_ngrams = std::max(1, args.wordNgrams);
  p->buckets = static_cast<uint64_t>(std::max(0, args.bucket));
  p->words = std::move(fd.words);
  const int32_t nwords = fd.nwords;
  const int64_t ngram_rows = fd.prune_size < 0 ? static_cast<int64_t>(p->buckets) : fd.prune_size;
  if (fd.prune_size < 0) {
    for (uint64_t b = 0; b < p->buckets; ++b) p->kept.emplace_back(static_cast<int32_t>(b), nwords + static_cast<int32_t>(b));
  } else {
    for (auto [bucket, row] : fd.prune) {
      if (bucket < 0 || static_cast<uint64_t>(bucket) >= p->buckets || row < 0 || row >= ngram_rows)
        return Status::Invalid("fastText prune index out of range: " + path);
      p->kept.emplace_back(bucket, nwords + row);
    }
  }
  try {
    auto out = ft.getOutputMatrix();
    if (static_cast<size_t>(out->rows()) != nlabels)
      return Status::Invalid("fastText output matrix does not match its labels: " + path);
    const int64_t rows = nwords + ngram_rows, dim = out->cols();
    p->row_logits.assign(static_cast<size_t>(rows) * nlabels, 0.0f);
    fasttext::Vector v(dim);
    for (int64_t r = 0; r < rows; ++r) {
      ft.getInputVector(v, static_cast<int32_t>(r));
      for (size_t l = 0; l < nlabels; ++l) {
        float dot = 0;
        for (int64_t d = 0; d < dim; ++d) dot += out->at(static_cast<int64_t>(l), d) * v[d];
        p->row_logits[r * nlabels + l] = dot;
      }
    }
  } catch (const std::exception& e) {
    return Status::Invalid("cannot read fastText matrices of " + path + " (quantised output is not supported): " + e.what());
  }
  return std::shared_ptr<const Projection>(std::move(p));
}

uint64_t Lcm(uint64_t a, uint64_t b) { return a == 0 ? b : b == 0 ? a : a / std::gcd(a, b) * b; }

bool IsSpace(char c) {  // fastText's token separators (Dictionary::readWord)
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c == '\0';
}

constexpr size_t kMaxMembers = 8;                // one bit each in an entry's mask
constexpr uint64_t kMaxBucketSpace = 1ull << 24;  // the shared bucket index is dense
constexpr size_t kMaxWidth = 512;                 // labels of all members together

}  // namespace

// The table models predict through. An entry is a vocabulary word or a word n-gram bucket with
// the projected row of every member model that has it (zero for the others) and a bit per member
// that has it (a member's hidden layer is the mean over the rows *it* has); an entry fills one
// 32-byte aligned block (more for many labels), so reading it costs one cache line. A two-label
// member keeps one number per row, the difference of its two logits (softmax of two is the
// sigmoid of that difference): sentiment, reviews, rumour and news then fit one block together. Words are found
// by a 64-bit hash of the token in an open-addressing table; buckets by a dense index over the
// least common multiple of the members' bucket counts, so bucket b of that space is bucket
// b % buckets_k of member k.
class FeatureTable {
 public:
  static std::shared_ptr<const FeatureTable> Build(const std::vector<std::shared_ptr<const Projection>>& members);

  size_t width() const { return width_; }
  size_t offset(size_t member) const { return offsets_[member]; }
  // Probabilities of every member's labels, member after member (width() floats).
  void Predict(std::string_view line, float* out) const;

 private:
  struct Slot {
    uint64_t key = 0;
    int32_t entry = -1;
  };
  struct alignas(32) Block {
    float v[8] = {};
  };
  static uint64_t Key(std::string_view token) { return std::hash<std::string_view>{}(token); }
  int32_t NewEntry();
  float* Logits(int32_t e) { return entries_[static_cast<size_t>(e) * blocks_].v; }
  const float* Logits(int32_t e) const { return entries_[static_cast<size_t>(e) * blocks_].v; }
  // The member mask sits after the stored logits, in the entry's own block.
  uint32_t Mask(int32_t e) const {
    uint32_t m;
    std::memcpy(&m, Logits(e) + stored_width_, sizeof m);
    return m;
  }
  void SetMask(int32_t e, uint32_t m) { std::memcpy(Logits(e) + stored_width_, &m, sizeof m); }
  // Copies one member's projected row into an entry (the difference for a two-label member).
  void Store(int32_t e, size_t member, const float* row) {
    float* at = Logits(e) + stored_[member];
    if (labels_[member] == 2) *at = row[1] - row[0];
    else std::copy_n(row, labels_[member], at);
  }

  std::vector<size_t> labels_, offsets_;  // per member: labels, first probability in the output
  std::vector<size_t> stored_;            // per member: first stored number in an entry
  size_t width_ = 0, stored_width_ = 0, blocks_ = 1;  // probabilities out; numbers stored; blocks
  size_t entry_count_ = 0;
  int32_t word_ngrams_ = 1;
  uint64_t bucket_space_ = 0;
  std::vector<Slot> slots_;            // power-of-two size
  std::vector<int32_t> bucket_entry_;  // bucket_space_ entries, -1 when no member kept it
  std::vector<Block> entries_;         // blocks_ per entry
};

int32_t FeatureTable::NewEntry() {
  entries_.resize(entries_.size() + blocks_);
  return static_cast<int32_t>(entry_count_++);
}

std::shared_ptr<const FeatureTable> FeatureTable::Build(const std::vector<std::shared_ptr<const Projection>>& members) {
  if (members.empty() || members.size() > kMaxMembers) return nullptr;
  auto t = std::make_shared<FeatureTable>();
  t->word_ngrams_ = members[0]->word_ngrams;
  size_t vocabulary = 0;
  for (const auto& m : members) {
    if (m->word_ngrams != t->word_ngrams_) return nullptr;
    t->bucket_space_ = Lcm(t->bucket_space_, m->buckets);
    if (t->bucket_space_ > kMaxBucketSpace) return nullptr;
    t->offsets_.push_back(t->width_);
    t->stored_.push_back(t->stored_width_);
    t->labels_.push_back(m->labels);
    t->width_ += m->labels;
    t->stored_width_ += m->labels == 2 ? 1 : m->labels;
    vocabulary += m->words.size();
  }
  if (t->width_ > kMaxWidth) return nullptr;
  t->blocks_ = (t->stored_width_ + 1 + 7) / 8;  // logits + mask
  // Words: the union of the vocabularies.
  t->slots_.assign(std::bit_ceil(std::max<size_t>(2 * vocabulary, 16)), Slot{});
  const size_t smask = t->slots_.size() - 1;
  for (size_t k = 0; k < members.size(); ++k) {
    const Projection& m = *members[k];
    for (size_t w = 0; w < m.words.size(); ++w) {
      const uint64_t key = Key(m.words[w]);
      size_t s = key & smask;
      while (t->slots_[s].entry >= 0 && t->slots_[s].key != key) s = (s + 1) & smask;
      if (t->slots_[s].entry < 0) t->slots_[s] = Slot{key, t->NewEntry()};
      const int32_t e = t->slots_[s].entry;
      if (t->Mask(e) & (1u << k)) return nullptr;  // two words of one model on one 64-bit key
      t->SetMask(e, t->Mask(e) | (1u << k));
      t->Store(e, k, m.row_logits.data() + w * m.labels);
    }
  }
  // Word n-gram buckets.
  t->bucket_entry_.assign(t->bucket_space_, -1);
  for (size_t k = 0; k < members.size(); ++k) {
    const Projection& m = *members[k];
    for (auto [bucket, row] : m.kept) {
      for (uint64_t b = static_cast<uint64_t>(bucket); b < t->bucket_space_; b += m.buckets) {
        if (t->bucket_entry_[b] < 0) t->bucket_entry_[b] = t->NewEntry();
        const int32_t e = t->bucket_entry_[b];
        t->SetMask(e, t->Mask(e) | (1u << k));
        t->Store(e, k, m.row_logits.data() + static_cast<size_t>(row) * m.labels);
      }
    }
  }
  return t;
}

// The tables are larger than the caches, so every lookup is a likely miss. The line is therefore
// read in passes that first compute all addresses and prefetch them, then read them: the misses
// of one line overlap instead of queueing one after another.
void FeatureTable::Predict(std::string_view line, float* out) const {
  struct Token {
    std::string_view text;
    uint64_t key;
  };
  thread_local std::vector<Token> tokens;
  thread_local std::vector<int32_t> hashes;  // every word token's fastText hash (getLine)
  thread_local std::vector<int32_t> found;   // entries to add up
  thread_local std::vector<uint64_t> buckets;
  tokens.clear();
  hashes.clear();
  found.clear();
  buckets.clear();
  const size_t smask = slots_.size() - 1;

  // 1. Tokens (fastText's readWord: the end of the line is the token </s>, and the last one).
  auto push = [&](std::string_view t) {
    const uint64_t key = Key(t);
    __builtin_prefetch(&slots_[key & smask]);
    tokens.push_back(Token{t, key});
  };
  for (size_t i = 0, n = line.size(); i < n;) {
    if (IsSpace(line[i])) {
      if (line[i] == '\n') {
        push(kEos);
        break;
      }
      ++i;
      continue;
    }
    size_t j = i;
    while (j < n && !IsSpace(line[j])) ++j;
    push(line.substr(i, j - i));
    i = j;
  }
  // 2. Words: probe, prefetch the entry; remember the hash of every word token, known or not.
  for (const Token& t : tokens) {
    int32_t e = -1;
    for (size_t s = t.key & smask;; s = (s + 1) & smask) {
      if (slots_[s].entry < 0) break;
      if (slots_[s].key == t.key) {
        e = slots_[s].entry;
        break;
      }
    }
    if (e < 0 && t.text.rfind(kLabelPrefix, 0) == 0) continue;  // an unknown label, not a word
    if (e >= 0) {
      __builtin_prefetch(Logits(e));
      found.push_back(e);
    }
    hashes.push_back(static_cast<int32_t>(FastTextModel::TokenHash(t.text)));
  }
  // 3. Word n-grams: fastText widens each int32 hash to 64 bits with its sign (addWordNgrams).
  if (bucket_space_ > 0) {
    for (size_t a = 0; a < hashes.size(); ++a) {
      uint64_t h = static_cast<uint64_t>(static_cast<int64_t>(hashes[a]));
      for (size_t b = a + 1; b < hashes.size() && b < a + static_cast<size_t>(word_ngrams_); ++b) {
        h = h * kNgramMultiplier + static_cast<uint64_t>(static_cast<int64_t>(hashes[b]));
        const uint64_t bucket = h % bucket_space_;
        __builtin_prefetch(&bucket_entry_[bucket]);
        buckets.push_back(bucket);
      }
    }
    for (uint64_t bucket : buckets) {
      const int32_t e = bucket_entry_[bucket];
      if (e < 0) continue;
      __builtin_prefetch(Logits(e));
      found.push_back(e);
    }
  }
  // 4. Sum the rows; count, per member, the rows it has.
  float acc[kMaxWidth];  // stored_width_ <= width_ <= kMaxWidth, checked by Build
  std::fill_n(acc, stored_width_, 0.0f);
  uint32_t counts[kMaxMembers] = {};
  for (int32_t e : found) {
    const float* r = Logits(e);
    for (size_t i = 0; i < stored_width_; ++i) acc[i] += r[i];
    for (uint32_t m = Mask(e); m; m &= m - 1) ++counts[std::countr_zero(m)];
  }
  // 5. Softmax of each member's mean.
  for (size_t k = 0; k < labels_.size(); ++k) {
    float* p = out + offsets_[k];
    const float* z = acc + stored_[k];
    if (counts[k] == 0) {
      std::fill_n(p, labels_[k], 0.0f);
      continue;
    }
    const float inv = 1.0f / static_cast<float>(counts[k]);
    if (labels_[k] == 2) {
      p[1] = 1.0f / (1.0f + std::exp(-z[0] * inv));
      p[0] = 1.0f - p[1];
      continue;
    }
    float top = z[0] * inv;
    for (size_t l = 1; l < labels_[k]; ++l) top = std::max(top, z[l] * inv);
    float sum = 0;
    for (size_t l = 0; l < labels_[k]; ++l) sum += (p[l] = std::exp(z[l] * inv - top));
    for (size_t l = 0; l < labels_[k]; ++l) p[l] /= sum;
  }
}

FastTextModel::~FastTextModel() = default;

Result<std::unique_ptr<FastTextModel>> FastTextModel::Load(const std::string& path, bool keep_reference) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::NotFound("model file not found: " + path);
  // Our own reading of the header and dictionary checks the signature and format first; the
  // library then reads the file from its own stream so that a truncated file is noticed (the
  // library does not check its reads).
  YQ_ASSIGN_OR_RETURN(FileDictionary fd, ReadFileDictionary(path));
  std::unique_ptr<FastTextModel> m(new FastTextModel());
  m->ft_ = std::make_unique<fasttext::FastText>();
  try {
    std::ifstream in(path, std::ios::binary);
    in.seekg(2 * sizeof(int32_t));  // past the signature, read above
    m->ft_->loadModel(in);
    if (!in) return Status::Invalid("truncated fastText model: " + path);
    auto dict = m->ft_->getDictionary();
    for (int32_t i = 0; i < dict->nlabels(); ++i) {
      std::string l = dict->getLabel(i);
      if (l.rfind(kLabelPrefix, 0) == 0) l = l.substr(kLabelPrefix.size());
      m->labels_.push_back(std::move(l));
    }
  } catch (const std::exception& e) {
    return Status::Invalid("cannot load fastText model " + path + ": " + e.what());
  }
  if (m->labels_.empty()) return Status::Invalid("fastText model has no labels: " + path);
  YQ_ASSIGN_OR_RETURN(m->projection_, Project(*m->ft_, fd, m->labels_.size(), path));
  m->table_ = FeatureTable::Build({m->projection_});
  if (!m->table_) return Status::Invalid("fastText model vocabulary cannot be indexed: " + path);
  if (!keep_reference) m->ft_.reset();
  return m;
}

bool FastTextModel::Share(const std::vector<FastTextModel*>& models) {
  std::vector<std::shared_ptr<const Projection>> members;
  for (const auto* m : models) members.push_back(m->projection_);
  auto table = FeatureTable::Build(members);
  if (!table) return false;
  for (size_t k = 0; k < models.size(); ++k) {
    models[k]->table_ = table;
    models[k]->member_ = k;
  }
  return true;
}

size_t FastTextModel::rows() const { return projection_->row_logits.size() / projection_->labels; }
size_t FastTextModel::vocabulary() const { return projection_->words.size(); }

namespace {
// Streams repeat themselves (reposts with the default text, copied posts): each thread remembers
// the predictions of the last lines in a small direct-mapped table, so a repeated line costs a
// hash instead of an inference. Predictions are a pure function of (table, line); one entry
// holds every member's probabilities, so the models of a shared table read a line once.
struct CachedPrediction {
  const void* table = nullptr;
  uint64_t key = 0;
  std::vector<float> probs;
};
constexpr size_t kPredictionCache = 4096;  // entries per thread, power of two
}  // namespace

void FastTextModel::Predict(std::string_view line, std::vector<float>& probs) const {
  thread_local std::vector<CachedPrediction> cache(kPredictionCache);
  const FeatureTable& t = *table_;
  const uint64_t key = std::hash<std::string_view>{}(line);
  CachedPrediction& slot = cache[(key ^ reinterpret_cast<uintptr_t>(&t)) & (kPredictionCache - 1)];
  if (slot.table != &t || slot.key != key || slot.probs.size() != t.width()) {
    slot.probs.resize(t.width());
    t.Predict(line, slot.probs.data());
    slot.table = &t;
    slot.key = key;
  }
  const float* p = slot.probs.data() + t.offset(member_);
  probs.assign(p, p + labels_.size());
}

void FastTextModel::PredictReference(std::string_view line, std::vector<float>& probs) const {
  probs.assign(labels_.size(), 0.0f);
  if (!ft_) return;
  std::istringstream in{std::string(line)};
  std::vector<std::pair<fasttext::real, std::string>> preds;
  try {
    ft_->predictLine(in, preds, -1, 0.0);
  } catch (const std::exception&) {
    return;
  }
  for (auto& [p, l] : preds) {
    std::string_view name(l);
    if (name.rfind(kLabelPrefix, 0) == 0) name.remove_prefix(kLabelPrefix.size());
    for (size_t i = 0; i < labels_.size(); ++i)
      if (labels_[i] == name) probs[i] = p;
  }
}

Status TrainFastText(const std::string& train_file, const std::string& out_path, const FastTextParams& p) {
  try {
    fasttext::Args a;
    a.input = train_file;
    a.model = fasttext::model_name::sup;
    a.loss = fasttext::loss_name::softmax;
    a.epoch = p.epoch;
    a.lr = p.lr;
    a.dim = p.dim;
    a.wordNgrams = p.word_ngrams;
    a.minn = p.minn;
    a.maxn = p.maxn;
    a.bucket = p.bucket;
    a.minCount = p.min_count;
    a.thread = p.threads;
    a.seed = p.seed;
    a.verbose = 0;
    fasttext::FastText ft;
    ft.train(a);
    if (p.quantize) {
      fasttext::Args q = a;
      q.qnorm = true;
      q.cutoff = p.cutoff;
      q.dsub = p.dsub;
      q.retrain = false;
      q.input = train_file;
      ft.quantize(q);
    }
    ft.saveModel(out_path);
  } catch (const std::exception& e) {
    return Status::Io(std::string("fastText training failed: ") + e.what());
  }
  return Status::Ok();
}

void FeatureLine(const std::vector<std::string>& words, std::string& out) {
  out.clear();
  for (const auto& w : words) {
    size_t start = out.size();
    for (char c : w) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u <= ' ' || u == 0x7f) continue;  // fastText splits on these; never emit them
      out.push_back(c);
    }
    if (out.size() > start) out.push_back(' ');
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  out.push_back('\n');
}

}  // namespace yuqing::analysis

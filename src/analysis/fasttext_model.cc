#include "analysis/fasttext_model.h"

#include <cstdint>
#include <functional>

#include <fasttext/fasttext.h>

#include <filesystem>
#include <sstream>

namespace yuqing::analysis {

namespace {
constexpr std::string_view kLabelPrefix = "__label__";
}

FastTextModel::~FastTextModel() = default;

Result<std::unique_ptr<FastTextModel>> FastTextModel::Load(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Status::NotFound("model file not found: " + path);
  std::unique_ptr<FastTextModel> m(new FastTextModel());
  m->ft_ = std::make_unique<fasttext::FastText>();
  try {
    m->ft_->loadModel(path);
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
  return m;
}

namespace {
// Streams repeat themselves (reposts with the default text, copied posts): each thread remembers
// the last predictions by feature line in a small direct-mapped table, so a repeated line costs a
// hash instead of an inference. Predictions are a pure function of (model, line).
struct CachedPrediction {
  const void* model = nullptr;
  uint64_t key = 0;
  std::vector<float> probs;
};
constexpr size_t kPredictionCache = 4096;  // entries per thread, power of two
}  // namespace

void FastTextModel::Predict(std::string_view line, std::vector<float>& probs) const {
  thread_local std::vector<CachedPrediction> cache(kPredictionCache);
  uint64_t key = std::hash<std::string_view>{}(line);
  CachedPrediction& slot = cache[(key ^ reinterpret_cast<uintptr_t>(this)) & (kPredictionCache - 1)];
  if (slot.model == this && slot.key == key && slot.probs.size() == labels_.size()) {
    probs = slot.probs;
    return;
  }
  PredictUncached(line, probs);
  slot.model = this;
  slot.key = key;
  slot.probs = probs;
}

void FastTextModel::PredictUncached(std::string_view line, std::vector<float>& probs) const {
  probs.assign(labels_.size(), 0.0f);
  // predictLine reads one line from a stream; the label strings it returns are mapped back to
  // indices. A stream per call costs well under a microsecond, far below the model itself.
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

// A fastText text classifier behind a small, exception-free interface.
//
// Loading goes through libfasttext (Debian), which validates the file and dequantises the
// vectors. Prediction does not: a supervised fastText model with softmax loss is linear up to the
// softmax, so logits = W_out · mean(rows) = mean(W_out · row). At load time every input row
// (vocabulary word or hashed word n-gram bucket) is projected once onto the labels, and the
// library's model (its 30M-entry word table and product-quantised rows) is released. Predicting
// then costs about one memory access per token and per word bigram. Models that read the same
// feature lines (sentiment and rumour) can Share() one table, so a line is read once for all.
// Token ids and n-gram hashes replicate fastText 0.9.2's Dictionary::getLine; a test compares
// every probability with predictLine on real lines.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace fasttext {
class FastText;
}

namespace yuqing::analysis {

struct FileDictionary;  // fasttext_model.cc
struct Projection;      // one model's weights projected on its labels (fasttext_model.cc)
class FeatureTable;     // the lookup table one or more models predict through (fasttext_model.cc)

class FastTextModel {
 public:
  // Loads a .bin or quantised .ftz model trained by `yuqing model train` (supervised, softmax
  // loss, no character n-grams). Fails with kNotFound / kInvalid (never throws).
  // keep_reference keeps libfasttext's own model for PredictReference (tests and benchmarks).
  static Result<std::unique_ptr<FastTextModel>> Load(const std::string& path, bool keep_reference = false);
  ~FastTextModel();

  // Makes the models predict through one shared table (same results, one lookup per token for
  // all of them). Returns false, leaving them as they were, when they cannot share (different
  // word n-gram lengths, incompatible bucket counts, more than 8 models).
  static bool Share(const std::vector<FastTextModel*>& models);

  // Labels without the "__label__" prefix, in the order Predict reports them.
  const std::vector<std::string>& labels() const { return labels_; }

  // Probability of every label for one feature line (space-separated tokens, see FeatureLine).
  // probs is resized to labels().size(); all zero when no token of the line is known to the
  // model (as fastText answers nothing). Thread-safe. The last lines seen are answered from a
  // small per-thread cache (shared by the models of one table).
  void Predict(std::string_view line, std::vector<float>& probs) const;

  // The same through libfasttext's predictLine (only with keep_reference; zeros otherwise).
  void PredictReference(std::string_view line, std::vector<float>& probs) const;

  // Input rows kept (words + n-gram buckets) and vocabulary size, for model cards and tests.
  size_t rows() const;
  size_t vocabulary() const;

  // fastText's token hash (FNV-1a over bytes taken as signed chars), exposed for tests.
  static uint32_t TokenHash(std::string_view token);

 private:
  FastTextModel() = default;

  std::unique_ptr<fasttext::FastText> ft_;  // only with keep_reference
  std::vector<std::string> labels_;
  std::shared_ptr<const Projection> projection_;
  std::shared_ptr<const FeatureTable> table_;  // its own, or one shared with other models
  size_t member_ = 0;                          // this model's index in table_
};

struct FastTextParams {
  int epoch = 10;
  double lr = 0.5;
  int dim = 50;
  int word_ngrams = 2;
  int minn = 0;
  int maxn = 0;
  int bucket = 500000;
  int min_count = 1;
  int threads = 2;
  int seed = 1;
  // Quantisation (product quantisation + vocabulary pruning) to keep the file small.
  bool quantize = true;
  size_t cutoff = 100000;
  int dsub = 2;
};

// Trains a supervised model on a fastText-format file ("__label__x tok tok ...\n" lines) and
// saves it to out_path (".ftz" when quantised, as given otherwise).
Status TrainFastText(const std::string& train_file, const std::string& out_path, const FastTextParams& p);

// Writes one feature line for fastText from segmented, normalised words: tokens separated by one
// space, whitespace inside tokens dropped, ending with '\n'. Used for training and prediction alike.
void FeatureLine(const std::vector<std::string>& words, std::string& out);

}  // namespace yuqing::analysis

// A fastText text classifier behind a small, exception-free interface. fastText throws on bad
// files and aborts nothing else; every call into it is wrapped here, so no exception leaves.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace fasttext {
class FastText;
}

namespace yuqing::analysis {

class FastTextModel {
 public:
  // Loads a .bin or quantised .ftz model. Fails with kNotFound / kInvalid (never throws).
  static Result<std::unique_ptr<FastTextModel>> Load(const std::string& path);
  ~FastTextModel();

  // Labels without the "__label__" prefix, in the order Predict reports them.
  const std::vector<std::string>& labels() const { return labels_; }

  // Probability of every label for one feature line (space-separated tokens, see FeatureLine).
  // probs is resized to labels().size(). Thread-safe (fastText prediction is const).
  // Repeated lines are answered from a small per-thread cache.
  void Predict(std::string_view line, std::vector<float>& probs) const;

 private:
  void PredictUncached(std::string_view line, std::vector<float>& probs) const;

  FastTextModel() = default;
  std::unique_ptr<fasttext::FastText> ft_;
  std::vector<std::string> labels_;
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

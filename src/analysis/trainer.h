// `yuqing model train` / `model eval`: builds the shipped fastText models from labelled text.
// Reproducible: fixed seeds, deterministic shuffles and splits; 2 threads by default (fastText
// with more than one thread is not bit-for-bit reproducible, accuracy varies by about ±0.3%).
#pragma once

#include <string>
#include <vector>

#include "analysis/corpus.h"
#include "analysis/fasttext_model.h"
#include "core/status.h"
#include "text/normalizer.h"
#include "text/segmenter.h"

namespace yuqing::analysis {

struct TrainOptions {
  std::string data_dir;   // public corpora root (sentiment/, rumor/); "" → DefaultTrainDataDir()
  std::string user_data;  // optional: the user's labelled posts (see LoadUserLabeled)
  std::vector<LabeledText> corrections;  // analysts' corrections (added to the sentiment data)
  std::string out_dir;    // where sentiment.ftz / rumor.ftz / training_report.json go
  bool train_sentiment = true;
  bool train_rumor = true;
  bool train_news = true;
  bool train_types = true;
  // Neutral rows are repeated until they are about this share of the sentiment data (the
  // public corpora are mostly positive/negative reviews and Weibo emotion).
  double neutral_share = 0.25;
  FastTextParams sentiment_params = {.epoch = 5, .lr = 0.5, .dim = 50, .bucket = 1000000, .cutoff = 300000};
  // The second sentiment model, on ChnSentiCorp train only (in-domain for the dev set).
  FastTextParams reviews_params = {.epoch = 10, .lr = 0.5, .dim = 100, .bucket = 1000000, .cutoff = 200000};
  FastTextParams rumor_params;
  // news.ftz: news titles and reports vs personal posts (opinion type "news").
  FastTextParams news_params = {.epoch = 10, .lr = 0.5, .dim = 50, .bucket = 500000, .cutoff = 100000};
  // types.ftz: the context model that may veto the lexicon's types (analysis/types_trainer.h).
  // One thread: bit-for-bit reproducible, and the file is small (≈ 27k rows).
  FastTextParams types_params = {.epoch = 10, .lr = 0.5, .dim = 50, .bucket = 500000, .threads = 1, .cutoff = 100000};
  bool keep_files = false;  // keep the fastText input files in out_dir (for experiments)
};

struct TrainReport {
  size_t sentiment_rows = 0;
  size_t user_rows = 0;
  double sentiment_dev_accuracy = -1;  // ChnSentiCorp dev (binary: p(pos) vs p(neg)); -1: not run
  size_t sentiment_dev_rows = 0;
  size_t neutral_rows = 0;  // before repetition
  size_t held_out_rows = 0;  // rows of the public corpora left out (fold 0 and the dev labels)
  size_t news_train_rows = 0;
  size_t types_train_rows = 0;
  size_t types_confirmed = 0;     // lexicon proposals the corpus confirms (weak labels)
  size_t types_contradicted = 0;  // … and contradicts ("none")
  size_t rumor_train_rows = 0;
  size_t rumor_holdout_rows = 0;
  double rumor_holdout_accuracy = -1;
  double seconds = 0;
  std::vector<std::string> notes;
};

// Segmented, normalised words of a raw text (as the pipeline computes them).
std::vector<std::string> PrepareWords(const std::string& raw, const text::Normalizer& n, const text::Segmenter& s);

// Trains the selected models into opts.out_dir. With opts.user_data set, the user's rows are
// added to the public corpora (or used alone when the public data is absent).
Result<TrainReport> TrainModels(const TrainOptions& opts, const text::Normalizer& n, const text::Segmenter& s);

// Accuracy of the sentiment models in models_dir on ChnSentiCorp dev (binary decision).
Result<double> EvalSentimentDev(const std::string& models_dir, const std::string& dev_path, const text::Normalizer& n,
                                const text::Segmenter& s, size_t* rows = nullptr);
// Accuracy of the rumour model on the held-out fifth of CED (FoldOf(id) == 0).
Result<double> EvalRumorHoldout(const std::string& model_path, const std::string& ced_path, const text::Normalizer& n,
                                const text::Segmenter& s, size_t* rows = nullptr);

}  // namespace yuqing::analysis

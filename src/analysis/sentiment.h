// Sentiment: negative / neutral / positive with a score in [-1, 1].
// Chinese (simplified, and traditional after normalisation) goes to a fastText model trained by
// `yuqing model train` (models/sentiment.ftz). Text with almost no CJK characters goes to a small
// English lexicon with negation handling (models/sentiment_en.tsv), since no English training
// data ships with the project.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/fasttext_model.h"
#include "core/status.h"

namespace yuqing::analysis {

struct SentimentResult {
  const char* label = "neutral";  // "negative" | "neutral" | "positive" (static strings)
  double score = 0.0;             // p(positive) - p(negative), in [-1, 1]
  double negative = 0, neutral = 1, positive = 0;  // the three probabilities (sum 1)
};

// The English lexicon has no probabilities: score magnitude below which it calls a text neutral.
constexpr double kNeutralBand = 0.3;

// The label of three probabilities: the most probable class.
const char* SentimentLabel(double negative, double neutral, double positive);

// The feature line the fastText models (sentiment and rumour) see for segmented, normalised
// words: the words, then '#'-prefixed bigrams of adjacent CJK characters. Training and
// prediction both use it, so they cannot drift apart.
void SentimentFeatures(const std::vector<std::string>& words, std::string& line);

// True when text has fewer than 2 CJK ideographs and at least 3 Latin letters.
bool LooksEnglish(std::string_view text);

class SentimentModel {
 public:
  // Loads models_dir/sentiment.ftz (required; trained on every corpus), sentiment_reviews.ftz
  // (optional; trained on ChnSentiCorp reviews only; when present the score is the mean of both
  // models) and sentiment_en.tsv ("word\tscore", optional). Fails with kNotFound when the main
  // model is missing (run `yuqing model train`).
  static Result<std::unique_ptr<SentimentModel>> Load(const std::string& models_dir);
  // Same, with explicit files ("" for the optional ones).
  static Result<std::unique_ptr<SentimentModel>> LoadFile(const std::string& model_path,
                                                          const std::string& english_lexicon,
                                                          const std::string& reviews_model_path = "");

  // norm_text is the normalised text, words its segmentation. Thread-safe.
  SentimentResult Classify(std::string_view norm_text, const std::vector<std::string>& words) const;
  // Same, with the feature line already computed by SentimentFeatures(words, line).
  SentimentResult Classify(std::string_view norm_text, const std::vector<std::string>& words,
                           std::string_view line) const;
  // The models alone (no English fallback): p(positive) - p(negative).
  double ModelScore(const std::vector<std::string>& words) const;
  // The models' three probabilities for a feature line.
  SentimentResult Probabilities(std::string_view line) const;
  SentimentResult English(const std::vector<std::string>& words) const;
  // The fastText models, for FastTextModel::Share.
  std::vector<FastTextModel*> fasttext_models() const;

 private:
  SentimentModel() = default;
  struct Member {
    std::unique_ptr<FastTextModel> model;
    int neg = -1, neu = -1, pos = -1;  // label indices in the model (neu -1: a two-class model)
  };
  static Result<Member> LoadMember(const std::string& path);
  std::vector<Member> models_;
  std::unordered_map<std::string, double> english_;
};

}  // namespace yuqing::analysis

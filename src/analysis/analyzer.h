// Per-post analysis (分析研判): sentiment, opinion types with evidence, region, keywords and
// SimHash, filled into ProcessedPost::analysis. Stateless per post and thread-safe: one Analyzer
// can serve every pipeline thread. Event assignment and near-duplicate links are stateful and
// live in EventTracker (event_tracker.h).
#pragma once

#include <memory>
#include <string>

#include "analysis/gazetteer.h"
#include "analysis/opinion_types.h"
#include "analysis/sentiment.h"
#include "core/post.h"
#include "core/status.h"
#include "text/normalizer.h"
#include "text/segmenter.h"

namespace yuqing::analysis {

struct AnalyzerOptions {
  // Directory with sentiment.ftz, sentiment_en.tsv, rumor.ftz, opinion_lexicon.tsv and
  // gazetteer.tsv; "" resolves through ResolveModelsDir() ($YUQING_MODELS_DIR or the source tree).
  std::string models_dir;
  size_t keywords = 8;         // top keywords kept per post
  bool rumor_model = true;     // false: rumour suspects from the lexicon only
  OpinionOptions opinion;
};

class Analyzer {
 public:
  // Loads the models and lexicons. Fails with kNotFound naming the missing file (a fresh checkout
  // has them under models/; `yuqing model train` rebuilds the .ftz files).
  static Result<std::unique_ptr<Analyzer>> Create(const AnalyzerOptions& opts,
                                                  std::shared_ptr<const text::Normalizer> normalizer,
                                                  std::shared_ptr<const text::Segmenter> segmenter);

  // Fills p.analysis (sentiment, types, province/city, keywords, simhash) from p.norm_text and
  // p.words, which the caller has filled (normalised title + "\n" + text, and its Segmenter::Cut).
  // Leaves dup_of and event_id alone (EventTracker sets them). Never fails; thread-safe.
  void Analyze(ProcessedPost& p) const;

  // Fills p.norm_text and p.words from p.post as the pipeline does (for the CLI and tests).
  void Prepare(ProcessedPost& p) const;

  const SentimentModel& sentiment() const { return *sentiment_; }
  const OpinionClassifier& opinion() const { return *opinion_; }
  const Gazetteer& gazetteer() const { return *gazetteer_; }

 private:
  Analyzer() = default;
  AnalyzerOptions opts_;
  std::shared_ptr<const text::Normalizer> normalizer_;
  std::shared_ptr<const text::Segmenter> segmenter_;
  std::unique_ptr<SentimentModel> sentiment_;
  std::unique_ptr<OpinionClassifier> opinion_;
  std::unique_ptr<Gazetteer> gazetteer_;
};

}  // namespace yuqing::analysis

// Opinion types (舆情类型) with evidence: complaint, suggestion, rumor, attack, group_event,
// accident, praise, news. Lexicon rules (models/opinion_lexicon.tsv, written by the team) for all
// types, plus a fastText rumour classifier (models/rumor.ftz, trained on CED Weibo originals).
// Immutable after Load; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/fasttext_model.h"
#include "analysis/phrase_matcher.h"
#include "core/post.h"
#include "core/status.h"

namespace yuqing::analysis {

// The eight type names, in the order they are reported.
const std::vector<std::string>& OpinionTypeNames();

struct OpinionOptions {
  // p(rumor) from the model at or above which a post is a rumour suspect.
  double rumor_threshold = 0.9;
  // The model (trained on Weibo rumour originals, mostly long) is not trusted on shorter texts (fewer code points than this).
  size_t rumor_min_chars = 50;
  // p(news) from the news model (models/news.ftz) at or above which a post is typed news.
  double news_threshold = 0.5;
  // p("none") from the types context model (models/types.ftz) at or above which a type that
  // the lexicon proposed (complaint, suggestion, attack, group_event, accident, praise) is
  // dropped: the model only vetoes when it is sure the cue words mean something else here.
  double type_veto = 0.9;
  // … but only a type resting on weak evidence: when cue phrases weighing this much agree
  // (数百名工人 聚集 拉横幅), the lexicon stands whatever the model says.
  double type_veto_below_weight = 2.0;
};

class OpinionClassifier {
 public:
  // lexicon_path: "type\tweight\tphrase" lines. rumor_model_path: a fastText model with labels
  // rumor / non-rumor, or "" to use the lexicon alone. Fails on a missing/bad lexicon or model.
  // news_model_path: a fastText model with labels news / other, or "" (news from the lexicon).
  // types_model_path: a fastText model with a label "none" (types.ftz), or "" (no veto).
  static Result<std::unique_ptr<OpinionClassifier>> Load(const std::string& lexicon_path,
                                                         const std::string& rumor_model_path,
                                                         OpinionOptions opts = {},
                                                         const std::string& news_model_path = "",
                                                         const std::string& types_model_path = "");
  static Result<std::unique_ptr<OpinionClassifier>> Parse(std::string_view lexicon, OpinionOptions opts = {});

  // Appends the types found in norm_text; line is SentimentFeatures() of its words, for the
  // rumour model. *rumor (when given) receives p(rumour) for every text (-1 without a model);
  // the "rumor" type itself needs rumor_min_chars and rumor_threshold.
  // author_tokens: AuthorTokens() when the post carries its author's followers or verified
  // flag (the rumour model reads them), else "".
  void Classify(std::string_view norm_text, std::string_view line, std::vector<TypeHit>& out,
                double* rumor = nullptr, std::string_view author_tokens = {}) const;

  // p(rumor) for a feature line; -1 when no model is loaded.
  double RumorProbability(std::string_view line) const;
  // p(news) for a feature line; -1 when no model is loaded.
  double NewsProbability(std::string_view line) const;
  // The rumour, news and types models (null without one), for FastTextModel::Share.
  FastTextModel* rumor_model() const { return rumor_.get(); }
  FastTextModel* news_model() const { return news_.get(); }
  FastTextModel* types_model() const { return types_.get(); }
  // p("none") from the types context model for a feature line; -1 without one.
  double NoTypeProbability(std::string_view line) const;

 private:
  OpinionClassifier() = default;
  struct Phrase {
    int type;
    float weight;
    std::string text;
    bool ascii_start, ascii_end;  // need word boundaries on that side
  };
  OpinionOptions opts_;
  std::vector<Phrase> phrases_;
  PhraseMatcher matcher_;
  std::unique_ptr<FastTextModel> rumor_;
  int rumor_label_ = -1;
  std::unique_ptr<FastTextModel> news_;
  int news_label_ = -1;
  std::unique_ptr<FastTextModel> types_;
  int types_none_ = -1;
};

}  // namespace yuqing::analysis

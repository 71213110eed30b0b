#include "analysis/analyzer.h"

#include <algorithm>
#include <filesystem>

#include "analysis/model_paths.h"
#include "analysis/simhash.h"

namespace yuqing::analysis {

namespace {
constexpr double kTypeNudge = 0.4;
}  // namespace

Result<std::unique_ptr<Analyzer>> Analyzer::Create(const AnalyzerOptions& opts,
                                                    std::shared_ptr<const text::Normalizer> normalizer,
                                                    std::shared_ptr<const text::Segmenter> segmenter) {
  if (!normalizer || !segmenter) return Status::Invalid("Analyzer needs a normalizer and a segmenter");
  std::unique_ptr<Analyzer> a(new Analyzer());
  a->opts_ = opts;
  a->opts_.models_dir = ResolveModelsDir(opts.models_dir);
  const std::string& dir = a->opts_.models_dir;
  a->normalizer_ = std::move(normalizer);
  a->segmenter_ = std::move(segmenter);
  YQ_ASSIGN_OR_RETURN(a->sentiment_, SentimentModel::Load(dir));
  std::string rumor = dir + "/rumor.ftz";
  std::error_code ec;
  if (!opts.rumor_model || !std::filesystem::exists(rumor, ec)) rumor.clear();
  YQ_ASSIGN_OR_RETURN(a->opinion_, OpinionClassifier::Load(dir + "/opinion_lexicon.tsv", rumor, opts.opinion));
  YQ_ASSIGN_OR_RETURN(a->gazetteer_, Gazetteer::Load(dir + "/gazetteer.tsv"));
  // Sentiment and rumour models read the same feature line: one table reads it once for all.
  // When they cannot share (a user's model with other n-gram settings), each keeps its own.
  std::vector<FastTextModel*> models = a->sentiment_->fasttext_models();
  if (a->opinion_->rumor_model()) models.push_back(a->opinion_->rumor_model());
  FastTextModel::Share(models);
  return a;
}

void Analyzer::Prepare(ProcessedPost& p) const {
  p.norm_text.clear();
  normalizer_->Normalize(p.post.title, p.norm_text);
  p.norm_text.push_back('\n');
  normalizer_->Normalize(p.post.text, p.norm_text);
  p.words.clear();
  segmenter_->Cut(p.norm_text, p.words);
}

void Analyzer::Analyze(ProcessedPost& p) const {
  Analysis& a = p.analysis;
  thread_local std::string line;  // the feature line, reused from post to post
  SentimentFeatures(p.words, line);
  SentimentResult s = sentiment_->Classify(p.norm_text, p.words, line);
  a.sentiment_label = s.label;
  a.sentiment_score = s.score;
  a.types.clear();
  opinion_->Classify(p.norm_text, line, a.types);
  // Explicit praise or complaint/abuse is strong evidence of polarity that the model, trained
  // mostly on product reviews, can miss in short posts ("感谢师傅连夜抢修,点赞!"): nudge the score.
  double nudge = 0;
  for (const auto& t : a.types) {
    if (t.type == "praise") nudge += kTypeNudge;
    if (t.type == "complaint" || t.type == "attack") nudge -= kTypeNudge;
  }
  if (nudge != 0) {
    a.sentiment_score = std::clamp(a.sentiment_score + nudge, -1.0, 1.0);
    a.sentiment_label = a.sentiment_score >= kNeutralBand    ? "positive"
                        : a.sentiment_score <= -kNeutralBand ? "negative"
                                                             : "neutral";
  }
  std::string location = p.post.author.location;
  if (!p.post.region.empty()) location += " " + p.post.region;
  Region r = gazetteer_->Resolve(p.norm_text, location);
  a.province = std::move(r.province);
  a.city = std::move(r.city);
  a.keywords.clear();
  thread_local std::vector<text::Segmenter::WordFact> facts;  // each word looked up once for both
  segmenter_->Facts(p.words, facts);
  for (auto& [w, score] : segmenter_->Keywords(p.words, facts, opts_.keywords)) a.keywords.push_back(std::move(w));
  a.simhash = SimHash(p.words, facts);
}

}  // namespace yuqing::analysis

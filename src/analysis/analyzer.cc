#include "analysis/analyzer.h"

#include <algorithm>
#include <filesystem>

#include "analysis/boilerplate.h"
#include "analysis/corpus.h"
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
  std::string news = dir + "/news.ftz";
  if (!std::filesystem::exists(news, ec)) news.clear();
  std::string types = dir + "/types.ftz";
  if (!std::filesystem::exists(types, ec)) types.clear();
  YQ_ASSIGN_OR_RETURN(a->opinion_,
                      OpinionClassifier::Load(dir + "/opinion_lexicon.tsv", rumor, opts.opinion, news, types));
  YQ_ASSIGN_OR_RETURN(a->gazetteer_, Gazetteer::Load(dir + "/gazetteer.tsv"));
  // Sentiment and rumour models read the same feature line: one table reads it once for all.
  // When they cannot share (a user's model with other n-gram settings), each keeps its own.
  std::vector<FastTextModel*> models = a->sentiment_->fasttext_models();
  if (a->opinion_->rumor_model()) models.push_back(a->opinion_->rumor_model());
  if (a->opinion_->news_model()) models.push_back(a->opinion_->news_model());
  // types.ftz has two labels: one more number in the entry's block, which the other models
  // have just brought into the cache.
  if (a->opinion_->types_model()) models.push_back(a->opinion_->types_model());
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

namespace {

// Moves up to `amount` of probability into class `to` (0 negative, 2 positive), taken from
// neutral first and then from the opposite class.
void Nudge(SentimentResult& s, int to, double amount) {
  double& into = to == 2 ? s.positive : s.negative;
  double& other = to == 2 ? s.negative : s.positive;
  double from_neutral = std::min(amount, s.neutral);
  s.neutral -= from_neutral;
  double from_other = std::min(amount - from_neutral, other);
  other -= from_other;
  into += from_neutral + from_other;
}

}  // namespace

void Analyzer::Analyze(ProcessedPost& p) const {
  Analysis& a = p.analysis;
  a.types.clear();
  if (IsContentless(p.norm_text)) {
    // An empty repost or share line: no attitude, no claim (boilerplate.h).
    a.sentiment_label = "neutral";
    a.sentiment_score = 0;
    a.rumor = 0;
  } else {
    thread_local std::string line;  // the feature line, reused from post to post
    SentimentFeatures(p.words, line);
    SentimentResult s = sentiment_->Classify(p.norm_text, p.words, line);
    double rumor = -1;
    const Author& au = p.post.author;
    std::string author_tokens = au.followers > 0 || au.verified ? AuthorTokens(au.verified, au.followers) : "";
    opinion_->Classify(p.norm_text, line, a.types, &rumor, author_tokens);
    a.rumor = std::max(0.0, rumor);
    // Explicit praise or complaint/abuse is strong evidence of attitude that the models, trained
    // mostly on reviews and Weibo emotion, can miss in short posts ("感谢师傅连夜抢修,点赞!").
    for (const auto& t : a.types) {
      if (t.type == "praise") Nudge(s, 2, kTypeNudge);
      if (t.type == "complaint" || t.type == "attack") Nudge(s, 0, kTypeNudge);
    }
    a.sentiment_label = SentimentLabel(s.negative, s.neutral, s.positive);
    a.sentiment_score = std::clamp(s.positive - s.negative, -1.0, 1.0);
  }
  std::string location = p.post.author.location;
  if (!p.post.region.empty()) location += " " + p.post.region;
  Region r = gazetteer_->Resolve(p.norm_text, location);
  a.province = std::move(r.province);
  a.city = std::move(r.city);
  a.region_source = std::move(r.source);
  a.keywords.clear();
  thread_local std::vector<text::Segmenter::WordFact> facts;  // each word looked up once for both
  segmenter_->Facts(p.words, facts);
  for (auto& [w, score] : segmenter_->Keywords(p.words, facts, opts_.keywords)) a.keywords.push_back(std::move(w));
  a.simhash = SimHash(p.words, facts);
}

}  // namespace yuqing::analysis

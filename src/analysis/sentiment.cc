#include "analysis/sentiment.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "analysis/phrase_matcher.h"

#ifndef YQ_SENTIMENT_CONFIDENT
#define YQ_SENTIMENT_CONFIDENT 0.95
#endif

namespace yuqing::analysis {

namespace {

bool IsCjk(uint32_t cp) { return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF); }

bool IsNegator(const std::string& w) {
  return w == "not" || w == "no" || w == "never" || w == "nobody" || w == "nothing" || w == "n't" ||
         w == "don't" || w == "didn't" || w == "isn't" || w == "wasn't" || w == "won't" || w == "can't" ||
         w == "doesn't" || w == "aren't" || w == "weren't" || w == "hardly" || w == "without";
}

SentimentResult FromScore(double s) {
  SentimentResult r;
  r.score = std::clamp(s, -1.0, 1.0);
  r.label = r.score >= kNeutralBand ? "positive" : r.score <= -kNeutralBand ? "negative" : "neutral";
  r.positive = std::max(0.0, r.score);
  r.negative = std::max(0.0, -r.score);
  r.neutral = 1 - r.positive - r.negative;
  return r;
}

}  // namespace

void SentimentFeatures(const std::vector<std::string>& words, std::string& line) {
  FeatureLine(words, line);
  // Character bigrams of adjacent CJK ideographs (across word boundaries, prefixed '#'):
  // they make the model robust to segmentation errors and unseen words (+1% on the dev set).
  line.pop_back();  // '\n'
  std::string_view prev;
  for (const auto& w : words) {
    size_t i = 0;
    while (i < w.size()) {
      size_t start = i;
      uint32_t cp = DecodeUtf8(w, i);
      std::string_view cur(w.data() + start, i - start);
      if (!IsCjk(cp)) {
        prev = {};
        continue;
      }
      if (!prev.empty()) {
        line += " #";
        line.append(prev);
        line.append(cur);
      }
      prev = cur;
    }
  }
  line.push_back('\n');
}

bool LooksEnglish(std::string_view text) {
  int cjk = 0, latin = 0;
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp = DecodeUtf8(text, i);
    if (IsCjk(cp)) ++cjk;
    else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') ++latin;
  }
  return cjk < 2 && latin >= 3;
}

Result<std::unique_ptr<SentimentModel>> SentimentModel::Load(const std::string& models_dir) {
  std::string reviews = models_dir + "/sentiment_reviews.ftz";
  std::error_code ec;
  if (!std::filesystem::exists(reviews, ec)) reviews.clear();
  return LoadFile(models_dir + "/sentiment.ftz", models_dir + "/sentiment_en.tsv", reviews);
}

Result<SentimentModel::Member> SentimentModel::LoadMember(const std::string& path) {
  YQ_ASSIGN_OR_RETURN(auto ft, FastTextModel::Load(path));
  Member m;
  for (size_t i = 0; i < ft->labels().size(); ++i) {
    const auto& l = ft->labels()[i];
    if (l == "negative") m.neg = static_cast<int>(i);
    if (l == "positive") m.pos = static_cast<int>(i);
    if (l == "neutral") m.neu = static_cast<int>(i);
  }
  if (m.neg < 0 || m.pos < 0) return Status::Invalid("sentiment model lacks positive/negative labels: " + path);
  m.model = std::move(ft);
  return m;
}

Result<std::unique_ptr<SentimentModel>> SentimentModel::LoadFile(const std::string& model_path,
                                                                  const std::string& english_lexicon,
                                                                  const std::string& reviews_model_path) {
  std::unique_ptr<SentimentModel> m(new SentimentModel());
  YQ_ASSIGN_OR_RETURN(Member main, LoadMember(model_path));
  m->models_.push_back(std::move(main));
  if (!reviews_model_path.empty()) {
    YQ_ASSIGN_OR_RETURN(Member reviews, LoadMember(reviews_model_path));
    m->models_.push_back(std::move(reviews));
  }
  std::ifstream in(english_lexicon);
  std::string line;
  while (english_lexicon.size() && std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    m->english_[line.substr(0, tab)] = std::atof(line.c_str() + tab + 1);
  }
  return m;
}

const char* SentimentLabel(double negative, double neutral, double positive) {
  if (neutral >= negative && neutral >= positive) return "neutral";
  return positive > negative ? "positive" : "negative";
}

SentimentResult SentimentModel::Probabilities(std::string_view line) const {
  // The general model (three classes) decides how much of the post is attitude at all; the
  // reviews model, when present, only helps split that attitude between positive and negative
  // (it has no neutral class). It is consulted only near the boundary: when the general model's
  // split is already clear the second prediction is skipped (half the cost on typical streams).
  constexpr double kConfident = YQ_SENTIMENT_CONFIDENT;
  thread_local std::vector<float> p;
  const Member& g = models_[0];
  g.model->Predict(line, p);
  SentimentResult r;
  r.negative = p[g.neg];
  r.positive = p[g.pos];
  r.neutral = g.neu >= 0 ? p[g.neu] : 0.0;
  double polar = r.negative + r.positive;
  if (models_.size() > 1 && polar > 0) {
    double split = r.positive / polar;  // P(positive | has an attitude)
    if (std::abs(2 * split - 1) < kConfident) {
      const Member& rv = models_[1];
      rv.model->Predict(line, p);
      double rpolar = p[rv.pos] + p[rv.neg];
      if (rpolar > 0) split = (split + p[rv.pos] / rpolar) / 2;
      r.positive = polar * split;
      r.negative = polar - r.positive;
    }
  }
  r.score = std::clamp(r.positive - r.negative, -1.0, 1.0);
  r.label = SentimentLabel(r.negative, r.neutral, r.positive);
  return r;
}

std::vector<FastTextModel*> SentimentModel::fasttext_models() const {
  std::vector<FastTextModel*> out;
  for (const auto& m : models_) out.push_back(m.model.get());
  return out;
}

double SentimentModel::ModelScore(const std::vector<std::string>& words) const {
  std::string line;
  SentimentFeatures(words, line);
  return Probabilities(line).score;
}

SentimentResult SentimentModel::English(const std::vector<std::string>& words) const {
  double sum = 0;
  int hits = 0, negate = 0;
  for (const auto& w : words) {
    if (IsNegator(w)) {
      negate = 3;  // flips the next few words ("not very good")
      continue;
    }
    if (auto it = english_.find(w); it != english_.end()) {
      sum += negate > 0 ? -it->second : it->second;
      ++hits;
    }
    if (negate > 0) --negate;
  }
  if (hits == 0) return FromScore(0);
  return FromScore(std::tanh(sum / std::sqrt(static_cast<double>(hits))));
}

SentimentResult SentimentModel::Classify(std::string_view norm_text, const std::vector<std::string>& words) const {
  std::string line;
  SentimentFeatures(words, line);
  return Classify(norm_text, words, line);
}

SentimentResult SentimentModel::Classify(std::string_view norm_text, const std::vector<std::string>& words,
                                         std::string_view line) const {
  if (LooksEnglish(norm_text) && !english_.empty()) return English(words);
  return Probabilities(line);
}

}  // namespace yuqing::analysis

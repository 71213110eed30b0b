#include "analysis/opinion_types.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace yuqing::analysis {

namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int TypeIndex(std::string_view name) {
  const auto& names = OpinionTypeNames();
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Loads a fastText model and finds the index of `label` in it.
Status LoadModel(const std::string& path, const std::string& label, std::unique_ptr<FastTextModel>& model,
                 int& index) {
  YQ_ASSIGN_OR_RETURN(model, FastTextModel::Load(path));
  const auto& labels = model->labels();
  auto it = std::find(labels.begin(), labels.end(), label);
  if (it == labels.end()) return Status::Invalid("model lacks the label '" + label + "': " + path);
  index = static_cast<int>(it - labels.begin());
  return Status::Ok();
}

// p(label) for a feature line; -1 without a model.
double Probability(const FastTextModel* model, int index, std::string_view line) {
  if (!model) return -1;
  thread_local std::vector<float> p;
  model->Predict(line, p);
  return p[index];
}

}  // namespace

const std::vector<std::string>& OpinionTypeNames() {
  static const std::vector<std::string> kNames = {"complaint", "suggestion", "rumor", "attack",
                                                  "group_event", "accident", "praise", "news"};
  return kNames;
}

Result<std::unique_ptr<OpinionClassifier>> OpinionClassifier::Load(const std::string& lexicon_path,
                                                                    const std::string& rumor_model_path,
                                                                    OpinionOptions opts,
                                                                    const std::string& news_model_path,
                                                                    const std::string& types_model_path) {
  std::ifstream in(lexicon_path, std::ios::binary);
  if (!in) return Status::NotFound("opinion lexicon not found: " + lexicon_path);
  std::ostringstream ss;
  ss << in.rdbuf();
  YQ_ASSIGN_OR_RETURN(auto c, Parse(ss.str(), opts));
  if (!rumor_model_path.empty()) YQ_RETURN_IF_ERROR(LoadModel(rumor_model_path, "rumor", c->rumor_, c->rumor_label_));
  if (!news_model_path.empty()) YQ_RETURN_IF_ERROR(LoadModel(news_model_path, "news", c->news_, c->news_label_));
  if (!types_model_path.empty()) YQ_RETURN_IF_ERROR(LoadModel(types_model_path, "none", c->types_, c->types_none_));
  return c;
}

Result<std::unique_ptr<OpinionClassifier>> OpinionClassifier::Parse(std::string_view lexicon, OpinionOptions opts) {
  std::unique_ptr<OpinionClassifier> c(new OpinionClassifier());
  c->opts_ = opts;
  std::istringstream in{std::string(lexicon)};
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto t1 = line.find('\t');
    auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string::npos) return Status::Invalid("opinion lexicon line " + std::to_string(lineno) + ": want type\\tweight\\tphrase");
    int type = TypeIndex(std::string_view(line).substr(0, t1));
    if (type < 0) return Status::Invalid("opinion lexicon line " + std::to_string(lineno) + ": unknown type");
    float w = static_cast<float>(std::atof(line.c_str() + t1 + 1));
    std::string phrase = line.substr(t2 + 1);
    if (phrase.empty() || w <= 0) continue;
    c->matcher_.Add(phrase, static_cast<uint32_t>(c->phrases_.size()));
    c->phrases_.push_back({type, w, phrase, IsAsciiAlnum(phrase.front()), IsAsciiAlnum(phrase.back())});
  }
  c->matcher_.Build();
  return c;
}

double OpinionClassifier::RumorProbability(std::string_view line) const {
  return Probability(rumor_.get(), rumor_label_, line);
}

double OpinionClassifier::NewsProbability(std::string_view line) const {
  return Probability(news_.get(), news_label_, line);
}

double OpinionClassifier::NoTypeProbability(std::string_view line) const {
  return Probability(types_.get(), types_none_, line);
}

void OpinionClassifier::Classify(std::string_view text, std::string_view line, std::vector<TypeHit>& out,
                                  double* rumor, std::string_view author_tokens) const {
  constexpr int kTypes = 8;
  float weight[kTypes] = {};
  std::vector<const Phrase*> evidence[kTypes];
  std::vector<PhraseMatcher::Match> hits;
  matcher_.Scan(text, hits);
  for (const auto& h : hits) {
    const Phrase& p = phrases_[h.value];
    if (p.ascii_start && h.begin > 0 && IsAsciiAlnum(text[h.begin - 1])) continue;
    if (p.ascii_end && h.end < text.size() && IsAsciiAlnum(text[h.end])) continue;
    auto& ev = evidence[p.type];
    if (std::find(ev.begin(), ev.end(), &p) != ev.end()) continue;  // distinct phrases only
    ev.push_back(&p);
    weight[p.type] += p.weight;
  }
  const int kRumor = 2;
  double rumor_p = -1;
  if (rumor_ && author_tokens.empty()) {
    rumor_p = RumorProbability(line);
  } else if (rumor_) {
    thread_local std::string with_author;
    with_author.assign(line.substr(0, line.size() - (line.ends_with('\n') ? 1 : 0)));
    with_author.append(" ").append(author_tokens).append("\n");
    rumor_p = RumorProbability(with_author);
  }
  if (rumor) *rumor = rumor_p;
  bool long_enough = CodePoints(text) >= opts_.rumor_min_chars;
  const int kNews = 7;
  double news_p = news_ ? NewsProbability(line) : -1;
  // The context model runs only when the lexicon proposed a type it may veto (most posts pay nothing).
  auto vetoable = [&](int t) {
    return t != kRumor && t != kNews && weight[t] >= 1.0f && weight[t] < opts_.type_veto_below_weight;
  };
  double none_p = -1;
  for (int t = 0; t < kTypes && types_; ++t) {
    if (!vetoable(t)) continue;
    none_p = NoTypeProbability(line);
    break;
  }
  bool vetoed = none_p >= opts_.type_veto;
  for (int t = 0; t < kTypes; ++t) {
    if (vetoed && vetoable(t)) continue;
    bool model_rumor = t == kRumor && long_enough && rumor_p >= opts_.rumor_threshold;
    bool model_news = t == kNews && news_p >= opts_.news_threshold;
    if (weight[t] < 1.0f && !model_rumor && !model_news) continue;
    TypeHit hit;
    hit.type = OpinionTypeNames()[t];
    for (const Phrase* p : evidence[t]) hit.evidence.push_back(p->text);
    hit.score = std::min(1.0, static_cast<double>(weight[t]));
    if (model_rumor) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "model:%.2f", rumor_p);
      hit.evidence.emplace_back(buf);
      hit.score = std::max(hit.score, rumor_p);
    }
    if (model_news) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "model:%.2f", news_p);
      hit.evidence.emplace_back(buf);
      hit.score = std::max(weight[t] >= 1.0f ? hit.score : 0.0, news_p);
    }
    out.push_back(std::move(hit));
  }
}

}  // namespace yuqing::analysis

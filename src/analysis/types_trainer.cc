#include "analysis/types_trainer.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <random>

#include "analysis/opinion_types.h"
#include "analysis/sentiment.h"
#include "analysis/trainer.h"

namespace yuqing::analysis {

namespace {

// Rows per label: the plain rows (no proposal) are capped so that the model spends its capacity
// on the contradicted proposals, which are what a veto must learn; rare types are repeated so
// that a softmax over all labels does not drown them.
constexpr size_t kMaxReviewRows = 6000;   // complaint / praise rows from plain reviews
constexpr size_t kMaxPlainNone = 8000;    // "none" rows with no proposal
constexpr size_t kMinTypeRows = 1500;     // rare types repeated up to this

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// THUCNews classes whose titles report events with victims or crowds (society, politics).
std::unordered_set<std::string> ReportClasses(const std::string& classes_path) {
  std::unordered_set<std::string> out;
  std::ifstream in(classes_path);
  std::string name;
  for (int i = 0; std::getline(in, name); ++i) {
    if (!name.empty() && name.back() == '\r') name.pop_back();
    if (name == "society" || name == "politics") out.insert("title:" + std::to_string(i));
  }
  return out;
}

bool Confirmed(const LabeledText& row, const std::string& type, const std::unordered_set<std::string>& report) {
  if (row.source.starts_with("title:"))
    return (type == "accident" || type == "group_event") && report.count(row.source);
  bool neg = row.label == "negative", pos = row.label == "positive";
  if (type == "suggestion") return true;
  if (row.source == "review") return (type == "complaint" && neg) || (type == "praise" && pos);
  if (type == "praise") return pos;
  return neg;  // complaint, attack, accident, group_event in a Weibo post
}

}  // namespace

const std::vector<std::string>& VetoableTypes() {
  static const std::vector<std::string> kTypes = {"complaint", "suggestion", "attack", "group_event", "accident",
                                                  "praise"};
  return kTypes;
}

std::vector<std::string> WeakTypeLabels(const LabeledText& row, const std::vector<std::string>& proposed,
                                        const std::unordered_set<std::string>& report_classes) {
  std::vector<std::string> out;
  for (const auto& t : proposed) {
    if (!Contains(VetoableTypes(), t)) continue;
    std::string label = Confirmed(row, t, report_classes) ? t : "none";
    if (!Contains(out, label)) out.push_back(std::move(label));
  }
  if (!out.empty()) return out;
  if (row.source == "review" && row.label == "negative") return {"complaint"};
  if (row.source == "review" && row.label == "positive") return {"praise"};
  return {"none"};
}

Result<TypesTrainStats> TrainTypesModel(const std::string& data_dir, const std::string& lexicon_path,
                                        const std::unordered_set<std::string>& dev, const std::string& train_file,
                                        const std::string& out_path, const FastTextParams& params,
                                        const text::Normalizer& n, const text::Segmenter& s) {
  YQ_ASSIGN_OR_RETURN(auto lexicon, OpinionClassifier::Load(lexicon_path, ""));
  YQ_ASSIGN_OR_RETURN(auto rows, LoadSentimentCorpora(data_dir + "/sentiment"));
  if (auto titles = LoadNewsTitles(data_dir + "/topics/thucnews_titles_dev.tsv", "neutral"); titles.ok())
    rows.insert(rows.end(), titles->begin(), titles->end());
  auto report = ReportClasses(data_dir + "/topics/thucnews_classes.txt");

  TypesTrainStats st;
  // Buckets by label; "none+" holds contradicted proposals, "none" the plain rows.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_label;
  std::vector<TypeHit> hits;
  std::vector<std::string> proposed;
  std::string line;
  for (const auto& r : rows) {
    if (HeldOut(r) || dev.count(r.text)) continue;
    std::string norm = n.Normalize(r.text);
    hits.clear();
    lexicon->Classify(norm, "", hits);
    proposed.clear();
    for (const auto& h : hits) proposed.push_back(h.type);
    auto labels = WeakTypeLabels(r, proposed, report);
    bool any = std::any_of(proposed.begin(), proposed.end(), [](const std::string& t) { return Contains(VetoableTypes(), t); });
    SentimentFeatures(PrepareWords(r.text, n, s), line);
    if (line.size() <= 1) continue;
    for (const auto& l : labels) {
      if (any) ++(l == "none" ? st.contradicted : st.confirmed);
      by_label[l == "none" && any ? "none+" : l].emplace_back(l, line);
    }
  }
  std::mt19937_64 rng(17);
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [key, v] : by_label) {
    std::shuffle(v.begin(), v.end(), rng);
    size_t cap = key == "none" ? kMaxPlainNone : (key == "complaint" || key == "praise") ? kMaxReviewRows : v.size();
    if (v.size() > cap) v.resize(cap);
    size_t want = std::max(v.size(), key == "none" || key == "none+" ? size_t{0} : kMinTypeRows);
    for (size_t i = 0; i < want && !v.empty(); ++i) out.push_back(v[i % v.size()]);
  }
  std::shuffle(out.begin(), out.end(), rng);
  std::ofstream f(train_file, std::ios::binary | std::ios::trunc);
  if (!f) return Status::Io("cannot write " + train_file);
  // Two labels, "type" and "none": the veto reads only p(none), and a two-label model is stored
  // as one number per table entry (fasttext_model.cc), so the lookups stay cheap.
  for (const auto& [label, features] : out) f << "__label__" << (label == "none" ? "none" : "type") << ' ' << features;
  f.close();
  if (!f) return Status::Io("write failed: " + train_file);
  st.rows = out.size();
  YQ_RETURN_IF_ERROR(TrainFastText(train_file, out_path, params));
  return st;
}

}  // namespace yuqing::analysis

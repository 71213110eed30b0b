// Readers for labelled training data: the public corpora under ../shared/data (sentiment and
// rumour) and users' own labelled posts. Training-time only; nothing here is on the hot path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace yuqing::analysis {

// Sentiment labels used by the model: "negative", "neutral", "positive".
struct LabeledText {
  std::string text;
  std::string label;
  std::string id;  // when the corpus has one (CED), else ""
};

// Parses RFC 4180 CSV (quoted fields with commas, quotes and newlines); strips a leading BOM.
std::vector<std::vector<std::string>> ParseCsv(const std::string& content);

// Reads every sentiment corpus found in dir (see docs/analysis.md for the label mapping):
//   chnsenticorp_train.tsv, online_shopping_10_cats.csv, waimai_10k.csv,
//   weibo_senti_100k_subset.csv (1 → positive, 0 → negative);
//   smp2020_ewect_virus_train.json (happy → positive; neural → neutral; angry, sad, fear →
//   negative; surprise dropped); covid19_weibo_emotion7.csv (optimism, gratitude → positive;
//   fear, disgust, sadness, anger → negative; surprise dropped).
// Never reads chnsenticorp_dev.tsv. Fails with kNotFound when no corpus is present.
Result<std::vector<LabeledText>> LoadSentimentCorpora(const std::string& dir);

// chnsenticorp_dev.tsv (text\tlabel, 1/0) as positive/negative.
Result<std::vector<LabeledText>> LoadChnSentiDev(const std::string& path);

// A user's labelled posts: JSON lines {"text": ..., "label": ...} or TSV "text\tlabel".
// Labels accepted: negative/neutral/positive, neg/neu/pos, -1/0/1, 负面/中性/正面.
// Lines that cannot be read are counted in *skipped (when given), not fatal.
Result<std::vector<LabeledText>> LoadUserLabeled(const std::string& path, size_t* skipped = nullptr);

// Maps a user label spelling to negative/neutral/positive; "" when unknown.
std::string CanonicalSentiment(const std::string& label);

// CED rumour originals (ced_weibo_rumor_train.jsonl.gz): label "rumor" / "non-rumor", with id.
Result<std::vector<LabeledText>> LoadCedOriginals(const std::string& path);

// The fold (0..4) an id belongs to, stable across runs: fold 0 is the held-out fifth.
int FoldOf(const std::string& id);

}  // namespace yuqing::analysis

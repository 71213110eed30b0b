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
  std::string meta;  // extra feature tokens (the author's, for the rumour model), else ""
  // Where the row comes from, for weak labels that read a source's structure: "review" (product,
  // hotel, delivery reviews), "weibo" (Weibo posts), "title:<class index>" (THUCNews), else "".
  std::string source;
};

// Feature tokens for what a post says about its author, read by the rumour model: verified or
// not, and the order of magnitude of the followers ("__au_v1 __au_f5"). CED shows the signal:
// non-rumour originals come from accounts with a median 1.2M followers, rumours 27k.
std::string AuthorTokens(bool verified, int64_t followers);

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

// CED rumour originals (ced_weibo_rumor_train.jsonl.gz): label "rumor" / "non-rumor", with id
// and, when the record has a user object, AuthorTokens in meta.
Result<std::vector<LabeledText>> LoadCedOriginals(const std::string& path);

// The fold (0..4) an id belongs to, stable across runs: fold 0 is the held-out fifth.
int FoldOf(const std::string& id);

// True when a training row is in the held-out fifth that no shipped model trains on and the
// quality harness (bench/quality) measures: FoldOf of the CED id, or of the text (a leading BOM
// stripped) for corpora without ids.
bool HeldOut(const LabeledText& row);

// THUCNews titles (topics/thucnews_titles_dev.tsv, "title\tclass"): news titles, labelled
// `label` (the sentiment trainer reads them as neutral, the news-type trainer as news).
Result<std::vector<LabeledText>> LoadNewsTitles(const std::string& path, const std::string& label);

// The texts of the hand-labelled development set (labels/dev_labels.jsonl): no model trains on
// them, so the harness can measure on all of them. Empty when the file is absent.
std::vector<std::string> LoadDevLabelTexts(const std::string& path);

}  // namespace yuqing::analysis

#include "analysis/trainer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <unordered_set>

#include <unistd.h>

#include "analysis/model_paths.h"
#include "analysis/sentiment.h"
#include "analysis/types_trainer.h"

namespace yuqing::analysis {

namespace fs = std::filesystem;

std::vector<std::string> PrepareWords(const std::string& raw, const text::Normalizer& n, const text::Segmenter& s) {
  std::vector<std::string> words;
  s.Cut(n.Normalize(raw), words);
  return words;
}

namespace {

Status WriteFastTextFile(const std::vector<LabeledText>& rows, const std::string& path, const text::Normalizer& n,
                         const text::Segmenter& s) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::Io("cannot write " + path);
  std::string line;
  for (const auto& r : rows) {
    SentimentFeatures(PrepareWords(r.text, n, s), line);
    if (line.size() <= 1) continue;
    if (!r.meta.empty()) {
      line.pop_back();
      line += ' ' + r.meta + '\n';
    }
    out << "__label__" << r.label << ' ' << line;
  }
  out.close();
  if (!out) return Status::Io("write failed: " + path);
  return Status::Ok();
}

// Drops the rows no shipped model may train on: the held-out fifth (HeldOut) and the texts of
// the hand-labelled development set. Returns how many were dropped.
size_t DropHeldOut(std::vector<LabeledText>& rows, const std::unordered_set<std::string>& dev) {
  size_t before = rows.size();
  std::erase_if(rows, [&](const LabeledText& r) { return HeldOut(r) || dev.count(r.text); });
  return before - rows.size();
}

// Repeats the neutral rows until they are about `share` of all rows (never drops any).
void BalanceNeutral(std::vector<LabeledText>& rows, double share, size_t* neutral_rows) {
  std::vector<LabeledText> neutral;
  for (const auto& r : rows)
    if (r.label == "neutral") neutral.push_back(r);
  *neutral_rows = neutral.size();
  if (neutral.empty() || share <= 0 || share >= 1) return;
  double want = share * static_cast<double>(rows.size() - neutral.size()) / (1 - share);
  for (size_t have = neutral.size(), i = 0; static_cast<double>(have) < want; ++have, ++i)
    rows.push_back(neutral[i % neutral.size()]);
}

std::string TempPath(const std::string& dir, const std::string& name, bool keep) {
  if (keep) return dir + "/" + name;
  return (fs::temp_directory_path() / ("yuqing_" + std::to_string(::getpid()) + "_" + name)).string();
}

}  // namespace

Result<double> EvalSentimentDev(const std::string& models_dir, const std::string& dev_path, const text::Normalizer& n,
                                const text::Segmenter& s, size_t* rows) {
  YQ_ASSIGN_OR_RETURN(auto dev, LoadChnSentiDev(dev_path));
  YQ_ASSIGN_OR_RETURN(auto model, SentimentModel::Load(models_dir));
  size_t ok = 0;
  for (const auto& r : dev) {
    double score = model->ModelScore(PrepareWords(r.text, n, s));
    ok += (score >= 0 ? "positive" : "negative") == r.label;
  }
  if (rows) *rows = dev.size();
  return static_cast<double>(ok) / dev.size();
}

Result<double> EvalRumorHoldout(const std::string& model_path, const std::string& ced_path, const text::Normalizer& n,
                                const text::Segmenter& s, size_t* rows) {
  YQ_ASSIGN_OR_RETURN(auto all, LoadCedOriginals(ced_path));
  YQ_ASSIGN_OR_RETURN(auto model, FastTextModel::Load(model_path));
  size_t ok = 0, total = 0;
  std::string line;
  std::vector<float> p;
  for (const auto& r : all) {
    if (FoldOf(r.id) != 0) continue;
    SentimentFeatures(PrepareWords(r.text, n, s), line);
    model->Predict(line, p);
    size_t best = std::max_element(p.begin(), p.end()) - p.begin();
    ok += model->labels()[best] == r.label;
    ++total;
  }
  if (total == 0) return Status::Invalid("empty hold-out");
  if (rows) *rows = total;
  return static_cast<double>(ok) / total;
}

namespace {

// news.ftz: "news" (news titles) against "other" (personal posts: Weibo emotion sets and
// reviews), the held-out fifth and the dev labels left out. Sources' own structure is the
// label: a title from a news site is news, a post from a person's timeline is not.
Status TrainNews(const TrainOptions& opts, const std::string& data, const std::unordered_set<std::string>& dev,
                 const text::Normalizer& n, const text::Segmenter& s, TrainReport* rep) {
  YQ_ASSIGN_OR_RETURN(auto rows, LoadNewsTitles(data + "/topics/thucnews_titles_dev.tsv", "news"));
  YQ_ASSIGN_OR_RETURN(auto other, LoadSentimentCorpora(data + "/sentiment"));
  for (auto& r : other) r.label = "other";
  DropHeldOut(rows, dev);
  DropHeldOut(other, dev);
  // As many personal posts as titles, drawn across every corpus.
  std::mt19937_64 rng(11);
  std::shuffle(other.begin(), other.end(), rng);
  if (other.size() > 2 * rows.size()) other.resize(2 * rows.size());
  rows.insert(rows.end(), other.begin(), other.end());
  std::shuffle(rows.begin(), rows.end(), rng);
  rep->news_train_rows = rows.size();
  std::error_code ec;
  std::string file = TempPath(opts.out_dir, "news.train.txt", opts.keep_files);
  YQ_RETURN_IF_ERROR(WriteFastTextFile(rows, file, n, s));
  Status st = TrainFastText(file, opts.out_dir + "/news.ftz", opts.news_params);
  if (!opts.keep_files) fs::remove(file, ec);
  return st;
}

// Weibo posts written as reports (a headline in 【】 and a body) are neutral by the guide, but
// the neutral corpora are short titles and COVID posts. CED originals that the news model reads
// as news (p ≥ 0.9) are added as neutral rows: weak labels from the source's own form.
void AddReportsAsNeutral(const TrainOptions& opts, const std::string& data, const text::Normalizer& n,
                         const text::Segmenter& s, std::vector<LabeledText>& rows) {
  auto news = FastTextModel::Load(opts.out_dir + "/news.ftz");
  auto ced = LoadCedOriginals(data + "/rumor/ced_weibo_rumor_train.jsonl.gz");
  if (!news.ok() || !ced.ok()) return;
  const auto& labels = (*news)->labels();
  size_t label = std::find(labels.begin(), labels.end(), "news") - labels.begin();
  if (label == labels.size()) return;
  std::string line;
  std::vector<float> p;
  for (const auto& r : *ced) {
    SentimentFeatures(PrepareWords(r.text, n, s), line);
    (*news)->Predict(line, p);
    if (p[label] >= 0.9) rows.push_back({r.text, "neutral", r.id, ""});
  }
}

}  // namespace

Result<TrainReport> TrainModels(const TrainOptions& opts, const text::Normalizer& n, const text::Segmenter& s) {
  auto t0 = std::chrono::steady_clock::now();
  TrainReport rep;
  std::string data = opts.data_dir;
  std::error_code ec;
  fs::create_directories(opts.out_dir, ec);
  if (!fs::is_directory(opts.out_dir)) return Status::Io("cannot create " + opts.out_dir);

  std::unordered_set<std::string> dev;
  for (auto& t : LoadDevLabelTexts(data + "/labels/dev_labels.jsonl")) dev.insert(std::move(t));

  if (opts.train_news) {
    auto news = TrainNews(opts, data, dev, n, s, &rep);
    if (!news.ok()) rep.notes.push_back("news model not trained: " + news.message());
  }

  if (opts.train_types) {
    // The lexicon the model learns to veto: the one beside the output, else the shipped one.
    std::string lexicon = opts.out_dir + "/opinion_lexicon.tsv";
    if (!fs::exists(lexicon, ec)) lexicon = ResolveModelsDir("") + "/opinion_lexicon.tsv";
    std::string file = TempPath(opts.out_dir, "types.train.txt", opts.keep_files);
    auto types = TrainTypesModel(data, lexicon, dev, file, opts.out_dir + "/types.ftz", opts.types_params, n, s);
    if (!opts.keep_files) fs::remove(file, ec);
    if (types.ok()) {
      rep.types_train_rows = types->rows;
      rep.types_confirmed = types->confirmed;
      rep.types_contradicted = types->contradicted;
    } else {
      rep.notes.push_back("types model not trained: " + types.status().message());
    }
  }

  if (opts.train_sentiment) {
    std::vector<LabeledText> rows;
    if (auto pub = LoadSentimentCorpora(data + "/sentiment"); pub.ok()) {
      rows = std::move(pub).value();
    } else {
      rep.notes.push_back(pub.status().message());
    }
    // News titles carry no attitude of their author's own (labels/GUIDE.md): neutral.
    if (auto titles = LoadNewsTitles(data + "/topics/thucnews_titles_dev.tsv", "neutral"); titles.ok()) {
      rows.insert(rows.end(), titles->begin(), titles->end());
    } else {
      rep.notes.push_back("no news titles for the neutral class: " + titles.status().message());
    }
    AddReportsAsNeutral(opts, data, n, s, rows);
    rep.held_out_rows += DropHeldOut(rows, dev);
    BalanceNeutral(rows, opts.neutral_share, &rep.neutral_rows);
    rep.sentiment_rows = rows.size();
    if (!opts.user_data.empty()) {
      size_t skipped = 0;
      YQ_ASSIGN_OR_RETURN(auto user, LoadUserLabeled(opts.user_data, &skipped));
      rep.user_rows = user.size();
      if (skipped) rep.notes.push_back(std::to_string(skipped) + " unreadable lines skipped in " + opts.user_data);
      rows.insert(rows.end(), user.begin(), user.end());
    }
    rows.insert(rows.end(), opts.corrections.begin(), opts.corrections.end());
    rep.user_rows += opts.corrections.size();
    if (rows.empty()) return Status::NotFound("no sentiment training data (public corpora absent, no --data)");
    std::mt19937_64 rng(42);
    std::shuffle(rows.begin(), rows.end(), rng);
    std::string train_file = TempPath(opts.out_dir, "sentiment.train.txt", opts.keep_files);
    YQ_RETURN_IF_ERROR(WriteFastTextFile(rows, train_file, n, s));
    std::string model = opts.out_dir + "/sentiment.ftz";
    Status st = TrainFastText(train_file, model, opts.sentiment_params);
    if (!opts.keep_files) fs::remove(train_file, ec);
    YQ_RETURN_IF_ERROR(st);
    std::string reviews_model = opts.out_dir + "/sentiment_reviews.ftz";
    if (auto reviews = LoadChnSentiDev(data + "/sentiment/chnsenticorp_train.tsv"); reviews.ok()) {
      std::mt19937_64 rng2(43);
      std::shuffle(reviews->begin(), reviews->end(), rng2);
      std::string rfile = TempPath(opts.out_dir, "sentiment_reviews.train.txt", opts.keep_files);
      YQ_RETURN_IF_ERROR(WriteFastTextFile(*reviews, rfile, n, s));
      Status rst = TrainFastText(rfile, reviews_model, opts.reviews_params);
      if (!opts.keep_files) fs::remove(rfile, ec);
      YQ_RETURN_IF_ERROR(rst);
    } else {
      fs::remove(reviews_model, ec);  // a stale one would be averaged with the new model
    }
    if (auto acc = EvalSentimentDev(opts.out_dir, data + "/sentiment/chnsenticorp_dev.tsv", n, s, &rep.sentiment_dev_rows);
        acc.ok()) {
      rep.sentiment_dev_accuracy = *acc;
    } else {
      rep.notes.push_back("dev accuracy not measured: " + acc.status().message());
    }
  }

  if (opts.train_rumor) {
    std::string ced = data + "/rumor/ced_weibo_rumor_train.jsonl.gz";
    auto all = LoadCedOriginals(ced);
    if (!all.ok()) {
      rep.notes.push_back("rumour model not trained: " + all.status().message());
    } else {
      // Each original twice: with its author's tokens and without, so that the model reads
      // posts that carry an author (followers, verified) and posts that do not.
      std::vector<LabeledText> train, held_out;
      for (auto& r : *all) {
        if (FoldOf(r.id) == 0) {
          held_out.push_back(r);
          continue;
        }
        train.push_back(r);
        if (!r.meta.empty()) train.push_back({r.text, r.label, r.id, ""});
      }
      // Background: CED's non-rumours are all Weibo originals of 2012-14, so on its own the model
      // calls a laptop price or a State Council headline a rumour (p 0.93-1.0). News titles and
      // everyday Weibo posts, as many as the CED rows, teach it what ordinary text looks like.
      size_t half = train.size() / 2;
      auto add_background = [&](std::vector<LabeledText> rows, uint64_t seed) {
        DropHeldOut(rows, dev);
        std::mt19937_64 brng(seed);
        std::shuffle(rows.begin(), rows.end(), brng);
        if (rows.size() > half) rows.resize(half);
        for (auto& r : rows) train.push_back({std::move(r.text), "non-rumor", "", ""});
      };
      if (auto titles = LoadNewsTitles(data + "/topics/thucnews_titles_dev.tsv", "non-rumor"); titles.ok())
        add_background(std::move(titles).value(), 5);
      if (auto posts = LoadSentimentCorpora(data + "/sentiment"); posts.ok()) add_background(std::move(posts).value(), 6);
      if (opts.keep_files) {
        YQ_RETURN_IF_ERROR(WriteFastTextFile(held_out, opts.out_dir + "/rumor.heldout_author.txt", n, s));
        for (auto& r : held_out) r.meta.clear();
        YQ_RETURN_IF_ERROR(WriteFastTextFile(held_out, opts.out_dir + "/rumor.heldout.txt", n, s));
      }
      std::mt19937_64 rng(7);
      std::shuffle(train.begin(), train.end(), rng);
      rep.rumor_train_rows = train.size();
      std::string train_file = TempPath(opts.out_dir, "rumor.train.txt", opts.keep_files);
      YQ_RETURN_IF_ERROR(WriteFastTextFile(train, train_file, n, s));
      std::string model = opts.out_dir + "/rumor.ftz";
      Status st = TrainFastText(train_file, model, opts.rumor_params);
      if (!opts.keep_files) fs::remove(train_file, ec);
      YQ_RETURN_IF_ERROR(st);
      YQ_ASSIGN_OR_RETURN(rep.rumor_holdout_accuracy, EvalRumorHoldout(model, ced, n, s, &rep.rumor_holdout_rows));
    }
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

}  // namespace yuqing::analysis

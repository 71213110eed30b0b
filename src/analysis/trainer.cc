#include "analysis/trainer.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include "analysis/sentiment.h"

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
    out << "__label__" << r.label << ' ' << line;
  }
  out.close();
  if (!out) return Status::Io("write failed: " + path);
  return Status::Ok();
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

Result<TrainReport> TrainModels(const TrainOptions& opts, const text::Normalizer& n, const text::Segmenter& s) {
  auto t0 = std::chrono::steady_clock::now();
  TrainReport rep;
  std::string data = opts.data_dir;
  std::error_code ec;
  fs::create_directories(opts.out_dir, ec);
  if (!fs::is_directory(opts.out_dir)) return Status::Io("cannot create " + opts.out_dir);

  if (opts.train_sentiment) {
    std::vector<LabeledText> rows;
    if (auto pub = LoadSentimentCorpora(data + "/sentiment"); pub.ok()) {
      rows = std::move(pub).value();
    } else {
      rep.notes.push_back(pub.status().message());
    }
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
      std::vector<LabeledText> train;
      for (auto& r : *all)
        if (FoldOf(r.id) != 0) train.push_back(r);
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

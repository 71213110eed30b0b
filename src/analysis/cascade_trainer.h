// `yuqing model train --only cascade`: fits the cascade forecast (src/forecast/) on CED's repost
// trees, leaving out the held-out fifth (FoldOf(id) == 0) that bench/quality measures.
#pragma once

#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "core/status.h"
#include "forecast/model.h"

namespace yuqing::analysis {

// One CED original with its whole repost tree, in forecast terms.
struct CedCascade {
  std::string id;
  bool rumor = false;
  std::string text;
  forecast::Observation obs;  // every repost with a readable date
  int64_t final_size = 0;     // distinct reposts in the tree (dated or not)
};

// Reads ced_weibo_rumor_train.jsonl.gz. Copes with the data's mess (see ../shared/data/README.md):
// `time` as unix seconds or Weibo's "Wed Aug 08 13:25:02 +0800 2012", repost dates in Beijing
// time, some without the year ("02月06日 17:45", completed from the original's year), repeated
// repost ids (counted once), `user` as a plain string.
Result<std::vector<CedCascade>> LoadCedCascades(const std::string& path);

// Beijing-time repost date ("2013-10-05 19:37:52" or "02月06日 17:45" in `year`). kInvalid otherwise.
Result<TimeMs> ParseCedRepostTime(const std::string& s, int year);

struct CascadeTrainOptions {
  std::string data_dir;  // public corpora root (rumor/ced_weibo_rumor_train.jsonl.gz)
  std::string out_dir;   // where cascade.json goes
  std::vector<TimeMs> horizons = {10 * kMinute, 30 * kMinute, kHour, 2 * kHour, 6 * kHour, kDay};
  double size_lambda = 1.0;
  double rumor_lambda = 1.0;
  forecast::BoostParams boost;  // rounds = 0: the ridge line alone
};

// Cross-validated figures on the training folds (1–4: each fold predicted by a fit on the
// other three), never the held-out fold.
struct CascadeHorizonReport {
  TimeMs at = 0;
  double mdape_20 = -1;      // median |forecast − final| / final, cascades with final ≥ 20
  double within_2x_20 = -1;  // share of those within a factor 2
  double rumor_accuracy = -1;  // the reposts-and-propagation rumour model alone, p ≥ 0.5
  double recall_500 = -1, precision_500 = -1;  // p_exceeds(500) ≥ 0.5 vs final ≥ 500
};

struct CascadeTrainReport {
  size_t train_cascades = 0;
  size_t held_out_cascades = 0;
  std::vector<CascadeHorizonReport> horizons;
  std::string path;
  double seconds = 0;
};

// Fits the model and writes out_dir/cascade.json. The analyzer (may be null) gives each root
// text's rumour probability, a feature of the size model and the prior of the rumour forecast.
Result<CascadeTrainReport> TrainCascadeModel(const CascadeTrainOptions& opts, const Analyzer* analyzer);

}  // namespace yuqing::analysis

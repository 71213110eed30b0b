// The fitted cascade model (models/cascade.json, built by `yuqing model train --only cascade`)
// and the forecast it makes. Without a model file the forecast falls back to SEISMIC alone.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "forecast/cascade.h"
#include "forecast/features.h"
#include "forecast/fit.h"

namespace yuqing::forecast {

// Observed-count buckets of the residual spread: [0, 1), [1, 10), [10, 50), [50, ∞).
constexpr int kSigmaBuckets = 4;
int SigmaBucket(int64_t observed);

// One horizon's fit: log1p(final) = size(x) + boost(x) with x = SizeFeatures (a ridge line and
// boosted trees on what it leaves), the residual spread per bucket, and the rumour log-odds from
// the reposts' words and the propagation.
struct HorizonModel {
  TimeMs at = 0;
  LinearModel size;
  BoostedTrees boost;
  std::vector<double> sigma;  // kSigmaBuckets entries
  // Per bucket, the out-of-fold residuals' quantiles at levels k/(n+1): the predictive
  // distribution's shape (CED's is skewed: the crawl capped cascades below 1,000). Empty: Normal.
  std::vector<std::vector<double>> residual_quantiles;
  LinearModel rumor;
};

struct CascadeModel {
  SeismicParams seismic;
  std::vector<HorizonModel> horizons;  // ascending by at
  // Share of rumours among the training cascades: the rumour regression's prior, taken out
  // again when its odds are multiplied with the text model's (which carries its own prior).
  double rumor_prior = 0.5;
  nlohmann::json card;  // what it was trained on and how it scored (free-form, for people)
};

// Parses a model file's text. kInvalid naming what is wrong (bad JSON, wrong version, feature
// names that differ from this build's, wrong lengths).
Result<CascadeModel> ParseCascadeModel(std::string_view text);
// kNotFound when the file is absent (callers fall back to SEISMIC), else as ParseCascadeModel.
Result<CascadeModel> LoadCascadeModel(const std::string& path);
nlohmann::json CascadeModelToJson(const CascadeModel& m);

// The horizon whose `at` is nearest to `at` on a log scale. Precondition: m.horizons not empty.
const HorizonModel& PickHorizon(const CascadeModel& m, TimeMs at);

// The forecast from the reposts within `at` of the root. model == nullptr: SEISMIC alone, with
// a fixed spread (kSeismicSigma) and the text rumour probability as the rumour probability.
Forecast Predict(const Observation& obs, TimeMs at, const CascadeModel* model);

constexpr double kSeismicSigma = 1.0;

}  // namespace yuqing::forecast

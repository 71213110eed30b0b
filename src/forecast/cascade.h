// The cascade forecast's interface: what is observed of one root post and its reposts, and what
// is predicted about it. The same types serve the offline `yuqing cascades` command and, later,
// live events; nothing here knows where the posts came from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace yuqing::forecast {

// One repost of a root (directly or through other reposts).
struct Repost {
  TimeMs t_ms = 0;
  int64_t followers = -1;  // -1: unknown (CED's reposts carry no follower counts)
  bool verified = false;
  int depth = 1;  // 1: reposts the root itself; 2: reposts a repost; ...
  std::string text;
};

// A root post and the reposts seen so far. Reposts may come in any order and may lie beyond the
// horizon a forecast is asked for: the forecast only uses those within it.
struct Observation {
  std::string id;
  TimeMs root_time_ms = 0;
  int64_t root_followers = 0;
  bool root_verified = false;
  double text_rumor_p = -1;  // the root text's rumour probability (analysis); -1: unknown
  std::vector<Repost> reposts;
};

// The predictive distribution of the final number of reposts: log1p(final) = mu + R, cut below at
// the observed count (a cascade never shrinks). R is the fitted model's residual distribution
// (piecewise linear through residual_quantiles, taken at levels k/(n+1)), or Normal(0, sigma)
// when there are none.
struct Forecast {
  int64_t observed = 0;  // reposts within the horizon
  double forecast = 0;   // the predictive median of the final size (≥ observed)
  double low = 0;        // 10th percentile (≥ observed)
  double high = 0;       // 90th percentile
  double mu = 0;
  double sigma = 1;
  std::vector<double> residual_quantiles;  // non-decreasing; empty: Normal(0, sigma)
  double seismic = 0;  // SEISMIC's own estimate of the final size
  double rumor = 0.5;  // probability that the root is a rumour
  std::string method;  // "model" (fitted, models/cascade.json) or "seismic" (no model file)

  // P(final ≥ threshold); 1 when the observed count already reaches it. Non-increasing in the
  // threshold.
  double PExceeds(double threshold) const;
  // The p-quantile (0 < p < 1) of the final size given that it is at least the observed count.
  double Quantile(double p) const;

  // The residual distribution's CDF and its inverse.
  double ResidualCdf(double r) const;
  double ResidualQuantile(double p) const;
};

// The reposts of obs published within `at` of the root (a repost dated before its root counts,
// at the root's time: real data has clock skew).
size_t ObservedWithin(const Observation& obs, TimeMs at);

}  // namespace yuqing::forecast

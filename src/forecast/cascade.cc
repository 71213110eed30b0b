#include "forecast/cascade.h"

#include <algorithm>
#include <cmath>

namespace yuqing::forecast {

namespace {

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

}  // namespace

double Forecast::PExceeds(double threshold) const {
  if (static_cast<double>(observed) >= threshold) return 1.0;
  // P(final ≥ T | final ≥ observed) under log1p(final) ~ N(mu, sigma).
  const double s = std::max(sigma, 1e-6);
  const double tail_obs = 1 - NormalCdf((std::log1p(static_cast<double>(observed)) - mu) / s);
  const double tail_t = 1 - NormalCdf((std::log1p(threshold) - mu) / s);
  if (tail_obs <= 1e-15) return 0.0;
  return std::clamp(tail_t / tail_obs, 0.0, 1.0);
}

}  // namespace yuqing::forecast

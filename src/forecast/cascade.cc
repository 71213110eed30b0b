#include "forecast/cascade.h"

#include <algorithm>
#include <cmath>

namespace yuqing::forecast {

namespace {

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9).
double NormalQuantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549671010229528e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  p = std::clamp(p, 1e-12, 1 - 1e-12);
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -NormalQuantile(1 - p);
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// The knots of the piecewise-linear residual CDF: the quantiles at k/(n+1), plus one knot beyond
// each end (at the end segment's width) where the CDF reaches 0 and 1.
std::vector<std::pair<double, double>> Knots(const std::vector<double>& q) {
  const size_t n = q.size();
  std::vector<std::pair<double, double>> k;
  k.emplace_back(q[0] - (q[1] - q[0]), 0.0);
  for (size_t i = 0; i < n; ++i) k.emplace_back(q[i], static_cast<double>(i + 1) / (n + 1));
  k.emplace_back(q[n - 1] + (q[n - 1] - q[n - 2]), 1.0);
  return k;
}

}  // namespace

double Forecast::ResidualCdf(double r) const {
  if (residual_quantiles.size() < 2) return NormalCdf(r / std::max(sigma, 1e-6));
  const auto k = Knots(residual_quantiles);
  if (r <= k.front().first) return 0.0;
  if (r >= k.back().first) return 1.0;
  for (size_t i = 1; i < k.size(); ++i) {
    if (r > k[i].first) continue;
    const double w = k[i].first - k[i - 1].first;
    return w > 0 ? k[i - 1].second + (k[i].second - k[i - 1].second) * (r - k[i - 1].first) / w : k[i].second;
  }
  return 1.0;
}

double Forecast::ResidualQuantile(double p) const {
  if (residual_quantiles.size() < 2) return std::max(sigma, 1e-6) * NormalQuantile(p);
  const auto k = Knots(residual_quantiles);
  p = std::clamp(p, 0.0, 1.0);
  for (size_t i = 1; i < k.size(); ++i) {
    if (p > k[i].second) continue;
    const double h = k[i].second - k[i - 1].second;
    return h > 0 ? k[i - 1].first + (k[i].first - k[i - 1].first) * (p - k[i - 1].second) / h : k[i].first;
  }
  return k.back().first;
}

double Forecast::PExceeds(double threshold) const {
  if (static_cast<double>(observed) >= threshold) return 1.0;
  // P(final ≥ T | final ≥ observed).
  const double tail_obs = 1 - ResidualCdf(std::log1p(static_cast<double>(observed)) - mu);
  const double tail_t = 1 - ResidualCdf(std::log1p(threshold) - mu);
  if (tail_obs <= 1e-15) return 0.0;
  return std::clamp(tail_t / tail_obs, 0.0, 1.0);
}

double Forecast::Quantile(double p) const {
  const double lo = ResidualCdf(std::log1p(static_cast<double>(observed)) - mu);
  const double q = std::expm1(mu + ResidualQuantile(lo + p * (1 - lo)));
  return std::max(q, static_cast<double>(observed));
}

}  // namespace yuqing::forecast

#include "forecast/fit.h"

#include <algorithm>
#include <cmath>

namespace yuqing::forecast {

namespace {

Status CheckShape(const Matrix& x, const std::vector<double>& y) {
  if (x.empty() || x.size() != y.size()) return Status::Invalid("no rows, or rows and targets differ in number");
  for (const auto& row : x)
    if (row.size() != x[0].size()) return Status::Invalid("rows of different lengths");
  return Status::Ok();
}

// Means and scales so that every feature has unit variance; a constant feature keeps scale 1.
void Standardize(const Matrix& x, LinearModel& m) {
  const size_t d = x[0].size();
  m.mean.assign(d, 0);
  m.scale.assign(d, 0);
  for (const auto& row : x)
    for (size_t j = 0; j < d; ++j) m.mean[j] += row[j] / x.size();
  for (const auto& row : x)
    for (size_t j = 0; j < d; ++j) m.scale[j] += (row[j] - m.mean[j]) * (row[j] - m.mean[j]) / x.size();
  for (auto& s : m.scale) s = s > 1e-12 ? std::sqrt(s) : 1.0;
}

// The standardised row with a leading 1 for the intercept.
std::vector<double> Design(const std::vector<double>& row, const LinearModel& m) {
  std::vector<double> z(row.size() + 1, 1.0);
  for (size_t j = 0; j < row.size(); ++j) z[j + 1] = (row[j] - m.mean[j]) / m.scale[j];
  return z;
}

// Solves a·w = b (a symmetric positive definite) by Gaussian elimination with partial pivoting.
Result<std::vector<double>> Solve(Matrix a, std::vector<double> b) {
  const size_t n = b.size();
  for (size_t c = 0; c < n; ++c) {
    size_t piv = c;
    for (size_t r = c + 1; r < n; ++r)
      if (std::abs(a[r][c]) > std::abs(a[piv][c])) piv = r;
    if (std::abs(a[piv][c]) < 1e-12) return Status::Invalid("singular system");
    std::swap(a[c], a[piv]);
    std::swap(b[c], b[piv]);
    for (size_t r = c + 1; r < n; ++r) {
      const double f = a[r][c] / a[c][c];
      for (size_t k = c; k < n; ++k) a[r][k] -= f * a[c][k];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> w(n);
  for (size_t c = n; c-- > 0;) {
    double s = b[c];
    for (size_t k = c + 1; k < n; ++k) s -= a[c][k] * w[k];
    w[c] = s / a[c][c];
  }
  return w;
}

void Unpack(const std::vector<double>& w, LinearModel& m) {
  m.intercept = w[0];
  m.weights.assign(w.begin() + 1, w.end());
}

}  // namespace

double LinearModel::Predict(const std::vector<double>& x) const {
  double s = intercept;
  for (size_t j = 0; j < weights.size() && j < x.size(); ++j) s += weights[j] * (x[j] - mean[j]) / scale[j];
  return s;
}

double Sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double Logit(double p) {
  p = std::clamp(p, 1e-4, 1 - 1e-4);
  return std::log(p / (1 - p));
}

Result<LinearModel> FitRidge(const Matrix& x, const std::vector<double>& y, double lambda) {
  YQ_RETURN_IF_ERROR(CheckShape(x, y));
  LinearModel m;
  Standardize(x, m);
  const size_t d = x[0].size() + 1;
  Matrix a(d, std::vector<double>(d, 0));
  std::vector<double> b(d, 0);
  for (size_t i = 0; i < x.size(); ++i) {
    const auto z = Design(x[i], m);
    for (size_t r = 0; r < d; ++r) {
      b[r] += z[r] * y[i];
      for (size_t c = 0; c < d; ++c) a[r][c] += z[r] * z[c];
    }
  }
  for (size_t r = 1; r < d; ++r) a[r][r] += lambda;
  YQ_ASSIGN_OR_RETURN(std::vector<double> w, Solve(std::move(a), std::move(b)));
  Unpack(w, m);
  return m;
}

Result<LinearModel> FitLogistic(const Matrix& x, const std::vector<double>& y, double lambda, int iterations) {
  YQ_RETURN_IF_ERROR(CheckShape(x, y));
  LinearModel m;
  Standardize(x, m);
  const size_t d = x[0].size() + 1;
  std::vector<double> w(d, 0);
  std::vector<std::vector<double>> z;
  z.reserve(x.size());
  for (const auto& row : x) z.push_back(Design(row, m));
  for (int it = 0; it < iterations; ++it) {
    // Newton step: (Zᵀ S Z + λI) Δ = Zᵀ (y − p) − λ w, S = diag(p (1 − p)).
    Matrix h(d, std::vector<double>(d, 0));
    std::vector<double> g(d, 0);
    for (size_t i = 0; i < z.size(); ++i) {
      double s = 0;
      for (size_t k = 0; k < d; ++k) s += w[k] * z[i][k];
      const double p = Sigmoid(s), v = std::max(p * (1 - p), 1e-9);
      for (size_t r = 0; r < d; ++r) {
        g[r] += (y[i] - p) * z[i][r];
        for (size_t c = 0; c < d; ++c) h[r][c] += v * z[i][r] * z[i][c];
      }
    }
    for (size_t r = 1; r < d; ++r) {
      h[r][r] += lambda;
      g[r] -= lambda * w[r];
    }
    YQ_ASSIGN_OR_RETURN(std::vector<double> step, Solve(std::move(h), std::move(g)));
    double size = 0;
    for (size_t k = 0; k < d; ++k) {
      w[k] += step[k];
      size += std::abs(step[k]);
    }
    if (size < 1e-8) break;
  }
  Unpack(w, m);
  return m;
}

}  // namespace yuqing::forecast

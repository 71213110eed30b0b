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

namespace yuqing::forecast {

namespace {

struct Split {
  int feature = -1;
  double threshold = 0, gain = 0;
};

// The split of rows `idx` that most reduces the squared error, each side keeping min_leaf rows.
Split BestSplit(const Matrix& x, const std::vector<double>& r, const std::vector<size_t>& idx, size_t min_leaf) {
  Split best;
  if (idx.size() < 2 * min_leaf) return best;
  double total = 0;
  for (size_t i : idx) total += r[i];
  const double n = static_cast<double>(idx.size());
  std::vector<size_t> order = idx;
  for (size_t f = 0; f < x[idx[0]].size(); ++f) {
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a][f] < x[b][f]; });
    double left = 0;
    for (size_t k = 0; k + 1 < order.size(); ++k) {
      left += r[order[k]];
      const size_t nl = k + 1;
      if (nl < min_leaf || order.size() - nl < min_leaf) continue;
      if (x[order[k]][f] == x[order[k + 1]][f]) continue;
      const double right = total - left, nr = n - nl;
      const double gain = left * left / nl + right * right / nr - total * total / n;
      if (gain > best.gain) best = {static_cast<int>(f), (x[order[k]][f] + x[order[k + 1]][f]) / 2, gain};
    }
  }
  return best;
}

int Grow(const Matrix& x, const std::vector<double>& r, const std::vector<size_t>& idx, int depth, const BoostParams& p,
         Tree& t) {
  const int id = static_cast<int>(t.nodes.size());
  t.nodes.emplace_back();
  double mean = 0;
  for (size_t i : idx) mean += r[i] / idx.size();
  t.nodes[id].value = mean;
  if (depth == 0) return id;
  const Split s = BestSplit(x, r, idx, p.min_leaf);
  if (s.feature < 0) return id;
  std::vector<size_t> l, rt;
  for (size_t i : idx) (x[i][s.feature] <= s.threshold ? l : rt).push_back(i);
  const int left = Grow(x, r, l, depth - 1, p, t);
  const int right = Grow(x, r, rt, depth - 1, p, t);
  t.nodes[id].feature = s.feature;
  t.nodes[id].threshold = s.threshold;
  t.nodes[id].left = left;
  t.nodes[id].right = right;
  return id;
}

}  // namespace

double Tree::Predict(const std::vector<double>& x) const {
  int i = 0;
  while (i >= 0 && static_cast<size_t>(i) < nodes.size() && nodes[i].feature >= 0) {
    const TreeNode& n = nodes[i];
    i = static_cast<size_t>(n.feature) < x.size() && x[n.feature] <= n.threshold ? n.left : n.right;
  }
  return i >= 0 && static_cast<size_t>(i) < nodes.size() ? nodes[i].value : 0.0;
}

double BoostedTrees::Predict(const std::vector<double>& x) const {
  double s = 0;
  for (const auto& t : trees) s += t.Predict(x);
  return learning_rate * s;
}

Result<BoostedTrees> FitBoosted(const Matrix& x, const std::vector<double>& target, const BoostParams& p) {
  YQ_RETURN_IF_ERROR(CheckShape(x, target));
  BoostedTrees b;
  b.learning_rate = p.learning_rate;
  std::vector<double> r = target;
  std::vector<size_t> all(x.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  for (int round = 0; round < p.rounds; ++round) {
    Tree t;
    Grow(x, r, all, p.depth, p, t);
    for (size_t i = 0; i < x.size(); ++i) r[i] -= p.learning_rate * t.Predict(x[i]);
    b.trees.push_back(std::move(t));
  }
  return b;
}

}  // namespace yuqing::forecast

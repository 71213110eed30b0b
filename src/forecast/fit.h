// Small linear models fitted in C++: ridge regression and L2-regularised logistic regression on
// standardised features. Enough for a dozen features and a few thousand cascades.
#pragma once

#include <vector>

#include "core/status.h"

namespace yuqing::forecast {

// y ≈ intercept + Σ weights[i] · (x[i] − mean[i]) / scale[i]. For the logistic model the value
// is the log-odds.
struct LinearModel {
  std::vector<double> mean, scale, weights;
  double intercept = 0;

  // Precondition: x.size() == weights.size().
  double Predict(const std::vector<double>& x) const;
};

using Matrix = std::vector<std::vector<double>>;

// Least squares with an L2 penalty lambda on the standardised weights (not the intercept).
// kInvalid when the rows are empty or ragged, or the system is singular.
Result<LinearModel> FitRidge(const Matrix& x, const std::vector<double>& y, double lambda);

// Logistic regression (y in {0, 1}) by Newton's method with an L2 penalty lambda.
Result<LinearModel> FitLogistic(const Matrix& x, const std::vector<double>& y, double lambda, int iterations = 30);

double Sigmoid(double z);
double Logit(double p);  // p clipped to [1e-4, 1 − 1e-4]

}  // namespace yuqing::forecast

namespace yuqing::forecast {

// A regression tree: node 0 is the root; a leaf has feature == -1 and predicts value; an inner
// node sends x to left when x[feature] <= threshold, else to right (children come after it).
struct TreeNode {
  int feature = -1;
  double threshold = 0;
  int left = -1, right = -1;
  double value = 0;
};

struct Tree {
  std::vector<TreeNode> nodes;
  double Predict(const std::vector<double>& x) const;
};

// Gradient-boosted least-squares trees; the prediction is learning_rate · Σ trees. An empty model
// predicts 0 (so it can add to a linear model's prediction).
struct BoostedTrees {
  double learning_rate = 0.05;
  std::vector<Tree> trees;
  double Predict(const std::vector<double>& x) const;
};

struct BoostParams {
  int rounds = 150;
  int depth = 3;
  double learning_rate = 0.05;
  size_t min_leaf = 30;
};

// Fits trees to what a base model left: target[i] is y[i] minus the base prediction.
Result<BoostedTrees> FitBoosted(const Matrix& x, const std::vector<double>& target, const BoostParams& p);

}  // namespace yuqing::forecast

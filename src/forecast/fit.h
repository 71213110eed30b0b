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

#include "forecast/fit.h"

#include <cmath>

#include <gtest/gtest.h>

namespace yuqing::forecast {
namespace {

TEST(FitRidge, RecoversALinearFunction) {
  Matrix x;
  std::vector<double> y;
  for (int i = 0; i < 50; ++i) {
    const double a = i % 7, b = (i * 13) % 11;
    x.push_back({a, b});
    y.push_back(1.5 + 2 * a - 0.5 * b);
  }
  auto m = FitRidge(x, y, 1e-9);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_NEAR(m->Predict({3, 4}), 1.5 + 6 - 2, 1e-6);
}

TEST(FitRidge, RefusesEmptyOrRaggedRows) {
  EXPECT_FALSE(FitRidge({}, {}, 1).ok());
  EXPECT_FALSE(FitRidge({{1, 2}, {3}}, {1, 2}, 1).ok());
  EXPECT_FALSE(FitRidge({{1}}, {1, 2}, 1).ok());
}

TEST(FitRidge, AConstantFeatureIsHarmless) {
  auto m = FitRidge({{1, 0}, {1, 1}, {1, 2}}, {0, 1, 2}, 1e-9);
  ASSERT_TRUE(m.ok());
  EXPECT_NEAR(m->Predict({1, 3}), 3, 1e-6);
}

TEST(FitLogistic, SeparatesTwoClasses) {
  Matrix x;
  std::vector<double> y;
  for (int i = 0; i < 200; ++i) {
    const double v = (i % 20) - 10 + 0.5;
    x.push_back({v});
    y.push_back(v + ((i * 7) % 5 - 2) > 0 ? 1 : 0);  // noisy threshold at 0
  }
  auto m = FitLogistic(x, y, 1.0);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_GT(Sigmoid(m->Predict({8})), 0.9);
  EXPECT_LT(Sigmoid(m->Predict({-8})), 0.1);
}

TEST(Logit, IsTheInverseOfSigmoidAndClipped) {
  EXPECT_NEAR(Sigmoid(Logit(0.3)), 0.3, 1e-12);
  EXPECT_TRUE(std::isfinite(Logit(0)));
  EXPECT_TRUE(std::isfinite(Logit(1)));
}

}  // namespace
}  // namespace yuqing::forecast

#include "forecast/model.h"

#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

namespace yuqing::forecast {
namespace {

// A small fitted model: size ≈ log1p(observed) + 1, rumour from the reposts' words.
CascadeModel Toy() {
  CascadeModel m;
  HorizonModel h;
  h.at = kHour;
  const size_t ds = SizeFeatureNames().size(), dr = RumorFeatureNames().size();
  h.size = {std::vector<double>(ds, 0), std::vector<double>(ds, 1), std::vector<double>(ds, 0), 1.0};
  h.size.weights[0] = 1.0;  // log_observed
  h.rumor = {std::vector<double>(dr, 0), std::vector<double>(dr, 1), std::vector<double>(dr, 0), 0.0};
  h.rumor.weights[0] = 3.0;  // deny_share
  h.sigma = {1.0, 0.8, 0.6, 0.4};
  m.horizons.push_back(h);
  m.rumor_prior = 0.5;
  return m;
}

Observation WithReposts(int n, const std::string& text) {
  Observation o;
  o.id = "r";
  o.root_time_ms = 0;
  for (int i = 0; i < n; ++i) o.reposts.push_back({(i + 1) * kMinute / 2, -1, false, 1, text});
  return o;
}

TEST(CascadeModel, RoundTripsThroughJson) {
  const CascadeModel m = Toy();
  auto back = ParseCascadeModel(CascadeModelToJson(m).dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->horizons.size(), 1u);
  EXPECT_EQ(back->horizons[0].sigma, m.horizons[0].sigma);
  Observation o = WithReposts(20, "转发微博");
  EXPECT_DOUBLE_EQ(Predict(o, kHour, &*back).forecast, Predict(o, kHour, &m).forecast);
}

TEST(CascadeModel, LoadErrorsNameTheProblem) {
  EXPECT_EQ(LoadCascadeModel("/nonexistent/cascade.json").status().code(), Code::kNotFound);
  EXPECT_FALSE(ParseCascadeModel("not json").ok());
  EXPECT_FALSE(ParseCascadeModel("[]").ok());
  nlohmann::json j = CascadeModelToJson(Toy());
  j["version"] = 99;
  EXPECT_NE(ParseCascadeModel(j.dump()).status().message().find("version"), std::string::npos);
  j = CascadeModelToJson(Toy());
  j["size_features"][0] = "something_else";
  EXPECT_NE(ParseCascadeModel(j.dump()).status().message().find("size_features"), std::string::npos);
  j = CascadeModelToJson(Toy());
  j["horizons"][0]["size"]["weights"].erase(0);
  EXPECT_FALSE(ParseCascadeModel(j.dump()).ok());
  j = CascadeModelToJson(Toy());
  j["horizons"][0]["sigma"] = {1, 1};
  EXPECT_FALSE(ParseCascadeModel(j.dump()).ok());
  j = CascadeModelToJson(Toy());
  j["horizons"] = nlohmann::json::array();
  EXPECT_FALSE(ParseCascadeModel(j.dump()).ok());
}

TEST(CascadeModel, LoadReadsAFile) {
  const std::string path = ::testing::TempDir() + "/cascade_model_test.json";
  std::ofstream(path) << CascadeModelToJson(Toy()).dump();
  auto m = LoadCascadeModel(path);
  ASSERT_TRUE(m.ok()) << m.status().message();
  std::ofstream(path) << "{";
  EXPECT_EQ(LoadCascadeModel(path).status().code(), Code::kInvalid);
  std::remove(path.c_str());
}

TEST(Predict, ModelIntervalOrderedAndPExceedsMonotone) {
  const CascadeModel m = Toy();
  for (int n : {0, 3, 20, 120}) {
    Forecast f = Predict(WithReposts(n, ""), kHour, &m);
    EXPECT_EQ(f.method, "model");
    EXPECT_LE(f.observed, f.low);
    EXPECT_LE(f.low, f.forecast);
    EXPECT_LE(f.forecast, f.high);
    EXPECT_EQ(f.sigma, m.horizons[0].sigma[SigmaBucket(n)]);
    double prev = 1;
    for (double t = 1; t < 1e6; t *= 3) {
      EXPECT_LE(f.PExceeds(t), prev + 1e-12);
      prev = f.PExceeds(t);
    }
  }
}

TEST(Predict, DenialsRaiseTheRumourProbabilityAboveTheText) {
  const CascadeModel m = Toy();
  Observation quiet = WithReposts(10, "转发微博"), denied = WithReposts(10, "这是谣言，已经辟谣");
  quiet.text_rumor_p = denied.text_rumor_p = 0.4;
  EXPECT_GT(Predict(denied, kHour, &m).rumor, Predict(quiet, kHour, &m).rumor);
}

TEST(Predict, SkewedResidualsMoveTheMedianAndStayOrdered) {
  CascadeModel m = Toy();
  // Residuals with a long lower tail (a capped crawl): the median sits above mu.
  std::vector<double> q;
  for (int k = 1; k <= 39; ++k) q.push_back(k < 20 ? -2.0 + 0.1 * k : 0.05 * (k - 19));
  m.horizons[0].residual_quantiles.assign(kSigmaBuckets, q);
  auto back = ParseCascadeModel(CascadeModelToJson(m).dump());
  ASSERT_TRUE(back.ok()) << back.status().message();
  Forecast f = Predict(WithReposts(20, ""), kHour, &*back);
  EXPECT_EQ(f.residual_quantiles.size(), 39u);
  EXPECT_GT(f.forecast, std::expm1(f.mu + q[18] - 1e-9));
  EXPECT_LE(f.observed, f.low);
  EXPECT_LE(f.low, f.forecast);
  EXPECT_LE(f.forecast, f.high);
  EXPECT_NEAR(f.ResidualCdf(f.ResidualQuantile(0.3)), 0.3, 1e-9);
  double prev = 1;
  for (double t = 21; t < 1e5; t *= 1.5) {
    EXPECT_LE(f.PExceeds(t), prev + 1e-12);
    prev = f.PExceeds(t);
  }
  EXPECT_EQ(f.PExceeds(1e9), 0.0);  // beyond the last knot
  auto bad = CascadeModelToJson(m);
  bad["horizons"][0]["residual_quantiles"][1] = {3, 2, 1};
  EXPECT_FALSE(ParseCascadeModel(bad.dump()).ok());
}

TEST(PickHorizon, NearestOnALogScale) {
  CascadeModel m = Toy();
  HorizonModel h10 = m.horizons[0];
  h10.at = 10 * kMinute;
  m.horizons.insert(m.horizons.begin(), h10);
  EXPECT_EQ(PickHorizon(m, 5 * kMinute).at, 10 * kMinute);
  EXPECT_EQ(PickHorizon(m, 20 * kMinute).at, 10 * kMinute);
  EXPECT_EQ(PickHorizon(m, 30 * kMinute).at, kHour);
  EXPECT_EQ(PickHorizon(m, kDay).at, kHour);
}

TEST(SigmaBucket, Edges) {
  EXPECT_EQ(SigmaBucket(0), 0);
  EXPECT_EQ(SigmaBucket(1), 1);
  EXPECT_EQ(SigmaBucket(9), 1);
  EXPECT_EQ(SigmaBucket(10), 2);
  EXPECT_EQ(SigmaBucket(50), 3);
}

}  // namespace
}  // namespace yuqing::forecast

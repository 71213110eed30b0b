#include "forecast/cascade.h"

#include <gtest/gtest.h>

#include "forecast/features.h"
#include "forecast/model.h"

namespace yuqing::forecast {
namespace {

// A cascade whose reposts arrive at a steady rate of one a minute for `minutes` minutes.
Observation Steady(int minutes, int64_t root_followers = 1000) {
  Observation o;
  o.id = "root";
  o.root_time_ms = 1'000'000'000'000;
  o.root_followers = root_followers;
  for (int i = 1; i <= minutes; ++i) o.reposts.push_back({o.root_time_ms + i * kMinute, 100, false, 1, ""});
  return o;
}

TEST(KernelCdf, RisesFromZeroToOne) {
  SeismicParams p;
  EXPECT_DOUBLE_EQ(KernelCdf(0, p), 0);
  EXPECT_LT(KernelCdf(60, p), KernelCdf(600, p));
  EXPECT_LT(KernelCdf(600, p), KernelCdf(86400, p));
  EXPECT_LT(KernelCdf(1e12, p), 1.0 + 1e-9);
  EXPECT_GT(KernelCdf(1e12, p), 0.99);
  // Continuous at the end of the plateau.
  EXPECT_NEAR(KernelCdf(p.s0_seconds - 1e-6, p), KernelCdf(p.s0_seconds + 1e-6, p), 1e-6);
}

TEST(Seismic, SyntheticCascadeGrowsBeyondWhatIsSeen) {
  Observation o = Steady(60);
  SeismicParams p;
  const double at30 = SeismicFinal(o, 30 * kMinute, p);
  EXPECT_GE(at30, 30);
  EXPECT_GT(SeismicFinal(o, kHour, p), 60);  // still active: more to come
  EXPECT_EQ(SeismicFinal(Steady(0), kHour, p), 0);
}

TEST(Seismic, AQuietCascadeExpectsLessThanAFreshOne) {
  // The same ten reposts, seen right after they came or after a quiet week: the kernel's memory
  // has mostly run out in the second case, so less is still to come.
  Observation o = Steady(10, 100000);
  SeismicParams p;
  const double fresh = SeismicFinal(o, 11 * kMinute, p), late = SeismicFinal(o, 7 * kDay, p);
  EXPECT_GE(late, 10);
  EXPECT_LT(late, fresh);
  EXPECT_LT(late - 10, (fresh - 10) / 2);
}

TEST(Observed, CountsOnlyWithinTheHorizonAndSkewedDatesAtZero) {
  Observation o = Steady(10);
  o.reposts.push_back({o.root_time_ms - kMinute, -1, false, 1, ""});  // dated before its root
  EXPECT_EQ(ObservedWithin(o, 5 * kMinute), 6u);
  EXPECT_EQ(ObservedWithin(o, kHour), 11u);
}

TEST(Forecast, IntervalIsOrderedAndAboveObserved) {
  for (int n : {0, 1, 5, 30, 200}) {
    Forecast f = Predict(Steady(n), 4 * kHour, nullptr);
    EXPECT_EQ(f.method, "seismic");
    EXPECT_EQ(f.observed, n);
    EXPECT_LE(f.observed, f.low);
    EXPECT_LE(f.low, f.forecast);
    EXPECT_LE(f.forecast, f.high);
  }
}

TEST(Forecast, PExceedsIsAProbabilityNonIncreasingInTheThreshold) {
  Forecast f = Predict(Steady(40), 30 * kMinute, nullptr);
  double prev = 1.0;
  for (double t : {1.0, 10.0, 30.0, 41.0, 100.0, 500.0, 1e4, 1e7}) {
    const double p = f.PExceeds(t);
    EXPECT_GE(p, 0.0);
    EXPECT_LE(p, prev + 1e-12) << t;
    prev = p;
  }
  EXPECT_DOUBLE_EQ(f.PExceeds(30), 1.0);  // already reached
  EXPECT_LT(f.PExceeds(1e7), 0.01);
}

TEST(Forecast, WithoutModelTheRumourIsTheTextProbability) {
  Observation o = Steady(3);
  EXPECT_DOUBLE_EQ(Predict(o, kHour, nullptr).rumor, 0.5);
  o.text_rumor_p = 0.8;
  EXPECT_DOUBLE_EQ(Predict(o, kHour, nullptr).rumor, 0.8);
}

}  // namespace
}  // namespace yuqing::forecast

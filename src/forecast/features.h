// What the regression reads from an observation at a horizon: SEISMIC's estimate and features of
// the repost tree (speed, depth, breadth, who spread it) and of the reposts' words.
#pragma once

#include <string>
#include <vector>

#include "forecast/cascade.h"

namespace yuqing::forecast {

// SEISMIC (Zhao et al., KDD 2015): a self-exciting point process whose memory kernel is constant
// for s0 and then decays as a power law; the infectiousness is estimated from the reposts seen
// and the followers exposed, and the final size follows from the branching factor.
struct SeismicParams {
  double theta = 0.242;           // power-law exponent of the kernel's tail (the paper's fit)
  double s0_seconds = 300;        // the kernel's plateau
  double default_followers = 200; // a spreader whose follower count is unknown
  double max_branching = 0.95;    // caps p·n* below 1 (a supercritical estimate has no finite size)
};

// The kernel's integral from 0 to s seconds (the share of a post's reactions expected by then).
double KernelCdf(double seconds, const SeismicParams& p);

// SEISMIC's estimate of the final number of reposts from those within `at` (≥ observed).
double SeismicFinal(const Observation& obs, TimeMs at, const SeismicParams& p);

// Names of the size features, in the order SizeFeatures returns them (the model file stores
// them and refuses a mismatch).
const std::vector<std::string>& SizeFeatureNames();
std::vector<double> SizeFeatures(const Observation& obs, TimeMs at, const SeismicParams& p);

// Names and values of the rumour features: the reposts' words within `at` (denials, doubts,
// calls to spread) and the propagation. The text rumour probability is not among them: it is
// combined separately (see CascadeModel).
const std::vector<std::string>& RumorFeatureNames();
std::vector<double> RumorFeatures(const Observation& obs, TimeMs at);

}  // namespace yuqing::forecast

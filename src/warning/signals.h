// The signals of one key at one moment, the heat index with its parts, and the level the policy
// gives them. Pure functions of the series, the baseline and the policy (no I/O, no clock).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "forecast/cascade.h"
#include "warning/policy.h"
#include "warning/series.h"

namespace yuqing::warning {

// Heat index 0-100 = 100 x sum of weight_i x part_i, each part in [0, 1] (docs/warning.md):
//   volume       = log(1 + posts) / log(1 + volume_ref)               over the heat window
//   interactions = log(1 + reposts+comments+likes) / log(1 + interactions_ref)
//   reach        = log(1 + followers of the authors) / log(1 + reach_ref)
//   negative     = negative posts / posts x min(1, posts / burst_min_volume)  (few posts, less weight)
//   authority    = min(1, authoritative posts / authority_ref)
struct Heat {
  double total = 0;
  double volume = 0, interactions = 0, reach = 0, negative = 0, authority = 0;  // parts, 0..1
};
Heat ComputeHeat(const Bucket& heat_window, const Policy& p);

struct Signals {
  TimeMs at = 0;
  int64_t volume = 0;              // posts in the current window
  std::vector<int64_t> windows;    // volumes of the current and previous windows, newest first
  double expected = 0, sd = 0;     // baseline posts per window
  const char* basis = "";
  bool warm = false;
  bool has_baseline = false;
  double ratio = 0, z = 0;
  bool burst = false;
  double growth_ratio = 0;         // the smallest of the successive ratios checked
  bool growth = false;
  Bucket heat_window;
  Heat heat;
  double negative_share = 0;
  bool spreading = false;
  // Event keys whose policy reads it: the cascade forecast of the event's final size (the engine
  // fills it; forecast/).
  bool has_forecast = false;
  forecast::Forecast forecast;
};

// Computes the signals of a key at time t. `baseline` may be null (event keys: no burst signal);
// `min_volume` is the guard for volume signals (policy.burst_min_volume or event_min_volume).
Signals Compute(const KeySeries& s, const Baseline* baseline, TimeMs t, const Policy& p, int64_t min_volume);

struct Verdict {
  int severity = 0;                 // 0: nothing fired
  std::vector<std::string> fired;   // the conditions of that level that held, e.g. "heat>=60"
  std::string rule;                 // "III: burst (volume 34/10 min, 5.2x baseline 6.5) | growth (x2.1 ...)"
  std::string message;              // Chinese one-liner with the numbers
  nlohmann::json numbers;           // every signal with its value
};

// Applies the level rules: the highest level with a condition that holds.
Verdict Decide(const Signals& s, const Policy& p);

}  // namespace yuqing::warning

// The warning policy (预警策略): every threshold the detector and the level rules use, as data.
// A scheme's `policy` field holds YAML or JSON (JSON is YAML) that overrides parts of the default;
// docs/warning.md documents each key. Parsing never throws and never aborts.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace yuqing::warning {

// One condition of a level rule: a signal (see Signals in signals.h) and, for numeric signals,
// the minimum value. Signals: burst, growth, heat, volume, negative_share, sensitive_negative,
// authority, sensitive_spreading.
struct Condition {
  std::string signal;
  double min = 0;  // numeric signals only (heat, volume, negative_share, ...)
  // forecast_exceeds only: the event's forecast says its final size reaches `min` posts with at
  // least this probability (`{forecast_exceeds: 500, p: 0.6}`).
  double p = 0.5;
};

struct Policy {
  TimeMs window = 10 * kMinute;  // detection window: volumes are "posts per window"

  // Burst: window volume against the learned baseline.
  int64_t burst_min_volume = 5;   // minimum-volume guard
  double burst_ratio = 3.0;       // volume >= ratio x expected
  double burst_z = 3.0;           // (volume - mean) / sd >= z
  TimeMs warmup = kHour;          // no burst verdict before the baseline has seen this much
  double baseline_floor = 0.2;    // expected posts per window never below this
  TimeMs slot_half_life = 7 * kDay;   // per hour-of-day EWMA
  TimeMs global_half_life = kDay;     // all-hours EWMA
  int64_t slot_min_windows = 12;  // use the hour-of-day slot once it has seen this many windows

  // Geometric growth: each of the last `growth_windows` ratios of successive windows >= factor.
  double growth_factor = 1.8;
  int growth_windows = 2;
  int64_t growth_min_volume = 4;  // the current window must hold at least this many

  // Heat index (0-100) over heat_window; weights sum to 1 (normalised when they do not).
  TimeMs heat_window = kHour;
  double w_volume = 0.35, w_interactions = 0.20, w_reach = 0.15, w_negative = 0.15, w_authority = 0.15;
  double volume_ref = 1000;          // posts per heat window that count as full volume
  double interactions_ref = 100000;  // reposts + comments + likes
  double reach_ref = 10000000;       // followers
  double authority_ref = 3;          // authoritative posts that count as full authority

  std::vector<std::string> sensitive_types = {"group_event", "accident", "rumor", "attack"};
  std::vector<std::string> spreading_types = {"group_event", "accident"};
  int64_t spreading_min = 5;      // sensitive_spreading: this many spreading-type posts per heat window ...
  double spreading_growth = 1.5;  // ... and the window volume grew by at least this factor
  std::vector<std::string> authority_sources = {"people", "xinhua", "cctv", "chinadaily", "gov", "official",
                                                "人民日报", "新华社", "央视新闻", "人民网", "新华网"};
  int64_t authority_followers = 1000000;  // a verified author with this many followers is authoritative

  // Level rules by severity (index 1 = IV blue .. 4 = I red): a level fires when any condition
  // holds; the highest firing level wins.
  std::array<std::vector<Condition>, 5> levels;
  std::array<TimeMs, 5> ack_deadline = {0, 8 * kHour, 2 * kHour, 30 * kMinute, 15 * kMinute};

  TimeMs reminder_first = 15 * kMinute;  // first reminder after this while the alert keeps firing
  double reminder_factor = 2.0;          // back-off between reminders
  TimeMs reminder_max = 4 * kHour;
  TimeMs quiet_period = 2 * kHour;       // resolve when no rule fired for this long
  int64_t event_min_volume = 5;          // an event key alerts only with this many posts per window
  int evidence = 5;                      // top posts attached
};

// Whether any level rule reads the cascade forecast (the engine computes it only then).
bool UsesForecast(const Policy& p);

// The documented default policy as YAML (docs/warning.md shows it).
std::string_view DefaultPolicyYaml();

// The default policy with `text` (YAML or JSON; "" = no overrides) applied on top. Unknown keys
// are kInvalid with their name, so a typo does not silently weaken a policy.
Result<Policy> ParsePolicy(std::string_view text);

}  // namespace yuqing::warning

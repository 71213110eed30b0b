// Alerts (预警): what warning/ raises, the store keeps (store/alert_store.h) and notify/ delivers.
// Plain data, and the names of the four levels.
//
// Lifecycle, enforced by warning/: an alert is `open` until someone acknowledges it (`acked`) and
// `resolved` when someone or the quiet period closes it. At most one alert per
// (scheme_id, event_id) is not resolved at a time; event_id 0 is the scheme as a whole.
// Severity is 1 (IV blue 一般) .. 4 (I red 特别重大).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace yuqing {

struct AlertRecord {
  int64_t id = 0;
  int severity = 0;             // 1 = IV blue .. 4 = I red
  std::string status = "open";  // open | acked | resolved
  int64_t scheme_id = 0;
  std::string scheme_name;
  int64_t event_id = 0;         // 0: the scheme as a whole
  std::vector<std::string> departments;  // routing targets, copied from the scheme when raised
  std::string rule;             // the conditions that fired, e.g. "burst|growth"
  std::string message;          // one line with the numbers, for people
  nlohmann::json numbers = nlohmann::json::object();   // the signals with their values
  nlohmann::json evidence = nlohmann::json::array();   // top posts [{id, source, text, ...}]
  TimeMs created_at = 0;        // stream time the alert was raised
  TimeMs updated_at = 0;        // stream time of the last change
  TimeMs deadline = 0;          // acknowledge before this time
  TimeMs last_fired_at = 0;     // last time a rule fired for this key
  TimeMs next_reminder_at = 0;  // 0: no reminder scheduled
  int reminders = 0;
  int escalation_step = 0;      // 0: primary contacts; n: the n-th escalation level notified
  std::string acked_by;
  TimeMs acked_at = 0;
  std::string resolved_by;
  TimeMs resolved_at = 0;
  std::string resolve_note;
};

struct AlertHistoryEntry {
  int64_t alert_id = 0;
  TimeMs at = 0;
  std::string kind;  // raised | upgraded | reminder | escalated | acked | resolved
  int severity = 0;
  std::string by;
  std::string note;
};

// "IV".."I" for severity 1..4 ("" otherwise), the colour ("blue", "yellow", "orange", "red") and
// the Chinese name (一般, 较大, 重大, 特别重大).
const char* LevelName(int severity);
const char* LevelColor(int severity);
const char* LevelNameZh(int severity);
// Parses "IV", "4", "blue", "一般" (and the others); 0 when unknown.
int ParseLevel(std::string_view text);

}  // namespace yuqing

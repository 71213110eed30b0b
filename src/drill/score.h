// Scoring a drill (演练评分): the team's response in the sandbox measured against the scenario —
// the same evaluation as `incidents eval` (incident/evaluation.h) for the plan's stage deadlines,
// statements and commitments, plus what only a drill knows: whether the incident was opened in
// time with the expected type, level and plan, and whether each inject was answered in time.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "drill/sandbox.h"
#include "drill/scenario.h"
#include "store/database.h"

namespace yuqing::drill {

struct ScoreOptions {
  int64_t incident_id = 0;  // 0: the first incident opened in the sandbox
  bool zh = true;           // language of the "missed" lines
};

// Reads the sandbox's store at drill time `now`. The result:
//   {"drill": {...}, "alerts": {"count", "first_at", "first_acked_at", "minutes_to_ack"},
//    "incident": {... "opened_in_time", "type_ok", "level_ok", "plan_ok"} | null,
//    "minutes": {...as incidents eval...},
//    "stages": [{"key", "title", "kind", "due_at", "done_at", "met", "late_minutes"}],
//    "statements": {"published", "passed_check", "with_check_errors", "findings": [...]},
//    "commitments": {"total", "kept_on_time", "kept_late", "overdue", "pending"},
//    "injects": [{"key", "title", "at", "expect", "due_at", "answered_at", "met"}],
//    "missed": ["..."], "score": {"overall": 0..100, "parts": {...}, "weights": {...}}}
// Without any incident the score is 0 and "missed" says so. Parts with nothing to judge are left
// out of the overall score (their weight is shared by the others).
Result<nlohmann::json> Score(store::Database& db, const Scenario& scenario, const DrillState& state, TimeMs now,
                             const ScoreOptions& o = {});

}  // namespace yuqing::drill

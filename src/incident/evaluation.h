// Timeline and evaluation (评估) of incidents, read from the store. `now` (from the service's
// clock) decides what is overdue. Durations are reported in minutes.
//
// Figures from posts and alerts (time to detect, windows around each statement, public feedback,
// the volume curve) come from incident/figures.h; see docs/response.md.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "incident/figures.h"
#include "store/incident_store.h"

namespace yuqing::incident {

// One ordered list of everything that happened (and is due) in the incident:
// {"incident": {...}, "entries": [{"at", "kind", ...}], ...}; deadlines appear as task_due /
// commitment_due entries at their due time.
Result<nlohmann::json> Timeline(store::IncidentStore& store, int64_t incident_id, TimeMs now);

// Every stage of one incident measured: times to acknowledge / first statement / authoritative
// statement / close, plan deadlines met, commitments kept on time, communications by kind.
Result<nlohmann::json> Evaluate(store::IncidentStore& store, int64_t incident_id, TimeMs now,
                                const FigureOptions& options = {});

// The same figures across incidents: medians, rates, and a monthly trend.
Result<nlohmann::json> Stats(store::IncidentStore& store, TimeMs now);

}  // namespace yuqing::incident

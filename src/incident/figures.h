// The figures of an incident that come from its posts and alerts (issue 9, 评估):
//   - its posts: those of its linked events, plus linked posts; when it has no events, those of
//     its linked schemes from `lookback` before detection (store::PostScope);
//   - time to detect: first post of the event's episode → first alert (the earliest linked
//     alert's time, else detected_at); see FigureOptions::episode_gap;
//   - volume, negative share, interactions, reach and heat in equal windows before and after
//     each published statement, with the curve around it;
//   - public feedback: hotline and survey posts, complaints, public replies logged;
//   - the post-volume curve for the timeline.
// Reads only; `db` is the incident store's connection. A store without posts (nothing ingested
// yet) gives zero figures, not an error.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"
#include "store/incident_posts.h"
#include "store/incident_store.h"

namespace yuqing::incident {

struct FigureOptions {
  TimeMs window = 6 * kHour;   // each side of a statement
  TimeMs lookback = 3 * kDay;  // scheme-only incidents: posts from detection - lookback
  // The event's first post for time to detect: walking back from the first alert, the earliest
  // post not separated from the next by more than this (an event that also holds weeks of
  // routine mentions starts where the current episode does).
  TimeMs episode_gap = 2 * kHour;
};

// The posts of an incident (see above).
Result<store::PostScope> ScopeOf(store::IncidentStore& store, const store::IncidentRow& inc,
                                 const FigureOptions& o = {});

// A bucket size giving at most ~240 points over [from, to): 1, 5, 10, 30 minutes, 1, 3, 6, 12 h, 1 d.
TimeMs CurveBucket(TimeMs from, TimeMs to);

// {"first_post_at", "event_first_post_at", "first_alert_at", "minutes_to_detect"} (nulls when
// unknown).
Result<nlohmann::json> DetectionFigures(store::IncidentStore& store, const store::IncidentRow& inc,
                                        const store::PostScope& scope, const FigureOptions& o = {});

// One entry per published statement, oldest first:
// {"statement_id", "published_at", "window_minutes", "complete", "before": {...}, "after": {...},
//  "change": {"volume", "negative_share", "heat"}, "curve": {"bucket_minutes", "points": [...]}}.
Result<nlohmann::json> AroundStatements(store::IncidentStore& store, const store::PostScope& scope,
                                        const std::vector<store::StatementRow>& statements, TimeMs now,
                                        const FigureOptions& o = {});

// {"hotline", "survey", "complaints", "public_replies_logged"}.
Result<nlohmann::json> PublicFeedback(store::IncidentStore& store, const store::PostScope& scope, int64_t incident_id);

// {"bucket_minutes", "from", "to", "total", "points": [{"at","at_ms","volume","negative"}]} over
// [first post (or detection - 1 h), max(now, last post)].
Result<nlohmann::json> VolumeCurve(store::IncidentStore& store, const store::IncidentRow& inc,
                                   const store::PostScope& scope, TimeMs now);

}  // namespace yuqing::incident

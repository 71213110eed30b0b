// The cascade forecast of a stored event: how far it will spread, and whether it is a rumour
// (forecast/), shown on the event (`events show`, GET /api/v1/events/{id}, the event page).
#pragma once

#include <nlohmann/json.hpp>

#include "analysis/event.h"
#include "core/status.h"
#include "forecast/model.h"
#include "store/database.h"

namespace yuqing::app {

// The event read as one cascade, as of its last post: its first post is the root (its rumour
// probability the text's), every later post a repost (depth from the parent link when that
// points inside the event, else 1). At most the first `max_posts` posts are read; the rest of
// the event's count is added to the observed size. model == nullptr: SEISMIC alone.
Result<forecast::Forecast> ForecastEvent(store::Database& db, const analysis::EventRecord& e,
                                         const forecast::CascadeModel* model, size_t max_posts = 20000);

// {"observed", "forecast", "low", "high", "p_exceeds": {"100": p, "500": p, "1000": p, "5000": p},
//  "rumor", "method", "as_of"}: the figures a press officer reads (rounded), as the API and
// `events show --json` print them; null for an event of fewer than 5 posts. The model learned
// from CED cascades, which were collected because they spread: read on a post or two it predicts
// a notable cascade for everything (a couple of hundred reposts), which would be a wrong answer
// given with confidence, so it is not given.
nlohmann::json ForecastToJson(const forecast::Forecast& f, TimeMs as_of);

}  // namespace yuqing::app

// Opening an incident from an alert (`incidents open --alert ID`): the alert's time becomes the
// detection time, and its scheme, event(s), evidence posts and departments become the incident's
// links, so the incident's figures (posts, time to detect) and notices (departments) follow.
#pragma once

#include "core/status.h"
#include "incident/incident_service.h"
#include "store/database.h"

namespace yuqing::incident {

// Fills `req` from alert req.alert_id: detected_at (unless already set), links (scheme, the
// alert's event or the events of its evidence posts, the evidence posts, its departments), the
// level (from the alert's severity) and title (scheme name + message) when empty. NotFound when
// there is no such alert; Invalid when the id is not a number.
Status FillFromAlert(store::Database& db, OpenRequest& req);

}  // namespace yuqing::incident

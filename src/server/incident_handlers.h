// Internal: crisis-response routes (/api/v1/incidents, tasks, statements, commitments,
// clarifications, talking points). Thin handlers over incident/; see incident_handlers.cc.
#pragma once

#include <vector>

#include "server/routes.h"

namespace yuqing::server {

// Appends the crisis-response routes to the route table (called once by routes.cc).
void AppendIncidentRoutes(std::vector<Route>& routes);

}  // namespace yuqing::server

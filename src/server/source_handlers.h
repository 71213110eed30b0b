// Internal: the data-source routes (/api/v1/sources): list, one with its hourly chart and fetch
// log, and (admins) add, pause, resume, remove. Thin handlers over store/source_store.h and
// app/source_runner.h (validation and the JSON view are shared with `yuqing sources`).
#pragma once

#include <vector>

#include "server/routes.h"

namespace yuqing::server {

// Appends the data-source routes to the route table (called once by routes.cc).
void AppendSourceRoutes(std::vector<Route>& routes);

}  // namespace yuqing::server

// Internal: the user-dictionary routes (/api/v1/dict): the words with the full-text index's
// status (current, or being rebuilt with its progress), and (admins and analysts) add and remove.
// Thin handlers over store/user_dict_store.h; app::DictReloader (State::dict) swaps the
// segmenter and rebuilds the index in the background after a change.
#pragma once

#include <vector>

#include "server/routes.h"

namespace yuqing::server {

// Appends the dictionary routes to the route table (called once by routes.cc).
void AppendDictRoutes(std::vector<Route>& routes);

}  // namespace yuqing::server

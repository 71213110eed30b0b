// The JSON views of an alert and its history shared by the CLI, the API, reports and delivery
// payloads (times as ISO 8601 in China Standard Time; unset times and people as null).
#pragma once

#include <nlohmann/json.hpp>

#include "core/alert.h"

namespace yuqing {

nlohmann::json AlertToJson(const AlertRecord& a);
nlohmann::json AlertHistoryToJson(const AlertHistoryEntry& e);

}  // namespace yuqing

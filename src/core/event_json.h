// The JSON form of an event, as the CLI and the API print it and the store keeps it (the events
// table's `doc`): times as ISO 8601 and as ms.
#pragma once

#include <nlohmann/json.hpp>

#include "core/event.h"
#include "core/status.h"

namespace yuqing {

nlohmann::json EventToJson(const EventRecord& e);
// The inverse of EventToJson (unknown fields ignored); kInvalid on a malformed document.
Result<EventRecord> EventFromJson(const nlohmann::json& j);

}  // namespace yuqing

// The JSON views of users and audit entries shared by the CLI and the API (times as ISO 8601 in
// China Standard Time).
#pragma once

#include <nlohmann/json.hpp>

#include "core/user.h"

namespace yuqing {

nlohmann::json UserToJson(const User& u);  // no password hash
nlohmann::json AuditToJson(const AuditEntry& e);

}  // namespace yuqing

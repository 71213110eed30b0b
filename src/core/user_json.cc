#include "core/user_json.h"

namespace yuqing {

using nlohmann::json;

json UserToJson(const User& u) {
  return {{"id", u.id}, {"name", u.name}, {"role", u.role}, {"departments", u.departments},
          {"disabled", u.disabled}, {"has_password", !u.password_hash.empty()},
          {"created_at", FormatTime(u.created_at)}};
}

json AuditToJson(const AuditEntry& e) {
  return {{"id", e.id}, {"at", FormatTime(e.at)}, {"actor", e.actor}, {"action", e.action},
          {"target", e.target}, {"ip", e.ip}, {"detail", e.detail}};
}

}  // namespace yuqing

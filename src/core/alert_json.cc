#include "core/alert_json.h"

namespace yuqing {

using nlohmann::json;

json AlertToJson(const AlertRecord& a) {
  auto time_or_null = [](TimeMs t) { return t ? json(FormatTime(t)) : json(nullptr); };
  json j = {{"id", a.id},
            {"level", LevelName(a.severity)},
            {"severity", a.severity},
            {"color", LevelColor(a.severity)},
            {"level_zh", LevelNameZh(a.severity)},
            {"status", a.status},
            {"scheme_id", a.scheme_id},
            {"scheme", a.scheme_name},
            {"event_id", a.event_id},
            {"departments", a.departments},
            {"rule", a.rule},
            {"message", a.message},
            {"numbers", a.numbers},
            {"created_at", FormatTime(a.created_at)},
            {"updated_at", FormatTime(a.updated_at)},
            {"deadline", time_or_null(a.deadline)},
            {"last_fired_at", time_or_null(a.last_fired_at)},
            {"reminders", a.reminders},
            {"escalation_step", a.escalation_step},
            {"acked_by", a.acked_by.empty() ? json(nullptr) : json(a.acked_by)},
            {"acked_at", time_or_null(a.acked_at)},
            {"resolved_by", a.resolved_by.empty() ? json(nullptr) : json(a.resolved_by)},
            {"resolved_at", time_or_null(a.resolved_at)},
            {"resolve_note", a.resolve_note},
            {"evidence", a.evidence}};
  return j;
}

json AlertHistoryToJson(const AlertHistoryEntry& e) {
  return {{"alert_id", e.alert_id}, {"at", FormatTime(e.at)}, {"kind", e.kind},
          {"level", LevelName(e.severity)}, {"by", e.by}, {"note", e.note}};
}

}  // namespace yuqing

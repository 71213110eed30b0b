// Internal to the alert store's backends (store/sqlite/alert_store.cc,
// store/postgres/alert_store.cc): the columns, how a row decodes and the order the mutable fields
// are written in. Not for use outside src/store/.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/alert.h"

namespace yuqing::store::alert_rows {

inline constexpr const char* kColumns =
    "id, severity, status, scheme_id, scheme_name, event_id, departments, rule, message, numbers, evidence, "
    "created_at, updated_at, deadline, last_fired_at, next_reminder_at, reminders, escalation_step, acked_by, "
    "acked_at, resolved_by, resolved_at, resolve_note";

// The mutable columns, in the order WriteFields passes their values (kColumns without id).
inline constexpr const char* kFieldColumns =
    "severity, status, scheme_id, scheme_name, event_id, departments, rule, message, numbers, evidence, "
    "created_at, updated_at, deadline, last_fired_at, next_reminder_at, reminders, escalation_step, acked_by, "
    "acked_at, resolved_by, resolved_at, resolve_note";
inline constexpr int kFieldCount = 22;

inline std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

inline nlohmann::json ParseOr(std::string_view text, nlohmann::json fallback) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

// A row of kColumns; Row is a SQLite statement or a PostgreSQL row (Int, Text, TextView).
template <class Row>
AlertRecord Read(const Row& r) {
  using nlohmann::json;
  AlertRecord a;
  a.id = r.Int(0);
  a.severity = static_cast<int>(r.Int(1));
  a.status = r.Text(2);
  a.scheme_id = r.Int(3);
  a.scheme_name = r.Text(4);
  a.event_id = r.Int(5);
  json d = ParseOr(r.TextView(6), json::array());
  if (d.is_array())
    for (auto& v : d)
      if (v.is_string()) a.departments.push_back(v.get<std::string>());
  a.rule = r.Text(7);
  a.message = r.Text(8);
  a.numbers = ParseOr(r.TextView(9), json::object());
  a.evidence = ParseOr(r.TextView(10), json::array());
  a.created_at = r.Int(11);
  a.updated_at = r.Int(12);
  a.deadline = r.Int(13);
  a.last_fired_at = r.Int(14);
  a.next_reminder_at = r.Int(15);
  a.reminders = static_cast<int>(r.Int(16));
  a.escalation_step = static_cast<int>(r.Int(17));
  a.acked_by = r.Text(18);
  a.acked_at = r.Int(19);
  a.resolved_by = r.Text(20);
  a.resolved_at = r.Int(21);
  a.resolve_note = r.Text(22);
  return a;
}

// Passes the mutable fields to add(value), in kFieldColumns order (int64_t or std::string).
template <class Add>
void WriteFields(const AlertRecord& a, Add&& add) {
  add(int64_t{a.severity});
  add(a.status);
  add(a.scheme_id);
  add(a.scheme_name);
  add(a.event_id);
  add(Dump(nlohmann::json(a.departments)));
  add(a.rule);
  add(a.message);
  add(Dump(a.numbers));
  add(Dump(a.evidence));
  add(a.created_at);
  add(a.updated_at);
  add(a.deadline);
  add(a.last_fired_at);
  add(a.next_reminder_at);
  add(int64_t{a.reminders});
  add(int64_t{a.escalation_step});
  add(a.acked_by);
  add(a.acked_at);
  add(a.resolved_by);
  add(a.resolved_at);
  add(a.resolve_note);
}

}  // namespace yuqing::store::alert_rows

// Internal to the outbox store's backends (store/sqlite/outbox_store.cc,
// store/postgres/outbox_store.cc): the columns they read and how a row decodes. Not for use
// outside src/store/.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/outbox.h"

namespace yuqing::store::outbox_rows {

inline constexpr const char* kOutboxColumns =
    "id, idem_key, alert_id, notice, contact_id, department, channel, target, secret, payload, status, attempts, "
    "next_attempt_at, lease_until, last_error, created_at, delivered_at";
inline constexpr const char* kContactColumns =
    "id, department, name, channel, target, secret, escalation_order, min_severity, enabled, created_at";
// The channels whose contact is served by one claimer at a time (a digest gathers its entries).
inline constexpr const char* kDigestChannels = "('wecom', 'dingtalk', 'feishu')";
// A delivery error is kept to this many bytes.
inline constexpr size_t kMaxErrorBytes = 1000;

inline std::vector<std::string> StringList(std::string_view text) {
  std::vector<std::string> out;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_array())
    for (auto& v : j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// Row is a SQLite statement or a PostgreSQL row (Int, Text, TextView).
template <class Row>
OutboxEntry ReadEntry(const Row& r) {
  OutboxEntry e;
  e.id = r.Int(0);
  e.idem_key = r.Text(1);
  e.alert_id = r.Int(2);
  e.notice = r.Text(3);
  e.contact_id = r.Int(4);
  e.department = r.Text(5);
  e.channel = r.Text(6);
  e.target = r.Text(7);
  e.secret = r.Text(8);
  e.payload = r.Text(9);
  e.status = r.Text(10);
  e.attempts = static_cast<int>(r.Int(11));
  e.next_attempt_at = r.Int(12);
  e.lease_until = r.Int(13);
  e.last_error = r.Text(14);
  e.created_at = r.Int(15);
  e.delivered_at = r.Int(16);
  return e;
}

template <class Row>
Contact ReadContact(const Row& r) {
  Contact c;
  c.id = r.Int(0);
  c.department = r.Text(1);
  c.name = r.Text(2);
  c.channel = r.Text(3);
  c.target = r.Text(4);
  c.secret = r.Text(5);
  c.escalation_order = static_cast<int>(r.Int(6));
  c.min_severity = static_cast<int>(r.Int(7));
  c.enabled = r.Int(8) != 0;
  c.created_at = r.Int(9);
  return c;
}

// Columns name, description, regions, created_at, id.
template <class Row>
Department ReadDepartment(const Row& r) {
  return Department{r.Text(0), r.Text(1), StringList(r.TextView(2)), r.Int(3), r.Int(4)};
}

}  // namespace yuqing::store::outbox_rows

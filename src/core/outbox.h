// Delivery (直报): the routing directory (departments and their contacts) and the messages the
// outbox holds for them, with each delivery attempt. Plain data; the store keeps them
// (store/outbox_store.h), notify/ routes and delivers them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace yuqing {

struct Department {
  std::string name;
  std::string description;
  std::vector<std::string> regions;  // region rules: alerts of schemes covering these regions come here too
  TimeMs created_at = 0;
  int64_t id = 0;  // the row id (a stable handle for URLs; the name is the key everything else uses)
};

struct Contact {
  int64_t id = 0;
  std::string department;
  std::string name;
  std::string channel;  // webhook | wecom | dingtalk | feishu | email
  std::string target;   // URL, or e-mail address
  std::string secret;   // HMAC key (webhook), signing secret (dingtalk, feishu); "" none
  int escalation_order = 0;  // 0: told first; n: told when the alert escalates to step n
  int min_severity = 1;      // 1 (IV) .. 4 (I): quieter levels are not sent to this contact
  bool enabled = true;
  TimeMs created_at = 0;
};

struct OutboxEntry {
  int64_t id = 0;
  std::string idem_key;      // unique; in every payload so receivers can drop repeats
  int64_t alert_id = 0;
  std::string notice;        // raised | upgraded | reminder | escalated | acked | resolved | test
  int64_t contact_id = 0;
  std::string department;
  std::string channel;
  std::string target;
  std::string secret;
  std::string payload;       // JSON: {idempotency_key, kind, title, text, alert}
  std::string status = "pending";  // pending | sending | delivered | unrouted
  int attempts = 0;
  TimeMs next_attempt_at = 0;
  TimeMs lease_until = 0;
  std::string last_error;
  TimeMs created_at = 0;
  TimeMs delivered_at = 0;
};

struct DeliveryAttempt {
  int64_t outbox_id = 0;
  int64_t alert_id = 0;
  TimeMs at = 0;
  int attempt = 0;
  bool ok = false;
  int status_code = 0;       // HTTP/SMTP status when known
  std::string error;
  int64_t duration_ms = 0;
};

}  // namespace yuqing

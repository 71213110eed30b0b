// Who is told when an alert changes: the notice and the listener interface of the alert
// lifecycle, apart from the engine, so that a listener (notify::Router, the server's live feed)
// depends on this header only, not on the detector. warning/engine.h includes it.
#pragma once

#include "core/alert.h"
#include "core/status.h"
#include "core/time.h"
#include "store/alert_store.h"

namespace yuqing::store { class Database; }

namespace yuqing::warning {

enum class NoticeKind { kRaised, kUpgraded, kReminder, kEscalated, kResolved, kAcked };
// "raised", "upgraded", "reminder", "escalated", "resolved", "acked" (the outbox's notice column).
const char* NoticeKindName(NoticeKind k);

// What happened to an alert, for whoever must be told.
struct AlertNotice {
  NoticeKind kind = NoticeKind::kRaised;
  AlertRecord alert;  // the alert after the change
  TimeMs at = 0;      // stream time of the change
};

// Called inside the transaction that changes the alert (on the same Database), so what a
// listener writes (an outbox entry) commits or rolls back with the alert. A listener error rolls
// the change back and is returned by whoever made it (Engine::Observe/Tick, AckAlert,
// ResolveAlert, RaiseAlert).
class AlertListener {
 public:
  virtual ~AlertListener() = default;
  virtual Status OnAlert(store::Database& db, const AlertNotice& notice) = 0;
};

}  // namespace yuqing::warning

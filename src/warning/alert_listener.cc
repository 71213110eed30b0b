#include "warning/alert_listener.h"

namespace yuqing::warning {

const char* NoticeKindName(NoticeKind k) {
  switch (k) {
    case NoticeKind::kRaised: return "raised";
    case NoticeKind::kUpgraded: return "upgraded";
    case NoticeKind::kReminder: return "reminder";
    case NoticeKind::kEscalated: return "escalated";
    case NoticeKind::kResolved: return "resolved";
    case NoticeKind::kAcked: return "acked";
  }
  return "?";
}

}  // namespace yuqing::warning

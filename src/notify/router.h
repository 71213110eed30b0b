// Routing (直报): alert → scheme's departments (+ departments whose region rules cover the
// scheme's regions) → their contacts → one outbox entry per contact, written in the caller's
// transaction so an alert and its messages commit together.
//
// Who is told:
//   raised, upgraded, reminder, acked, resolved: contacts with escalation_order <= the alert's
//     escalation_step (at first, order 0);
//   escalated (nobody acknowledged a level II+ alert in time): the contacts whose order equals the
//     new step; when a department has none at that step, its highest order below it again.
// Contacts with min_severity above the alert's level are skipped. An alert that reaches no
// contact gets one entry with status "unrouted", so it is visible (`yuqing outbox list`).
//
// Each entry's idempotency key is "yq-<alert>-<notice>-<severity>-<step>-<reminders>-c<contact>":
// the same notice enqueued twice (a retried transaction) is stored once.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "store/database.h"
#include "store/outbox_store.h"
#include "store/scheme_store.h"
#include "warning/alert_listener.h"

namespace yuqing::notify {

class Router : public warning::AlertListener {
 public:
  // Opens the notify and scheme tables on db (outside a transaction). dashboard_url (e.g.
  // "http://10.0.0.5:8080/"; "" when no dashboard serves) is where pushes link an alert to.
  static Result<std::unique_ptr<Router>> Create(store::Database& db, std::string dashboard_url = "");

  // The connection Create was given.
  store::Database& db() const { return db_; }

  // Enqueues the messages for one notice; `db` must be the connection Create was given.
  Status OnAlert(store::Database& db, const warning::AlertNotice& notice) override;

  // Called after entries were enqueued (e.g. Dispatcher::Wake), outside any lock of the router.
  // Note: it runs before the caller's transaction commits; a dispatcher that wakes early finds
  // nothing and polls again shortly.
  void set_on_enqueued(std::function<void()> f) { on_enqueued_ = std::move(f); }

  // Enqueues a message outside the alert lifecycle (incidents: task due, commitment overdue,
  // team notices) for the contacts of `department` with escalation_order <= max_order.
  // Opens no transaction (call inside one for atomicity). Returns the number of entries.
  Result<int> EnqueueMessage(const std::string& department, const std::string& kind, const std::string& title,
                             const std::string& text, const std::string& dedupe_key, TimeMs at, int max_order = 0,
                             int64_t alert_id = 0);

  // Enqueues a test message (测试发送) to one contact, whatever its escalation order, minimum
  // level or enabled flag, through the same outbox the alerts use; `nonce` makes each request a
  // new entry. Returns the outbox entry's id; NotFound when there is no such contact.
  Result<int64_t> EnqueueTest(int64_t contact_id, const std::string& by, TimeMs at, const std::string& nonce);

 private:
  explicit Router(store::Database& db) : db_(db) {}
  store::Database& db_;
  std::unique_ptr<store::OutboxStore> outbox_;
  std::unique_ptr<store::SchemeStore> schemes_;
  std::function<void()> on_enqueued_;
  std::string dashboard_url_;
};

// The human text of a notice (Chinese, markdown-light, times in Beijing time, a link to the alert
// on the dashboard when dashboard_url is set) and its title, shared by all channels.
std::string NoticeTitle(const warning::AlertNotice& n);
std::string NoticeText(const warning::AlertNotice& n, const std::string& dashboard_url = "");

}  // namespace yuqing::notify

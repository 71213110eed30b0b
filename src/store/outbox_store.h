// Delivery (直报) in the SQLite store, component "notify":
//   - the routing directory: departments (by name, the names schemes and users use), their region
//     rules, and contacts (a channel + target per person or group robot, with an escalation order);
//   - the outbox: one row per message to one contact, delivered at least once by the dispatcher,
//     retried with back-off until delivered; never deleted by delivery, so it survives restarts;
//   - the delivery log: one row per attempt;
//   - settings (SMTP server for e-mail).
// An OutboxStore wraps one Database connection (one thread at a time). Claim() is safe with
// several connections (threads or processes) claiming at once: each entry goes to one claimer
// until its lease expires.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/outbox.h"
#include "core/status.h"
#include "core/time.h"
#include "store/database.h"

namespace yuqing::store {

// The domain types are core/outbox.h's; these names stay for the store's callers.
using Department = ::yuqing::Department;
using Contact = ::yuqing::Contact;
using OutboxEntry = ::yuqing::OutboxEntry;
using DeliveryAttempt = ::yuqing::DeliveryAttempt;

class OutboxStore {
 public:
  static Result<std::unique_ptr<OutboxStore>> Open(Database& db);

  // ---- directory ----
  // Conflict when the department exists.
  Status AddDepartment(const Department& d);
  Result<std::vector<Department>> ListDepartments();
  Result<std::optional<Department>> GetDepartment(const std::string& name);
  // By name, or (when `ref` is all digits and no department has that name) by id.
  Result<std::optional<Department>> FindDepartment(const std::string& ref);
  // Replaces the description and region rules of department d.name (NotFound when absent).
  Status UpdateDepartment(const Department& d);
  // NotFound when absent; Conflict while it still has contacts (remove them first).
  Status RemoveDepartment(const std::string& name);
  // Returns the new id. Invalid when the department does not exist, Conflict when the department
  // has a contact with the same channel and target (it would be told twice).
  Result<int64_t> AddContact(const Contact& c);
  Status RemoveContact(int64_t id);
  Result<std::optional<Contact>> GetContact(int64_t id);
  // Replaces every field but id and created_at of contact c.id. NotFound when absent, Invalid
  // when its department does not exist, Conflict as for AddContact.
  Status UpdateContact(const Contact& c);
  // All contacts, or those of one department ("" = all), by department, order, id.
  Result<std::vector<Contact>> ListContacts(const std::string& department = "");

  // ---- outbox ----
  // Inserts the entry unless one with the same idem_key exists; returns its id and whether it
  // was new.
  Result<std::pair<int64_t, bool>> Enqueue(const OutboxEntry& e);
  // Whether an entry with this idempotency key was ever enqueued.
  Result<bool> HasKey(const std::string& idem_key);
  // Takes the next due entry (pending and next_attempt_at <= now, or sending with an expired
  // lease), marks it sending until now + lease and counts the attempt. nullopt when none is due.
  Result<std::optional<OutboxEntry>> Claim(TimeMs now, TimeMs lease);
  // ---- grouping (digests to chat robots) ----
  // When the contact was last pushed to (the latest delivered_at; 0 when never). Test messages
  // do not count. Claim() never hands out an entry of a chat robot's contact while another of
  // its entries is being sent, so the claimer may decide alone.
  Result<TimeMs> LastPushTo(int64_t contact_id);
  // Puts a claimed entry back to pending until `until` without counting the attempt.
  Status Defer(const OutboxEntry& e, TimeMs until);
  // Claims (as Claim does) the contact's other pending entries, due or not, oldest first, for
  // one digest; test messages excluded.
  Result<std::vector<OutboxEntry>> ClaimPendingOf(int64_t contact_id, int64_t except_id, TimeMs now, TimeMs lease,
                                                  size_t limit = 50);
  // Records a delivered entry (only if still claimed by this attempt count) and logs the attempt.
  Status MarkDelivered(const OutboxEntry& e, const DeliveryAttempt& a);
  // Records a failure: back to pending, retried at next_attempt_at; logs the attempt.
  Status MarkFailed(const OutboxEntry& e, const DeliveryAttempt& a, TimeMs next_attempt_at);
  Result<std::optional<OutboxEntry>> Get(int64_t id);
  // Newest first; status "" = any.
  Result<std::vector<OutboxEntry>> List(const std::string& status, int64_t alert_id, size_t limit);
  Result<std::vector<DeliveryAttempt>> Log(int64_t alert_id, int64_t outbox_id, size_t limit);
  // The earliest next_attempt_at of a pending entry (0 when none): how long a dispatcher may sleep.
  Result<TimeMs> NextDue();
  struct Counts {
    int64_t pending = 0, sending = 0, delivered = 0, unrouted = 0;
  };
  Result<Counts> CountByStatus();

  // ---- settings ----
  Status SetSetting(const std::string& key, const std::string& value);
  Result<std::string> GetSetting(const std::string& key);  // "" when unset

 private:
  explicit OutboxStore(Database& db) : db_(db) {}
  Status CheckDuplicate(const Contact& c);
  Database& db_;
};

}  // namespace yuqing::store

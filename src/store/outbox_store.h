// Delivery (直报), component "notify", on either backend (store/sqlite/outbox_store.cc,
// store/postgres/outbox_store.cc):
//   - the routing directory: departments (by name, the names schemes and users use), their region
//     rules, and contacts (a channel + target per person or group robot, with an escalation order);
//   - the outbox: one row per message to one contact, delivered at least once by the dispatcher,
//     retried with back-off until delivered; never deleted by delivery, so it survives restarts;
//   - the delivery log: one row per attempt;
//   - settings (SMTP server for e-mail).
// An OutboxStore borrows one session (one thread at a time). Claim() is safe with several
// sessions (threads or processes) claiming at once: each entry goes to one claimer until its
// lease expires (PostgreSQL: FOR UPDATE SKIP LOCKED).
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
  virtual ~OutboxStore() = default;

  // ---- directory ----
  // Conflict when the department exists.
  virtual Status AddDepartment(const Department& d) = 0;
  virtual Result<std::vector<Department>> ListDepartments() = 0;
  virtual Result<std::optional<Department>> GetDepartment(const std::string& name) = 0;
  // By name, or (when `ref` is all digits and no department has that name) by id.
  virtual Result<std::optional<Department>> FindDepartment(const std::string& ref) = 0;
  // Replaces the description and region rules of department d.name (NotFound when absent).
  virtual Status UpdateDepartment(const Department& d) = 0;
  // NotFound when absent; Conflict while it still has contacts (remove them first).
  virtual Status RemoveDepartment(const std::string& name) = 0;
  // Returns the new id. Invalid when the department does not exist, Conflict when the department
  // has a contact with the same channel and target (it would be told twice).
  virtual Result<int64_t> AddContact(const Contact& c) = 0;
  virtual Status RemoveContact(int64_t id) = 0;
  virtual Result<std::optional<Contact>> GetContact(int64_t id) = 0;
  // Replaces every field but id and created_at of contact c.id. NotFound when absent, Invalid
  // when its department does not exist, Conflict as for AddContact.
  virtual Status UpdateContact(const Contact& c) = 0;
  // All contacts, or those of one department ("" = all), by department, order, id.
  virtual Result<std::vector<Contact>> ListContacts(const std::string& department = "") = 0;

  // ---- outbox ----
  // Inserts the entry unless one with the same idem_key exists; returns its id and whether it
  // was new.
  virtual Result<std::pair<int64_t, bool>> Enqueue(const OutboxEntry& e) = 0;
  // Whether an entry with this idempotency key was ever enqueued.
  virtual Result<bool> HasKey(const std::string& idem_key) = 0;
  // Takes the next due entry (pending and next_attempt_at <= now, or sending with an expired
  // lease), marks it sending until now + lease and counts the attempt. nullopt when none is due.
  virtual Result<std::optional<OutboxEntry>> Claim(TimeMs now, TimeMs lease) = 0;
  // ---- grouping (digests to chat robots) ----
  // When the contact was last pushed to (the latest delivered_at; 0 when never). Test messages
  // do not count. Claim() never hands out an entry of a chat robot's contact while another of
  // its entries is being sent, so the claimer may decide alone.
  virtual Result<TimeMs> LastPushTo(int64_t contact_id) = 0;
  // Puts a claimed entry back to pending until `until` without counting the attempt.
  virtual Status Defer(const OutboxEntry& e, TimeMs until) = 0;
  // Claims (as Claim does) the contact's other pending entries, due or not, oldest first, for
  // one digest; test messages excluded.
  virtual Result<std::vector<OutboxEntry>> ClaimPendingOf(int64_t contact_id, int64_t except_id, TimeMs now, TimeMs lease,
                                                          size_t limit = 50) = 0;
  // Records a delivered entry (only if still claimed by this attempt count) and logs the attempt.
  virtual Status MarkDelivered(const OutboxEntry& e, const DeliveryAttempt& a) = 0;
  // Records a failure: back to pending, retried at next_attempt_at; logs the attempt.
  virtual Status MarkFailed(const OutboxEntry& e, const DeliveryAttempt& a, TimeMs next_attempt_at) = 0;
  virtual Result<std::optional<OutboxEntry>> Get(int64_t id) = 0;
  // Newest first; status "" = any.
  virtual Result<std::vector<OutboxEntry>> List(const std::string& status, int64_t alert_id, size_t limit) = 0;
  virtual Result<std::vector<DeliveryAttempt>> Log(int64_t alert_id, int64_t outbox_id, size_t limit) = 0;
  // The earliest next_attempt_at of a pending entry (0 when none): how long a dispatcher may sleep.
  virtual Result<TimeMs> NextDue() = 0;
  struct Counts {
    int64_t pending = 0, sending = 0, delivered = 0, unrouted = 0;
  };
  virtual Result<Counts> CountByStatus() = 0;

  // ---- settings ----
  virtual Status SetSetting(const std::string& key, const std::string& value) = 0;
  virtual Result<std::string> GetSetting(const std::string& key) = 0;  // "" when unset
};

}  // namespace yuqing::store

// ResponseHooks on top of warning/notify: messages to the incident's departments go through the
// persistent outbox (notify::Router::EnqueueMessage, delivered by the dispatcher over each
// contact's channel), and an overdue public commitment raises an alert through the warning path
// (warning::RaiseAlert, routed like any alert) that is linked back to the incident.
//
// Who is told: the contacts of the incident's departments (links of kind "department"; when it
// has none, the departments of its linked schemes). Escalation follows the departments'
// escalation orders: an incident notice and a task's first overdue stage go to order 0, stage k
// to orders <= k - 1, so each stage reaches one step further up the chain.
//
// Idempotency: every message's key is "inc<incident>-<kind>-<object id>-<stage>" (the router adds
// the contact), so a hook fired again after a crash enqueues nothing new. An overdue commitment's
// alert is keyed (scheme, event = -commitment id), so raising it twice keeps one alert.
//
// Uses the incident store's Database connection; call from the thread that owns it, outside a
// transaction (the service calls hooks after its commit).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
#include "incident/hooks.h"
#include "store/database.h"
#include "store/incident_store.h"

namespace yuqing::notify { class Router; }

namespace yuqing::incident {

class OutboxHooks final : public ResponseHooks {
 public:
  // Writes through a plain notify::Router on incidents.db() (no dashboard link, no wake-up).
  static Result<std::unique_ptr<OutboxHooks>> Create(store::IncidentStore& incidents, const Clock& clock);
  // Writes through `router`, which must be on incidents.db() (app::OpenRouter wires the dashboard
  // link and the dispatcher's wake-up).
  static Result<std::unique_ptr<OutboxHooks>> Create(store::IncidentStore& incidents, const Clock& clock,
                                                     std::unique_ptr<notify::Router> router);
  ~OutboxHooks() override;

  Status IncidentOpened(const store::IncidentRow& incident, const std::vector<TeamMember>& team,
                        const std::vector<store::TaskRow>& tasks) override;
  Status LevelChanged(const store::IncidentRow& incident, const std::string& from, const std::string& to,
                      const std::string& reason, const std::vector<store::TaskRow>& new_tasks) override;
  Status StateChanged(const store::IncidentRow& incident, const std::string& from, const std::string& to,
                      const std::string& actor) override;
  Status TaskOverdue(const store::IncidentRow& incident, const store::TaskRow& task, int stage,
                     const std::vector<TeamMember>& team) override;
  Status CommitmentOverdue(const store::IncidentRow& incident, const store::CommitmentRow& commitment) override;
  Status StatementPublished(const store::IncidentRow& incident, const store::StatementRow& statement) override;

  // The departments an incident's messages go to (see above).
  Result<std::vector<std::string>> Departments(const store::IncidentRow& incident);

 private:
  OutboxHooks(store::IncidentStore& incidents, const Clock& clock);
  // Enqueues one message for every department of the incident, in one transaction. NotFound
  // when the incident has no department, or no enabled contact at the stage's orders (nobody to
  // tell: recorded as a hook error, so it is visible).
  Status Send(const store::IncidentRow& incident, const std::string& kind, const std::string& object, int64_t stage,
              const std::string& title, const std::string& text, int max_order);

  store::IncidentStore& incidents_;
  const Clock& clock_;
  std::unique_ptr<notify::Router> router_;
};

// The departments responsible for an incident: its links of kind "department"; when it has none,
// the departments of its linked schemes. Sorted, no repeats (empty when neither is known).
Result<std::vector<std::string>> IncidentDepartments(store::IncidentStore& incidents, int64_t incident_id);

// Severity 1 (IV) .. 4 (I) of an incident level.
int SeverityOfLevel(const std::string& level);

}  // namespace yuqing::incident

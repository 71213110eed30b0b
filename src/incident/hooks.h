// Hook points where crisis response meets warning and notify. The incident service calls these
// after its own writes have committed; it never sends anything itself. The warning/notify side
// implements ResponseHooks (e.g. writing outbox entries for WeCom/DingTalk/e-mail and raising
// alerts), and the composition root passes it to IncidentService. A hook's failure is recorded in
// the incident log and returned to the caller of Sweep(); it never undoes the incident change.
//
// Delivery must be idempotent on (incident id, event kind, object id, stage): the service fires
// each stage once, but a crash between the commit and the hook can replay it on the next Sweep.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "store/incident_store.h"

namespace yuqing::incident {

struct TeamMember {
  std::string role;
  std::string person;
};

class ResponseHooks {
 public:
  virtual ~ResponseHooks() = default;

  // An incident was opened (or its level raised): notify the team of the incident and its tasks.
  // `team` is whoever holds a role so far; `tasks` are the tasks just created.
  virtual Status IncidentOpened(const store::IncidentRow& incident, const std::vector<TeamMember>& team,
                                const std::vector<store::TaskRow>& tasks) {
    return Status::Ok();
  }

  // The level changed (from → to, with the reason); `new_tasks` are added by a rise.
  virtual Status LevelChanged(const store::IncidentRow& incident, const std::string& from, const std::string& to,
                              const std::string& reason, const std::vector<store::TaskRow>& new_tasks) {
    return Status::Ok();
  }

  // A state transition happened (detected → acknowledged → ...).
  virtual Status StateChanged(const store::IncidentRow& incident, const std::string& from, const std::string& to,
                              const std::string& actor) {
    return Status::Ok();
  }

  // A task passed its deadline. stage 1: notify the owner (or the role's holders); stage 2, 3 ...:
  // escalate one step further up the chain each time (stage 2 → the commander; beyond that, the
  // organisation's escalation chain known to notify). Called once per stage.
  virtual Status TaskOverdue(const store::IncidentRow& incident, const store::TaskRow& task, int stage,
                             const std::vector<TeamMember>& team) {
    return Status::Ok();
  }

  // A published commitment passed its due time unkept: a broken public promise is a crisis signal,
  // so the warning side should raise an alert (linked back to this incident). Called once.
  virtual Status CommitmentOverdue(const store::IncidentRow& incident, const store::CommitmentRow& commitment) {
    return Status::Ok();
  }

  // A statement was published (channel, URL, time in the row); e.g. for the dashboard's live feed
  // or to start tracking volume before/after.
  virtual Status StatementPublished(const store::IncidentRow& incident, const store::StatementRow& statement) {
    return Status::Ok();
  }
};

// Hooks that do nothing: the default until warning/notify provide theirs.
class NullHooks final : public ResponseHooks {};

}  // namespace yuqing::incident

// Who is told, wired once. Every path that raises, acknowledges, resolves or escalates an alert,
// and every incident change, tells people through what is built here:
//   - the warning engine of each Pipeline (ingest, replay, drills, serve's ingest writer);
//   - serve's source scheduler (a source's silence alert, raised and resolved);
//   - `yuqing alerts ack|resolve` and POST /api/v1/alerts/{id}/ack|resolve;
//   - the incident hooks of `yuqing incidents ...`, the /api/v1/incidents routes, serve's
//     sweeper and the stream sweeper of replays and drills (IncidentOpened, StateChanged,
//     LevelChanged, overdue tasks, the alert of an overdue commitment, StatementPublished);
//   - test messages (`yuqing notify test`, POST /api/v1/contacts/{id}/test).
// So a change notifies alike whichever way it was made: the same contacts get the same outbox
// rows, with the dashboard link when the services have one (Services::dashboard_url) and the
// services' outbox wake-up (Services::WakeOutbox: serve's dispatcher delivers at once).
#pragma once

#include <memory>
#include <vector>

#include "app/services.h"
#include "core/status.h"
#include "incident/response.h"
#include "store/database.h"

namespace yuqing::notify { class Router; }
namespace yuqing::warning { class AlertListener; }

namespace yuqing::app {

// The outbox router on `db`: opens the notify and scheme tables (call outside a transaction).
// `db` and `services` must outlive it.
Result<std::unique_ptr<notify::Router>> OpenRouter(Services& services, store::Database& db);

// The alert listeners of one connection, for Engine::AddListener, AckAlert, ResolveAlert and
// RaiseAlert: today the outbox router (a server adds its live feed to its own engine). Movable;
// the pointers in all() stay valid while it lives. `db` and `services` must outlive it.
class AlertListeners {
 public:
  static Result<AlertListeners> Open(Services& services, store::Database& db);
  AlertListeners(AlertListeners&&) noexcept;
  AlertListeners& operator=(AlertListeners&&) noexcept;
  ~AlertListeners();

  const std::vector<warning::AlertListener*>& all() const { return all_; }
  notify::Router& router() { return *router_; }

 private:
  AlertListeners() = default;
  std::unique_ptr<notify::Router> router_;
  std::vector<warning::AlertListener*> all_;
};

// The options every incident::Response is opened with (CLI commands, API requests, sweepers):
// hooks on, writing through OpenRouter on the response's connection; the statement checker on
// the services' normaliser (when it loads). `services` must outlive every Response opened with
// them.
incident::ResponseOptions ResponseOptionsFor(Services& services);

// incident::Response::Open(db, services.clock(), ResponseOptionsFor(services)).
Result<std::unique_ptr<incident::Response>> OpenResponse(Services& services, store::Database& db);

}  // namespace yuqing::app

#include "app/listeners.h"

#include "notify/router.h"
#include "warning/alert_listener.h"

namespace yuqing::app {

Result<std::unique_ptr<notify::Router>> OpenRouter(Services& services, store::Database& db) {
  YQ_ASSIGN_OR_RETURN(auto router, notify::Router::Create(db, services.dashboard_url()));
  router->set_on_enqueued([&services] { services.WakeOutbox(); });
  return router;
}

AlertListeners::AlertListeners(AlertListeners&&) noexcept = default;
AlertListeners& AlertListeners::operator=(AlertListeners&&) noexcept = default;
AlertListeners::~AlertListeners() = default;

Result<AlertListeners> AlertListeners::Open(Services& services, store::Database& db) {
  AlertListeners l;
  YQ_ASSIGN_OR_RETURN(l.router_, OpenRouter(services, db));
  l.all_ = {l.router_.get()};
  return l;
}

incident::ResponseOptions ResponseOptionsFor(Services& services) {
  incident::ResponseOptions o;
  if (auto n = services.normalizer(); n.ok()) o.normalizer = *n;
  o.open_router = [&services](store::Database& db) { return OpenRouter(services, db); };
  return o;
}

Result<std::unique_ptr<incident::Response>> OpenResponse(Services& services, store::Database& db) {
  return incident::Response::Open(db, services.clock(), ResponseOptionsFor(services));
}

}  // namespace yuqing::app

// The crisis-response component put together on one Database connection: the incident store,
// the plans in force (shipped defaults with imported ones laid over), the statement checker, the
// outbox/alert hooks and the IncidentService. The CLI builds one per command, the API one per
// request connection, the sweeper one per pass. Not thread-safe (one connection).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "incident/incident_service.h"
#include "incident/outbox_hooks.h"
#include "incident/plan.h"
#include "incident/statement_checker.h"
#include "store/database.h"
#include "store/incident_store.h"
#include "text/normalizer.h"

namespace yuqing::incident {

// Shipped plans with the imported ones laid over them.
Result<std::vector<Plan>> EffectivePlans(store::IncidentStore& store);

struct ResponseOptions {
  bool hooks = true;  // false: NullHooks (nothing is sent)
  std::shared_ptr<const text::Normalizer> normalizer;  // may be null
  std::shared_ptr<const StatementChecker> checker;     // shared across requests; built when null
  std::function<void()> on_enqueued;                   // e.g. Dispatcher::Wake
};

class Response {
 public:
  // `db` and `clock` must outlive the Response.
  static Result<std::unique_ptr<Response>> Open(store::Database& db, const Clock& clock, ResponseOptions o = {});

  store::IncidentStore& store() { return *store_; }
  IncidentService& service() { return *service_; }
  const StatementChecker& checker() const { return *checker_; }
  OutboxHooks* hooks() { return hooks_.get(); }
  const Clock& clock() const { return clock_; }

 private:
  explicit Response(const Clock& clock) : clock_(clock) {}
  const Clock& clock_;
  std::unique_ptr<store::IncidentStore> store_;
  std::shared_ptr<const StatementChecker> checker_;
  std::unique_ptr<OutboxHooks> hooks_;
  std::unique_ptr<IncidentService> service_;
};

// The periodic sweep of `yuqing serve`: every `every`, on its own connection, finds overdue tasks
// and commitments and fires the hooks (IncidentService::Sweep). Errors are logged to stderr and
// retried at the next pass; they never stop the loop.
class Sweeper {
 public:
  using DbOpener = std::function<Result<std::unique_ptr<store::Database>>()>;
  static std::unique_ptr<Sweeper> Start(DbOpener open, const Clock& clock, ResponseOptions o,
                                        TimeMs every = 15 * kSecond);
  ~Sweeper();  // stops and joins
  void Stop();
  int64_t passes() const { return passes_.load(); }

 private:
  Sweeper() = default;
  void Loop(DbOpener open, const Clock& clock, ResponseOptions o, TimeMs every);
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;  // guarded by mu_
  std::atomic<int64_t> passes_{0};
};

}  // namespace yuqing::incident

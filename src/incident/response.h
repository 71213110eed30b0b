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
#include <optional>
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

namespace yuqing::notify { class Router; }

namespace yuqing::incident {

// Shipped plans with the imported ones laid over them.
Result<std::vector<Plan>> EffectivePlans(store::IncidentStore& store);

struct ResponseOptions {
  bool hooks = true;  // false: NullHooks (nothing is sent)
  std::shared_ptr<const text::Normalizer> normalizer;  // may be null
  std::shared_ptr<const StatementChecker> checker;     // shared across requests; built when null
  // Opens the outbox router the hooks write through, on the response's connection (app/listeners.h
  // wires the dashboard link and the dispatcher's wake-up); unset: a plain notify::Router.
  std::function<Result<std::unique_ptr<notify::Router>>(store::Database&)> open_router;
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

// Deadline sweeps on a stream clock (`yuqing replay`, drills). Where `serve`'s Sweeper wakes every
// 15 s of wall time, a StreamSweeper is told whenever the stream clock is about to move and sweeps
// exactly when the clock passes the next deadline (IncidentService::NextDue), so overdue notices
// and escalations carry the deadline's stream time at any replay speed: the same deadlines as live.
// The next deadline is looked up again after each sweep, on Refresh() (e.g. at each pipeline
// tick) and otherwise at most once per simulated minute, so an incident opened or changed while a
// paced replay runs is seen within a simulated minute. One thread; owns its own connection,
// opened once the store has incidents (a replay into a store without any creates nothing).
class StreamSweeper {
 public:
  using DbOpener = std::function<Result<std::unique_ptr<store::Database>>()>;
  struct Totals {
    int64_t sweeps = 0;
    int64_t tasks_notified = 0;
    int64_t tasks_escalated = 0;
    int64_t commitments_overdue = 0;
    int64_t hook_errors = 0;  // notices not sent (recorded in the incidents' logs)
    int64_t errors = 0;       // sweeps that failed (reported on stderr, retried at the next deadline)
  };

  // `clock` must outlive the sweeper; it is the clock the caller advances with the stream.
  StreamSweeper(DbOpener open, ManualClock& clock, ResponseOptions o = {});
  ~StreamSweeper();

  // Runs every sweep due at or before `t`, oldest first: for each, calls `before` (e.g. to store
  // the posts read so far), advances the clock to the deadline (never backwards) and sweeps.
  // Returns the first error of `before`; sweep errors are counted and reported, never returned
  // (like Sweeper, they must not stop the stream).
  Status RunUntil(TimeMs t, const std::function<Status()>& before = {});
  // Looks the next deadline up again at the next RunUntil.
  void Refresh() { stale_ = true; }
  const Totals& totals() const { return totals_; }

 private:
  // Opens the connection and the Response once the incidents table exists; false until then.
  bool Ready();
  void LookUp(TimeMs t);
  void Failed(const Status& st);

  DbOpener open_;
  ManualClock& clock_;
  ResponseOptions opts_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Response> response_;
  std::optional<TimeMs> next_;
  bool stale_ = true;
  int64_t checked_minute_ = -1;
  Totals totals_;
};

}  // namespace yuqing::incident

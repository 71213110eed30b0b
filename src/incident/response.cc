#include "incident/response.h"

#include <chrono>
#include <iostream>

#include "notify/router.h"

namespace yuqing::incident {

Result<std::vector<Plan>> EffectivePlans(store::IncidentStore& store) {
  YQ_ASSIGN_OR_RETURN(auto plans, DefaultPlans());
  YQ_ASSIGN_OR_RETURN(auto stored, store.ListPlans());
  std::vector<Plan> imported;
  for (const auto& text : stored) {
    YQ_ASSIGN_OR_RETURN(auto p, ParsePlans(text));
    imported.insert(imported.end(), p.begin(), p.end());
  }
  return MergePlans(std::move(plans), imported);
}

Result<std::unique_ptr<Response>> Response::Open(store::Database& db, const Clock& clock, ResponseOptions o) {
  std::unique_ptr<Response> r(new Response(clock));
  r->store_ = std::make_unique<store::IncidentStore>(db);
  YQ_RETURN_IF_ERROR(r->store_->Init());
  r->checker_ = o.checker;
  if (!r->checker_) {
    YQ_ASSIGN_OR_RETURN(auto c, StatementChecker::Create(o.normalizer));
    r->checker_ = std::move(c);
  }
  YQ_ASSIGN_OR_RETURN(auto plans, EffectivePlans(*r->store_));
  ResponseHooks* hooks = nullptr;
  if (o.hooks) {
    if (o.open_router) {
      YQ_ASSIGN_OR_RETURN(auto router, o.open_router(db));
      YQ_ASSIGN_OR_RETURN(r->hooks_, OutboxHooks::Create(*r->store_, clock, std::move(router)));
    } else {
      YQ_ASSIGN_OR_RETURN(r->hooks_, OutboxHooks::Create(*r->store_, clock));
    }
    hooks = r->hooks_.get();
  }
  r->service_ = std::make_unique<IncidentService>(*r->store_, clock, std::move(plans), hooks, r->checker_.get());
  return r;
}

std::unique_ptr<Sweeper> Sweeper::Start(DbOpener open, const Clock& clock, ResponseOptions o, TimeMs every) {
  std::unique_ptr<Sweeper> s(new Sweeper());
  s->thread_ = std::thread([p = s.get(), open = std::move(open), &clock, o = std::move(o), every]() mutable {
    p->Loop(std::move(open), clock, std::move(o), every);
  });
  return s;
}

Sweeper::~Sweeper() { Stop(); }

void Sweeper::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sweeper::Loop(DbOpener open, const Clock& clock, ResponseOptions o, TimeMs every) {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<Response> response;
  for (;;) {
    Status st;
    if (!response) {
      auto d = open();
      if (d.ok()) {
        db = std::move(d).value();
        auto r = Response::Open(*db, clock, o);
        if (r.ok()) response = std::move(r).value();
        else st = r.status();
      } else {
        st = d.status();
      }
    }
    if (response) {
      auto rep = response->service().Sweep();
      if (!rep.ok()) st = rep.status();
      // Hook failures are in the incidents' logs already; say so once per pass, keep the connection.
      else if (!rep->hook_errors.empty())
        std::cerr << "incident sweep: " << rep->hook_errors.size() << " notice(s) not sent: " << rep->hook_errors.front()
                  << std::endl;
    }
    if (!st.ok()) {
      std::cerr << "incident sweep: " << st.ToString() << std::endl;
      response.reset();  // start again on a fresh connection next time
      db.reset();
    }
    passes_.fetch_add(1);
    std::unique_lock<std::mutex> lock(mu_);
    if (cv_.wait_for(lock, std::chrono::milliseconds(every), [this] { return stop_; })) return;
  }
}

StreamSweeper::StreamSweeper(DbOpener open, ManualClock& clock, ResponseOptions o)
    : open_(std::move(open)), clock_(clock), opts_(std::move(o)) {}

StreamSweeper::~StreamSweeper() = default;

bool StreamSweeper::Ready() {
  if (response_) return true;
  Status st = [&]() -> Status {
    if (!db_) {
      YQ_ASSIGN_OR_RETURN(db_, open_());
    }
    // Asked once a simulated minute in a replay (HasComponent's statements are cached).
    YQ_ASSIGN_OR_RETURN(bool has_incidents, db_->HasComponent("incidents"));
    if (!has_incidents) return Status::Ok();
    YQ_ASSIGN_OR_RETURN(response_, Response::Open(*db_, clock_, opts_));
    return Status::Ok();
  }();
  if (!st.ok()) Failed(st);
  return response_ != nullptr;
}

void StreamSweeper::Failed(const Status& st) {
  ++totals_.errors;
  std::cerr << "incident sweep: " << st.ToString() << std::endl;
  response_.reset();  // start again on a fresh connection
  db_.reset();
}

void StreamSweeper::LookUp(TimeMs t) {
  stale_ = false;
  checked_minute_ = t / kMinute;
  next_.reset();
  if (!Ready()) return;
  auto next = response_->service().NextDue();
  if (next.ok()) next_ = *next;
  else Failed(next.status());
}

Status StreamSweeper::RunUntil(TimeMs t, const std::function<Status()>& before) {
  if (stale_ || t / kMinute != checked_minute_) LookUp(t);
  while (next_ && *next_ <= t && response_) {
    if (before) YQ_RETURN_IF_ERROR(before());
    clock_.Advance(*next_);
    const TimeMs at = clock_.Now();
    auto rep = response_->service().Sweep();
    ++totals_.sweeps;
    if (!rep.ok()) {
      Failed(rep.status());
      next_.reset();  // tried again at the next look-up (a simulated minute later)
      break;
    }
    totals_.tasks_notified += rep->tasks_notified;
    totals_.tasks_escalated += rep->tasks_escalated;
    totals_.commitments_overdue += rep->commitments_overdue;
    totals_.hook_errors += static_cast<int64_t>(rep->hook_errors.size());
    LookUp(t);
    if (next_ && *next_ <= at) break;  // nothing moved: never loop on one instant
  }
  return Status::Ok();
}

}  // namespace yuqing::incident

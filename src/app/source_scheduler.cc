#include "app/source_scheduler.h"

#include <spdlog/spdlog.h>

#include "app/listeners.h"

namespace yuqing::app {

SourceScheduler::SourceScheduler(Services& s, RecordSink sink, SchedulerOptions o)
    : services_(s), sink_(std::move(sink)), opts_(std::move(o)) {}

Result<std::unique_ptr<SourceScheduler>> SourceScheduler::Start(Services& services, RecordSink sink,
                                                                SchedulerOptions opts) {
  std::unique_ptr<SourceScheduler> s(new SourceScheduler(services, std::move(sink), std::move(opts)));
  YQ_ASSIGN_OR_RETURN(s->db_, services.OpenDatabase());
  YQ_ASSIGN_OR_RETURN(s->sources_, store::SourceStore::Open(*s->db_));
  YQ_ASSIGN_OR_RETURN(auto listeners, AlertListeners::Open(services, *s->db_));
  s->listeners_ = std::make_unique<AlertListeners>(std::move(listeners));
  s->thread_ = std::thread([p = s.get()] { p->Loop(); });
  return s;
}

SourceScheduler::~SourceScheduler() { Stop(); }

void SourceScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status SourceScheduler::Round() {
  YQ_ASSIGN_OR_RETURN(auto list, sources_->List());
  for (auto& s : list) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return Status::Ok();
    }
    if (s.paused) continue;
    // One source's store or ingest failure (a full queue, a busy store) is logged and retried next
    // round; the others still run.
    if (Status st = RunDue(s); !st.ok()) spdlog::error("source {}: {}", s.name, st.ToString());
  }
  return Status::Ok();
}

Status SourceScheduler::RunDue(store::SourceRow& s) {
  const TimeMs now = services_.clock().Now();
  if (s.next_run_at <= now) {
    YQ_ASSIGN_OR_RETURN(auto rep, RunSource(*sources_, s, sink_, now, &gate_));
    ++runs_;
    if (!rep.ok) spdlog::warn("source {} ({}): {}", s.name, s.url, rep.error);
    if (opts_.on_run) opts_.on_run(rep);
  }
  return CheckSilence(*db_, *sources_, s, services_.clock().Now(), listeners_->all());
}

void SourceScheduler::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    if (Status st = Round(); !st.ok()) spdlog::error("source scheduler: {}", st.ToString());
    lock.lock();
    // The period between reads of the table; Stop() ends the wait at once.
    cv_.wait_for(lock, std::chrono::milliseconds(opts_.poll), [this] { return stopping_; });
  }
}

}  // namespace yuqing::app

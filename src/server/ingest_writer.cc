#include "server/ingest_writer.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "core/alert_json.h"
#include "core/stored_post.h"
#include "warning/engine.h"

namespace yuqing::server {

// Listens to the warning engine inside its transaction and publishes only after the stage that
// produced the notices returned successfully (a rolled-back alert is never streamed).
class IngestWriter::AlertTap final : public warning::AlertListener {
 public:
  Status OnAlert(store::Database&, const warning::AlertNotice& n) override {
    nlohmann::json j = AlertToJson(n.alert);
    j["notice"] = warning::NoticeKindName(n.kind);
    pending_.push_back({std::move(j), n.alert.departments, n.kind == warning::NoticeKind::kRaised});
    return Status::Ok();
  }
  void Flush(bool ok, StreamPublisher* pub, Metrics* m) {
    if (ok) {
      for (auto& p : pending_) {
        if (p.raised && m) m->CountAlert();
        if (pub) pub->PublishAlert(std::move(p.alert), std::move(p.departments));
      }
    }
    pending_.clear();
  }

 private:
  struct Pending {
    nlohmann::json alert;
    std::vector<std::string> departments;
    bool raised;
  };
  std::vector<Pending> pending_;
};

IngestWriter::IngestWriter(app::Services& s, IngestOptions o, StreamPublisher* p, Metrics* m)
    : services_(s), opts_(o), publisher_(p), metrics_(m) {}

Result<std::unique_ptr<IngestWriter>> IngestWriter::Start(app::Services& services, IngestOptions opts,
                                                          StreamPublisher* publisher, Metrics* metrics) {
  std::unique_ptr<IngestWriter> w(new IngestWriter(services, opts, publisher, metrics));
  YQ_ASSIGN_OR_RETURN(w->pipeline_, app::Pipeline::Create(services));
  w->tap_ = std::make_unique<AlertTap>();
  if (w->pipeline_->warning()) w->pipeline_->warning()->AddListener(w->tap_.get());
  w->thread_ = std::thread([p = w.get()] { p->Loop(); });
  return w;
}

IngestWriter::~IngestWriter() {
  Stop();
  pipeline_.reset();  // before tap_, which the engine holds
}

void IngestWriter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_work_.notify_all();
  cv_room_.notify_all();
  if (thread_.joinable()) thread_.join();
}

size_t IngestWriter::queued_records() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queued_records_;
}

app::Counts IngestWriter::counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

Result<std::vector<app::RecordResult>> IngestWriter::Submit(std::vector<ingest::Item> inputs) {
  if (inputs.empty()) return std::vector<app::RecordResult>();
  if (inputs.size() > opts_.max_queued_records)
    return Status::TooLarge("at most " + std::to_string(opts_.max_queued_records) + " records per request");
  auto job = std::make_unique<Job>();
  size_t n = inputs.size();
  job->inputs = std::move(inputs);
  auto fut = job->done.get_future();
  {
    std::unique_lock<std::mutex> lock(mu_);
    bool room = cv_room_.wait_for(lock, std::chrono::milliseconds(opts_.submit_wait_ms), [&] {
      return stopping_ || queued_records_ + n <= opts_.max_queued_records;
    });
    if (stopping_) return Status::Unavailable("the server is shutting down");
    if (!room) return Status::Unavailable("the ingest queue is full; retry later");
    queued_records_ += n;
    queue_.push_back(std::move(job));
  }
  cv_work_.notify_one();
  return fut.get();
}

void IngestWriter::Loop() {
  auto next_tick = std::chrono::steady_clock::now();
  while (true) {
    std::vector<std::unique_ptr<Job>> jobs;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_work_.wait_until(lock, next_tick, [&] { return stopping_ || !queue_.empty(); });
      size_t records = 0;
      while (!queue_.empty() && (jobs.empty() || records + queue_.front()->inputs.size() <= opts_.max_batch_records)) {
        records += queue_.front()->inputs.size();
        queued_records_ -= queue_.front()->inputs.size();
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      if (jobs.empty() && stopping_) break;
    }
    cv_room_.notify_all();
    if (!jobs.empty()) RunBatch(jobs);
    if (std::chrono::steady_clock::now() >= next_tick) {
      Status st = pipeline_->Tick(services_.clock().Now());
      if (!st.ok()) spdlog::warn("pipeline tick: {}", st.ToString());
      tap_->Flush(st.ok(), publisher_, metrics_);
      PublishHeld();
      next_tick = std::chrono::steady_clock::now() + std::chrono::milliseconds(opts_.tick_interval);
    }
  }
}

void IngestWriter::PublishHeld() {
  app::Pipeline::Held h = pipeline_->held();
  std::lock_guard<std::mutex> lock(mu_);
  held_ = h;
}

app::Pipeline::Held IngestWriter::held() const {
  std::lock_guard<std::mutex> lock(mu_);
  return held_;
}

void IngestWriter::RunBatch(std::vector<std::unique_ptr<Job>>& jobs) {
  std::vector<ingest::Item> batch;
  std::vector<size_t> sizes;
  for (auto& j : jobs) {
    sizes.push_back(j->inputs.size());
    for (auto& in : j->inputs) batch.push_back(std::move(in));
  }
  auto res = pipeline_->Process(batch);
  tap_->Flush(res.ok(), publisher_, metrics_);
  if (!res.ok()) {
    spdlog::error("ingest batch of {} records failed: {}", batch.size(), res.status().ToString());
    for (auto& j : jobs) j->done.set_value(res.status());
    return;
  }
  std::vector<app::RecordResult>& all = *res;
  app::Counts delta;
  std::vector<std::string> stored_ids;
  for (const auto& r : all) {
    if (r.outcome == app::RecordOutcome::kStored) {
      ++delta.stored;
      stored_ids.push_back(r.id);
    } else if (r.outcome == app::RecordOutcome::kDuplicate) ++delta.duplicates;
    else ++delta.quarantined;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    counts_.stored += delta.stored;
    counts_.duplicates += delta.duplicates;
    counts_.quarantined += delta.quarantined;
  }
  if (metrics_) metrics_->CountIngest(delta.stored, delta.duplicates, delta.quarantined);
  size_t k = 0;
  for (size_t i = 0; i < jobs.size(); ++i) {
    std::vector<app::RecordResult> mine(std::make_move_iterator(all.begin() + k),
                                        std::make_move_iterator(all.begin() + k + sizes[i]));
    k += sizes[i];
    jobs[i]->done.set_value(std::move(mine));
  }
  // Publishing reads the committed posts back (with their analysis) only when someone listens.
  if (publisher_ && !stored_ids.empty() && publisher_->HasSubscribers()) {
    for (const auto& id : stored_ids) {
      auto got = pipeline_->posts().Get(id);
      if (!got.ok()) {
        spdlog::warn("stream: cannot read back post {}: {}", id, got.status().ToString());
        continue;
      }
      if (*got) publisher_->PublishPost(std::make_shared<const StoredPost>(std::move(**got)));
    }
  }
}

}  // namespace yuqing::server

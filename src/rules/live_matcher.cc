#include "rules/live_matcher.h"

namespace yuqing::rules {

LiveMatcher::LiveMatcher(std::shared_ptr<const text::Normalizer> norm, CompileOptions opts)
    : norm_(std::move(norm)), opts_(std::move(opts)) {
  auto empty = Matcher::Compile({}, norm_, opts_);
  if (empty.ok()) current_.store(*empty, std::memory_order_release);
  worker_ = std::thread([this] { Loop(); });
}

LiveMatcher::~LiveMatcher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    pending_.reset();
  }
  cv_.notify_all();
  worker_.join();
}

void LiveMatcher::Update(std::vector<Scheme> schemes) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = std::move(schemes);
  }
  cv_.notify_all();
}

Status LiveMatcher::Build(const std::vector<Scheme>& schemes) {
  std::vector<CompileError> errors;
  auto m = Matcher::Compile(schemes, norm_, opts_, &errors);
  std::lock_guard<std::mutex> lock(mu_);
  last_errors_ = std::move(errors);
  if (!m.ok()) return m.status();
  current_.store(*m, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return Status::Ok();
}

Status LiveMatcher::UpdateNow(std::vector<Scheme> schemes) {
  Status st = Build(schemes);
  std::lock_guard<std::mutex> lock(mu_);
  last_status_ = st;
  return st;
}

void LiveMatcher::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || pending_.has_value(); });
    if (stop_) return;
    std::vector<Scheme> schemes = std::move(*pending_);
    pending_.reset();
    busy_ = true;
    lock.unlock();
    Status st = Build(schemes);
    lock.lock();
    last_status_ = st;
    busy_ = false;
    cv_.notify_all();
  }
}

Status LiveMatcher::Wait() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || (!busy_ && !pending_.has_value()); });
  return last_status_;
}

std::vector<CompileError> LiveMatcher::last_errors() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_errors_;
}

}  // namespace yuqing::rules

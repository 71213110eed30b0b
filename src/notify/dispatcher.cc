#include "notify/dispatcher.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "core/outbox.h"
#include "notify/directory.h"

namespace yuqing::notify {

Result<std::unique_ptr<Dispatcher>> Dispatcher::Create(DbOpener open, const Clock& clock, DispatcherOptions o) {
  if (o.workers < 1 || o.workers > 64) return Status::Invalid("workers must be 1..64");
  if (o.lease <= o.send.timeout) o.lease = o.send.timeout + 5 * kSecond;
  // Create the tables once, here, so workers do not race to.
  YQ_ASSIGN_OR_RETURN(auto db, open());
  YQ_RETURN_IF_ERROR(store::OutboxStore::Open(*db).status());
  std::unique_ptr<Dispatcher> d(new Dispatcher(std::move(open), clock, o));
  d->sender_ = [o](const OutboxEntry& e, const SmtpSettings& s, TimeMs now) { return Send(e, s, o.send, now); };
  return d;
}

Dispatcher::~Dispatcher() { Stop(); }

TimeMs Dispatcher::Backoff(const DispatcherOptions& o, int attempts, double u) {
  double d = static_cast<double>(o.backoff_base) * std::pow(2.0, std::max(0, attempts - 1));
  d = std::min(d, static_cast<double>(o.backoff_max));
  return static_cast<TimeMs>(d / 2 + u * d / 2);
}

Status Dispatcher::Start() {
  std::lock_guard<std::mutex> l(mu_);
  if (!threads_.empty()) return Status::Conflict("dispatcher already running");
  stop_ = false;
  for (int i = 0; i < opts_.workers; ++i) threads_.emplace_back([this, i] { (void)Work(i, false); });
  return Status::Ok();
}

void Dispatcher::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Dispatcher::Wake() {
  {
    std::lock_guard<std::mutex> l(mu_);
    ++wakes_;
  }
  cv_.notify_all();
}

Result<DispatchStats> Dispatcher::RunOnce() {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!threads_.empty()) return Status::Conflict("dispatcher is running");
    stop_ = false;
    first_error_ = Status::Ok();
  }
  DispatchStats before = stats();
  std::vector<std::thread> ts;
  for (int i = 0; i < opts_.workers; ++i) {
    ts.emplace_back([this, i] {
      Status st = Work(i, true);
      if (!st.ok()) {
        std::lock_guard<std::mutex> l(mu_);
        if (first_error_.ok()) first_error_ = st;
      }
    });
  }
  for (auto& t : ts) t.join();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (!first_error_.ok()) return first_error_;
  }
  DispatchStats after = stats();
  return DispatchStats{after.delivered - before.delivered, after.failed - before.failed};
}

Status Dispatcher::DeliverOne(store::OutboxStore& outbox, const OutboxEntry& e, const SmtpSettings& smtp,
                              double jitter) {
  auto t0 = std::chrono::steady_clock::now();
  SendResult r = sender_(e, smtp, clock_.Now());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  DeliveryAttempt a;
  a.outbox_id = e.id;
  a.alert_id = e.alert_id;
  a.at = clock_.Now();
  a.attempt = e.attempts;
  a.ok = r.ok;
  a.status_code = r.status_code;
  a.error = r.error;
  a.duration_ms = ms;
  if (r.ok) {
    ++delivered_;
    return outbox.MarkDelivered(e, a);
  }
  ++failed_;
  return outbox.MarkFailed(e, a, a.at + Backoff(opts_, e.attempts, jitter));
}

bool Dispatcher::Grouped(const std::string& channel) {
  return channel == "wecom" || channel == "dingtalk" || channel == "feishu";
}

OutboxEntry Dispatcher::DigestOf(const std::vector<OutboxEntry>& group) {
  using nlohmann::json;
  OutboxEntry d = group.front();
  std::string key = "yq-digest";
  json items = json::array();
  std::string text;
  for (auto it = group.rbegin(); it != group.rend(); ++it) {  // newest first: the current state leads
    json p = json::parse(it->payload, nullptr, false);
    std::string title = p.is_object() ? p.value("title", std::string()) : std::string();
    std::string body = p.is_object() ? p.value("text", std::string()) : std::string();
    if (body.size() > 600) body = body.substr(0, body.rfind('\n', 600) == std::string::npos ? 600 : body.rfind('\n', 600));
    text += "### " + title + "\n" + body + "\n\n";
    items.push_back({{"idempotency_key", it->idem_key}, {"kind", it->notice}, {"alert_id", it->alert_id}, {"title", title}});
  }
  for (const auto& e : group) key += "-" + std::to_string(e.id);
  d.idem_key = key;
  d.notice = "digest";
  json payload = {{"idempotency_key", key},
                  {"kind", "digest"},
                  {"title", "舆情预警汇总（" + std::to_string(group.size()) + " 条）"},
                  {"text", text},
                  {"items", items}};
  d.payload = payload.dump(-1, ' ', false, json::error_handler_t::replace);
  return d;
}

Status Dispatcher::DeliverDigest(store::OutboxStore& outbox, const std::vector<OutboxEntry>& group,
                                 const SmtpSettings& smtp, double jitter) {
  const OutboxEntry digest = DigestOf(group);
  auto t0 = std::chrono::steady_clock::now();
  SendResult r = sender_(digest, smtp, clock_.Now());
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  const TimeMs at = clock_.Now();
  if (r.ok) ++delivered_;
  else ++failed_;
  for (const auto& e : group) {
    DeliveryAttempt a;
    a.outbox_id = e.id;
    a.alert_id = e.alert_id;
    a.at = at;
    a.attempt = e.attempts;
    a.ok = r.ok;
    a.status_code = r.status_code;
    a.error = r.ok ? "" : r.error;
    a.duration_ms = ms;
    YQ_RETURN_IF_ERROR(r.ok ? outbox.MarkDelivered(e, a) : outbox.MarkFailed(e, a, at + Backoff(opts_, e.attempts, jitter)));
  }
  return Status::Ok();
}

Status Dispatcher::Deliver(store::OutboxStore& outbox, const OutboxEntry& e, const SmtpSettings& smtp,
                           double jitter) {
  if (opts_.group_window <= 0 || e.contact_id == 0 || e.notice == "test" || !Grouped(e.channel))
    return DeliverOne(outbox, e, smtp, jitter);
  const TimeMs now = clock_.Now();
  YQ_ASSIGN_OR_RETURN(TimeMs last, outbox.LastPushTo(e.contact_id));
  if (last > 0 && now < last + opts_.group_window) return outbox.Defer(e, last + opts_.group_window);
  YQ_ASSIGN_OR_RETURN(auto more, outbox.ClaimPendingOf(e.contact_id, e.id, now, opts_.lease));
  if (more.empty()) return DeliverOne(outbox, e, smtp, jitter);
  more.insert(more.begin(), e);
  std::sort(more.begin(), more.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return DeliverDigest(outbox, more, smtp, jitter);
}

Status Dispatcher::Work(int worker, bool drain) {
  YQ_ASSIGN_OR_RETURN(auto db, open_());
  YQ_ASSIGN_OR_RETURN(auto outbox, store::OutboxStore::Open(*db));
  std::mt19937_64 rng(static_cast<uint64_t>(clock_.Now()) * 1000003u + static_cast<uint64_t>(worker));
  std::uniform_real_distribution<double> uni(0.0, 1.0);
  SmtpSettings smtp;
  TimeMs smtp_read = -1;
  while (true) {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (stop_) return Status::Ok();
    }
    TimeMs now = clock_.Now();
    if (smtp_read < 0 || now - smtp_read > 5 * kSecond) {
      // A failed read keeps the previous settings and tries again next time.
      if (auto loaded = LoadSmtp(*outbox); loaded.ok()) {
        smtp = std::move(*loaded);
        smtp_read = now;
      }
    }
    auto claimed = outbox->Claim(now, opts_.lease);
    if (!claimed.ok()) {
      if (drain) return claimed.status();
      // The store is busy or failing: back off a little and try again.
      std::unique_lock<std::mutex> l(mu_);
      cv_.wait_for(l, std::chrono::milliseconds(500), [&] { return stop_; });
      continue;
    }
    if (claimed->has_value()) {
      Status st = Deliver(*outbox, **claimed, smtp, uni(rng));
      if (!st.ok() && drain) return st;
      continue;
    }
    if (drain) return Status::Ok();
    std::unique_lock<std::mutex> l(mu_);
    uint64_t seen = wakes_;
    cv_.wait_for(l, std::chrono::milliseconds(opts_.idle_poll), [&] { return stop_ || wakes_ != seen; });
  }
}

}  // namespace yuqing::notify

// The dispatcher: delivers the outbox. Worker threads (each with its own Database connection)
// claim due entries, send them through their channel, and record the outcome; a failure goes
// back to pending with exponential back-off and jitter (base x 2^(attempt-1), capped, the wait
// drawn uniformly from [d/2, d]). Nothing is dropped: an entry is retried until delivered.
//
// Delivery is at least once per entry: a claim is a lease (status "sending" until now + lease);
// if the process dies mid-send the lease expires and another dispatcher retries the entry with
// the same idempotency key, which receivers use to drop the repeat. An entry marked delivered is
// never sent again, across restarts.
//
// In `yuqing serve`:   auto d = Dispatcher::Create(opener, wall_clock); d->Start(); ... d->Stop();
// From the pipeline:   router.set_on_enqueued([&]{ d->Wake(); });   (optional: it also polls)
// `yuqing notify run [--once]` runs one in the foreground.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/outbox.h"
#include "core/status.h"
#include "core/time.h"
#include "notify/channels.h"
#include "store/database.h"
#include "store/outbox_store.h"

namespace yuqing::notify {

struct DispatcherOptions {
  int workers = 4;                     // parallel deliveries (a hanging receiver holds one)
  TimeMs idle_poll = 50;               // how often an idle worker looks at the outbox (ms)
  TimeMs lease = 30 * kSecond;         // > send.timeout: a claim older than this is retried
  TimeMs backoff_base = 2 * kSecond;
  TimeMs backoff_max = 10 * kMinute;
  // Chat robots (WeCom, DingTalk, Feishu) reach phones: after a push to a contact, its further
  // messages wait until this long after that push and go out together as one digest (汇总), so a
  // burst rings a phone at most twice. 0 sends every message on its own. Webhooks and e-mail are
  // never grouped (machines and mailboxes want every notice).
  TimeMs group_window = 2 * kMinute;
  SendOptions send;
};

struct DispatchStats {
  int64_t delivered = 0;
  int64_t failed = 0;  // failed attempts (each retried later)
};

class Dispatcher {
 public:
  using DbOpener = std::function<Result<std::unique_ptr<store::Database>>()>;
  using Sender = std::function<SendResult(const OutboxEntry&, const SmtpSettings&, TimeMs now)>;

  // `clock` (the wall clock in serve) must outlive the dispatcher.
  static Result<std::unique_ptr<Dispatcher>> Create(DbOpener open, const Clock& clock, DispatcherOptions o = {});
  ~Dispatcher();  // stops and joins

  // Starts the workers; they run until Stop(). Conflict when already running.
  Status Start();
  // Asks the workers to finish their current delivery and joins them. Idempotent.
  void Stop();
  // Wakes idle workers now (new entries). Thread-safe, cheap.
  void Wake();

  // Delivers everything due now with the configured number of workers, then returns (for
  // `notify run --once` and tests). Must not be called while started.
  Result<DispatchStats> RunOnce();

  DispatchStats stats() const { return {delivered_.load(), failed_.load()}; }
  // Replaces the network (tests). Call before Start/RunOnce.
  void set_sender(Sender s) { sender_ = std::move(s); }

  // True for the channels whose messages are grouped (group_window).
  static bool Grouped(const std::string& channel);
  // The one message that stands for `group` (oldest first): the first entry's target, a digest
  // title and text (newest notice first), and an idempotency key derived from the entries' ids.
  static OutboxEntry DigestOf(const std::vector<OutboxEntry>& group);

  // The back-off before attempt `attempts + 1`, jitter drawn from `u` in [0, 1).
  static TimeMs Backoff(const DispatcherOptions& o, int attempts, double u);

 private:
  Dispatcher(DbOpener open, const Clock& clock, DispatcherOptions o)
      : open_(std::move(open)), clock_(clock), opts_(o) {}
  // Claims and delivers until stopped (drain=false) or until nothing is due (drain=true).
  Status Work(int worker, bool drain);
  Status DeliverOne(store::OutboxStore& outbox, const OutboxEntry& e, const SmtpSettings& smtp,
                    double jitter);
  // Delivers a claimed entry: on its own, deferred to the contact's group window, or as a digest
  // with the contact's other pending entries.
  Status Deliver(store::OutboxStore& outbox, const OutboxEntry& e, const SmtpSettings& smtp, double jitter);
  // Sends `group` (claimed, oldest first) as one message and records the outcome on each entry.
  Status DeliverDigest(store::OutboxStore& outbox, const std::vector<OutboxEntry>& group,
                       const SmtpSettings& smtp, double jitter);

  DbOpener open_;
  const Clock& clock_;
  DispatcherOptions opts_;
  Sender sender_;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;        // guarded by mu_
  uint64_t wakes_ = 0;       // guarded by mu_
  std::atomic<int64_t> delivered_{0}, failed_{0};
  Status first_error_;       // guarded by mu_
};

}  // namespace yuqing::notify

// The warning engine (预警引擎): follows every scheme and event minute by minute, decides levels
// by each scheme's policy and keeps one unresolved alert per scheme and event through its
// lifecycle (the scheme-wide verdict joins the scheme's latest alert instead of adding one):
// raised → upgraded (level rises, notified again) → reminders with back-off while it keeps
// firing unacknowledged → escalation when the acknowledgement deadline passes (level II and up)
// → resolved after the quiet period (or by a person).
//
// Time comes only from the posts (their timestamps) and from Tick(now); never the wall clock.
// One Engine is used by one thread at a time (the pipeline's); it uses the pipeline's Database
// connection and writes in its own transactions, after the posts' transaction committed.
//
//   auto engine = warning::Engine::Create(db);
//   engine->AddListener(&router);            // notify::Router: outbox entries in the same tx
//   engine->Observe(fresh_posts);            // after each committed batch
//   engine->Tick(clock.Now());               // regularly (replay: after each batch)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/alert.h"
#include "core/post.h"
#include "core/status.h"
#include "rules/scheme.h"
#include "store/alert_store.h"
#include "store/database.h"
#include "store/scheme_store.h"
#include "store/series_store.h"
#include "forecast/model.h"
#include "warning/alert_listener.h"
#include "warning/policy.h"
#include "warning/series.h"
#include "warning/signals.h"

namespace yuqing::warning {

struct EngineOptions {
  TimeMs live_window = 3 * kHour;  // buckets kept in memory (>= the largest window the policies use)
  // Event keys ((scheme or none, event) pairs) held in memory at most. A stream of thousands of
  // posts a second starts events faster than the live window lets them go, so past this many the
  // least recently posted tenth leave memory at the next Tick, alerted or not. Their minutes are
  // in the store: a later post brings them back as after a restart (State), and an unresolved
  // alert goes on in the same record.
  size_t max_event_keys = 50000;
  // And at most this many heap bytes in all (their minutes and evidence posts): a key of a busy
  // cascade holds up to three hours of minutes and its evidence, tens of kilobytes, so a cap on
  // the count alone let 50,000 keys grow towards 1.5 GB (issue 22's soak).
  size_t max_event_key_bytes = size_t{192} << 20;
  // Evidence posts kept per event key, as candidates for an alert's evidence (at least twice the
  // policy's `evidence`); a scheme's own key keeps more (engine.cc, kSchemeEvidence).
  size_t event_evidence = 10;
  // The fitted cascade model for `forecast_exceeds` conditions (models/cascade.json); null:
  // SEISMIC alone (forecast/model.h).
  std::shared_ptr<const forecast::CascadeModel> cascade_model;
};

class Engine {
 public:
  // Opens the alert, series and scheme tables on db (creating them), loads the schemes with their
  // policies, the learned baselines and the active alerts. A scheme whose policy does not parse
  // runs on the default policy (the error is in policy_errors()).
  static Result<std::unique_ptr<Engine>> Create(store::Database& db, EngineOptions opts = {});
  ~Engine();

  // Not owned; must outlive the engine. Called in the order added.
  // Keys (scheme or event series) held in memory now (/metrics; bounded by max_event_keys).
  size_t live_keys() const { return keys_.size(); }
  // Unresolved alerts cached in memory (a few bytes each; their records are in the store).
  size_t unresolved_alerts() const { return active_.size(); }
  // Heap bytes held by the event keys as of the last Tick (bounded by max_event_key_bytes).
  size_t event_key_bytes() const { return event_key_bytes_; }

  void AddListener(AlertListener* l) { listeners_.push_back(l); }

  // Feeds freshly stored posts (entries with duplicate=true are skipped) and evaluates the rules
  // at each post's time, in time order. Writes alerts (and the listeners' rows) in one
  // transaction. Must not be called inside a transaction.
  Status Observe(const std::vector<ProcessedPost>& posts);

  // Moves time to `now`: closes windows into the baselines, persists the series, sends due
  // reminders and escalations, resolves quiet alerts, and notices acknowledgements made
  // elsewhere (CLI, API). Must not be called inside a transaction.
  Status Tick(TimeMs now);

  // Reloads schemes and policies now (Tick does it when the scheme store's generation changes).
  Status ReloadSchemes();

  TimeMs now() const { return now_; }
  // The earliest stream time at which Tick has work on an unresolved alert (quiet-period
  // resolution, a reminder, an acknowledgement deadline); 0 when none. A replay ticks at these
  // times so that what is due happens at the stream minute it is due, not at the next batch.
  TimeMs NextDue() const { return next_due_; }
  const std::vector<std::string>& policy_errors() const { return policy_errors_; }
  // The signals of a scheme (event_id 0) or of an event within a scheme, now; nullopt when the
  // key has no posts in the live window.
  std::optional<Signals> Peek(int64_t scheme_id, int64_t event_id) const;

 private:
  struct SchemeInfo {
    rules::Scheme scheme;
    Policy policy;
  };
  struct KeyState {
    KeySeries series;
    std::unique_ptr<Baseline> baseline;  // schemes only
    TimeMs last_post = 0;
    bool restored = false;  // the live window was read back from the store
    TimeMs started = 0;     // the key's first post (events: the cascade's root time)
    int64_t posts = 0;      // posts seen for the key, including those trimmed from the series
    // The last forecast and when it was made (recomputed at most once per minute, or when the
    // posts grew by a tenth).
    forecast::Forecast forecast;
    TimeMs forecast_at = -1;
    int64_t forecast_posts = 0;
  };
  struct Active {  // cache of an unresolved alert
    int64_t id = 0;
    int severity = 0;
    std::string status;
    TimeMs last_fired = 0;
    bool fired_since_tick = false;
    TimeMs due = 0;  // the earliest time Tick has work on it (see NoteDue); 0: not known yet
  };
  using Key = std::pair<int64_t, int64_t>;  // (scheme, event)

  explicit Engine(store::Database& db, EngineOptions o) : db_(db), opts_(o) {}
  Status Init();
  // Keeps the event keys within opts_.max_event_keys (see EngineOptions).
  void EvictEventKeys();
  const Policy& PolicyFor(int64_t scheme_id) const;
  // The key's state; on first use in this process, its recent minutes come back from the store
  // so that separate processes (ingest, serve) and restarts continue the same windows.
  KeyState& State(const Key& k, TimeMs t);
  const forecast::Forecast& ForecastOf(KeyState& st, TimeMs t);
  Status Evaluate(const Key& k, KeyState& st, TimeMs t);
  // The alert a verdict of key k belongs to: the scheme's unresolved alert when there is one (a
  // scheme alert without an event adopts k's event), else k itself.
  Result<Key> AlertKeyFor(const Key& k);
  Status Fire(const Key& verdict_key, KeyState& st, const Verdict& v, TimeMs t);
  Status Notify(NoticeKind kind, const AlertRecord& a, TimeMs at);
  Status TickAlerts(TimeMs now);
  // Tick's work on one unresolved alert as read from the store (`cached`: the engine's view of it,
  // if any): resolve it when quiet, remind or escalate when due. Returns when it is next due, 0
  // when it was resolved.
  Result<TimeMs> TickAlert(AlertRecord& a, const Active* cached, TimeMs now);
  Status Persist();

  store::Database& db_;
  EngineOptions opts_;
  std::unique_ptr<store::AlertStore> alerts_;
  std::unique_ptr<store::SeriesStore> series_;
  std::unique_ptr<store::SchemeStore> schemes_store_;
  int64_t scheme_generation_ = -1;
  std::unordered_map<int64_t, SchemeInfo> schemes_;
  Policy default_policy_;
  std::vector<std::string> policy_errors_;
  std::map<Key, KeyState> keys_;
  std::map<Key, Active> active_;
  std::vector<AlertListener*> listeners_;
  TimeMs now_ = 0;
  TimeMs next_due_ = 0;  // see NextDue(); kept by Fire and TickAlerts
  TimeMs last_resync_ = 0;  // when TickAlerts last read every unresolved alert from the store
  size_t event_key_bytes_ = 0;  // see event_key_bytes()
  // The time Tick next has work on `a` (0 when resolved); lowers next_due_ to it.
  TimeMs NoteDue(const AlertRecord& a);
};

// Acknowledges alert `id` as `by` at `at` (status acked; history records who and when).
// NotFound when absent, Conflict when resolved. Listeners are told (kAcked) inside the
// transaction. Opens its own transaction.
Status AckAlert(store::Database& db, int64_t id, const std::string& by, TimeMs at, const std::string& note,
                const std::vector<AlertListener*>& listeners = {});
// Resolves alert `id` as `by` at `at` with a note. NotFound / Conflict (already resolved).
Status ResolveAlert(store::Database& db, int64_t id, const std::string& by, TimeMs at, const std::string& note,
                    const std::vector<AlertListener*>& listeners = {});

// Raises (or upgrades) an alert from outside the detector, e.g. an overdue commitment from
// incident/: one active alert per (scheme_id, event_id) still holds. Listeners are told inside
// the transaction. Returns the alert id. Opens its own transaction.
struct ManualAlert {
  int64_t scheme_id = 0;
  std::string scheme_name;
  int64_t event_id = 0;
  int severity = 1;
  std::string rule;
  std::string message;
  std::vector<std::string> departments;
  nlohmann::json numbers = nlohmann::json::object();
  nlohmann::json evidence = nlohmann::json::array();
  TimeMs deadline_after = 30 * kMinute;
};
Result<int64_t> RaiseAlert(store::Database& db, const ManualAlert& m, TimeMs at,
                           const std::vector<AlertListener*>& listeners = {});

}  // namespace yuqing::warning

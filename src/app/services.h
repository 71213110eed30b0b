// The composition root: builds yuqing's services for one data directory and hands them to the
// commands and the server by reference. No singletons: a test builds its own on a temp directory.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "forecast/model.h"
#include "store/database.h"
#include "text/normalizer.h"
#include "text/segmenter.h"
#include "text/segmenter_slot.h"

namespace yuqing::app {

// The machine's cores, at most 8 (the per-post stage scales; the store stage does not).
size_t DefaultWorkers();

class Services {
 public:
  // Creates data_dir when missing; the store is data_dir/yuqing.db.
  static Result<std::unique_ptr<Services>> Open(const std::string& data_dir);

  const std::string& data_dir() const { return data_dir_; }
  std::string db_path() const { return data_dir_ + "/yuqing.db"; }

  // Loaded on first use (the segmenter takes about half a second). Thread-safe.
  Result<std::shared_ptr<const text::Normalizer>> normalizer();
  // The current segmenter: the one in segmenter_slot() now.
  Result<std::shared_ptr<const text::Segmenter>> segmenter();
  // The segmenter built with the store's user dictionary, replaceable by ReloadSegmenter() while
  // the process runs (loaded on first use). Thread-safe.
  Result<std::shared_ptr<text::SegmenterSlot>> segmenter_slot();
  // Rebuilds the segmenter with the user dictionary as the store has it now and puts it in the
  // slot; returns its dictionary version (store::DictVersion). Does nothing when the slot holds
  // that version already. Reloads are serialised; readers are never blocked for the ~0.5 s a
  // build takes. On failure the slot keeps the previous segmenter.
  Result<std::string> ReloadSegmenter();
  // The fitted cascade model (models/cascade.json in the models directory), loaded on first use;
  // null when there is none (forecasts then use SEISMIC alone). A file that does not parse is an
  // error, not a silent fallback. Thread-safe.
  Result<std::shared_ptr<const forecast::CascadeModel>> cascade_model();

  // The calling thread's main connection (for commands, which are single-threaded). Threads of
  // their own open their own with OpenDatabase().
  store::Database& db() { return *db_; }
  // Closes the main connection (before a fast process exit).
  void CloseStore() { db_.reset(); }
  Result<std::unique_ptr<store::Database>> OpenDatabase() const;

  // Threads for the pipeline's per-post work (normalise, segment, analyse, match); the store
  // stage stays on one thread. Default: the machine's cores (at most 8). Results do not depend
  // on it: per-post work is a pure function of the post, and events are assigned in order.
  size_t workers() const { return workers_; }
  void set_workers(size_t n) { workers_ = n == 0 ? 1 : n; }

  // Where the dashboard is reachable ("http://host:port/"), for the links in pushes; "" when no
  // dashboard serves (ingest, replay). Set by `serve` before the pipeline starts.
  const std::string& dashboard_url() const { return dashboard_url_; }
  void set_dashboard_url(std::string url) { dashboard_url_ = std::move(url); }

  // Called whenever something of these services wrote outbox entries (the routers of
  // app/listeners.h): `serve` installs its dispatcher's Wake() while the dispatcher runs and
  // clears it (nullptr) before the dispatcher goes; without one, entries wait for the next poll
  // (`notify run`, a server's dispatcher). Thread-safe; `f` runs under a lock and must not block.
  void set_outbox_wake(std::function<void()> f);
  void WakeOutbox();

  // The wall clock unless a command (replay, drill) installs a stream clock.
  Clock& clock() { return *clock_; }
  void set_clock(std::shared_ptr<Clock> c) { clock_ = std::move(c); }

 private:
  Services() = default;
  std::string data_dir_;
  std::unique_ptr<store::Database> db_;
  std::shared_ptr<Clock> clock_;
  size_t workers_ = DefaultWorkers();
  std::string dashboard_url_;
  std::mutex wake_mu_;
  std::function<void()> outbox_wake_;  // guarded by wake_mu_
  std::mutex mu_;
  std::shared_ptr<const text::Normalizer> normalizer_;
  std::shared_ptr<text::SegmenterSlot> slot_;  // guarded by mu_ (its pointer; the slot locks itself)
  std::mutex reload_mu_;                         // one ReloadSegmenter at a time
  bool cascade_loaded_ = false;
  std::shared_ptr<const forecast::CascadeModel> cascade_model_;
};

}  // namespace yuqing::app

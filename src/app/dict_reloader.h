// Keeps a running process's segmentation and full-text index in step with the store's user
// dictionary (issue 18: "search and segmentation use it at once"). A background thread notices
// a change — at once after Notify() (the API changed it), else within poll_interval (the CLI
// changed it while `serve` runs) — swaps the services' segmenter (new posts and search queries
// use it from then on), and rebuilds the full-text index with store::RebuildFullTextIndex in
// small batches, so requests and ingest are not held up. Also rebuilds at start when the index
// was built with another dictionary (a rebuild interrupted by a restart), and after every swap
// (a rebuild by another process cannot cover the posts this one stored before it swapped).
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/services.h"
#include "core/status.h"
#include "core/time.h"

namespace yuqing::app {

struct DictStatus {
  std::string version;        // the dictionary segmentation uses now (store::DictVersion)
  std::string index_version;  // the dictionary the full-text index was last fully built with
  bool pending = false;       // a change was announced (Notify) and is not taken in yet
  bool rebuilding = false;    // a rebuild runs (in this process, or another's was seen running)
  int64_t done = 0;           // posts re-indexed by this process's rebuild so far
  int64_t total = 0;          // posts it has to re-index
  TimeMs started_at = 0;      // of the running or last rebuild (0: none yet)
  TimeMs finished_at = 0;     // of the last finished one (0: none)
  std::string error;          // why the last check or rebuild failed ("" when it did not)
  bool current() const { return !pending && !rebuilding && version == index_version; }
};

struct DictReloaderOptions {
  TimeMs poll_interval = 2 * kSecond;  // how soon a change made by another process is noticed
  size_t batch = 500;                  // posts per rebuild transaction
  int pause_ms = 2;                    // between batches at least (and as long as the batch took)
  // Called with true when the dictionary changes (search results will change as the index is
  // rebuilt), and with false once the index is current again: the server's search cache.
  std::function<void(bool rebuilding)> on_index_change;
};

class DictReloader {
 public:
  static Result<std::unique_ptr<DictReloader>> Start(Services& services, DictReloaderOptions opts);
  ~DictReloader();
  // Stops the thread; a rebuild in progress stops after its current batch (the next start
  // finishes it).
  void Stop();
  // The store's dictionary changed in this process: check now, and restart a running rebuild.
  void Notify();
  DictStatus status() const;

 private:
  DictReloader(Services& s, DictReloaderOptions o) : services_(s), opts_(std::move(o)) {}
  void Loop();
  Status Check();
  Status Rebuild(const std::string& version);
  bool Interrupted();  // stopping, or the dictionary changed again (consumes a Notify)
  void SetError(const Status& st);

  Services& services_;
  DictReloaderOptions opts_;
  std::unique_ptr<store::Database> db_;  // the thread's own connection (tokenizer on the slot)
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool notified_ = false;  // guarded by mu_
  DictStatus status_;      // guarded by mu_
  std::thread thread_;
};

}  // namespace yuqing::app

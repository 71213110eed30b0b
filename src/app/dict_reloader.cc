#include "app/dict_reloader.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "app/pipeline.h"
#include "store/user_dict_store.h"

namespace yuqing::app {

Result<std::unique_ptr<DictReloader>> DictReloader::Start(Services& services, DictReloaderOptions opts) {
  std::unique_ptr<DictReloader> r(new DictReloader(services, std::move(opts)));
  YQ_ASSIGN_OR_RETURN(r->db_, OpenStoreConnection(services));
  YQ_ASSIGN_OR_RETURN(auto dict, store::UserDictStore::Open(*r->db_));  // the tables, before any reader
  YQ_ASSIGN_OR_RETURN(auto slot, services.segmenter_slot());
  r->status_.version = slot->version();
  YQ_ASSIGN_OR_RETURN(r->status_.index_version, dict->IndexVersion());
  r->notified_ = r->status_.pending = true;  // the first check at once: an index left behind by a restart
  r->thread_ = std::thread([p = r.get()] { p->Loop(); });
  return r;
}

DictReloader::~DictReloader() { Stop(); }

void DictReloader::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DictReloader::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    notified_ = true;
    status_.pending = true;  // so that an answer right after a change does not say "current"
  }
  cv_.notify_all();
}

DictStatus DictReloader::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void DictReloader::SetError(const Status& st) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.error = st.ok() ? "" : st.message();
}

void DictReloader::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, std::chrono::milliseconds(opts_.poll_interval), [this] { return stopping_ || notified_; });
    if (stopping_) break;
    notified_ = false;
    lock.unlock();
    Status st = Check();
    if (!st.ok() && st.code() != Code::kUnavailable) spdlog::warn("user dictionary: {}", st.message());
    lock.lock();
    if (!notified_) status_.pending = false;
  }
}

// Compares the store's dictionary with the segmenter's and the index's, and brings both up to it.
Status DictReloader::Check() {
  YQ_ASSIGN_OR_RETURN(auto slot, services_.segmenter_slot());
  const std::string before = slot->version();
  auto reloaded = services_.ReloadSegmenter();  // a no-op when the store's version is loaded
  if (!reloaded.ok()) {
    SetError(reloaded.status());
    return reloaded.status();
  }
  YQ_ASSIGN_OR_RETURN(auto dict, store::UserDictStore::Open(*db_));
  YQ_ASSIGN_OR_RETURN(std::string index_version, dict->IndexVersion());
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.version = *reloaded;
    status_.index_version = index_version;
    status_.rebuilding = false;
  }
  const bool swapped = *reloaded != before;
  if (swapped) spdlog::info("user dictionary {} loaded", reloaded->empty() ? "(none)" : *reloaded);
  // After a swap the index is rebuilt even when it already has the new version: another process
  // (`yuqing dict add`) may have rebuilt it while this one still stored posts with the old
  // dictionary, which that rebuild left to this process.
  if (!swapped && index_version == *reloaded) return Status::Ok();
  if (opts_.on_index_change) opts_.on_index_change(true);
  Status st = Rebuild(*reloaded);
  SetError(st.code() == Code::kUnavailable ? Status::Ok() : st);
  if (st.ok() && opts_.on_index_change) opts_.on_index_change(false);
  return st;
}

Status DictReloader::Rebuild(const std::string& version) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_.rebuilding = true;
    status_.done = status_.total = 0;
    status_.started_at = services_.clock().Now();
  }
  spdlog::info("rebuilding the full-text index with user dictionary {}", version.empty() ? "(none)" : version);
  auto batch_start = std::chrono::steady_clock::now();
  Status st = store::RebuildFullTextIndex(*db_, version, opts_.batch, [&](int64_t done, int64_t total) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      status_.done = done;
      status_.total = total;
    }
    // The write lock stays free at least as long as the batch held it: SQLite's busy handler
    // retries with growing sleeps, and a writer retrying into short gaps would wait for the end.
    auto held = std::chrono::steady_clock::now() - batch_start;
    std::this_thread::sleep_for(std::max<std::chrono::steady_clock::duration>(held, std::chrono::milliseconds(opts_.pause_ms)));
    batch_start = std::chrono::steady_clock::now();
    return !Interrupted();
  });
  std::lock_guard<std::mutex> lock(mu_);
  if (st.ok()) {
    status_.index_version = version;
    status_.rebuilding = false;
    status_.finished_at = services_.clock().Now();
    spdlog::info("full-text index rebuilt: {} posts", status_.done);
  } else if (st.code() == Code::kConflict) {
    // Another process's rebuild started later and finishes the index; the next check sees it.
    status_.rebuilding = true;
  }  // Unavailable: stopping, or a newer change (notified_ still set) starts another check at once
  return st;
}

bool DictReloader::Interrupted() {
  std::lock_guard<std::mutex> lock(mu_);
  return stopping_ || notified_;
}

}  // namespace yuqing::app

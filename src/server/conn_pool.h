// Read/write connections for request handlers: each lease is one SQLite connection (tokenizer
// registered) with the stores opened on it, used by one handler at a time. The pool grows up to
// `max` connections and then makes callers wait. Its connections share one full-text match cache
// (store::SearchCache).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "app/services.h"
#include "core/status.h"
#include "store/alert_store.h"
#include "store/database.h"
#include "store/outbox_store.h"
#include "store/post_store.h"
#include "store/quarantine_store.h"
#include "store/scheme_store.h"
#include "store/series_store.h"
#include "store/source_store.h"
#include "store/user_store.h"

namespace yuqing::server {

struct Conn {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::PostStore> posts;
  std::unique_ptr<store::QuarantineStore> quarantine;
  std::unique_ptr<store::UserStore> users;
  std::unique_ptr<store::SchemeStore> schemes;
  std::unique_ptr<store::AlertStore> alerts;
  std::unique_ptr<store::OutboxStore> outbox;
  std::unique_ptr<store::SeriesStore> series;
  std::unique_ptr<store::SourceStore> sources;  // 数据源 (source_handlers.cc)
};

class ConnectionPool {
 public:
  ConnectionPool(app::Services& services, size_t max)
      : services_(services), max_(max), search_cache_(std::make_shared<store::SearchCache>()) {}
  ~ConnectionPool();

  class Lease {
   public:
    Lease() = default;
    Lease(ConnectionPool* pool, std::unique_ptr<Conn> c) : pool_(pool), conn_(std::move(c)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&& o) noexcept;
    ~Lease();
    Conn* operator->() { return conn_.get(); }
    Conn& operator*() { return *conn_; }
    explicit operator bool() const { return conn_ != nullptr; }

   private:
    ConnectionPool* pool_ = nullptr;
    std::unique_ptr<Conn> conn_;
  };

  // Unavailable when no connection frees up within `wait_ms`; Io when opening one fails.
  Result<Lease> Acquire(int wait_ms = 10000);
  // Opens one connection with every store (also used by the first-start setup).
  static Result<std::unique_ptr<Conn>> Open(app::Services& services,
                                            std::shared_ptr<store::SearchCache> search_cache = nullptr);
  // What the pooled connections' page caches held when last returned to the pool (/metrics).
  int64_t cache_bytes();
  const store::SearchCache& search_cache() const { return *search_cache_; }
  store::SearchCache& search_cache() { return *search_cache_; }

 private:
  void Release(std::unique_ptr<Conn> c);
  app::Services& services_;
  size_t max_;
  std::shared_ptr<store::SearchCache> search_cache_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;  // guarded by mu_
  size_t open_ = 0;                          // guarded by mu_
  std::unordered_map<const Conn*, int64_t> cache_bytes_;  // at their last release; guarded by mu_
};

}  // namespace yuqing::server

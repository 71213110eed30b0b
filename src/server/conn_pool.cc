#include "server/conn_pool.h"

#include <chrono>

#include "app/pipeline.h"

namespace yuqing::server {

ConnectionPool::~ConnectionPool() = default;

ConnectionPool::Lease& ConnectionPool::Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    if (pool_ && conn_) pool_->Release(std::move(conn_));
    pool_ = o.pool_;
    conn_ = std::move(o.conn_);
    o.pool_ = nullptr;
  }
  return *this;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ && conn_) pool_->Release(std::move(conn_));
}

Result<std::unique_ptr<Conn>> ConnectionPool::Open(app::Services& services,
                                                   std::shared_ptr<store::SearchCache> search_cache) {
  auto c = std::make_unique<Conn>();
  YQ_ASSIGN_OR_RETURN(c->db, app::OpenStoreConnection(services));
  // Each SQLite connection keeps its own page cache (64 MiB by default), and a pool of 32 grew
  // towards 2 GiB as the handlers touched pages (RSS rose for the whole of a 5-minute soak); at
  // 8 MiB each it was still 256 MiB of heap filling for half an hour (issue 22). Handlers read the
  // file through a memory map instead: its pages are the kernel's page cache, shared by every
  // connection and given back under pressure, not heap.
  YQ_RETURN_IF_ERROR(c->db->SetPageCacheKib(2048));
  YQ_RETURN_IF_ERROR(c->db->MapForReads(int64_t{1} << 30));
  YQ_ASSIGN_OR_RETURN(c->posts, store::PostStore::Open(*c->db, std::move(search_cache)));
  YQ_ASSIGN_OR_RETURN(c->quarantine, store::QuarantineStore::Open(*c->db));
  YQ_ASSIGN_OR_RETURN(c->users, store::UserStore::Open(*c->db));
  YQ_ASSIGN_OR_RETURN(c->schemes, store::SchemeStore::Open(*c->db));
  YQ_ASSIGN_OR_RETURN(c->alerts, store::AlertStore::Open(*c->db));
  YQ_ASSIGN_OR_RETURN(c->outbox, store::OutboxStore::Open(*c->db));
  YQ_ASSIGN_OR_RETURN(c->series, store::SeriesStore::Open(*c->db));
  YQ_ASSIGN_OR_RETURN(c->sources, store::SourceStore::Open(*c->db));
  return c;
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire(int wait_ms) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto ready = [&] { return !idle_.empty() || open_ < max_; };
    if (!cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), ready))
      return Status::Unavailable("all database connections are busy; try again");
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_;
  }
  auto c = Open(services_, search_cache_);
  if (!c.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    cv_.notify_one();
    return c.status();
  }
  return Lease(this, std::move(c).value());
}

int64_t ConnectionPool::cache_bytes() {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t sum = 0;
  for (const auto& [conn, bytes] : cache_bytes_) sum += bytes;
  return sum;
}

void ConnectionPool::Release(std::unique_ptr<Conn> c) {
  const int64_t cache = c->db->CacheBytes();
  {
    std::lock_guard<std::mutex> lock(mu_);
    cache_bytes_[c.get()] = cache;
    idle_.push_back(std::move(c));
  }
  cv_.notify_one();
}

}  // namespace yuqing::server

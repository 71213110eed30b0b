// Internal: what the handlers share, owned by one Server.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <semaphore>
#include <string>
#include <thread>
#include <unordered_map>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/dict_reloader.h"
#include "app/services.h"
#include "server/conn_pool.h"
#include "server/ingest_writer.h"
#include "server/metrics.h"
#include "server/server.h"
#include "server/stream.h"

namespace yuqing::server {

// A small time-bounded cache of JSON answers (overview, stats), keyed by request and scope.
// Single flight: when an entry is missing or expired, one caller computes it while concurrent
// callers for the same key get the previous (stale) answer, or wait for the first one when
// there is none yet, so a burst of dashboards costs one aggregate, not fifty.
class JsonCache {
 public:
  explicit JsonCache(size_t max_entries = 256) : max_(max_entries) {}
  Result<nlohmann::json> GetOrCompute(const std::string& key, TimeMs now, TimeMs ttl,
                                      const std::function<Result<nlohmann::json>()>& compute);

 private:
  struct Entry {
    TimeMs expires = 0;
    bool has_value = false;
    bool computing = false;
    nlohmann::json value;
  };
  size_t max_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<std::string, Entry> map_;  // guarded by mu_
};

struct State {
  State(app::Services& s, ServerOptions o, std::shared_ptr<const text::Normalizer> n)
      : services(s), opts(std::move(o)), norm(std::move(n)), pool(s, opts.db_connections),
        hub(norm, opts.max_stream_clients, opts.stream_queue) {}

  app::Services& services;
  ServerOptions opts;
  std::shared_ptr<const text::Normalizer> norm;
  ConnectionPool pool;
  StreamHub hub;
  Metrics metrics;
  std::unique_ptr<IngestWriter> ingest;
  std::unique_ptr<app::DictReloader> dict;  // user dictionary → segmenter and index (dict_handlers.cc)
  JsonCache cache;
  std::string web_dir;       // resolved; "" when there is no dashboard
  std::string echarts_file;  // resolved path of echarts.min.js, "" when missing
  std::string dummy_hash;    // verified against for unknown users (constant-time login)
  std::counting_semaphore<64> password_slots{4};  // argon2id needs 64 MiB each: bound them
  nlohmann::json openapi;

  httplib::Server http;
  std::thread listener;
  std::atomic<bool> stopped{false};
  int bound_port = 0;
  int listen_fd = -1;  // the listening socket, once bound (see Server::Start)
};

}  // namespace yuqing::server

// `yuqing serve`: the HTTP API, the live stream, the dashboard's static files and the ingest
// writer in one process. The Server owns all of its state (no globals), so a test can run
// several on temporary data directories.
//
//   auto srv = Server::Create(services, opts);   // opens the store, starts the writer
//   srv->EnsureAdmin();                          // first start: one-time admin password
//   srv->Start();                                // binds and serves in background threads
//   ...                                          // SIGTERM
//   srv->Stop();                                 // stops accepting, drains ingest, commits
#pragma once

#include <memory>
#include <string>

#include "app/pipeline.h"
#include "app/services.h"
#include "core/status.h"
#include "server/metrics.h"
#include "server/stream.h"

namespace yuqing::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                        // 0: any free port (see Server::port())
  std::string web_dir;                    // "": <source>/web
  size_t max_body_bytes = 8 * 1024 * 1024;  // larger requests get 413
  size_t threads = 128;                   // HTTP worker threads: one per open connection
  size_t max_stream_clients = 32;         // concurrent SSE streams (each holds a worker thread)
  size_t stream_queue = 1000;             // events buffered per stream client
  size_t db_connections = 32;             // pooled read/write connections for handlers
  TimeMs session_ttl = 12 * kHour;
  bool secure_cookies = false;            // add "Secure" to the session cookie (behind HTTPS)
  int login_max_failures = 5;             // per user name and client address ...
  TimeMs login_window = 15 * kMinute;     // ... within this window, then 429 until it passes
  int login_max_failures_per_address = 20;  // from one address whatever the names (spraying)
  TimeMs overview_cache_ttl = 5 * kSecond;
};

struct State;

class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(app::Services& services, ServerOptions opts);
  ~Server();  // Stop()s

  // When the store has no users: creates `admin` with a random password and returns it (shown
  // once); "" when users exist.
  Result<std::string> EnsureAdmin();

  // Binds host:port and serves in background threads. Unavailable when the address is taken.
  Status Start();
  int port() const;
  // Graceful: closes live streams, stops accepting, waits for running requests, then drains the
  // ingest queue and commits. Idempotent.
  void Stop();

  // Hooks for the stages that run inside serve (warning, notify): publish alerts to the live
  // stream and register gauges (outbox depth ...) on /metrics.
  StreamPublisher& publisher();
  Metrics& metrics();
  // Hands records to the ingest writer (the path POST /api/v1/posts takes) and waits for their
  // results, in input order: for in-process sources such as the source scheduler. Thread-safe.
  Result<std::vector<app::RecordResult>> Submit(std::vector<ingest::Item> inputs);

 private:
  explicit Server(std::unique_ptr<State> s);
  std::unique_ptr<State> state_;
};

}  // namespace yuqing::server

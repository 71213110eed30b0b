#include "server/server.h"

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <stdexcept>

#include "server/auth.h"
#include "server/handlers.h"
#include "server/http_error.h"
#include "server/routes.h"
#include "server/state.h"

namespace yuqing::server {

Result<nlohmann::json> JsonCache::GetOrCompute(const std::string& key, TimeMs now, TimeMs ttl,
                                               const std::function<Result<nlohmann::json>()>& compute) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto it = map_.find(key);
    if (it != map_.end()) {
      Entry& e = it->second;
      if (e.has_value && e.expires > now) return e.value;
      if (e.computing) {
        if (e.has_value) return e.value;  // stale by at most one computation
        cv_.wait_for(lock, std::chrono::seconds(30), [&] { return !map_[key].computing; });
        Entry& again = map_[key];
        if (again.has_value) return again.value;
      }
    }
    if (map_.size() >= max_) {
      // Bounded: drop entries nobody is computing (they live seconds anyway).
      for (auto jt = map_.begin(); jt != map_.end();) jt = jt->second.computing ? std::next(jt) : map_.erase(jt);
    }
    map_[key].computing = true;
  }
  Result<nlohmann::json> r = Status::Internal("not computed");
  try {
    r = compute();
  } catch (...) {
    r = Status::Internal("exception while computing " + key);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry& e = map_[key];
    e.computing = false;
    if (r.ok()) {
      e.value = *r;
      e.has_value = true;
      e.expires = now + ttl;
    }
  }
  cv_.notify_all();
  return r;
}

namespace {

bool HasNulByte(const httplib::Request& req) {
  if (req.path.find('\0') != std::string::npos) return true;
  for (const auto& [k, v] : req.params)
    if (k.find('\0') != std::string::npos || v.find('\0') != std::string::npos) return true;
  return false;
}

namespace fs = std::filesystem;

constexpr int kListenBacklog = 1024;  // waiting connections (capped by net.core.somaxconn)

std::string ResolveWebDir(const std::string& configured) {
  std::string dir = configured.empty() ? std::string(YUQING_SOURCE_DIR) + "/web" : configured;
  std::error_code ec;
  if (fs::exists(fs::path(dir) / "index.html", ec)) return fs::absolute(dir, ec).string();
  return "";
}

void Configure(State& s) {
  httplib::Server& http = s.http;
  size_t threads = s.opts.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(s.opts.max_body_bytes);
  http.set_tcp_nodelay(true);  // small JSON replies: without it, Nagle + delayed ACK add 40 ms
  // One worker thread serves one connection for as long as it is kept alive, so connections take
  // turns: after 1000 requests or 5 idle seconds a connection closes and queued ones get a thread.
  // Not fewer: reconnects are what overflowed Debian's libcpp-httplib's accept queue of 5 (SYN
  // retried after 1, 3, 7 s) at ~2,500 requests/s; Start() now also raises that backlog.
  http.set_keep_alive_max_count(1000);
  // cpp-httplib's default socket options set SO_REUSEPORT, which lets a second `yuqing serve` on
  // the same port bind too and silently take half the connections. SO_REUSEADDR only: a restart
  // can rebind while old connections linger in TIME_WAIT, a second server is refused. The socket
  // is kept to raise its backlog once listening (Start).
  http.set_socket_options([&s](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    s.listen_fd = sock;
  });
  http.set_keep_alive_timeout(5);
  http.set_read_timeout(30);
  http.set_write_timeout(30);

  // Refuse oversized bodies before reading them.
  size_t limit = s.opts.max_body_bytes;
  http.set_pre_routing_handler([limit](const httplib::Request& req, httplib::Response& res) {
    // A NUL byte decoded from %00 ends a C string early: "/index.html%00.js" served index.html as
    // JavaScript, and one in a search term reached SQLite. No path or parameter needs one.
    if (HasNulByte(req)) {
      HttpError e{400, CodeName(Code::kInvalid), "the request's path or parameters contain a NUL byte (%00)"};
      res.status = 400;
      res.set_content(ErrorBody(e).dump(), "application/json; charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.has_header("Content-Length")) {
      uint64_t n = 0;
      try {
        n = std::stoull(req.get_header_value("Content-Length"));
      } catch (...) {
        n = UINT64_MAX;  // unreadable length: refuse
      }
      if (n > limit) {
        HttpError e{413, CodeName(Code::kTooLarge),
                    "request body of " + std::to_string(n) + " bytes exceeds the limit of " + std::to_string(limit)};
        res.status = 413;
        res.set_header("Connection", "close");
        res.set_content(ErrorBody(e).dump(), "application/json; charset=utf-8");
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Errors the library produces itself (unknown route, body over the limit while chunked ...).
  http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    HttpError e{res.status, CodeForHttpStatus(res.status),
                res.status == 404 ? "no route " + req.method + " " + req.path.substr(0, 200) : "HTTP " + std::to_string(res.status)};
    res.set_content(ErrorBody(e).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                    "application/json; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("{} {}: exception: {}", req.method, req.path.substr(0, 200), what);
    res.status = 500;
    res.set_content(ErrorBody(FromStatus(Status::Internal(what))).dump(), "application/json; charset=utf-8");
  });
  http.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Content-Type-Options", "nosniff");
    // A handler may set a stricter policy of its own (a report page: sandboxed, framed by the dashboard).
    if (!res.has_header("X-Frame-Options")) res.set_header("X-Frame-Options", "DENY");
    res.set_header("Referrer-Policy", "no-referrer");
    if (!res.has_header("Content-Security-Policy"))
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                     "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  });
  if (!s.web_dir.empty()) {
    http.set_mount_point("/", s.web_dir);
    http.set_file_extension_and_mimetype_mapping("mjs", "text/javascript");
    http.set_file_extension_and_mimetype_mapping("svg", "image/svg+xml");
    http.set_file_extension_and_mimetype_mapping("json", "application/json");
  }
  RegisterRoutes(s);
}

}  // namespace

Server::Server(std::unique_ptr<State> s) : state_(std::move(s)) {}

Server::~Server() { Stop(); }

Result<std::unique_ptr<Server>> Server::Create(app::Services& services, ServerOptions opts) {
  YQ_ASSIGN_OR_RETURN(auto norm, services.normalizer());
  auto s = std::make_unique<State>(services, std::move(opts), norm);
  s->web_dir = ResolveWebDir(s->opts.web_dir);
  if (!s->web_dir.empty()) {
    std::error_code ec;
    std::string e = s->web_dir + "/node_modules/echarts/dist/echarts.min.js";
    if (fs::exists(e, ec)) s->echarts_file = e;
  }
  {
    // Creates or migrates every table the handlers use before the first request.
    YQ_ASSIGN_OR_RETURN(auto lease, s->pool.Acquire());
    (void)lease;
  }
  YQ_ASSIGN_OR_RETURN(s->dummy_hash, HashPassword(RandomPassword()));
  YQ_ASSIGN_OR_RETURN(s->ingest, IngestWriter::Start(services, IngestOptions{}, &s->hub, &s->metrics));
  app::DictReloaderOptions dict_opts;
  dict_opts.on_index_change = [st = s.get()](bool rebuilding) { st->pool.search_cache().Forget(rebuilding); };
  YQ_ASSIGN_OR_RETURN(s->dict, app::DictReloader::Start(services, std::move(dict_opts)));
  s->openapi = BuildOpenApi(Routes());
  State* st = s.get();
  s->metrics.AddGauge("yuqing_ingest_queue_records", "Records waiting for the ingest writer.",
                      [st] { return static_cast<double>(st->ingest ? st->ingest->queued_records() : 0); });
  // What the ingest writer's pipeline holds in memory (entries, each bounded by an option).
  s->metrics.AddGauge("yuqing_warning_keys", "Scheme and event series held by the warning engine.",
                      [st] { return static_cast<double>(st->ingest ? st->ingest->held().warning_keys : 0); });
  s->metrics.AddGauge("yuqing_warning_key_bytes", "Heap bytes of the warning engine's event keys (bounded).",
                      [st] { return static_cast<double>(st->ingest ? st->ingest->held().warning_key_bytes : 0); });
  s->metrics.AddGauge("yuqing_warning_unresolved_alerts", "Unresolved alerts cached by the warning engine.",
                      [st] { return static_cast<double>(st->ingest ? st->ingest->held().unresolved_alerts : 0); });
  s->metrics.AddGauge("yuqing_events_live", "Events the event tracker holds in memory.",
                      [st] { return static_cast<double>(st->ingest ? st->ingest->held().live_events : 0); });
  s->metrics.AddGauge("yuqing_events_live_bytes", "Estimated bytes of the events the tracker holds (bounded).",
                      [st] { return static_cast<double>(st->ingest ? st->ingest->held().live_event_bytes : 0); });
  s->metrics.AddGauge("yuqing_store_cache_writer_bytes", "Page cache of the ingest writer's store connection.",
                      [st] { return static_cast<double>(st->ingest ? st->ingest->held().store_cache_bytes : 0); });
  s->metrics.AddGauge("yuqing_store_cache_readers_bytes", "Page caches of the pooled store connections.",
                      [st] { return static_cast<double>(st->pool.cache_bytes()); });
  s->metrics.AddGauge("yuqing_search_cache_matches", "Post references held by the search cache.",
                      [st] { return static_cast<double>(st->pool.search_cache().counters().matches); });
  s->metrics.AddGauge("yuqing_stream_clients", "Connected live-stream clients.",
                      [st] { return static_cast<double>(st->hub.subscribers()); });
  s->metrics.AddGauge("yuqing_outbox_depth", "Outbox entries not yet delivered (pending or sending).", [st] {
    auto lease = st->pool.Acquire(1000);
    if (!lease.ok()) throw std::runtime_error("busy");
    auto n = (*lease)->outbox->CountByStatus();
    if (!n.ok()) throw std::runtime_error(n.status().message());
    return static_cast<double>(n->pending + n->sending);
  });
  s->metrics.AddGauge("yuqing_alerts_active", "Alerts open or acknowledged, not resolved.", [st] {
    auto lease = st->pool.Acquire(1000);
    if (!lease.ok()) throw std::runtime_error("busy");
    auto n = (*lease)->alerts->CountActive();
    if (!n.ok()) throw std::runtime_error(n.status().message());
    return static_cast<double>(*n);
  });
  Configure(*s);
  return std::unique_ptr<Server>(new Server(std::move(s)));
}

Result<std::string> Server::EnsureAdmin() { return EnsureAdminUser(*state_); }

Status Server::Start() {
  State& s = *state_;
  if (s.opts.port == 0) {
    s.bound_port = s.http.bind_to_any_port(s.opts.host);
    if (s.bound_port <= 0) return Status::Unavailable("cannot bind " + s.opts.host);
  } else {
    if (!s.http.bind_to_port(s.opts.host, s.opts.port))
      return Status::Unavailable("cannot listen on " + s.opts.host + ":" + std::to_string(s.opts.port) +
                                 " (in use, or not an address of this machine)");
    s.bound_port = s.opts.port;
  }
  // Debian's libcpp-httplib listens with a backlog of 5, so a burst of new connections
  // overflows the accept queue and clients wait for a SYN retry (1, 3, 7 s). listen() again on
  // the listening socket only changes its backlog (the kernel caps it at net.core.somaxconn).
  if (s.listen_fd >= 0 && ::listen(s.listen_fd, kListenBacklog) != 0) {
    spdlog::warn("cannot raise the listen backlog: {}", std::strerror(errno));
  }
  s.listener = std::thread([&s] {
    if (!s.http.listen_after_bind()) spdlog::debug("listener stopped");
  });
  // cpp-httplib 0.11 ignores stop() until the accept loop runs (no wait_until_ready yet), so a
  // Stop() right after Start() would hang: return only once it is accepting.
  for (int i = 0; i < 5000 && !s.http.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!s.http.is_running()) return Status::Unavailable("the HTTP listener did not start");
  spdlog::info("listening on http://{}:{}/ (dashboard: {})", s.opts.host, s.bound_port,
               s.web_dir.empty() ? "not installed" : s.web_dir);
  return Status::Ok();
}

int Server::port() const { return state_->bound_port; }

void Server::Stop() {
  State& s = *state_;
  if (s.stopped.exchange(true)) return;
  s.hub.Close();  // ends live streams, which hold worker threads
  s.http.stop();
  if (s.listener.joinable()) s.listener.join();  // waits for running requests
  if (s.dict) s.dict->Stop();                    // a rebuild stops after its batch; the next start finishes it
  if (s.ingest) s.ingest->Stop();                // drains the queue and commits
}

StreamPublisher& Server::publisher() { return state_->hub; }
Metrics& Server::metrics() { return state_->metrics; }
Result<std::vector<app::RecordResult>> Server::Submit(std::vector<ingest::Item> inputs) {
  if (!state_->ingest) return Status::Unavailable("the ingest writer is not running");
  return state_->ingest->Submit(std::move(inputs));
}

}  // namespace yuqing::server

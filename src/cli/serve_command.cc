// yuqing serve [--listen HOST:PORT] [--web DIR]: pipeline, API and dashboard in one process.
#include <pthread.h>
#include <signal.h>

#include <iostream>

#ifdef YUQING_HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

#include "app/listeners.h"
#include "app/source_scheduler.h"
#include "cli/context.h"
#include "incident/response.h"
#include "notify/dispatcher.h"
#include "server/server.h"
#include "report/schedule.h"

namespace yuqing::cli {
namespace {

// The allocator's own figures on /metrics: heap bytes in live allocations against bytes resident,
// so that growing RSS can be told apart as held memory or allocator retention.
void AddHeapGauges(server::Server& srv) {
#ifdef YUQING_HAVE_JEMALLOC
  auto read = [](const char* name) {
    uint64_t epoch = 1;
    size_t len = sizeof(epoch);
    mallctl("epoch", &epoch, &len, &epoch, len);  // refreshes the statistics
    size_t v = 0;
    len = sizeof(v);
    return mallctl(name, &v, &len, nullptr, 0) == 0 ? static_cast<double>(v) : 0.0;
  };
  srv.metrics().AddGauge("yuqing_heap_allocated_bytes", "Bytes in live heap allocations (jemalloc stats.allocated).",
                         [read] { return read("stats.allocated"); });
  srv.metrics().AddGauge("yuqing_heap_resident_bytes", "Heap bytes resident in memory (jemalloc stats.resident).",
                         [read] { return read("stats.resident"); });
#else
  (void)srv;
#endif
}

struct ServeOpts {
  std::string listen = "127.0.0.1:8080";
  std::string web;
  size_t threads = 128;
  bool secure_cookies = false;
  std::string public_url;  // where users reach the dashboard (for links in pushes)
};

Status ParseListen(const std::string& s, server::ServerOptions& o) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) return Status::Invalid("--listen must be HOST:PORT, e.g. 127.0.0.1:8080");
  std::string host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  o.host = host.empty() ? "127.0.0.1" : host;
  try {
    size_t used = 0;
    int port = std::stoi(s.substr(colon + 1), &used);
    if (used != s.size() - colon - 1 || port < 0 || port > 65535) throw std::out_of_range("port");
    o.port = port;
  } catch (...) {
    return Status::Invalid("bad port in --listen '" + s + "'");
  }
  return Status::Ok();
}

Status Run(Context& ctx, const ServeOpts& o) {
  server::ServerOptions so;
  YQ_RETURN_IF_ERROR(ParseListen(o.listen, so));
  so.web_dir = o.web;
  so.threads = std::max<size_t>(8, o.threads);
  so.secure_cookies = o.secure_cookies;

  // SIGTERM/SIGINT are taken synchronously by this thread (sigwait below); blocking them before
  // any thread starts makes every thread inherit the mask.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto* s = ctx.services();
  if (!s) return Status::Io(ctx.T("无法打开数据目录", "no data directory"));
  s->set_dashboard_url(o.public_url.empty() ? "http://" + o.listen + "/" : o.public_url);
  YQ_ASSIGN_OR_RETURN(auto srv, server::Server::Create(*s, so));
  YQ_ASSIGN_OR_RETURN(std::string password, srv->EnsureAdmin());
  if (!password.empty()) {
    std::cout << ctx.T("首次启动：已创建管理员 admin，一次性密码：", "first start: created user admin, one-time password: ")
              << password << "\n"
              << ctx.T("请登录后立即修改，或在命令行设置：yuqing user passwd admin --password-stdin --no-change-required",
                       "change it now: yuqing user passwd admin --password-stdin --no-change-required")
              << std::endl;
  }
  // The warning engine runs inside the server's ingest writer (its alerts reach the live stream
  // through srv->publisher()); the notify dispatcher delivers the outbox it fills.
  auto dispatcher = notify::Dispatcher::Create([s] { return s->OpenDatabase(); }, s->clock());
  if (!dispatcher.ok()) return dispatcher.status();
  YQ_RETURN_IF_ERROR((*dispatcher)->Start());
  // Whatever writes the outbox through the services' routers (app/listeners.h: the ingest
  // writer's alerts, API acknowledgements and incident changes, the sweeper, the scheduler's
  // silence alerts) wakes the dispatcher; the wake-up is cleared before the dispatcher goes.
  s->set_outbox_wake([d = dispatcher->get()] { d->Wake(); });
  struct ClearWake {
    app::Services* s;
    ~ClearWake() { s->set_outbox_wake(nullptr); }
  } clear_wake{s};
  // Crisis response: overdue tasks and commitments are swept periodically (incident/response.h).
  auto sweeper = incident::Sweeper::Start([s] { return s->OpenDatabase(); }, s->clock(), app::ResponseOptionsFor(*s));
  // Scheduled reports (yuqing report schedule): each period's brief once, through the outbox.
  auto report_runner = report::ScheduleRunner::Start([s] { return s->OpenDatabase(); }, s->clock(), s->dashboard_url(),
                                                     s->data_dir() + "/reports", [s] { s->WakeOutbox(); });
  srv->metrics().AddGauge("yuqing_notify_delivered", "Outbox entries delivered by this process.",
                          [d = dispatcher->get()] { return static_cast<double>(d->stats().delivered); });
  srv->metrics().AddGauge("yuqing_notify_failed_attempts", "Failed delivery attempts (retried) by this process.",
                          [d = dispatcher->get()] { return static_cast<double>(d->stats().failed); });
  AddHeapGauges(*srv);
  if (Status st = srv->Start(); !st.ok()) {
    (*dispatcher)->Stop();
    return st;
  }
  // Data sources (数据源) are fetched on their schedule into the same ingest writer.
  app::SchedulerOptions sched_opts;
  auto scheduler = app::SourceScheduler::Start(
      *s, [srv = srv.get()](std::vector<ingest::Item>& in) { return srv->Submit(std::move(in)); }, sched_opts);
  if (!scheduler.ok()) {
    srv->Stop();
    (*dispatcher)->Stop();
    return scheduler.status();
  }
  std::cout << "yuqing serve: http://" << (so.host.find(':') != std::string::npos ? "[" + so.host + "]" : so.host)
            << ":" << srv->port() << "/" << std::endl;
  int sig = 0;
  sigwait(&sigs, &sig);
  std::cout << ctx.T("正在停止（写完队列中的帖子）…", "stopping (draining the ingest queue) ...") << std::endl;
  (*scheduler)->Stop();    // finishes the fetch in progress (its records reach the writer)
  srv->Stop();             // drains the ingest queue (alerts and outbox rows commit with it)
  (*dispatcher)->Stop();   // then finishes the deliveries in flight; the rest wait in the outbox
  std::cout << ctx.T("已停止", "stopped") << std::endl;
  return Status::Ok();
}

}  // namespace

void RegisterServeCommand(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<ServeOpts>();
  auto* cmd = app.add_subcommand("serve", ctx.T("服务：运行处理流水线、HTTP API 和看板", "run the pipeline, the HTTP API and the dashboard"));
  cmd->add_option("--listen", o->listen, ctx.T("监听地址（HOST:PORT）", "address to listen on (HOST:PORT)"))->capture_default_str();
  cmd->add_option("--web", o->web, ctx.T("看板文件目录（默认：源码树的 web/）", "dashboard directory (default: the source tree's web/)"));
  cmd->add_option("--threads", o->threads, ctx.T("HTTP 工作线程数", "HTTP worker threads"))->capture_default_str()->check(CLI::Range(8, 1024));
  cmd->add_flag("--secure-cookies", o->secure_cookies, ctx.T("会话 Cookie 加 Secure 标记（经 HTTPS 提供服务时）", "mark the session cookie Secure (when served over HTTPS)"));
  cmd->add_option("--public-url", o->public_url,
                  ctx.T("用户访问看板的地址，用于推送中的链接（默认 http://LISTEN/）", "the dashboard's address as users reach it, for links in pushes (default http://LISTEN/)"));
  cmd->callback([&ctx, o] {
    Status st = Run(ctx, *o);
    if (!st.ok()) ctx.Fail(st);
  });
}

}  // namespace yuqing::cli

#include "server/metrics.h"

#include <fmt/format.h>

namespace yuqing::server {

void Metrics::CountIngest(int64_t stored, int64_t duplicates, int64_t quarantined) {
  stored_.fetch_add(stored, std::memory_order_relaxed);
  duplicates_.fetch_add(duplicates, std::memory_order_relaxed);
  quarantined_.fetch_add(quarantined, std::memory_order_relaxed);
}

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
  ++status_counts_[std::to_string(status)];
}

void Metrics::AddGauge(const std::string& name, const std::string& help, std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  gauges_[name] = {help, std::move(read)};
}

std::string Metrics::Render() const {
  std::string out;
  auto counter = [&](const char* name, const char* help, int64_t v) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} counter\n{0} {2}\n", name, help, v);
  };
  counter("yuqing_posts_ingested_total", "Posts stored by this server process.", stored_.load());
  counter("yuqing_posts_duplicate_total", "Posts received that were already stored.", duplicates_.load());
  counter("yuqing_posts_quarantined_total", "Records quarantined by this server process.", quarantined_.load());
  counter("yuqing_alerts_total", "Alerts published to the live stream by this process.", alerts_.load());
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, g] : gauges_) {
    double v = 0;
    try {
      v = g.read();
    } catch (...) {
      continue;  // a failing gauge is left out rather than failing the scrape
    }
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", name, g.help, v);
  }
  out += "# HELP yuqing_http_responses_total HTTP responses by status.\n# TYPE yuqing_http_responses_total counter\n";
  for (const auto& [status, n] : status_counts_)
    out += fmt::format("yuqing_http_responses_total{{status=\"{}\"}} {}\n", status, n);
  out += "# HELP yuqing_http_request_duration_seconds Request latency by route.\n"
         "# TYPE yuqing_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    const auto& [method, route] = key;
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out += fmt::format("yuqing_http_request_duration_seconds_bucket{{method=\"{}\",route=\"{}\",le=\"{}\"}} {}\n",
                         method, route, kBuckets[i], h.counts[i]);
    out += fmt::format("yuqing_http_request_duration_seconds_bucket{{method=\"{}\",route=\"{}\",le=\"+Inf\"}} {}\n",
                       method, route, h.count);
    out += fmt::format("yuqing_http_request_duration_seconds_sum{{method=\"{}\",route=\"{}\"}} {}\n", method, route, h.sum);
    out += fmt::format("yuqing_http_request_duration_seconds_count{{method=\"{}\",route=\"{}\"}} {}\n", method, route, h.count);
  }
  return out;
}

}  // namespace yuqing::server

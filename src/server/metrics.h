// Prometheus text-format metrics owned by the server (no global registry): ingest counters,
// request latency histograms per route, and gauges other stages register (alerts, outbox depth).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace yuqing::server {

class Metrics {
 public:
  // Latency bucket upper bounds in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   5};

  void CountIngest(int64_t stored, int64_t duplicates, int64_t quarantined);
  void CountAlert() { alerts_.fetch_add(1, std::memory_order_relaxed); }
  // `route` is the route template (bounded set), never the raw path.
  void ObserveRequest(const std::string& method, const std::string& route, int status, double seconds);
  // A gauge read at scrape time; the callback must be thread-safe and quick. Registering a name
  // twice replaces the callback.
  void AddGauge(const std::string& name, const std::string& help, std::function<double()> read);

  int64_t ingested() const { return stored_.load(std::memory_order_relaxed); }

  // The whole exposition, in Prometheus text format 0.0.4.
  std::string Render() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  std::atomic<int64_t> stored_{0}, duplicates_{0}, quarantined_{0}, alerts_{0};
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;  // guarded by mu_
  std::map<std::string, uint64_t> status_counts_;                      // guarded by mu_ ("200", ...)
  struct Gauge {
    std::string help;
    std::function<double()> read;
  };
  std::map<std::string, Gauge> gauges_;  // guarded by mu_
};

}  // namespace yuqing::server

// Metrics: counters and latency histograms of every RPC by method and
// status code, and gauges read at scrape time (log head, projection lag,
// cache sizes, backup age), rendered in Prometheus' text format and served
// on their own HTTP port (cpp-httplib) by MetricsEndpoint.
//
// Thread-safety: Metrics is safe for concurrent use; RecordRpc takes one
// short mutex. MetricsEndpoint serves from its own thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace httplib {
class Server;
}

namespace renkei::server {

class Metrics {
 public:
  Metrics();

  // One finished RPC: "/renkei.v1.CaseService/OpenCase", its gRPC status
  // code name ("OK", "PERMISSION_DENIED", ...) and how long it took.
  void RecordRpc(const std::string& method, const std::string& code,
                 absl::Duration latency);

  // A value computed when scraped, e.g. the projection lag. `type` is
  // "gauge" or "counter"; `labels` (e.g. `aggregate="case"`) tell series
  // of one name apart (its help and type given once, by the first).
  void AddGauge(std::string name, std::string help,
                std::function<double()> value, std::string type = "gauge",
                std::string labels = "");

  // The exposition text (Prometheus 0.0.4).
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative at render, counts here
    uint64_t count = 0;
    double sum_seconds = 0;
  };
  struct Gauge {
    std::string name, help, type, labels;
    std::function<double()> value;
  };
  const std::vector<double> bounds_;  // bucket upper bounds, seconds
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t> calls_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, Histogram> latency_ ABSL_GUARDED_BY(mu_);
  std::vector<Gauge> gauges_ ABSL_GUARDED_BY(mu_);
};

// Serves GET /metrics with `metrics`'s text on `listen` (HOST:PORT, port 0:
// any free one).
class MetricsEndpoint {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& host, int port, const Metrics* metrics);
  ~MetricsEndpoint();
  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace renkei::server

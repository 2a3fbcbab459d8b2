#include "services/server/metrics.h"

#include <httplib.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/server/errors.h"

namespace renkei::server {

Metrics::Metrics()
    : bounds_({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
               1, 2.5, 5, 10}) {}

void Metrics::RecordRpc(const std::string& method, const std::string& code,
                        absl::Duration latency) {
  const double seconds = absl::ToDoubleSeconds(latency);
  absl::MutexLock lock(&mu_);
  ++calls_[{method, code}];
  Histogram& h = latency_[method];
  if (h.buckets.empty()) h.buckets.assign(bounds_.size(), 0);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (seconds <= bounds_[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum_seconds += seconds;
}

void Metrics::AddGauge(std::string name, std::string help,
                       std::function<double()> value, std::string type,
                       std::string labels) {
  absl::MutexLock lock(&mu_);
  gauges_.push_back({std::move(name), std::move(help), std::move(type),
                     std::move(labels), std::move(value)});
}

std::string Metrics::Render() const {
  std::vector<Gauge> gauges;
  std::string out;
  {
    absl::MutexLock lock(&mu_);
    gauges = gauges_;
    absl::StrAppend(&out,
                    "# HELP renkei_rpc_total RPCs finished, by method and "
                    "status code.\n# TYPE renkei_rpc_total counter\n");
    for (const auto& [key, n] : calls_) {
      absl::StrAppend(&out, "renkei_rpc_total{method=\"", key.first,
                      "\",code=\"", key.second, "\"} ", n, "\n");
    }
    absl::StrAppend(&out,
                    "# HELP renkei_rpc_seconds RPC latency, by method.\n"
                    "# TYPE renkei_rpc_seconds histogram\n");
    for (const auto& [method, h] : latency_) {
      uint64_t cumulative = 0;
      for (size_t i = 0; i < bounds_.size(); ++i) {
        cumulative += h.buckets[i];
        absl::StrAppend(&out, "renkei_rpc_seconds_bucket{method=\"", method,
                        "\",le=\"", absl::StrFormat("%g", bounds_[i]), "\"} ",
                        cumulative, "\n");
      }
      absl::StrAppend(
          &out, "renkei_rpc_seconds_bucket{method=\"", method,
          "\",le=\"+Inf\"} ", h.count, "\n", "renkei_rpc_seconds_sum{method=\"",
          method, "\"} ", absl::StrFormat("%.6f", h.sum_seconds), "\n",
          "renkei_rpc_seconds_count{method=\"", method, "\"} ", h.count, "\n");
    }
  }
  // Gauges are read outside the lock: they may take others.
  std::string described;
  for (const Gauge& g : gauges) {
    if (g.name != described) {
      absl::StrAppend(&out, "# HELP ", g.name, " ", g.help, "\n# TYPE ", g.name,
                      " ", g.type, "\n");
      described = g.name;
    }
    absl::StrAppend(&out, g.name, g.labels.empty() ? "" : "{", g.labels,
                    g.labels.empty() ? "" : "}", " ",
                    absl::StrFormat("%.17g", g.value()), "\n");
  }
  return out;
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& host, int port, const Metrics* metrics) {
  std::unique_ptr<MetricsEndpoint> endpoint(new MetricsEndpoint());
  endpoint->http_ = std::make_unique<httplib::Server>();
  endpoint->http_->Get(
      "/metrics", [metrics](const httplib::Request&, httplib::Response& res) {
        res.set_content(metrics->Render(), "text/plain; version=0.0.4");
      });
  endpoint->port_ =
      port == 0 ? endpoint->http_->bind_to_any_port(host)
                : (endpoint->http_->bind_to_port(host, port) ? port : -1);
  if (endpoint->port_ <= 0) {
    return errors::CannotServeMetrics(host, port);
  }
  httplib::Server* http = endpoint->http_.get();
  endpoint->thread_ = std::thread([http] { http->listen_after_bind(); });
  return endpoint;
}

MetricsEndpoint::~MetricsEndpoint() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace renkei::server

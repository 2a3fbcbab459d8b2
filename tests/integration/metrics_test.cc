// The metrics endpoint after known traffic: counts by method and code,
// latency histograms, the log head and projection lag, sessions, and never
// any case content.
#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "services/server/health_probe.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

class MetricsTest : public ServerFixture {
 protected:
  MetricsTest() { metrics_listen_ = "127.0.0.1:0"; }

  std::string Scrape() {
    httplib::Client client("127.0.0.1", server_->metrics_port());
    auto res = client.Get("/metrics");
    EXPECT_TRUE(res) << "no answer from the metrics port";
    if (!res) return "";
    EXPECT_EQ(res->status, 200);
    return res->body;
  }

  // The value of the sample line that starts with `series` ("" if none).
  static double Value(const std::string& text, const std::string& series) {
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      if (!absl::StartsWith(line, series + " ")) continue;
      double v = 0;
      EXPECT_TRUE(absl::SimpleAtod(line.substr(series.size() + 1), &v));
      return v;
    }
    return -1;
  }
};

TEST_F(MetricsTest, AScrapeCountsKnownTraffic) {
  ASSERT_GT(server_->metrics_port(), 0);
  v1::ListAgenciesResponse agencies;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Call(directory_.get(),
                     &v1::DirectoryService::Stub::ListAgencies, "cw",
                     v1::ListAgenciesRequest(), &agencies)
                    .ok());
  }
  // Two refusals: an administrator reading a case, and an unknown case.
  v1::GetCaseSummaryRequest summary;
  summary.set_case_id("c-none");
  v1::CaseSummary out;
  EXPECT_EQ(Call(cases_.get(), &v1::CaseService::Stub::GetCaseSummary, "admin",
                 summary, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  OpenRegisteredHousehold("c-metrics");
  const std::string text = Scrape();
  EXPECT_EQ(Value(text,
                  "renkei_rpc_total{method=\"/renkei.v1.DirectoryService/"
                  "ListAgencies\",code=\"OK\"}"),
            3);
  EXPECT_EQ(Value(text,
                  "renkei_rpc_total{method=\"/renkei.v1.CaseService/"
                  "GetCaseSummary\",code=\"PERMISSION_DENIED\"}"),
            1);
  EXPECT_EQ(Value(text,
                  "renkei_rpc_total{method=\"/renkei.v1.CaseService/"
                  "AddSubject\",code=\"OK\"}"),
            2);
  EXPECT_EQ(
      Value(text,
            "renkei_rpc_seconds_count{method=\"/renkei.v1.DirectoryService/"
            "ListAgencies\"}"),
      3);
  EXPECT_EQ(
      Value(text,
            "renkei_rpc_seconds_bucket{method=\"/renkei.v1.DirectoryService/"
            "ListAgencies\",le=\"+Inf\"}"),
      3);
  EXPECT_EQ(Value(text, "renkei_log_head_position"),
            static_cast<double>(server_->log().Head()));
  EXPECT_GE(Value(text, "renkei_projection_lag_events"), 0);
  EXPECT_EQ(Value(text, "renkei_seconds_since_backup"), -1);
  // The group commit: every event this server appended is counted, in at
  // least one synced write.
  const double events = Value(text, "renkei_appended_events_total");
  EXPECT_GE(events, 6);  // the household: open, 2 subjects, 2 agencies, ...
  EXPECT_GE(Value(text, "renkei_append_batches_total"), 1);
  EXPECT_LE(Value(text, "renkei_append_batches_total"),
            Value(text, "renkei_append_requests_total"));
  EXPECT_GT(Value(text, "renkei_append_write_seconds_total"), 0);
  EXPECT_EQ(Value(text, "renkei_subscriptions"), 1);  // the projector's
  // Every command loads the directory: most loads come from the cache.
  EXPECT_GT(
      Value(text, "renkei_aggregate_cache_hits_total{aggregate=\"directory\"}"),
      Value(text,
            "renkei_aggregate_cache_misses_total{aggregate=\"directory\"}"));
  // The case's commands moved its cached state on by their own events.
  EXPECT_GE(
      Value(text, "renkei_aggregate_cache_advances_total{aggregate=\"case\"}"),
      2);
  // Names of the household and free text never appear.
  EXPECT_EQ(text.find("mother"), std::string::npos);
  EXPECT_EQ(text.find("household"), std::string::npos);
  EXPECT_EQ(text.find("c-metrics"), std::string::npos);
}

}  // namespace
}  // namespace renkei::testing

namespace renkei::testing {
namespace {

TEST_F(MetricsTest, LivenessAndReadinessAreSeparateHealthServices) {
  // Through the same client `renkei-server probe` uses.
  auto probe = [this](const std::string& service) {
    return server::Probe({.target = absl::StrCat("127.0.0.1:", server_->port()),
                          .ca_file = "",
                          .service = service,
                          .timeout = absl::Seconds(5)});
  };
  EXPECT_TRUE(probe("").ok());
  EXPECT_TRUE(probe("renkei.ready").ok());
  EXPECT_FALSE(probe("no.such.service").ok());  // NOT_FOUND
}

}  // namespace
}  // namespace renkei::testing

// Queries run off gRPC's callback threads: queries that wait (here for read
// models that do not advance) do not hold up other calls.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Case = v1::CaseService::Stub;

class QueryDispatchTest : public ServerFixture {
 protected:
  void Ok(const grpc::Status& s) { ASSERT_TRUE(s.ok()) << s.error_message(); }

  void OpenCase(const std::string& case_id) {
    v1::CommandReply reply;
    Ok(Call(cases_.get(), &Case::OpenCase, "cw",
            Cmd<v1::OpenCaseRequest>(case_id, R"pb(
              kind: CASE_KIND_HOUSEHOLD
              title: "household"
              intake {
                noticed_by_agency_id: "nursery"
                observation: "lateness"
                relays { agency_id: "nursery" staff_id: "teacher" }
                relays { agency_id: "city-pa" staff_id: "cw" }
              }
              frameworks: FRAMEWORK_YOTAIKYO
              registration: REGISTRATION_SUPPORT_NEEDED
            )pb"),
            &reply));
  }

  grpc::Status AddSubject(const std::string& case_id,
                          const std::string& subject) {
    v1::CommandReply reply;
    return Call(cases_.get(), &Case::AddSubject, "cw",
                Cmd<v1::AddSubjectRequest>(
                    case_id, absl::StrCat("subject { subject_id: '", subject,
                                          "' display_name: '", subject,
                                          "' relationship: "
                                          "RELATIONSHIP_HEAD_OF_HOUSEHOLD }")),
                &reply);
  }
};

TEST_F(QueryDispatchTest, CommandsAreServedWhileQueriesWait) {
  OpenCase("c1");
  // The read models stop advancing, and a command puts the log ahead of
  // them: every timeline query now waits for them, then gives up.
  server_->projector().Stop();
  Ok(AddSubject("c1", "mother"));

  constexpr int kQueries = 12;
  std::atomic<int> finished{0};
  std::vector<grpc::StatusCode> codes(kQueries, grpc::StatusCode::OK);
  std::vector<std::thread> clients;
  for (int i = 0; i < kQueries; ++i) {
    clients.emplace_back([&, i] {
      v1::GetCaseTimelineRequest req;
      req.set_case_id("c1");
      v1::GetCaseTimelineResponse resp;
      codes[i] = Call(cases_.get(), &Case::GetCaseTimeline, "cw", req, &resp)
                     .error_code();
      ++finished;
    });
  }
  // Every query has reached the server and waits for the read models.
  ASSERT_TRUE(server_->projector().AwaitWaiters(kQueries, absl::Seconds(30)));

  // A command completes while the queries are still waiting.
  Ok(AddSubject("c1", "daughter"));
  const int finished_before_command = finished;
  for (auto& c : clients) c.join();
  EXPECT_EQ(finished_before_command, 0);
  for (int i = 0; i < kQueries; ++i) {
    EXPECT_EQ(codes[i], grpc::StatusCode::UNAVAILABLE) << "query " << i;
  }
}

TEST_F(QueryDispatchTest,
       AQueryWaitsForTheCommandsAnsweredNotForTheReadsOfOtherQueries) {
  OpenCase("c1");
  Ok(AddSubject("c1", "mother"));
  WaitForReadModels();
  server_->projector().Stop();
  // Every timeline query appends a read record the stopped read models never
  // project; the next query still answers: it waits only for commands.
  for (int i = 0; i < 3; ++i) {
    const uint64_t head = server_->log().Head();
    v1::GetCaseTimelineRequest req;
    req.set_case_id("c1");
    v1::GetCaseTimelineResponse resp;
    Ok(Call(cases_.get(), &Case::GetCaseTimeline, "cw", req, &resp));
    EXPECT_EQ(resp.items_size(), 3) << "query " << i;  // opened (2), mother
    EXPECT_GT(server_->log().Head(), head) << "no read was recorded";
  }
  // A command answered after the read models stopped: the next query waits
  // for it, and gives up rather than answer without it.
  Ok(AddSubject("c1", "daughter"));
  v1::GetCaseTimelineRequest req;
  req.set_case_id("c1");
  v1::GetCaseTimelineResponse resp;
  EXPECT_EQ(
      Call(cases_.get(), &Case::GetCaseTimeline, "cw", req, &resp).error_code(),
      grpc::StatusCode::UNAVAILABLE);
}

TEST_F(QueryDispatchTest, ConcurrentQueriesAndCommandsAllAnswer) {
  OpenCase("c1");
  OpenCase("c2");
  constexpr int kThreads = 6;
  constexpr int kEach = 10;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string case_id = t % 2 == 0 ? "c1" : "c2";
      for (int i = 0; i < kEach; ++i) {
        if (t < 2) {
          if (!AddSubject(case_id, absl::StrCat("s", t, "-", i)).ok()) {
            ++failures;
          }
          continue;
        }
        v1::GetCaseTimelineRequest req;
        req.set_case_id(case_id);
        v1::GetCaseTimelineResponse resp;
        auto status =
            Call(cases_.get(), &Case::GetCaseTimeline, "cw", req, &resp);
        // The caller's own command, at least, is on the timeline.
        if (!status.ok() || resp.items_size() == 0) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  v1::GetCaseSummaryRequest req;
  req.set_case_id("c1");
  v1::CaseSummary summary;
  Ok(Call(cases_.get(), &Case::GetCaseSummary, "cw", req, &summary));
  EXPECT_EQ(summary.subjects_size(), kEach);
}

}  // namespace
}  // namespace renkei::testing

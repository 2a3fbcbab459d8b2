// Integration tests: a real RenkeiServer on 127.0.0.1:0 with a temporary data
// directory, spoken to over gRPC.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "renkei/v1/audit_service.grpc.pb.h"
#include "services/server/renkei_server.h"
#include "storage/test_util.h"

namespace renkei::server {
namespace {

using storage::testing::TempDir;
using storage::testing::TestEvent;
using storage::testing::TestUuid;

class AuditServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer(); }

  void StartServer() {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.max_page_size = 50;
    options.default_page_size = 10;
    auto server = RenkeiServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    channel_ =
        grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                            grpc::InsecureChannelCredentials());
    stub_ = v1::AuditService::NewStub(channel_);
  }

  void Append(const std::string& stream, int first, int count,
              const std::string& type = "test.Happened") {
    storage::AppendRequest r;
    r.stream_id = stream;
    for (int i = 0; i < count; ++i)
      r.events.push_back(TestEvent(TestUuid(first + i), type));
    ASSERT_TRUE(server_->log().Append(std::move(r)).ok());
  }

  TempDir dir_;
  std::unique_ptr<RenkeiServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AuditService::Stub> stub_;
};

TEST_F(AuditServiceTest, ReadsTheLogInPages) {
  Append("case-1", 1, 15);
  Append("case-2", 100, 5, "other.Type");
  grpc::ClientContext ctx;
  v1::ReadAllRequest req;
  v1::ReadEventsResponse resp;
  ASSERT_TRUE(stub_->ReadAll(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.events_size(), 10);  // the default page
  EXPECT_EQ(resp.events(0).position(), 1u);
  EXPECT_EQ(resp.next(), 11u);
  EXPECT_EQ(resp.head(), 20u);

  grpc::ClientContext ctx2;
  req.set_from_position(resp.next());
  req.set_limit(50);
  v1::ReadEventsResponse rest;
  ASSERT_TRUE(stub_->ReadAll(&ctx2, req, &rest).ok());
  ASSERT_EQ(rest.events_size(), 10);
  EXPECT_EQ(rest.events(9).position(), 20u);
  EXPECT_EQ(rest.next(), 0u);

  grpc::ClientContext ctx3;
  v1::ReadAllRequest typed;
  typed.add_event_types("other.Type");
  typed.set_limit(50);
  v1::ReadEventsResponse typed_resp;
  ASSERT_TRUE(stub_->ReadAll(&ctx3, typed, &typed_resp).ok());
  ASSERT_EQ(typed_resp.events_size(), 5);
  EXPECT_EQ(typed_resp.events(0).stream_id(), "case-2");
}

TEST_F(AuditServiceTest, ReadsAStreamBackward) {
  Append("case-1", 1, 5);
  grpc::ClientContext ctx;
  v1::ReadStreamRequest req;
  req.set_stream_id("case-1");
  req.set_direction(v1::READ_DIRECTION_BACKWARD);
  req.set_limit(2);
  v1::ReadEventsResponse resp;
  ASSERT_TRUE(stub_->ReadStream(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.events_size(), 2);
  EXPECT_EQ(resp.events(0).stream_version(), 5u);
  EXPECT_EQ(resp.events(1).stream_version(), 4u);
  EXPECT_EQ(resp.next(), 3u);
  EXPECT_EQ(resp.head(), 5u);
}

TEST_F(AuditServiceTest, BadRequestsGetPreciseCodes) {
  Append("case-1", 1, 1);
  auto read_stream = [this](v1::ReadStreamRequest req) {
    grpc::ClientContext ctx;
    v1::ReadEventsResponse resp;
    return stub_->ReadStream(&ctx, req, &resp);
  };
  v1::ReadStreamRequest missing;
  missing.set_stream_id("case-404");
  grpc::Status s = read_stream(missing);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("case-404"), std::string::npos);

  v1::ReadStreamRequest empty;
  EXPECT_EQ(read_stream(empty).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ReadStreamRequest negative;
  negative.set_stream_id("case-1");
  negative.set_limit(-1);
  EXPECT_EQ(read_stream(negative).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ReadStreamRequest huge;
  huge.set_stream_id("case-1");
  huge.set_limit(1 << 30);
  s = read_stream(huge);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("maximum page size of 50"),
            std::string::npos);

  v1::ReadStreamRequest direction;
  direction.set_stream_id("case-1");
  direction.set_direction(static_cast<v1::ReadDirection>(7));
  EXPECT_EQ(read_stream(direction).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  grpc::ClientContext ctx;
  v1::VerifyChainRequest beyond;
  beyond.set_to_position(99);
  v1::VerifyChainResponse resp;
  EXPECT_EQ(stub_->VerifyChain(&ctx, beyond, &resp).error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(AuditServiceTest, VerifyChainAndHead) {
  Append("case-1", 1, 7);
  grpc::ClientContext ctx;
  v1::VerifyChainResponse resp;
  ASSERT_TRUE(stub_->VerifyChain(&ctx, v1::VerifyChainRequest(), &resp).ok());
  EXPECT_TRUE(resp.ok());
  EXPECT_EQ(resp.checked_from(), 1u);
  EXPECT_EQ(resp.checked_to(), 7u);

  grpc::ClientContext ctx2;
  v1::GetHeadResponse head;
  ASSERT_TRUE(stub_->GetHead(&ctx2, v1::GetHeadRequest(), &head).ok());
  EXPECT_EQ(head.position(), 7u);
  EXPECT_EQ(head.hash(), server_->log().HeadHash());
}

TEST_F(AuditServiceTest, AnswersTheStandardHealthCheck) {
  grpc::GenericStub generic(channel_);
  grpc::ClientContext ctx;
  grpc::Slice empty("");  // HealthCheckRequest{service: ""} encodes to nothing
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  grpc::Status status;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                    &request, &response, [&](grpc::Status s) {
                      std::lock_guard lock(mu);
                      status = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done; });
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (auto& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));  // status: SERVING
}

TEST_F(AuditServiceTest, ASecondServerOnTheSameDataDirIsRefused) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.Sub("data");
  auto second = RenkeiServer::Start(options);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition)
      << second.status();
}

TEST_F(AuditServiceTest, NonLoopbackListenIsRefused) {
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.data_dir = dir_.Sub("other");
  auto s = RenkeiServer::Start(options);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(AuditServiceTest, RestartKeepsEverything) {
  Append("case-1", 1, 3);
  const std::string hash = server_->log().HeadHash();
  server_->Shutdown();
  server_.reset();
  StartServer();
  grpc::ClientContext ctx;
  v1::GetHeadResponse head;
  ASSERT_TRUE(stub_->GetHead(&ctx, v1::GetHeadRequest(), &head).ok());
  EXPECT_EQ(head.position(), 3u);
  EXPECT_EQ(head.hash(), hash);
}

}  // namespace
}  // namespace renkei::server

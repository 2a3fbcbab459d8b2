// Integration tests: a real RenkeiServer on 127.0.0.1:0 with a temporary data
// directory, spoken to over gRPC.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "renkei/v1/access.pb.h"
#include "renkei/v1/audit_service.grpc.pb.h"
#include "services/server/renkei_server.h"
#include "storage/test_util.h"
#include "tests/integration/server_fixture.h"

namespace renkei::server {
namespace {

using storage::testing::TempDir;
using storage::testing::TestEvent;
using storage::testing::TestUuid;

class AuditServiceTest : public renkei::testing::ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    base_ = server_->log().Head();  // the directory's events come first
  }

  void Append(const std::string& stream, int first, int count,
              const std::string& type = "test.Happened") {
    storage::AppendRequest r;
    r.stream_id = stream;
    for (int i = 0; i < count; ++i)
      r.events.push_back(TestEvent(TestUuid(first + i), type));
    ASSERT_TRUE(server_->log().Append(std::move(r)).ok());
  }

  // A context acting as the auditor.
  std::unique_ptr<grpc::ClientContext> Auditor() { return As("auditor"); }

  // The raw reads recorded on "access-audit", read from the log itself.
  std::vector<v1::AuditLogRead> AuditReads() {
    std::vector<v1::AuditLogRead> reads;
    storage::ReadStreamQuery q;
    q.stream_id = "access-audit";
    auto events = server_->log().ReadStream(q);
    EXPECT_TRUE(events.ok()) << events.status();
    if (!events.ok()) return reads;
    for (const v1::EventEnvelope& e : *events) {
      EXPECT_EQ(e.event_type(), "renkei.v1.AuditLogRead");
      EXPECT_EQ(e.actor().staff_id(), "auditor");
      v1::AuditLogRead read;
      EXPECT_TRUE(e.payload().UnpackTo(&read));
      reads.push_back(read);
    }
    return reads;
  }

  uint64_t base_ = 0;
};

TEST_F(AuditServiceTest, ReadsTheLogInPages) {
  Append("raw-1", 1, 15);
  Append("raw-2", 100, 5, "other.Type");
  auto ctx_holder = Auditor();
  grpc::ClientContext& ctx = *ctx_holder;
  v1::ReadAllRequest req;
  req.set_from_position(base_ + 1);
  req.set_limit(10);
  v1::ReadEventsResponse resp;
  ASSERT_TRUE(audit_->ReadAll(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.events_size(), 10);
  EXPECT_EQ(resp.events(0).position(), base_ + 1);
  EXPECT_EQ(resp.next(), base_ + 11);
  EXPECT_EQ(resp.head(), base_ + 20);

  auto ctx2_holder = Auditor();
  grpc::ClientContext& ctx2 = *ctx2_holder;
  req.set_from_position(resp.next());
  req.set_limit(50);
  v1::ReadEventsResponse rest;
  ASSERT_TRUE(audit_->ReadAll(&ctx2, req, &rest).ok());
  // The ten others, then the record of the first read.
  ASSERT_EQ(rest.events_size(), 11);
  EXPECT_EQ(rest.events(9).position(), base_ + 20);
  EXPECT_EQ(rest.events(10).stream_id(), "access-audit");
  EXPECT_EQ(rest.events(10).event_type(), "renkei.v1.AuditLogRead");
  EXPECT_EQ(rest.next(), 0u);

  auto ctx3_holder = Auditor();
  grpc::ClientContext& ctx3 = *ctx3_holder;
  v1::ReadAllRequest typed;
  typed.add_event_types("other.Type");
  typed.set_limit(50);
  v1::ReadEventsResponse typed_resp;
  ASSERT_TRUE(audit_->ReadAll(&ctx3, typed, &typed_resp).ok());
  ASSERT_EQ(typed_resp.events_size(), 5);
  EXPECT_EQ(typed_resp.events(0).stream_id(), "raw-2");
}

TEST_F(AuditServiceTest, ReadsAStreamBackward) {
  Append("raw-1", 1, 5);
  auto ctx_holder = Auditor();
  grpc::ClientContext& ctx = *ctx_holder;
  v1::ReadStreamRequest req;
  req.set_stream_id("raw-1");
  req.set_direction(v1::READ_DIRECTION_BACKWARD);
  req.set_limit(2);
  v1::ReadEventsResponse resp;
  ASSERT_TRUE(audit_->ReadStream(&ctx, req, &resp).ok());
  ASSERT_EQ(resp.events_size(), 2);
  EXPECT_EQ(resp.events(0).stream_version(), 5u);
  EXPECT_EQ(resp.events(1).stream_version(), 4u);
  EXPECT_EQ(resp.next(), 3u);
  EXPECT_EQ(resp.head(), 5u);
}

TEST_F(AuditServiceTest, BadRequestsGetPreciseCodes) {
  Append("raw-1", 1, 1);
  auto read_stream = [this](v1::ReadStreamRequest req) {
    auto ctx_holder = Auditor();
    grpc::ClientContext& ctx = *ctx_holder;
    v1::ReadEventsResponse resp;
    return audit_->ReadStream(&ctx, req, &resp);
  };
  v1::ReadStreamRequest missing;
  missing.set_stream_id("raw-404");
  grpc::Status s = read_stream(missing);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(s.error_message().find("raw-404"), std::string::npos);

  v1::ReadStreamRequest empty;
  EXPECT_EQ(read_stream(empty).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ReadStreamRequest negative;
  negative.set_stream_id("raw-1");
  negative.set_limit(-1);
  EXPECT_EQ(read_stream(negative).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::ReadStreamRequest huge;
  huge.set_stream_id("raw-1");
  huge.set_limit(1 << 30);
  s = read_stream(huge);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("maximum page size of 200"),
            std::string::npos);

  v1::ReadStreamRequest direction;
  direction.set_stream_id("raw-1");
  direction.set_direction(static_cast<v1::ReadDirection>(7));
  EXPECT_EQ(read_stream(direction).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  auto ctx_holder = Auditor();
  grpc::ClientContext& ctx = *ctx_holder;
  v1::VerifyChainRequest beyond;
  beyond.set_to_position(base_ + 99);
  v1::VerifyChainResponse resp;
  EXPECT_EQ(audit_->VerifyChain(&ctx, beyond, &resp).error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
}

TEST_F(AuditServiceTest, VerifyChainAndHead) {
  Append("raw-1", 1, 7);
  auto ctx_holder = Auditor();
  grpc::ClientContext& ctx = *ctx_holder;
  v1::VerifyChainResponse resp;
  ASSERT_TRUE(audit_->VerifyChain(&ctx, v1::VerifyChainRequest(), &resp).ok());
  EXPECT_TRUE(resp.ok());
  EXPECT_EQ(resp.checked_from(), 1u);
  EXPECT_EQ(resp.checked_to(), base_ + 7);

  auto ctx2_holder = Auditor();
  grpc::ClientContext& ctx2 = *ctx2_holder;
  v1::GetHeadResponse head;
  ASSERT_TRUE(audit_->GetHead(&ctx2, v1::GetHeadRequest(), &head).ok());
  EXPECT_EQ(head.position(), base_ + 7);
  EXPECT_EQ(head.hash(), server_->log().HeadHash());
}

TEST_F(AuditServiceTest, AnswersTheStandardHealthCheck) {
  grpc::GenericStub generic(channel_);
  auto ctx_holder = Auditor();
  grpc::ClientContext& ctx = *ctx_holder;
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
  options.key_encryption_key = testing::TestKeyEncryptionKey();
  options.listen = "127.0.0.1:0";
  options.data_dir = dir_.Sub("data");
  options.dev_header_identity = true;
  auto second = RenkeiServer::Start(options);
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition)
      << second.status();
}

TEST_F(AuditServiceTest, NonLoopbackListenIsRefused) {
  ServerOptions options;
  options.key_encryption_key = testing::TestKeyEncryptionKey();
  options.listen = "0.0.0.0:0";
  options.data_dir = dir_.Sub("other");
  auto s = RenkeiServer::Start(options);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(AuditServiceTest, RestartKeepsEverything) {
  Append("raw-1", 1, 3);
  const std::string hash = server_->log().HeadHash();
  RestartServer();
  auto ctx_holder = Auditor();
  grpc::ClientContext& ctx = *ctx_holder;
  v1::GetHeadResponse head;
  ASSERT_TRUE(audit_->GetHead(&ctx, v1::GetHeadRequest(), &head).ok());
  EXPECT_EQ(head.position(), base_ + 3);
  EXPECT_EQ(head.hash(), hash);
}

TEST_F(AuditServiceTest, OnlyAuditorsMayUseIt) {
  v1::GetHeadResponse head;
  auto none = As("");
  grpc::Status s = audit_->GetHead(none.get(), v1::GetHeadRequest(), &head);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(s.error_message().find("renkei-staff-id"), std::string::npos);
  auto cw = As("cw");
  s = audit_->GetHead(cw.get(), v1::GetHeadRequest(), &head);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto stranger = As("nobody");
  s = audit_->GetHead(stranger.get(), v1::GetHeadRequest(), &head);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// Reads `n` events from a Subscribe stream started at `from`; once
// `then_after` have arrived, runs `then` (which may append more).
std::vector<uint64_t> Subscribe(v1::AuditService::Stub& stub,
                                std::unique_ptr<grpc::ClientContext> ctx,
                                uint64_t from, size_t n, size_t then_after = 0,
                                const std::function<void()>& then = nullptr) {
  v1::SubscribeRequest req;
  req.set_from_position(from);
  auto reader = stub.Subscribe(ctx.get(), req);
  std::vector<uint64_t> positions;
  v1::EventEnvelope e;
  while (positions.size() < n && reader->Read(&e)) {
    positions.push_back(e.position());
    if (then && positions.size() == then_after) then();
  }
  ctx->TryCancel();
  reader->Finish().IgnoreError();
  return positions;
}

// The OS threads of this process (the server runs in it).
size_t ThreadCount() {
  size_t n = 0;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/self/task")) {
    (void)task;
    ++n;
  }
  return n;
}

TEST_F(AuditServiceTest, SubscribersShareOneThreadAndAreCapped) {
  Append("raw-1", 1, 1);
  const size_t threads_before = ThreadCount();
  struct Open {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::EventEnvelope>> reader;
  };
  std::vector<Open> open;
  v1::SubscribeRequest req;
  req.set_from_position(base_ + 1);
  req.add_event_types("test.Happened");  // not the reads each one records
  // The default cap: 32 streams open at once, each live.
  for (int i = 0; i < 32; ++i) {
    Open o{Auditor(), nullptr};
    o.reader = audit_->Subscribe(o.ctx.get(), req);
    v1::EventEnvelope e;
    ASSERT_TRUE(o.reader->Read(&e)) << "subscriber " << i;
    EXPECT_EQ(e.position(), base_ + 1);
    open.push_back(std::move(o));
  }
  // A thread per subscriber would add 32.
  EXPECT_LT(ThreadCount(), threads_before + 16);
  auto ctx = Auditor();
  auto refused = audit_->Subscribe(ctx.get(), req);
  v1::EventEnvelope e;
  EXPECT_FALSE(refused->Read(&e));
  grpc::Status status = refused->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("--max-subscriptions"),
            std::string::npos)
      << status.error_message();
  // Every open stream still goes on live.
  Append("raw-2", 10, 1);
  for (Open& o : open) {
    ASSERT_TRUE(o.reader->Read(&e));
    EXPECT_EQ(e.position(), base_ + 1 + 32 + 1);  // after the 32 reads
    o.ctx->TryCancel();
    o.reader->Finish().IgnoreError();
  }
}

TEST_F(AuditServiceTest, SubscribeCatchesUpGoesLiveAndResumes) {
  Append("raw-1", 1, 5);
  // The second five are appended once the subscriber has read the first
  // five, the whole log: they reach it live.
  const std::vector<uint64_t> seen = Subscribe(
      *audit_, Auditor(), base_ + 1, 8, 5, [this] { Append("raw-2", 100, 5); });
  ASSERT_EQ(seen.size(), 8u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], base_ + 1 + i);
  // Resume from the last position received + 1: no gap, no duplicate.
  std::vector<uint64_t> rest =
      Subscribe(*audit_, Auditor(), seen.back() + 1, 2);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0], base_ + 9);
  EXPECT_EQ(rest[1], base_ + 10);
}

TEST_F(AuditServiceTest, RawReadsAreRecordedBeforeTheyAreAnswered) {
  Append("raw-1", 1, 6);
  ASSERT_TRUE(AuditReads().empty());

  v1::ReadAllRequest all;
  all.set_from_position(base_ + 2);
  all.set_limit(3);
  v1::ReadEventsResponse resp;
  ASSERT_TRUE(audit_->ReadAll(Auditor().get(), all, &resp).ok());
  ASSERT_EQ(resp.events_size(), 3);
  // The record follows the events read (it is not in the answer).
  std::vector<v1::AuditLogRead> reads = AuditReads();
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].query(), "ReadAll");
  EXPECT_EQ(reads[0].staff_id(), "auditor");
  EXPECT_EQ(reads[0].agency_id(), "audit");
  EXPECT_EQ(reads[0].from_position(), base_ + 2);
  EXPECT_EQ(reads[0].to_position(), base_ + 4);
  EXPECT_EQ(reads[0].events_returned(), 3u);

  v1::ReadStreamRequest stream;
  stream.set_stream_id("raw-1");
  stream.set_direction(v1::READ_DIRECTION_BACKWARD);
  stream.set_limit(2);
  stream.add_event_types("test.Happened");
  ASSERT_TRUE(audit_->ReadStream(Auditor().get(), stream, &resp).ok());
  ASSERT_EQ(resp.events_size(), 2);
  reads = AuditReads();
  ASSERT_EQ(reads.size(), 2u);
  EXPECT_EQ(reads[1].query(), "ReadStream");
  EXPECT_EQ(reads[1].stream_id(), "raw-1");
  EXPECT_EQ(reads[1].from_version(), 5u);
  EXPECT_EQ(reads[1].to_version(), 6u);
  EXPECT_TRUE(reads[1].backward());
  ASSERT_EQ(reads[1].event_types_size(), 1);
  EXPECT_EQ(reads[1].event_types(0), "test.Happened");
  EXPECT_EQ(reads[1].events_returned(), 2u);

  // A subscription is recorded once, when it starts, before its first event.
  auto ctx = Auditor();
  v1::SubscribeRequest sub;
  sub.set_from_position(base_ + 3);
  auto reader = audit_->Subscribe(ctx.get(), sub);
  v1::EventEnvelope first;
  ASSERT_TRUE(reader->Read(&first));
  EXPECT_EQ(first.position(), base_ + 3);
  reads = AuditReads();
  ASSERT_EQ(reads.size(), 3u);
  EXPECT_EQ(reads[2].query(), "Subscribe");
  EXPECT_EQ(reads[2].from_position(), base_ + 3);
  EXPECT_EQ(reads[2].to_position(), 0u);
  ctx->TryCancel();
  reader->Finish().IgnoreError();

  // The read models follow the log past the new records.
  WaitForReadModels();
}

TEST_F(AuditServiceTest, RefusedRawReadsAreNotRecorded) {
  Append("raw-1", 1, 3);
  v1::ReadEventsResponse resp;
  v1::ReadAllRequest all;
  EXPECT_EQ(audit_->ReadAll(As("cw").get(), all, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ReadStreamRequest stream;
  stream.set_stream_id("raw-1");
  EXPECT_EQ(audit_->ReadStream(As("cw").get(), stream, &resp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  auto ctx = As("cw");
  auto reader = audit_->Subscribe(ctx.get(), v1::SubscribeRequest());
  v1::EventEnvelope e;
  EXPECT_FALSE(reader->Read(&e));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // An auditor's read that fails answers nothing and is not recorded.
  stream.set_stream_id("raw-404");
  EXPECT_EQ(audit_->ReadStream(Auditor().get(), stream, &resp).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(AuditReads().empty());
  EXPECT_EQ(server_->log().Head(), base_ + 3);
}

TEST_F(AuditServiceTest, AReadThatCannotBeRecordedIsRefused) {
  Append("raw-1", 1, 3);
  // A filter so long that its record is over the log's payload limit.
  v1::ReadAllRequest all;
  for (int i = 0; i < 30000; ++i) {
    all.add_event_types(absl::StrCat("an.event.type.nobody.uses.", i,
                                     ".padded.to.be.long.enough"));
  }
  all.add_event_types("test.Happened");
  v1::ReadEventsResponse resp;
  const grpc::Status s = audit_->ReadAll(Auditor().get(), all, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_NE(s.error_message().find("could not be recorded"), std::string::npos)
      << s.error_message();
  EXPECT_EQ(resp.events_size(), 0);
  EXPECT_TRUE(AuditReads().empty());
  EXPECT_EQ(server_->log().Head(), base_ + 3);
}

}  // namespace
}  // namespace renkei::server

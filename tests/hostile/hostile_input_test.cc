// Hostile input against the real server (in process, on 127.0.0.1:0):
// oversized messages, bytes that are not the request they claim to be
// (invalid UTF-8 in a string field, nesting past protobuf's depth limit),
// unknown enum numbers, page sizes out of range, bad ids, keys and times.
// Each must get a clear refusal (INVALID_ARGUMENT, RESOURCE_EXHAUSTED for a
// message over --max-message-bytes, UNAUTHENTICATED for a bad identity
// header), write nothing where a write was refused, and leave the server
// serving.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <future>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "renkei/v1/conference_service.grpc.pb.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using grpc::StatusCode;

constexpr char kOpenCase[] = R"pb(
  kind: CASE_KIND_HOUSEHOLD
  title: "母子世帯"
  intake { noticed_by_agency_id: "nursery" observation: "lateness" }
  frameworks: FRAMEWORK_YOTAIKYO
  registration: REGISTRATION_SUPPORT_NEEDED
)pb";

// Protobuf wire bytes, for requests no generated class would serialize.
std::string Varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}
std::string LengthDelimited(int field, const std::string& bytes) {
  return absl::StrCat(Varint((static_cast<uint64_t>(field) << 3) | 2),
                      Varint(bytes.size()), bytes);
}

class HostileInputTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    conferences_ = v1::ConferenceService::NewStub(channel_);
    generic_ = std::make_unique<grpc::GenericStub>(channel_);
    // c1 exists, so refusals below are about the input, not a missing case.
    v1::CommandReply reply;
    auto s = Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw",
                  Cmd<v1::OpenCaseRequest>("c1", kOpenCase), &reply);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  uint64_t Head() {
    v1::GetHeadResponse head;
    auto s = Call(audit_.get(), &v1::AuditService::Stub::GetHead, "auditor",
                  v1::GetHeadRequest(), &head);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return head.position();
  }

  // Sends `bytes` as the request of `method` ("/renkei.v1.CaseService/
  // OpenCase"), as a client with its own serializer might.
  grpc::Status Raw(const std::string& method, const std::string& bytes,
                   const std::string& staff = "cw") {
    auto ctx = As(staff);
    grpc::Slice slice(bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> done;
    generic_->UnaryCall(ctx.get(), method, grpc::StubOptions(), &request,
                        &response,
                        [&done](grpc::Status s) { done.set_value(s); });
    return done.get_future().get();
  }

  // Where the head is once the auditor's raw reads served since
  // `head_before` are set aside: it fails the test if anything but their
  // records (AuditLogRead on "access-audit") was written since.
  uint64_t HeadBeforeAuditReads(uint64_t head_before) {
    uint64_t others = 0;
    EXPECT_TRUE(server_->log()
                    .Replay(head_before + 1,
                            [&others](const v1::EventEnvelope& e) {
                              others +=
                                  e.stream_id() != "access-audit" ||
                                  e.event_type() != "renkei.v1.AuditLogRead";
                              return true;
                            })
                    .ok());
    EXPECT_EQ(others, 0u) << "a refused request wrote to the log";
    return Head();
  }

  // The log head is where it was before the refusals, and the server still
  // answers a normal query and a normal command.
  void ExpectStillServing(uint64_t head_before) {
    EXPECT_EQ(Head(), head_before) << "a refused request wrote to the log";
    v1::ListAgenciesResponse agencies;
    auto s = Call(directory_.get(), &v1::DirectoryService::Stub::ListAgencies,
                  "cw", v1::ListAgenciesRequest(), &agencies);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_GE(agencies.agencies_size(), 5);
    v1::CommandReply reply;
    s = Call(cases_.get(), &v1::CaseService::Stub::AddSubject, "cw",
             Cmd<v1::AddSubjectRequest>(
                 "c1", absl::StrCat("subject { subject_id: 's", ++normal_,
                                    "' display_name: 'x' relationship: "
                                    "RELATIONSHIP_CHILD }")),
             &reply);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  std::unique_ptr<v1::ConferenceService::Stub> conferences_;
  std::unique_ptr<grpc::GenericStub> generic_;
  int normal_ = 0;
};

#define EXPECT_CODE(status, code)                                        \
  do {                                                                   \
    const grpc::Status& s_ = (status);                                   \
    EXPECT_EQ(s_.error_code(), (code)) << s_.error_message();            \
    EXPECT_FALSE(s_.error_message().empty()) << "refusal without words"; \
    EXPECT_LE(s_.error_message().size(), 2048u);                         \
  } while (0)

TEST_F(HostileInputTest, AMessageOverMaxMessageBytesIsResourceExhausted) {
  const uint64_t head = Head();
  // 5 MiB of text: over the default --max-message-bytes (4 MiB).
  auto req = Cmd<v1::RecordEntryRequest>(
      "c1", R"pb(entry {
                   entry_id: "e-huge"
                   subject_ids: "s"
                   categories: INFORMATION_CATEGORY_HEALTH
                 })pb");
  req.mutable_command()
      ->mutable_entry()
      ->mutable_information_received()
      ->set_content(std::string(5 << 20, 'x'));
  v1::CommandReply reply;
  auto s = Call(cases_.get(), &v1::CaseService::Stub::RecordEntry, "cw", req,
                &reply);
  EXPECT_CODE(s, StatusCode::RESOURCE_EXHAUSTED);
  ExpectStillServing(head);
}

TEST_F(HostileInputTest, AHugeStringUnderTheMessageLimitIsRefusedUnwritten) {
  const uint64_t head = Head();
  // 2 MiB of title: under the message limit, over --max-payload-bytes.
  auto req = Cmd<v1::OpenCaseRequest>("c-huge", kOpenCase);
  req.mutable_command()->set_title(std::string(2 << 20, 'x'));
  v1::CommandReply reply;
  auto s =
      Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw", req, &reply);
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  ExpectStillServing(head);
}

TEST_F(HostileInputTest, InvalidUtf8InAStringFieldIsInvalidArgument) {
  const uint64_t head = Head();
  // OpenCaseRequest{options: {idempotency_key: "k"}, case_id: "c\xff"}:
  // proto3 string fields must be UTF-8, so the request does not parse.
  const std::string bytes =
      absl::StrCat(LengthDelimited(1, LengthDelimited(1, "k-utf8")),
                   LengthDelimited(2, "c\xff\xfe"));
  auto s = Raw("/renkei.v1.CaseService/OpenCase", bytes);
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("not a valid renkei.v1.OpenCaseRequest"),
            std::string::npos)
      << s.error_message();
  // The same in a query, and in a nested command field.
  s = Raw("/renkei.v1.CaseService/GetCaseSummary",
          LengthDelimited(1, "\xc0\xaf"));
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  s = Raw("/renkei.v1.CaseService/OpenCase",
          absl::StrCat(LengthDelimited(1, LengthDelimited(1, "k-utf8-2")),
                       LengthDelimited(2, "c2"),
                       LengthDelimited(3, LengthDelimited(2, "\xed\xa0\x80"))));
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  ExpectStillServing(head);
}

TEST_F(HostileInputTest, BytesThatAreNotAMessageAreInvalidArgument) {
  const uint64_t head = Head();
  // Unknown groups nested 10,000 deep: past protobuf's recursion limit.
  std::string nested;
  for (int i = 0; i < 10000; ++i) nested += Varint((99 << 3) | 3);
  for (int i = 0; i < 10000; ++i) nested += Varint((99 << 3) | 4);
  auto s = Raw("/renkei.v1.CaseService/OpenCase", nested);
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  // A length running past the end; a truncated varint.
  s = Raw("/renkei.v1.CaseService/OpenCase",
          "\x12\x7f"
          "abc");
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  s = Raw("/renkei.v1.AuditService/ReadAll", "\x10\xff\xff", "auditor");
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  ExpectStillServing(head);
}

TEST_F(HostileInputTest, DeeplyNestedButValidMessagesAreServed) {
  // Nesting within the limit, as unknown fields, is ignored.
  std::string nested;
  for (int i = 0; i < 50; ++i) nested += Varint((99 << 3) | 3);
  for (int i = 0; i < 50; ++i) nested += Varint((99 << 3) | 4);
  auto s = Raw("/renkei.v1.CaseService/GetCaseSummary",
               absl::StrCat(LengthDelimited(1, "c1"), nested));
  EXPECT_TRUE(s.ok()) << s.error_message();
  // (A read of case content may itself be recorded in the log.)
  ExpectStillServing(Head());
}

TEST_F(HostileInputTest, UnknownEnumNumbersAreInvalidArgument) {
  const uint64_t head = Head();
  v1::CommandReply reply;
  auto open = Cmd<v1::OpenCaseRequest>("c-enum", kOpenCase);
  open.mutable_command()->set_kind(static_cast<v1::CaseKind>(9999));
  EXPECT_CODE(
      Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw", open, &reply),
      StatusCode::INVALID_ARGUMENT);
  open = Cmd<v1::OpenCaseRequest>("c-enum", kOpenCase);
  open.mutable_command()->add_frameworks(static_cast<v1::Framework>(-7));
  EXPECT_CODE(
      Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw", open, &reply),
      StatusCode::INVALID_ARGUMENT);
  auto registration =
      Cmd<v1::ChangeCaseRegistrationRequest>("c1", "reason: 'x'");
  registration.mutable_command()->set_registration(
      static_cast<v1::Registration>(9999));
  EXPECT_CODE(Call(cases_.get(), &v1::CaseService::Stub::ChangeCaseRegistration,
                   "cw", registration, &reply),
              StatusCode::INVALID_ARGUMENT);
  auto consent = Cmd<v1::GiveConsentRequest>(
      "c1", R"pb(terms {
                   consent_id: "k-enum"
                   subject_id: "mother"
                   decided_by_subject_id: "mother"
                   scope {
                     agency_ids: "city-mh"
                     categories: INFORMATION_CATEGORY_HEALTH
                   }
                   form: CONSENT_FORM_VERBAL
                 })pb");
  consent.mutable_command()->mutable_terms()->mutable_scope()->add_purposes(
      static_cast<v1::SharingPurpose>(9999));
  EXPECT_CODE(Call(consent_.get(), &v1::ConsentService::Stub::GiveConsent, "cw",
                   consent, &reply),
              StatusCode::INVALID_ARGUMENT);
  auto schedule = Cmd<v1::ScheduleConferenceRequest>("", R"pb(
    basis: CONFERENCE_BASIS_YOTAIKYO
    title: "x"
    coordinating_agency_id: "city-pa"
    scheduled_for { seconds: 4102444800 }
  )pb");
  schedule.set_conference_id("k-enum");
  schedule.mutable_command()->set_type(static_cast<v1::ConferenceType>(9999));
  EXPECT_CODE(
      Call(conferences_.get(), &v1::ConferenceService::Stub::ScheduleConference,
           "cw", schedule, &reply),
      StatusCode::INVALID_ARGUMENT);

  // Queries: a sharing purpose, a read direction, a time axis.
  v1::GetCaseTimelineRequest timeline;
  timeline.set_case_id("c1");
  timeline.set_purpose(static_cast<v1::SharingPurpose>(9999));
  v1::GetCaseTimelineResponse timeline_resp;
  EXPECT_CODE(Call(cases_.get(), &v1::CaseService::Stub::GetCaseTimeline, "cw",
                   timeline, &timeline_resp),
              StatusCode::INVALID_ARGUMENT);
  v1::ReadStreamRequest read;
  read.set_stream_id("case-c1");
  read.set_direction(static_cast<v1::ReadDirection>(9999));
  v1::ReadEventsResponse events;
  EXPECT_CODE(Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor",
                   read, &events),
              StatusCode::INVALID_ARGUMENT);
  v1::ReplayCaseRequest replay;
  replay.set_case_id("c1");
  replay.mutable_as_of()->set_seconds(4102444800);
  replay.set_axis(static_cast<v1::TimeAxis>(9999));
  v1::ReplayCaseResponse replayed;
  EXPECT_CODE(Call(audit_.get(), &v1::AuditService::Stub::ReplayCase, "auditor",
                   replay, &replayed),
              StatusCode::INVALID_ARGUMENT);
  ExpectStillServing(head);
}

TEST_F(HostileInputTest, PageSizesOutOfRangeAreInvalidArgument) {
  const uint64_t head = Head();
  v1::ReadEventsResponse events;
  for (int32_t limit : {-1, -100, std::numeric_limits<int32_t>::min(), 201,
                        1 << 30, std::numeric_limits<int32_t>::max()}) {
    SCOPED_TRACE(limit);
    v1::ReadAllRequest all;
    all.set_limit(limit);
    EXPECT_CODE(Call(audit_.get(), &v1::AuditService::Stub::ReadAll, "auditor",
                     all, &events),
                StatusCode::INVALID_ARGUMENT);
    v1::ReadStreamRequest stream;
    stream.set_stream_id("case-c1");
    stream.set_limit(limit);
    EXPECT_CODE(Call(audit_.get(), &v1::AuditService::Stub::ReadStream,
                     "auditor", stream, &events),
                StatusCode::INVALID_ARGUMENT);
    v1::GetCaseTimelineRequest timeline;
    timeline.set_case_id("c1");
    timeline.set_limit(limit < 0 ? limit : 1 << 30);
    v1::GetCaseTimelineResponse items;
    EXPECT_CODE(Call(cases_.get(), &v1::CaseService::Stub::GetCaseTimeline,
                     "cw", timeline, &items),
                StatusCode::INVALID_ARGUMENT);
  }
  // Zero means the server's default; the maximum itself is served.
  for (int32_t limit : {0, 1, 200}) {
    v1::ReadAllRequest all;
    all.set_limit(limit);
    auto s = Call(audit_.get(), &v1::AuditService::Stub::ReadAll, "auditor",
                  all, &events);
    EXPECT_TRUE(s.ok()) << limit << ": " << s.error_message();
  }
  // Positions and versions past the end are empty pages, not errors.
  v1::ReadAllRequest far;
  far.set_from_position(std::numeric_limits<uint64_t>::max());
  events.Clear();
  auto s = Call(audit_.get(), &v1::AuditService::Stub::ReadAll, "auditor", far,
                &events);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(events.events_size(), 0);
  for (auto direction :
       {v1::READ_DIRECTION_FORWARD, v1::READ_DIRECTION_BACKWARD}) {
    v1::ReadStreamRequest stream;
    stream.set_stream_id("case-c1");
    stream.set_direction(direction);
    stream.set_from_version(std::numeric_limits<uint64_t>::max());
    events.Clear();
    s = Call(audit_.get(), &v1::AuditService::Stub::ReadStream, "auditor",
             stream, &events);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }
  // A chain range given backwards.
  v1::VerifyChainRequest verify;
  verify.set_from_position(5);
  verify.set_to_position(2);
  v1::VerifyChainResponse verified;
  EXPECT_CODE(Call(audit_.get(), &v1::AuditService::Stub::VerifyChain,
                   "auditor", verify, &verified),
              StatusCode::INVALID_ARGUMENT);
  // The reads served were recorded; nothing else was written.
  ExpectStillServing(HeadBeforeAuditReads(head));
}

TEST_F(HostileInputTest, ATimelinePageAfterTheLastPositionIsEmpty) {
  v1::GetCaseTimelineRequest timeline;
  timeline.set_case_id("c1");
  timeline.set_after_position(std::numeric_limits<uint64_t>::max());
  v1::GetCaseTimelineResponse items;
  auto s = Call(cases_.get(), &v1::CaseService::Stub::GetCaseTimeline, "cw",
                timeline, &items);
  EXPECT_TRUE(s.ok()) << s.error_message();
  // Nothing follows the largest position (after_position + 1 must not wrap
  // to the first page).
  EXPECT_EQ(items.items_size(), 0);
  EXPECT_EQ(items.next_after_position(), 0u);
  ExpectStillServing(Head());
}

TEST_F(HostileInputTest, BadIdsKeysAndTimesAreInvalidArgument) {
  const uint64_t head = Head();
  v1::CommandReply reply;
  for (const std::string& id :
       {std::string(), std::string(65, 'c'), std::string(100000, 'c'),
        std::string("c 1"), std::string("c/1"), std::string("c\n1"),
        std::string("\xe6\xaf\x8d")}) {
    SCOPED_TRACE(id.substr(0, 20));
    EXPECT_CODE(Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw",
                     Cmd<v1::OpenCaseRequest>(id, kOpenCase), &reply),
                StatusCode::INVALID_ARGUMENT);
    v1::GetCaseSummaryRequest summary;
    summary.set_case_id(id);
    v1::CaseSummary resp;
    EXPECT_CODE(Call(cases_.get(), &v1::CaseService::Stub::GetCaseSummary, "cw",
                     summary, &resp),
                StatusCode::INVALID_ARGUMENT);
  }
  // Stream ids at the audit service: empty, overlong, control characters.
  for (const std::string& stream :
       {std::string(), std::string(10000, 's'), std::string("case-\x01")}) {
    v1::ReadStreamRequest read;
    read.set_stream_id(stream);
    v1::ReadEventsResponse events;
    EXPECT_CODE(Call(audit_.get(), &v1::AuditService::Stub::ReadStream,
                     "auditor", read, &events),
                StatusCode::INVALID_ARGUMENT);
  }
  // Idempotency keys: missing, overlong, control characters.
  for (const std::string& key :
       {std::string(), std::string(129, 'k'), std::string("k\x7f")}) {
    auto req = Cmd<v1::OpenCaseRequest>("c-key", kOpenCase);
    req.mutable_options()->set_idempotency_key(key);
    EXPECT_CODE(
        Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw", req, &reply),
        StatusCode::INVALID_ARGUMENT);
  }
  // A correlation id the log cannot store.
  for (const std::string& correlation :
       {std::string(300, 'r'), std::string("r\x01")}) {
    auto req = Cmd<v1::OpenCaseRequest>("c-corr", kOpenCase);
    req.mutable_options()->set_correlation_id(correlation);
    EXPECT_CODE(
        Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw", req, &reply),
        StatusCode::INVALID_ARGUMENT);
  }
  // Business times outside google.protobuf.Timestamp's range.
  for (auto [seconds, nanos] :
       {std::pair<int64_t, int32_t>{int64_t{1} << 50, 0},
        {std::numeric_limits<int64_t>::min(), 0},
        {0, -1},
        {0, 1000000000}}) {
    auto req = Cmd<v1::OpenCaseRequest>("c-time", kOpenCase);
    req.mutable_options()->mutable_occurred_at()->set_seconds(seconds);
    req.mutable_options()->mutable_occurred_at()->set_nanos(nanos);
    EXPECT_CODE(
        Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw", req, &reply),
        StatusCode::INVALID_ARGUMENT);
  }
  ExpectStillServing(head);
}

TEST_F(HostileInputTest, BadIdentityHeadersAreUnauthenticated) {
  const uint64_t head = Head();
  // (Header values with control characters or non-ASCII bytes never leave
  // a gRPC client: the library refuses them itself.)
  for (const std::string& staff :
       {std::string(), std::string(129, 's'), std::string(4000, 's')}) {
    SCOPED_TRACE(staff.size());
    auto ctx = std::make_unique<grpc::ClientContext>();
    if (!staff.empty()) ctx->AddMetadata("renkei-staff-id", staff);
    v1::CommandReply reply;
    auto s = cases_->OpenCase(
        ctx.get(), Cmd<v1::OpenCaseRequest>("c-who", kOpenCase), &reply);
    EXPECT_CODE(s, StatusCode::UNAUTHENTICATED);
    auto query = std::make_unique<grpc::ClientContext>();
    if (!staff.empty()) query->AddMetadata("renkei-staff-id", staff);
    v1::ListAgenciesResponse agencies;
    s = directory_->ListAgencies(query.get(), v1::ListAgenciesRequest(),
                                 &agencies);
    EXPECT_CODE(s, StatusCode::UNAUTHENTICATED);
  }
  ExpectStillServing(head);
}

TEST_F(HostileInputTest, ManyRepeatedValuesAreRefusedOrServed) {
  const uint64_t head = Head();
  // 200k duplicate frameworks: refused as duplicates, not stored.
  auto req = Cmd<v1::OpenCaseRequest>("c-many", kOpenCase);
  for (int i = 0; i < 200000; ++i) {
    req.mutable_command()->add_frameworks(v1::FRAMEWORK_YOTAIKYO);
  }
  v1::CommandReply reply;
  EXPECT_CODE(
      Call(cases_.get(), &v1::CaseService::Stub::OpenCase, "cw", req, &reply),
      StatusCode::INVALID_ARGUMENT);
  // 100k event-type filters on a read: a filter, served.
  v1::ReadAllRequest all;
  for (int i = 0; i < 100000; ++i) all.add_event_types(absl::StrCat("t", i));
  v1::ReadEventsResponse events;
  auto s = Call(audit_.get(), &v1::AuditService::Stub::ReadAll, "auditor", all,
                &events);
  EXPECT_TRUE(s.ok()) << s.error_message();
  ExpectStillServing(HeadBeforeAuditReads(head));
}

}  // namespace
}  // namespace renkei::testing

// The Connect protocol's wire details: codes, errors, envelopes, cookies.
#include "services/connect/connect_protocol.h"

#include <gtest/gtest.h>

namespace renkei::connect {
namespace {

TEST(ConnectProtocolTest, CodesHaveTheProtocolsNamesAndHttpStatuses) {
  struct Row {
    grpc::StatusCode code;
    std::string_view name;
    int http;
  };
  for (const Row& row : {
           Row{grpc::StatusCode::CANCELLED, "canceled", 499},
           Row{grpc::StatusCode::UNKNOWN, "unknown", 500},
           Row{grpc::StatusCode::INVALID_ARGUMENT, "invalid_argument", 400},
           Row{grpc::StatusCode::DEADLINE_EXCEEDED, "deadline_exceeded", 504},
           Row{grpc::StatusCode::NOT_FOUND, "not_found", 404},
           Row{grpc::StatusCode::ALREADY_EXISTS, "already_exists", 409},
           Row{grpc::StatusCode::PERMISSION_DENIED, "permission_denied", 403},
           Row{grpc::StatusCode::RESOURCE_EXHAUSTED, "resource_exhausted", 429},
           Row{grpc::StatusCode::FAILED_PRECONDITION, "failed_precondition",
               400},
           Row{grpc::StatusCode::ABORTED, "aborted", 409},
           Row{grpc::StatusCode::OUT_OF_RANGE, "out_of_range", 400},
           Row{grpc::StatusCode::UNIMPLEMENTED, "unimplemented", 501},
           Row{grpc::StatusCode::INTERNAL, "internal", 500},
           Row{grpc::StatusCode::UNAVAILABLE, "unavailable", 503},
           Row{grpc::StatusCode::DATA_LOSS, "data_loss", 500},
           Row{grpc::StatusCode::UNAUTHENTICATED, "unauthenticated", 401},
       }) {
    EXPECT_EQ(CodeName(row.code), row.name);
    EXPECT_EQ(HttpStatus(row.code), row.http) << row.name;
  }
}

TEST(ConnectProtocolTest, ErrorBodiesEscapeTheirMessage) {
  EXPECT_EQ(ErrorJson(grpc::StatusCode::NOT_FOUND, ""),
            R"({"code":"not_found"})");
  EXPECT_EQ(
      ErrorJson(grpc::StatusCode::PERMISSION_DENIED,
                "rule \"A\"\n\\ \x01 同意"),
      R"({"code":"permission_denied","message":"rule \"A\"\n\\ \u0001 同意"})");
}

TEST(ConnectProtocolTest, EnvelopesRoundTripAndRefuseWhatDoesNotFit) {
  const std::string e = Envelope(kEndStreamFlag, "{}");
  ASSERT_EQ(e.size(), 7u);
  EXPECT_EQ(e[0], 0x02);
  EXPECT_EQ(e.substr(1, 4), std::string("\0\0\0\2", 4));
  const std::string big(70000, 'x');
  auto parsed = ParseSingleEnvelope(Envelope(0, big));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->flags, 0);
  EXPECT_EQ(parsed->message, big);
  EXPECT_FALSE(ParseSingleEnvelope("").has_value());
  EXPECT_FALSE(ParseSingleEnvelope(Envelope(0, "ab") + "c").has_value());
  EXPECT_FALSE(
      ParseSingleEnvelope(Envelope(0, "abc").substr(0, 7)).has_value());
  EXPECT_FALSE(ParseSingleEnvelope(Envelope(kCompressedFlag, "a")).has_value());
}

TEST(ConnectProtocolTest, CookiesParseAndAreSetHardened) {
  auto c = ParseCookies(" renkei_session=abc ; renkei_csrf=d=e;x;=y; a=1");
  EXPECT_EQ(c["renkei_session"], "abc");
  EXPECT_EQ(c["renkei_csrf"], "d=e");
  EXPECT_EQ(c["a"], "1");
  EXPECT_EQ(c.count("x"), 0u);
  EXPECT_EQ(SessionCookie("tok", absl::Minutes(2)),
            "__Host-renkei_session=tok; Max-Age=120; Path=/; Secure; "
            "SameSite=Strict; HttpOnly");
  EXPECT_EQ(CsrfCookie("c", absl::Seconds(-5)),
            "__Host-renkei_csrf=c; Max-Age=0; Path=/; Secure; SameSite=Strict");
  EXPECT_EQ(
      ExpiredCookie(kSessionCookie),
      "__Host-renkei_session=; Max-Age=0; Path=/; Secure; SameSite=Strict; "
      "HttpOnly");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace renkei::connect

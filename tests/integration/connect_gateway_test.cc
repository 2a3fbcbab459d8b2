// The browser console's port: the Connect protocol forwarded to the gRPC
// services in-process. Sign-in cookies and their CSRF token, the browser
// defences, JSON and binary bodies, errors as the protocol words them, a
// server stream, and the access decision holding on this path too.
#include <httplib.h>

#include "absl/strings/match.h"
#include "renkei/v1/directory_service.pb.h"
#include "services/connect/connect_protocol.h"
#include "tests/integration/server_fixture.h"

namespace renkei::testing {
namespace {

using Case = v1::CaseService::Stub;

// What a browser holds after signing in.
struct Browser {
  std::string session;
  std::string csrf;
};

class ConnectGatewayTest : public ServerFixture {
 protected:
  ConnectGatewayTest() {
    dev_header_identity_ = false;
    web_listen_ = "127.0.0.1:0";
  }

  httplib::Client Client() {
    httplib::Client client("127.0.0.1", server_->web_port());
    client.set_read_timeout(30, 0);
    return client;
  }

  static httplib::Headers Connect(const Browser* browser = nullptr) {
    httplib::Headers h = {{"Connect-Protocol-Version", "1"}};
    if (browser != nullptr) {
      h.emplace("Cookie",
                absl::StrCat(connect::kSessionCookie, "=", browser->session,
                             "; ", connect::kCsrfCookie, "=", browser->csrf));
      h.emplace(connect::kCsrfHeader, browser->csrf);
    }
    return h;
  }

  httplib::Result Post(const std::string& method, const std::string& json,
                       const httplib::Headers& headers) {
    auto client = Client();
    return client.Post(absl::StrCat("/renkei.v1.", method).c_str(), headers,
                       json, "application/json");
  }

  // Signs `staff` in through the console port (the administrator gives the
  // password first, over gRPC).
  Browser SignIn(const std::string& staff) {
    Token(staff);  // sets the password
    auto res = Post("SessionService/SignIn",
                    absl::StrCat(R"({"staffId":")", staff, R"(","password":")",
                                 Password(staff), R"("})"),
                    Connect());
    EXPECT_TRUE(res);
    Browser browser;
    if (!res) return browser;
    EXPECT_EQ(res->status, 200) << res->body;
    for (const auto& [name, value] : res->headers) {
      if (name != "Set-Cookie") continue;
      const auto cookies =
          connect::ParseCookies(value.substr(0, value.find(';')));
      if (auto it = cookies.find(connect::kSessionCookie); it != cookies.end())
        browser.session = it->second;
      if (auto it = cookies.find(connect::kCsrfCookie); it != cookies.end())
        browser.csrf = it->second;
    }
    return browser;
  }
};

TEST_F(ConnectGatewayTest,
       SignInSetsHardenedCookiesAndKeepsTheTokenOutOfTheBody) {
  ASSERT_GT(server_->web_port(), 0);
  Token("cw");
  auto res = Post(
      "SessionService/SignIn",
      absl::StrCat(R"({"staffId":"cw","password":")", Password("cw"), R"("})"),
      Connect());
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(absl::StrContains(res->body, R"("staffId":"cw")")) << res->body;
  EXPECT_FALSE(absl::StrContains(res->body, "token")) << res->body;
  int session = 0, csrf = 0;
  for (const auto& [name, value] : res->headers) {
    if (name != "Set-Cookie") continue;
    EXPECT_TRUE(absl::StrContains(value, "; Secure; SameSite=Strict")) << value;
    if (absl::StartsWith(value, "__Host-renkei_session=")) {
      ++session;
      EXPECT_TRUE(absl::EndsWith(value, "; HttpOnly")) << value;
    }
    if (absl::StartsWith(value, "__Host-renkei_csrf=")) {
      ++csrf;
      EXPECT_FALSE(absl::StrContains(value, "HttpOnly")) << value;
    }
  }
  EXPECT_EQ(session, 1);
  EXPECT_EQ(csrf, 1);
  EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(res->get_header_value("X-Frame-Options"), "DENY");

  // A wrong password: the services' answer, in the protocol's words.
  auto wrong =
      Post("SessionService/SignIn",
           R"({"staffId":"cw","password":"not the password"})", Connect());
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 401);
  EXPECT_TRUE(absl::StrContains(wrong->body, R"("code":"unauthenticated")"));
  EXPECT_FALSE(wrong->has_header("Set-Cookie"));
}

TEST_F(ConnectGatewayTest, ACookieCallNeedsItsCsrfTokenAndTheSameOrigin) {
  const Browser cw = SignIn("cw");
  ASSERT_FALSE(cw.session.empty());
  ASSERT_FALSE(cw.csrf.empty());
  auto ok = Post("SessionService/WhoAmI", "{}", Connect(&cw));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_TRUE(absl::StrContains(ok->body, R"("staffId":"cw")")) << ok->body;
  EXPECT_TRUE(absl::StrContains(ok->body, "AUTHENTICATION_METHOD_SESSION"));

  // The cookie alone (what a forged cross-site request carries).
  httplib::Headers no_csrf = {
      {"Connect-Protocol-Version", "1"},
      {"Cookie", absl::StrCat("__Host-renkei_session=", cw.session,
                              "; __Host-renkei_csrf=", cw.csrf)}};
  auto refused = Post("SessionService/WhoAmI", "{}", no_csrf);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_TRUE(absl::StrContains(refused->body, "X-CSRF-Token"))
      << refused->body;
  no_csrf.emplace("X-CSRF-Token", std::string(cw.csrf.size(), '0'));
  refused = Post("SessionService/WhoAmI", "{}", no_csrf);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);

  httplib::Headers other_origin = Connect(&cw);
  other_origin.emplace("Origin", "https://elsewhere.example");
  refused = Post("SessionService/WhoAmI", "{}", other_origin);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  EXPECT_TRUE(absl::StrContains(refused->body, "another origin"));
  httplib::Headers same_origin = Connect(&cw);
  same_origin.emplace("Origin",
                      absl::StrCat("http://127.0.0.1:", server_->web_port()));
  auto same = Post("SessionService/WhoAmI", "{}", same_origin);
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, 200) << same->body;

  // Without the protocol header (a plain form post).
  refused =
      Post("SessionService/WhoAmI", "{}",
           {{"Cookie", absl::StrCat("__Host-renkei_session=", cw.session)}});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  EXPECT_TRUE(absl::StrContains(refused->body, "Connect-Protocol-Version"));

  // Sign-out expires the cookies and ends the session.
  auto out = Post("SessionService/SignOut", "{}", Connect(&cw));
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200) << out->body;
  int expired = 0;
  for (const auto& [name, value] : out->headers) {
    expired += name == "Set-Cookie" && absl::StrContains(value, "Max-Age=0");
  }
  EXPECT_EQ(expired, 2);
  auto after = Post("SessionService/WhoAmI", "{}", Connect(&cw));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 401) << after->body;
}

TEST_F(ConnectGatewayTest, NoHeaderNamesTheCallerButTheSession) {
  // A forged staff header is never passed on: without a session the call
  // is unauthenticated, and with one the session decides who calls.
  httplib::Headers forged = Connect();
  forged.emplace("renkei-staff-id", "admin");
  auto res = Post("SessionService/WhoAmI", "{}", forged);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401) << res->body;
  const Browser cw = SignIn("cw");
  forged = Connect(&cw);
  forged.emplace("renkei-staff-id", "admin");
  res = Post("SessionService/WhoAmI", "{}", forged);
  ASSERT_TRUE(res);
  EXPECT_TRUE(absl::StrContains(res->body, R"("staffId":"cw")")) << res->body;
  // A bearer token in the Authorization header works without cookies.
  res = Post("SessionService/WhoAmI", "{}",
             {{"Connect-Protocol-Version", "1"},
              {"Authorization", absl::StrCat("Bearer ", Token("teacher"))}});
  ASSERT_TRUE(res);
  EXPECT_TRUE(absl::StrContains(res->body, R"("staffId":"teacher")"))
      << res->body;
}

TEST_F(ConnectGatewayTest, HeadersThatCannotBeMetadataAreRefusedNotForwarded) {
  // Header values are percent-decoded by the HTTP library: a newline or a
  // space must never reach gRPC metadata (it would abort the process).
  const Browser cw = SignIn("cw");
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{
           {"X-Request-Id", "%0A"},
           {"X-Request-Id", "a b"},
           {"renkei-agency-id", "%0D%0Acity-pa"},
           {"renkei-agency-id", std::string(200, 'a')}}) {
    httplib::Headers headers = Connect(&cw);
    headers.emplace(name, value);
    auto res = Post("SessionService/WhoAmI", "{}", headers);
    ASSERT_TRUE(res) << name << ": " << value;
    EXPECT_EQ(res->status, 400) << name << ": " << res->body;
    EXPECT_TRUE(absl::StrContains(res->body, name)) << res->body;
  }
  for (const char* bad : {"Bearer %0A", "Bearer a b", "Basic abc"}) {
    auto res =
        Post("SessionService/WhoAmI", "{}",
             {{"Connect-Protocol-Version", "1"}, {"Authorization", bad}});
    ASSERT_TRUE(res) << bad;
    EXPECT_EQ(res->status, 401) << bad << ": " << res->body;
  }
  auto cookie =
      Post("SessionService/WhoAmI", "{}",
           {{"Connect-Protocol-Version", "1"},
            {"Cookie", "__Host-renkei_session=%0A; __Host-renkei_csrf=c"},
            {"X-CSRF-Token", "c"}});
  ASSERT_TRUE(cookie);
  EXPECT_EQ(cookie->status, 401) << cookie->body;
  // The server still answers, and a valid request id passes.
  httplib::Headers fine = Connect(&cw);
  fine.emplace("X-Request-Id", "console-7");
  auto res = Post("SessionService/WhoAmI", "{}", fine);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST_F(ConnectGatewayTest, BadRequestsGetPreciseAnswers) {
  const Browser cw = SignIn("cw");
  auto res = Post("CaseService/NoSuchMethod", "{}", Connect(&cw));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_TRUE(absl::StrContains(res->body, R"("code":"unimplemented")"));
  res = Post("grpc.health.v1.Health/Check", "{}", Connect(&cw));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = Post("CaseService/GetCaseSummary", R"({"caseId": 7, "x": 1})",
             Connect(&cw));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_TRUE(absl::StrContains(res->body, R"("code":"invalid_argument")"));
  EXPECT_TRUE(absl::StrContains(res->body, "renkei.v1.GetCaseSummaryRequest"))
      << res->body;
  auto client = Client();
  res = client.Post("/renkei.v1.CaseService/GetCaseSummary", Connect(&cw), "{}",
                    "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415);
  res = client.Get("/renkei.v1.CaseService/GetCaseSummary", Connect(&cw));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  httplib::Headers timeout = Connect(&cw);
  timeout.emplace("Connect-Timeout-Ms", "soon");
  res = Post("SessionService/WhoAmI", "{}", timeout);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  // The services' own refusals keep their code and message.
  res = Post("CaseService/GetCaseSummary", R"({"caseId":"c-none"})",
             Connect(&cw));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404) << res->body;
  EXPECT_TRUE(absl::StrContains(res->body, "c-none")) << res->body;
  res = Post("PrivacyService/PlaceLegalHold", R"({"caseId":"c-none"})",
             Connect(&cw));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 403) << res->body;
  EXPECT_TRUE(absl::StrContains(res->body, R"("code":"permission_denied")"));
}

TEST_F(ConnectGatewayTest, BinaryBodiesAndCommandsTravelToo) {
  const Browser cw = SignIn("cw");
  OpenRegisteredHousehold("c-web");
  auto client = Client();
  v1::GetCaseSummaryRequest req;
  req.set_case_id("c-web");
  auto res = client.Post("/renkei.v1.CaseService/GetCaseSummary", Connect(&cw),
                         req.SerializeAsString(), "application/proto");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/proto");
  v1::CaseSummary summary;
  ASSERT_TRUE(summary.ParseFromString(res->body));
  EXPECT_EQ(summary.case_id(), "c-web");
  EXPECT_EQ(summary.subjects_size(), 2);

  // A command in JSON, then its retry with the same idempotency key.
  const std::string entry = R"({"options":{"idempotencyKey":"web-1"},
      "caseId":"c-web","command":{"entry":{"entryId":"e-web",
      "subjectIds":["mother"],"categories":["INFORMATION_CATEGORY_HEALTH"],
      "contact":{"channel":"CONTACT_CHANNEL_PHONE",
      "counterpartSubjectIds":["mother"],"summary":"called"}}}})";
  res = Post("CaseService/RecordEntry", entry, Connect(&cw));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  const std::string first = res->body;
  res = Post("CaseService/RecordEntry", entry, Connect(&cw));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(absl::StrContains(res->body, "\"duplicate\":true")) << res->body;
}

TEST_F(ConnectGatewayTest, AWithheldEntryReachesOnlyThoseAllowedOnThisPathToo) {
  OpenRegisteredHousehold("c-web");
  v1::CommandReply reply;
  ASSERT_TRUE(Call(cases_.get(), &Case::RecordEntry, "counsellor",
                   Cmd<v1::RecordEntryRequest>(
                       "c-web", R"pb(entry {
                                       entry_id: "e-statement"
                                       subject_ids: "daughter"
                                       categories:
                                           INFORMATION_CATEGORY_CHILD_REARING
                                       confidentiality {
                                         withheld_from_agency_ids: "nursery"
                                         reason: "she asked"
                                       }
                                       interview {
                                         interviewers {
                                           staff_id: "counsellor"
                                           agency_id: "city-mh"
                                         }
                                         interviewee_subject_ids: "daughter"
                                         summary: "MK-WEB-STATEMENT"
                                       }
                                     })pb"),
                   &reply)
                  .ok());
  const Browser counsellor = SignIn("counsellor");
  const Browser teacher = SignIn("teacher");
  auto res = Post("CaseService/GetCaseTimeline", R"({"caseId":"c-web"})",
                  Connect(&counsellor));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(absl::StrContains(res->body, "MK-WEB-STATEMENT"));
  res = Post("CaseService/GetCaseTimeline", R"({"caseId":"c-web"})",
             Connect(&teacher));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_FALSE(absl::StrContains(res->body, "MK-WEB-STATEMENT"));
  EXPECT_TRUE(absl::StrContains(res->body, "e-statement")) << res->body;
  EXPECT_TRUE(
      absl::StrContains(res->body, "\"redaction\":\"SHARING_DENIAL_REASON"))
      << res->body;
}

TEST_F(ConnectGatewayTest, TheAuditSubscriptionStreamsEnvelopes) {
  OpenRegisteredHousehold("c-web");
  const Browser auditor = SignIn("auditor");
  auto client = Client();
  httplib::Headers headers = Connect(&auditor);
  headers.emplace("Connect-Timeout-Ms", "3000");
  auto res = client.Post(
      "/renkei.v1.AuditService/Subscribe", headers,
      connect::Envelope(
          0,
          R"({"eventTypes":["renkei.v1.CaseOpened","renkei.v1.SubjectAdded"]})"),
      "application/connect+json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/connect+json");
  // Envelopes: the three events, then the end of the stream (its deadline).
  std::vector<connect::Enveloped> messages;
  std::string_view rest = res->body;
  while (rest.size() >= 5) {
    const auto byte = [&](size_t i) {
      return static_cast<uint32_t>(static_cast<unsigned char>(rest[i]));
    };
    const uint32_t n = byte(1) << 24 | byte(2) << 16 | byte(3) << 8 | byte(4);
    ASSERT_GE(rest.size(), 5 + n);
    auto one = connect::ParseSingleEnvelope(rest.substr(0, 5 + n));
    ASSERT_TRUE(one.has_value());
    messages.push_back(*one);
    rest.remove_prefix(5 + n);
  }
  EXPECT_TRUE(rest.empty());
  ASSERT_EQ(messages.size(), 4u) << messages.back().message;
  EXPECT_TRUE(
      absl::StrContains(messages[0].message, "\"renkei.v1.CaseOpened\""))
      << messages[0].message;
  EXPECT_TRUE(
      absl::StrContains(messages[2].message, "\"renkei.v1.SubjectAdded\""));
  EXPECT_EQ(messages[3].flags, connect::kEndStreamFlag);
  EXPECT_TRUE(absl::StrContains(messages[3].message, "deadline_exceeded"))
      << messages[3].message;

  // A caseworker may not subscribe: the refusal ends the stream.
  const Browser cw = SignIn("cw");
  headers = Connect(&cw);
  res = client.Post("/renkei.v1.AuditService/Subscribe", headers,
                    connect::Envelope(0, "{}"), "application/connect+json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(absl::StrContains(res->body, "permission_denied")) << res->body;
}

}  // namespace
}  // namespace renkei::testing

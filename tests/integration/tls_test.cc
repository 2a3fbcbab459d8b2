// Transport security through the real server: TLS with certificates issued
// by deploy/issue-cert.sh, mutual TLS where the client certificate names the
// staff member, and the listen rules (a non-loopback address needs TLS; the
// address is an IP literal or localhost, never a prefix match).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "renkei/v1/directory_service.grpc.pb.h"
#include "services/server/bootstrap.h"
#include "services/server/renkei_server.h"
#include "services/server/server_options.h"
#include "storage/test_util.h"

namespace renkei::testing {
namespace {

using Code = grpc::StatusCode;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    certs_ = dir_.Sub("certs");
    const std::string script =
        absl::StrCat(RENKEI_SOURCE_DIR, "/deploy/issue-cert.sh");
    for (const std::string& args :
         {std::string("server"), std::string("staff admin"),
          std::string("staff nobody"), std::string("staff revoked"),
          std::string("revoke staff-revoked")}) {
      const std::string command = absl::StrCat("bash '", script, "' '", certs_,
                                               "' ", args, " >/dev/null");
      ASSERT_EQ(std::system(command.c_str()), 0) << command;
    }
    server::BootstrapRequest bootstrap;
    bootstrap.data_dir = dir_.Sub("data");
    bootstrap.agency.set_agency_id("city-it");
    bootstrap.agency.set_name("情報政策課");
    bootstrap.agency.set_kind(v1::AGENCY_KIND_MUNICIPAL_DIVISION);
    bootstrap.agency.set_scope(v1::AGENCY_SCOPE_INTERNAL);
    bootstrap.agency.set_formality(v1::AGENCY_FORMALITY_FORMAL);
    bootstrap.admin.set_staff_id("admin");
    bootstrap.admin.set_display_name("admin");
    bootstrap.admin.set_profession(v1::PROFESSION_OTHER);
    bootstrap.admin.set_agency_id("city-it");
    auto created = server::BootstrapAdministrator(bootstrap);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  server::ServerOptions Options(bool mutual) const {
    server::ServerOptions options;
    options.key_encryption_key = std::string(32, 'K');
    options.listen = "127.0.0.1:0";
    options.data_dir = dir_.Sub("data");
    options.shutdown_grace_seconds = 1;
    options.password_hash = "minimum";
    options.tls_cert_file = certs_ + "/server.pem";
    options.tls_key_file = certs_ + "/server.key";
    if (mutual) {
      options.tls_client_ca_file = certs_ + "/ca.pem";
    } else {
      options.dev_header_identity = true;  // TLS alone names no caller
    }
    return options;
  }

  // ListAgencies over `credentials`, as `staff` in the header (none when
  // empty).
  grpc::Status ListAgencies(int port,
                            std::shared_ptr<grpc::ChannelCredentials> creds,
                            const std::string& staff) {
    grpc::ChannelArguments args;
    auto channel = grpc::CreateCustomChannel(absl::StrCat("localhost:", port),
                                             std::move(creds), args);
    auto stub = v1::DirectoryService::NewStub(channel);
    grpc::ClientContext ctx;
    if (!staff.empty()) ctx.AddMetadata("renkei-staff-id", staff);
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(10));
    v1::ListAgenciesResponse resp;
    return stub->ListAgencies(&ctx, v1::ListAgenciesRequest(), &resp);
  }

  std::shared_ptr<grpc::ChannelCredentials> Tls(const std::string& client) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = Read(certs_ + "/ca.pem");
    if (!client.empty()) {
      ssl.pem_cert_chain =
          Read(absl::StrCat(certs_, "/staff-", client, ".pem"));
      ssl.pem_private_key =
          Read(absl::StrCat(certs_, "/staff-", client, ".key"));
    }
    return grpc::SslCredentials(ssl);
  }

  storage::testing::TempDir dir_;
  std::string certs_;
};

TEST_F(TlsTest, TlsServesAndPlaintextIsRefused) {
  auto server = server::RenkeiServer::Start(Options(/*mutual=*/false));
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  EXPECT_TRUE(ListAgencies(port, Tls(""), "admin").ok());
  // A plaintext client gets no answer from a TLS port.
  EXPECT_EQ(ListAgencies(port, grpc::InsecureChannelCredentials(), "admin")
                .error_code(),
            Code::UNAVAILABLE);
  (*server)->Shutdown();
}

TEST_F(TlsTest, MutualTlsTakesTheStaffMemberFromTheCertificate) {
  auto server = server::RenkeiServer::Start(Options(/*mutual=*/true));
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  // The certificate names admin: no header needed, and a header naming
  // someone else is refused.
  EXPECT_TRUE(ListAgencies(port, Tls("admin"), "").ok());
  EXPECT_TRUE(ListAgencies(port, Tls("admin"), "admin").ok());
  const grpc::Status other = ListAgencies(port, Tls("admin"), "cw");
  EXPECT_EQ(other.error_code(), Code::UNAUTHENTICATED);
  EXPECT_NE(other.error_message().find("proven to come from staff member"),
            std::string::npos);
  // A certificate of someone the directory does not know proves nothing.
  const grpc::Status nobody = ListAgencies(port, Tls("nobody"), "");
  EXPECT_EQ(nobody.error_code(), Code::UNAUTHENTICATED);
  EXPECT_NE(nobody.error_message().find("not in the directory"),
            std::string::npos);
  // Without a client certificate the caller must sign in: a header alone
  // names nobody.
  const grpc::Status bare = ListAgencies(port, Tls(""), "admin");
  EXPECT_EQ(bare.error_code(), Code::UNAUTHENTICATED);
  EXPECT_NE(bare.error_message().find("sign in"), std::string::npos);
  (*server)->Shutdown();
}

TEST_F(TlsTest, ServicesOnlyServersRefuseConnectionsWithoutACertificate) {
  server::ServerOptions options = Options(/*mutual=*/true);
  options.require_client_certificate = true;
  auto server = server::RenkeiServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_TRUE(ListAgencies((*server)->port(), Tls("admin"), "").ok());
  // The handshake fails, which gRPC reports as UNAVAILABLE.
  EXPECT_EQ(ListAgencies((*server)->port(), Tls(""), "").error_code(),
            Code::UNAVAILABLE);
  (*server)->Shutdown();
}

// A certificate out of its validity, revoked by the CA's CRL, or issued by
// another CA fails the TLS handshake: no call of it reaches the server
// (gRPC reports a failed handshake as UNAVAILABLE).
TEST_F(TlsTest, ExpiredRevokedAndForeignCertificatesAreRefused) {
  // Expired: issued for one day in 2020 by the same CA.
  const std::string make_expired = absl::StrCat(
      "cd '", certs_,
      "' && openssl req -newkey rsa:2048 -nodes -subj /CN=old -keyout "
      "staff-expired.key -out old.csr 2>/dev/null && printf "
      "'subjectAltName=URI:renkei:staff:admin\\n' > old.ext && openssl ca "
      "-batch -config ca.cnf -in old.csr -out staff-expired.pem -startdate "
      "20200101000000Z -enddate 20200102000000Z -extfile old.ext -notext "
      ">/dev/null 2>&1");
  ASSERT_EQ(std::system(make_expired.c_str()), 0) << make_expired;
  // Foreign: a certificate for "admin" from a CA of its own.
  const std::string other = dir_.Sub("other-ca");
  const std::string make_foreign =
      absl::StrCat("bash '", RENKEI_SOURCE_DIR, "/deploy/issue-cert.sh' '",
                   other, "' staff admin >/dev/null && cp '", other,
                   "/staff-admin.pem' '", certs_, "/staff-foreign.pem' && cp '",
                   other, "/staff-admin.key' '", certs_, "/staff-foreign.key'");
  ASSERT_EQ(std::system(make_foreign.c_str()), 0) << make_foreign;

  server::ServerOptions options = Options(/*mutual=*/true);
  options.tls_crl_dir = certs_ + "/crl";
  auto server = server::RenkeiServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  const int port = (*server)->port();
  // A valid certificate still works with the CRL in force...
  EXPECT_TRUE(ListAgencies(port, Tls("admin"), "").ok());
  // ...and these never get as far as a call.
  for (const char* refused : {"expired", "revoked", "foreign"}) {
    EXPECT_EQ(ListAgencies(port, Tls(refused), "").error_code(),
              Code::UNAVAILABLE)
        << refused;
  }
  (*server)->Shutdown();
  // Without the CRL the revoked certificate would have been accepted, and
  // it names a staff member the directory does not know: UNAUTHENTICATED.
  options.tls_crl_dir.clear();
  server = server::RenkeiServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(ListAgencies((*server)->port(), Tls("revoked"), "").error_code(),
            Code::UNAUTHENTICATED);
  (*server)->Shutdown();
}

TEST_F(TlsTest, OnlyLoopbackServesWithoutTls) {
  server::ServerOptions options;
  options.key_encryption_key = std::string(32, 'K');
  options.data_dir = dir_.Sub("data");
  options.listen = "0.0.0.0:0";
  auto refused = server::RenkeiServer::Start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("without TLS"), std::string::npos);
  // A host name that merely starts like a loopback address is no address.
  options.listen = "127.attacker.example:50051";
  refused = server::RenkeiServer::Start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  // The forgeable header identity only on loopback.
  options.listen = "0.0.0.0:0";
  options.tls_cert_file = certs_ + "/server.pem";
  options.tls_key_file = certs_ + "/server.key";
  options.dev_header_identity = true;
  refused = server::RenkeiServer::Start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("loopback development only"),
            std::string::npos);
  options.dev_header_identity = false;
  options.tls_crl_dir = dir_.Sub("no-such-dir");
  options.tls_client_ca_file = certs_ + "/ca.pem";
  refused = server::RenkeiServer::Start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("not a directory"),
            std::string::npos);
  // Unreadable TLS files are refused before anything is served.
  options = Options(false);
  options.tls_key_file = certs_ + "/missing.key";
  refused = server::RenkeiServer::Start(options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace renkei::testing

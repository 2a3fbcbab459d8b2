#include "services/server/server_options.h"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

#include "services/server/errors.h"
#include "services/server/renkei_server.h"
#include "storage/test_util.h"

namespace renkei::server {
namespace {

absl::StatusOr<ServerOptions> Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "renkei-server");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return ParseServerOptions(static_cast<int>(argv.size()), argv.data());
}

// --help is told apart by its own marker, so a real NOT_FOUND (or any other
// refusal) is never taken for it, and help is never taken for an error code.
TEST(ServerOptionsTest, HelpIsItsOwnResultNotNotFound) {
  auto help = Parse({"--help"});
  ASSERT_FALSE(help.ok());
  EXPECT_TRUE(errors::IsHelpShown(help.status())) << help.status();
  EXPECT_NE(help.status().code(), absl::StatusCode::kNotFound);
  std::vector<std::string> init = {"init-admin", "--help"};
  std::vector<char*> argv;
  for (auto& a : init) argv.push_back(a.data());
  auto init_help = ParseInitAdmin(static_cast<int>(argv.size()), argv.data());
  ASSERT_FALSE(init_help.ok());
  EXPECT_TRUE(errors::IsHelpShown(init_help.status())) << init_help.status();
  auto bad = Parse({"--no-such-flag"});
  EXPECT_FALSE(errors::IsHelpShown(bad.status()));
}

TEST(ServerOptionsTest, DefaultsAreLoopbackAndALocalDataDir) {
  auto o = Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->listen, "127.0.0.1:50051");
  EXPECT_EQ(o->data_dir, "renkei-data");
  EXPECT_TRUE(IsLoopback(o->listen));
}

TEST(ServerOptionsTest, FlagsAndConfigFileUseTheSameKeys) {
  storage::testing::TempDir dir;
  const std::string config = dir.Sub("renkei.toml");
  std::ofstream(config) << "listen = \"127.0.0.1:6000\"\n"
                        << "data-dir = \"/srv/renkei\"\n"
                        << "max-page-size = 500\n";
  auto o = Parse({"--config", config});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->listen, "127.0.0.1:6000");
  EXPECT_EQ(o->data_dir, "/srv/renkei");
  EXPECT_EQ(o->max_page_size, 500);
  // A flag wins over the file.
  auto flagged = Parse({"--config", config, "--listen", "[::1]:7000"});
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->listen, "[::1]:7000");
}

TEST(ServerOptionsTest, BadValuesAreRefusedWithAMessage) {
  auto bad = Parse({"--max-page-size", "0"});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("max-page-size"), std::string::npos)
      << bad.status();
  EXPECT_EQ(Parse({"--no-such-flag"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse({"--default-page-size", "50", "--max-page-size", "10"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ServerOptionsTest, Loopback) {
  EXPECT_TRUE(IsLoopback("127.0.0.1:0"));
  EXPECT_TRUE(IsLoopback("127.8.9.1:50051"));
  EXPECT_TRUE(IsLoopback("localhost:50051"));
  EXPECT_TRUE(IsLoopback("[::1]:50051"));
  EXPECT_FALSE(IsLoopback("0.0.0.0:50051"));
  EXPECT_FALSE(IsLoopback("10.0.0.1:50051"));
  EXPECT_FALSE(IsLoopback("[::]:50051"));
  EXPECT_FALSE(IsLoopback("example.org:50051"));
  // A name that only starts like a loopback address is not one.
  EXPECT_FALSE(IsLoopback("127.attacker.example:50051"));
  EXPECT_FALSE(IsLoopback("127.0.0.1.nip.io:50051"));
}

TEST(ServerOptionsTest, ListenAddressesAreIpLiteralsOrLocalhost) {
  auto v4 = ParseListenAddress("10.0.0.5:443");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->host, "10.0.0.5");
  EXPECT_EQ(v4->port, 443);
  EXPECT_FALSE(v4->loopback);
  auto v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_TRUE(v6->loopback);
  for (const char* bad :
       {"127.attacker.example:1", "localhost", "[::1]", "[::1:5",
        "1.2.3.4:", "1.2.3.4:65536", "1.2.3.4:8x", "host:80", ":80"}) {
    EXPECT_EQ(ParseListenAddress(bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(ServerOptionsTest, TlsFilesGoTogether) {
  EXPECT_EQ(Parse({"--tls-cert-file", "c.pem"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse({"--tls-client-ca-file", "ca.pem"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto o = Parse({"--tls-cert-file", "c.pem", "--tls-key-file", "k.pem",
                  "--listen", "0.0.0.0:443"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->tls_key_file, "k.pem");
  EXPECT_EQ(Parse({"--listen", "127.attacker.example:1"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ServerOptionsTest, TheConsolePortNeedsTlsBeyondLoopback) {
  auto o = Parse({"--web-listen", "127.0.0.1:8443", "--web-root", "dist"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->web_listen, "127.0.0.1:8443");
  EXPECT_EQ(o->web_root, "dist");
  EXPECT_TRUE(CheckServerOptions(*o).ok());
  EXPECT_EQ(Parse({"--web-root", "dist"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Parse({"--web-listen", "example.org:443"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto open = Parse({"--web-listen", "0.0.0.0:8443"});
  ASSERT_TRUE(open.ok()) << open.status();
  const absl::Status refused = CheckServerOptions(*open);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("without TLS"), absl::string_view::npos)
      << refused;
  // Certificates only: no password sign-in through the console either.
  auto certified =
      Parse({"--web-listen", "127.0.0.1:8443", "--tls-cert-file", "c.pem",
             "--tls-key-file", "k.pem", "--tls-client-ca-file", "ca.pem",
             "--require-client-certificate"});
  ASSERT_TRUE(certified.ok()) << certified.status();
  storage::testing::TempDir dir;
  for (const char* name : {"c.pem", "k.pem", "ca.pem"}) {
    std::ofstream(dir.Sub(name)) << "PEM";
  }
  certified->tls_cert_file = dir.Sub("c.pem");
  certified->tls_key_file = dir.Sub("k.pem");
  certified->tls_client_ca_file = dir.Sub("ca.pem");
  const absl::Status both = CheckServerOptions(*certified);
  EXPECT_EQ(both.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(both.message().find("--require-client-certificate"),
            absl::string_view::npos)
      << both;
}

}  // namespace
}  // namespace renkei::server

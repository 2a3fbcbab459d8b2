#include "services/server/health_probe.h"

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "services/server/errors.h"

namespace renkei::server {

absl::Status Probe(const ProbeRequest& request) {
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (!request.ca_file.empty()) {
    std::ifstream in(request.ca_file);
    if (!in) {
      return errors::CannotReadCaBundle(request.ca_file);
    }
    std::stringstream pem;
    pem << in.rdbuf();
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = pem.str();
    credentials = grpc::SslCredentials(ssl);
  }
  auto channel = grpc::CreateChannel(request.target, credentials);
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() +
                   absl::ToChronoNanoseconds(request.timeout));
  // HealthCheckRequest { string service = 1; }, encoded by hand: the
  // message is one short string.
  std::string bytes;
  if (!request.service.empty()) {
    bytes = absl::StrCat(
        "\x0a", std::string(1, static_cast<char>(request.service.size())),
        request.service);
  }
  grpc::Slice slice(bytes);
  grpc::ByteBuffer out(&slice, 1);
  grpc::CompletionQueue cq;
  auto call =
      stub.PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check", out, &cq);
  call->StartCall();
  grpc::ByteBuffer in;
  grpc::Status status;
  call->Finish(&in, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  if (!status.ok()) {
    return errors::HealthCheckFailed(request.service, request.target,
                                     status.error_message());
  }
  std::vector<grpc::Slice> slices;
  (void)in.Dump(&slices);
  std::string reply;
  for (const grpc::Slice& s : slices) {
    reply.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  // HealthCheckResponse { ServingStatus status = 1; } with SERVING = 1.
  if (reply.size() == 2 && reply[0] == 0x08 && reply[1] == 0x01) {
    return absl::OkStatus();
  }
  return errors::NotServing(request.service, request.target);
}

}  // namespace renkei::server

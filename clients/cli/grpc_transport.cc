// The gRPC Transport: a generic stub over a plaintext channel, so any method
// of the compiled-in descriptors can be called with dynamic messages.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "clients/cli/errors.h"
#include "clients/cli/transport.h"

namespace renkei::cli {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

grpc::ByteBuffer Serialize(const Message& message) {
  std::string bytes;
  message.SerializeToString(&bytes);
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

absl::Status Parse(const grpc::ByteBuffer& buffer, Message* message) {
  std::vector<grpc::Slice> slices;
  if (!buffer.Dump(&slices).ok()) {
    return errors::ReplyUnreadable();
  }
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  if (!message->ParseFromString(bytes)) {
    return errors::ReplyInvalid(message->GetTypeName());
  }
  return absl::OkStatus();
}

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

void Prepare(const CallOptions& options, grpc::ClientContext* context) {
  if (!options.bearer_token.empty()) {
    context->AddMetadata("authorization",
                         absl::StrCat("Bearer ", options.bearer_token));
  }
  if (!options.staff_id.empty()) {
    context->AddMetadata("renkei-staff-id", options.staff_id);
  }
  if (!options.agency_id.empty()) {
    context->AddMetadata("renkei-agency-id", options.agency_id);
  }
  if (!options.request_id.empty()) {
    context->AddMetadata("x-request-id", options.request_id);
  }
  if (options.timeout != absl::InfiniteDuration()) {
    context->set_deadline(std::chrono::system_clock::now() +
                          absl::ToChronoNanoseconds(options.timeout));
  }
}

void* Tag(intptr_t n) { return reinterpret_cast<void*>(n); }

class GrpcTransport final : public Transport {
 public:
  explicit GrpcTransport(std::shared_ptr<grpc::Channel> channel)
      : stub_(std::move(channel)) {}

  absl::Status Unary(const MethodDescriptor& method, const CallOptions& options,
                     const Message& request, Message* response) override {
    grpc::ClientContext context;
    Prepare(options, &context);
    grpc::CompletionQueue cq;
    const grpc::ByteBuffer out = Serialize(request);
    auto call = stub_.PrepareUnaryCall(&context, MethodPath(method), out, &cq);
    call->StartCall();
    grpc::ByteBuffer in;
    grpc::Status status;
    call->Finish(&in, &status, Tag(1));
    void* tag = nullptr;
    bool ok = false;
    cq.Next(&tag, &ok);
    cq.Shutdown();
    while (cq.Next(&tag, &ok)) {
    }
    if (!status.ok()) return FromGrpc(status);
    return Parse(in, response);
  }

  absl::Status ServerStream(
      const MethodDescriptor& method, const CallOptions& options,
      const Message& request, Message* scratch,
      const std::function<bool(const Message&)>& on_message) override {
    grpc::ClientContext context;
    Prepare(options, &context);
    grpc::CompletionQueue cq;
    auto call = stub_.PrepareCall(&context, MethodPath(method), &cq);
    bool cancelled = false;
    // Waits for `want`, cancelling the call once a stop is asked for.
    auto wait = [&](intptr_t want) {
      while (true) {
        void* tag = nullptr;
        bool ok = false;
        const auto deadline =
            std::chrono::system_clock::now() + std::chrono::milliseconds(200);
        const auto result = cq.AsyncNext(&tag, &ok, deadline);
        if (result == grpc::CompletionQueue::SHUTDOWN) return false;
        if (result == grpc::CompletionQueue::TIMEOUT) {
          if (!cancelled && options.stop != nullptr && options.stop->load()) {
            cancelled = true;
            context.TryCancel();
          }
          continue;
        }
        if (tag == Tag(want)) return ok;
      }
    };
    call->StartCall(Tag(1));
    bool ok = wait(1);
    if (ok) {
      call->Write(Serialize(request), Tag(2));
      ok = wait(2);
    }
    if (ok) {
      call->WritesDone(Tag(3));
      ok = wait(3);
    }
    absl::Status parse_status;
    while (ok) {
      grpc::ByteBuffer in;
      call->Read(&in, Tag(4));
      if (!wait(4)) break;
      parse_status = Parse(in, scratch);
      if (!parse_status.ok() || !on_message(*scratch)) {
        cancelled = true;
        context.TryCancel();
        break;
      }
    }
    grpc::Status status;
    call->Finish(&status, Tag(5));
    wait(5);
    cq.Shutdown();
    void* tag = nullptr;
    while (cq.Next(&tag, &ok)) {
    }
    if (!parse_status.ok()) return parse_status;
    if (cancelled && status.error_code() == grpc::StatusCode::CANCELLED) {
      return absl::OkStatus();
    }
    return FromGrpc(status);
  }

 private:
  grpc::GenericStub stub_;
};

}  // namespace

std::string MethodPath(const MethodDescriptor& method) {
  return absl::StrCat("/", method.service()->full_name(), "/", method.name());
}

std::unique_ptr<Transport> NewGrpcTransport(const std::string& target,
                                            const TlsFiles& tls) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  if (!tls.ca_file.empty()) {
    auto read = [](const std::string& path) {
      std::ifstream in(path);
      std::stringstream text;
      text << in.rdbuf();
      return text.str();
    };
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = read(tls.ca_file);
    if (!tls.cert_file.empty()) {
      ssl.pem_cert_chain = read(tls.cert_file);
      ssl.pem_private_key = read(tls.key_file);
    }
    credentials = grpc::SslCredentials(ssl);
  }
  return std::make_unique<GrpcTransport>(
      grpc::CreateCustomChannel(target, credentials, args));
}

}  // namespace renkei::cli

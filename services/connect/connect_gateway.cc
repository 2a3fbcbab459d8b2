#include "services/connect/connect_gateway.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <grpcpp/generic/generic_stub.h>
#include <httplib.h>
#include <openssl/rand.h>

#include <filesystem>
#include <mutex>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "renkei/v1/session_service.pb.h"
#include "services/connect/connect_protocol.h"
#include "services/connect/errors.h"
#include "storage/errors.h"

namespace renkei::connect {
namespace {

namespace pb = google::protobuf;

constexpr char kServicePrefix[] = "renkei.v1.";
constexpr char kSignIn[] = "renkei.v1.SessionService/SignIn";
constexpr char kChangePassword[] = "renkei.v1.SessionService/ChangePassword";
constexpr char kSignOut[] = "renkei.v1.SessionService/SignOut";
constexpr size_t kMaxTokenBytes = 512;

// Headers every answer carries: the console is its own origin and nothing
// else's frame; API answers are never cached.
httplib::Headers SecurityHeaders(bool tls) {
  httplib::Headers h = {
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src "
       "'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
  };
  if (tls) h.emplace("Strict-Transport-Security", "max-age=31536000");
  return h;
}

enum class Codec { kJson, kProto };

struct Failure {
  grpc::StatusCode code;
  std::string message;
};

// `bytes` random bytes as hex; UNAVAILABLE when OpenSSL cannot give them.
absl::StatusOr<std::string> RandomHex(size_t bytes, absl::string_view purpose) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()),
                 static_cast<int>(bytes)) != 1) {
    return storage::errors::RandomnessUnavailable(purpose, bytes);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : raw) {
    out.push_back(kHex[(static_cast<unsigned char>(c) >> 4) & 0xf]);
    out.push_back(kHex[static_cast<unsigned char>(c) & 0xf]);
  }
  return out;
}

std::string Lower(std::string s) {
  absl::AsciiStrToLower(&s);
  return s;
}

// The media type without parameters ("application/json; charset=utf-8").
std::string MediaType(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  if (const size_t semi = type.find(';'); semi != std::string::npos) {
    type.resize(semi);
  }
  return Lower(std::string(absl::StripAsciiWhitespace(type)));
}

// Whether `value` may travel as gRPC metadata: visible ASCII only (no
// spaces, controls or bytes a header's percent-decoding produced), at most
// `max` bytes.
bool MetadataSafe(std::string_view value, size_t max) {
  if (value.empty() || value.size() > max) return false;
  for (const char c : value) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

std::unique_ptr<pb::Message> NewMessage(const pb::Descriptor* type) {
  return std::unique_ptr<pb::Message>(
      pb::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// The bytes of a received message.
std::string Flatten(grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (buffer.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return bytes;
}

}  // namespace

class ConnectGateway::Handler {
 public:
  Handler(const GatewayOptions& options, std::shared_ptr<grpc::Channel> channel,
          bool tls)
      : options_(options), stub_(std::move(channel)), tls_(tls) {}

  void Serve(const httplib::Request& req, httplib::Response& res) {
    const std::string service = req.matches[1];
    const std::string method_name = req.matches[2];
    const pb::MethodDescriptor* method = nullptr;
    if (absl::StartsWith(service, kServicePrefix)) {
      if (const pb::ServiceDescriptor* s =
              pb::DescriptorPool::generated_pool()->FindServiceByName(service);
          s != nullptr) {
        method = s->FindMethodByName(method_name);
      }
    }
    if (method == nullptr || method->client_streaming()) {
      return Fail(res, 404,
                  {grpc::StatusCode::UNIMPLEMENTED,
                   absl::StrCat("no method ", service, "/", method_name)});
    }
    const bool streaming = method->server_streaming();
    const std::string type = MediaType(req);
    Codec codec;
    if (type == (streaming ? "application/connect+json" : "application/json")) {
      codec = Codec::kJson;
    } else if (type == (streaming ? "application/connect+proto"
                                  : "application/proto")) {
      codec = Codec::kProto;
    } else {
      res.status = 415;
      res.set_header("Accept-Post",
                     streaming ? "application/connect+json, "
                                 "application/connect+proto"
                               : "application/json, application/proto");
      return;
    }
    const std::string path = absl::StrCat(service, "/", method_name);
    auto ctx = std::make_shared<grpc::ClientContext>();
    if (auto failure = Admit(req, path, ctx.get()); failure.has_value()) {
      return Fail(res, HttpStatus(failure->code), *failure, streaming, codec);
    }
    std::string request_bytes;
    std::string body = req.body;
    if (streaming) {
      auto envelope = ParseSingleEnvelope(body);
      if (!envelope.has_value()) {
        return Fail(res, 200,
                    {grpc::StatusCode::INVALID_ARGUMENT,
                     "a streaming request holds exactly one uncompressed "
                     "enveloped message"},
                    true, codec);
      }
      body = std::move(envelope->message);
    }
    if (auto failure =
            DecodeRequest(method->input_type(), codec, body, &request_bytes);
        failure.has_value()) {
      return Fail(res, HttpStatus(failure->code), *failure, streaming, codec);
    }
    const std::string grpc_path = absl::StrCat("/", path);
    if (streaming) {
      return Stream(grpc_path, method->output_type(), codec, request_bytes,
                    std::move(ctx), req, res);
    }
    Unary(grpc_path, path, method->output_type(), codec, request_bytes,
          ctx.get(), res);
  }

  // Ends every open stream (shutdown).
  void CancelStreams() {
    std::lock_guard<std::mutex> lock(streams_mu_);
    stopping_ = true;
    for (grpc::ClientContext* ctx : streams_) ctx->TryCancel();
  }

  void Fail(httplib::Response& res, int http_status, const Failure& failure,
            bool streaming = false, Codec codec = Codec::kJson) {
    res.set_header("Cache-Control", "no-store");
    if (streaming) {
      // A stream's error travels in its end message (JSON whatever the
      // codec), under HTTP 200 and the stream's content type.
      res.status = 200;
      res.set_content(
          Envelope(kEndStreamFlag,
                   absl::StrCat("{\"error\":",
                                ErrorJson(failure.code, failure.message), "}")),
          codec == Codec::kJson ? "application/connect+json"
                                : "application/connect+proto");
      return;
    }
    res.status = http_status;
    res.set_content(ErrorJson(failure.code, failure.message),
                    "application/json");
  }

 private:
  absl::Time Now() const {
    return options_.clock ? options_.clock() : absl::Now();
  }

  // The browser's defences, the caller's credentials and the deadline.
  std::optional<Failure> Admit(const httplib::Request& req,
                               const std::string& path,
                               grpc::ClientContext* ctx) {
    if (req.get_header_value("Connect-Protocol-Version") != "1") {
      return Failure{grpc::StatusCode::INVALID_ARGUMENT,
                     "send the header 'Connect-Protocol-Version: 1' (a "
                     "Connect client does)"};
    }
    if (req.has_header("Origin")) {
      const std::string origin = req.get_header_value("Origin");
      const std::string host = req.get_header_value("Host");
      if (origin != absl::StrCat(tls_ ? "https://" : "http://", host)) {
        return Failure{grpc::StatusCode::PERMISSION_DENIED,
                       "calls from another origin are refused"};
      }
    }
    const std::string authorization = req.get_header_value("Authorization");
    if (!authorization.empty()) {
      if (!absl::StartsWith(authorization, "Bearer ") ||
          !MetadataSafe(authorization.substr(7), kMaxTokenBytes)) {
        return Failure{grpc::StatusCode::UNAUTHENTICATED,
                       "the Authorization header must be 'Bearer <session "
                       "token>'"};
      }
      ctx->AddMetadata("authorization", authorization);
    } else if (path != kSignIn) {
      const auto cookies = ParseCookies(req.get_header_value("Cookie"));
      if (auto session = cookies.find(kSessionCookie);
          session != cookies.end() && !session->second.empty()) {
        auto csrf = cookies.find(kCsrfCookie);
        const std::string echoed = req.get_header_value(kCsrfHeader);
        if (csrf == cookies.end() || csrf->second.empty() ||
            !ConstantTimeEquals(csrf->second, echoed)) {
          return Failure{grpc::StatusCode::PERMISSION_DENIED,
                         absl::StrCat("the ", kCsrfHeader,
                                      " header is missing or does not match "
                                      "the session's; sign in again")};
        }
        if (!MetadataSafe(session->second, kMaxTokenBytes)) {
          return Failure{grpc::StatusCode::UNAUTHENTICATED,
                         "the session cookie is malformed; sign in again"};
        }
        ctx->AddMetadata("authorization",
                         absl::StrCat("Bearer ", session->second));
      }
    }
    // The only other headers passed on (the server validates their values
    // further): the agency acted for and the caller's request id.
    for (const auto& [header, metadata] :
         {std::pair<const char*, const char*>{"renkei-agency-id",
                                              "renkei-agency-id"},
          {"X-Request-Id", "x-request-id"}}) {
      if (!req.has_header(header)) continue;
      const std::string value = req.get_header_value(header);
      if (!MetadataSafe(value, 128)) {
        return Failure{grpc::StatusCode::INVALID_ARGUMENT,
                       absl::StrCat("the ", header,
                                    " header must be at most 128 visible "
                                    "ASCII characters")};
      }
      ctx->AddMetadata(metadata, value);
    }
    absl::Duration timeout = options_.default_timeout;
    if (req.has_header("Connect-Timeout-Ms")) {
      const std::string ms = req.get_header_value("Connect-Timeout-Ms");
      int64_t value = 0;
      if (ms.empty() || ms.size() > 10 || !absl::SimpleAtoi(ms, &value) ||
          value <= 0) {
        return Failure{grpc::StatusCode::INVALID_ARGUMENT,
                       "Connect-Timeout-Ms must be a positive number of at "
                       "most 10 digits"};
      }
      timeout = absl::Milliseconds(value);
    }
    ctx->set_deadline(absl::ToChronoTime(absl::Now() + timeout));
    return std::nullopt;
  }

  std::optional<Failure> DecodeRequest(const pb::Descriptor* type, Codec codec,
                                       const std::string& body,
                                       std::string* bytes) {
    if (codec == Codec::kProto) {
      *bytes = body;
      return std::nullopt;
    }
    std::unique_ptr<pb::Message> message = NewMessage(type);
    if (!body.empty()) {
      pb::util::JsonParseOptions parse;
      parse.ignore_unknown_fields = false;
      if (auto status =
              pb::util::JsonStringToMessage(body, message.get(), parse);
          !status.ok()) {
        return Failure{
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("the request is not a valid ", type->full_name(),
                         " in JSON: ", std::string(status.message()))};
      }
    }
    if (!message->SerializeToString(bytes)) {
      return Failure{grpc::StatusCode::INTERNAL, "cannot encode the request"};
    }
    return std::nullopt;
  }

  std::optional<std::string> EncodeResponse(const pb::Message& message,
                                            Codec codec) {
    std::string out;
    if (codec == Codec::kProto) {
      if (!message.SerializeToString(&out)) return std::nullopt;
      return out;
    }
    pb::util::JsonPrintOptions print;
    if (!pb::util::MessageToJsonString(message, &out, print).ok()) {
      return std::nullopt;
    }
    return out;
  }

  void Unary(const std::string& grpc_path, const std::string& path,
             const pb::Descriptor* output, Codec codec,
             const std::string& request_bytes, grpc::ClientContext* ctx,
             httplib::Response& res) {
    grpc::Slice slice(request_bytes);
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    grpc::Status status;
    absl::Notification done;
    stub_.UnaryCall(ctx, grpc_path, grpc::StubOptions(), &request, &response,
                    [&](grpc::Status s) {
                      status = std::move(s);
                      done.Notify();
                    });
    done.WaitForNotification();
    if (path == kSignOut) ClearCookies(res);
    if (!status.ok()) {
      return Fail(res, HttpStatus(status.error_code()),
                  {status.error_code(), status.error_message()});
    }
    std::unique_ptr<pb::Message> message = NewMessage(output);
    if (!message->ParseFromString(Flatten(response))) {
      return Fail(res, 500,
                  {grpc::StatusCode::INTERNAL, "cannot decode the answer"});
    }
    if (path == kSignIn || path == kChangePassword) {
      auto* signed_in = static_cast<v1::SignInResponse*>(message.get());
      if (absl::Status made = SetSessionCookies(signed_in, res); !made.ok()) {
        const auto code = static_cast<grpc::StatusCode>(made.code());
        return Fail(res, HttpStatus(code), {code, std::string(made.message())});
      }
    }
    auto encoded = EncodeResponse(*message, codec);
    if (!encoded.has_value()) {
      return Fail(res, 500,
                  {grpc::StatusCode::INTERNAL, "cannot encode the answer"});
    }
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_content(*encoded, codec == Codec::kJson ? "application/json"
                                                    : "application/proto");
  }

  // Moves the token from the body into the session cookie.
  absl::Status SetSessionCookies(v1::SignInResponse* signed_in,
                                 httplib::Response& res) {
    absl::StatusOr<std::string> made =
        RandomHex(32, "the session's CSRF token");
    if (!made.ok()) return made.status();
    const std::string& csrf = *made;
    const absl::Time expires =
        absl::FromUnixSeconds(signed_in->expires_at().seconds());
    const absl::Duration max_age = expires - Now();
    res.set_header("Set-Cookie", SessionCookie(signed_in->token(), max_age));
    res.headers.emplace("Set-Cookie", CsrfCookie(csrf, max_age));
    signed_in->clear_token();
    return absl::OkStatus();
  }

  static void ClearCookies(httplib::Response& res) {
    res.set_header("Set-Cookie", ExpiredCookie(kSessionCookie));
    res.headers.emplace("Set-Cookie", ExpiredCookie(kCsrfCookie));
  }

  // One open server stream: the gRPC call and its completion queue.
  struct OpenStream {
    grpc::ClientContext* ctx = nullptr;
    grpc::CompletionQueue cq;
    std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call;
  };

  // Waits for the one pending operation of `stream`, checking every second
  // whether the browser is still there and the gateway still running.
  bool Await(OpenStream& stream, const std::function<bool()>& alive) {
    for (;;) {
      void* tag = nullptr;
      bool ok = false;
      const auto status = stream.cq.AsyncNext(
          &tag, &ok,
          std::chrono::system_clock::now() + std::chrono::seconds(1));
      if (status == grpc::CompletionQueue::GOT_EVENT) return ok;
      if (status == grpc::CompletionQueue::SHUTDOWN) return false;
      if (stopping_ || !alive()) stream.ctx->TryCancel();
    }
  }

  void Stream(const std::string& grpc_path, const pb::Descriptor* output,
              Codec codec, const std::string& request_bytes,
              std::shared_ptr<grpc::ClientContext> ctx,
              const httplib::Request& req, httplib::Response& res) {
    // A stream lives at most kMaxStreamDuration, whatever it asks for.
    if (!req.has_header("Connect-Timeout-Ms") ||
        ctx->deadline() >
            absl::ToChronoTime(absl::Now() + kMaxStreamDuration)) {
      ctx->set_deadline(absl::ToChronoTime(absl::Now() + kMaxStreamDuration));
    }
    {
      std::lock_guard<std::mutex> lock(streams_mu_);
      if (stopping_) {
        return Fail(res, 200,
                    {grpc::StatusCode::UNAVAILABLE, "the server is stopping"},
                    true, codec);
      }
      if (static_cast<int>(streams_.size()) >= options_.max_streams) {
        return Fail(res, 200,
                    {grpc::StatusCode::RESOURCE_EXHAUSTED,
                     absl::StrCat("the console's ", options_.max_streams,
                                  " streams are all open; close one and "
                                  "retry")},
                    true, codec);
      }
      streams_.insert(ctx.get());
    }
    auto stream = std::make_shared<OpenStream>();
    stream->ctx = ctx.get();
    const std::string content_type = codec == Codec::kJson
                                         ? "application/connect+json"
                                         : "application/connect+proto";
    auto request = std::make_shared<std::string>(request_bytes);
    res.status = 200;
    res.set_header("Cache-Control", "no-store");
    res.set_chunked_content_provider(
        content_type,
        [this, stream, ctx, request, grpc_path, output, codec, started = false](
            size_t, httplib::DataSink& sink) mutable {
          const auto alive = [&sink] { return sink.is_writable(); };
          if (!started) {
            started = true;
            stream->call = stub_.PrepareCall(ctx.get(), grpc_path, &stream->cq);
            stream->call->StartCall(stream.get());
            bool ok = Await(*stream, alive);
            if (ok) {
              grpc::Slice slice(*request);
              grpc::ByteBuffer buffer(&slice, 1);
              stream->call->Write(buffer, stream.get());
              ok = Await(*stream, alive);
            }
            if (ok) {
              stream->call->WritesDone(stream.get());
              Await(*stream, alive);
            }
          }
          grpc::ByteBuffer buffer;
          stream->call->Read(&buffer, stream.get());
          if (Await(*stream, alive)) {
            std::unique_ptr<pb::Message> message = NewMessage(output);
            const std::string bytes = Flatten(buffer);
            std::optional<std::string> encoded;
            if (message->ParseFromString(bytes)) {
              encoded = EncodeResponse(*message, codec);
            }
            if (encoded.has_value()) {
              const std::string framed = Envelope(0, *encoded);
              if (sink.write(framed.data(), framed.size())) return true;
            }
            ctx->TryCancel();
          }
          grpc::Status status;
          stream->call->Finish(&status, stream.get());
          Await(*stream, [] { return true; });
          const std::string end = Envelope(
              kEndStreamFlag,
              status.ok() ? std::string("{}")
                          : absl::StrCat("{\"error\":",
                                         ErrorJson(status.error_code(),
                                                   status.error_message()),
                                         "}"));
          sink.write(end.data(), end.size());
          sink.done();
          return true;
        },
        [this, stream, ctx](bool) {
          Release(ctx.get());
          stream->cq.Shutdown();
          void* tag;
          bool ok;
          while (stream->cq.Next(&tag, &ok)) {
          }
        });
  }

  void Release(grpc::ClientContext* ctx) {
    std::lock_guard<std::mutex> lock(streams_mu_);
    streams_.erase(ctx);
  }

  const GatewayOptions options_;
  grpc::GenericStub stub_;
  const bool tls_;
  std::atomic<bool> stopping_{false};
  std::mutex streams_mu_;
  std::set<grpc::ClientContext*> streams_;
};

absl::StatusOr<std::unique_ptr<ConnectGateway>> ConnectGateway::Start(
    const GatewayOptions& options, std::shared_ptr<grpc::Channel> channel) {
  std::unique_ptr<ConnectGateway> gateway(new ConnectGateway());
  gateway->tls_ = !options.tls_cert_file.empty();
  if (gateway->tls_) {
    auto https = std::make_unique<httplib::SSLServer>(
        options.tls_cert_file.c_str(), options.tls_key_file.c_str());
    if (!https->is_valid()) {
      return errors::CannotLoadTlsPair(options.tls_cert_file,
                                       options.tls_key_file);
    }
    gateway->http_ = std::move(https);
  } else {
    gateway->http_ = std::make_unique<httplib::Server>();
  }
  gateway->handler_ =
      std::make_unique<Handler>(options, std::move(channel), gateway->tls_);
  httplib::Server& http = *gateway->http_;
  const int threads = std::max(2, options.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(options.max_request_bytes);
  http.set_default_headers(SecurityHeaders(gateway->tls_));
  Handler* handler = gateway->handler_.get();
  const std::string api = R"(/([A-Za-z0-9_.]+)/([A-Za-z0-9_]+))";
  http.Post(api,
            [handler](const httplib::Request& req, httplib::Response& res) {
              handler->Serve(req, res);
            });
  if (!options.web_root.empty()) {
    if (!std::filesystem::is_regular_file(
            std::filesystem::path(options.web_root) / "index.html")) {
      return errors::WebRootWithoutIndex(options.web_root);
    }
    http.set_mount_point("/", options.web_root);
  } else {
    http.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(
          "renkei-server: the console's files are not served here (start with "
          "--web-root clients/web/dist)\n",
          "text/plain; charset=utf-8");
    });
  }
  // Only POST reaches a method.
  http.Get(api, [handler](const httplib::Request&, httplib::Response& res) {
    res.set_header("Allow", "POST");
    handler->Fail(
        res, 405,
        {grpc::StatusCode::UNIMPLEMENTED, "Connect calls are POST requests"});
  });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.status == 413 && res.body.empty()) {
      res.set_content(ErrorJson(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                "the request is larger than the server takes"),
                      "application/json");
    }
  });
  gateway->port_ =
      options.port == 0
          ? http.bind_to_any_port(options.host)
          : (http.bind_to_port(options.host, options.port) ? options.port : -1);
  if (gateway->port_ <= 0) {
    return errors::CannotServeConsole(options.host, options.port);
  }
  httplib::Server* served = gateway->http_.get();
  gateway->thread_ = std::thread([served] { served->listen_after_bind(); });
  return gateway;
}

ConnectGateway::~ConnectGateway() {
  if (handler_) handler_->CancelStreams();
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace renkei::connect

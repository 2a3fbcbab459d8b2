#include "services/connect/connect_protocol.h"

#include <openssl/crypto.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace renkei::connect {
namespace {

void AppendJsonString(std::string* out, std::string_view s) {
  out->push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[(c >> 4) & 0xf]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

std::string Cookie(std::string_view name, std::string_view value,
                   int64_t max_age_seconds, bool http_only) {
  std::string out(name);
  out.append("=").append(value);
  out.append(absl::StrCat("; Max-Age=", max_age_seconds,
                          "; Path=/; Secure; SameSite=Strict",
                          http_only ? "; HttpOnly" : ""));
  return out;
}

}  // namespace

std::string_view CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "ok";
    case grpc::StatusCode::CANCELLED:
      return "canceled";
    case grpc::StatusCode::UNKNOWN:
      return "unknown";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "invalid_argument";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "deadline_exceeded";
    case grpc::StatusCode::NOT_FOUND:
      return "not_found";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "already_exists";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "permission_denied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "resource_exhausted";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "failed_precondition";
    case grpc::StatusCode::ABORTED:
      return "aborted";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "out_of_range";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "unimplemented";
    case grpc::StatusCode::INTERNAL:
      return "internal";
    case grpc::StatusCode::UNAVAILABLE:
      return "unavailable";
    case grpc::StatusCode::DATA_LOSS:
      return "data_loss";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "unauthenticated";
    default:
      return "unknown";
  }
}

int HttpStatus(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return 200;
    case grpc::StatusCode::CANCELLED:
      return 499;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
      return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case grpc::StatusCode::NOT_FOUND:
      return 404;
    case grpc::StatusCode::ALREADY_EXISTS:
    case grpc::StatusCode::ABORTED:
      return 409;
    case grpc::StatusCode::PERMISSION_DENIED:
      return 403;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case grpc::StatusCode::UNIMPLEMENTED:
      return 501;
    case grpc::StatusCode::UNAVAILABLE:
      return 503;
    case grpc::StatusCode::UNAUTHENTICATED:
      return 401;
    default:
      return 500;
  }
}

std::string ErrorJson(grpc::StatusCode code, std::string_view message) {
  std::string out = "{\"code\":\"";
  out.append(CodeName(code)).append("\"");
  if (!message.empty()) {
    out.append(",\"message\":");
    AppendJsonString(&out, message);
  }
  out.push_back('}');
  return out;
}

std::string Envelope(uint8_t flags, std::string_view message) {
  std::string out;
  out.reserve(5 + message.size());
  const uint32_t n = static_cast<uint32_t>(message.size());
  out.push_back(static_cast<char>(flags));
  out.push_back(static_cast<char>((n >> 24) & 0xff));
  out.push_back(static_cast<char>((n >> 16) & 0xff));
  out.push_back(static_cast<char>((n >> 8) & 0xff));
  out.push_back(static_cast<char>(n & 0xff));
  out.append(message);
  return out;
}

std::optional<Enveloped> ParseSingleEnvelope(std::string_view body) {
  if (body.size() < 5) return std::nullopt;
  const auto byte = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(body[i]));
  };
  const uint32_t n = byte(1) << 24 | byte(2) << 16 | byte(3) << 8 | byte(4);
  if (body.size() - 5 != n) return std::nullopt;
  Enveloped e;
  e.flags = static_cast<uint8_t>(byte(0));
  if (e.flags & kCompressedFlag) return std::nullopt;
  e.message = std::string(body.substr(5));
  return e;
}

std::map<std::string, std::string> ParseCookies(std::string_view header) {
  std::map<std::string, std::string> cookies;
  for (absl::string_view part :
       absl::StrSplit(absl::string_view(header.data(), header.size()), ';')) {
    part = absl::StripAsciiWhitespace(part);
    const size_t eq = part.find('=');
    if (eq == absl::string_view::npos || eq == 0) continue;
    cookies.emplace(
        std::string(absl::StripAsciiWhitespace(part.substr(0, eq))),
        std::string(absl::StripAsciiWhitespace(part.substr(eq + 1))));
  }
  return cookies;
}

std::string SessionCookie(std::string_view token, absl::Duration max_age) {
  return Cookie(kSessionCookie, token,
                std::max<int64_t>(0, absl::ToInt64Seconds(max_age)), true);
}

std::string CsrfCookie(std::string_view csrf, absl::Duration max_age) {
  return Cookie(kCsrfCookie, csrf,
                std::max<int64_t>(0, absl::ToInt64Seconds(max_age)), false);
}

std::string ExpiredCookie(std::string_view name) {
  return Cookie(name, "", 0, name == kSessionCookie);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace renkei::connect

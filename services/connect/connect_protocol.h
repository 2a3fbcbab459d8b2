// The Connect protocol's wire details (https://connectrpc.com/docs/protocol),
// transport-free: error codes and their HTTP statuses, the error body, the
// five-byte envelope of streaming messages, and the cookies the browser
// console signs in with. Pure functions; thread-safe.
#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace renkei::connect {

// The Connect name of a gRPC code ("permission_denied", "not_found", ...).
std::string_view CodeName(grpc::StatusCode code);

// The HTTP status a unary error travels with (the protocol's table).
int HttpStatus(grpc::StatusCode code);

// {"code":"...","message":"..."}: a unary error's body, and the "error" of a
// stream's end message.
std::string ErrorJson(grpc::StatusCode code, std::string_view message);

// A streaming message: flags (0x02: the end of the stream), then the length
// (big-endian, 4 bytes), then the bytes.
inline constexpr uint8_t kEndStreamFlag = 0x02;
inline constexpr uint8_t kCompressedFlag = 0x01;
std::string Envelope(uint8_t flags, std::string_view message);

struct Enveloped {
  uint8_t flags = 0;
  std::string message;
};
// The single envelope `body` holds (a server-streaming request). nullopt
// when it is truncated, longer than its length says, or compressed.
std::optional<Enveloped> ParseSingleEnvelope(std::string_view body);

// The cookies of a Cookie header, by name (later duplicates ignored).
std::map<std::string, std::string> ParseCookies(std::string_view header);

// The session cookie (HttpOnly: scripts never see the token) and the CSRF
// cookie (readable by the console, which echoes it in kCsrfHeader on every
// call). Both Secure, SameSite=Strict, Path=/.
// The __Host- prefix: a browser keeps them only from this origin over HTTPS
// (no Domain, Path=/), so no sibling site can plant one.
inline constexpr char kSessionCookie[] = "__Host-renkei_session";
inline constexpr char kCsrfCookie[] = "__Host-renkei_csrf";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";
std::string SessionCookie(std::string_view token, absl::Duration max_age);
std::string CsrfCookie(std::string_view csrf, absl::Duration max_age);
// Both cookies, expired (sign-out).
std::string ExpiredCookie(std::string_view name);

// Equal strings, compared in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace renkei::connect

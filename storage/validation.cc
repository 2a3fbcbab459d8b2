#include "storage/validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "storage/errors.h"
#include "storage/status_macros.h"

namespace renkei::storage {
namespace {

bool HasControlCharacter(absl::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Checks a free-text identifier field: bounded, UTF-8, no control characters.
absl::Status ValidateIdentifier(absl::string_view what, absl::string_view value,
                                size_t max_bytes) {
  if (value.size() > max_bytes) {
    return errors::FieldTooLong(what, value.size(), max_bytes);
  }
  if (HasControlCharacter(value)) {
    return errors::FieldHasControlCharacter(what);
  }
  if (!IsValidUtf8(value)) {
    return errors::FieldNotUtf8(what);
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  for (const char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' &&
        c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !absl::ascii_isxdigit(text[i])) return false;
  }
  return true;
}

bool IsValidUtf8(absl::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = text[i];
    size_t extra;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= extra; ++k) {
      const unsigned char cc = text[i + k];
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;  // overlong, out of range or a surrogate
    }
    i += extra + 1;
  }
  return true;
}

absl::Status ValidateStreamId(absl::string_view stream_id) {
  if (stream_id.empty()) {
    return errors::EmptyStreamId();
  }
  return ValidateIdentifier("stream id", stream_id, kMaxStreamIdBytes);
}

absl::Status ValidateAppend(const AppendRequest& request,
                            const EventLogOptions& options) {
  RENKEI_RETURN_IF_ERROR(ValidateStreamId(request.stream_id));
  if (request.events.empty()) {
    return errors::NoEventsToAppend();
  }
  if (request.events.size() > options.max_events_per_append) {
    return errors::TooManyEvents(options.max_events_per_append,
                                 request.events.size());
  }
  if (request.expected_version.kind() == ExpectedVersion::Kind::kExact &&
      request.expected_version.version() == 0) {
    return errors::ExpectedVersionZero();
  }
  RENKEI_RETURN_IF_ERROR(ValidateIdentifier(
      "idempotency key", request.idempotency_key, kMaxIdempotencyKeyBytes));
  if (!request.request_digest.empty() && request.request_digest.size() != 32) {
    return errors::BadRequestDigest(request.request_digest.size());
  }
  for (size_t i = 0; i < request.events.size(); ++i) {
    const auto& e = request.events[i];
    const std::string where =
        absl::StrCat("event ", i + 1, " of ", request.events.size());
    if (!IsUuid(e.event_id())) {
      return errors::EventIdNotUuid(where, e.event_id());
    }
    if (e.event_type().empty()) {
      return errors::EventTypeMissing(where, e.event_id());
    }
    RENKEI_RETURN_IF_ERROR(
        ValidateIdentifier(absl::StrCat(where, ": event type"), e.event_type(),
                           kMaxEventTypeBytes));
    const size_t payload_bytes = e.payload().ByteSizeLong();
    if (payload_bytes > options.max_payload_bytes) {
      return errors::PayloadTooLarge(where, e.event_id(), payload_bytes,
                                     options.max_payload_bytes);
    }
    for (const auto& [field, value] :
         {std::pair<const char*, const std::string*>{"actor staff id",
                                                     &e.actor().staff_id()},
          {"actor agency id", &e.actor().agency_id()},
          {"correlation id", &e.correlation_id()},
          {"causation id", &e.causation_id()}}) {
      RENKEI_RETURN_IF_ERROR(ValidateIdentifier(
          absl::StrCat(where, ": ", field), *value, kMaxStreamIdBytes));
    }
    if (e.has_occurred_at() &&
        (e.occurred_at().nanos() < 0 || e.occurred_at().nanos() > 999999999)) {
      return errors::OccurredAtOutOfRange(where);
    }
  }
  return absl::OkStatus();
}

}  // namespace renkei::storage

// Checks an append request before it reaches the writer: a request that fails
// here is answered INVALID_ARGUMENT and nothing is written.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "storage/event_log.h"

namespace renkei::storage {

inline constexpr size_t kMaxStreamIdBytes = 256;
inline constexpr size_t kMaxIdempotencyKeyBytes = 256;
inline constexpr size_t kMaxEventTypeBytes = 256;

// The one id policy of every layer: an id (of a case, a staff member, an
// agency, an entry, a request, ...) is 1-64 characters of [A-Za-z0-9._-], so it
// can be part of a stream id, a key or a header unquoted.
inline constexpr size_t kMaxIdBytes = 64;
[[nodiscard]] bool IsValidId(absl::string_view id);
// True for the 8-4-4-4-12 hexadecimal form of a UUID.
bool IsUuid(absl::string_view text);
// True when `text` is well-formed UTF-8.
bool IsValidUtf8(absl::string_view text);

[[nodiscard]] absl::Status ValidateStreamId(absl::string_view stream_id);
[[nodiscard]] absl::Status ValidateAppend(const AppendRequest& request,
                                          const EventLogOptions& options);

}  // namespace renkei::storage

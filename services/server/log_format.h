// The server's log line formats: "text" (one readable line per event) or
// "json" (one JSON object per line, for log shippers: time, level, service
// and message, the message escaped). Log lines carry ids, methods, codes
// and counts only, never case content (tests/integration checks the demo's
// names and free texts never reach the log).
//
// Thread-safety: call once at start, before other threads log.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <string_view>

namespace renkei::server {

// `text` as a JSON string's contents (quotes, backslashes and control
// characters escaped).
std::string JsonEscape(std::string_view text);

// The formatter for `format`: "json", else text.
std::unique_ptr<spdlog::formatter> LogFormatter(const std::string& format);

}  // namespace renkei::server

// The catalogue of every error the `renkei` command line mints itself (the
// server's answers keep their own status). One constructor per error, so
// codes and wording stay consistent and testable.
#ifndef RENKEI_CLIENTS_CLI_ERRORS_H_
#define RENKEI_CLIENTS_CLI_ERRORS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace renkei::cli::errors {

// INVALID_ARGUMENT: the command line cannot be turned into a request (exit 2).
[[nodiscard]] absl::Status CannotReadDataFile(absl::string_view path);
[[nodiscard]] absl::Status NotSignedIn();
[[nodiscard]] absl::Status NonPositiveTimeout();
// `flag` is the flag as typed, without its dashes.
[[nodiscard]] absl::Status FlagValueInvalid(absl::string_view flag,
                                            absl::string_view text,
                                            absl::string_view expected);
// The flag's value was refused for `cause` (e.g. an unknown enum value).
[[nodiscard]] absl::Status FlagValueRefused(absl::string_view flag,
                                            const absl::Status& cause);
// A refusal of a flag's value, re-worded to name the flag as the user typed it.
[[nodiscard]] absl::Status FlagRenamed(absl::string_view message);
// `choices` lists the values the enum accepts, comma-separated.
[[nodiscard]] absl::Status NotAnEnumValue(absl::string_view text,
                                          absl::string_view enum_name,
                                          absl::string_view choices);
[[nodiscard]] absl::Status NotATime(absl::string_view text);
[[nodiscard]] absl::Status FieldNotTextual(absl::string_view field);
[[nodiscard]] absl::Status FlagTakesOneValue(absl::string_view flag,
                                             size_t given);
[[nodiscard]] absl::Status DataNotJson(absl::string_view request_type,
                                       absl::string_view reason);

// UNAVAILABLE: the local machine would not keep what the server gave.
[[nodiscard]] absl::Status CannotSaveSession(absl::string_view path);

// UNIMPLEMENTED: the server's API lacks what the demo story needs.
[[nodiscard]] absl::Status RpcNotInApi(absl::string_view rpc);
[[nodiscard]] absl::Status DirectoryServiceMissing();

// INTERNAL: a reply or a request the CLI cannot handle; a bug.
[[nodiscard]] absl::Status NoSuchField(absl::string_view type,
                                       absl::string_view field);
[[nodiscard]] absl::Status ReplyUnreadable();
[[nodiscard]] absl::Status ReplyInvalid(absl::string_view type);
[[nodiscard]] absl::Status CannotPrintJson(absl::string_view reason);
}  // namespace renkei::cli::errors

#endif  // RENKEI_CLIENTS_CLI_ERRORS_H_

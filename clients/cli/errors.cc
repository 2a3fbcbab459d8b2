// Wording of every error the command line mints itself.
#include "clients/cli/errors.h"

#include "absl/strings/str_cat.h"

namespace renkei::cli::errors {

absl::Status CannotReadDataFile(absl::string_view path) {
  return absl::InvalidArgumentError(
      absl::StrCat("--data: cannot read '", path, "'"));
}

absl::Status NotSignedIn() {
  return absl::InvalidArgumentError(
      "sign in first with `renkei login --as STAFF_ID` (or RENKEI_TOKEN, or a "
      "client certificate in RENKEI_TLS_CERT/RENKEI_TLS_KEY); a development "
      "server also takes --as STAFF_ID alone");
}

absl::Status NonPositiveTimeout() {
  return absl::InvalidArgumentError("--timeout must be positive");
}

absl::Status FlagValueInvalid(absl::string_view flag, absl::string_view text,
                              absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": '", text, "' is not ", expected));
}

absl::Status FlagValueRefused(absl::string_view flag,
                              const absl::Status& cause) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": ", cause.message()));
}

absl::Status FlagRenamed(absl::string_view message) {
  return absl::InvalidArgumentError(message);
}

absl::Status NotAnEnumValue(absl::string_view text, absl::string_view enum_name,
                            absl::string_view choices) {
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text, "' is not a ", enum_name, "; choose one of: ", choices));
}

absl::Status NotATime(absl::string_view text) {
  return absl::InvalidArgumentError(
      absl::StrCat("'", text,
                   "' is not a time; use RFC 3339 (2024-04-01T09:00:00Z, "
                   "2024-04-01T18:00:00+09:00), a date (2024-04-01) or 'now'"));
}

absl::Status FieldNotTextual(absl::string_view field) {
  return absl::InvalidArgumentError(
      absl::StrCat("field ", field, " cannot be given as text"));
}

absl::Status FlagTakesOneValue(absl::string_view flag, size_t given) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, " takes one value; got ", given));
}

absl::Status DataNotJson(absl::string_view request_type,
                         absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(
      "--data is not a ", request_type, " in protobuf JSON: ", reason));
}

absl::Status CannotSaveSession(absl::string_view path) {
  return absl::UnavailableError(
      absl::StrCat("signed in, but cannot save the session in ", path));
}

absl::Status RpcNotInApi(absl::string_view rpc) {
  return absl::UnimplementedError(absl::StrCat(rpc, " is not in the API"));
}

absl::Status DirectoryServiceMissing() {
  return absl::UnimplementedError("the directory service is missing");
}

absl::Status NoSuchField(absl::string_view type, absl::string_view field) {
  return absl::InternalError(absl::StrCat(type, " has no field ", field));
}

absl::Status ReplyUnreadable() {
  return absl::InternalError("cannot read the reply");
}

absl::Status ReplyInvalid(absl::string_view type) {
  return absl::InternalError(absl::StrCat("the reply is not a valid ", type));
}

absl::Status CannotPrintJson(absl::string_view reason) {
  return absl::InternalError(
      absl::StrCat("cannot print the reply as JSON: ", reason));
}

}  // namespace renkei::cli::errors

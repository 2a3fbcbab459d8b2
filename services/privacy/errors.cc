// Wording of every privacy error.
#include "services/privacy/errors.h"

#include "absl/strings/str_cat.h"

namespace renkei::privacy::errors {

absl::Status KekWrongSize() {
  return absl::InvalidArgumentError("the key-encryption key is not 32 bytes");
}

absl::Status NewKekWrongSize() {
  return absl::InvalidArgumentError(
      "the new key-encryption key is not 32 bytes");
}

absl::Status NewKekInUse() {
  return absl::InvalidArgumentError(
      "the new key-encryption key is the one in use; rotate to a newly "
      "generated key");
}

absl::Status KekTextMalformed(absl::string_view source, size_t key_bytes) {
  return absl::InvalidArgumentError(absl::StrCat(
      "the key-encryption key in ", source, " must be exactly ", 2 * key_bytes,
      " hexadecimal digits (", key_bytes,
      " bytes); create one with `renkei-server generate-key FILE`"));
}

absl::Status SubjectErasedNamesNoSubject() {
  return absl::InvalidArgumentError("a SubjectErased names no subject");
}

absl::Status ProposedAlreadySealed() {
  return absl::InvalidArgumentError(
      "an event may not be proposed already sealed");
}

absl::Status PayloadDoesNotParse(absl::string_view event_id,
                                 absl::string_view type_url) {
  return absl::InvalidArgumentError(absl::StrCat(
      "event ", event_id, ": the payload does not parse as ", type_url));
}

absl::Status DataKeyNotFound(absl::string_view key_id) {
  return absl::NotFoundError(absl::StrCat("no data key '", key_id, "'"));
}

absl::Status KekFileExists(absl::string_view path) {
  return absl::AlreadyExistsError(absl::StrCat(
      "'", path, "' exists; it is left as it is (a key is never overwritten)"));
}

absl::Status KekFileUnusable(absl::string_view path, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(
      "key-encryption key file '", path, "' ", what,
      "; the server will not start without the key that wraps its data keys"));
}

absl::Status CannotCreateKekFile(absl::string_view path,
                                 absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot create '", path, "': ", reason));
}

absl::Status WrongKek(absl::string_view path, uint32_t kek_version) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the key-encryption key given does not open the data keys in '", path,
      "' (they are wrapped with key-encryption key version ", kek_version,
      "); start with the key this data directory was created or last rotated "
      "with"));
}

absl::Status DataErased(absl::string_view key_id) {
  return absl::FailedPreconditionError(
      absl::StrCat("the data of '", key_id,
                   "' was erased; nothing more may be recorded under it"));
}

absl::Status SealedValueMalformed() {
  return absl::DataLossError("a sealed value is malformed");
}

absl::Status SealedValueDoesNotDecrypt() {
  return absl::DataLossError(
      "a sealed value does not decrypt with its key (altered, or sealed with "
      "another key)");
}

absl::Status DataKeyDoesNotUnwrap(absl::string_view key_id,
                                  const absl::Status& cause) {
  return absl::DataLossError(absl::StrCat(
      "data key '", key_id, "' does not unwrap: ", cause.message()));
}

absl::Status KekRecordMissing(absl::string_view path) {
  return absl::DataLossError(
      absl::StrCat("the data key store '", path,
                   "' holds keys but no record of its key-encryption key"));
}

absl::Status CheckRecordUnreadable(absl::string_view path) {
  return absl::DataLossError(absl::StrCat("the data key store '", path,
                                          "' has an unreadable check record"));
}

absl::Status DataKeyUnreadable(absl::string_view key_id) {
  return absl::DataLossError(
      absl::StrCat("data key '", key_id, "' is unreadable"));
}

absl::Status DataKeyMissing(absl::string_view key_id) {
  return absl::DataLossError(
      absl::StrCat("data key '", key_id,
                   "' is neither in the key store nor recorded as destroyed: "
                   "the key store does not belong with this event log (restore "
                   "both from the same backup)"));
}

absl::Status SealedPayloadUnreadable(uint64_t position) {
  return absl::DataLossError(absl::StrCat("event at position ", position,
                                          ": unreadable sealed payload"));
}

absl::Status DataKeyVersionMismatch(uint64_t position, uint32_t sealed_version,
                                    absl::string_view key_id,
                                    uint32_t store_version) {
  return absl::DataLossError(
      absl::StrCat("event at position ", position, " was sealed with version ",
                   sealed_version, " of data key '", key_id,
                   "', the store has ", store_version));
}

absl::Status UnsealFailed(uint64_t position, const absl::Status& cause) {
  return absl::DataLossError(
      absl::StrCat("event at position ", position, ": ", cause.message()));
}

absl::Status PublicPartUnreadable(uint64_t position) {
  return absl::DataLossError(
      absl::StrCat("event at position ", position, ": unreadable public part"));
}

absl::Status PersonalPartUnreadable(uint64_t position) {
  return absl::DataLossError(absl::StrCat("event at position ", position,
                                          ": unreadable personal part"));
}

absl::Status SodiumInitFailed() {
  return absl::InternalError("libsodium could not be initialised");
}

absl::Status CannotWriteKekFile(absl::string_view path,
                                absl::string_view reason) {
  return absl::InternalError(
      absl::StrCat("could not write '", path, "': ", reason));
}

}  // namespace renkei::privacy::errors

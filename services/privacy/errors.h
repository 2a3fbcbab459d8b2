// The catalogue of every privacy error: key-encryption keys, data keys and
// sealed events. One constructor per error, so codes and wording stay
// consistent and testable. RocksDB statuses convert through
// storage::errors::FromRocksDb.
#ifndef RENKEI_SERVICES_PRIVACY_ERRORS_H_
#define RENKEI_SERVICES_PRIVACY_ERRORS_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace renkei::privacy::errors {

// INVALID_ARGUMENT: a key or an event that cannot be used as given.
[[nodiscard]] absl::Status KekWrongSize();
[[nodiscard]] absl::Status NewKekWrongSize();
[[nodiscard]] absl::Status NewKekInUse();
// `source` names where the text came from (a file or an environment variable).
[[nodiscard]] absl::Status KekTextMalformed(absl::string_view source,
                                            size_t key_bytes);
[[nodiscard]] absl::Status SubjectErasedNamesNoSubject();
[[nodiscard]] absl::Status ProposedAlreadySealed();
[[nodiscard]] absl::Status PayloadDoesNotParse(absl::string_view event_id,
                                               absl::string_view type_url);

// NOT_FOUND: a data key the store does not hold.
[[nodiscard]] absl::Status DataKeyNotFound(absl::string_view key_id);

// ALREADY_EXISTS: a key file is never overwritten.
[[nodiscard]] absl::Status KekFileExists(absl::string_view path);

// FAILED_PRECONDITION: the keys given or found do not fit this data directory.
// `what` says what is wrong with the file, e.g. "is missing".
[[nodiscard]] absl::Status KekFileUnusable(absl::string_view path,
                                           absl::string_view what);
[[nodiscard]] absl::Status CannotCreateKekFile(absl::string_view path,
                                               absl::string_view reason);
[[nodiscard]] absl::Status WrongKek(absl::string_view path,
                                    uint32_t kek_version);
[[nodiscard]] absl::Status DataErased(absl::string_view key_id);

// DATA_LOSS: stored keys or sealed values that do not read back.
[[nodiscard]] absl::Status SealedValueMalformed();
[[nodiscard]] absl::Status SealedValueDoesNotDecrypt();
[[nodiscard]] absl::Status DataKeyDoesNotUnwrap(absl::string_view key_id,
                                                const absl::Status& cause);
[[nodiscard]] absl::Status KekRecordMissing(absl::string_view path);
[[nodiscard]] absl::Status CheckRecordUnreadable(absl::string_view path);
[[nodiscard]] absl::Status DataKeyUnreadable(absl::string_view key_id);
[[nodiscard]] absl::Status DataKeyMissing(absl::string_view key_id);
[[nodiscard]] absl::Status SealedPayloadUnreadable(uint64_t position);
[[nodiscard]] absl::Status DataKeyVersionMismatch(uint64_t position,
                                                  uint32_t sealed_version,
                                                  absl::string_view key_id,
                                                  uint32_t store_version);
[[nodiscard]] absl::Status UnsealFailed(uint64_t position,
                                        const absl::Status& cause);
[[nodiscard]] absl::Status PublicPartUnreadable(uint64_t position);
[[nodiscard]] absl::Status PersonalPartUnreadable(uint64_t position);

// INTERNAL: a library or a file write failed where it should not.
[[nodiscard]] absl::Status SodiumInitFailed();
[[nodiscard]] absl::Status CannotWriteKekFile(absl::string_view path,
                                              absl::string_view reason);
}  // namespace renkei::privacy::errors

#endif  // RENKEI_SERVICES_PRIVACY_ERRORS_H_

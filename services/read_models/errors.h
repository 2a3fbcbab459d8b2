// The catalogue of every read-model error: rows, layouts, checkpoints and
// events the projection cannot apply. One constructor per error, so codes and
// wording stay consistent and testable. RocksDB statuses convert through
// storage::errors::FromRocksDb.
#ifndef RENKEI_SERVICES_READ_MODELS_ERRORS_H_
#define RENKEI_SERVICES_READ_MODELS_ERRORS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace renkei::read_models::errors {

// NOT_FOUND: a case the read models have no row for.
[[nodiscard]] absl::Status CaseNotFound(absl::string_view case_id);

// FAILED_PRECONDITION: the read models' files are not as the server needs.
[[nodiscard]] absl::Status AheadOfLog();
[[nodiscard]] absl::Status CannotDelete(absl::string_view path,
                                        absl::string_view reason);
[[nodiscard]] absl::Status CannotOpenDirectoryToSync(absl::string_view dir);
[[nodiscard]] absl::Status CannotSyncDirectory(absl::string_view dir);
[[nodiscard]] absl::Status CannotMoveAside(absl::string_view path,
                                           absl::string_view reason);

// DATA_LOSS: stored rows or events that do not read back; rebuild the read
// models. `what` names the row, e.g. "case row".
[[nodiscard]] absl::Status RowMalformed(absl::string_view what);
[[nodiscard]] absl::Status EventUnreadable(uint64_t position,
                                           absl::string_view event_type);
[[nodiscard]] absl::Status LayoutMismatch(absl::string_view path,
                                          absl::string_view layout,
                                          absl::string_view expected);
[[nodiscard]] absl::Status LayoutUnrecorded(absl::string_view path,
                                            absl::string_view expected);
[[nodiscard]] absl::Status CheckpointMalformed();

// INTERNAL: the projection met what the domain never allows, or broke its own
// rule. An event whose `missing` row (e.g. "the referral row") the domain's
// rules
[[nodiscard]] absl::Status  // guarantee exists: the read models disagree with
                            // the log.
ImpossibleEvent(absl::string_view event_type, absl::string_view event_id,
                absl::string_view missing);
[[nodiscard]] absl::Status CannotRecordLayout();
}  // namespace renkei::read_models::errors

#endif  // RENKEI_SERVICES_READ_MODELS_ERRORS_H_

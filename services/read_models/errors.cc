// Wording of every read-model error.
#include "services/read_models/errors.h"

#include "absl/strings/str_cat.h"

namespace renkei::read_models::errors {

absl::Status CaseNotFound(absl::string_view case_id) {
  return absl::NotFoundError(
      absl::StrCat("case '", case_id, "' does not exist"));
}

absl::Status AheadOfLog() {
  return absl::FailedPreconditionError(
      "read models are ahead of the event log (were they built from another "
      "data directory?); rebuild them");
}

absl::Status CannotDelete(absl::string_view path, absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot delete '", path, "': ", reason));
}

absl::Status CannotOpenDirectoryToSync(absl::string_view dir) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot open directory '", dir, "' to sync it"));
}

absl::Status CannotSyncDirectory(absl::string_view dir) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot sync directory '", dir, "'"));
}

absl::Status CannotMoveAside(absl::string_view path, absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot move read models '", path, "' aside: ", reason));
}

absl::Status RowMalformed(absl::string_view what) {
  return absl::DataLossError(absl::StrCat(what, " is malformed"));
}

absl::Status EventUnreadable(uint64_t position, absl::string_view event_type) {
  return absl::DataLossError(absl::StrCat("event at position ", position,
                                          " is not a readable ", event_type));
}

absl::Status LayoutMismatch(absl::string_view path, absl::string_view layout,
                            absl::string_view expected) {
  return absl::DataLossError(
      absl::StrCat("read models at '", path, "' have row layout ", layout,
                   "; this server writes layout ", expected));
}

absl::Status LayoutUnrecorded(absl::string_view path,
                              absl::string_view expected) {
  return absl::DataLossError(
      absl::StrCat("read models at '", path,
                   "' were written before row layouts were recorded; this "
                   "server writes layout ",
                   expected));
}

absl::Status CheckpointMalformed() {
  return absl::DataLossError("read-model checkpoint is malformed");
}

absl::Status  // guarantee exists: the read models disagree with the log.
ImpossibleEvent(absl::string_view event_type, absl::string_view event_id,
                absl::string_view missing) {
  return absl::InternalError(absl::StrCat(
      "event ", event_type, " ", event_id, " needs ", missing,
      ", which the read models do not hold; the domain never allows this, so "
      "rebuild the read models (--rebuild-read-models) and report it"));
}

absl::Status CannotRecordLayout() {
  return absl::InternalError("cannot record the read-model layout");
}

}  // namespace renkei::read_models::errors

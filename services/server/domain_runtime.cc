#include "services/server/domain_runtime.h"

#include "absl/strings/str_cat.h"
#include "services/domain/event_codec.h"

namespace renkei::server {

DomainRuntime::DomainRuntime(storage::EventLog* log,
                             read_models::ReadModelStore* read_models,
                             read_models::Projector* projector,
                             RuntimeOptions options)
    : log_(log),
      read_models_(read_models),
      projector_(projector),
      options_(std::move(options)),
      directory_(log,
                 [](domain::DirectoryState& state,
                    const v1::EventEnvelope& envelope) -> absl::Status {
                   auto event = domain::DirectoryEventFromEnvelope(envelope);
                   if (!event.ok()) return event.status();
                   domain::Evolve(state, *event);
                   return absl::OkStatus();
                 }),
      cases_(log,
             [](domain::CaseState& state,
                const v1::EventEnvelope& envelope) -> absl::Status {
               auto event = domain::CaseEventFromEnvelope(envelope);
               if (!event.ok()) return event.status();
               domain::Evolve(state, *event);
               return absl::OkStatus();
             }),
      pipeline_(log) {}

absl::StatusOr<const read_models::ReadModelStore*>
DomainRuntime::CurrentReadModels() {
  if (read_models_ == nullptr || projector_ == nullptr) {
    return absl::UnimplementedError("this server runs without read models");
  }
  const uint64_t head = log_->Head();
  if (!projector_->WaitFor(head, options_.read_model_wait)) {
    absl::Status status = projector_->status();
    return absl::UnavailableError(absl::StrCat(
        "read models are at position ", projector_->Checkpoint(), " of ", head,
        status.ok() ? " and catching up; retry shortly"
                    : absl::StrCat(" and stopped: ", status.ToString())));
  }
  return read_models_;
}

absl::StatusOr<Caller> DomainRuntime::IdentifyForCommand(
    const grpc::CallbackServerContext& context) {
  auto caller = CallerFromMetadata(context);
  if (!caller.ok()) return caller.status();
  if (caller->agency_id.empty()) {
    auto dir = directory_.Load(std::string(domain::kDirectoryStreamId));
    if (!dir.ok()) return dir.status();
    if (const auto* staff = dir->state->FindStaff(caller->staff_id)) {
      caller->agency_id = staff->staff.agency_id();
    }
  }
  return caller;
}

absl::StatusOr<Caller> DomainRuntime::IdentifyForQuery(
    const grpc::CallbackServerContext& context) {
  auto caller = CallerFromMetadata(context);
  if (!caller.ok()) return caller.status();
  auto dir = directory_.Load(std::string(domain::kDirectoryStreamId));
  if (!dir.ok()) return dir.status();
  const auto* staff = dir->state->FindStaff(caller->staff_id);
  if (staff == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(
        "staff member '", caller->staff_id,
        "' is not in the directory; register them before they read cases"));
  }
  if (staff->HasLeft()) {
    return absl::PermissionDeniedError(
        absl::StrCat("staff member '", caller->staff_id,
                     "' has left and may not read cases"));
  }
  if (!caller->agency_id.empty() &&
      caller->agency_id != staff->staff.agency_id()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "staff member '", caller->staff_id, "' works for '",
        staff->staff.agency_id(), "', not '", caller->agency_id, "'"));
  }
  caller->agency_id = staff->staff.agency_id();
  return caller;
}

}  // namespace renkei::server

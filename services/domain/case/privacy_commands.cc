// Legal holds and erasure: administrators keep the retention schedule. A
// hold stops erasure; an erased subject or case stays erased.
#include "absl/strings/str_cat.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

absl::Status RequireAdministrator(const DecideContext& ctx,
                                  absl::string_view action) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.directory().RequireActiveStaffOf(
      ctx.actor().staff_id(), ctx.actor().agency_id()));
  if (!ctx.directory().HasRole(ctx.actor().staff_id(),
                               v1::STAFF_ROLE_ADMINISTRATOR)) {
    return errors::NotRecordsAdministrator(ctx.actor().staff_id(), action);
  }
  return absl::OkStatus();
}

// FAILED_PRECONDITION naming the first hold in force, if any.
absl::Status RequireNoHold(const DecideContext& ctx, absl::string_view action) {
  if (ctx.state().legal_holds.empty()) return absl::OkStatus();
  const LegalHold& hold = ctx.state().legal_holds.begin()->second;
  return errors::LegalHoldInForce(ctx.state().case_id, hold.hold_id,
                                  hold.reason, action);
}

absl::StatusOr<Events> Place(const DecideContext& ctx,
                             const v1::PlaceLegalHold& place) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("hold_id", place.hold_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", place.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireAdministrator(ctx, "place a legal hold"));
  if (ctx.state().legal_holds.contains(place.hold_id())) {
    return errors::LegalHoldExists(place.hold_id());
  }
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_legal_hold_placed()->set_hold_id(place.hold_id());
  event.mutable_legal_hold_placed()->set_reason(place.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Release(const DecideContext& ctx,
                               const v1::ReleaseLegalHold& release) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("hold_id", release.hold_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", release.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireAdministrator(ctx, "release a legal hold"));
  if (!ctx.state().legal_holds.contains(release.hold_id())) {
    return errors::LegalHoldNotFound(release.hold_id());
  }
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_legal_hold_released()->set_hold_id(release.hold_id());
  event.mutable_legal_hold_released()->set_reason(release.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> EraseOne(const DecideContext& ctx,
                                const v1::EraseSubject& erase) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("subject_id", erase.subject_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", erase.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireAdministrator(ctx, "erase a subject"));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireSubject(erase.subject_id()));
  if (ctx.state().SubjectErased(erase.subject_id())) {
    return errors::SubjectAlreadyErased(erase.subject_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireNoHold(ctx, "be erased"));
  v1::CaseEvent event = ctx.NewEvent();
  v1::SubjectErased* erased = event.mutable_subject_erased();
  erased->set_subject_id(erase.subject_id());
  erased->set_reason(erase.reason());
  erased->set_retention_rule_id(erase.retention_rule_id());
  return Events{std::move(event)};
}

absl::StatusOr<Events> EraseAll(const DecideContext& ctx,
                                const v1::EraseCase& erase) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", erase.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireAdministrator(ctx, "erase a case"));
  if (!ctx.state().closed)
    return errors::CaseOpenForErasure(ctx.state().case_id);
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireNoHold(ctx, "be erased"));
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_case_erased()->set_reason(erase.reason());
  event.mutable_case_erased()->set_retention_rule_id(erase.retention_rule_id());
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<Events> DecidePrivacy(const DecideContext& ctx) {
  const v1::CaseCommand& command = ctx.command();
  switch (command.kind_case()) {
    case v1::CaseCommand::kPlaceLegalHold:
      return Place(ctx, command.place_legal_hold());
    case v1::CaseCommand::kReleaseLegalHold:
      return Release(ctx, command.release_legal_hold());
    case v1::CaseCommand::kEraseSubject:
      return EraseOne(ctx, command.erase_subject());
    case v1::CaseCommand::kEraseCase:
      return EraseAll(ctx, command.erase_case());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal

// Deciding disclosures to household members: recording that a staff member
// told a person of the household about entries (refused unless the actor may
// see each entry and each may be told to that person).
#include "absl/strings/str_cat.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/case/sharing.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

absl::Status ValidateChannel(v1::DisclosureChannel channel) {
  if (channel != v1::DISCLOSURE_CHANNEL_UNSPECIFIED &&
      !v1::DisclosureChannel_IsValid(channel)) {
    return errors::InvalidEnum("channel", channel);
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> Record(const DecideContext& ctx,
                              const v1::RecordSubjectDisclosure& disclosure) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("disclosure_id", disclosure.disclosure_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("subject_id", disclosure.subject_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("entry_ids", disclosure.entry_ids(), true));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("summary", disclosure.summary()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateChannel(disclosure.channel()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  if (ctx.state().FindSubjectDisclosure(disclosure.disclosure_id()) !=
      nullptr) {
    return errors::DisclosureAlreadyExists(disclosure.disclosure_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireSubject(disclosure.subject_id()));
  // The actor passes on only what its agency may itself see.
  const SharingRequest as_sender{
      .sender_agency_id = ctx.actor().agency_id(),
      .recipient_agency_id = "",
      .purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION,
      .at = ctx.decided_at(),
      .forum_id = "",
      .emergency_id = ""};

  v1::CaseEvent event = ctx.NewEvent();
  auto* recorded = event.mutable_subject_disclosure_recorded();
  recorded->set_disclosure_id(disclosure.disclosure_id());
  recorded->set_subject_id(disclosure.subject_id());
  recorded->set_summary(disclosure.summary());
  recorded->set_channel(disclosure.channel());
  for (const std::string& entry_id : disclosure.entry_ids()) {
    const EntryState* entry = ctx.state().FindEntry(entry_id);
    if (entry == nullptr) return errors::EntryNotFound(entry_id);
    const EntryAccess seen = SenderAccess(ctx.state(), *entry, as_sender);
    if (!seen.allowed()) {
      return errors::DisclosureOfUnseenEntry(
          entry_id, ctx.actor().agency_id(),
          v1::SharingDenialReason_Name(seen.decision.denial_reason()));
    }
    v1::SharingDecision decision = MayDiscloseToSubject(
        ctx.state(), *entry, disclosure.subject_id(), ctx.decided_at());
    if (!decision.allowed()) {
      return errors::DisclosureToSubjectDenied(
          entry_id, disclosure.subject_id(),
          v1::SharingDenialReason_Name(decision.denial_reason()),
          decision.explanation());
    }
    v1::SharedItem* item = recorded->add_items();
    item->set_entry_id(entry_id);
    // What the actor may see of it (a provision: the version provided).
    item->set_entry_version(seen.version);
    *item->mutable_basis() = std::move(*decision.mutable_basis());
  }
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<Events> DecideDisclosure(const DecideContext& ctx) {
  const v1::CaseCommand& command = ctx.command();
  switch (command.kind_case()) {
    case v1::CaseCommand::kRecordSubjectDisclosure:
      return Record(ctx, command.record_subject_disclosure());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal

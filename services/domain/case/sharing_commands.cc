// Deciding sharing commands: registering a statutory forum and recording a
// provision of entries to an agency (refused without a basis).
#include "absl/strings/str_cat.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/case/sharing.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

absl::StatusOr<Events> RegisterForum(const DecideContext& ctx,
                                     const v1::RegisterStatutoryForum& reg) {
  const v1::StatutoryForum& forum = reg.forum();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("forum.forum_id", forum.forum_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("forum.kind", forum.kind(), &v1::ForumKind_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("forum.name", forum.name()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateIdList(
      "forum.member_agency_ids", forum.member_agency_ids(), true));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  if (ctx.state().FindForum(forum.forum_id()) != nullptr) {
    return errors::ForumAlreadyExists(forum.forum_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireAgencies(forum.member_agency_ids()));
  v1::CaseEvent event = ctx.NewEvent();
  *event.mutable_statutory_forum_registered()->mutable_forum() = forum;
  return Events{std::move(event)};
}

absl::StatusOr<Events> Share(const DecideContext& ctx,
                             const v1::ShareInformation& share) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("recipient_agency_id", share.recipient_agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("purpose", share.purpose(), &v1::SharingPurpose_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("entry_ids", share.entry_ids(), true));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("forum_id", share.forum_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.directory().RequireAgency(share.recipient_agency_id()));
  const SharingRequest request{
      .sender_agency_id = ctx.actor().agency_id(),
      .recipient_agency_id = share.recipient_agency_id(),
      .purpose = share.purpose(),
      .at = ctx.at(),
      .forum_id = share.forum_id(),
      .emergency_reason = share.emergency_reason()};

  v1::CaseEvent event = ctx.NewEvent();
  auto* shared = event.mutable_information_shared();
  shared->set_recipient_agency_id(share.recipient_agency_id());
  shared->set_purpose(share.purpose());
  for (const std::string& entry_id : share.entry_ids()) {
    const EntryState* entry = ctx.state().FindEntry(entry_id);
    if (entry == nullptr) return errors::EntryNotFound(entry_id);
    v1::SharingDecision decision = MayShare(ctx.state(), *entry, request);
    if (!decision.allowed()) {
      return errors::SharingWithoutBasis(absl::StrCat("entry '", entry_id, "'"),
                                         share.recipient_agency_id(),
                                         decision.explanation());
    }
    v1::SharedItem* item = shared->add_items();
    item->set_entry_id(entry_id);
    const EntryAccess sender = SenderAccess(ctx.state(), *entry, request);
    // What the sender may see of it (a provision: the version provided).
    item->set_entry_version(sender.allowed() ? sender.version
                                             : entry->version());
    *item->mutable_basis() = std::move(*decision.mutable_basis());
  }
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<Events> DecideSharing(const DecideContext& ctx) {
  const v1::CaseCommand& command = ctx.command();
  switch (command.kind_case()) {
    case v1::CaseCommand::kRegisterStatutoryForum:
      return RegisterForum(ctx, command.register_statutory_forum());
    case v1::CaseCommand::kShareInformation:
      return Share(ctx, command.share_information());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal

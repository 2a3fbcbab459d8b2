// Deciding sharing commands: registering a statutory forum, recording a
// provision of entries to an agency (refused without a basis), and invoking
// and reviewing emergency access.
#include <set>

#include "absl/strings/str_cat.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/case/sharing.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
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
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateOptionalId(
      "forum.coordinating_agency_id", forum.coordinating_agency_id()));
  if (!forum.coordinating_agency_id().empty() &&
      std::find(
          forum.member_agency_ids().begin(), forum.member_agency_ids().end(),
          forum.coordinating_agency_id()) == forum.member_agency_ids().end()) {
    return errors::InvalidField("forum.coordinating_agency_id",
                                "must be one of the forum's members.");
  }
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
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("emergency_id", share.emergency_id()));
  if (!share.emergency_reason().empty()) {
    return errors::EmergencyReasonWithoutAccess();
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.directory().RequireAgency(share.recipient_agency_id()));
  const SharingRequest request{
      .sender_agency_id = ctx.actor().agency_id(),
      .recipient_agency_id = share.recipient_agency_id(),
      .purpose = share.purpose(),
      .at = ctx.decided_at(),
      .forum_id = share.forum_id(),
      .emergency_id = share.emergency_id()};

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

// Agencies that may invoke or review emergency access: the case's stage-lead
// agencies now and the coordinating agencies of its forums.
std::set<std::string> EmergencyAuthorities(const DecideContext& ctx) {
  std::set<std::string> agencies;
  for (const v1::CurrentStageLead& lead :
       LeadsAt(ctx.state(), ctx.decided_at(), ctx.decided_at())) {
    agencies.insert(lead.lead().agency_id());
  }
  for (const auto& [id, forum] : ctx.state().forums) {
    if (!forum.forum.coordinating_agency_id().empty()) {
      agencies.insert(forum.forum.coordinating_agency_id());
    }
  }
  return agencies;
}

constexpr uint32_t kDefaultEmergencyHours = 24;
constexpr uint32_t kMaxEmergencyHours = 72;

absl::StatusOr<Events> Invoke(const DecideContext& ctx,
                              const v1::InvokeEmergencyAccess& invoke) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("emergency_id", invoke.emergency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", invoke.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("subject_ids", invoke.subject_ids(), false));
  if (invoke.duration_hours() > kMaxEmergencyHours) {
    return errors::InvalidField(
        "duration_hours", absl::StrCat("is at most ", kMaxEmergencyHours,
                                       " hours; invoke again if need be."));
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireSubjects(invoke.subject_ids()));
  if (ctx.state().FindEmergency(invoke.emergency_id()) != nullptr) {
    return errors::EmergencyAlreadyExists(invoke.emergency_id());
  }
  if (!EmergencyAuthorities(ctx).contains(ctx.actor().agency_id())) {
    return errors::NotEmergencyInvoker(ctx.actor().agency_id());
  }
  const uint32_t hours = invoke.duration_hours() == 0 ? kDefaultEmergencyHours
                                                      : invoke.duration_hours();
  v1::CaseEvent event = ctx.NewEvent();
  v1::EmergencyAccessInvoked* invoked =
      event.mutable_emergency_access_invoked();
  invoked->set_emergency_id(invoke.emergency_id());
  invoked->set_agency_id(ctx.actor().agency_id());
  invoked->set_staff_id(ctx.actor().staff_id());
  invoked->set_reason(invoke.reason());
  *invoked->mutable_subject_ids() = invoke.subject_ids();
  *invoked->mutable_expires_at() =
      ToTimestamp(ctx.decided_at() + absl::Hours(hours));
  return Events{std::move(event)};
}

absl::StatusOr<Events> Review(const DecideContext& ctx,
                              const v1::ReviewEmergencyAccess& review) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("emergency_id", review.emergency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("finding", review.finding()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const EmergencyState* emergency =
      ctx.state().FindEmergency(review.emergency_id());
  if (emergency == nullptr) {
    return errors::EmergencyNotFound(review.emergency_id());
  }
  if (emergency->review.has_value()) {
    return errors::EmergencyAlreadyReviewed(review.emergency_id());
  }
  if (emergency->actor.staff_id() == ctx.actor().staff_id()) {
    return errors::SelfReviewedEmergency(review.emergency_id());
  }
  const std::string& agency = ctx.actor().agency_id();
  if (agency != emergency->invoked.agency_id() &&
      !EmergencyAuthorities(ctx).contains(agency)) {
    return errors::NotEmergencyReviewer(review.emergency_id(), agency);
  }
  v1::CaseEvent event = ctx.NewEvent();
  v1::EmergencyAccessReviewed* reviewed =
      event.mutable_emergency_access_reviewed();
  reviewed->set_emergency_id(review.emergency_id());
  reviewed->set_finding(review.finding());
  reviewed->set_justified(review.justified());
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
    case v1::CaseCommand::kInvokeEmergencyAccess:
      return Invoke(ctx, command.invoke_emergency_access());
    case v1::CaseCommand::kReviewEmergencyAccess:
      return Review(ctx, command.review_emergency_access());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal

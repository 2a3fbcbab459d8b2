// Deciding referral commands, a closed loop:
//   made -> accepted | not accepted | returned | referred on
//   accepted -> feedback* -> returned | referred on | closed
//   referred on -> feedback* -> closed; not accepted | returned -> closed.
// The receiver answers and gives feedback; the referrer closes. Either side
// may hand its part to another of its staff (e.g. on a handover).
#include <algorithm>
#include <initializer_list>

#include "absl/strings/str_cat.h"
#include "services/domain/case/decide_context.h"
#include "services/domain/case/sharing.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

absl::Status ValidateMake(const DecideContext& ctx,
                          const v1::MakeReferral& make) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("referral_id", make.referral_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("to_agency_id", make.to_agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("to_staff_id", make.to_staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("subject_ids", make.subject_ids(), true));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", make.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("urgency", make.urgency(), &v1::ReferralUrgency_IsValid));
  if (!make.has_response_deadline())
    return errors::MissingField("response_deadline");
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateTimestamp("response_deadline", make.response_deadline()));
  if (ToTime(make.response_deadline()) <= ctx.at()) {
    return errors::InvalidField("response_deadline",
                                "must be after the referral is made.");
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("purpose", make.purpose(), &v1::SharingPurpose_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnumList(
      "categories", make.categories(), &v1::InformationCategory_IsValid, true));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("entry_ids", make.entry_ids(), false));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("emergency_id", make.emergency_id()));
  if (!make.emergency_reason().empty()) {
    return errors::EmergencyReasonWithoutAccess();
  }
  return ValidateOptionalId("forum_id", make.forum_id());
}

// The version of `entry` the sender of `request` may see and so send.
uint32_t SenderVersion(const CaseState& state, const EntryState& entry,
                       const SharingRequest& request) {
  const EntryAccess access = SenderAccess(state, entry, request);
  return access.allowed() ? access.version : entry.version();
}

// The ReferralMade event for `make`, sent by the actor; checks that a basis
// covers the receiver for every category and every entry sent.
absl::StatusOr<v1::CaseEvent> Made(const DecideContext& ctx,
                                   const v1::MakeReferral& make,
                                   absl::string_view parent_referral_id) {
  const CaseState& state = ctx.state();
  if (state.FindReferral(make.referral_id()) != nullptr) {
    return errors::ReferralAlreadyExists(make.referral_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.directory().RequireAgency(make.to_agency_id()));
  if (make.to_agency_id() == ctx.actor().agency_id()) {
    return errors::InvalidField("to_agency_id",
                                "is the referring agency itself.");
  }
  if (!make.to_staff_id().empty()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.directory().RequireActiveStaffOf(
        make.to_staff_id(), make.to_agency_id()));
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireSubjects(make.subject_ids()));

  const SharingRequest request{.sender_agency_id = ctx.actor().agency_id(),
                               .recipient_agency_id = make.to_agency_id(),
                               .purpose = make.purpose(),
                               .at = ctx.decided_at(),
                               .forum_id = make.forum_id(),
                               .emergency_id = make.emergency_id()};
  v1::SharingDecision basis =
      MayShareCategories(state, make.subject_ids(), make.categories(), request);
  if (!basis.allowed()) {
    return errors::SharingWithoutBasis(
        absl::StrCat("referral '", make.referral_id(), "'"),
        make.to_agency_id(), basis.explanation());
  }

  v1::CaseEvent event = ctx.NewEvent();
  v1::Referral* referral = event.mutable_referral_made()->mutable_referral();
  for (const std::string& entry_id : make.entry_ids()) {
    const EntryState* entry = state.FindEntry(entry_id);
    if (entry == nullptr) return errors::EntryNotFound(entry_id);
    for (int category : entry->current().categories()) {
      if (std::find(make.categories().begin(), make.categories().end(),
                    category) == make.categories().end()) {
        return errors::InvalidField(
            "entry_ids",
            absl::StrCat("entry '", entry_id,
                         "' carries information beyond the referral's "
                         "categories (minimum necessary)."));
      }
    }
    v1::SharingDecision decision = MayShare(state, *entry, request);
    if (!decision.allowed()) {
      return errors::SharingWithoutBasis(absl::StrCat("entry '", entry_id, "'"),
                                         make.to_agency_id(),
                                         decision.explanation());
    }
    v1::SentEntry* sent = referral->add_sent_entries();
    sent->set_entry_id(entry_id);
    // What the sender may see of it (a provision: the version provided).
    sent->set_entry_version(SenderVersion(state, *entry, request));
  }

  referral->set_referral_id(make.referral_id());
  referral->set_from_agency_id(ctx.actor().agency_id());
  referral->set_from_staff_id(ctx.actor().staff_id());
  referral->set_to_agency_id(make.to_agency_id());
  referral->set_to_staff_id(make.to_staff_id());
  *referral->mutable_subject_ids() = make.subject_ids();
  referral->set_reason(make.reason());
  referral->set_urgency(make.urgency());
  *referral->mutable_response_deadline() = make.response_deadline();
  referral->set_purpose(make.purpose());
  *referral->mutable_categories() = make.categories();
  *referral->mutable_basis() = std::move(*basis.mutable_basis());
  referral->set_parent_referral_id(std::string(parent_referral_id));
  return event;
}

absl::StatusOr<Events> Make(const DecideContext& ctx,
                            const v1::MakeReferral& make) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateMake(ctx, make));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(v1::CaseEvent event, Made(ctx, make, ""));
  return Events{std::move(event)};
}

// The referral, after checking the case is open, the actor is active and
// belongs to the receiving (or, for closing, the referring) agency, and the
// referral's status is one of `allowed`.
absl::StatusOr<const ReferralState*> Transition(
    const DecideContext& ctx, absl::string_view referral_id, bool by_referrer,
    std::initializer_list<v1::ReferralStatus> allowed,
    absl::string_view action) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const ReferralState* referral = ctx.state().FindReferral(referral_id);
  if (referral == nullptr) return errors::ReferralNotFound(referral_id);
  const std::string& agency = ctx.actor().agency_id();
  if (by_referrer && referral->referral.from_agency_id() != agency) {
    return errors::NotReferrer(referral_id, agency);
  }
  if (!by_referrer && referral->referral.to_agency_id() != agency) {
    return errors::NotReferralReceiver(referral_id, agency);
  }
  if (std::find(allowed.begin(), allowed.end(), referral->status) ==
      allowed.end()) {
    return errors::InvalidReferralTransition(referral_id, referral->status,
                                             action);
  }
  return referral;
}

absl::StatusOr<Events> Accept(const DecideContext& ctx,
                              const v1::AcceptReferral& accept) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("referral_id", accept.referral_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("assigned_staff_id", accept.assigned_staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(Transition(ctx, accept.referral_id(), false,
                                           {v1::REFERRAL_STATUS_MADE},
                                           "accepted")
                                    .status());
  if (!accept.assigned_staff_id().empty()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.directory().RequireActiveStaffOf(
        accept.assigned_staff_id(), ctx.actor().agency_id()));
  }
  v1::CaseEvent event = ctx.NewEvent();
  auto* accepted = event.mutable_referral_accepted();
  accepted->set_referral_id(accept.referral_id());
  accepted->set_assigned_staff_id(accept.assigned_staff_id());
  accepted->set_note(accept.note());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Decline(const DecideContext& ctx,
                               const v1::DeclineReferral& decline) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("referral_id", decline.referral_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", decline.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(Transition(ctx, decline.referral_id(), false,
                                           {v1::REFERRAL_STATUS_MADE},
                                           "declined")
                                    .status());
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_referral_not_accepted()->set_referral_id(decline.referral_id());
  event.mutable_referral_not_accepted()->set_reason(decline.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Return(const DecideContext& ctx,
                              const v1::ReturnReferral& ret) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("referral_id", ret.referral_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", ret.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      Transition(ctx, ret.referral_id(), false,
                 {v1::REFERRAL_STATUS_MADE, v1::REFERRAL_STATUS_ACCEPTED},
                 "returned")
          .status());
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_referral_returned()->set_referral_id(ret.referral_id());
  event.mutable_referral_returned()->set_reason(ret.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> ReferOn(const DecideContext& ctx,
                               const v1::ReferReferralOn& refer) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("referral_id", refer.referral_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateMake(ctx, refer.onward()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      Transition(ctx, refer.referral_id(), false,
                 {v1::REFERRAL_STATUS_MADE, v1::REFERRAL_STATUS_ACCEPTED},
                 "referred on")
          .status());
  RENKEI_DOMAIN_ASSIGN_OR_RETURN(
      v1::CaseEvent onward, Made(ctx, refer.onward(), refer.referral_id()));
  v1::CaseEvent event = ctx.NewEvent();
  auto* on = event.mutable_referral_referred_on();
  on->set_referral_id(refer.referral_id());
  on->set_onward_referral_id(refer.onward().referral_id());
  on->set_to_agency_id(refer.onward().to_agency_id());
  on->set_reason(refer.onward().reason());
  return Events{std::move(event), std::move(onward)};
}

absl::StatusOr<Events> Feedback(const DecideContext& ctx,
                                const v1::GiveReferralFeedback& feedback) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("referral_id", feedback.referral_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("feedback", feedback.feedback()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(Transition(ctx, feedback.referral_id(), false,
                                           {v1::REFERRAL_STATUS_ACCEPTED,
                                            v1::REFERRAL_STATUS_REFERRED_ON},
                                           "given feedback")
                                    .status());
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_referral_feedback_given()->set_referral_id(
      feedback.referral_id());
  event.mutable_referral_feedback_given()->set_feedback(feedback.feedback());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Close(const DecideContext& ctx,
                             const v1::CloseReferral& close) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("referral_id", close.referral_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("outcome", close.outcome()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      Transition(
          ctx, close.referral_id(), true,
          {v1::REFERRAL_STATUS_MADE, v1::REFERRAL_STATUS_ACCEPTED,
           v1::REFERRAL_STATUS_NOT_ACCEPTED, v1::REFERRAL_STATUS_RETURNED,
           v1::REFERRAL_STATUS_REFERRED_ON},
          "closed")
          .status());
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_referral_closed()->set_referral_id(close.referral_id());
  event.mutable_referral_closed()->set_outcome(close.outcome());
  return Events{std::move(event)};
}

absl::StatusOr<Events> ReassignHandler(
    const DecideContext& ctx, const v1::ReassignReferralHandler& reassign) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("referral_id", reassign.referral_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("side", reassign.side(), &v1::ReferralSide_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("staff_id", reassign.staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", reassign.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("handover_id", reassign.handover_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const ReferralState* referral =
      ctx.state().FindReferral(reassign.referral_id());
  if (referral == nullptr) {
    return errors::ReferralNotFound(reassign.referral_id());
  }
  const bool referrer = reassign.side() == v1::REFERRAL_SIDE_REFERRER;
  const std::string& side_agency = referrer
                                       ? referral->referral.from_agency_id()
                                       : referral->referral.to_agency_id();
  const std::string& current =
      referrer ? referral->referrer_staff_id : referral->receiver_staff_id;
  if (ctx.actor().agency_id() != side_agency) {
    return errors::NotReferralSide(reassign.referral_id(),
                                   ctx.actor().agency_id(),
                                   referrer ? "referring" : "receiving");
  }
  if (current == reassign.staff_id()) return Events{};
  if (referral->status == v1::REFERRAL_STATUS_CLOSED) {
    return errors::InvalidReferralTransition(reassign.referral_id(),
                                             referral->status, "reassigned");
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.directory().RequireActiveStaffOf(reassign.staff_id(), side_agency));
  if (!reassign.handover_id().empty()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireHandoverMove(
        reassign.handover_id(), current, reassign.staff_id()));
  }
  v1::CaseEvent event = ctx.NewEvent();
  auto* reassigned = event.mutable_referral_handler_reassigned();
  reassigned->set_referral_id(reassign.referral_id());
  reassigned->set_side(reassign.side());
  reassigned->set_previous_staff_id(current);
  reassigned->set_staff_id(reassign.staff_id());
  reassigned->set_reason(reassign.reason());
  reassigned->set_handover_id(reassign.handover_id());
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<Events> DecideReferral(const DecideContext& ctx) {
  const v1::CaseCommand& command = ctx.command();
  switch (command.kind_case()) {
    case v1::CaseCommand::kMakeReferral:
      return Make(ctx, command.make_referral());
    case v1::CaseCommand::kAcceptReferral:
      return Accept(ctx, command.accept_referral());
    case v1::CaseCommand::kDeclineReferral:
      return Decline(ctx, command.decline_referral());
    case v1::CaseCommand::kReturnReferral:
      return Return(ctx, command.return_referral());
    case v1::CaseCommand::kReferReferralOn:
      return ReferOn(ctx, command.refer_referral_on());
    case v1::CaseCommand::kGiveReferralFeedback:
      return Feedback(ctx, command.give_referral_feedback());
    case v1::CaseCommand::kCloseReferral:
      return Close(ctx, command.close_referral());
    case v1::CaseCommand::kReassignReferralHandler:
      return ReassignHandler(ctx, command.reassign_referral_handler());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal

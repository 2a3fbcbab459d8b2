// Deciding entry commands: record, amend (a new version) and retract.
#include <algorithm>
#include <set>

#include "services/domain/case/decide_context.h"
#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/validation.h"

namespace renkei::domain::internal {
namespace {

absl::Status ValidateActors(
    absl::string_view field,
    const google::protobuf::RepeatedPtrField<v1::Actor>& actors) {
  std::set<absl::string_view> seen;
  for (const v1::Actor& actor : actors) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId(field, actor.staff_id()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId(field, actor.agency_id()));
    if (!seen.insert(actor.staff_id()).second) {
      return errors::InvalidField(field, "names the same staff member twice.");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateBody(const v1::Entry& entry) {
  switch (entry.body_case()) {
    case v1::Entry::kInformationReceived: {
      const auto& info = entry.information_received();
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateId("entry.information_received.source_agency_id",
                     info.source_agency_id()));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateOptionalId("entry.information_received.source_staff_id",
                             info.source_staff_id()));
      return RequireText("entry.information_received.content", info.content());
    }
    case v1::Entry::kContact: {
      const auto& contact = entry.contact();
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum("entry.contact.channel",
                                                contact.channel(),
                                                &v1::ContactChannel_IsValid));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateIdList("entry.contact.counterpart_subject_ids",
                         contact.counterpart_subject_ids(), false));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateIdList("entry.contact.counterpart_agency_ids",
                         contact.counterpart_agency_ids(), false));
      if (contact.counterpart_subject_ids().empty() &&
          contact.counterpart_agency_ids().empty()) {
        return errors::MissingField("entry.contact.counterpart");
      }
      return RequireText("entry.contact.summary", contact.summary());
    }
    case v1::Entry::kInterview: {
      const auto& interview = entry.interview();
      if (interview.interviewers().empty()) {
        return errors::MissingField("entry.interview.interviewers");
      }
      RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateActors(
          "entry.interview.interviewers", interview.interviewers()));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateIdList("entry.interview.interviewee_subject_ids",
                         interview.interviewee_subject_ids(), true));
      return RequireText("entry.interview.summary", interview.summary());
    }
    case v1::Entry::kJointVisit: {
      const auto& visit = entry.joint_visit();
      RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateActors(
          "entry.joint_visit.participants", visit.participants()));
      if (visit.participants().size() < 2) {
        return errors::InvalidField("entry.joint_visit.participants",
                                    "needs at least two staff members.");
      }
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateIdList("entry.joint_visit.visited_subject_ids",
                         visit.visited_subject_ids(), true));
      return RequireText("entry.joint_visit.summary", visit.summary());
    }
    case v1::Entry::kAssessment: {
      const auto& a = entry.assessment();
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum("entry.assessment.illness",
                                                a.illness(),
                                                &v1::AssessmentRating_IsValid));
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum("entry.assessment.urgency",
                                                a.urgency(),
                                                &v1::AssessmentRating_IsValid));
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum("entry.assessment.case_ness",
                                                a.case_ness(),
                                                &v1::AssessmentRating_IsValid));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          RequireEnum("entry.assessment.quick_response", a.quick_response(),
                      &v1::AssessmentRating_IsValid));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          RequireEnum("entry.assessment.suicidal_ideation",
                      a.suicidal_ideation(), &v1::SuicidalIdeation_IsValid));
      for (const v1::EmergencyTrigger& trigger : a.emergency_triggers()) {
        RENKEI_DOMAIN_RETURN_IF_ERROR(
            RequireText("entry.assessment.emergency_triggers.condition",
                        trigger.condition()));
        RENKEI_DOMAIN_RETURN_IF_ERROR(
            RequireText("entry.assessment.emergency_triggers.response",
                        trigger.response()));
      }
      return absl::OkStatus();
    }
    case v1::Entry::kRiskRanking: {
      const auto& r = entry.risk_ranking();
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum(
          "entry.risk_ranking.rank", r.rank(), &v1::RiskRank_IsValid));
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum("entry.risk_ranking.lead_side",
                                                r.lead_side(),
                                                &v1::LeadSide_IsValid));
      return RequireText("entry.risk_ranking.reason", r.reason());
    }
    case v1::Entry::BODY_NOT_SET:
      break;
  }
  return errors::MissingField("entry.body");
}

absl::Status ValidateEntry(const v1::Entry& entry) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("entry.entry_id", entry.entry_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("entry.subject_ids", entry.subject_ids(), true));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnumList("entry.categories", entry.categories(),
                      &v1::InformationCategory_IsValid, true));
  const v1::Confidentiality& conf = entry.confidentiality();
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("entry.confidentiality.withheld_from_subject_ids",
                     conf.withheld_from_subject_ids(), false));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("entry.confidentiality.withheld_from_agency_ids",
                     conf.withheld_from_agency_ids(), false));
  if (!conf.withheld_from_subject_ids().empty() ||
      !conf.withheld_from_agency_ids().empty()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        RequireText("entry.confidentiality.reason", conf.reason()));
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("entry.origin_forum_id", entry.origin_forum_id()));
  return ValidateBody(entry);
}

// Everything the entry names exists, staff named are active, the forum it
// came through has the recorder as a member, and no agency that recorded or
// took part in it is among those it is withheld from.
absl::Status CheckReferences(const DecideContext& ctx, const v1::Entry& entry) {
  const DirectoryState& directory = ctx.directory();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireSubjects(entry.subject_ids()));
  const v1::Confidentiality& conf = entry.confidentiality();
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.RequireSubjects(conf.withheld_from_subject_ids()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.RequireAgencies(conf.withheld_from_agency_ids()));

  std::set<std::string> taking_part = {ctx.actor().agency_id()};
  switch (entry.body_case()) {
    case v1::Entry::kInformationReceived: {
      const auto& info = entry.information_received();
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          directory.RequireAgency(info.source_agency_id()));
      if (!info.source_staff_id().empty()) {
        RENKEI_DOMAIN_RETURN_IF_ERROR(directory.RequireActiveStaffOf(
            info.source_staff_id(), info.source_agency_id()));
      }
      taking_part.insert(info.source_agency_id());
      break;
    }
    case v1::Entry::kContact:
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ctx.RequireSubjects(entry.contact().counterpart_subject_ids()));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ctx.RequireAgencies(entry.contact().counterpart_agency_ids()));
      break;
    case v1::Entry::kInterview:
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ctx.RequireSubjects(entry.interview().interviewee_subject_ids()));
      for (const v1::Actor& a : entry.interview().interviewers()) {
        RENKEI_DOMAIN_RETURN_IF_ERROR(
            directory.RequireActiveStaffOf(a.staff_id(), a.agency_id()));
        taking_part.insert(a.agency_id());
      }
      break;
    case v1::Entry::kJointVisit:
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ctx.RequireSubjects(entry.joint_visit().visited_subject_ids()));
      for (const v1::Actor& a : entry.joint_visit().participants()) {
        RENKEI_DOMAIN_RETURN_IF_ERROR(
            directory.RequireActiveStaffOf(a.staff_id(), a.agency_id()));
        taking_part.insert(a.agency_id());
      }
      break;
    default:
      break;
  }

  for (const std::string& agency : conf.withheld_from_agency_ids()) {
    if (taking_part.contains(agency)) {
      return errors::InvalidField(
          "entry.confidentiality.withheld_from_agency_ids",
          "cannot name an agency that recorded the entry or took part in it.");
    }
  }

  if (!entry.origin_forum_id().empty()) {
    const ForumState* forum = ctx.state().FindForum(entry.origin_forum_id());
    if (forum == nullptr) return errors::ForumNotFound(entry.origin_forum_id());
    if (!forum->HasMember(ctx.actor().agency_id())) {
      return errors::NotForumMember(entry.origin_forum_id(),
                                    ctx.actor().agency_id());
    }
  }
  return absl::OkStatus();
}

// The entry exists, is not retracted, and the actor's agency recorded it.
absl::Status RequireCorrectable(const DecideContext& ctx,
                                absl::string_view entry_id) {
  const EntryState* entry = ctx.state().FindEntry(entry_id);
  if (entry == nullptr) return errors::EntryNotFound(entry_id);
  if (entry->retracted()) return errors::EntryAlreadyRetracted(entry_id);
  if (entry->recorded_by().agency_id() != ctx.actor().agency_id()) {
    return errors::NotEntryRecorder(entry_id, ctx.actor().agency_id());
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> Record(const DecideContext& ctx,
                              const v1::RecordEntry& record) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateEntry(record.entry()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  if (ctx.state().FindEntry(record.entry().entry_id()) != nullptr) {
    return errors::EntryAlreadyExists(record.entry().entry_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckReferences(ctx, record.entry()));
  v1::CaseEvent event = ctx.NewEvent();
  *event.mutable_entry_recorded()->mutable_entry() = record.entry();
  return Events{std::move(event)};
}

absl::StatusOr<Events> Amend(const DecideContext& ctx,
                             const v1::AmendEntry& amend) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateEntry(amend.entry()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", amend.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireCorrectable(ctx, amend.entry().entry_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(CheckReferences(ctx, amend.entry()));
  v1::CaseEvent event = ctx.NewEvent();
  *event.mutable_entry_amended()->mutable_entry() = amend.entry();
  event.mutable_entry_amended()->set_reason(amend.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Retract(const DecideContext& ctx,
                               const v1::RetractEntry& retract) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("entry_id", retract.entry_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", retract.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireTeamMemberOnOpenCase());
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireCorrectable(ctx, retract.entry_id()));
  v1::CaseEvent event = ctx.NewEvent();
  event.mutable_entry_retracted()->set_entry_id(retract.entry_id());
  event.mutable_entry_retracted()->set_reason(retract.reason());
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<Events> DecideEntry(const DecideContext& ctx) {
  const v1::CaseCommand& command = ctx.command();
  switch (command.kind_case()) {
    case v1::CaseCommand::kRecordEntry:
      return Record(ctx, command.record_entry());
    case v1::CaseCommand::kAmendEntry:
      return Amend(ctx, command.amend_entry());
    case v1::CaseCommand::kRetractEntry:
      return Retract(ctx, command.retract_entry());
    default:
      return errors::EmptyCommand();
  }
}

}  // namespace renkei::domain::internal

// The conference decider.
#include "services/domain/conference/decider.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/domain/authority/authority.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/errors.h"
#include "services/domain/handover/handover_rules.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"

namespace renkei::domain {
namespace {

using Events = std::vector<v1::ConferenceEvent>;

class Context {
 public:
  Context(const ConferenceState& state, const v1::ConferenceCommand& command,
          const DirectoryState& directory, const AggregateLookup& lookup)
      : state_(state),
        command_(command),
        directory_(directory),
        lookup_(lookup),
        at_(ToTime(command.occurred_at())),
        decided_at_(command.has_decided_at() ? ToTime(command.decided_at())
                                             : at_) {}

  const ConferenceState& state() const { return state_; }
  const v1::ConferenceCommand& command() const { return command_; }
  const DirectoryState& directory() const { return directory_; }
  const AggregateLookup& lookup() const { return lookup_; }
  const v1::Actor& actor() const { return command_.actor(); }
  absl::Time at() const { return at_; }
  // The server's time of decision (occurred_at when not stamped): consent
  // and authority are decided at it.
  absl::Time decided_at() const { return decided_at_; }
  const std::string& id() const { return command_.conference_id(); }

  v1::ConferenceEvent NewEvent() const {
    v1::ConferenceEvent event;
    *event.mutable_occurred_at() = command_.occurred_at();
    *event.mutable_actor() = command_.actor();
    if (command_.has_decided_at()) {
      *event.mutable_recorded_at() = command_.decided_at();
    }
    return event;
  }

  absl::Status RequireActor() const {
    RENKEI_DOMAIN_RETURN_IF_ERROR(directory_.RequireActiveStaffOf(
        actor().staff_id(), actor().agency_id()));
    if (directory_.HasRole(actor().staff_id(), v1::STAFF_ROLE_ADMINISTRATOR)) {
      return errors::AdministratorsHoldNoCases(actor().staff_id());
    }
    return absl::OkStatus();
  }
  // Scheduled, and the state is this conference's.
  absl::Status RequireConference() const {
    if (!state_.scheduled) return errors::ConferenceNotFound(id());
    if (state_.conference_id != id()) {
      return errors::ConferenceIdMismatch(state_.conference_id, id());
    }
    return absl::OkStatus();
  }
  // RequireConference and not cancelled.
  absl::Status RequireLive() const {
    RENKEI_DOMAIN_RETURN_IF_ERROR(RequireConference());
    if (state_.is_cancelled()) return errors::ConferenceCancelled(id());
    return absl::OkStatus();
  }
  // RequireLive, held, and the actor is active and a participant.
  absl::Status RequireHeldByParticipant() const {
    RENKEI_DOMAIN_RETURN_IF_ERROR(RequireLive());
    if (!state_.is_held()) return errors::ConferenceNotHeld(id());
    if (at_ < *state_.held_at) {
      return errors::InvalidField("occurred_at",
                                  "is before the conference was held.");
    }
    RENKEI_DOMAIN_RETURN_IF_ERROR(RequireActor());
    return RequireParticipant();
  }
  // RequireHeldByParticipant, and the actor attended: decisions, case
  // reviews, role splits and action items come from attendees.
  absl::Status RequireHeldByAttendee() const {
    RENKEI_DOMAIN_RETURN_IF_ERROR(RequireHeldByParticipant());
    if (!state_.Attended(actor().staff_id())) {
      return errors::NotConferenceAttendee(id(), actor().staff_id());
    }
    return absl::OkStatus();
  }
  absl::Status RequireParticipant() const {
    if (!state_.IsParticipant(actor())) {
      return errors::NotConferenceParticipant(id(), actor().staff_id());
    }
    return absl::OkStatus();
  }
  absl::Status RequireOnAgenda(absl::string_view case_id) const {
    if (!state_.OnAgenda(case_id))
      return errors::CaseNotOnAgenda(id(), case_id);
    return absl::OkStatus();
  }
  // The convener's or the coordinating body's staff.
  bool ConvenesOrCoordinates() const {
    return actor().staff_id() == state_.convener().staff_id() ||
           actor().agency_id() == state_.schedule.coordinating_agency_id();
  }

 private:
  const ConferenceState& state_;
  const v1::ConferenceCommand& command_;
  const DirectoryState& directory_;
  const AggregateLookup& lookup_;
  absl::Time at_;
  absl::Time decided_at_;
};

// The agencies a meeting shares with: the invitees and the coordinating body.
std::vector<std::string> MeetingAgencies(const v1::ConferenceScheduled& s) {
  std::vector<std::string> agencies{s.coordinating_agency_id()};
  for (const v1::Invitee& invitee : s.invitees()) {
    agencies.push_back(invitee.agency_id());
  }
  return agencies;
}

// A meeting whose basis is consent discusses a case only while every person
// on it has a consent in force naming the agencies outside its team.
absl::Status RequireMeetingConsent(const Context& ctx,
                                   const v1::ConferenceScheduled& schedule) {
  if (schedule.basis() != v1::CONFERENCE_BASIS_CONSENT ||
      schedule.anonymised()) {
    return absl::OkStatus();
  }
  const std::vector<std::string> agencies = MeetingAgencies(schedule);
  for (const v1::AgendaCase& agenda : schedule.agenda_cases()) {
    const CaseState* c = ctx.lookup().FindCase(agenda.case_id());
    if (c == nullptr) continue;
    std::vector<std::string> missing =
        SubjectsWithoutMeetingConsent(*c, ctx.decided_at(), agencies);
    if (!missing.empty()) {
      return errors::ConsentMissingForMeeting(agenda.case_id(), missing);
    }
  }
  return absl::OkStatus();
}

// The framework a conference basis is a meeting of, for its coordinating
// body; UNSPECIFIED when it has none.
v1::Framework FrameworkOfBasis(v1::ConferenceBasis basis) {
  switch (basis) {
    case v1::CONFERENCE_BASIS_YOTAIKYO:
      return v1::FRAMEWORK_YOTAIKYO;
    case v1::CONFERENCE_BASIS_SHIEN_KAIGI:
      return v1::FRAMEWORK_SHIEN_KAIGI;
    default:
      return v1::FRAMEWORK_UNSPECIFIED;
  }
}

absl::Status ValidateBasis(const v1::ScheduleConference& schedule) {
  const v1::ConferenceBasis basis = schedule.basis();
  switch (schedule.type()) {
    case v1::CONFERENCE_TYPE_SUPPORT_MEETING:
      if (basis != v1::CONFERENCE_BASIS_SHIEN_KAIGI &&
          basis != v1::CONFERENCE_BASIS_SELF_RELIANCE_SUPPORT) {
        return errors::InvalidField(
            "basis",
            "must be the Social Welfare Act art. 106-6 or the Act on "
            "Self-Reliance Support art. 9 for a support meeting.");
      }
      break;
    case v1::CONFERENCE_TYPE_LAYERED_SUPPORT:
      if (basis != v1::CONFERENCE_BASIS_CONSENT) {
        return errors::InvalidField(
            "basis", "must be consent for a layered-support meeting.");
      }
      break;
    default:
      break;
  }
  if (basis == v1::CONFERENCE_BASIS_NO_PERSONAL_DATA &&
      !schedule.anonymised() && !schedule.agenda_case_ids().empty()) {
    return errors::InvalidField(
        "basis",
        "shows no personal data, so cases on the agenda need an anonymised "
        "conference.");
  }
  return absl::OkStatus();
}

absl::Status ValidateAgendaItems(const v1::ScheduleConference& schedule) {
  std::set<std::string> ids;
  for (const v1::AgendaItem& item : schedule.agenda_items()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("agenda_items.item_id", item.item_id()));
    if (!ids.insert(item.item_id()).second) {
      return errors::InvalidField(
          "agenda_items", absl::StrCat("lists '", item.item_id(), "' twice."));
    }
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        RequireText("agenda_items.title", item.title()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateOptionalId("agenda_items.case_id", item.case_id()));
    if (!item.case_id().empty() &&
        std::find(schedule.agenda_case_ids().begin(),
                  schedule.agenda_case_ids().end(),
                  item.case_id()) == schedule.agenda_case_ids().end()) {
      return errors::InvalidField(
          "agenda_items.case_id",
          absl::StrCat("names '", item.case_id(),
                       "', which is not among agenda_case_ids."));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> Schedule(const Context& ctx,
                                const v1::ScheduleConference& schedule) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("type", schedule.type(), &v1::ConferenceType_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("basis", schedule.basis(), &v1::ConferenceBasis_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("title", schedule.title()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("coordinating_agency_id", schedule.coordinating_agency_id()));
  if (!schedule.has_scheduled_for()) {
    return errors::MissingField("scheduled_for");
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateTimestamp("scheduled_for", schedule.scheduled_for()));
  if (schedule.invitees().empty()) return errors::MissingField("invitees");
  for (const v1::Invitee& invitee : schedule.invitees()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("invitees.agency_id", invitee.agency_id()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateOptionalId("invitees.staff_id", invitee.staff_id()));
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateIdList("agenda_case_ids", schedule.agenda_case_ids(), false));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateAgendaItems(schedule));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateBasis(schedule));

  if (ctx.state().scheduled) {
    return errors::ConferenceAlreadyExists(ctx.state().conference_id);
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const DirectoryState& directory = ctx.directory();
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      directory.RequireAgency(schedule.coordinating_agency_id()));
  for (const v1::Invitee& invitee : schedule.invitees()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(directory.RequireAgency(invitee.agency_id()));
    if (!invitee.staff_id().empty()) {
      RENKEI_DOMAIN_RETURN_IF_ERROR(directory.RequireActiveStaffOf(
          invitee.staff_id(), invitee.agency_id()));
    }
  }

  const v1::Framework framework = FrameworkOfBasis(schedule.basis());
  if (const absl::string_view body = directory.CoordinatingBodyOf(framework);
      !body.empty() && body != schedule.coordinating_agency_id()) {
    return errors::InvalidField(
        "coordinating_agency_id",
        absl::StrCat("must be '", body,
                     "', the agency designated as the "
                     "coordinating body of ",
                     v1::Framework_Name(framework), "."));
  }
  const bool needs_forum =
      schedule.basis() == v1::CONFERENCE_BASIS_SHIEN_KAIGI &&
      !schedule.agenda_case_ids().empty();
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("forum_id", schedule.forum_id()));
  if (needs_forum && schedule.forum_id().empty()) {
    return errors::MissingField("forum_id");
  }

  v1::ConferenceEvent event = ctx.NewEvent();
  auto* scheduled = event.mutable_conference_scheduled();
  for (const std::string& case_id : schedule.agenda_case_ids()) {
    const CaseState* c = ctx.lookup().FindCase(case_id);
    if (c == nullptr || !c->opened) return errors::CaseNotFound(case_id);
    if (c->closed) return errors::CaseClosed(case_id);
    if (!MayPutOnAgenda(*c, ctx.actor().agency_id(), schedule.type(),
                        directory)) {
      return errors::AgendaCaseNotOnTeam(case_id, ctx.actor().agency_id());
    }
    if (!schedule.forum_id().empty()) {
      const ForumState* forum = c->FindForum(schedule.forum_id());
      if (forum == nullptr) return errors::ForumNotFound(schedule.forum_id());
      for (const v1::Invitee& invitee : schedule.invitees()) {
        if (!forum->HasMember(invitee.agency_id())) {
          return errors::NotForumMember(schedule.forum_id(),
                                        invitee.agency_id());
        }
      }
    }
    v1::AgendaCase* agenda = scheduled->add_agenda_cases();
    agenda->set_case_id(case_id);
    agenda->set_case_version(c->version);
  }
  scheduled->set_forum_id(schedule.forum_id());
  scheduled->set_conference_id(ctx.id());
  scheduled->set_type(schedule.type());
  scheduled->set_basis(schedule.basis());
  scheduled->set_title(schedule.title());
  scheduled->set_coordinating_agency_id(schedule.coordinating_agency_id());
  *scheduled->mutable_convener() = ctx.actor();
  *scheduled->mutable_scheduled_for() = schedule.scheduled_for();
  *scheduled->mutable_invitees() = schedule.invitees();
  *scheduled->mutable_agenda_items() = schedule.agenda_items();
  scheduled->set_anonymised(schedule.anonymised());
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireMeetingConsent(ctx, *scheduled));
  return Events{std::move(event)};
}

bool Invited(const ConferenceState& state, const v1::Attendance& attendee) {
  if (attendee.staff_id() == state.convener().staff_id() ||
      attendee.agency_id() == state.schedule.coordinating_agency_id()) {
    return true;
  }
  for (const v1::Invitee& invitee : state.schedule.invitees()) {
    if (invitee.agency_id() == attendee.agency_id() &&
        (invitee.staff_id().empty() ||
         invitee.staff_id() == attendee.staff_id())) {
      return true;
    }
  }
  return false;
}

absl::StatusOr<Events> Hold(const Context& ctx,
                            const v1::HoldConference& hold) {
  if (hold.attendance().empty()) return errors::MissingField("attendance");
  std::set<std::string> seen;
  for (const v1::Attendance& attendee : hold.attendance()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("attendance.staff_id", attendee.staff_id()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("attendance.agency_id", attendee.agency_id()));
    if (!seen.insert(attendee.staff_id()).second) {
      return errors::InvalidField(
          "attendance",
          absl::StrCat("lists '", attendee.staff_id(), "' twice."));
    }
  }
  const ConferenceState& state = ctx.state();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireLive());
  if (state.is_held()) return errors::ConferenceAlreadyHeld(ctx.id());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  if (!ctx.ConvenesOrCoordinates()) {
    return errors::NotConferenceParticipant(ctx.id(), ctx.actor().staff_id());
  }
  std::vector<std::string> unacknowledged;
  for (const v1::Attendance& attendee : hold.attendance()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.directory().RequireActiveStaffOf(
        attendee.staff_id(), attendee.agency_id()));
    if (!Invited(state, attendee)) {
      return errors::NotInvited(ctx.id(), attendee.staff_id(),
                                attendee.agency_id());
    }
    if (!attendee.acknowledged_confidentiality()) {
      unacknowledged.push_back(attendee.staff_id());
    }
  }
  if (RequiresConfidentiality(state.schedule.basis()) &&
      !unacknowledged.empty()) {
    return errors::ConfidentialityNotAcknowledged(ctx.id(), unacknowledged);
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireMeetingConsent(ctx, state.schedule));
  v1::ConferenceEvent event = ctx.NewEvent();
  auto* held = event.mutable_conference_held();
  *held->mutable_attendance() = hold.attendance();
  for (const v1::AgendaCase& agenda : state.schedule.agenda_cases()) {
    v1::AgendaCase* discussed = held->add_discussed_cases();
    *discussed = agenda;
    if (const CaseState* c = ctx.lookup().FindCase(agenda.case_id())) {
      discussed->set_case_version(c->version);
    }
  }
  return Events{std::move(event)};
}

absl::StatusOr<Events> Minutes(const Context& ctx,
                               const v1::RecordMinutes& minutes) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("text", minutes.text()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireHeldByParticipant());
  v1::ConferenceEvent event = ctx.NewEvent();
  event.mutable_minutes_recorded()->set_text(minutes.text());
  return Events{std::move(event)};
}

absl::Status ValidateDecisionShape(const v1::ConferenceDecision& decision) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("decision.decision_id", decision.decision_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("decision.kind", decision.kind(), &v1::DecisionKind_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("decision.text", decision.text()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("decision.case_id", decision.case_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("decision.stage_id", decision.stage_id()));
  if (decision.kind() != v1::DECISION_KIND_GENERAL &&
      decision.case_id().empty()) {
    return errors::MissingField("decision.case_id");
  }
  const bool team_change = decision.kind() == v1::DECISION_KIND_TEAM_CHANGE;
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("decision.team_agency_id", decision.team_agency_id()));
  if (team_change && decision.team_agency_id().empty()) {
    return errors::MissingField("decision.team_agency_id");
  }
  if (!team_change && !decision.team_agency_id().empty()) {
    return errors::InvalidField("decision.team_agency_id",
                                "is only for a team-change decision.");
  }
  const bool lead_side = decision.kind() == v1::DECISION_KIND_LEAD_SIDE;
  if (lead_side) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum(
        "decision.lead_side", decision.lead_side(), &v1::LeadSide_IsValid));
  } else if (decision.lead_side() != v1::LEAD_SIDE_UNSPECIFIED) {
    return errors::InvalidField("decision.lead_side",
                                "is only for a lead-side decision.");
  }
  const bool about_lead =
      decision.kind() == v1::DECISION_KIND_LEAD_ASSIGNMENT ||
      decision.kind() == v1::DECISION_KIND_LEAD_DESIGNATION;
  if (about_lead && decision.stage_id().empty()) {
    return errors::MissingField("decision.stage_id");
  }
  if (!about_lead && (!decision.stage_id().empty() || decision.has_lead())) {
    return errors::InvalidField("decision",
                                "names a stage or lead but is not about one.");
  }
  if (decision.has_lead()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("decision.lead.agency_id", decision.lead().agency_id()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("decision.lead.key_person_staff_id",
                   decision.lead().key_person_staff_id()));
  }
  return absl::OkStatus();
}

absl::StatusOr<Events> RecordDecision(
    const Context& ctx, const v1::RecordConferenceDecision& record) {
  const v1::ConferenceDecision& decision = record.decision();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateDecisionShape(decision));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireHeldByAttendee());
  const ConferenceState& state = ctx.state();
  if (state.FindDecision(decision.decision_id()) != nullptr) {
    return errors::DecisionAlreadyExists(decision.decision_id());
  }
  if (state.schedule.anonymised() &&
      decision.kind() != v1::DECISION_KIND_GENERAL) {
    return errors::ConferenceAnonymised(ctx.id());
  }
  if (!decision.case_id().empty()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireOnAgenda(decision.case_id()));
  }
  if (decision.kind() == v1::DECISION_KIND_LEAD_DESIGNATION &&
      ctx.actor().agency_id() != state.schedule.coordinating_agency_id()) {
    return errors::NotCoordinatingBody(ctx.id(), ctx.actor().agency_id());
  }
  if (decision.has_lead()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.directory().RequireActiveStaffOf(
        decision.lead().key_person_staff_id(), decision.lead().agency_id()));
  }
  v1::ConferenceEvent event = ctx.NewEvent();
  *event.mutable_conference_decision_recorded()->mutable_decision() = decision;
  return Events{std::move(event)};
}

absl::StatusOr<Events> RoleSplit(const Context& ctx,
                                 const v1::AgreeRoleSplit& split) {
  if (split.roles().empty()) return errors::MissingField("roles");
  for (const v1::RoleAssignment& role : split.roles()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateId("roles.agency_id", role.agency_id()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        RequireText("roles.responsibility", role.responsibility()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateOptionalId("roles.stage_id", role.stage_id()));
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ValidateOptionalId("roles.case_id", role.case_id()));
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireHeldByAttendee());
  for (const v1::RoleAssignment& role : split.roles()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(
        ctx.directory().RequireAgency(role.agency_id()));
    if (role.case_id().empty()) continue;
    if (ctx.state().schedule.anonymised()) {
      return errors::ConferenceAnonymised(ctx.id());
    }
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireOnAgenda(role.case_id()));
  }
  v1::ConferenceEvent event = ctx.NewEvent();
  *event.mutable_role_split_agreed()->mutable_roles() = split.roles();
  return Events{std::move(event)};
}

absl::StatusOr<Events> AssignItem(const Context& ctx,
                                  const v1::AssignActionItem& assign) {
  const v1::ActionItem& item = assign.item();
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("item.action_item_id", item.action_item_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("item.case_id", item.case_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireText("item.description", item.description()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("item.assignee_staff_id", item.assignee_staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("item.assignee_agency_id", item.assignee_agency_id()));
  if (!item.has_due()) return errors::MissingField("item.due");
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateTimestamp("item.due", item.due()));
  if (ToTime(item.due()) <= ctx.at()) {
    return errors::InvalidField("item.due",
                                "must be after the item is assigned.");
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireHeldByAttendee());
  if (ctx.state().FindActionItem(item.action_item_id()) != nullptr) {
    return errors::ActionItemAlreadyExists(item.action_item_id());
  }
  if (!item.case_id().empty()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireOnAgenda(item.case_id()));
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.directory().RequireActiveStaffOf(
      item.assignee_staff_id(), item.assignee_agency_id()));
  if (!item.case_id().empty()) {
    const CaseState* c = ctx.lookup().FindCase(item.case_id());
    if (c != nullptr && !c->OnTeam(item.assignee_agency_id())) {
      return errors::AgencyNotOnTeam(item.assignee_agency_id());
    }
  }
  v1::ConferenceEvent event = ctx.NewEvent();
  *event.mutable_action_item_assigned()->mutable_item() = item;
  return Events{std::move(event)};
}

// The holder's agency, the convener or the coordinating body may complete or
// reassign an item.
absl::Status RequireItemHolder(const Context& ctx,
                               const ActionItemState& item) {
  if (ctx.actor().agency_id() == item.item.assignee_agency_id() ||
      ctx.ConvenesOrCoordinates()) {
    return absl::OkStatus();
  }
  return errors::NotActionItemHolder(item.item.action_item_id(),
                                     ctx.actor().agency_id());
}

absl::StatusOr<Events> CompleteItem(const Context& ctx,
                                    const v1::CompleteActionItem& complete) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("action_item_id", complete.action_item_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireLive());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const ActionItemState* item =
      ctx.state().FindActionItem(complete.action_item_id());
  if (item == nullptr) {
    return errors::ActionItemNotFound(complete.action_item_id());
  }
  if (item->completed()) {
    return errors::ActionItemAlreadyCompleted(complete.action_item_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireItemHolder(ctx, *item));
  v1::ConferenceEvent event = ctx.NewEvent();
  event.mutable_action_item_completed()->set_action_item_id(
      complete.action_item_id());
  event.mutable_action_item_completed()->set_note(complete.note());
  return Events{std::move(event)};
}

absl::StatusOr<Events> ReassignItem(const Context& ctx,
                                    const v1::ReassignActionItem& reassign) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("action_item_id", reassign.action_item_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("staff_id", reassign.staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("agency_id", reassign.agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", reassign.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateOptionalId("handover_id", reassign.handover_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireLive());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  const ActionItemState* item =
      ctx.state().FindActionItem(reassign.action_item_id());
  if (item == nullptr) {
    return errors::ActionItemNotFound(reassign.action_item_id());
  }
  if (item->item.assignee_staff_id() == reassign.staff_id() &&
      item->item.assignee_agency_id() == reassign.agency_id()) {
    return Events{};
  }
  if (item->completed()) {
    return errors::ActionItemAlreadyCompleted(reassign.action_item_id());
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireItemHolder(ctx, *item));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.directory().RequireActiveStaffOf(
      reassign.staff_id(), reassign.agency_id()));
  if (!reassign.handover_id().empty()) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(RequireHandoverMove(
        ctx.lookup().FindHandover(reassign.handover_id()),
        reassign.handover_id(), item->item.assignee_staff_id(),
        reassign.staff_id()));
  }
  v1::ConferenceEvent event = ctx.NewEvent();
  auto* reassigned = event.mutable_action_item_reassigned();
  reassigned->set_action_item_id(reassign.action_item_id());
  reassigned->set_previous_staff_id(item->item.assignee_staff_id());
  reassigned->set_previous_agency_id(item->item.assignee_agency_id());
  reassigned->set_staff_id(reassign.staff_id());
  reassigned->set_agency_id(reassign.agency_id());
  reassigned->set_reason(reassign.reason());
  reassigned->set_handover_id(reassign.handover_id());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Cancel(const Context& ctx,
                              const v1::CancelConference& cancel) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", cancel.reason()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireLive());
  if (ctx.state().is_held()) return errors::ConferenceAlreadyHeld(ctx.id());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireActor());
  if (!ctx.ConvenesOrCoordinates()) {
    return errors::NotConferenceParticipant(ctx.id(), ctx.actor().staff_id());
  }
  v1::ConferenceEvent event = ctx.NewEvent();
  event.mutable_conference_cancelled()->set_reason(cancel.reason());
  return Events{std::move(event)};
}

absl::StatusOr<Events> Review(const Context& ctx,
                              const v1::RecordCaseReview& review) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("case_id", review.case_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("status", review.status()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("lead_agency_id", review.lead_agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireText("support_policy", review.support_policy()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireHeldByAttendee());
  const ConferenceState& state = ctx.state();
  if (state.schedule.type() != v1::CONFERENCE_TYPE_PRACTITIONERS) {
    return errors::NotPractitionersMeeting(ctx.id());
  }
  if (state.schedule.anonymised())
    return errors::ConferenceAnonymised(ctx.id());
  RENKEI_DOMAIN_RETURN_IF_ERROR(ctx.RequireOnAgenda(review.case_id()));
  if (state.FindReview(review.case_id()) != nullptr) {
    return errors::CaseAlreadyReviewed(ctx.id(), review.case_id());
  }
  const CaseState* c = ctx.lookup().FindCase(review.case_id());
  if (c == nullptr || !c->opened) return errors::CaseNotFound(review.case_id());
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ctx.directory().RequireAgency(review.lead_agency_id()));
  if (!c->OnTeam(review.lead_agency_id())) {
    return errors::AgencyNotOnTeam(review.lead_agency_id());
  }
  v1::ConferenceEvent event = ctx.NewEvent();
  auto* reviewed = event.mutable_case_reviewed();
  reviewed->set_case_id(review.case_id());
  reviewed->set_status(review.status());
  reviewed->set_lead_agency_id(review.lead_agency_id());
  reviewed->set_support_policy(review.support_policy());
  reviewed->set_plan_revision(c->plan_revision());
  for (v1::CurrentStageLead& lead : LeadsAt(*c, ctx.at())) {
    *reviewed->add_stage_leads() = std::move(lead);
  }
  reviewed->set_case_version(c->version);
  return Events{std::move(event)};
}

}  // namespace

absl::StatusOr<std::vector<v1::ConferenceEvent>> Decide(
    const ConferenceState& state, const v1::ConferenceCommand& command,
    const DirectoryState& directory, const AggregateLookup& lookup) {
  if (command.kind_case() == v1::ConferenceCommand::KIND_NOT_SET) {
    return errors::EmptyCommand();
  }
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("conference_id", command.conference_id()));
  if (!command.has_occurred_at()) return errors::MissingField("occurred_at");
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateTimestamp("occurred_at", command.occurred_at()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("actor.staff_id", command.actor().staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("actor.agency_id", command.actor().agency_id()));

  const Context ctx(state, command, directory, lookup);
  switch (command.kind_case()) {
    case v1::ConferenceCommand::kScheduleConference:
      return Schedule(ctx, command.schedule_conference());
    case v1::ConferenceCommand::kHoldConference:
      return Hold(ctx, command.hold_conference());
    case v1::ConferenceCommand::kRecordMinutes:
      return Minutes(ctx, command.record_minutes());
    case v1::ConferenceCommand::kRecordConferenceDecision:
      return RecordDecision(ctx, command.record_conference_decision());
    case v1::ConferenceCommand::kAgreeRoleSplit:
      return RoleSplit(ctx, command.agree_role_split());
    case v1::ConferenceCommand::kAssignActionItem:
      return AssignItem(ctx, command.assign_action_item());
    case v1::ConferenceCommand::kCompleteActionItem:
      return CompleteItem(ctx, command.complete_action_item());
    case v1::ConferenceCommand::kReassignActionItem:
      return ReassignItem(ctx, command.reassign_action_item());
    case v1::ConferenceCommand::kCancelConference:
      return Cancel(ctx, command.cancel_conference());
    case v1::ConferenceCommand::kRecordCaseReview:
      return Review(ctx, command.record_case_review());
    case v1::ConferenceCommand::KIND_NOT_SET:
      break;
  }
  return errors::EmptyCommand();
}

}  // namespace renkei::domain

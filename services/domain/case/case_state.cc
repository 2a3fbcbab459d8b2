// Folding case events into CaseState.
#include "services/domain/case/case_state.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

template <typename Map>
auto Find(const Map& map, absl::string_view id)
    -> decltype(&map.begin()->second) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

template <typename Map>
auto FindMutable(Map& map, absl::string_view id)
    -> decltype(&map.begin()->second) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

v1::ReferralStatusChange StatusChange(v1::ReferralStatus status,
                                      const v1::CaseEvent& event,
                                      absl::string_view note) {
  v1::ReferralStatusChange change;
  change.set_status(status);
  *change.mutable_at() = event.occurred_at();
  change.set_by_agency_id(event.actor().agency_id());
  change.set_note(std::string(note));
  return change;
}

void SetReferralStatus(CaseState& state, absl::string_view referral_id,
                       v1::ReferralStatus status, const v1::CaseEvent& event,
                       absl::string_view note) {
  ReferralState* referral = FindMutable(state.referrals, referral_id);
  if (referral == nullptr) return;
  referral->status = status;
  referral->history.push_back(StatusChange(status, event, note));
}

void AddConsent(CaseState& state, const v1::ConsentTerms& terms,
                ConsentDecision decision, const v1::CaseEvent& event) {
  const absl::Time at = ToTime(event.occurred_at());
  ConsentState consent;
  consent.terms = terms;
  consent.decision = decision;
  consent.decided_at = at;
  consent.recorded_by = event.actor();
  consent.valid_from = terms.has_valid_from() ? ToTime(terms.valid_from()) : at;
  if (terms.has_valid_until())
    consent.valid_until = ToTime(terms.valid_until());
  if (ConsentState* old =
          FindMutable(state.consents, terms.supersedes_consent_id())) {
    old->superseded_by = terms.consent_id();
    old->superseded_at = at;
  }
  if (event.has_consent_given()) {
    consent.awaiting_confirmation =
        event.consent_given().awaiting_confirmation();
  }
  state.consents[terms.consent_id()] = std::move(consent);
  state.consent_order.push_back(terms.consent_id());
}

// The id an event is about, for the timeline.
std::string RefId(const v1::CaseEvent& event) {
  switch (event.kind_case()) {
    case v1::CaseEvent::kCaseOpened:
      return event.case_opened().case_id();
    case v1::CaseEvent::kSubjectAdded:
      return event.subject_added().subject().subject_id();
    case v1::CaseEvent::kSupportTeamAgencyJoined:
      return event.support_team_agency_joined().agency_id();
    case v1::CaseEvent::kSupportTeamAgencyLeft:
      return event.support_team_agency_left().agency_id();
    case v1::CaseEvent::kStatutoryForumRegistered:
      return event.statutory_forum_registered().forum().forum_id();
    case v1::CaseEvent::kEntryRecorded:
      return event.entry_recorded().entry().entry_id();
    case v1::CaseEvent::kEntryAmended:
      return event.entry_amended().entry().entry_id();
    case v1::CaseEvent::kEntryRetracted:
      return event.entry_retracted().entry_id();
    case v1::CaseEvent::kConsentGiven:
      return event.consent_given().terms().consent_id();
    case v1::CaseEvent::kConsentRefused:
      return event.consent_refused().terms().consent_id();
    case v1::CaseEvent::kConsentWithdrawn:
      return event.consent_withdrawn().consent_id();
    case v1::CaseEvent::kInformationShared:
      return event.information_shared().recipient_agency_id();
    case v1::CaseEvent::kEmergencyAccessInvoked:
      return event.emergency_access_invoked().emergency_id();
    case v1::CaseEvent::kEmergencyAccessReviewed:
      return event.emergency_access_reviewed().emergency_id();
    case v1::CaseEvent::kSubjectDisclosureRecorded:
      return event.subject_disclosure_recorded().subject_id();
    case v1::CaseEvent::kReferralMade:
      return event.referral_made().referral().referral_id();
    case v1::CaseEvent::kReferralAccepted:
      return event.referral_accepted().referral_id();
    case v1::CaseEvent::kReferralNotAccepted:
      return event.referral_not_accepted().referral_id();
    case v1::CaseEvent::kReferralReturned:
      return event.referral_returned().referral_id();
    case v1::CaseEvent::kReferralReferredOn:
      return event.referral_referred_on().referral_id();
    case v1::CaseEvent::kReferralFeedbackGiven:
      return event.referral_feedback_given().referral_id();
    case v1::CaseEvent::kReferralClosed:
      return event.referral_closed().referral_id();
    case v1::CaseEvent::kReferralHandlerReassigned:
      return event.referral_handler_reassigned().referral_id();
    case v1::CaseEvent::kSupportPlanRevised:
      return absl::StrCat("plan-", event.support_plan_revised().revision());
    case v1::CaseEvent::kStageLeadAssigned:
      return event.stage_lead_assigned().stage_id();
    case v1::CaseEvent::kStageLeadTransferred:
      return event.stage_lead_transferred().stage_id();
    case v1::CaseEvent::kStageLeadCorrected:
      return event.stage_lead_corrected().stage_id();
    case v1::CaseEvent::kStageLeadEnded:
      return event.stage_lead_ended().stage_id();
    case v1::CaseEvent::kCaseTransferred:
      return event.case_transferred().destination();
    case v1::CaseEvent::kConsentConfirmed:
      return event.consent_confirmed().consent_id();
    case v1::CaseEvent::kSubjectUpdated:
      return event.subject_updated().subject().subject_id();
    case v1::CaseEvent::kLegalHoldPlaced:
      return event.legal_hold_placed().hold_id();
    case v1::CaseEvent::kLegalHoldReleased:
      return event.legal_hold_released().hold_id();
    case v1::CaseEvent::kSubjectErased:
      return event.subject_erased().subject_id();
    case v1::CaseEvent::kCaseErased:
    case v1::CaseEvent::kCaseLeadSideSet:
    case v1::CaseEvent::kCaseReviewIntervalSet:
    case v1::CaseEvent::kCaseFrameworksChanged:
    case v1::CaseEvent::kCaseRegistrationChanged:
    case v1::CaseEvent::kCaseClosed:
    case v1::CaseEvent::kCaseReopened:
    case v1::CaseEvent::KIND_NOT_SET:
      break;
  }
  return "";
}

void ApplyReferralEvent(CaseState& state, const v1::CaseEvent& event) {
  switch (event.kind_case()) {
    case v1::CaseEvent::kReferralMade: {
      const v1::Referral& referral = event.referral_made().referral();
      ReferralState made;
      made.referral = referral;
      made.status = v1::REFERRAL_STATUS_MADE;
      made.made_at = ToTime(event.occurred_at());
      made.referrer_staff_id = referral.from_staff_id();
      made.receiver_staff_id = referral.to_staff_id();
      made.history.push_back(
          StatusChange(v1::REFERRAL_STATUS_MADE, event, referral.reason()));
      state.referrals[referral.referral_id()] = std::move(made);
      state.referral_order.push_back(referral.referral_id());
      break;
    }
    case v1::CaseEvent::kReferralAccepted: {
      const auto& accepted = event.referral_accepted();
      SetReferralStatus(state, accepted.referral_id(),
                        v1::REFERRAL_STATUS_ACCEPTED, event, accepted.note());
      ReferralState* referral =
          FindMutable(state.referrals, accepted.referral_id());
      if (referral != nullptr && !accepted.assigned_staff_id().empty()) {
        referral->handler_changes.push_back(ReferralHandlerChange{
            .at = ToTime(event.occurred_at()),
            .receiver = true,
            .previous_staff_id = referral->receiver_staff_id});
        referral->receiver_staff_id = accepted.assigned_staff_id();
      }
      break;
    }
    case v1::CaseEvent::kReferralHandlerReassigned: {
      const auto& reassigned = event.referral_handler_reassigned();
      ReferralState* referral =
          FindMutable(state.referrals, reassigned.referral_id());
      if (referral == nullptr) break;
      const bool receiver = reassigned.side() == v1::REFERRAL_SIDE_RECEIVER;
      if (!receiver && reassigned.side() != v1::REFERRAL_SIDE_REFERRER) break;
      std::string& handler =
          receiver ? referral->receiver_staff_id : referral->referrer_staff_id;
      referral->handler_changes.push_back(
          ReferralHandlerChange{.at = ToTime(event.occurred_at()),
                                .receiver = receiver,
                                .previous_staff_id = handler});
      handler = reassigned.staff_id();
      break;
    }
    case v1::CaseEvent::kReferralNotAccepted:
      SetReferralStatus(state, event.referral_not_accepted().referral_id(),
                        v1::REFERRAL_STATUS_NOT_ACCEPTED, event,
                        event.referral_not_accepted().reason());
      break;
    case v1::CaseEvent::kReferralReturned:
      SetReferralStatus(state, event.referral_returned().referral_id(),
                        v1::REFERRAL_STATUS_RETURNED, event,
                        event.referral_returned().reason());
      break;
    case v1::CaseEvent::kReferralReferredOn: {
      const auto& on = event.referral_referred_on();
      SetReferralStatus(state, on.referral_id(),
                        v1::REFERRAL_STATUS_REFERRED_ON, event, on.reason());
      if (ReferralState* referral =
              FindMutable(state.referrals, on.referral_id())) {
        referral->onward_referral_id = on.onward_referral_id();
      }
      break;
    }
    case v1::CaseEvent::kReferralFeedbackGiven: {
      const auto& given = event.referral_feedback_given();
      ReferralState* referral =
          FindMutable(state.referrals, given.referral_id());
      if (referral == nullptr) break;
      v1::ReferralFeedback feedback;
      *feedback.mutable_at() = event.occurred_at();
      feedback.set_by_agency_id(event.actor().agency_id());
      feedback.set_by_staff_id(event.actor().staff_id());
      feedback.set_feedback(given.feedback());
      referral->feedback.push_back(std::move(feedback));
      break;
    }
    case v1::CaseEvent::kReferralClosed: {
      const auto& closed = event.referral_closed();
      SetReferralStatus(state, closed.referral_id(), v1::REFERRAL_STATUS_CLOSED,
                        event, closed.outcome());
      if (ReferralState* referral =
              FindMutable(state.referrals, closed.referral_id())) {
        referral->outcome = closed.outcome();
      }
      break;
    }
    default:
      break;
  }
}

void AddLeadFact(CaseState& state, const v1::CaseEvent& event,
                 v1::LeadChangeKind change, absl::string_view stage_id,
                 const v1::StageLead* lead,
                 const google::protobuf::Timestamp& valid_from,
                 const google::protobuf::Timestamp* valid_to,
                 absl::string_view reason, const v1::DecisionRef& decision,
                 absl::string_view handover_id, bool designated) {
  LeadFactRecord record;
  v1::LeadFact& fact = record.fact;
  fact.set_stage_id(std::string(stage_id));
  fact.set_change(change);
  if (lead != nullptr) *fact.mutable_lead() = *lead;
  *fact.mutable_valid_from() = valid_from;
  if (valid_to != nullptr) *fact.mutable_valid_to() = *valid_to;
  *fact.mutable_known_at() =
      event.has_recorded_at() ? event.recorded_at() : event.occurred_at();
  fact.set_reason(std::string(reason));
  if (!decision.conference_id().empty()) *fact.mutable_decision() = decision;
  fact.set_handover_id(std::string(handover_id));
  fact.set_designated_by_coordinating_body(designated);
  *fact.mutable_recorded_by() = event.actor();
  record.valid_from = ToTime(valid_from);
  if (valid_to != nullptr) record.valid_to = ToTime(*valid_to);
  record.known_at = ToTime(fact.known_at());
  state.lead_ledger.push_back(std::move(record));
}

void ApplyPlanEvent(CaseState& state, const v1::CaseEvent& event) {
  switch (event.kind_case()) {
    case v1::CaseEvent::kSupportPlanRevised: {
      const auto& revised = event.support_plan_revised();
      state.plan_revisions.push_back(
          PlanRevision{.revision = revised.revision(),
                       .plan = revised.plan(),
                       .at = ToTime(event.occurred_at()),
                       .actor = event.actor(),
                       .decision = revised.decision(),
                       .reason = revised.reason()});
      break;
    }
    case v1::CaseEvent::kStageLeadAssigned: {
      const auto& e = event.stage_lead_assigned();
      AddLeadFact(state, event, v1::LEAD_CHANGE_KIND_ASSIGNED, e.stage_id(),
                  &e.lead(), e.valid_from(), nullptr, e.reason(), e.decision(),
                  "", e.designated_by_coordinating_body());
      break;
    }
    case v1::CaseEvent::kStageLeadTransferred: {
      const auto& e = event.stage_lead_transferred();
      AddLeadFact(state, event, v1::LEAD_CHANGE_KIND_TRANSFERRED, e.stage_id(),
                  &e.lead(), e.valid_from(), nullptr, e.reason(), e.decision(),
                  e.handover_id(), e.designated_by_coordinating_body());
      break;
    }
    case v1::CaseEvent::kStageLeadCorrected: {
      const auto& e = event.stage_lead_corrected();
      AddLeadFact(state, event, v1::LEAD_CHANGE_KIND_CORRECTED, e.stage_id(),
                  e.has_lead() ? &e.lead() : nullptr, e.valid_from(),
                  e.has_valid_to() ? &e.valid_to() : nullptr, e.reason(),
                  e.decision(), "", false);
      break;
    }
    case v1::CaseEvent::kStageLeadEnded: {
      const auto& e = event.stage_lead_ended();
      AddLeadFact(state, event, v1::LEAD_CHANGE_KIND_ENDED, e.stage_id(),
                  nullptr, e.valid_from(), nullptr, e.reason(), e.decision(),
                  "", false);
      break;
    }
    default:
      break;
  }
}

}  // namespace

bool IsRegistered(v1::Registration registration) {
  return registration == v1::REGISTRATION_PROTECTED ||
         registration == v1::REGISTRATION_SUPPORT_NEEDED ||
         registration == v1::REGISTRATION_SPECIFIED_EXPECTANT_MOTHER;
}

v1::ReferralStatus ReferralState::StatusAt(absl::Time t) const {
  v1::ReferralStatus at = v1::REFERRAL_STATUS_UNSPECIFIED;
  for (const v1::ReferralStatusChange& change : history) {
    if (ToTime(change.at()) <= t) at = change.status();
  }
  return at;
}

namespace {
// The handler of one side at `t`: the current one, unwound past every change
// made after `t`.
std::string HandlerAt(const ReferralState& referral, bool receiver,
                      absl::Time t) {
  std::string handler =
      receiver ? referral.receiver_staff_id : referral.referrer_staff_id;
  for (auto it = referral.handler_changes.rbegin();
       it != referral.handler_changes.rend(); ++it) {
    if (it->receiver == receiver && it->at > t) handler = it->previous_staff_id;
  }
  return handler;
}
}  // namespace

std::string ReferralState::ReferrerAt(absl::Time t) const {
  return HandlerAt(*this, false, t);
}
std::string ReferralState::ReceiverAt(absl::Time t) const {
  return HandlerAt(*this, true, t);
}

bool ConsentState::InForceAt(absl::Time t) const {
  if (decision != ConsentDecision::kGiven) return false;
  if (!ConfirmedAt(t)) return false;
  if (t < valid_from || t < decided_at) return false;
  if (valid_until.has_value() && t >= *valid_until) return false;
  if (withdrawn_at.has_value() && t >= *withdrawn_at) return false;
  if (superseded_at.has_value() && t >= *superseded_at) return false;
  return true;
}

bool ConsentState::RefusalStandingAt(absl::Time t) const {
  return decision == ConsentDecision::kRefused && decided_at <= t &&
         !(superseded_at.has_value() && t >= *superseded_at);
}

bool ForumState::HasMember(absl::string_view agency_id) const {
  return std::find(forum.member_agency_ids().begin(),
                   forum.member_agency_ids().end(),
                   agency_id) != forum.member_agency_ids().end();
}

const v1::Subject* CaseState::FindSubject(absl::string_view id) const {
  return Find(subjects, id);
}
const ForumState* CaseState::FindForum(absl::string_view id) const {
  return Find(forums, id);
}
const EntryState* CaseState::FindEntry(absl::string_view id) const {
  return Find(entries, id);
}
const ConsentState* CaseState::FindConsent(absl::string_view id) const {
  return Find(consents, id);
}
bool EmergencyState::InForceAt(absl::Time t) const {
  return invoked_at <= t && t < ToTime(invoked.expires_at());
}

const EmergencyState* CaseState::FindEmergency(absl::string_view id) const {
  auto it = emergencies.find(id);
  return it == emergencies.end() ? nullptr : &it->second;
}

const ReferralState* CaseState::FindReferral(absl::string_view id) const {
  return Find(referrals, id);
}

const SubjectDisclosure* CaseState::FindSubjectDisclosure(
    absl::string_view disclosure_id) const {
  for (const SubjectDisclosure& disclosure : subject_disclosures) {
    if (disclosure.recorded.disclosure_id() == disclosure_id) {
      return &disclosure;
    }
  }
  return nullptr;
}

bool CaseState::OnTeam(absl::string_view agency_id) const {
  const std::vector<TeamPeriod>* periods = Find(team, agency_id);
  return periods != nullptr && !periods->empty() &&
         !periods->back().left_at.has_value();
}

bool CaseState::OnTeamAt(absl::string_view agency_id, absl::Time t) const {
  const std::vector<TeamPeriod>* periods = Find(team, agency_id);
  if (periods == nullptr) return false;
  return std::any_of(
      periods->begin(), periods->end(), [t](const TeamPeriod& p) {
        return p.joined_at <= t && (!p.left_at.has_value() || t < *p.left_at);
      });
}

std::vector<std::string> CaseState::TeamNow() const {
  std::vector<std::string> now;
  for (const auto& [agency_id, periods] : team) {
    if (OnTeam(agency_id)) now.push_back(agency_id);
  }
  return now;
}

const v1::SupportPlan* CaseState::plan() const {
  return plan_revisions.empty() ? nullptr : &plan_revisions.back().plan;
}

uint32_t CaseState::plan_revision() const {
  return plan_revisions.empty() ? 0 : plan_revisions.back().revision;
}

const v1::SupportStage* CaseState::FindStage(absl::string_view id) const {
  if (plan() == nullptr) return nullptr;
  for (const v1::SupportStage& stage : plan()->stages()) {
    if (stage.stage_id() == id) return &stage;
  }
  return nullptr;
}

void Evolve(CaseState& state, const v1::CaseEvent& event) {
  const absl::Time at = ToTime(event.occurred_at());
  ++state.version;
  switch (event.kind_case()) {
    case v1::CaseEvent::kCaseOpened: {
      const v1::CaseOpened& opened = event.case_opened();
      state.opened = true;
      state.case_id = opened.case_id();
      state.opening = opened;
      state.opened_at = at;
      state.frameworks.clear();
      for (int f : opened.frameworks()) {
        state.frameworks.push_back(static_cast<v1::Framework>(f));
      }
      state.registration = opened.registration();
      if (IsRegistered(state.registration)) state.registered_since = at;
      break;
    }
    case v1::CaseEvent::kSubjectAdded: {
      const v1::Subject& subject = event.subject_added().subject();
      state.subjects[subject.subject_id()] = subject;
      break;
    }
    case v1::CaseEvent::kSupportTeamAgencyJoined: {
      const auto& joined = event.support_team_agency_joined();
      TeamPeriod period;
      period.joined_at = at;
      period.join_reason = joined.reason();
      state.team[joined.agency_id()].push_back(std::move(period));
      break;
    }
    case v1::CaseEvent::kSupportTeamAgencyLeft: {
      const auto& left = event.support_team_agency_left();
      auto it = state.team.find(left.agency_id());
      if (it == state.team.end() || it->second.empty()) break;
      it->second.back().left_at = at;
      it->second.back().leave_reason = left.reason();
      break;
    }
    case v1::CaseEvent::kCaseFrameworksChanged:
      state.frameworks.clear();
      for (int f : event.case_frameworks_changed().frameworks()) {
        state.frameworks.push_back(static_cast<v1::Framework>(f));
      }
      break;
    case v1::CaseEvent::kCaseRegistrationChanged: {
      const v1::Registration next =
          event.case_registration_changed().registration();
      if (!IsRegistered(next)) {
        state.registered_since.reset();
      } else if (!IsRegistered(state.registration)) {
        state.registered_since = at;
      }
      state.registration = next;
      break;
    }
    case v1::CaseEvent::kCaseClosed:
      state.closed = true;
      state.closed_at = at;
      state.closure_reason = event.case_closed().reason();
      state.closure_decision = event.case_closed().decision();
      break;
    case v1::CaseEvent::kCaseTransferred:
      state.closed = true;
      state.closed_at = at;
      state.closure_reason = event.case_transferred().reason();
      state.closure_decision = event.case_transferred().decision();
      state.transferred_to = event.case_transferred().destination();
      break;
    case v1::CaseEvent::kCaseReopened:
      state.closed = false;
      state.closed_at.reset();
      state.closure_reason.clear();
      state.closure_decision.Clear();
      state.transferred_to.clear();
      break;
    case v1::CaseEvent::kStatutoryForumRegistered: {
      const v1::StatutoryForum& forum =
          event.statutory_forum_registered().forum();
      state.forums[forum.forum_id()] =
          ForumState{.forum = forum, .registered_at = at};
      break;
    }
    case v1::CaseEvent::kEntryRecorded: {
      const v1::Entry& entry = event.entry_recorded().entry();
      EntryState recorded;
      recorded.versions.push_back(
          EntryVersion{.entry = entry,
                       .at = at,
                       .actor = event.actor(),
                       .reason = "",
                       .stream_version = state.version,
                       .erased = event.content_erased()});
      state.entries[entry.entry_id()] = std::move(recorded);
      state.entry_order.push_back(entry.entry_id());
      break;
    }
    case v1::CaseEvent::kEntryAmended: {
      const auto& amended = event.entry_amended();
      auto it = state.entries.find(amended.entry().entry_id());
      if (it == state.entries.end()) break;
      it->second.versions.push_back(
          EntryVersion{.entry = amended.entry(),
                       .at = at,
                       .actor = event.actor(),
                       .reason = amended.reason(),
                       .stream_version = state.version,
                       .erased = event.content_erased()});
      break;
    }
    case v1::CaseEvent::kEntryRetracted: {
      const auto& retracted = event.entry_retracted();
      auto it = state.entries.find(retracted.entry_id());
      if (it == state.entries.end()) break;
      it->second.retracted_at = at;
      it->second.retraction_reason = retracted.reason();
      it->second.retracted_by = event.actor();
      break;
    }
    case v1::CaseEvent::kConsentGiven:
      AddConsent(state, event.consent_given().terms(), ConsentDecision::kGiven,
                 event);
      break;
    case v1::CaseEvent::kConsentRefused:
      AddConsent(state, event.consent_refused().terms(),
                 ConsentDecision::kRefused, event);
      break;
    case v1::CaseEvent::kConsentWithdrawn: {
      const auto& withdrawn = event.consent_withdrawn();
      ConsentState* consent =
          FindMutable(state.consents, withdrawn.consent_id());
      if (consent == nullptr) break;
      consent->withdrawn_at = at;
      consent->withdrawal_reason = withdrawn.reason();
      break;
    }
    case v1::CaseEvent::kInformationShared:
      state.disclosures.push_back(
          Disclosure{.shared = event.information_shared(),
                     .at = at,
                     .actor = event.actor()});
      break;
    case v1::CaseEvent::kEmergencyAccessInvoked: {
      const v1::EmergencyAccessInvoked& invoked =
          event.emergency_access_invoked();
      EmergencyState emergency;
      emergency.invoked = invoked;
      emergency.invoked_at = at;
      emergency.actor = event.actor();
      if (state.emergencies.emplace(invoked.emergency_id(), emergency).second) {
        state.emergency_order.push_back(invoked.emergency_id());
      }
      break;
    }
    case v1::CaseEvent::kEmergencyAccessReviewed: {
      const v1::EmergencyAccessReviewed& reviewed =
          event.emergency_access_reviewed();
      EmergencyState* emergency =
          FindMutable(state.emergencies, reviewed.emergency_id());
      if (emergency == nullptr) break;
      emergency->review = reviewed;
      emergency->reviewed_by = event.actor();
      break;
    }
    case v1::CaseEvent::kSubjectDisclosureRecorded:
      state.subject_disclosures.push_back(
          SubjectDisclosure{.recorded = event.subject_disclosure_recorded(),
                            .at = at,
                            .actor = event.actor()});
      break;
    case v1::CaseEvent::kConsentConfirmed: {
      ConsentState* consent =
          FindMutable(state.consents, event.consent_confirmed().consent_id());
      if (consent == nullptr) break;
      consent->confirmed_at = at;
      consent->confirmed_by = event.actor();
      break;
    }
    case v1::CaseEvent::kSubjectUpdated: {
      const v1::Subject& subject = event.subject_updated().subject();
      state.subjects[subject.subject_id()] = subject;
      break;
    }
    case v1::CaseEvent::kCaseLeadSideSet:
      state.lead_sides.push_back(LeadSideSetting{
          .set = event.case_lead_side_set(), .at = at, .actor = event.actor()});
      break;
    case v1::CaseEvent::kCaseReviewIntervalSet:
      state.review_interval_days =
          event.case_review_interval_set().interval_days();
      break;
    case v1::CaseEvent::kLegalHoldPlaced: {
      const v1::LegalHoldPlaced& placed = event.legal_hold_placed();
      state.legal_holds[placed.hold_id()] =
          LegalHold{.hold_id = placed.hold_id(),
                    .reason = placed.reason(),
                    .placed_by = event.actor(),
                    .placed_at = at};
      break;
    }
    case v1::CaseEvent::kLegalHoldReleased: {
      auto it = state.legal_holds.find(event.legal_hold_released().hold_id());
      if (it != state.legal_holds.end()) state.legal_holds.erase(it);
      break;
    }
    case v1::CaseEvent::kSubjectErased: {
      const std::string& id = event.subject_erased().subject_id();
      state.erased_subjects[id] = at;
      // What this state still holds of the subject goes with the key; the
      // events themselves come back without it from now on.
      if (auto it = state.subjects.find(id); it != state.subjects.end()) {
        it->second.clear_display_name();
        it->second.clear_description();
      }
      for (auto& [entry_id, entry] : state.entries) {
        for (EntryVersion& v : entry.versions) {
          for (const std::string& s : v.entry.subject_ids()) {
            if (s == id) v.erased = true;
          }
        }
      }
      break;
    }
    case v1::CaseEvent::kCaseErased:
      state.erased_at = at;
      for (auto& [subject_id, subject] : state.subjects) {
        subject.clear_display_name();
        subject.clear_description();
      }
      for (auto& [entry_id, entry] : state.entries) {
        for (EntryVersion& v : entry.versions) v.erased = true;
      }
      break;
    case v1::CaseEvent::kReferralMade:
    case v1::CaseEvent::kReferralAccepted:
    case v1::CaseEvent::kReferralNotAccepted:
    case v1::CaseEvent::kReferralReturned:
    case v1::CaseEvent::kReferralReferredOn:
    case v1::CaseEvent::kReferralFeedbackGiven:
    case v1::CaseEvent::kReferralClosed:
    case v1::CaseEvent::kReferralHandlerReassigned:
      ApplyReferralEvent(state, event);
      break;
    case v1::CaseEvent::kSupportPlanRevised:
    case v1::CaseEvent::kStageLeadAssigned:
    case v1::CaseEvent::kStageLeadTransferred:
    case v1::CaseEvent::kStageLeadCorrected:
    case v1::CaseEvent::kStageLeadEnded:
      ApplyPlanEvent(state, event);
      break;
    case v1::CaseEvent::KIND_NOT_SET:
      return;
  }
  state.timeline.push_back(TimelineItem{.occurred_at = at,
                                        .actor = event.actor(),
                                        .event_type = EventTypeName(event),
                                        .ref_id = RefId(event)});
}

CaseState Replay(const std::vector<v1::CaseEvent>& events) {
  CaseState state;
  for (const v1::CaseEvent& event : events) Evolve(state, event);
  return state;
}

}  // namespace renkei::domain

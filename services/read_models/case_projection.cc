#include "services/read_models/case_projection.h"

#include <map>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "renkei/v1/access.pb.h"
#include "renkei/v1/conference_service.pb.h"
#include "renkei/v1/read_models.pb.h"
#include "renkei/v1/referral_service.pb.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"
#include "services/read_models/case_rows.h"
#include "services/read_models/errors.h"
#include "storage/status_macros.h"

namespace renkei::read_models {
namespace {

std::string EntryKind(const v1::Entry& entry) {
  switch (entry.body_case()) {
    case v1::Entry::kInformationReceived:
      return "information received";
    case v1::Entry::kContact:
      return "contact";
    case v1::Entry::kInterview:
      return "interview";
    case v1::Entry::kJointVisit:
      return "joint visit";
    case v1::Entry::kAssessment:
      return "assessment";
    case v1::Entry::kRiskRanking:
      return "risk ranking";
    case v1::Entry::BODY_NOT_SET:
      break;
  }
  return "entry";
}

std::vector<std::string> Ids(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

template <typename Message>
absl::StatusOr<std::optional<Message>> Load(const ReadModelStore& store,
                                            rocksdb::WriteBatchWithIndex& batch,
                                            const std::string& key) {
  auto bytes = store.GetThrough(batch, key);
  if (absl::IsNotFound(bytes.status())) return std::optional<Message>();
  if (!bytes.ok()) return bytes.status();
  Message m;
  if (!m.ParseFromString(*bytes)) {
    return errors::RowMalformed(absl::StrCat("read-model row ", key));
  }
  return std::optional<Message>(std::move(m));
}

void Put(rocksdb::WriteBatchWithIndex& batch, const std::string& key,
         const google::protobuf::Message& row) {
  batch.Put(key, row.SerializeAsString()).PermitUncheckedError();
}

absl::Status UpdateReferral(const ReadModelStore& store,
                            rocksdb::WriteBatchWithIndex& batch,
                            const v1::EventEnvelope& envelope,
                            const std::string& case_id,
                            const std::string& referral_id,
                            v1::ReferralStatus status,
                            const google::protobuf::Timestamp& at) {
  const std::string key = keys::Referral(case_id, referral_id);
  RENKEI_ASSIGN_OR_RETURN(auto row,
                          Load<v1::ReferralListing>(store, batch, key));
  // The decider answers only referrals the case holds, and every referral
  // made has its row.
  if (!row) {
    return errors::ImpossibleEvent(
        envelope.event_type(), envelope.event_id(),
        absl::StrCat("the row of referral '", referral_id, "'"));
  }
  if (row->status() == v1::REFERRAL_STATUS_MADE &&
      status != v1::REFERRAL_STATUS_MADE) {
    *row->mutable_answered_at() = at;
  }
  row->set_status(status);
  Put(batch, key, *row);
  return absl::OkStatus();
}

// The staff members an event involves in its case (domain::Involves): the
// recorder, key persons of stage leads and the staff handling referrals.
std::set<std::string> InvolvedStaff(const v1::CaseEvent& event) {
  std::set<std::string> staff{event.actor().staff_id()};
  switch (event.kind_case()) {
    case v1::CaseEvent::kStageLeadAssigned:
      staff.insert(event.stage_lead_assigned().lead().key_person_staff_id());
      break;
    case v1::CaseEvent::kStageLeadTransferred:
      staff.insert(event.stage_lead_transferred().lead().key_person_staff_id());
      break;
    case v1::CaseEvent::kStageLeadCorrected:
      staff.insert(event.stage_lead_corrected().lead().key_person_staff_id());
      break;
    case v1::CaseEvent::kReferralMade:
      staff.insert(event.referral_made().referral().from_staff_id());
      staff.insert(event.referral_made().referral().to_staff_id());
      break;
    case v1::CaseEvent::kReferralAccepted:
      staff.insert(event.referral_accepted().assigned_staff_id());
      break;
    case v1::CaseEvent::kReferralHandlerReassigned:
      staff.insert(event.referral_handler_reassigned().staff_id());
      break;
    default:
      // Other case events name no staff member to involve.
      break;
  }
  staff.erase("");
  return staff;
}

// Lists an open registered case under the time its review interval runs
// from (its latest review or its registration) and under its latest review,
// replacing the keys it was listed under.
void RefreshReviewIndex(rocksdb::WriteBatchWithIndex& batch, v1::CaseRow& row) {
  std::string due_key, latest_key, case_due_key;
  if (row.opened() && !row.closed() &&
      domain::IsRegistered(row.registration()) && row.has_registered_since()) {
    absl::Time base = domain::ToTime(row.registered_since());
    if (row.has_last_review_held_at()) {
      const absl::Time held = domain::ToTime(row.last_review_held_at());
      base = std::max(base, held);
      latest_key = keys::ReviewLatest(held, row.case_id());
    }
    if (row.review_interval_days() > 0) {
      case_due_key = keys::ReviewCaseDue(
          base + absl::Hours(24 * row.review_interval_days()), row.case_id());
    } else {
      due_key = keys::ReviewDue(base, row.case_id());
    }
  }
  if (row.review_case_due_key() != case_due_key) {
    if (!row.review_case_due_key().empty())
      batch.Delete(row.review_case_due_key()).PermitUncheckedError();
    if (!case_due_key.empty())
      batch.Put(case_due_key, "").PermitUncheckedError();
    row.set_review_case_due_key(case_due_key);
  }
  if (row.review_due_key() != due_key) {
    if (!row.review_due_key().empty())
      batch.Delete(row.review_due_key()).PermitUncheckedError();
    if (!due_key.empty()) batch.Put(due_key, "").PermitUncheckedError();
    row.set_review_due_key(due_key);
  }
  if (row.review_latest_key() != latest_key) {
    if (!row.review_latest_key().empty())
      batch.Delete(row.review_latest_key()).PermitUncheckedError();
    if (!latest_key.empty()) batch.Put(latest_key, "").PermitUncheckedError();
    row.set_review_latest_key(latest_key);
  }
}

// Upcoming conferences and open action items by assignee.
absl::Status ApplyConferenceEvent(const ReadModelStore& store,
                                  const std::string& conference_id,
                                  const v1::EventEnvelope& envelope,
                                  rocksdb::WriteBatchWithIndex& batch) {
  batch.Put(keys::Conference(conference_id), "").PermitUncheckedError();
  RENKEI_ASSIGN_OR_RETURN(v1::ConferenceEvent event,
                          domain::ConferenceEventFromEnvelope(envelope));
  auto put_assigned = [&](const v1::ActionItem& item) {
    v1::MyActionItem row;
    row.set_conference_id(conference_id);
    *row.mutable_item() = item;
    Put(batch,
        keys::AssignedItem(item.assignee_staff_id(), conference_id,
                           item.action_item_id()),
        row);
    Put(batch, keys::ActionItem(conference_id, item.action_item_id()), item);
  };
  auto involve = [&](const std::string& staff_id) {
    if (staff_id.empty()) return;
    batch
        .Put(keys::Involvement(staff_id, keys::kInvolvedConference,
                               conference_id),
             "")
        .PermitUncheckedError();
  };
  switch (event.kind_case()) {
    case v1::ConferenceEvent::kConferenceScheduled:
      Put(batch, keys::Upcoming(conference_id), event.conference_scheduled());
      involve(event.conference_scheduled().convener().staff_id());
      break;
    case v1::ConferenceEvent::kConferenceHeld: {
      batch.Delete(keys::Upcoming(conference_id)).PermitUncheckedError();
      v1::ConferenceHeldRow held;
      *held.mutable_held_at() = envelope.occurred_at();
      Put(batch, keys::ConferenceHeld(conference_id), held);
      for (const auto& a : event.conference_held().attendance()) {
        involve(a.staff_id());
      }
      break;
    }
    case v1::ConferenceEvent::kConferenceCancelled:
      batch.Delete(keys::Upcoming(conference_id)).PermitUncheckedError();
      break;
    case v1::ConferenceEvent::kCaseReviewed: {
      // Reviews are recorded at a practitioners' meeting once held.
      const std::string& case_id = event.case_reviewed().case_id();
      RENKEI_ASSIGN_OR_RETURN(
          auto held, Load<v1::ConferenceHeldRow>(
                         store, batch, keys::ConferenceHeld(conference_id)));
      // Cases are reviewed only at a conference that was held.
      if (!held) {
        return errors::ImpossibleEvent(
            envelope.event_type(), envelope.event_id(),
            absl::StrCat("the held row of conference '", conference_id, "'"));
      }
      v1::CaseReviewRow review;
      review.set_conference_id(conference_id);
      *review.mutable_held_at() = held->held_at();
      *review.mutable_reviewed_at() = envelope.occurred_at();
      Put(batch, keys::CaseReview(case_id, conference_id), review);
      RENKEI_ASSIGN_OR_RETURN(
          auto row, Load<v1::CaseRow>(store, batch, keys::Case(case_id)));
      // Only cases on the agenda, which exist, are reviewed.
      if (!row) {
        return errors::ImpossibleEvent(
            envelope.event_type(), envelope.event_id(),
            absl::StrCat("the row of case '", case_id, "'"));
      }
      if (!row->has_last_review_held_at() ||
          domain::ToTime(row->last_review_held_at()) <
              domain::ToTime(held->held_at())) {
        *row->mutable_last_review_held_at() = held->held_at();
      }
      RefreshReviewIndex(batch, *row);
      Put(batch, keys::Case(case_id), *row);
      break;
    }
    case v1::ConferenceEvent::kActionItemAssigned:
      put_assigned(event.action_item_assigned().item());
      involve(event.action_item_assigned().item().assignee_staff_id());
      break;
    case v1::ConferenceEvent::kActionItemCompleted:
    case v1::ConferenceEvent::kActionItemReassigned: {
      const std::string& id =
          event.has_action_item_completed()
              ? event.action_item_completed().action_item_id()
              : event.action_item_reassigned().action_item_id();
      const std::string key = keys::ActionItem(conference_id, id);
      RENKEI_ASSIGN_OR_RETURN(auto item,
                              Load<v1::ActionItem>(store, batch, key));
      // Only open action items are completed or reassigned.
      if (!item) {
        return errors::ImpossibleEvent(
            envelope.event_type(), envelope.event_id(),
            absl::StrCat("the row of action item '", id, "'"));
      }
      batch
          .Delete(
              keys::AssignedItem(item->assignee_staff_id(), conference_id, id))
          .PermitUncheckedError();
      if (event.has_action_item_completed()) {
        batch.Delete(key).PermitUncheckedError();
        break;
      }
      involve(event.action_item_reassigned().staff_id());
      item->set_assignee_staff_id(event.action_item_reassigned().staff_id());
      item->set_assignee_agency_id(event.action_item_reassigned().agency_id());
      put_assigned(*item);
      break;
    }
    default:
      // The other conference events change no row this projection keeps.
      break;
  }
  return absl::OkStatus();
}

}  // namespace

EventDescription Describe(const v1::CaseEvent& e) {
  EventDescription d;
  switch (e.kind_case()) {
    case v1::CaseEvent::kCaseOpened:
      d.ref_id = e.case_opened().case_id();
      d.summary = "case opened";
      break;
    case v1::CaseEvent::kSubjectAdded:
      d.ref_id = e.subject_added().subject().subject_id();
      d.subject_ids = {d.ref_id};
      d.summary = absl::StrCat("household member ", d.ref_id, " added");
      break;
    case v1::CaseEvent::kSupportTeamAgencyJoined:
      d.ref_id = e.support_team_agency_joined().agency_id();
      d.summary = absl::StrCat(d.ref_id, " joined the support team");
      break;
    case v1::CaseEvent::kSupportTeamAgencyLeft:
      d.ref_id = e.support_team_agency_left().agency_id();
      d.summary = absl::StrCat(d.ref_id, " left the support team");
      break;
    case v1::CaseEvent::kCaseFrameworksChanged:
      d.summary = "frameworks changed";
      break;
    case v1::CaseEvent::kCaseRegistrationChanged:
      d.summary = absl::StrCat(
          "registration changed to ",
          v1::Registration_Name(e.case_registration_changed().registration()));
      break;
    case v1::CaseEvent::kCaseClosed:
      d.summary = "case closed";
      break;
    case v1::CaseEvent::kCaseReopened:
      d.summary = "case reopened";
      break;
    case v1::CaseEvent::kStatutoryForumRegistered: {
      const auto& forum = e.statutory_forum_registered().forum();
      d.ref_id = forum.forum_id();
      d.summary =
          absl::StrCat("statutory forum ", forum.forum_id(), " (",
                       v1::ForumKind_Name(forum.kind()), ") registered");
      break;
    }
    case v1::CaseEvent::kEntryRecorded: {
      const auto& entry = e.entry_recorded().entry();
      d.ref_id = entry.entry_id();
      d.subject_ids = Ids(entry.subject_ids());
      d.summary = absl::StrCat(EntryKind(entry), " recorded");
      break;
    }
    case v1::CaseEvent::kEntryAmended: {
      const auto& entry = e.entry_amended().entry();
      d.ref_id = entry.entry_id();
      d.subject_ids = Ids(entry.subject_ids());
      d.summary = absl::StrCat(EntryKind(entry), " amended");
      break;
    }
    case v1::CaseEvent::kEntryRetracted:
      d.ref_id = e.entry_retracted().entry_id();
      d.summary = "entry retracted";
      break;
    case v1::CaseEvent::kConsentGiven: {
      const auto& t = e.consent_given().terms();
      d.ref_id = t.consent_id();
      d.subject_ids = {t.subject_id()};
      d.summary = absl::StrCat("consent given by ", t.decided_by_subject_id());
      if (!t.scope().agency_ids().empty()) {
        absl::StrAppend(&d.summary, " for ",
                        absl::StrJoin(t.scope().agency_ids(), ", "));
      }
      if (!t.scope().person_subject_ids().empty()) {
        absl::StrAppend(&d.summary, t.scope().agency_ids().empty() ? "" : ";",
                        " to tell ",
                        absl::StrJoin(t.scope().person_subject_ids(), ", "));
      }
      break;
    }
    case v1::CaseEvent::kConsentRefused: {
      const auto& t = e.consent_refused().terms();
      d.ref_id = t.consent_id();
      d.subject_ids = {t.subject_id()};
      d.summary =
          absl::StrCat("consent refused by ", t.decided_by_subject_id());
      break;
    }
    case v1::CaseEvent::kConsentWithdrawn:
      d.ref_id = e.consent_withdrawn().consent_id();
      d.summary = "consent withdrawn";
      break;
    case v1::CaseEvent::kConsentConfirmed:
      d.ref_id = e.consent_confirmed().consent_id();
      d.summary = "consent confirmed by a second person";
      break;
    case v1::CaseEvent::kSubjectUpdated:
      d.ref_id = e.subject_updated().subject().subject_id();
      d.subject_ids = {d.ref_id};
      d.summary = absl::StrCat("household member ", d.ref_id, " updated");
      break;
    case v1::CaseEvent::kCaseLeadSideSet:
      d.summary = absl::StrCat(
          "lead side set to ",
          v1::LeadSide_Name(e.case_lead_side_set().lead_side()),
          " by conference ", e.case_lead_side_set().decision().conference_id());
      break;
    case v1::CaseEvent::kCaseReviewIntervalSet:
      d.summary =
          absl::StrCat("review interval set to ",
                       e.case_review_interval_set().interval_days(), " days");
      break;
    case v1::CaseEvent::kLegalHoldPlaced:
      d.ref_id = e.legal_hold_placed().hold_id();
      d.summary = absl::StrCat("legal hold ", d.ref_id, " placed");
      break;
    case v1::CaseEvent::kLegalHoldReleased:
      d.ref_id = e.legal_hold_released().hold_id();
      d.summary = absl::StrCat("legal hold ", d.ref_id, " released");
      break;
    case v1::CaseEvent::kSubjectErased:
      d.ref_id = e.subject_erased().subject_id();
      d.subject_ids = {d.ref_id};
      d.summary = absl::StrCat("household member ", d.ref_id,
                               " erased: their personal data is destroyed");
      break;
    case v1::CaseEvent::kCaseErased:
      d.summary = "case erased: its personal data is destroyed";
      break;
    case v1::CaseEvent::kInformationShared:
      d.ref_id = e.information_shared().recipient_agency_id();
      d.summary = absl::StrCat("information shared with ", d.ref_id, " (",
                               e.information_shared().items_size(), " items)");
      break;
    case v1::CaseEvent::kEmergencyAccessInvoked: {
      const auto& invoked = e.emergency_access_invoked();
      d.ref_id = invoked.emergency_id();
      d.subject_ids = Ids(invoked.subject_ids());
      d.summary = absl::StrCat("emergency access invoked by ",
                               invoked.agency_id(), " (time-limited)");
      break;
    }
    case v1::CaseEvent::kEmergencyAccessReviewed:
      d.ref_id = e.emergency_access_reviewed().emergency_id();
      d.summary = e.emergency_access_reviewed().justified()
                      ? "emergency access reviewed: justified"
                      : "emergency access reviewed: not justified";
      break;
    case v1::CaseEvent::kSubjectDisclosureRecorded: {
      // The summary of what was said is content: never in a row.
      const auto& told = e.subject_disclosure_recorded();
      d.ref_id = told.subject_id();
      d.subject_ids = {told.subject_id()};
      d.summary = absl::StrCat("household member ", told.subject_id(),
                               " told (", told.items_size(), " items)");
      break;
    }
    case v1::CaseEvent::kReferralMade: {
      const auto& r = e.referral_made().referral();
      d.ref_id = r.referral_id();
      d.subject_ids = Ids(r.subject_ids());
      d.summary = absl::StrCat("referral ", r.from_agency_id(), " -> ",
                               r.to_agency_id());
      break;
    }
    case v1::CaseEvent::kReferralAccepted:
      d.ref_id = e.referral_accepted().referral_id();
      d.summary = "referral accepted";
      break;
    case v1::CaseEvent::kReferralNotAccepted:
      d.ref_id = e.referral_not_accepted().referral_id();
      d.summary = "referral not accepted";
      break;
    case v1::CaseEvent::kReferralReturned:
      d.ref_id = e.referral_returned().referral_id();
      d.summary = "referral returned";
      break;
    case v1::CaseEvent::kReferralReferredOn:
      d.ref_id = e.referral_referred_on().referral_id();
      d.summary = absl::StrCat("referral referred on to ",
                               e.referral_referred_on().to_agency_id());
      break;
    case v1::CaseEvent::kReferralFeedbackGiven:
      d.ref_id = e.referral_feedback_given().referral_id();
      d.summary = "referral feedback given";
      break;
    case v1::CaseEvent::kReferralClosed:
      d.ref_id = e.referral_closed().referral_id();
      d.summary = "referral closed";
      break;
    case v1::CaseEvent::kSupportPlanRevised:
      d.summary = absl::StrCat("support plan revision ",
                               e.support_plan_revised().revision(), " adopted");
      break;
    case v1::CaseEvent::kStageLeadAssigned: {
      const auto& a = e.stage_lead_assigned();
      d.ref_id = a.stage_id();
      d.summary =
          absl::StrCat("stage ", a.stage_id(), " led by ", a.lead().agency_id(),
                       " (key person ", a.lead().key_person_staff_id(), ")",
                       a.designated_by_coordinating_body()
                           ? ", designated by the coordinating body"
                           : "");
      break;
    }
    case v1::CaseEvent::kStageLeadTransferred: {
      const auto& t = e.stage_lead_transferred();
      d.ref_id = t.stage_id();
      d.summary = absl::StrCat("stage ", t.stage_id(), " lead transferred to ",
                               t.lead().agency_id(), " (key person ",
                               t.lead().key_person_staff_id(), ")");
      break;
    }
    case v1::CaseEvent::kStageLeadCorrected:
      d.ref_id = e.stage_lead_corrected().stage_id();
      d.summary =
          absl::StrCat("stage ", d.ref_id, " lead corrected retroactively");
      break;
    case v1::CaseEvent::kStageLeadEnded:
      d.ref_id = e.stage_lead_ended().stage_id();
      d.summary = absl::StrCat("stage ", d.ref_id, " lead ended");
      break;
    case v1::CaseEvent::kReferralHandlerReassigned: {
      const auto& r = e.referral_handler_reassigned();
      d.ref_id = r.referral_id();
      d.summary = absl::StrCat("referral handler ", r.previous_staff_id(),
                               " -> ", r.staff_id());
      break;
    }
    case v1::CaseEvent::kCaseTransferred:
      d.summary = absl::StrCat("case transferred to ",
                               e.case_transferred().destination());
      break;
    case v1::CaseEvent::KIND_NOT_SET:
      d.summary = domain::EventTypeName(e);
      break;
  }
  return d;
}

absl::Status ApplyToReadModels(const ReadModelStore& store,
                               const v1::EventEnvelope& envelope,
                               rocksdb::WriteBatchWithIndex& batch) {
  const std::string& stream = envelope.stream_id();
  if (absl::StartsWith(stream, domain::kConferenceStreamPrefix)) {
    return ApplyConferenceEvent(
        store, stream.substr(domain::kConferenceStreamPrefix.size()), envelope,
        batch);
  }
  if (absl::StartsWith(stream, domain::kHandoverStreamPrefix)) {
    const std::string handover_id =
        stream.substr(domain::kHandoverStreamPrefix.size());
    batch.Put(keys::Handover(handover_id), "").PermitUncheckedError();
    RENKEI_ASSIGN_OR_RETURN(v1::HandoverEvent event,
                            domain::HandoverEventFromEnvelope(envelope));
    if (event.has_handover_started() &&
        !event.handover_started().outgoing_staff_id().empty()) {
      batch
          .Put(keys::Involvement(event.handover_started().outgoing_staff_id(),
                                 keys::kInvolvedHandover, handover_id),
               "")
          .PermitUncheckedError();
    }
    return absl::OkStatus();
  }
  if (absl::StartsWith(stream, kAccessStreamPrefix)) {
    // Other records of the access log (an auditor's raw reads of the log on
    // "access-audit", or types added later) have no access-log row.
    if (envelope.event_type() != kCaseContentReadType) return absl::OkStatus();
    v1::CaseContentRead read;
    if (!envelope.payload().UnpackTo(&read)) {
      return errors::EventUnreadable(envelope.position(),
                                     envelope.event_type());
    }
    v1::CaseContentReadRow row;
    row.set_staff_id(read.staff_id());
    row.set_agency_id(read.agency_id());
    row.set_query(read.query());
    row.set_basis(read.basis());
    row.set_ref_id(read.ref_id());
    *row.mutable_read_at() = envelope.occurred_at();
    Put(batch,
        keys::AccessRead(stream.substr(kAccessStreamPrefix.size()),
                         envelope.position()),
        row);
    return absl::OkStatus();
  }
  if (!absl::StartsWith(stream, domain::kCaseStreamPrefix)) {
    return absl::OkStatus();  // directory events have no read-model rows
  }
  RENKEI_ASSIGN_OR_RETURN(v1::CaseEvent event,
                          domain::CaseEventFromEnvelope(envelope));
  const std::string case_id =
      envelope.stream_id().substr(domain::kCaseStreamPrefix.size());

  // The case row: the case's own fields evolved by the domain itself.
  const std::string case_key = keys::Case(case_id);
  RENKEI_ASSIGN_OR_RETURN(auto loaded,
                          Load<v1::CaseRow>(store, batch, case_key));
  v1::CaseRow row = loaded.value_or(v1::CaseRow());
  row.set_case_id(case_id);
  domain::CaseState core = CaseCoreFromRow(row);
  // The consents the event touches, with the order they were recorded in.
  std::map<std::string, uint64_t> consent_order;
  auto load_consent = [&](const std::string& id) -> absl::Status {
    if (id.empty()) return absl::OkStatus();
    RENKEI_ASSIGN_OR_RETURN(
        auto consent,
        Load<v1::ConsentRow>(store, batch, keys::Consent(case_id, id)));
    // A consent not yet recorded (a first consent supersedes nothing) has no
    // row to load; Evolve records it.
    if (!consent) return absl::OkStatus();
    core.consents[id] = ToConsentState(*consent);
    consent_order[id] = consent->order();
    return absl::OkStatus();
  };
  switch (event.kind_case()) {
    case v1::CaseEvent::kConsentGiven:
      RENKEI_RETURN_IF_ERROR(
          load_consent(event.consent_given().terms().supersedes_consent_id()));
      break;
    case v1::CaseEvent::kConsentRefused:
      RENKEI_RETURN_IF_ERROR(load_consent(
          event.consent_refused().terms().supersedes_consent_id()));
      break;
    case v1::CaseEvent::kConsentWithdrawn:
      RENKEI_RETURN_IF_ERROR(
          load_consent(event.consent_withdrawn().consent_id()));
      break;
    case v1::CaseEvent::kConsentConfirmed:
      RENKEI_RETURN_IF_ERROR(
          load_consent(event.consent_confirmed().consent_id()));
      break;
    default:
      // Other case events touch no consent row.
      break;
  }
  domain::Evolve(core, event);
  CaseCoreToRow(core, row);
  row.set_version(envelope.stream_version());
  *row.mutable_last_activity_at() = envelope.occurred_at();
  if (event.has_entry_recorded()) row.set_entries(row.entries() + 1);
  for (const auto& [id, consent] : core.consents) {
    auto it = consent_order.find(id);
    Put(batch, keys::Consent(case_id, id),
        ToConsentRow(consent, it == consent_order.end()
                                  ? envelope.stream_version()
                                  : it->second));
  }
  if (!core.plan_revisions.empty()) {
    v1::PlanRow plan;
    plan.set_revision(core.plan_revisions.back().revision);
    *plan.mutable_plan() = core.plan_revisions.back().plan;
    Put(batch, keys::Plan(case_id), plan);
  }
  for (const auto& record : core.lead_ledger) {
    v1::LeadFactRow fact;
    *fact.mutable_fact() = record.fact;
    fact.set_position(envelope.position());
    *fact.mutable_recorded_at() = envelope.recorded_at();
    Put(batch, keys::LeadFact(case_id, envelope.stream_version()), fact);
  }
  RefreshReviewIndex(batch, row);
  for (const auto& staff : InvolvedStaff(event)) {
    batch.Put(keys::Involvement(staff, keys::kInvolvedCase, case_id), "")
        .PermitUncheckedError();
  }
  switch (event.kind_case()) {
    case v1::CaseEvent::kSupportTeamAgencyJoined:
      batch
          .Put(keys::Caseload(event.support_team_agency_joined().agency_id(),
                              case_id),
               "")
          .PermitUncheckedError();
      break;
    case v1::CaseEvent::kSupportTeamAgencyLeft:
      batch
          .Delete(keys::Caseload(event.support_team_agency_left().agency_id(),
                                 case_id))
          .PermitUncheckedError();
      break;
    case v1::CaseEvent::kReferralMade: {
      const auto& r = event.referral_made().referral();
      v1::ReferralListing listing;
      listing.set_case_id(case_id);
      listing.set_referral_id(r.referral_id());
      listing.set_from_agency_id(r.from_agency_id());
      listing.set_to_agency_id(r.to_agency_id());
      listing.set_status(v1::REFERRAL_STATUS_MADE);
      *listing.mutable_made_at() = envelope.occurred_at();
      *listing.mutable_response_deadline() = r.response_deadline();
      listing.set_reason(r.reason());
      Put(batch, keys::Referral(case_id, r.referral_id()), listing);
      batch.Put(keys::Incoming(r.to_agency_id(), case_id, r.referral_id()), "")
          .PermitUncheckedError();
      batch
          .Put(keys::Outgoing(r.from_agency_id(), case_id, r.referral_id()), "")
          .PermitUncheckedError();
      break;
    }
    case v1::CaseEvent::kReferralAccepted:
      RENKEI_RETURN_IF_ERROR(
          UpdateReferral(store, batch, envelope, case_id,
                         event.referral_accepted().referral_id(),
                         v1::REFERRAL_STATUS_ACCEPTED, envelope.occurred_at()));
      break;
    case v1::CaseEvent::kReferralNotAccepted:
      RENKEI_RETURN_IF_ERROR(UpdateReferral(
          store, batch, envelope, case_id,
          event.referral_not_accepted().referral_id(),
          v1::REFERRAL_STATUS_NOT_ACCEPTED, envelope.occurred_at()));
      break;
    case v1::CaseEvent::kReferralReturned:
      RENKEI_RETURN_IF_ERROR(
          UpdateReferral(store, batch, envelope, case_id,
                         event.referral_returned().referral_id(),
                         v1::REFERRAL_STATUS_RETURNED, envelope.occurred_at()));
      break;
    case v1::CaseEvent::kReferralReferredOn:
      RENKEI_RETURN_IF_ERROR(UpdateReferral(
          store, batch, envelope, case_id,
          event.referral_referred_on().referral_id(),
          v1::REFERRAL_STATUS_REFERRED_ON, envelope.occurred_at()));
      break;
    case v1::CaseEvent::kReferralClosed:
      RENKEI_RETURN_IF_ERROR(
          UpdateReferral(store, batch, envelope, case_id,
                         event.referral_closed().referral_id(),
                         v1::REFERRAL_STATUS_CLOSED, envelope.occurred_at()));
      break;
    default:
      // Other case events change no index row.
      break;
  }
  Put(batch, case_key, row);

  // The timeline row: metadata only.
  EventDescription d = Describe(event);
  v1::TimelineItemView item;
  item.set_position(envelope.position());
  item.set_stream_version(envelope.stream_version());
  item.set_event_type(envelope.event_type());
  *item.mutable_occurred_at() = envelope.occurred_at();
  *item.mutable_recorded_at() = envelope.recorded_at();
  *item.mutable_actor() = envelope.actor();
  item.set_ref_id(d.ref_id);
  for (auto& s : d.subject_ids) item.add_subject_ids(std::move(s));
  item.set_summary(d.summary);
  Put(batch, keys::Timeline(case_id, envelope.position()), item);
  return absl::OkStatus();
}

}  // namespace renkei::read_models

// The state of one case aggregate (stream "case-<case_id>") and how events
// change it. Nothing is overwritten: corrections, withdrawals and status
// changes are kept as history. Plain values: no internal synchronisation.
#ifndef RENKEI_SERVICES_DOMAIN_CASE_CASE_STATE_H_
#define RENKEI_SERVICES_DOMAIN_CASE_CASE_STATE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/case.pb.h"

namespace renkei::domain {

// One stay of an agency on the support team.
struct TeamPeriod {
  absl::Time joined_at;
  std::string join_reason;
  std::optional<absl::Time> left_at;
  std::string leave_reason;
};

struct EntryVersion {
  v1::Entry entry;
  absl::Time at;
  v1::Actor actor;
  std::string reason;  // empty for the version as recorded
  // The case stream version of the event that recorded this version.
  uint64_t stream_version = 0;
  // Its personal fields were sealed with a key since destroyed (erasure):
  // `entry` holds only what was never personal.
  bool erased = false;
};

struct EntryState {
  std::vector<EntryVersion> versions;  // [0] as recorded, then amendments
  std::optional<absl::Time> retracted_at;
  std::string retraction_reason;
  v1::Actor retracted_by;

  [[nodiscard]] const v1::Entry& current() const {
    return versions.back().entry;
  }
  // 1 as recorded, +1 per amendment.
  [[nodiscard]] uint32_t version() const {
    return static_cast<uint32_t>(versions.size());
  }
  [[nodiscard]] const v1::Actor& recorded_by() const {
    return versions.front().actor;
  }
  [[nodiscard]] bool retracted() const { return retracted_at.has_value(); }
  // The version (1 as recorded) the event at case stream version
  // `stream_version` recorded; 0 when that event recorded none (a
  // retraction, another event).
  [[nodiscard]] uint32_t VersionRecordedAt(uint64_t stream_version) const {
    for (size_t i = 0; i < versions.size(); ++i) {
      if (versions[i].stream_version == stream_version) {
        return static_cast<uint32_t>(i + 1);
      }
    }
    return 0;
  }
};

enum class ConsentDecision { kGiven, kRefused };

struct ConsentState {
  v1::ConsentTerms terms;
  ConsentDecision decision = ConsentDecision::kGiven;
  absl::Time decided_at;
  v1::Actor recorded_by;
  absl::Time valid_from;
  std::optional<absl::Time> valid_until;
  std::optional<absl::Time> withdrawn_at;
  std::string withdrawal_reason;
  std::string superseded_by;
  std::optional<absl::Time> superseded_at;
  // A consent granting access to its recording agency waits for a second
  // person (authority/authority.h: NeedsConfirmation).
  bool awaiting_confirmation = false;
  std::optional<absl::Time> confirmed_at;
  v1::Actor confirmed_by;

  // Given and current, but not yet confirmed at `t`.
  [[nodiscard]] bool AwaitingConfirmationAt(absl::Time t) const {
    return decision == ConsentDecision::kGiven && current() && !ConfirmedAt(t);
  }
  // Not awaiting a confirmation at `t`.
  [[nodiscard]] bool ConfirmedAt(absl::Time t) const {
    return !awaiting_confirmation ||
           (confirmed_at.has_value() && *confirmed_at <= t);
  }

  // Neither withdrawn nor superseded (as of the latest event).
  [[nodiscard]] bool current() const {
    return !withdrawn_at.has_value() && !superseded_at.has_value();
  }
  // A consent given, within its period, not withdrawn or superseded by `t`.
  [[nodiscard]] bool InForceAt(absl::Time t) const;
  // A refusal already made and not superseded by `t`.
  [[nodiscard]] bool RefusalStandingAt(absl::Time t) const;
};

struct ReferralHandlerChange {
  absl::Time at;
  bool receiver = false;  // else the referrer's side
  std::string previous_staff_id;
};

struct ReferralState {
  v1::Referral referral;
  v1::ReferralStatus status = v1::REFERRAL_STATUS_UNSPECIFIED;
  absl::Time made_at;
  // The staff member handling each side now (receiver: empty until named).
  std::string referrer_staff_id;
  std::string receiver_staff_id;
  // Every change of handler, oldest first.
  std::vector<ReferralHandlerChange> handler_changes;

  // The status at business time `t` (the last change by then).
  [[nodiscard]] v1::ReferralStatus StatusAt(absl::Time t) const;
  // Who handled each side at `t`.
  [[nodiscard]] std::string ReferrerAt(absl::Time t) const;
  [[nodiscard]] std::string ReceiverAt(absl::Time t) const;
  std::vector<v1::ReferralStatusChange> history;
  std::vector<v1::ReferralFeedback> feedback;
  std::string outcome;
  std::string onward_referral_id;
};

struct ForumState {
  v1::StatutoryForum forum;
  absl::Time registered_at;

  [[nodiscard]] bool HasMember(absl::string_view agency_id) const;
};

struct Disclosure {
  v1::InformationShared shared;
  absl::Time at;
  v1::Actor actor;
};

// An emergency access invoked on the case ("break the glass").
struct EmergencyState {
  v1::EmergencyAccessInvoked invoked;  // its expiry included
  absl::Time invoked_at;
  v1::Actor actor;
  std::optional<v1::EmergencyAccessReviewed> review;
  v1::Actor reviewed_by;

  // Invoked by `t` and not yet expired.
  [[nodiscard]] bool InForceAt(absl::Time t) const;
};

// Case content told to a household member.
struct SubjectDisclosure {
  v1::SubjectDisclosureRecorded recorded;
  absl::Time at;
  v1::Actor actor;
};

// One version of the shared support plan.
struct PlanRevision {
  uint32_t revision = 0;
  v1::SupportPlan plan;
  absl::Time at;
  v1::Actor actor;
  v1::DecisionRef decision;
  std::string reason;
};

// One fact of the stage-lead ledger: over [valid_from, valid_to) the stage's
// lead is fact.lead() (no lead when unset), known from known_at. Later facts
// override earlier ones where they overlap (see lead_ledger.h).
struct LeadFactRecord {
  v1::LeadFact fact;
  absl::Time valid_from;
  std::optional<absl::Time> valid_to;
  absl::Time known_at;
};

struct LeadSideSetting {
  v1::CaseLeadSideSet set;
  absl::Time at;
  v1::Actor actor;
};

// One line of the case history, in stream order.
struct TimelineItem {
  absl::Time occurred_at;
  v1::Actor actor;
  std::string event_type;  // e.g. "renkei.v1.ConsentRefused"
  std::string ref_id;      // the subject, agency, entry, consent ... concerned
};

// 要保護, 要支援 and 特定妊婦 are registered (progress review applies).
[[nodiscard]] bool IsRegistered(v1::Registration registration);

// A legal hold in force: no expiry, no erasure.
struct LegalHold {
  std::string hold_id;
  std::string reason;
  v1::Actor placed_by;
  absl::Time placed_at;
};

struct CaseState {
  // Events applied: the case stream version this state is at.
  uint64_t version = 0;
  bool opened = false;
  std::string case_id;
  v1::CaseOpened opening;
  absl::Time opened_at;
  bool closed = false;
  std::string closure_reason;
  std::optional<absl::Time> closed_at;
  v1::DecisionRef closure_decision;
  // Set while closed by a transfer (転居).
  std::string transferred_to;
  std::vector<v1::Framework> frameworks;
  v1::Registration registration = v1::REGISTRATION_UNSPECIFIED;
  // Since when the case is registered (unset while not registered).
  std::optional<absl::Time> registered_since;

  std::map<std::string, v1::Subject, std::less<>> subjects;
  std::map<std::string, std::vector<TeamPeriod>, std::less<>> team;
  std::map<std::string, ForumState, std::less<>> forums;
  std::map<std::string, EntryState, std::less<>> entries;
  std::map<std::string, ConsentState, std::less<>> consents;
  std::map<std::string, ReferralState, std::less<>> referrals;
  // Ids in the order they were recorded.
  std::vector<std::string> entry_order;
  std::vector<std::string> consent_order;
  std::vector<std::string> referral_order;
  std::vector<Disclosure> disclosures;
  std::map<std::string, EmergencyState, std::less<>> emergencies;
  std::vector<std::string> emergency_order;
  // Disclosures to household members, in the order recorded.
  std::vector<SubjectDisclosure> subject_disclosures;
  std::vector<TimelineItem> timeline;
  // Every plan version, oldest first.
  std::vector<PlanRevision> plan_revisions;
  // The stage-lead ledger in stream (knowledge) order.
  std::vector<LeadFactRecord> lead_ledger;
  // Which side leads a co-managed case, each setting oldest first; the last
  // is in force.
  std::vector<LeadSideSetting> lead_sides;
  // The case's own 進行管理 interval; 0: its framework's.
  int32_t review_interval_days = 0;
  // Legal holds in force, by id.
  std::map<std::string, LegalHold, std::less<>> legal_holds;
  // Subjects whose data key was destroyed, and when.
  std::map<std::string, absl::Time, std::less<>> erased_subjects;
  // Every data key of the case was destroyed (end of retention).
  std::optional<absl::Time> erased_at;

  // Whether the personal data of `subject_id` (or of the whole case) is
  // erased.
  [[nodiscard]] bool SubjectErased(absl::string_view subject_id) const {
    return erased_at.has_value() || erased_subjects.contains(subject_id);
  }

  // LEAD_SIDE_UNSPECIFIED until a conference decided it.
  [[nodiscard]] v1::LeadSide lead_side() const {
    return lead_sides.empty() ? v1::LEAD_SIDE_UNSPECIFIED
                              : lead_sides.back().set.lead_side();
  }

  // nullptr when unknown.
  [[nodiscard]] const v1::Subject* FindSubject(absl::string_view id) const;
  [[nodiscard]] const ForumState* FindForum(absl::string_view id) const;
  [[nodiscard]] const EntryState* FindEntry(absl::string_view id) const;
  [[nodiscard]] const ConsentState* FindConsent(absl::string_view id) const;
  [[nodiscard]] const ReferralState* FindReferral(absl::string_view id) const;
  [[nodiscard]] const EmergencyState* FindEmergency(absl::string_view id) const;
  [[nodiscard]] const SubjectDisclosure* FindSubjectDisclosure(
      absl::string_view disclosure_id) const;

  // On the support team now (joined and not left).
  [[nodiscard]] bool OnTeam(absl::string_view agency_id) const;
  // On the support team at `t`.
  [[nodiscard]] bool OnTeamAt(absl::string_view agency_id, absl::Time t) const;
  // Agencies on the team now, sorted.
  [[nodiscard]] std::vector<std::string> TeamNow() const;

  // The plan in force; nullptr before the first one is adopted.
  [[nodiscard]] const v1::SupportPlan* plan() const;
  // 0 before the first plan.
  [[nodiscard]] uint32_t plan_revision() const;
  // A stage of the plan in force; nullptr when unknown.
  [[nodiscard]] const v1::SupportStage* FindStage(absl::string_view id) const;
};

// Applies one event. Total: an event is a fact and is never refused.
void Evolve(CaseState& state, const v1::CaseEvent& event);

// Folds events from an empty state.
[[nodiscard]] CaseState Replay(const std::vector<v1::CaseEvent>& events);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CASE_CASE_STATE_H_

// The sharing decision.
#include "services/domain/case/sharing.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace renkei::domain {
namespace {

template <typename Container, typename Value>
bool Contains(const Container& container, const Value& value) {
  return std::find(container.begin(), container.end(), value) !=
         container.end();
}

v1::SharingDecision Allow(v1::SharingBasis basis, std::string explanation) {
  v1::SharingDecision decision;
  decision.set_allowed(true);
  *decision.mutable_basis() = std::move(basis);
  decision.set_explanation(std::move(explanation));
  return decision;
}

v1::SharingDecision Deny(v1::SharingDenialReason reason,
                         std::string explanation) {
  v1::SharingDecision decision;
  decision.set_allowed(false);
  decision.set_denial_reason(reason);
  decision.set_explanation(std::move(explanation));
  return decision;
}

v1::SharingDecision AllowForum(const ForumState& forum) {
  v1::SharingBasis basis;
  auto* statutory = basis.mutable_statutory_forum();
  statutory->set_forum_id(forum.forum.forum_id());
  statutory->set_kind(forum.forum.kind());
  statutory->set_legal_basis(std::string(LegalBasisOf(forum.forum.kind())));
  return Allow(std::move(basis),
               absl::StrCat("Shared inside forum '", forum.forum.forum_id(),
                            "' (", LegalBasisOf(forum.forum.kind()), ")."));
}

v1::SharingDecision AllowEmergency(const EmergencyState& emergency) {
  v1::SharingBasis basis;
  v1::EmergencyBasis* e = basis.mutable_emergency();
  e->set_reason(emergency.invoked.reason());
  e->set_emergency_id(emergency.invoked.emergency_id());
  e->set_invoked_by_agency_id(emergency.invoked.agency_id());
  *e->mutable_expires_at() = emergency.invoked.expires_at();
  return Allow(std::move(basis), absl::StrCat("Emergency access '",
                                              emergency.invoked.emergency_id(),
                                              "' to protect life or body."));
}

std::string FormatUtc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", t, absl::UTCTimeZone());
}

// Consents in force at `at` that together cover every subject and category.
struct Coverage {
  bool covered = true;
  std::vector<std::string> consent_ids;
  std::string missing;  // first uncovered subject/category, for explanations
};

Coverage Cover(
    const CaseState& state,
    const google::protobuf::RepeatedPtrField<std::string>& subject_ids,
    const google::protobuf::RepeatedField<int>& categories,
    const SharingRequest& request) {
  Coverage coverage;
  std::set<std::string> used;
  for (const std::string& subject_id : subject_ids) {
    for (int category : categories) {
      const ConsentState* found = nullptr;
      for (const std::string& id : state.consent_order) {
        const ConsentState& consent = state.consents.at(id);
        const v1::ConsentScope& scope = consent.terms.scope();
        if (consent.terms.subject_id() == subject_id &&
            consent.InForceAt(request.at) &&
            Contains(scope.agency_ids(), request.recipient_agency_id) &&
            Contains(scope.purposes(), static_cast<int>(request.purpose)) &&
            Contains(scope.categories(), category)) {
          found = &consent;
          break;
        }
      }
      if (found == nullptr) {
        if (coverage.covered) {
          coverage.missing =
              absl::StrCat("no consent of '", subject_id, "' in force covers ",
                           v1::InformationCategory_Name(category), " for ",
                           v1::SharingPurpose_Name(request.purpose), " to '",
                           request.recipient_agency_id, "'");
        }
        coverage.covered = false;
      } else if (used.insert(found->terms.consent_id()).second) {
        coverage.consent_ids.push_back(found->terms.consent_id());
      }
    }
  }
  return coverage;
}

// Names the standing refusals of `subject_ids` by record, never quoting
// their statements (the subject's words are content, see MayViewStatement).
std::string StandingRefusals(
    const CaseState& state,
    const google::protobuf::RepeatedPtrField<std::string>& subject_ids,
    absl::Time at) {
  std::vector<std::string> notes;
  for (const std::string& id : state.consent_order) {
    const ConsentState& consent = state.consents.at(id);
    if (Contains(subject_ids, consent.terms.subject_id()) &&
        consent.RefusalStandingAt(at)) {
      notes.push_back(absl::StrCat("'", consent.terms.subject_id(),
                                   "' refused (", id, ", ",
                                   FormatUtc(consent.decided_at), ")"));
    }
  }
  if (notes.empty()) return "";
  return absl::StrCat(" ", absl::StrJoin(notes, "; "), ".");
}

// Agencies for which the entry is their own record.
std::set<std::string> OwnRecordAgencies(const EntryState& entry) {
  std::set<std::string> agencies;
  for (const EntryVersion& version : entry.versions) {
    agencies.insert(version.actor.agency_id());
    const v1::Entry& e = version.entry;
    switch (e.body_case()) {
      case v1::Entry::kInformationReceived:
        agencies.insert(e.information_received().source_agency_id());
        break;
      case v1::Entry::kInterview:
        for (const v1::Actor& a : e.interview().interviewers()) {
          agencies.insert(a.agency_id());
        }
        break;
      case v1::Entry::kJointVisit:
        for (const v1::Actor& a : e.joint_visit().participants()) {
          agencies.insert(a.agency_id());
        }
        break;
      default:
        break;
    }
  }
  return agencies;
}

// Rules 4, 6, 7 and 8, after the entry-specific ones.
v1::SharingDecision DecideByBasis(
    const CaseState& state,
    const google::protobuf::RepeatedPtrField<std::string>& subject_ids,
    const google::protobuf::RepeatedField<int>& categories,
    const SharingRequest& request, const ForumState* confining_forum) {
  const std::string& recipient = request.recipient_agency_id;
  const bool on_team = state.OnTeamAt(recipient, request.at);
  Coverage coverage;
  if (on_team) {
    coverage = Cover(state, subject_ids, categories, request);
    if (coverage.covered) {
      v1::SharingBasis basis;
      for (const std::string& id : coverage.consent_ids) {
        basis.mutable_consent()->add_consent_ids(id);
      }
      return Allow(
          std::move(basis),
          absl::StrCat("Covered by consent ",
                       absl::StrJoin(coverage.consent_ids, ", "), "."));
    }
  }

  if (confining_forum != nullptr) {
    if (confining_forum->HasMember(recipient) &&
        confining_forum->registered_at <= request.at) {
      return AllowForum(*confining_forum);
    }
    return Deny(v1::SHARING_DENIAL_REASON_CONFINED_TO_FORUM,
                absl::StrCat("This entered through forum '",
                             confining_forum->forum.forum_id(),
                             "' without consent and stays inside it until a "
                             "consent covers it."));
  }

  if (!request.forum_id.empty()) {
    const ForumState* forum = state.FindForum(request.forum_id);
    if (forum == nullptr || forum->registered_at > request.at) {
      return Deny(
          v1::SHARING_DENIAL_REASON_UNKNOWN_FORUM,
          absl::StrCat("Forum '", request.forum_id,
                       "' is not registered on this case at that time."));
    }
    if (!request.sender_agency_id.empty() &&
        !forum->HasMember(request.sender_agency_id)) {
      return Deny(v1::SHARING_DENIAL_REASON_NOT_FORUM_MEMBER,
                  absl::StrCat("The sending agency '", request.sender_agency_id,
                               "' is not a member of forum '", request.forum_id,
                               "', so it cannot share under it."));
    }
    if (!forum->HasMember(recipient)) {
      return Deny(
          v1::SHARING_DENIAL_REASON_NOT_FORUM_MEMBER,
          absl::StrCat("Agency '", recipient, "' is not a member of forum '",
                       request.forum_id, "'."));
    }
    return AllowForum(*forum);
  }

  if (!request.emergency_id.empty()) {
    const EmergencyState* emergency = state.FindEmergency(request.emergency_id);
    if (emergency == nullptr || !emergency->InForceAt(request.at) ||
        (!request.sender_agency_id.empty() &&
         emergency->invoked.agency_id() != request.sender_agency_id)) {
      return Deny(v1::SHARING_DENIAL_REASON_NO_EMERGENCY,
                  absl::StrCat("Emergency access '", request.emergency_id,
                               "' is not in force for the sending agency at "
                               "that time."));
    }
    return AllowEmergency(*emergency);
  }

  if (!on_team) {
    return Deny(v1::SHARING_DENIAL_REASON_NOT_ON_TEAM,
                absl::StrCat("Agency '", recipient,
                             "' is not on the support team at that time.",
                             StandingRefusals(state, subject_ids, request.at)));
  }
  return Deny(v1::SHARING_DENIAL_REASON_NO_CONSENT,
              absl::StrCat("Not covered by consent: ", coverage.missing, ".",
                           StandingRefusals(state, subject_ids, request.at)));
}

}  // namespace

absl::string_view LegalBasisOf(v1::ForumKind kind) {
  switch (kind) {
    case v1::FORUM_KIND_YOTAIKYO:
      return "Child Welfare Act art. 25-2, 25-5 (要保護児童対策地域協議会)";
    case v1::FORUM_KIND_SHIEN_KAIGI:
      return "Social Welfare Act art. 106-6 (支援会議)";
    default:
      return "";
  }
}

v1::SharingDecision MayShare(const CaseState& state, const EntryState& entry,
                             const SharingRequest& request) {
  const v1::Entry& current = entry.current();
  const std::string& recipient = request.recipient_agency_id;
  if (!request.sender_agency_id.empty()) {
    if (!SenderAccess(state, entry, request).allowed()) {
      return Deny(v1::SHARING_DENIAL_REASON_SENDER_MAY_NOT_SEE,
                  absl::StrCat("The sending agency '", request.sender_agency_id,
                               "' may not see entry '", current.entry_id(),
                               "' itself, so it cannot pass it on."));
    }
  }
  if (Contains(current.confidentiality().withheld_from_agency_ids(),
               recipient)) {
    return Deny(
        v1::SHARING_DENIAL_REASON_WITHHELD,
        absl::StrCat("Entry '", current.entry_id(),
                     "' is confidential and withheld from '", recipient, "'."));
  }
  if (entry.retracted()) {
    return Deny(
        v1::SHARING_DENIAL_REASON_RETRACTED,
        absl::StrCat("Entry '", current.entry_id(), "' has been retracted."));
  }
  if (OwnRecordAgencies(entry).contains(recipient)) {
    v1::SharingBasis basis;
    basis.mutable_own_record()->set_agency_id(recipient);
    return Allow(std::move(basis),
                 absl::StrCat("Agency '", recipient,
                              "' recorded this entry or took part in it."));
  }
  const ForumState* confining = nullptr;
  if (const ForumState* origin = state.FindForum(current.origin_forum_id());
      origin != nullptr && origin->forum.kind() == v1::FORUM_KIND_SHIEN_KAIGI) {
    confining = origin;
  }
  return DecideByBasis(state, current.subject_ids(), current.categories(),
                       request, confining);
}

v1::SharingDecision MayShare(const CaseState& state, const EntryState& entry,
                             absl::string_view recipient_agency_id,
                             v1::SharingPurpose purpose, absl::Time at) {
  return MayShare(
      state, entry,
      SharingRequest{.sender_agency_id = "",
                     .recipient_agency_id = std::string(recipient_agency_id),
                     .purpose = purpose,
                     .at = at,
                     .forum_id = "",
                     .emergency_id = ""});
}

v1::SharingDecision MayShareWithStaff(const CaseState& state,
                                      const DirectoryState& directory,
                                      const EntryState& entry,
                                      absl::string_view staff_id,
                                      v1::SharingPurpose purpose,
                                      absl::Time at) {
  const StaffRecord* staff = directory.FindStaff(staff_id);
  if (staff == nullptr || !staff->ActiveAt(at)) {
    return Deny(v1::SHARING_DENIAL_REASON_UNKNOWN_RECIPIENT,
                absl::StrCat("Staff member '", staff_id,
                             "' is unknown or not in post at that time."));
  }
  return MayShare(state, entry, staff->staff.agency_id(), purpose, at);
}

namespace {

// The latest provision of `entry` to `agency_id`: by ShareInformation or sent
// with a referral to it.
std::optional<v1::ProvisionBasis> ProvidedTo(const CaseState& state,
                                             absl::string_view entry_id,
                                             absl::string_view agency_id) {
  std::optional<v1::ProvisionBasis> found;
  auto consider = [&found](v1::ProvisionBasis provision) {
    if (!found || provision.entry_version() >= found->entry_version()) {
      found = std::move(provision);
    }
  };
  for (const Disclosure& disclosure : state.disclosures) {
    if (disclosure.shared.recipient_agency_id() != agency_id) continue;
    for (const v1::SharedItem& item : disclosure.shared.items()) {
      if (item.entry_id() != entry_id) continue;
      v1::ProvisionBasis provision;
      provision.set_provided_to_agency_id(std::string(agency_id));
      provision.set_provided_by_agency_id(disclosure.actor.agency_id());
      provision.set_entry_version(item.entry_version());
      *provision.mutable_provided_on() = item.basis();
      consider(std::move(provision));
    }
  }
  for (const std::string& id : state.referral_order) {
    const v1::Referral& referral = state.referrals.at(id).referral;
    if (referral.to_agency_id() != agency_id) continue;
    for (const v1::SentEntry& sent : referral.sent_entries()) {
      if (sent.entry_id() != entry_id) continue;
      v1::ProvisionBasis provision;
      provision.set_provided_to_agency_id(std::string(agency_id));
      provision.set_provided_by_agency_id(referral.from_agency_id());
      provision.set_referral_id(referral.referral_id());
      provision.set_entry_version(sent.entry_version());
      *provision.mutable_provided_on() = referral.basis();
      consider(std::move(provision));
    }
  }
  return found;
}

bool CitesForum(const v1::SharingBasis& basis, absl::string_view forum_id) {
  return basis.has_statutory_forum() &&
         basis.statutory_forum().forum_id() == forum_id;
}

// Whether `entry` was provided to anyone inside forum `forum_id`; the latest
// version so provided (0: never).
uint32_t ProvidedInsideForum(const CaseState& state, absl::string_view entry_id,
                             absl::string_view forum_id) {
  uint32_t version = 0;
  for (const Disclosure& disclosure : state.disclosures) {
    for (const v1::SharedItem& item : disclosure.shared.items()) {
      if (item.entry_id() == entry_id && CitesForum(item.basis(), forum_id)) {
        version = std::max(version, item.entry_version());
      }
    }
  }
  for (const std::string& id : state.referral_order) {
    const v1::Referral& referral = state.referrals.at(id).referral;
    if (!CitesForum(referral.basis(), forum_id)) continue;
    for (const v1::SentEntry& sent : referral.sent_entries()) {
      if (sent.entry_id() == entry_id) {
        version = std::max(version, sent.entry_version());
      }
    }
  }
  return version;
}

EntryAccess Shown(v1::SharingDecision decision, uint32_t version) {
  return EntryAccess{std::move(decision), version};
}

EntryAccess NotShown(v1::SharingDecision decision) {
  return EntryAccess{std::move(decision), 0};
}

}  // namespace

EntryAccess MayView(const CaseState& state, const EntryState& entry,
                    const ViewRequest& viewer) {
  const v1::Entry& current = entry.current();
  const std::string& agency = viewer.agency_id;
  if (Contains(current.confidentiality().withheld_from_agency_ids(), agency)) {
    return NotShown(Deny(
        v1::SHARING_DENIAL_REASON_WITHHELD,
        absl::StrCat("Entry '", current.entry_id(),
                     "' is confidential and withheld from '", agency, "'.")));
  }
  if (viewer.auditor) {
    v1::SharingBasis basis;
    basis.mutable_auditor()->set_agency_id(agency);
    return Shown(
        Allow(std::move(basis), absl::StrCat("Auditor agency '", agency, "'.")),
        entry.version());
  }
  if (entry.retracted()) {
    return NotShown(Deny(
        v1::SHARING_DENIAL_REASON_RETRACTED,
        absl::StrCat("Entry '", current.entry_id(), "' has been retracted.")));
  }
  // Rules 4 to 6, and the denial rule 9 falls back on.
  SharingRequest as_recipient{.sender_agency_id = "",
                              .recipient_agency_id = agency,
                              .purpose = viewer.purpose,
                              .at = viewer.at,
                              .forum_id = "",
                              .emergency_id = ""};
  v1::SharingDecision decision = MayShare(state, entry, as_recipient);
  if (decision.allowed()) return Shown(std::move(decision), entry.version());
  const bool confined =
      decision.denial_reason() == v1::SHARING_DENIAL_REASON_CONFINED_TO_FORUM;

  if (std::optional<v1::ProvisionBasis> provision =
          ProvidedTo(state, current.entry_id(), agency)) {
    const uint32_t version = provision->entry_version();
    v1::SharingBasis basis;
    *basis.mutable_provision() = std::move(*provision);
    return Shown(Allow(std::move(basis),
                       absl::StrCat("Provided to agency '", agency, "'.")),
                 version);
  }
  // Break the glass: the invoking agency, while the access is in force.
  for (const std::string& id : state.emergency_order) {
    const EmergencyState& emergency = state.emergencies.at(id);
    if (confined || emergency.invoked.agency_id() != agency ||
        !emergency.InForceAt(viewer.at)) {
      continue;
    }
    const auto& covered = emergency.invoked.subject_ids();
    bool about_covered = covered.empty();
    for (const std::string& subject : current.subject_ids()) {
      about_covered = about_covered || Contains(covered, subject);
    }
    if (about_covered) return Shown(AllowEmergency(emergency), entry.version());
  }
  if (!viewer.forum_id.empty() && !confined) {
    const ForumState* forum = state.FindForum(viewer.forum_id);
    if (forum != nullptr && forum->registered_at <= viewer.at &&
        forum->HasMember(agency)) {
      uint32_t version =
          ProvidedInsideForum(state, current.entry_id(), viewer.forum_id);
      if (current.origin_forum_id() == viewer.forum_id) {
        version = entry.version();
      }
      if (version > 0) return Shown(AllowForum(*forum), version);
    }
  }
  return NotShown(std::move(decision));
}

EntryAccess MayViewForAnyPurpose(const CaseState& state,
                                 const EntryState& entry, ViewRequest viewer) {
  const v1::SharingPurpose asked = viewer.purpose;
  EntryAccess access = MayView(state, entry, viewer);
  for (int purpose = v1::SharingPurpose_MIN + 1;
       !access.allowed() && purpose <= v1::SharingPurpose_MAX; ++purpose) {
    if (purpose == asked) continue;
    viewer.purpose = static_cast<v1::SharingPurpose>(purpose);
    EntryAccess other = MayView(state, entry, viewer);
    if (other.allowed()) access = std::move(other);
  }
  return access;
}

EntryAccess SenderAccess(const CaseState& state, const EntryState& entry,
                         const SharingRequest& request) {
  return MayViewForAnyPurpose(state, entry,
                              ViewRequest{.agency_id = request.sender_agency_id,
                                          .purpose = request.purpose,
                                          .at = request.at,
                                          .forum_id = request.forum_id,
                                          .auditor = false});
}

v1::SharingDecision MayViewStatement(const CaseState& state,
                                     const ConsentState& consent,
                                     const ViewRequest& viewer) {
  const std::string& agency = viewer.agency_id;
  const std::string& id = consent.terms.consent_id();
  if (consent.decision == ConsentDecision::kRefused &&
      Contains(consent.terms.scope().agency_ids(), agency)) {
    return Deny(v1::SHARING_DENIAL_REASON_REFUSED_AGENCY,
                absl::StrCat("The words of refusal '", id,
                             "' are not shown to an agency it names."));
  }
  if (viewer.auditor) {
    v1::SharingBasis basis;
    basis.mutable_auditor()->set_agency_id(agency);
    return Allow(std::move(basis),
                 absl::StrCat("Auditor agency '", agency, "'."));
  }
  if (consent.recorded_by.agency_id() == agency) {
    v1::SharingBasis basis;
    basis.mutable_own_record()->set_agency_id(agency);
    return Allow(std::move(basis),
                 absl::StrCat("Agency '", agency, "' recorded '", id, "'."));
  }
  if (!state.OnTeamAt(agency, viewer.at)) {
    return Deny(v1::SHARING_DENIAL_REASON_NOT_ON_TEAM,
                absl::StrCat("Agency '", agency,
                             "' is not on the support team at that time."));
  }
  for (const std::string& other_id : state.consent_order) {
    const ConsentState& other = state.consents.at(other_id);
    const v1::ConsentScope& scope = other.terms.scope();
    if (other.terms.subject_id() == consent.terms.subject_id() &&
        other.InForceAt(viewer.at) && Contains(scope.agency_ids(), agency) &&
        Contains(scope.purposes(), static_cast<int>(viewer.purpose))) {
      v1::SharingBasis basis;
      basis.mutable_consent()->add_consent_ids(other_id);
      return Allow(std::move(basis),
                   absl::StrCat("Covered by consent ", other_id, "."));
    }
  }
  return Deny(v1::SHARING_DENIAL_REASON_NO_CONSENT,
              absl::StrCat("No consent of '", consent.terms.subject_id(),
                           "' in force covers agency '", agency,
                           "', so the words of '", id, "' are not shown."));
}

namespace {

// Withheld from the person (秘) or retracted: never told, whatever else.
std::optional<v1::SharingDecision> NeverToldTo(const EntryState& entry,
                                               absl::string_view subject_id) {
  const v1::Entry& current = entry.current();
  if (Contains(current.confidentiality().withheld_from_subject_ids(),
               subject_id)) {
    return Deny(v1::SHARING_DENIAL_REASON_WITHHELD,
                absl::StrCat("Entry '", current.entry_id(),
                             "' is confidential and withheld from '",
                             subject_id, "'."));
  }
  if (entry.retracted()) {
    return Deny(
        v1::SHARING_DENIAL_REASON_RETRACTED,
        absl::StrCat("Entry '", current.entry_id(), "' has been retracted."));
  }
  return std::nullopt;
}

}  // namespace

v1::SharingDecision MayDiscloseToSubject(const EntryState& entry,
                                         absl::string_view subject_id) {
  const v1::Entry& current = entry.current();
  if (auto never = NeverToldTo(entry, subject_id)) return *std::move(never);
  if (!Contains(current.subject_ids(), subject_id)) {
    return Deny(v1::SHARING_DENIAL_REASON_NOT_ABOUT_SUBJECT,
                absl::StrCat("Entry '", current.entry_id(), "' is not about '",
                             subject_id, "'."));
  }
  v1::SharingBasis basis;
  basis.mutable_subject_access()->set_subject_id(std::string(subject_id));
  return Allow(std::move(basis),
               absl::StrCat("'", subject_id,
                            "' may read information about themselves."));
}

v1::SharingDecision MayDiscloseToSubject(const CaseState& state,
                                         const EntryState& entry,
                                         absl::string_view subject_id,
                                         absl::Time at) {
  const v1::Entry& current = entry.current();
  if (state.FindSubject(subject_id) == nullptr) {
    return Deny(
        v1::SHARING_DENIAL_REASON_UNKNOWN_RECIPIENT,
        absl::StrCat("'", subject_id, "' is not a member of this household."));
  }
  if (auto never = NeverToldTo(entry, subject_id)) return *std::move(never);
  if (current.subject_ids().empty()) {
    return Deny(v1::SHARING_DENIAL_REASON_NOT_ABOUT_SUBJECT,
                absl::StrCat("Entry '", current.entry_id(),
                             "' is about no household member."));
  }
  if (std::all_of(current.subject_ids().begin(), current.subject_ids().end(),
                  [&](const std::string& id) { return id == subject_id; })) {
    v1::SharingBasis basis;
    basis.mutable_subject_access()->set_subject_id(std::string(subject_id));
    return Allow(std::move(basis),
                 absl::StrCat("'", subject_id,
                              "' may be told information about themselves."));
  }
  v1::SharingBasis basis;
  v1::HouseholdDisclosureBasis* household =
      basis.mutable_household_disclosure();
  household->set_subject_id(std::string(subject_id));
  std::vector<std::string> reasons;
  for (const std::string& other_id : current.subject_ids()) {
    if (other_id == subject_id) continue;
    // A refusal naming the person told stands whatever else allows it.
    for (const std::string& id : state.consent_order) {
      const ConsentState& consent = state.consents.at(id);
      if (consent.terms.subject_id() == other_id &&
          consent.RefusalStandingAt(at) &&
          Contains(consent.terms.scope().person_subject_ids(), subject_id)) {
        return Deny(
            v1::SHARING_DENIAL_REASON_REFUSED_PERSON,
            absl::StrCat("'", other_id, "' refused that '", subject_id,
                         "' be told (", id, ", ", FormatUtc(consent.decided_at),
                         "), so entry '", current.entry_id(),
                         "' is not disclosed to them."));
      }
    }
    const v1::Subject* other = state.FindSubject(other_id);
    if (other != nullptr &&
        Contains(other->guardian_subject_ids(), subject_id)) {
      household->add_guardian_of_subject_ids(other_id);
      reasons.push_back(absl::StrCat("guardian of '", other_id, "'"));
      continue;
    }
    const ConsentState* found = nullptr;
    for (const std::string& id : state.consent_order) {
      const ConsentState& consent = state.consents.at(id);
      const v1::ConsentScope& scope = consent.terms.scope();
      if (consent.terms.subject_id() == other_id && consent.InForceAt(at) &&
          Contains(scope.person_subject_ids(), subject_id) &&
          std::all_of(current.categories().begin(), current.categories().end(),
                      [&](int category) {
                        return Contains(scope.categories(), category);
                      })) {
        found = &consent;
        break;
      }
    }
    if (found == nullptr) {
      return Deny(
          v1::SHARING_DENIAL_REASON_NO_PERSON_CONSENT,
          absl::StrCat("Entry '", current.entry_id(), "' is also about '",
                       other_id, "': '", subject_id,
                       "' is not their guardian and no consent of '", other_id,
                       "' in force names '", subject_id,
                       "' for every category of it."));
    }
    if (!Contains(household->consent_ids(), found->terms.consent_id())) {
      household->add_consent_ids(found->terms.consent_id());
    }
    reasons.push_back(absl::StrCat("consent ", found->terms.consent_id(),
                                   " of '", other_id, "'"));
  }
  return Allow(std::move(basis),
               absl::StrCat("'", subject_id, "' may be told: ",
                            absl::StrJoin(reasons, "; "), "."));
}

v1::SharingDecision MayShareCategories(
    const CaseState& state,
    const google::protobuf::RepeatedPtrField<std::string>& subject_ids,
    const google::protobuf::RepeatedField<int>& categories,
    const SharingRequest& request) {
  return DecideByBasis(state, subject_ids, categories, request, nullptr);
}

}  // namespace renkei::domain

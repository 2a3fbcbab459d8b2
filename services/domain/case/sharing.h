// The sharing decision: may this case content go to this recipient, for this
// purpose, at this time, and on what legal basis. Pure functions of CaseState.
#ifndef RENKEI_SERVICES_DOMAIN_CASE_SHARING_H_
#define RENKEI_SERVICES_DOMAIN_CASE_SHARING_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_field.h"
#include "renkei/v1/sharing.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/directory/directory.h"

namespace renkei::domain {

struct SharingRequest {
  // The agency providing the information (empty: not checked). It must
  // itself be allowed to see every entry it sends, and be a member of any
  // forum it cites.
  std::string sender_agency_id;
  std::string recipient_agency_id;
  v1::SharingPurpose purpose = v1::SHARING_PURPOSE_UNSPECIFIED;
  absl::Time at;
  // Sharing inside this statutory forum (optional).
  std::string forum_id;
  // An emergency access invoked on the case by the sender's agency (any
  // agency when no sender is given) and in force at `at` (optional).
  std::string emergency_id;
};

// Decides for one entry, rules in this order:
//  0. with a sender: the sender may view the entry (MayView, as the sender's
//     agency for the purpose and forum of the request), else
//     SENDER_MAY_NOT_SEE;
//  1. withheld from the recipient (秘): denied, whatever the basis;
//  2. retracted: denied;
//  3. the recipient recorded it, took part in it or was its source: own record;
//  4. recipient on the support team at `at` and, for every subject the entry
//     is about and every category, a consent in force at `at` covering the
//     recipient and purpose: consent (all records relied on);
//  5. entered through a 支援会議 and not covered by consent: only that forum's
//     members, with the forum as basis; everyone else denied (confined);
//  6. request.forum_id names a statutory forum registered by `at` of which
//     the recipient (and the sender, when given) is a member: that forum
//     (要対協 / 支援会議);
//  7. request.emergency_id names an emergency access in force at `at`,
//     invoked by the sender's agency: emergency (its id, reason, expiry);
//  8. otherwise denied (not on team, or no consent; a standing refusal is
//     named by its id in the explanation, never quoted: its statement is
//     content).
[[nodiscard]] v1::SharingDecision MayShare(const CaseState& state,
                                           const EntryState& entry,
                                           const SharingRequest& request);
[[nodiscard]] v1::SharingDecision MayShare(
    const CaseState& state, const EntryState& entry,
    absl::string_view recipient_agency_id, v1::SharingPurpose purpose,
    absl::Time at);

// MayShare for the agency of `staff_id`; denied when the staff member is
// unknown or not active at `at`.
[[nodiscard]] v1::SharingDecision MayShareWithStaff(
    const CaseState& state, const DirectoryState& directory,
    const EntryState& entry, absl::string_view staff_id,
    v1::SharingPurpose purpose, absl::Time at);

// A household member may read an entry about themselves unless it is
// withheld from them (subject access only: denied NOT_ABOUT_SUBJECT for an
// entry not about them; see the overload with the case for telling a person
// about other members).
[[nodiscard]] v1::SharingDecision MayDiscloseToSubject(
    const EntryState& entry, absl::string_view subject_id);

// Whether household member `subject_id` (the person P told) may be told
// about `entry` at `at`, rules in this order:
//  1. P is not a subject of the case: denied UNKNOWN_RECIPIENT;
//  2. withheld from P (秘): denied WITHHELD, whatever else;
//  3. retracted: denied RETRACTED;
//  4. about P only: allowed (subject access);
//  5. for each other subject S of the entry: a standing refusal of S naming
//     P in its scope denies it (REFUSED_PERSON, the refusal named by id,
//     never quoted); else S is P's child (P is one of S's guardians), or a
//     consent of S in force at `at` names P and covers every category of
//     the entry; else denied NO_PERSON_CONSENT. All allowed: household
//     disclosure (the guardianships and consents relied on).
[[nodiscard]] v1::SharingDecision MayDiscloseToSubject(
    const CaseState& state, const EntryState& entry,
    absl::string_view subject_id, absl::Time at);

// Rules 4, 6, 7 and 8 for information of `categories` about `subject_ids`
// that is not yet an entry (what a referral sends).
[[nodiscard]] v1::SharingDecision MayShareCategories(
    const CaseState& state,
    const google::protobuf::RepeatedPtrField<std::string>& subject_ids,
    const google::protobuf::RepeatedField<int>& categories,
    const SharingRequest& request);

// Who reads case content, for what, at what (server) time.
struct ViewRequest {
  std::string agency_id;
  v1::SharingPurpose purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION;
  absl::Time at;
  // Reading as a member of this statutory forum (optional): what was
  // provided inside it, and what entered through it, is shown to members.
  std::string forum_id;
  // An auditor agency: everything not withheld from it, read-only.
  bool auditor = false;
};

// What a reader may see of one entry: the decision, and the version of the
// entry it allows (0 when denied). A provision allows the version provided,
// not later amendments.
struct EntryAccess {
  v1::SharingDecision decision;
  uint32_t version = 0;

  [[nodiscard]] bool allowed() const { return decision.allowed(); }
};

// Decides whether `viewer` may see `entry`, rules in this order:
//  1. withheld from the viewer's agency (秘): denied, whatever the basis;
//  2. an auditor agency: allowed (auditor), retracted entries included;
//  3. retracted: denied;
//  4. the viewer's agency recorded it, took part in it or was its source;
//  5. on the team at `at` and consent covers every subject and category;
//  6. entered through a 支援会議: only that forum's members (forum basis);
//  7. provided to the viewer's agency (ShareInformation, or sent with a
//     referral to it): that provision (the latest version provided);
//  7b. an emergency access in force at `at` invoked by the viewer's agency
//     covers a subject of the entry (or the household): emergency;
//  8. reading as a member of forum F (viewer.forum_id): entries that entered
//     through F or were provided inside F;
//  9. otherwise denied (not on team / no consent).
[[nodiscard]] EntryAccess MayView(const CaseState& state,
                                  const EntryState& entry,
                                  const ViewRequest& viewer);

// MayView for the viewer's purpose or else any other purpose: what an agency
// holds of an entry for any of its own work (a referral's parties, a
// sender).
// What the sender of `request` may itself see of `entry`, so may pass on:
// MayView as the sender's agency with the request's forum, for the
// request's purpose or else any other purpose (it holds what it may see for
// any of its own work; the recipient's basis is decided separately).
[[nodiscard]] EntryAccess MayViewForAnyPurpose(const CaseState& state,
                                               const EntryState& entry,
                                               ViewRequest viewer);
[[nodiscard]] EntryAccess SenderAccess(const CaseState& state,
                                       const EntryState& entry,
                                       const SharingRequest& request);

// Whether `viewer` may read the words of a consent or refusal record
// (terms.statement: the subject's own words are content about them):
// auditors; the agency that recorded it; never an agency a refusal names;
// otherwise a team agency that a consent of the same subject in force at
// `at` covers for the viewer's purpose. Denied decisions say why without
// quoting.
[[nodiscard]] v1::SharingDecision MayViewStatement(const CaseState& state,
                                                   const ConsentState& consent,
                                                   const ViewRequest& viewer);

// The legal basis a statutory forum gives, e.g. "Social Welfare Act art.
// 106-6".
[[nodiscard]] absl::string_view LegalBasisOf(v1::ForumKind kind);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CASE_SHARING_H_

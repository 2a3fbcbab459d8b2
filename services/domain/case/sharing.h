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
  std::string recipient_agency_id;
  v1::SharingPurpose purpose = v1::SHARING_PURPOSE_UNSPECIFIED;
  absl::Time at;
  // Sharing inside this statutory forum (optional).
  std::string forum_id;
  // Life or body at risk and consent cannot be obtained (optional).
  std::string emergency_reason;
};

// Decides for one entry, rules in this order:
//  1. withheld from the recipient (秘): denied, whatever the basis;
//  2. retracted: denied;
//  3. the recipient recorded it, took part in it or was its source: own record;
//  4. recipient on the support team at `at` and, for every subject the entry
//     is about and every category, a consent in force at `at` covering the
//     recipient and purpose: consent (all records relied on);
//  5. entered through a 支援会議 and not covered by consent: only that forum's
//     members, with the forum as basis; everyone else denied (confined);
//  6. request.forum_id names a statutory forum registered by `at` of which
//     the recipient is a member: that forum (要対協 / 支援会議);
//  7. request.emergency_reason given: emergency;
//  8. otherwise denied (not on team, or no consent; a standing refusal is
//     named in the explanation).
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
// withheld from them.
[[nodiscard]] v1::SharingDecision MayDiscloseToSubject(
    const EntryState& entry, absl::string_view subject_id);

// Rules 4, 6, 7 and 8 for information of `categories` about `subject_ids`
// that is not yet an entry (what a referral sends).
[[nodiscard]] v1::SharingDecision MayShareCategories(
    const CaseState& state,
    const google::protobuf::RepeatedPtrField<std::string>& subject_ids,
    const google::protobuf::RepeatedField<int>& categories,
    const SharingRequest& request);

// The legal basis a statutory forum gives, e.g. "Social Welfare Act art.
// 106-6".
[[nodiscard]] absl::string_view LegalBasisOf(v1::ForumKind kind);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CASE_SHARING_H_

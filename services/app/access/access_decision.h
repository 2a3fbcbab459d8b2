// The one access decision: what a reader may see of one case's content, and
// why. Every response that carries case content (summary, timeline,
// consents, plan, lead history, referral views, handover packets, sharing
// checks, audit replays) is built through it, so content reaches a response
// only as this decision allows: entries through ShowEntry, consent and
// refusal words through ShowConsentTerms, referrals through ShowReferral.
// Its inputs are explicit (the reader's staff member, agency, role, purpose,
// forum and the server's time), so authenticated identities and roles plug
// in without changing it. Transport-free: no gRPC, no storage.
//
// Thread-safety: an AccessDecision is immutable after construction and
// borrows the case state, which must outlive it; safe for concurrent use.
#ifndef RENKEI_SERVICES_APP_ACCESS_ACCESS_DECISION_H_
#define RENKEI_SERVICES_APP_ACCESS_ACCESS_DECISION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/consent.pb.h"
#include "renkei/v1/entry.pb.h"
#include "renkei/v1/referral.pb.h"
#include "renkei/v1/sharing.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/sharing.h"

namespace renkei::app {

enum class ReaderRole {
  kPractitioner,  // through the agency's place on the case
  kAuditor,       // read-only, everything not withheld from its agency
};

// Who reads, for what, when.
struct Reader {
  std::string staff_id;
  std::string agency_id;
  ReaderRole role = ReaderRole::kPractitioner;
  v1::SharingPurpose purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION;
  // Reading as a member of this statutory forum (optional).
  std::string forum_id;
  // The server's time: every decision is made at it.
  absl::Time now;
};

// How a reader stands to a case.
enum class CaseRelation {
  kNone,         // nothing to do with it: the case "does not exist" to it
  kRelated,      // once on its team, a referral party, a provision's
                 // recipient, or a member of one of its forums
  kForumMember,  // reading as a member of a forum registered on it
  kTeam,         // on its support team now
  kAuditor,
};

// The access log's words for reading as a team member or an auditor.
[[nodiscard]] std::string TeamMemberBasis(absl::string_view agency_id);
[[nodiscard]] std::string AuditorBasis(absl::string_view agency_id);

// A basis in words, for the access log and the disclosure record (never
// anything personal: an emergency is named by id and agency, not reason).
[[nodiscard]] std::string DescribeBasis(const v1::SharingBasis& basis);

// The message for a case an agency may not know of: the same whether or not
// the case exists.
[[nodiscard]] absl::Status CaseNotVisible(absl::string_view case_id);

class AccessDecision {
 public:
  // `state` is the folded case (opened or not).
  AccessDecision(const domain::CaseState& state, Reader reader);

  const Reader& reader() const { return reader_; }
  CaseRelation relation() const { return relation_; }

  // OK when the reader may read the case itself (team, auditor, or a forum
  // member reading as that forum). NOT_FOUND (CaseNotVisible) for a case
  // that does not exist or to which the reader has no relation;
  // PERMISSION_DENIED naming the rule for a related agency.
  [[nodiscard]] absl::Status RequireCaseReader() const;

  // What the reader may see of `entry`: on success `out` is the version
  // allowed and the decision carries the basis; otherwise `out` is cleared
  // and the decision carries the rule (its explanation reveals nothing
  // withheld).
  domain::EntryAccess ShowEntry(const domain::EntryState& entry,
                                v1::Entry* out) const;
  // Version `version` (1 as recorded) of the entry, when the reader may see
  // it: the versions up to the one the reader may see are readable; a later
  // one is refused (SENDER_MAY_NOT_SEE is never used here: the reason says
  // which version the reader may see).
  domain::EntryAccess ShowEntryVersion(const domain::EntryState& entry,
                                       uint32_t version, v1::Entry* out) const;

  // What household member `subject_id` may be told of `entry` (its latest
  // version) by subject access, now: domain::MayDiscloseToSubject, and
  // nothing of an erased version. `out` is the entry when allowed.
  v1::SharingDecision ShowEntryToSubject(const domain::EntryState& entry,
                                         absl::string_view subject_id,
                                         v1::Entry* out) const;

  // The consent record's terms with the subject's words (statement) only
  // when the reader may read them; `statement_shown` says which.
  v1::SharingDecision ShowConsentTerms(const domain::ConsentState& consent,
                                       v1::ConsentTerms* out) const;

  // The referral as this reader may see it (its referring or receiving
  // agency, or an auditor); NOT_FOUND alike for an unknown referral and for
  // anyone else.
  [[nodiscard]] absl::StatusOr<v1::ReferralView> ShowReferral(
      absl::string_view referral_id) const;

  // Whether the reader's agency may receive `entry` from `sender_agency_id`
  // (a sharing check): the domain's MayShare at the server's time, with the
  // reader's own agency as sender, so a reader cannot learn through a check
  // what it may not see itself.
  [[nodiscard]] v1::SharingDecision CheckSharing(
      const domain::EntryState& entry, domain::SharingRequest request) const;

  // On what basis the reader reads the case, for the access log.
  [[nodiscard]] std::string CaseBasis() const;

 private:
  domain::ViewRequest ViewRequest() const;

  const domain::CaseState& state_;
  Reader reader_;
  CaseRelation relation_;
};

}  // namespace renkei::app

#endif  // RENKEI_SERVICES_APP_ACCESS_ACCESS_DECISION_H_

// What each party of a referral may see of it, and which referrals are
// overdue for an answer.
#ifndef RENKEI_SERVICES_DOMAIN_CASE_REFERRAL_VIEW_H_
#define RENKEI_SERVICES_DOMAIN_CASE_REFERRAL_VIEW_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/referral.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/sharing.h"

namespace renkei::domain {

// The referring agency sees everything: status and its history, feedback,
// outcome, the entries as sent, and what became of any onward referral. The
// receiving agency sees what was sent to it and the lifecycle, without the
// referrer's outcome or the onward chain. An auditor sees the referrer's
// view. Each sent entry is decided again for the viewer (MayView): shown as
// sent, or listed as withheld with the rule. NOT_FOUND for an unknown
// referral and for any other agency alike (it learns nothing of which
// referrals exist).
[[nodiscard]] absl::StatusOr<v1::ReferralView> ViewReferral(
    const CaseState& state, absl::string_view referral_id,
    const ViewRequest& viewer);

// Referrals awaiting an answer at `as_of` (made by then and not yet
// accepted, declined, returned or referred on then) whose response deadline
// is before `as_of`, in the order they were made: the state as of then.
[[nodiscard]] std::vector<v1::OverdueReferral> OverdueReferrals(
    const CaseState& state, absl::Time as_of);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_CASE_REFERRAL_VIEW_H_

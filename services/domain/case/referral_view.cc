// Referral views and the overdue report.
#include "services/domain/case/referral_view.h"

#include "absl/strings/str_cat.h"
#include "services/domain/errors.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

v1::ReferralView FullView(const CaseState& state, const ReferralState& referral,
                          const ViewRequest& viewer) {
  v1::ReferralView view;
  view.set_role(v1::REFERRAL_VIEWER_ROLE_REFERRER);
  *view.mutable_referral() = referral.referral;
  view.set_status(referral.status);
  for (const auto& change : referral.history) *view.add_history() = change;
  for (const auto& feedback : referral.feedback)
    *view.add_feedback() = feedback;
  view.set_outcome(referral.outcome);
  for (const v1::SentEntry& sent : referral.referral.sent_entries()) {
    const EntryState* entry = state.FindEntry(sent.entry_id());
    if (entry == nullptr || sent.entry_version() == 0 ||
        sent.entry_version() > entry->version()) {
      continue;
    }
    // A party holds what it may see for any of its own work.
    const EntryAccess access = MayViewForAnyPurpose(state, *entry, viewer);
    if (!access.allowed()) {
      v1::WithheldEntry* withheld = view.add_withheld_entries();
      withheld->set_entry_id(sent.entry_id());
      withheld->set_reason(access.decision.denial_reason());
      withheld->set_explanation(access.decision.explanation());
      continue;
    }
    *view.add_sent_entries() = entry->versions[sent.entry_version() - 1].entry;
  }
  if (const ReferralState* onward =
          state.FindReferral(referral.onward_referral_id)) {
    *view.add_onward() = FullView(state, *onward, viewer);
  }
  return view;
}

}  // namespace

absl::StatusOr<v1::ReferralView> ViewReferral(const CaseState& state,
                                              absl::string_view referral_id,
                                              const ViewRequest& viewer) {
  const ReferralState* referral = state.FindReferral(referral_id);
  if (referral == nullptr) return errors::ReferralNotFound(referral_id);
  const std::string& viewer_agency_id = viewer.agency_id;
  if (referral->referral.from_agency_id() == viewer_agency_id ||
      viewer.auditor) {
    return FullView(state, *referral, viewer);
  }
  if (referral->referral.to_agency_id() == viewer_agency_id) {
    v1::ReferralView view = FullView(state, *referral, viewer);
    view.set_role(v1::REFERRAL_VIEWER_ROLE_RECEIVER);
    view.clear_outcome();
    view.clear_onward();
    for (v1::ReferralStatusChange& change : *view.mutable_history()) {
      if (change.status() == v1::REFERRAL_STATUS_CLOSED) change.clear_note();
    }
    return view;
  }
  // Only the referring and the receiving agency can see a referral; to any
  // other it does not exist.
  return errors::ReferralNotFound(referral_id);
}

std::vector<v1::OverdueReferral> OverdueReferrals(const CaseState& state,
                                                  absl::Time as_of) {
  std::vector<v1::OverdueReferral> overdue;
  for (const std::string& id : state.referral_order) {
    const ReferralState& referral = state.referrals.at(id);
    // Awaiting an answer at `as_of`, not today.
    if (referral.made_at > as_of ||
        referral.StatusAt(as_of) != v1::REFERRAL_STATUS_MADE) {
      continue;
    }
    const absl::Time deadline = ToTime(referral.referral.response_deadline());
    if (as_of <= deadline) continue;
    v1::OverdueReferral item;
    item.set_referral_id(id);
    item.set_from_agency_id(referral.referral.from_agency_id());
    item.set_to_agency_id(referral.referral.to_agency_id());
    *item.mutable_response_deadline() = referral.referral.response_deadline();
    item.set_hours_overdue(absl::ToInt64Hours(as_of - deadline));
    overdue.push_back(std::move(item));
  }
  return overdue;
}

}  // namespace renkei::domain

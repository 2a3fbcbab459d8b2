#include "services/read_models/case_rows.h"

#include "absl/strings/str_cat.h"
#include "renkei/v1/referral_service.pb.h"
#include "services/domain/time_util.h"
#include "services/read_models/errors.h"
#include "storage/status_macros.h"

namespace renkei::read_models {
namespace {

using domain::ToTime;
using domain::ToTimestamp;

template <typename Message>
absl::StatusOr<Message> Parse(absl::string_view bytes, absl::string_view what) {
  Message m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return errors::RowMalformed(absl::StrCat(what, " row"));
  }
  return m;
}

template <typename Message>
absl::StatusOr<std::vector<Message>> ReadRows(const ReadModelStore& store,
                                              const std::string& prefix,
                                              absl::string_view what) {
  std::vector<Message> out;
  absl::Status error;
  RENKEI_RETURN_IF_ERROR(
      store.Scan(prefix, "", [&](absl::string_view, absl::string_view value) {
        auto row = Parse<Message>(value, what);
        if (!row.ok()) {
          error = row.status();
          return false;
        }
        out.push_back(std::move(*row));
        return true;
      }));
  RENKEI_RETURN_IF_ERROR(error);
  return out;
}

}  // namespace

domain::ConsentState ToConsentState(const v1::ConsentRow& row) {
  domain::ConsentState s;
  s.terms = row.terms();
  s.decision = row.refused() ? domain::ConsentDecision::kRefused
                             : domain::ConsentDecision::kGiven;
  s.decided_at = ToTime(row.decided_at());
  s.recorded_by = row.recorded_by();
  s.valid_from = ToTime(row.valid_from());
  if (row.has_valid_until()) s.valid_until = ToTime(row.valid_until());
  if (row.has_withdrawn_at()) s.withdrawn_at = ToTime(row.withdrawn_at());
  s.withdrawal_reason = row.withdrawal_reason();
  s.superseded_by = row.superseded_by();
  if (row.has_superseded_at()) s.superseded_at = ToTime(row.superseded_at());
  s.awaiting_confirmation = row.awaiting_confirmation();
  if (row.has_confirmed_at()) s.confirmed_at = ToTime(row.confirmed_at());
  s.confirmed_by = row.confirmed_by();
  return s;
}

v1::ConsentRow ToConsentRow(const domain::ConsentState& s, uint64_t order) {
  v1::ConsentRow row;
  *row.mutable_terms() = s.terms;
  row.set_refused(s.decision == domain::ConsentDecision::kRefused);
  *row.mutable_decided_at() = ToTimestamp(s.decided_at);
  *row.mutable_recorded_by() = s.recorded_by;
  *row.mutable_valid_from() = ToTimestamp(s.valid_from);
  if (s.valid_until) *row.mutable_valid_until() = ToTimestamp(*s.valid_until);
  if (s.withdrawn_at)
    *row.mutable_withdrawn_at() = ToTimestamp(*s.withdrawn_at);
  row.set_withdrawal_reason(s.withdrawal_reason);
  row.set_superseded_by(s.superseded_by);
  if (s.superseded_at) {
    *row.mutable_superseded_at() = ToTimestamp(*s.superseded_at);
  }
  row.set_order(order);
  row.set_awaiting_confirmation(s.awaiting_confirmation);
  if (s.confirmed_at) {
    *row.mutable_confirmed_at() = ToTimestamp(*s.confirmed_at);
    *row.mutable_confirmed_by() = s.confirmed_by;
  }
  return row;
}

domain::LeadFactRecord ToLeadFactRecord(const v1::LeadFact& fact) {
  domain::LeadFactRecord record;
  record.fact = fact;
  record.valid_from = ToTime(fact.valid_from());
  if (fact.has_valid_to()) record.valid_to = ToTime(fact.valid_to());
  record.known_at = ToTime(fact.known_at());
  return record;
}

domain::CaseState CaseCoreFromRow(const v1::CaseRow& row) {
  domain::CaseState s;
  s.version = row.version();
  s.opened = row.opened();
  s.case_id = row.case_id();
  s.opening.set_case_id(row.case_id());
  s.opening.set_title(row.title());
  s.opening.set_kind(row.kind());
  s.opening.set_registration(row.registration());
  if (row.has_opened_at()) s.opened_at = ToTime(row.opened_at());
  s.closed = row.closed();
  s.closure_reason = row.closure_reason();
  for (int f : row.frameworks()) {
    s.frameworks.push_back(static_cast<v1::Framework>(f));
  }
  s.registration = row.registration();
  if (row.has_registered_since()) {
    s.registered_since = ToTime(row.registered_since());
  }
  for (const auto& subject : row.subjects()) {
    s.subjects[subject.subject_id()] = subject;
  }
  for (const auto& member : row.team()) {
    domain::TeamPeriod period;
    period.joined_at = ToTime(member.joined_at());
    s.team[member.agency_id()].push_back(std::move(period));
  }
  if (row.has_lead_side()) {
    s.lead_sides.push_back(
        domain::LeadSideSetting{.set = row.lead_side(),
                                .at = ToTime(row.lead_side_set_at()),
                                .actor = {}});
  }
  s.review_interval_days = row.review_interval_days();
  return s;
}

void CaseCoreToRow(const domain::CaseState& s, v1::CaseRow& row) {
  row.set_opened(s.opened);
  row.set_case_id(s.case_id.empty() ? row.case_id() : s.case_id);
  row.set_title(s.opening.title());
  row.set_kind(s.opening.kind());
  if (s.opened) *row.mutable_opened_at() = ToTimestamp(s.opened_at);
  row.set_closed(s.closed);
  row.set_closure_reason(s.closure_reason);
  row.clear_frameworks();
  for (v1::Framework f : s.frameworks) row.add_frameworks(f);
  row.set_registration(s.registration);
  if (s.registered_since) {
    *row.mutable_registered_since() = ToTimestamp(*s.registered_since);
  } else {
    row.clear_registered_since();
  }
  row.clear_subjects();
  for (const auto& [id, subject] : s.subjects) *row.add_subjects() = subject;
  row.clear_team();
  for (const auto& [agency, periods] : s.team) {
    if (periods.empty() || periods.back().left_at.has_value()) continue;
    auto* member = row.add_team();
    member->set_agency_id(agency);
    *member->mutable_joined_at() = ToTimestamp(periods.back().joined_at);
  }
  if (!s.lead_sides.empty()) {
    *row.mutable_lead_side() = s.lead_sides.back().set;
    *row.mutable_lead_side_set_at() = ToTimestamp(s.lead_sides.back().at);
  }
  row.set_review_interval_days(s.review_interval_days);
}

absl::StatusOr<std::optional<v1::CaseRow>> ReadCaseRow(
    const ReadModelStore& store, absl::string_view case_id) {
  auto bytes = store.Get(keys::Case(case_id));
  if (absl::IsNotFound(bytes.status())) return std::optional<v1::CaseRow>();
  if (!bytes.ok()) return bytes.status();
  RENKEI_ASSIGN_OR_RETURN(auto row, Parse<v1::CaseRow>(*bytes, "case"));
  return std::optional<v1::CaseRow>(std::move(row));
}

absl::StatusOr<domain::CaseState> ReadCaseState(const ReadModelStore& store,
                                                absl::string_view case_id,
                                                const CaseParts& parts) {
  RENKEI_ASSIGN_OR_RETURN(auto row, ReadCaseRow(store, case_id));
  if (!row) {
    return errors::CaseNotFound(case_id);
  }
  domain::CaseState state = CaseCoreFromRow(*row);
  if (parts.consents) {
    RENKEI_ASSIGN_OR_RETURN(
        auto rows, ReadRows<v1::ConsentRow>(store, keys::ConsentPrefix(case_id),
                                            "consent"));
    std::sort(rows.begin(), rows.end(),
              [](const v1::ConsentRow& a, const v1::ConsentRow& b) {
                return a.order() < b.order();
              });
    for (const auto& c : rows) {
      state.consents[c.terms().consent_id()] = ToConsentState(c);
      state.consent_order.push_back(c.terms().consent_id());
    }
  }
  if (parts.plan_and_leads) {
    auto bytes = store.Get(keys::Plan(case_id));
    if (bytes.ok()) {
      RENKEI_ASSIGN_OR_RETURN(auto plan, Parse<v1::PlanRow>(*bytes, "plan"));
      state.plan_revisions.push_back(
          domain::PlanRevision{.revision = plan.revision(),
                               .plan = plan.plan(),
                               .at = {},
                               .actor = {},
                               .decision = {},
                               .reason = {}});
    } else if (!absl::IsNotFound(bytes.status())) {
      return bytes.status();
    }
    RENKEI_ASSIGN_OR_RETURN(
        auto facts, ReadRows<v1::LeadFactRow>(
                        store, keys::LeadFactPrefix(case_id), "lead fact"));
    for (const auto& f : facts) {
      state.lead_ledger.push_back(ToLeadFactRecord(f.fact()));
    }
  }
  if (parts.referrals) {
    const std::string prefix = keys::Referral(case_id, "");
    RENKEI_ASSIGN_OR_RETURN(auto listings, ReadRows<v1::ReferralListing>(
                                               store, prefix, "referral"));
    for (const auto& l : listings) {
      domain::ReferralState r;
      r.referral.set_referral_id(l.referral_id());
      r.referral.set_from_agency_id(l.from_agency_id());
      r.referral.set_to_agency_id(l.to_agency_id());
      r.status = l.status();
      state.referrals[l.referral_id()] = std::move(r);
    }
  }
  return state;
}

absl::StatusOr<std::vector<domain::ConferenceState>> ReadReviewingConferences(
    const ReadModelStore& store, absl::string_view case_id) {
  RENKEI_ASSIGN_OR_RETURN(
      auto rows, ReadRows<v1::CaseReviewRow>(
                     store, keys::CaseReviewPrefix(case_id), "case review"));
  std::vector<domain::ConferenceState> out;
  for (const auto& row : rows) {
    domain::ConferenceState c;
    c.scheduled = true;
    c.conference_id = row.conference_id();
    c.schedule.set_conference_id(row.conference_id());
    c.schedule.set_type(v1::CONFERENCE_TYPE_PRACTITIONERS);
    c.held_at = ToTime(row.held_at());
    domain::CaseReviewState review;
    review.review.set_case_id(std::string(case_id));
    review.at = ToTime(row.reviewed_at());
    c.reviews[std::string(case_id)] = std::move(review);
    c.review_order.push_back(std::string(case_id));
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ReadIds(const ReadModelStore& store,
                                                 const std::string& prefix) {
  std::vector<std::string> out;
  RENKEI_RETURN_IF_ERROR(
      store.Scan(prefix, "", [&](absl::string_view key, absl::string_view) {
        out.emplace_back(key.substr(prefix.size()));
        return true;
      }));
  return out;
}

}  // namespace renkei::read_models

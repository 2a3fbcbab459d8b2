// The one access decision.
#include "services/app/access/access_decision.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "services/domain/case/referral_view.h"
#include "services/domain/errors.h"

namespace renkei::app {
namespace {

bool EverOnTeam(const domain::CaseState& state, absl::string_view agency) {
  return state.team.find(agency) != state.team.end();
}

bool Related(const domain::CaseState& state, absl::string_view agency) {
  if (EverOnTeam(state, agency)) return true;
  for (const auto& [id, referral] : state.referrals) {
    if (referral.referral.from_agency_id() == agency ||
        referral.referral.to_agency_id() == agency) {
      return true;
    }
  }
  for (const domain::Disclosure& disclosure : state.disclosures) {
    if (disclosure.shared.recipient_agency_id() == agency) return true;
  }
  for (const auto& [id, forum] : state.forums) {
    if (forum.HasMember(agency)) return true;
  }
  return false;
}

CaseRelation RelationOf(const domain::CaseState& state, const Reader& reader) {
  if (!state.opened) return CaseRelation::kNone;
  if (reader.role == ReaderRole::kAuditor) return CaseRelation::kAuditor;
  if (state.OnTeam(reader.agency_id)) return CaseRelation::kTeam;
  if (!reader.forum_id.empty()) {
    const domain::ForumState* forum = state.FindForum(reader.forum_id);
    if (forum != nullptr && forum->registered_at <= reader.now &&
        forum->HasMember(reader.agency_id)) {
      return CaseRelation::kForumMember;
    }
  }
  return Related(state, reader.agency_id) ? CaseRelation::kRelated
                                          : CaseRelation::kNone;
}

}  // namespace

std::string TeamMemberBasis(absl::string_view agency_id) {
  return absl::StrCat("support team member '", agency_id, "'");
}

std::string AuditorBasis(absl::string_view agency_id) {
  return absl::StrCat("auditor agency '", agency_id, "'");
}

absl::Status CaseNotVisible(absl::string_view case_id) {
  return domain::errors::CaseNotVisible(case_id);
}

AccessDecision::AccessDecision(const domain::CaseState& state, Reader reader)
    : state_(state),
      reader_(std::move(reader)),
      relation_(RelationOf(state_, reader_)) {}

absl::Status AccessDecision::RequireCaseReader() const {
  switch (relation_) {
    case CaseRelation::kTeam:
    case CaseRelation::kAuditor:
    case CaseRelation::kForumMember:
      return absl::OkStatus();
    case CaseRelation::kRelated:
      return domain::errors::NotCaseReader(reader_.agency_id, state_.case_id);
    case CaseRelation::kNone:
      break;
  }
  return CaseNotVisible(state_.case_id);
}

domain::ViewRequest AccessDecision::ViewRequest() const {
  return domain::ViewRequest{.agency_id = reader_.agency_id,
                             .purpose = reader_.purpose,
                             .at = reader_.now,
                             .forum_id = reader_.forum_id,
                             .auditor = reader_.role == ReaderRole::kAuditor};
}

std::string DescribeBasis(const v1::SharingBasis& basis) {
  switch (basis.kind_case()) {
    case v1::SharingBasis::kConsent:
      return absl::StrCat("consent ", basis.consent().ShortDebugString());
    case v1::SharingBasis::kStatutoryForum:
      return absl::StrCat("statutory forum ",
                          basis.statutory_forum().ShortDebugString());
    case v1::SharingBasis::kEmergency:
      // Never the reason (personal): the access log is not sealed.
      return absl::StrCat("emergency ", basis.emergency().emergency_id(),
                          " invoked by ",
                          basis.emergency().invoked_by_agency_id());
    case v1::SharingBasis::kOwnRecord:
      return "own record";
    case v1::SharingBasis::kSubjectAccess:
      return absl::StrCat("subject access ",
                          basis.subject_access().ShortDebugString());
    case v1::SharingBasis::kAuditor:
      return absl::StrCat("auditor agency '", basis.auditor().agency_id(), "'");
    case v1::SharingBasis::kProvision:
      return absl::StrCat(
          "provision by '", basis.provision().provided_by_agency_id(), "'",
          basis.provision().referral_id().empty()
              ? ""
              : absl::StrCat(" (referral '", basis.provision().referral_id(),
                             "')"),
          " on ", DescribeBasis(basis.provision().provided_on()));
    case v1::SharingBasis::kHouseholdDisclosure:
      return absl::StrCat("household disclosure ",
                          basis.household_disclosure().ShortDebugString());
    case v1::SharingBasis::KIND_NOT_SET:
      break;
  }
  return "unspecified";
}

namespace {

// An erased version shows nothing, whatever else allowed it.
bool RefuseErased(const domain::CaseState& state,
                  const domain::EntryState& entry, uint32_t version,
                  domain::EntryAccess& access) {
  const domain::EntryVersion& v = entry.versions[version - 1];
  bool erased = v.erased;
  for (const std::string& s : v.entry.subject_ids()) {
    erased = erased || state.SubjectErased(s);
  }
  if (!erased) return false;
  access.decision.set_allowed(false);
  access.decision.clear_basis();
  access.decision.set_denial_reason(v1::SHARING_DENIAL_REASON_ERASED);
  access.decision.set_explanation(absl::StrCat(
      "version ", version, " of entry '", v.entry.entry_id(),
      "' was erased (a data key of its subjects was destroyed at the end of "
      "retention): its content no longer exists"));
  return true;
}

}  // namespace

domain::EntryAccess AccessDecision::ShowEntry(const domain::EntryState& entry,
                                              v1::Entry* out) const {
  domain::EntryAccess access = domain::MayView(state_, entry, ViewRequest());
  out->Clear();
  if (access.allowed() && access.version >= 1 &&
      access.version <= entry.version() &&
      !RefuseErased(state_, entry, access.version, access)) {
    *out = entry.versions[access.version - 1].entry;
  }
  return access;
}

domain::EntryAccess AccessDecision::ShowEntryVersion(
    const domain::EntryState& entry, uint32_t version, v1::Entry* out) const {
  domain::EntryAccess access = domain::MayView(state_, entry, ViewRequest());
  out->Clear();
  if (!access.allowed() || version < 1 || version > entry.version()) {
    return access;
  }
  if (version > access.version) {
    access.decision.set_allowed(false);
    access.decision.clear_basis();
    access.decision.set_explanation(absl::StrCat(
        "version ", version, " of entry '", entry.current().entry_id(),
        "' was not provided to you; you may see version ", access.version));
    return access;
  }
  access.version = version;
  if (RefuseErased(state_, entry, version, access)) return access;
  *out = entry.versions[version - 1].entry;
  return access;
}

v1::SharingDecision AccessDecision::ShowEntryToSubject(
    const domain::EntryState& entry, absl::string_view subject_id,
    v1::Entry* out) const {
  out->Clear();
  domain::EntryAccess access;
  access.decision =
      domain::MayDiscloseToSubject(state_, entry, subject_id, reader_.now);
  access.version = entry.version();
  if (access.allowed() &&
      !RefuseErased(state_, entry, entry.version(), access)) {
    *out = entry.current();
  }
  return access.decision;
}

v1::SharingDecision AccessDecision::ShowConsentTerms(
    const domain::ConsentState& consent, v1::ConsentTerms* out) const {
  v1::SharingDecision decision =
      domain::MayViewStatement(state_, consent, ViewRequest());
  *out = consent.terms;
  if (!decision.allowed()) out->clear_statement();
  return decision;
}

absl::StatusOr<v1::ReferralView> AccessDecision::ShowReferral(
    absl::string_view referral_id) const {
  if (!state_.opened) return CaseNotVisible(state_.case_id);
  return domain::ViewReferral(state_, referral_id, ViewRequest());
}

v1::SharingDecision AccessDecision::CheckSharing(
    const domain::EntryState& entry, domain::SharingRequest request) const {
  request.sender_agency_id = reader_.agency_id;
  request.at = reader_.now;
  return domain::MayShare(state_, entry, request);
}

std::string AccessDecision::CaseBasis() const {
  switch (relation_) {
    case CaseRelation::kTeam:
      return TeamMemberBasis(reader_.agency_id);
    case CaseRelation::kAuditor:
      return AuditorBasis(reader_.agency_id);
    case CaseRelation::kForumMember:
      return absl::StrCat("member '", reader_.agency_id, "' of forum '",
                          reader_.forum_id, "'");
    case CaseRelation::kRelated:
      return absl::StrCat("related agency '", reader_.agency_id, "'");
    case CaseRelation::kNone:
      break;
  }
  return absl::StrCat("no relation ('", reader_.agency_id, "')");
}

}  // namespace renkei::app

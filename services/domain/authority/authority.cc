#include "services/domain/authority/authority.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/errors.h"

namespace renkei::domain {
namespace {

bool DecidesCases(v1::ConferenceType type) {
  switch (type) {
    case v1::CONFERENCE_TYPE_INDIVIDUAL_CASE:
    case v1::CONFERENCE_TYPE_PRACTITIONERS:
    case v1::CONFERENCE_TYPE_SUPPORT_MEETING:
    case v1::CONFERENCE_TYPE_LAYERED_SUPPORT:
      return true;
    default:
      return false;
  }
}

bool BasisServesFramework(v1::ConferenceBasis basis, v1::Framework framework) {
  switch (framework) {
    case v1::FRAMEWORK_YOTAIKYO:
      return basis == v1::CONFERENCE_BASIS_YOTAIKYO;
    case v1::FRAMEWORK_SHIEN_KAIGI:
      return basis == v1::CONFERENCE_BASIS_SHIEN_KAIGI ||
             basis == v1::CONFERENCE_BASIS_SELF_RELIANCE_SUPPORT;
    default:
      return basis == v1::CONFERENCE_BASIS_CONSENT;
  }
}

bool Contains(const std::vector<std::string>& v, absl::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

std::vector<v1::Framework> GoverningFrameworks(const CaseState& c) {
  if (IsRegistered(c.registration)) return {v1::FRAMEWORK_YOTAIKYO};
  return c.frameworks;
}

std::string CaseCoordinatingBody(const CaseState& c,
                                 const DirectoryState& directory) {
  for (v1::Framework framework : GoverningFrameworks(c)) {
    absl::string_view body = directory.CoordinatingBodyOf(framework);
    if (!body.empty()) return std::string(body);
  }
  return "";
}

bool BasisServesCase(v1::ConferenceBasis basis, const CaseState& c) {
  const std::vector<v1::Framework> frameworks = GoverningFrameworks(c);
  if (frameworks.empty()) return basis == v1::CONFERENCE_BASIS_CONSENT;
  return std::any_of(
      frameworks.begin(), frameworks.end(),
      [basis](v1::Framework f) { return BasisServesFramework(basis, f); });
}

absl::Status RequireGoverningConference(const CaseState& c,
                                        const ConferenceState& conference,
                                        const DecisionState& decision,
                                        const DirectoryState& directory) {
  const std::string& conference_id = conference.conference_id;
  const std::string& decision_id = decision.decision.decision_id();
  auto refuse = [&](absl::string_view why) {
    return errors::DecisionNotOfGoverningConference(conference_id, decision_id,
                                                    why);
  };
  if (!BasisServesCase(conference.schedule.basis(), c)) {
    return refuse(IsRegistered(c.registration)
                      ? "the case is registered, so only a 要対協 conference "
                        "may decide it"
                      : "the conference's basis is not one of the case's "
                        "frameworks");
  }
  if (!DecidesCases(conference.schedule.type())) {
    return refuse(absl::StrCat(
        "a ", v1::ConferenceType_Name(conference.schedule.type()),
        " does not decide cases (an individual case conference, a "
        "practitioners' meeting, a 支援会議 or a 重層的支援会議 does)"));
  }
  std::set<std::string> attending;
  for (const v1::Attendance& attendee : conference.held.attendance()) {
    attending.insert(attendee.agency_id());
  }
  if (attending.size() < 2) {
    return refuse(
        "only one agency attended; a conference of one agency "
        "cannot change the case");
  }
  const std::string body = CaseCoordinatingBody(c, directory);
  if (!body.empty() && attending.count(body) > 0) return absl::OkStatus();
  std::vector<std::string> absent;
  std::vector<v1::CurrentStageLead> leads = LeadsAt(c, decision.at);
  for (const v1::CurrentStageLead& lead : leads) {
    if (attending.count(lead.lead().agency_id()) == 0 &&
        !Contains(absent, lead.lead().agency_id())) {
      absent.push_back(lead.lead().agency_id());
    }
  }
  if (!absent.empty()) {
    return refuse(absl::StrCat("neither the lead agencies (",
                               absl::StrJoin(absent, ", "),
                               " absent) nor the coordinating body attended"));
  }
  if (leads.empty() && !body.empty()) {
    return refuse(
        absl::StrCat("the case has no stage lead and its "
                     "coordinating body ('",
                     body, "') did not attend"));
  }
  return absl::OkStatus();
}

bool MayPutOnAgenda(const CaseState& c, absl::string_view agency_id,
                    v1::ConferenceType type, const DirectoryState& directory) {
  if (c.OnTeam(agency_id)) return true;
  return type == v1::CONFERENCE_TYPE_PRACTITIONERS &&
         IsRegistered(c.registration) &&
         directory.Coordinates(agency_id, v1::FRAMEWORK_YOTAIKYO);
}

bool NeedsConfirmation(const v1::ConsentTerms& terms,
                       absl::string_view recording_agency_id) {
  const auto& agencies = terms.scope().agency_ids();
  return std::find(agencies.begin(), agencies.end(), recording_agency_id) !=
         agencies.end();
}

absl::Status RequireConsentConfirmer(const CaseState& c,
                                     const ConsentState& consent,
                                     absl::string_view staff_id,
                                     absl::string_view agency_id,
                                     const DirectoryState& directory) {
  const std::string& id = consent.terms.consent_id();
  if (consent.recorded_by.staff_id() == staff_id) {
    return errors::SelfConfirmedConsent(id);
  }
  if (directory.IsSupervisor(staff_id) && c.OnTeam(agency_id)) {
    return absl::OkStatus();
  }
  const std::string body = CaseCoordinatingBody(c, directory);
  if (!body.empty() && body == agency_id) return absl::OkStatus();
  return errors::NotConsentConfirmer(id, staff_id);
}

std::vector<std::string> SubjectsWithoutMeetingConsent(
    const CaseState& c, absl::Time at,
    const std::vector<std::string>& agencies) {
  std::vector<std::string> outside;
  for (const std::string& agency : agencies) {
    if (!c.OnTeamAt(agency, at) && !Contains(outside, agency)) {
      outside.push_back(agency);
    }
  }
  std::vector<std::string> missing;
  for (const auto& [subject_id, subject] : c.subjects) {
    if (subject.has_unborn()) continue;
    bool covered = false;
    for (const auto& [consent_id, consent] : c.consents) {
      if (consent.terms.subject_id() != subject_id || !consent.InForceAt(at)) {
        continue;
      }
      const auto& scope = consent.terms.scope().agency_ids();
      covered = std::all_of(
          outside.begin(), outside.end(), [&scope](const std::string& a) {
            return std::find(scope.begin(), scope.end(), a) != scope.end();
          });
      if (covered) break;
    }
    if (!covered) missing.push_back(subject_id);
  }
  return missing;
}

}  // namespace renkei::domain

// Test-only: a case ready for referrals (支援会議 forum, an assessment, the
// mother's consent for the clinic, the clinic on the team).
#ifndef RENKEI_SERVICES_DOMAIN_TESTING_REFERRAL_CASE_H_
#define RENKEI_SERVICES_DOMAIN_TESTING_REFERRAL_CASE_H_

#include "services/domain/testing/fixtures.h"

namespace renkei::domain::testing {

// Referral r-clinic: counsellor -> clinic, deadline day 10, sends e-assess.
inline constexpr char kReferToClinic[] = R"pb(
  make_referral {
    referral_id: "r-clinic"
    to_agency_id: "clinic"
    subject_ids: "mother"
    reason: "depression and drinking: treatment recommended"
    urgency: REFERRAL_URGENCY_PROMPT
    response_deadline { seconds: 1712826000 }  # day 10
    purpose: SHARING_PURPOSE_MEDICAL_CARE
    categories: INFORMATION_CATEGORY_MENTAL_HEALTH
    entry_ids: "e-assess"
  })pb";

inline void PrepareReferralCase(CaseHarness& harness) {
  harness.OpenStandardCase();
  harness.Given("cw", Day(1), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f-shien"
        kind: FORUM_KIND_SHIEN_KAIGI
        name: "支援会議"
        member_agency_ids: "city-pa"
        member_agency_ids: "city-mh"
        member_agency_ids: "city-cfs"
        member_agency_ids: "cgc"
      }
    })pb");
  harness.Given("counsellor", Day(2), R"pb(
    record_entry {
      entry {
        entry_id: "e-assess"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        assessment {
          illness: ASSESSMENT_RATING_HIGH
          urgency: ASSESSMENT_RATING_MEDIUM
          case_ness: ASSESSMENT_RATING_HIGH
          quick_response: ASSESSMENT_RATING_MEDIUM
          suicidal_ideation: SUICIDAL_IDEATION_UNKNOWN
        }
      }
    })pb");
  harness.Given("counsellor", Day(3), R"pb(
    give_consent {
      terms {
        consent_id: "k-clinic"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "clinic"
          agency_ids: "home-nursing"
          purposes: SHARING_PURPOSE_MEDICAL_CARE
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          categories: INFORMATION_CATEGORY_HEALTH
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  harness.Given(
      "counsellor", Day(3),
      R"pb(add_team_agency { agency_id: "clinic" reason: "treatment" })pb");
}

}  // namespace renkei::domain::testing

#endif  // RENKEI_SERVICES_DOMAIN_TESTING_REFERRAL_CASE_H_

// The acceptance story of the domain (seed 000, mother-child household with
// alcohol), steps 1-9, decided command by command, stored as envelopes and
// replayed; then checked as an auditor would.
#include <algorithm>

#include "gtest/gtest.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/referral_view.h"
#include "services/domain/case/sharing.h"
#include "services/domain/event_codec.h"
#include "services/domain/testing/fixtures.h"

namespace renkei::domain {
namespace {

using testing::CaseHarness;
using testing::Day;
using testing::Parse;
using testing::ProtoEquals;
using testing::StoryDirectory;

void RunStory(CaseHarness& h) {
  // 1. The nursery notices lateness, dirty clothes and alcohol on the mother's
  //    breath and informs the public-assistance caseworker.
  h.Given("cw", Day(0), R"pb(
    open_case {
      kind: CASE_KIND_HOUSEHOLD
      title: "母子世帯 (alcohol)"
      intake {
        noticed_by_agency_id: "nursery"
        observation: "lateness, dirty clothes, alcohol on the mother's breath"
        relays { agency_id: "nursery" staff_id: "nursery-teacher" }
        relays {
          agency_id: "city-pa"
          staff_id: "cw"
          note: "consults the counsellor"
        }
        relays { agency_id: "city-mh" staff_id: "counsellor" }
      }
      frameworks: FRAMEWORK_SHIEN_KAIGI
      frameworks: FRAMEWORK_MENTAL_HEALTH
      registration: REGISTRATION_NONE
    })pb");
  h.Given("cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "mother"
        display_name: "母 (30代)"
        relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
        description: "divorced 3 years ago, on public assistance"
      }
    })pb");
  h.Given("cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "daughter"
        display_name: "長女"
        relationship: RELATIONSHIP_CHILD
        description: "junior-high school"
        guardian_subject_ids: "mother"
      }
    })pb");
  h.Given("cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "son"
        display_name: "長男"
        relationship: RELATIONSHIP_CHILD
        description: "nursery"
        guardian_subject_ids: "mother"
      }
    })pb");
  h.Given("cw", Day(0), R"pb(
    record_entry {
      entry {
        entry_id: "e1-nursery"
        subject_ids: "mother"
        subject_ids: "son"
        categories: INFORMATION_CATEGORY_HEALTH
        categories: INFORMATION_CATEGORY_CHILD_REARING
        information_received {
          source_agency_id: "nursery"
          source_staff_id: "nursery-teacher"
          content: "lateness, dirty clothes, alcohol on the mother's breath"
        }
      }
    })pb");

  // 2. The caseworker consults the mental-health welfare counsellor. Consent
  //    is missing, so the exchange happens in a 支援会議.
  h.Given("cw", Day(1), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f-shien"
        kind: FORUM_KIND_SHIEN_KAIGI
        name: "支援会議 (母子世帯)"
        member_agency_ids: "city-pa"
        member_agency_ids: "city-mh"
        member_agency_ids: "city-cfs"
        member_agency_ids: "nursery"
        member_agency_ids: "jhs"
        member_agency_ids: "health-centre"
        member_agency_ids: "cgc"
      }
    })pb");
  h.Given("cw", Day(1), R"pb(
    make_referral {
      referral_id: "r-consult"
      to_agency_id: "city-mh"
      to_staff_id: "counsellor"
      subject_ids: "mother"
      subject_ids: "son"
      reason: "alcohol and neglect signs; how to approach the mother?"
      urgency: REFERRAL_URGENCY_PROMPT
      response_deadline { seconds: 1712221200 }  # day 3
      purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
      categories: INFORMATION_CATEGORY_HEALTH
      categories: INFORMATION_CATEGORY_CHILD_REARING
      entry_ids: "e1-nursery"
      forum_id: "f-shien"
    })pb");
  h.Given("counsellor", Day(1, 2), R"pb(accept_referral {
                                          referral_id: "r-consult"
                                          assigned_staff_id: "counsellor"
                                        })pb");
  h.Given("cw", Day(1, 3), R"pb(
    add_team_agency {
      agency_id: "city-mh"
      reason: "counsellor accepted the consultation"
    })pb");

  // 3. The counsellor assesses.
  h.Given("counsellor", Day(2), R"pb(
    record_entry {
      entry {
        entry_id: "e3-assessment"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        assessment {
          illness: ASSESSMENT_RATING_HIGH
          urgency: ASSESSMENT_RATING_MEDIUM
          case_ness: ASSESSMENT_RATING_HIGH
          quick_response: ASSESSMENT_RATING_MEDIUM
          bio_notes: "drinking; possible depression"
          psycho_notes: "says she is fine; low mood"
          social_notes: "single mother of two, weak ties to her parents"
          suicidal_ideation: SUICIDAL_IDEATION_UNKNOWN
          emergency_triggers {
            condition: "a child absent from school or nursery without notice"
            response: "consider an emergency home visit"
          }
        }
      }
    })pb");
  h.Given("counsellor", Day(2), R"pb(
    give_referral_feedback {
      referral_id: "r-consult"
      feedback: "assessed: illness high, urgency medium; plan a joint visit"
    })pb");

  // 4. Information gathering inside the 支援会議; consulting the health
  //    centre and the child guidance centre.
  h.Given("counsellor", Day(3), R"pb(
    record_entry {
      entry {
        entry_id: "e4-school"
        subject_ids: "daughter"
        categories: INFORMATION_CATEGORY_EDUCATION
        origin_forum_id: "f-shien"
        information_received {
          source_agency_id: "jhs"
          source_staff_id: "teacher"
          content: "often late and tired"
        }
      }
    })pb");
  h.Given("counsellor", Day(3), R"pb(
    record_entry {
      entry {
        entry_id: "e4-hc"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        contact {
          channel: CONTACT_CHANNEL_PHONE
          counterpart_agency_ids: "health-centre"
          summary: "how to assess the mother"
        }
      }
    })pb");
  h.Given("counsellor", Day(3), R"pb(
    record_entry {
      entry {
        entry_id: "e4-cgc"
        subject_ids: "daughter"
        subject_ids: "son"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        contact {
          channel: CONTACT_CHANNEL_PHONE
          counterpart_agency_ids: "cgc"
          summary: "how to intervene for the children"
        }
      }
    })pb");

  // 5. Joint visit by the counsellor and the child & family support worker;
  //    the mother refuses.
  h.Given("counsellor", Day(5), R"pb(
    add_team_agency {
      agency_id: "city-cfs"
      reason: "children's side of the household"
    })pb");
  h.Given("counsellor", Day(5), R"pb(
    record_entry {
      entry {
        entry_id: "e5-visit"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_DAILY_LIFE
        joint_visit {
          participants { staff_id: "counsellor" agency_id: "city-mh" }
          participants { staff_id: "support-worker" agency_id: "city-cfs" }
          visited_subject_ids: "mother"
          summary: "the nursery suggested she talk to us; she refused"
        }
      }
    })pb");
  h.Given("counsellor", Day(5), R"pb(
    refuse_consent {
      terms {
        consent_id: "k5-refused"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "city-mh"
          agency_ids: "city-cfs"
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          categories: INFORMATION_CATEGORY_HEALTH
        }
        form: CONSENT_FORM_VERBAL
        statement: "私は大丈夫です"
      }
    })pb");

  // 6. Consulting again; the daughter is interviewed at school and asks that
  //    what she said be kept from her mother.
  h.Given("counsellor", Day(8), R"pb(
    record_entry {
      entry {
        entry_id: "e6-consult"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        contact {
          channel: CONTACT_CHANNEL_MEETING
          counterpart_agency_ids: "health-centre"
          counterpart_agency_ids: "cgc"
          summary: "consulted again on approaching the mother"
        }
      }
    })pb");
  h.Given("counsellor", Day(9), R"pb(
    record_entry {
      entry {
        entry_id: "e6-statement"
        subject_ids: "mother"
        subject_ids: "daughter"
        subject_ids: "son"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        categories: INFORMATION_CATEGORY_FAMILY_RELATIONS
        confidentiality {
          withheld_from_subject_ids: "mother"
          reason: "the daughter asked that this be kept from her mother"
        }
        interview {
          interviewers { staff_id: "counsellor" agency_id: "city-mh" }
          interviewers { staff_id: "support-worker" agency_id: "city-cfs" }
          interviewee_subject_ids: "daughter"
          location: "junior-high school"
          summary: "the mother drinks from the morning; the children struggle"
        }
      }
    })pb");

  // 7. Joint visit by the caseworker and the counsellor; the mother agrees to
  //    the health centre's mental-health consultation.
  h.Given("cw", Day(12), R"pb(
    record_entry {
      entry {
        entry_id: "e7-visit"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_DAILY_LIFE
        joint_visit {
          participants { staff_id: "cw" agency_id: "city-pa" }
          participants { staff_id: "counsellor" agency_id: "city-mh" }
          visited_subject_ids: "mother"
          summary: "'the nursery was worried'; she sees the burden on her children"
        }
      }
    })pb");
  h.Given("counsellor", Day(12), R"pb(
    give_consent {
      terms {
        consent_id: "k7-hc"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          agency_ids: "city-mh"
          purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          categories: INFORMATION_CATEGORY_HEALTH
        }
        form: CONSENT_FORM_VERBAL
        statement: "保健所の相談に行きます"
        supersedes_consent_id: "k5-refused"
      }
    })pb");
  h.Given("counsellor", Day(12), R"pb(
    add_team_agency {
      agency_id: "health-centre"
      reason: "mental-health consultation agreed"
    })pb");

  // 8. The psychiatrist recommends treatment; with her consent the counsellor
  //    informs the psychiatric clinic beforehand.
  h.Given("hc-psychiatrist", Day(15), R"pb(
    record_entry {
      entry {
        entry_id: "e8-recommendation"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        information_received {
          source_agency_id: "health-centre"
          source_staff_id: "hc-psychiatrist"
          content: "treatment for depression and alcohol recommended"
        }
      }
    })pb");
  h.Given("counsellor", Day(15), R"pb(
    give_consent {
      terms {
        consent_id: "k8-clinic"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "clinic"
          purposes: SHARING_PURPOSE_MEDICAL_CARE
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          categories: INFORMATION_CATEGORY_HEALTH
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  h.Given("counsellor", Day(15),
          R"pb(
            add_team_agency {
              agency_id: "clinic"
              reason: "psychiatric treatment"
            })pb");
  h.Given("counsellor", Day(15), R"pb(
    make_referral {
      referral_id: "r-clinic"
      to_agency_id: "clinic"
      subject_ids: "mother"
      reason: "depression and alcohol: treatment recommended by the health centre"
      urgency: REFERRAL_URGENCY_PROMPT
      response_deadline { seconds: 1713430800 }  # day 17
      purpose: SHARING_PURPOSE_MEDICAL_CARE
      categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      entry_ids: "e3-assessment"
      entry_ids: "e8-recommendation"
    })pb");
  h.Given("clinic-doctor", Day(16), R"pb(
    accept_referral {
      referral_id: "r-clinic"
      assigned_staff_id: "clinic-doctor"
    })pb");

  // 9. Clinic and counsellor coordinate; through the counsellor she contracts
  //    a consultation-support office and starts home help.
  h.Given("clinic-doctor", Day(20), R"pb(
    give_referral_feedback {
      referral_id: "r-clinic"
      feedback: "outpatient treatment started; outpatient medical-expense support and home-visit nursing applied for"
    })pb");
  h.Given("counsellor", Day(21), R"pb(
    give_consent {
      terms {
        consent_id: "k9-services"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "cso"
          agency_ids: "home-nursing"
          agency_ids: "home-help"
          purposes: SHARING_PURPOSE_WELFARE_SERVICES
          purposes: SHARING_PURPOSE_MEDICAL_CARE
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          categories: INFORMATION_CATEGORY_HEALTH
          categories: INFORMATION_CATEGORY_DAILY_LIFE
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  h.Given("counsellor", Day(21),
          R"pb(
            add_team_agency {
              agency_id: "cso"
              reason: "consultation-support contract"
            })pb");
  h.Given("counsellor", Day(21), R"pb(
    make_referral {
      referral_id: "r-cso"
      to_agency_id: "cso"
      subject_ids: "mother"
      reason: "service-use planning: home help"
      urgency: REFERRAL_URGENCY_ROUTINE
      response_deadline { seconds: 1714035600 }  # day 24
      purpose: SHARING_PURPOSE_WELFARE_SERVICES
      categories: INFORMATION_CATEGORY_DAILY_LIFE
      categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      entry_ids: "e7-visit"
    })pb");
  h.Given("cso-specialist", Day(22),
          R"pb(accept_referral { referral_id: "r-cso" })pb");
  h.Given("cso-specialist", Day(28), R"pb(
    give_referral_feedback {
      referral_id: "r-cso"
      feedback: "service-use plan agreed; home help starts next week"
    })pb");
}

// The events as the log returns them: packed, stored, unpacked.
std::vector<v1::CaseEvent> ThroughTheLog(
    const std::vector<v1::CaseEvent>& events) {
  std::vector<v1::CaseEvent> read;
  for (const v1::CaseEvent& event : events) {
    const v1::ProposedEvent proposed = ToProposedEvent(event);
    v1::EventEnvelope envelope;
    envelope.set_stream_id(CaseStreamId("c1"));
    envelope.set_event_type(proposed.event_type());
    *envelope.mutable_payload() = proposed.payload();
    *envelope.mutable_occurred_at() = proposed.occurred_at();
    *envelope.mutable_actor() = proposed.actor();
    absl::StatusOr<v1::CaseEvent> back = CaseEventFromEnvelope(envelope);
    EXPECT_TRUE(back.ok()) << back.status();
    if (back.ok()) read.push_back(*std::move(back));
  }
  return read;
}

size_t TimelineIndex(const CaseState& state, absl::string_view event_type,
                     absl::string_view ref_id) {
  const auto& timeline = state.timeline;
  auto it = std::find_if(
      timeline.begin(), timeline.end(), [&](const TimelineItem& item) {
        return item.event_type == event_type && item.ref_id == ref_id;
      });
  EXPECT_NE(it, timeline.end()) << event_type << " " << ref_id;
  return static_cast<size_t>(it - timeline.begin());
}

TEST(AcceptanceStoryTest,
     StepsOneToNineReplayWithConsentConfidentialityReferralsAndBases) {
  CaseHarness harness(StoryDirectory());
  RunStory(harness);
  ASSERT_FALSE(::testing::Test::HasFailure());

  const CaseState state = Replay(ThroughTheLog(harness.history()));
  const DirectoryState& directory = harness.directory();
  ASSERT_EQ(state.timeline.size(), harness.history().size());
  EXPECT_EQ(state.opening.intake().relays(2).staff_id(), "counsellor");
  EXPECT_EQ(state.FindEntry("e3-assessment")
                ->current()
                .assessment()
                .suicidal_ideation(),
            v1::SUICIDAL_IDEATION_UNKNOWN);

  // The mother's refusal, then her consents, in the timeline in that order.
  const size_t refused =
      TimelineIndex(state, "renkei.v1.ConsentRefused", "k5-refused");
  const size_t hc = TimelineIndex(state, "renkei.v1.ConsentGiven", "k7-hc");
  const size_t clinic =
      TimelineIndex(state, "renkei.v1.ConsentGiven", "k8-clinic");
  const size_t services =
      TimelineIndex(state, "renkei.v1.ConsentGiven", "k9-services");
  EXPECT_LT(refused, hc);
  EXPECT_LT(hc, clinic);
  EXPECT_LT(clinic, services);
  EXPECT_EQ(state.timeline[refused].occurred_at, Day(5));
  EXPECT_EQ(state.timeline[refused].actor.staff_id(), "counsellor");
  const ConsentState* refusal = state.FindConsent("k5-refused");
  EXPECT_EQ(refusal->terms.statement(), "私は大丈夫です");
  EXPECT_EQ(refusal->superseded_by, "k7-hc");
  EXPECT_EQ(state.consent_order,
            (std::vector<std::string>{"k5-refused", "k7-hc", "k8-clinic",
                                      "k9-services"}));

  // The daughter's statement: withheld from the mother, visible to the
  // counsellor and the support worker who heard it.
  const EntryState& statement = *state.FindEntry("e6-statement");
  EXPECT_EQ(MayDiscloseToSubject(statement, "mother").denial_reason(),
            v1::SHARING_DENIAL_REASON_WITHHELD);
  EXPECT_TRUE(MayDiscloseToSubject(statement, "daughter").allowed());
  const v1::SharingDecision counsellor =
      MayShareWithStaff(state, directory, statement, "counsellor",
                        v1::SHARING_PURPOSE_SUPPORT_COORDINATION, Day(30));
  EXPECT_TRUE(counsellor.allowed()) << counsellor.explanation();
  EXPECT_TRUE(ProtoEquals(
      Parse<v1::SharingBasis>(R"pb(own_record { agency_id: "city-mh" })pb"),
      counsellor.basis()));
  const v1::SharingDecision support_worker =
      MayShareWithStaff(state, directory, statement, "support-worker",
                        v1::SHARING_PURPOSE_SUPPORT_COORDINATION, Day(30));
  EXPECT_TRUE(support_worker.allowed()) << support_worker.explanation();
  EXPECT_EQ(support_worker.basis().own_record().agency_id(), "city-cfs");
  EXPECT_FALSE(MayShareWithStaff(state, directory, statement, "clinic-doctor",
                                 v1::SHARING_PURPOSE_MEDICAL_CARE, Day(30))
                   .allowed());

  // Referrals: accepted, and the receivers' feedback reaches the referrer.
  auto consult = ViewReferral(state, "r-consult", "city-pa");
  ASSERT_TRUE(consult.ok()) << consult.status();
  EXPECT_EQ(consult->referral().basis().statutory_forum().forum_id(),
            "f-shien");
  EXPECT_EQ(consult->feedback(0).by_agency_id(), "city-mh");

  auto to_clinic = ViewReferral(state, "r-clinic", "city-mh");
  ASSERT_TRUE(to_clinic.ok()) << to_clinic.status();
  EXPECT_EQ(to_clinic->status(), v1::REFERRAL_STATUS_ACCEPTED);
  EXPECT_EQ(to_clinic->referral().basis().consent().consent_ids(0),
            "k8-clinic");
  ASSERT_EQ(to_clinic->feedback_size(), 1);
  EXPECT_EQ(to_clinic->feedback(0).by_agency_id(), "clinic");
  EXPECT_EQ(to_clinic->sent_entries_size(), 2);

  auto to_cso = ViewReferral(state, "r-cso", "city-mh");
  ASSERT_TRUE(to_cso.ok()) << to_cso.status();
  EXPECT_EQ(to_cso->status(), v1::REFERRAL_STATUS_ACCEPTED);
  EXPECT_EQ(to_cso->referral().basis().consent().consent_ids(0), "k9-services");
  ASSERT_EQ(to_cso->feedback_size(), 1);
  EXPECT_EQ(to_cso->feedback(0).feedback(),
            "service-use plan agreed; home help starts next week");
  EXPECT_TRUE(OverdueReferrals(state, Day(30)).empty());

  // May the assessment be shared, and on what basis, at three moments?
  const EntryState& assessment = *state.FindEntry("e3-assessment");
  // Day 6: after the refusal. No consent; only the 支援会議 allows it.
  const v1::SharingDecision day6 =
      MayShare(state, assessment, "health-centre",
               v1::SHARING_PURPOSE_HEALTH_CONSULTATION, Day(6));
  EXPECT_FALSE(day6.allowed());
  EXPECT_NE(day6.explanation().find("私は大丈夫です"), std::string::npos)
      << day6.explanation();
  const v1::SharingDecision day6_forum = MayShare(
      state, assessment,
      SharingRequest{.recipient_agency_id = "health-centre",
                     .purpose = v1::SHARING_PURPOSE_HEALTH_CONSULTATION,
                     .at = Day(6),
                     .forum_id = "f-shien",
                     .emergency_reason = ""});
  EXPECT_TRUE(day6_forum.allowed());
  EXPECT_EQ(day6_forum.basis().statutory_forum().kind(),
            v1::FORUM_KIND_SHIEN_KAIGI);
  // Day 13: the health centre under the mother's consent; not yet the clinic.
  const v1::SharingDecision day13 =
      MayShare(state, assessment, "health-centre",
               v1::SHARING_PURPOSE_HEALTH_CONSULTATION, Day(13));
  EXPECT_TRUE(day13.allowed()) << day13.explanation();
  EXPECT_TRUE(ProtoEquals(
      Parse<v1::SharingBasis>(R"pb(consent { consent_ids: "k7-hc" })pb"),
      day13.basis()));
  EXPECT_FALSE(MayShare(state, assessment, "clinic",
                        v1::SHARING_PURPOSE_MEDICAL_CARE, Day(13))
                   .allowed());
  // Day 16: the clinic under the consent given on day 15.
  const v1::SharingDecision day16 = MayShare(
      state, assessment, "clinic", v1::SHARING_PURPOSE_MEDICAL_CARE, Day(16));
  EXPECT_TRUE(day16.allowed()) << day16.explanation();
  EXPECT_TRUE(ProtoEquals(
      Parse<v1::SharingBasis>(R"pb(consent { consent_ids: "k8-clinic" })pb"),
      day16.basis()));

  // What the school told the 支援会議 stays there: no consent covers it.
  EXPECT_EQ(MayShare(state, *state.FindEntry("e4-school"), "cso",
                     v1::SHARING_PURPOSE_WELFARE_SERVICES, Day(30))
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_CONFINED_TO_FORUM);
}

}  // namespace
}  // namespace renkei::domain

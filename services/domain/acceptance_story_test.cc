// The acceptance story of the domain (seed 000, mother-child household with
// alcohol): steps 1-9, then step 10 (the 要対協 individual case conference,
// role split and stage leads) and a staff rotation two years later, decided
// command by command, stored as envelopes and replayed; then checked as an
// auditor would.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "services/domain/case/case_state.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/case/referral_view.h"
#include "services/domain/case/sharing.h"
#include "services/domain/conference/progress_review.h"
#include "services/domain/errors.h"
#include "services/domain/event_codec.h"
#include "services/domain/handover/packet.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/world.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

using testing::CaseHarness;
using testing::Day;
using testing::Parse;
using testing::ProtoEquals;
using testing::StoryDirectory;

// Steps 1-9 on case c1; `Harness` runs case commands (Given).
template <typename Harness>
void RunStory(Harness& h) {
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
  // The consent also grants the counsellor's own agency access, so a
  // supervisor confirms it before it is in force.
  h.Given("supervisor", Day(12), R"pb(
    confirm_consent {
      consent_id: "k7-hc"
      note: "checked the written record with the counsellor"
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
template <typename Event, typename FromEnvelope>
std::vector<Event> ThroughTheLog(const std::vector<Event>& events,
                                 const std::string& stream_id,
                                 FromEnvelope from_envelope) {
  std::vector<Event> read;
  for (const Event& event : events) {
    const v1::ProposedEvent proposed = ToProposedEvent(event);
    v1::EventEnvelope envelope;
    envelope.set_stream_id(stream_id);
    envelope.set_event_type(proposed.event_type());
    *envelope.mutable_payload() = proposed.payload();
    *envelope.mutable_occurred_at() = proposed.occurred_at();
    *envelope.mutable_actor() = proposed.actor();
    absl::StatusOr<Event> back = from_envelope(envelope);
    EXPECT_TRUE(back.ok()) << back.status();
    if (back.ok()) read.push_back(*std::move(back));
  }
  return read;
}

std::vector<v1::CaseEvent> ThroughTheLog(
    const std::vector<v1::CaseEvent>& events) {
  return ThroughTheLog(events, CaseStreamId("c1"), &CaseEventFromEnvelope);
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
  auto consult = ViewReferral(
      state, "r-consult",
      ViewRequest{.agency_id = "city-pa",
                  .purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION,
                  .at = Day(60),
                  .forum_id = "",
                  .auditor = false});
  ASSERT_TRUE(consult.ok()) << consult.status();
  EXPECT_EQ(consult->referral().basis().statutory_forum().forum_id(),
            "f-shien");
  EXPECT_EQ(consult->feedback(0).by_agency_id(), "city-mh");

  auto to_clinic = ViewReferral(
      state, "r-clinic",
      ViewRequest{.agency_id = "city-mh",
                  .purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION,
                  .at = Day(60),
                  .forum_id = "",
                  .auditor = false});
  ASSERT_TRUE(to_clinic.ok()) << to_clinic.status();
  EXPECT_EQ(to_clinic->status(), v1::REFERRAL_STATUS_ACCEPTED);
  EXPECT_EQ(to_clinic->referral().basis().consent().consent_ids(0),
            "k8-clinic");
  ASSERT_EQ(to_clinic->feedback_size(), 1);
  EXPECT_EQ(to_clinic->feedback(0).by_agency_id(), "clinic");
  EXPECT_EQ(to_clinic->sent_entries_size(), 2);

  auto to_cso = ViewReferral(
      state, "r-cso",
      ViewRequest{.agency_id = "city-mh",
                  .purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION,
                  .at = Day(60),
                  .forum_id = "",
                  .auditor = false});
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
  // The refusal is named by its record; her words are content and are not
  // quoted to whoever asks.
  EXPECT_NE(day6.explanation().find("k5-refused"), std::string::npos)
      << day6.explanation();
  EXPECT_EQ(day6.explanation().find("私は大丈夫です"), std::string::npos)
      << day6.explanation();
  const v1::SharingDecision day6_forum = MayShare(
      state, assessment,
      SharingRequest{.sender_agency_id = "",
                     .recipient_agency_id = "health-centre",
                     .purpose = v1::SHARING_PURPOSE_HEALTH_CONSULTATION,
                     .at = Day(6),
                     .forum_id = "f-shien",
                     .emergency_id = ""});
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

// 10. The counsellor asks the 要対協 coordinating body (the children's centre,
//     city-cfs) to take the case up; an individual case conference is held
//     under 要対協; information is shared there; each agency's role is agreed
//     and every stage of the shared plan gets a lead.
void RunStepTen(testing::World& w) {
  w.GivenCase("c1", "counsellor", Day(30), R"pb(
    change_case_frameworks {
      frameworks: FRAMEWORK_SHIEN_KAIGI
      frameworks: FRAMEWORK_MENTAL_HEALTH
      frameworks: FRAMEWORK_YOTAIKYO
      reason: "the children need protection-level coordination"
    })pb");
  w.GivenCase("c1", "counsellor", Day(30), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f-yotaikyo"
        kind: FORUM_KIND_YOTAIKYO
        name: "要保護児童対策地域協議会"
        member_agency_ids: "city-pa"
        member_agency_ids: "city-mh"
        member_agency_ids: "city-cfs"
        member_agency_ids: "nursery"
        member_agency_ids: "jhs"
        member_agency_ids: "health-centre"
        member_agency_ids: "cgc"
        member_agency_ids: "clinic"
        member_agency_ids: "cso"
        member_agency_ids: "home-nursing"
        member_agency_ids: "home-help"
      }
    })pb");
  w.GivenCase("c1", "counsellor", Day(30), R"pb(
    make_referral {
      referral_id: "r-yotaikyo"
      to_agency_id: "city-cfs"
      to_staff_id: "support-worker"
      subject_ids: "mother"
      subject_ids: "daughter"
      subject_ids: "son"
      reason: "please take the household up in 要対協"
      urgency: REFERRAL_URGENCY_PROMPT
      response_deadline { seconds: 1714813200 }  # day 33
      purpose: SHARING_PURPOSE_CHILD_PROTECTION
      categories: INFORMATION_CATEGORY_CHILD_REARING
      categories: INFORMATION_CATEGORY_MENTAL_HEALTH
      forum_id: "f-yotaikyo"
    })pb");
  w.GivenCase("c1", "support-worker", Day(31), R"pb(
    accept_referral {
      referral_id: "r-yotaikyo"
      assigned_staff_id: "support-worker"
    })pb");
  // The 要対協 members join as the case is registered (受理); later team
  // changes are decisions of a conference.
  for (const char* agency :
       {"nursery", "jhs", "cgc", "home-nursing", "home-help"}) {
    w.GivenCase(
        "c1", "support-worker", Day(31),
        absl::StrCat("add_team_agency { agency_id: \"", agency,
                     "\" reason: \"要対協 member for this household\" }"));
  }
  w.GivenCase("c1", "support-worker", Day(31), R"pb(
    change_case_registration {
      registration: REGISTRATION_SUPPORT_NEEDED
      reason: "registered with 要対協 as a support case (要支援)"
    })pb");

  w.GivenConference("k-yotaikyo", "counsellor", Day(31), R"pb(
    schedule_conference {
      type: CONFERENCE_TYPE_INDIVIDUAL_CASE
      basis: CONFERENCE_BASIS_YOTAIKYO
      title: "個別ケース検討会議 (母子世帯)"
      coordinating_agency_id: "city-cfs"
      scheduled_for { seconds: 1714986000 }  # day 35
      invitees { agency_id: "city-pa" }
      invitees { agency_id: "city-cfs" }
      invitees { agency_id: "nursery" }
      invitees { agency_id: "jhs" }
      invitees { agency_id: "health-centre" }
      invitees { agency_id: "cgc" }
      invitees { agency_id: "clinic" }
      invitees { agency_id: "cso" }
      invitees { agency_id: "home-nursing" }
      invitees { agency_id: "home-help" }
      agenda_case_ids: "c1"
      agenda_items {
        item_id: "i-share"
        title: "share what each agency knows"
        case_id: "c1"
      }
      agenda_items {
        item_id: "i-roles"
        title: "role split and leads"
        case_id: "c1"
      }
    })pb");
  std::string attendance = "hold_conference {";
  for (const auto& [staff, agency] :
       std::vector<std::pair<const char*, const char*>>{
           {"counsellor", "city-mh"},
           {"cw", "city-pa"},
           {"support-worker", "city-cfs"},
           {"nursery-teacher", "nursery"},
           {"teacher", "jhs"},
           {"hc-nurse", "health-centre"},
           {"cgc-worker", "cgc"},
           {"clinic-doctor", "clinic"},
           {"cso-specialist", "cso"},
           {"nurse", "home-nursing"},
           {"helper", "home-help"}}) {
    absl::StrAppend(&attendance, " attendance { staff_id: \"", staff,
                    "\" agency_id: \"", agency,
                    "\" acknowledged_confidentiality: true }");
  }
  absl::StrAppend(&attendance, " }");
  w.GivenConference("k-yotaikyo", "support-worker", Day(35), attendance);
  // Information is shared under 要対協, without the mother's consent.
  w.GivenCase("c1", "counsellor", Day(35), R"pb(
    share_information {
      recipient_agency_id: "cgc"
      purpose: SHARING_PURPOSE_CHILD_PROTECTION
      entry_ids: "e3-assessment"
      entry_ids: "e6-statement"
      forum_id: "f-yotaikyo"
    })pb");
  w.GivenConference("k-yotaikyo", "support-worker", Day(35), R"pb(
    record_minutes {
      text: "each agency reported; the daughter carries the household; the mother is in treatment"
    })pb");
  w.GivenConference("k-yotaikyo", "support-worker", Day(35), R"pb(
    agree_role_split {
      roles {
        agency_id: "city-mh"
        responsibility: "coordinate the mother's treatment"
        case_id: "c1"
      }
      roles {
        agency_id: "clinic"
        responsibility: "outpatient treatment"
        case_id: "c1"
      }
      roles {
        agency_id: "home-nursing"
        responsibility: "psychiatric home nursing"
        case_id: "c1"
      }
      roles {
        agency_id: "city-cfs"
        responsibility: "the children's support; coordinating body"
        case_id: "c1"
      }
      roles {
        agency_id: "nursery"
        responsibility: "watch the son; report absences"
        case_id: "c1"
      }
      roles {
        agency_id: "jhs"
        responsibility: "watch the daughter; report absences"
        case_id: "c1"
      }
      roles {
        agency_id: "cgc"
        responsibility: "advise on protection"
        case_id: "c1"
      }
      roles {
        agency_id: "city-pa"
        responsibility: "public assistance"
        case_id: "c1"
      }
      roles {
        agency_id: "cso"
        responsibility: "service-use plan"
        case_id: "c1"
      }
      roles { agency_id: "home-help" responsibility: "home help" case_id: "c1" }
    })pb");
  w.GivenConference("k-yotaikyo", "counsellor", Day(35), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-plan"
        kind: DECISION_KIND_PLAN_REVISION
        case_id: "c1"
        text: "adopt one shared support plan"
      }
    })pb");
  w.GivenConference("k-yotaikyo", "counsellor", Day(35), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-lead-treatment"
        kind: DECISION_KIND_LEAD_ASSIGNMENT
        case_id: "c1"
        stage_id: "s-treatment"
        text: "the counsellor leads the mother's treatment stage"
        lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      }
    })pb");
  w.GivenConference("k-yotaikyo", "counsellor", Day(35), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-lead-livelihood"
        kind: DECISION_KIND_LEAD_ASSIGNMENT
        case_id: "c1"
        stage_id: "s-livelihood"
        text: "the caseworker leads livelihood and services"
        lead { agency_id: "city-pa" key_person_staff_id: "cw" }
      }
    })pb");
  w.GivenConference("k-yotaikyo", "support-worker", Day(35), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-lead-children"
        kind: DECISION_KIND_LEAD_DESIGNATION
        case_id: "c1"
        stage_id: "s-children"
        text: "school and nursery could not agree; the coordinating body names the children's centre"
        lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
      }
    })pb");
  w.GivenConference("k-yotaikyo", "support-worker", Day(35), R"pb(
    assign_action_item {
      item {
        action_item_id: "a-clinic-plan"
        case_id: "c1"
        description: "confirm the clinic's treatment plan"
        assignee_staff_id: "counsellor"
        assignee_agency_id: "city-mh"
        due { seconds: 1716195600 }  # day 49
      }
    })pb");
  w.GivenConference("k-yotaikyo", "support-worker", Day(35), R"pb(
    assign_action_item {
      item {
        action_item_id: "a-absences"
        case_id: "c1"
        description: "report an absence without notice the same morning"
        assignee_staff_id: "teacher"
        assignee_agency_id: "jhs"
        due { seconds: 1717578000 }  # day 65
      }
    })pb");

  w.GivenCase("c1", "counsellor", Day(36), R"pb(
    revise_support_plan {
      plan {
        goals {
          goal_id: "g-treatment"
          horizon: GOAL_HORIZON_SHORT
          description: "outpatient treatment for depression and alcohol continues"
          subject_ids: "mother"
        }
        goals {
          goal_id: "g-routine"
          horizon: GOAL_HORIZON_MID
          description: "the children get to school and nursery on time, fed and clean"
          subject_ids: "daughter"
          subject_ids: "son"
        }
        goals {
          goal_id: "g-young-carer"
          horizon: GOAL_HORIZON_MID
          description: "the daughter is relieved of caring (young-carer group)"
          subject_ids: "daughter"
        }
        goals {
          goal_id: "g-stable"
          horizon: GOAL_HORIZON_LONG
          description: "a sober, stable household living on its own means"
        }
        stages {
          stage_id: "s-treatment"
          title: "the mother's treatment and recovery"
          goal_ids: "g-treatment"
          goal_ids: "g-stable"
        }
        stages {
          stage_id: "s-children"
          title: "the children's daily life and school"
          goal_ids: "g-routine"
          goal_ids: "g-young-carer"
        }
        stages {
          stage_id: "s-livelihood"
          title: "livelihood and services"
          goal_ids: "g-stable"
        }
        roles {
          agency_id: "city-mh"
          responsibility: "coordinate treatment"
          stage_id: "s-treatment"
        }
        roles {
          agency_id: "clinic"
          responsibility: "outpatient treatment"
          stage_id: "s-treatment"
        }
        roles {
          agency_id: "home-nursing"
          responsibility: "home nursing"
          stage_id: "s-treatment"
        }
        roles {
          agency_id: "city-cfs"
          responsibility: "the children's support"
          stage_id: "s-children"
        }
        roles {
          agency_id: "nursery"
          responsibility: "watch the son"
          stage_id: "s-children"
        }
        roles {
          agency_id: "jhs"
          responsibility: "watch the daughter"
          stage_id: "s-children"
        }
        roles {
          agency_id: "city-pa"
          responsibility: "public assistance"
          stage_id: "s-livelihood"
        }
        roles {
          agency_id: "cso"
          responsibility: "service-use plan"
          stage_id: "s-livelihood"
        }
        roles {
          agency_id: "home-help"
          responsibility: "home help"
          stage_id: "s-livelihood"
        }
        summary: "treatment first; the children's routine; then livelihood"
      }
      decision { conference_id: "k-yotaikyo" decision_id: "d-plan" }
      reason: "adopted at the 要対協 individual case conference"
    })pb");
}

void AssignStepTenLeads(testing::World& w) {
  w.GivenCase("c1", "counsellor", Day(36), R"pb(
    assign_stage_lead {
      stage_id: "s-treatment"
      lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      effective_from { seconds: 1714986000 }  # day 35, at the conference
      reason: "agreed at the 要対協 individual case conference"
      decision { conference_id: "k-yotaikyo" decision_id: "d-lead-treatment" }
    })pb");
  w.GivenCase("c1", "counsellor", Day(36), R"pb(
    assign_stage_lead {
      stage_id: "s-livelihood"
      lead { agency_id: "city-pa" key_person_staff_id: "cw" }
      effective_from { seconds: 1714986000 }
      reason: "agreed at the 要対協 individual case conference"
      decision { conference_id: "k-yotaikyo" decision_id: "d-lead-livelihood" }
    })pb");
  w.GivenCase("c1", "support-worker", Day(36), R"pb(
    assign_stage_lead {
      stage_id: "s-children"
      lead { agency_id: "city-cfs" key_person_staff_id: "support-worker" }
      effective_from { seconds: 1714986000 }
      reason: "designated by the coordinating body"
      decision { conference_id: "k-yotaikyo" decision_id: "d-lead-children" }
    })pb");
}

// A practitioners' meeting (進行管理) on `day` reviewing c1.
void PractitionersMeeting(testing::World& w, absl::string_view id, int day) {
  w.GivenConference(id, "support-worker", Day(day - 10), R"pb(
    schedule_conference {
      type: CONFERENCE_TYPE_PRACTITIONERS
      basis: CONFERENCE_BASIS_YOTAIKYO
      title: "実務者会議 (進行管理)"
      coordinating_agency_id: "city-cfs"
      scheduled_for { seconds: 1720602000 }
      invitees { agency_id: "city-mh" }
      invitees { agency_id: "cgc" }
      agenda_case_ids: "c1"
    })pb");
  w.GivenConference(id, "support-worker", Day(day), R"pb(
    hold_conference {
      attendance {
        staff_id: "support-worker"
        agency_id: "city-cfs"
        acknowledged_confidentiality: true
      }
      attendance {
        staff_id: "counsellor"
        agency_id: "city-mh"
        acknowledged_confidentiality: true
      }
      attendance {
        staff_id: "cgc-worker"
        agency_id: "cgc"
        acknowledged_confidentiality: true
      }
    })pb");
  w.GivenConference(id, "support-worker", Day(day), R"pb(
    record_case_review {
      case_id: "c1"
      status: "the mother is in treatment; the children attend"
      lead_agency_id: "city-mh"
      support_policy: "continue the plan; next review in 90 days"
    })pb");
}

std::string KeyPerson(const CaseState& state, absl::string_view stage,
                      absl::Time at, absl::Time known_at = kKnownNow) {
  std::optional<v1::LeadPeriod> lead = LeadAt(state, stage, at, known_at);
  return lead.has_value() ? lead->lead().key_person_staff_id() : "none";
}

TEST(AcceptanceStoryTest, StepTenConferenceLeadsAndARotationTwoYearsLater) {
  testing::World w(StoryDirectory());
  testing::WorldCase c1(w, "c1");
  RunStory(c1);
  RunStepTen(w);
  ASSERT_FALSE(::testing::Test::HasFailure());

  // Convening the conference made the counsellor no lead: nobody leads a
  // stage until the decisions are recorded on the case.
  EXPECT_EQ(w.Conference("k-yotaikyo").convener().staff_id(), "counsellor");
  EXPECT_TRUE(LeadsAt(w.Case("c1"), Day(36)).empty());
  AssignStepTenLeads(w);
  w.GivenConference("k-yotaikyo", "counsellor", Day(48), R"pb(
    complete_action_item {
      action_item_id: "a-clinic-plan"
      note: "weekly outpatient visits"
    })pb");
  PractitionersMeeting(w, "p-2024", 100);
  PractitionersMeeting(w, "p-2026", 700);
  w.GivenConference("p-2026", "support-worker", Day(700), R"pb(
    assign_action_item {
      item {
        action_item_id: "a-report"
        case_id: "c1"
        description: "update the treatment stage after the clinic's report"
        assignee_staff_id: "counsellor"
        assignee_agency_id: "city-mh"
        due { seconds: 1777626000 }  # day 760
      }
    })pb");
  ASSERT_FALSE(::testing::Test::HasFailure());

  {
    const CaseState& state = w.Case("c1");
    EXPECT_EQ(state.registration, v1::REGISTRATION_SUPPORT_NEEDED);
    EXPECT_EQ(state.plan_revision(), 1u);
    // The 要対協 forum is the basis of what went to the child guidance centre.
    ASSERT_FALSE(state.disclosures.empty());
    const v1::InformationShared& shared = state.disclosures.back().shared;
    EXPECT_EQ(shared.recipient_agency_id(), "cgc");
    EXPECT_EQ(shared.items(1).basis().statutory_forum().forum_id(),
              "f-yotaikyo");
    const ConferenceState& conference = w.Conference("k-yotaikyo");
    EXPECT_EQ(conference.held.attendance_size(), 11);
    EXPECT_EQ(conference.role_splits.back().roles.size(), 10u);
    EXPECT_TRUE(conference.decisions.at("d-lead-children").decision.kind() ==
                v1::DECISION_KIND_LEAD_DESIGNATION);
    EXPECT_EQ(KeyPerson(state, "s-treatment", Day(40)), "counsellor");
    EXPECT_EQ(KeyPerson(state, "s-children", Day(40)), "support-worker");
    EXPECT_EQ(KeyPerson(state, "s-livelihood", Day(40)), "cw");
    EXPECT_TRUE(LeadHistory(state, "s-children")[0]
                    .fact()
                    .designated_by_coordinating_body());
    EXPECT_TRUE(
        OverdueReviews(w.Everything(), ReviewPolicy{}, Day(720)).empty());
  }

  // Two years later the counsellor moves post. Her successor joins.
  w.RegisterStaff("counsellor-2",
                  v1::PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR, "city-mh",
                  Day(720));
  w.GivenHandover("h-2026", "counsellor", Day(725), R"pb(
    start_handover {
      outgoing_staff_id: "counsellor"
      successor_staff_id: "counsellor-2"
      reason: HANDOVER_REASON_MOVING_POST
      note: "moves to the health centre"
    })pb");
  // She cannot be marked as left while she still holds anything.
  EXPECT_EQ(
      w.WhenDeparture("counsellor", Day(726)).status(),
      errors::StaffHoldsResponsibilities(
          "counsellor",
          {"key person of stage 's-treatment' of case 'c1' for agency "
           "'city-mh'",
           "referral 'r-consult' of case 'c1' received from 'city-pa' "
           "(accepted)",
           "referral 'r-clinic' of case 'c1' sent to 'clinic' (accepted)",
           "referral 'r-cso' of case 'c1' sent to 'cso' (accepted)",
           "referral 'r-yotaikyo' of case 'c1' sent to 'city-cfs' (accepted)",
           "action item 'a-report' of conference 'p-2026' due 2026-05-01"}));

  // The briefing packet.
  const v1::HandoverPacket packet =
      BuildHandoverPacket(w.Handover("h-2026"), w.Everything(), Day(727));
  ASSERT_EQ(packet.cases_size(), 1);
  const v1::PacketCase& brief = packet.cases(0);
  ASSERT_EQ(brief.stages_led_size(), 1);
  EXPECT_EQ(brief.stages_led(0).title(), "the mother's treatment and recovery");
  EXPECT_EQ(brief.open_referrals_size(), 4);
  ASSERT_EQ(brief.action_items_size(), 1);
  EXPECT_EQ(brief.action_items(0).item().action_item_id(), "a-report");
  EXPECT_FALSE(brief.action_items(0).overdue());
  EXPECT_EQ(brief.consents_in_force_size(),
            3);  // health centre, clinic, services
  ASSERT_EQ(brief.confidential_warnings_size(), 1);
  EXPECT_EQ(brief.confidential_warnings(0).entry_id(), "e6-statement");
  EXPECT_EQ(brief.confidential_warnings(0).withheld_from_subject_ids(0),
            "mother");
  EXPECT_EQ(brief.latest_assessment().entry_id(), "e3-assessment");
  EXPECT_EQ(brief.mid_and_long_term_goals_size(), 3);
  EXPECT_EQ(ToTime(brief.next_review_due()), Day(790));
  EXPECT_EQ(packet.responsibilities_size(), 6);

  // The successor acknowledges; the handover completes and everything moves.
  w.GivenHandover("h-2026", "counsellor-2", Day(728),
                  R"pb(acknowledge_handover_packet { note: "read" })pb");
  const std::vector<PlannedCommand> plan =
      w.CompleteHandover("h-2026", "counsellor", Day(730));
  EXPECT_EQ(plan.size(), 6u);
  EXPECT_TRUE(
      OpenResponsibilities("counsellor", w.Everything(), Day(730)).empty());
  EXPECT_EQ(
      OpenResponsibilities("counsellor-2", w.Everything(), Day(730)).size(),
      6u);
  w.GivenDeparture("counsellor", Day(731));
  EXPECT_EQ(w.WhenCase("c1", "counsellor", Day(732),
                       R"pb(give_referral_feedback {
                              referral_id: "r-consult"
                              feedback: "x"
                            })pb")
                .status(),
            errors::StaffHasLeft("counsellor"));
  w.GivenCase("c1", "counsellor-2", Day(732), R"pb(
    give_referral_feedback {
      referral_id: "r-consult"
      feedback: "the new counsellor has taken over"
    })pb");
  ASSERT_FALSE(::testing::Test::HasFailure());

  // An auditor replays the case and the conferences from the log and asks
  // who led each stage at every point, and what was known when.
  const CaseState state = Replay(ThroughTheLog(
      w.CaseHistory("c1"), CaseStreamId("c1"), &CaseEventFromEnvelope));
  ASSERT_EQ(state.version, w.Case("c1").version);
  const ConferenceState conference = ReplayConference(ThroughTheLog(
      w.ConferenceHistory("k-yotaikyo"), ConferenceStreamId("k-yotaikyo"),
      &ConferenceEventFromEnvelope));
  EXPECT_EQ(conference.decisions.size(), 4u);

  const std::vector<v1::LeadPeriod> treatment =
      LeadHistory(state, "s-treatment");
  ASSERT_EQ(treatment.size(), 2u);
  EXPECT_EQ(treatment[0].lead().key_person_staff_id(), "counsellor");
  EXPECT_EQ(ToTime(treatment[0].valid_from()), Day(35));
  EXPECT_EQ(ToTime(treatment[0].valid_to()), Day(730));
  EXPECT_EQ(treatment[0].fact().decision().decision_id(), "d-lead-treatment");
  EXPECT_EQ(ToTime(treatment[0].fact().known_at()), Day(36));
  EXPECT_EQ(treatment[1].lead().key_person_staff_id(), "counsellor-2");
  EXPECT_EQ(treatment[1].lead().agency_id(), "city-mh");
  EXPECT_EQ(treatment[1].fact().handover_id(), "h-2026");
  EXPECT_EQ(treatment[1].fact().reason(), "handover h-2026");
  EXPECT_FALSE(treatment[1].has_valid_to());
  for (const char* stage : {"s-children", "s-livelihood"}) {
    const std::vector<v1::LeadPeriod> history = LeadHistory(state, stage);
    ASSERT_EQ(history.size(), 1u) << stage;
    EXPECT_EQ(ToTime(history[0].valid_from()), Day(35)) << stage;
    EXPECT_FALSE(history[0].has_valid_to()) << stage;
  }
  EXPECT_EQ(KeyPerson(state, "s-treatment", Day(20)), "none");
  EXPECT_EQ(KeyPerson(state, "s-treatment", Day(400)), "counsellor");
  EXPECT_EQ(KeyPerson(state, "s-treatment", Day(731)), "counsellor-2");
  // On the day of the conference the leads were not yet recorded.
  EXPECT_EQ(KeyPerson(state, "s-treatment", Day(35), Day(35)), "none");
  // As known just before the handover completed, she still led it.
  EXPECT_EQ(KeyPerson(state, "s-treatment", Day(731), Day(729)), "counsellor");
  EXPECT_EQ(KeyPerson(state, "s-children", Day(731)), "support-worker");
  EXPECT_EQ(KeyPerson(state, "s-livelihood", Day(731)), "cw");

  // The successor reads the whole history: every step, in order.
  const size_t conference_plan =
      TimelineIndex(state, "renkei.v1.SupportPlanRevised", "plan-1");
  const size_t handed_over =
      TimelineIndex(state, "renkei.v1.StageLeadTransferred", "s-treatment");
  EXPECT_LT(TimelineIndex(state, "renkei.v1.ConsentRefused", "k5-refused"),
            conference_plan);
  EXPECT_LT(conference_plan, handed_over);
  EXPECT_EQ(state.timeline[handed_over].actor.staff_id(), "counsellor");
  EXPECT_EQ(state.FindReferral("r-clinic")->referrer_staff_id, "counsellor-2");
}

}  // namespace
}  // namespace renkei::domain

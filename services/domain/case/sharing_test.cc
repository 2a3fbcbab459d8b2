// Tests of the sharing decision (MayShare and friends) and of the commands
// that register statutory forums and record provisions of information.
#include "services/domain/case/sharing.h"

#include "gtest/gtest.h"
#include "services/domain/case/decider.h"
#include "services/domain/errors.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

using testing::CaseHarness;
using testing::Day;
using testing::EventsEqual;
using testing::Expected;
using testing::Parse;
using testing::ProtoEquals;
using testing::StoryDirectory;

constexpr auto kCoordination = v1::SHARING_PURPOSE_SUPPORT_COORDINATION;
constexpr auto kHealthConsultation = v1::SHARING_PURPOSE_HEALTH_CONSULTATION;

v1::SharingBasis Basis(absl::string_view text) {
  return Parse<v1::SharingBasis>(text);
}

class SharingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    harness_.OpenStandardCase();
    harness_.Given("cw", Day(1), R"pb(
      add_team_agency {
        agency_id: "health-centre"
        reason: "mental-health consultation"
      })pb");
    harness_.Given("cw", Day(2), R"pb(
      register_statutory_forum {
        forum {
          forum_id: "f-shien"
          kind: FORUM_KIND_SHIEN_KAIGI
          name: "支援会議"
          member_agency_ids: "city-pa"
          member_agency_ids: "city-mh"
          member_agency_ids: "city-cfs"
          member_agency_ids: "jhs"
          member_agency_ids: "nursery"
        }
      })pb");
    harness_.Given("cw", Day(2), R"pb(
      register_statutory_forum {
        forum {
          forum_id: "f-yotai"
          kind: FORUM_KIND_YOTAIKYO
          name: "個別ケース検討会議"
          member_agency_ids: "city-cfs"
          member_agency_ids: "cgc"
          member_agency_ids: "jhs"
        }
      })pb");
    harness_.Given("counsellor", Day(3), R"pb(
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
    harness_.Given("counsellor", Day(3), R"pb(
      record_entry {
        entry {
          entry_id: "e-statement"
          subject_ids: "mother"
          subject_ids: "daughter"
          categories: INFORMATION_CATEGORY_CHILD_REARING
          confidentiality {
            withheld_from_subject_ids: "mother"
            withheld_from_agency_ids: "nursery"
            reason: "the daughter asked that her mother not be told"
          }
          interview {
            interviewers { staff_id: "counsellor" agency_id: "city-mh" }
            interviewers { staff_id: "support-worker" agency_id: "city-cfs" }
            interviewee_subject_ids: "daughter"
            summary: "the mother drinks from the morning"
          }
        }
      })pb");
    harness_.Given("counsellor", Day(3), R"pb(
      record_entry {
        entry {
          entry_id: "e-school"
          subject_ids: "daughter"
          categories: INFORMATION_CATEGORY_EDUCATION
          origin_forum_id: "f-shien"
          information_received {
            source_agency_id: "jhs"
            content: "often late, tired"
          }
        }
      })pb");
  }

  const EntryState& Entry(absl::string_view id) const {
    return *harness_.state().FindEntry(id);
  }
  v1::SharingDecision Share(absl::string_view entry, absl::string_view agency,
                            v1::SharingPurpose purpose, absl::Time at,
                            std::string forum = "",
                            std::string emergency = "") const {
    return MayShare(harness_.state(), Entry(entry),
                    SharingRequest{.sender_agency_id = "",
                                   .recipient_agency_id = std::string(agency),
                                   .purpose = purpose,
                                   .at = at,
                                   .forum_id = std::move(forum),
                                   .emergency_id = std::move(emergency)});
  }
  void GiveHealthCentreConsent(absl::Time at) {
    harness_.Given("cw", at, R"pb(
      give_consent {
        terms {
          consent_id: "k-hc"
          subject_id: "mother"
          decided_by_subject_id: "mother"
          scope {
            agency_ids: "health-centre"
            purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
            categories: INFORMATION_CATEGORY_MENTAL_HEALTH
          }
          form: CONSENT_FORM_VERBAL
        }
      })pb");
  }

  CaseHarness harness_{StoryDirectory()};
};

TEST_F(SharingTest, TheRecordingAgencySeesItsOwnRecord) {
  v1::SharingDecision decision =
      Share("e-assess", "city-mh", kCoordination, Day(4));
  EXPECT_TRUE(decision.allowed());
  EXPECT_TRUE(ProtoEquals(Basis(R"pb(own_record { agency_id: "city-mh" })pb"),
                          decision.basis()));
}

TEST_F(SharingTest, ATeamMemberWithoutConsentIsDenied) {
  v1::SharingDecision decision =
      Share("e-assess", "health-centre", kHealthConsultation, Day(4));
  EXPECT_FALSE(decision.allowed());
  EXPECT_EQ(decision.denial_reason(), v1::SHARING_DENIAL_REASON_NO_CONSENT);
  EXPECT_EQ(decision.basis().kind_case(), v1::SharingBasis::KIND_NOT_SET);
}

TEST_F(SharingTest, ConsentCoveringAgencyPurposeAndCategoryAllowsFromItsStart) {
  GiveHealthCentreConsent(Day(5));
  v1::SharingDecision decision =
      Share("e-assess", "health-centre", kHealthConsultation, Day(6));
  EXPECT_TRUE(decision.allowed()) << decision.explanation();
  EXPECT_TRUE(ProtoEquals(Basis(R"pb(consent { consent_ids: "k-hc" })pb"),
                          decision.basis()));
  EXPECT_FALSE(Share("e-assess", "health-centre", kHealthConsultation, Day(4))
                   .allowed());
}

TEST_F(SharingTest, ConsentForAnotherPurposeOrCategoryDoesNotCover) {
  GiveHealthCentreConsent(Day(5));
  EXPECT_EQ(Share("e-assess", "health-centre", v1::SHARING_PURPOSE_MEDICAL_CARE,
                  Day(6))
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_CONSENT);
  harness_.Given("counsellor", Day(6), R"pb(
    record_entry {
      entry {
        entry_id: "e-finances"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        categories: INFORMATION_CATEGORY_FINANCES
        contact {
          channel: CONTACT_CHANNEL_PHONE
          counterpart_subject_ids: "mother"
          summary: "debts worry her"
        }
      }
    })pb");
  EXPECT_EQ(Share("e-finances", "health-centre", kHealthConsultation, Day(7))
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_CONSENT);

  harness_.Given("cw", Day(8), R"pb(
    give_consent {
      terms {
        consent_id: "k-finances"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
          categories: INFORMATION_CATEGORY_FINANCES
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  v1::SharingDecision both =
      Share("e-finances", "health-centre", kHealthConsultation, Day(9));
  EXPECT_TRUE(both.allowed()) << both.explanation();
  EXPECT_TRUE(ProtoEquals(
      Basis(R"pb(consent { consent_ids: "k-hc" consent_ids: "k-finances" })pb"),
      both.basis()));
}

TEST_F(SharingTest, ConsentWithoutTeamMembershipIsNotEnough) {
  harness_.Given("cw", Day(5), R"pb(
    give_consent {
      terms {
        consent_id: "k-clinic"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "clinic"
          purposes: SHARING_PURPOSE_MEDICAL_CARE
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(
      Share("e-assess", "clinic", v1::SHARING_PURPOSE_MEDICAL_CARE, Day(6))
          .denial_reason(),
      v1::SHARING_DENIAL_REASON_NOT_ON_TEAM);
  harness_.Given(
      "cw", Day(7),
      R"pb(add_team_agency { agency_id: "clinic" reason: "treatment" })pb");
  EXPECT_TRUE(
      Share("e-assess", "clinic", v1::SHARING_PURPOSE_MEDICAL_CARE, Day(7))
          .allowed());
  EXPECT_FALSE(
      Share("e-assess", "clinic", v1::SHARING_PURPOSE_MEDICAL_CARE, Day(6))
          .allowed());
}

TEST_F(SharingTest, EverySubjectTheEntryIsAboutMustConsent) {
  harness_.Given("cw", Day(5), R"pb(
    give_consent {
      terms {
        consent_id: "k-mother"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          categories: INFORMATION_CATEGORY_CHILD_REARING
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  EXPECT_EQ(Share("e-statement", "health-centre", kCoordination, Day(6))
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_CONSENT);
  harness_.Given("cw", Day(6), R"pb(
    give_consent {
      terms {
        consent_id: "k-daughter"
        subject_id: "daughter"
        decided_by_subject_id: "daughter"
        scope {
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          categories: INFORMATION_CATEGORY_CHILD_REARING
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  v1::SharingDecision decision =
      Share("e-statement", "health-centre", kCoordination, Day(7));
  EXPECT_TRUE(decision.allowed()) << decision.explanation();
  EXPECT_TRUE(ProtoEquals(Basis(R"pb(consent {
                                       consent_ids: "k-mother"
                                       consent_ids: "k-daughter"
                                     })pb"),
                          decision.basis()));
}

TEST_F(SharingTest, WithdrawnConsentNoLongerCovers) {
  GiveHealthCentreConsent(Day(5));
  harness_.Given("cw", Day(9), R"pb(
    withdraw_consent {
      consent_id: "k-hc"
      decided_by_subject_id: "mother"
      reason: "r"
    })pb");
  EXPECT_TRUE(Share("e-assess", "health-centre", kHealthConsultation, Day(8))
                  .allowed());
  EXPECT_FALSE(Share("e-assess", "health-centre", kHealthConsultation, Day(9))
                   .allowed());
}

TEST_F(SharingTest, SharingIsDecidedAtTheServersTimeNotTheBusinessTime) {
  GiveHealthCentreConsent(Day(5));
  harness_.Given("cw", Day(9), R"pb(
    withdraw_consent {
      consent_id: "k-hc"
      decided_by_subject_id: "mother"
      reason: "r"
    })pb");
  // Sent "one second before the withdrawal" by its business time, decided
  // by the server after it: the withdrawn consent covers nothing.
  v1::CaseCommand backdated =
      harness_.Command("counsellor", Day(9) - absl::Seconds(1), R"pb(
        share_information {
          recipient_agency_id: "health-centre"
          purpose: SHARING_PURPOSE_HEALTH_CONSULTATION
          entry_ids: "e-assess"
        })pb");
  *backdated.mutable_decided_at() = ToTimestamp(Day(9) + absl::Hours(1));
  const auto refused = harness_.When(backdated);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  // Decided before the withdrawal, the same provision had a basis.
  *backdated.mutable_decided_at() = ToTimestamp(Day(9) - absl::Seconds(1));
  EXPECT_TRUE(harness_.When(backdated).ok());
}

TEST_F(SharingTest, AStandingRefusalIsNamedInTheDenial) {
  harness_.Given("counsellor", Day(4), R"pb(
    refuse_consent {
      terms {
        consent_id: "k-refused"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
        statement: "私は大丈夫です"
      }
    })pb");
  v1::SharingDecision decision =
      Share("e-assess", "health-centre", kHealthConsultation, Day(5));
  EXPECT_FALSE(decision.allowed());
  EXPECT_NE(decision.explanation().find("k-refused"), std::string::npos)
      << decision.explanation();
  // Named by its record, never quoted: the words are content.
  EXPECT_EQ(decision.explanation().find("私は大丈夫です"), std::string::npos);
}

TEST_F(SharingTest, AWithheldEntryIsNeverSharedWithThoseNamedWhateverTheBasis) {
  const v1::SharingDecision plain =
      Share("e-statement", "nursery", kCoordination, Day(4));
  EXPECT_EQ(plain.denial_reason(), v1::SHARING_DENIAL_REASON_WITHHELD);
  EXPECT_EQ(Share("e-statement", "nursery", kCoordination, Day(4), "f-shien")
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_WITHHELD);
  EXPECT_EQ(Share("e-statement", "nursery", kCoordination, Day(4), "",
                  "child in danger")
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_WITHHELD);
  harness_.Given(
      "cw", Day(5),
      R"pb(add_team_agency { agency_id: "nursery" reason: "son" })pb");
  harness_.Given("cw", Day(5), R"pb(
    give_consent {
      terms {
        consent_id: "k-all"
        subject_id: "daughter"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "nursery"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          categories: INFORMATION_CATEGORY_CHILD_REARING
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  harness_.Given("cw", Day(5), R"pb(
    give_consent {
      terms {
        consent_id: "k-mother-all"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "nursery"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          categories: INFORMATION_CATEGORY_CHILD_REARING
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  EXPECT_EQ(
      Share("e-statement", "nursery", kCoordination, Day(6)).denial_reason(),
      v1::SHARING_DENIAL_REASON_WITHHELD);
  // The same consents do open an entry that is not withheld from the nursery.
  harness_.Given("cw", Day(6), R"pb(
    record_entry {
      entry {
        entry_id: "e-open"
        subject_ids: "mother"
        subject_ids: "daughter"
        categories: INFORMATION_CATEGORY_CHILD_REARING
        contact {
          channel: CONTACT_CHANNEL_PHONE
          counterpart_agency_ids: "jhs"
          summary: "school attendance"
        }
      }
    })pb");
  EXPECT_TRUE(Share("e-open", "nursery", kCoordination, Day(7)).allowed());
}

TEST_F(SharingTest, AWithheldEntryIsNotDisclosedToTheNamedSubject) {
  EXPECT_EQ(
      MayDiscloseToSubject(Entry("e-statement"), "mother").denial_reason(),
      v1::SHARING_DENIAL_REASON_WITHHELD);
  const v1::SharingDecision daughter =
      MayDiscloseToSubject(Entry("e-statement"), "daughter");
  EXPECT_TRUE(daughter.allowed());
  EXPECT_TRUE(
      ProtoEquals(Basis(R"pb(subject_access { subject_id: "daughter" })pb"),
                  daughter.basis()));
  EXPECT_EQ(MayDiscloseToSubject(Entry("e-statement"), "son").denial_reason(),
            v1::SHARING_DENIAL_REASON_NOT_ABOUT_SUBJECT);
  EXPECT_TRUE(MayDiscloseToSubject(Entry("e-assess"), "mother").allowed());
}

TEST_F(SharingTest, InformationFromAShienKaigiStaysInsideItUntilConsent) {
  const v1::SharingDecision member =
      Share("e-school", "nursery", kCoordination, Day(4));
  EXPECT_TRUE(member.allowed()) << member.explanation();
  EXPECT_TRUE(ProtoEquals(
      Basis(R"pb(statutory_forum {
                   forum_id: "f-shien"
                   kind: FORUM_KIND_SHIEN_KAIGI
                   legal_basis: "Social Welfare Act art. 106-6 (支援会議)"
                 })pb"),
      member.basis()));

  EXPECT_EQ(
      Share("e-school", "health-centre", kCoordination, Day(4)).denial_reason(),
      v1::SHARING_DENIAL_REASON_CONFINED_TO_FORUM);
  EXPECT_EQ(Share("e-school", "cgc", kCoordination, Day(4), "f-yotai")
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_CONFINED_TO_FORUM);
  EXPECT_EQ(
      Share("e-school", "police", kCoordination, Day(4), "", "life at risk")
          .denial_reason(),
      v1::SHARING_DENIAL_REASON_CONFINED_TO_FORUM);

  harness_.Given("cw", Day(5), R"pb(
    give_consent {
      terms {
        consent_id: "k-school"
        subject_id: "daughter"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          categories: INFORMATION_CATEGORY_EDUCATION
        }
        form: CONSENT_FORM_WRITTEN
      }
    })pb");
  const v1::SharingDecision released =
      Share("e-school", "health-centre", kCoordination, Day(6));
  EXPECT_TRUE(released.allowed()) << released.explanation();
  EXPECT_TRUE(ProtoEquals(Basis(R"pb(consent { consent_ids: "k-school" })pb"),
                          released.basis()));
}

TEST_F(SharingTest, AYotaikyoMemberReceivesUnderTheChildWelfareAct) {
  const v1::SharingDecision decision =
      Share("e-assess", "cgc", v1::SHARING_PURPOSE_CHILD_PROTECTION, Day(4),
            "f-yotai");
  EXPECT_TRUE(decision.allowed()) << decision.explanation();
  EXPECT_TRUE(ProtoEquals(
      Basis(
          R"pb(statutory_forum {
                 forum_id: "f-yotai"
                 kind: FORUM_KIND_YOTAIKYO
                 legal_basis: "Child Welfare Act art. 25-2, 25-5 (要保護児童対策地域協議会)"
               })pb"),
      decision.basis()));
  EXPECT_EQ(Share("e-assess", "police", v1::SHARING_PURPOSE_CHILD_PROTECTION,
                  Day(4), "f-yotai")
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_NOT_FORUM_MEMBER);
  EXPECT_EQ(Share("e-assess", "cgc", v1::SHARING_PURPOSE_CHILD_PROTECTION,
                  Day(4), "f-none")
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_UNKNOWN_FORUM);
  EXPECT_EQ(Share("e-assess", "cgc", v1::SHARING_PURPOSE_CHILD_PROTECTION,
                  Day(1), "f-yotai")
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_UNKNOWN_FORUM);
  EXPECT_EQ(
      Share("e-assess", "cgc", v1::SHARING_PURPOSE_CHILD_PROTECTION, Day(4))
          .denial_reason(),
      v1::SHARING_DENIAL_REASON_NOT_ON_TEAM);
}

TEST_F(SharingTest, AnEmergencyIsInvokedByALeadOrCoordinatorAndIsTimeLimited) {
  // Only a stage-lead agency or a forum's coordinating agency may invoke it.
  constexpr char kInvoke[] = R"pb(
    invoke_emergency_access {
      emergency_id: "em-1"
      reason: "she threatened to harm herself; consent cannot be obtained"
      subject_ids: "mother"
      duration_hours: 6
    })pb";
  EXPECT_EQ(harness_.When("cw", Day(4), kInvoke).status(),
            errors::NotEmergencyInvoker("city-pa"));
  harness_.Given("cw", Day(4), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f-coord"
        kind: FORUM_KIND_YOTAIKYO
        name: "要対協"
        member_agency_ids: "city-pa"
        member_agency_ids: "police"
        coordinating_agency_id: "city-pa"
      }
    })pb");
  const v1::CaseCommand invoke = harness_.Command("cw", Day(4), kInvoke);
  EXPECT_TRUE(EventsEqual(
      Expected(
          invoke,
          {R"pb(
             emergency_access_invoked {
               emergency_id: "em-1"
               agency_id: "city-pa"
               staff_id: "cw"
               reason: "she threatened to harm herself; consent cannot be obtained"
               subject_ids: "mother"
               expires_at { seconds: 1712329200 }
             })pb"}),
      harness_.When(invoke)))
      << Day(4) + absl::Hours(6);
  harness_.Given("cw", Day(4), kInvoke);

  // Cited by the invoking agency while in force: a basis with its reason.
  auto share = [&](std::string sender, absl::Time at) {
    return MayShare(harness_.state(), Entry("e-assess"),
                    SharingRequest{.sender_agency_id = std::move(sender),
                                   .recipient_agency_id = "police",
                                   .purpose = v1::SHARING_PURPOSE_OTHER,
                                   .at = at,
                                   .forum_id = "",
                                   .emergency_id = "em-1"});
  };
  const v1::SharingDecision during = share("city-pa", Day(4) + absl::Hours(1));
  ASSERT_TRUE(during.allowed()) << during.explanation();
  EXPECT_EQ(during.basis().emergency().emergency_id(), "em-1");
  EXPECT_EQ(during.basis().emergency().invoked_by_agency_id(), "city-pa");
  // Cited by another agency: no basis. Expired: the glass is whole again,
  // and the invoking agency no longer holds the entry either.
  EXPECT_EQ(share("city-mh", Day(4) + absl::Hours(1)).denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_EMERGENCY);
  EXPECT_EQ(share("city-pa", Day(4) + absl::Hours(7)).denial_reason(),
            v1::SHARING_DENIAL_REASON_SENDER_MAY_NOT_SEE);
  // Breaking the glass lets the invoking agency read what is about the
  // subjects it names, while in force.
  ViewRequest invoker{.agency_id = "city-pa",
                      .purpose = kCoordination,
                      .at = Day(4) + absl::Hours(1),
                      .forum_id = "",
                      .auditor = false};
  EXPECT_TRUE(MayView(harness_.state(), Entry("e-assess"), invoker)
                  .decision.basis()
                  .has_emergency());
  ViewRequest other = invoker;
  other.agency_id = "city-cfs";
  EXPECT_FALSE(MayView(harness_.state(), Entry("e-assess"), other).allowed());
  invoker.at = Day(5);
  EXPECT_FALSE(MayView(harness_.state(), Entry("e-assess"), invoker).allowed());
  // A bare reason is no longer a basis.
  EXPECT_EQ(harness_
                .When("cw", Day(4), R"pb(
                  share_information {
                    recipient_agency_id: "police"
                    purpose: SHARING_PURPOSE_OTHER
                    entry_ids: "e-assess"
                    emergency_reason: "urgent"
                  })pb")
                .status(),
            errors::EmergencyReasonWithoutAccess());
}

TEST_F(SharingTest, AnEmergencyIsReviewedOnceByAnotherPerson) {
  harness_.Given("cw", Day(4), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f-coord"
        kind: FORUM_KIND_YOTAIKYO
        name: "要対協"
        member_agency_ids: "city-pa"
        coordinating_agency_id: "city-pa"
      }
    })pb");
  harness_.Given("cw", Day(4),
                 R"pb(
                   invoke_emergency_access {
                     emergency_id: "em-1"
                     reason: "unconscious"
                   })pb");
  constexpr char kReview[] = R"pb(
    review_emergency_access {
      emergency_id: "em-1"
      finding: "justified: ambulance called"
      justified: true
    })pb";
  EXPECT_EQ(harness_.When("cw", Day(5), kReview).status(),
            errors::SelfReviewedEmergency("em-1"));
  EXPECT_EQ(harness_.When("counsellor", Day(5), kReview).status(),
            errors::NotEmergencyReviewer("em-1", "city-mh"));
  harness_.Given("supervisor", Day(5), kReview);
  const EmergencyState& emergency = *harness_.state().FindEmergency("em-1");
  ASSERT_TRUE(emergency.review.has_value());
  EXPECT_TRUE(emergency.review->justified());
  EXPECT_EQ(emergency.reviewed_by.staff_id(), "supervisor");
  EXPECT_EQ(harness_.When("supervisor", Day(6), kReview).status(),
            errors::EmergencyAlreadyReviewed("em-1"));
  EXPECT_EQ(harness_
                .When("supervisor", Day(6),
                      R"pb(review_emergency_access {
                             emergency_id: "em-2"
                             finding: "x"
                           })pb")
                .status(),
            errors::EmergencyNotFound("em-2"));
}

TEST_F(SharingTest, ARetractedEntryIsNotShared) {
  harness_.Given(
      "counsellor", Day(4),
      R"pb(retract_entry { entry_id: "e-assess" reason: "wrong person" })pb");
  EXPECT_EQ(Share("e-assess", "cgc", v1::SHARING_PURPOSE_CHILD_PROTECTION,
                  Day(5), "f-yotai")
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_RETRACTED);
}

TEST_F(SharingTest, StaffSeeWhatTheirAgencyMaySee) {
  const DirectoryState& directory = harness_.directory();
  EXPECT_TRUE(MayShareWithStaff(harness_.state(), directory,
                                Entry("e-statement"), "support-worker",
                                kCoordination, Day(4))
                  .allowed());
  EXPECT_EQ(MayShareWithStaff(harness_.state(), directory, Entry("e-statement"),
                              "cw", kCoordination, Day(4))
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_NO_CONSENT);
  EXPECT_EQ(MayShareWithStaff(harness_.state(), directory, Entry("e-statement"),
                              "former-cw", kCoordination, Day(4))
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_UNKNOWN_RECIPIENT);
  EXPECT_EQ(MayShareWithStaff(harness_.state(), directory, Entry("e-statement"),
                              "nobody", kCoordination, Day(4))
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_UNKNOWN_RECIPIENT);
}

TEST_F(SharingTest, AProvisionIsRecordedWithItsBasis) {
  GiveHealthCentreConsent(Day(5));
  const v1::CaseCommand command = harness_.Command("counsellor", Day(6), R"pb(
    share_information {
      recipient_agency_id: "health-centre"
      purpose: SHARING_PURPOSE_HEALTH_CONSULTATION
      entry_ids: "e-assess"
    })pb");
  EXPECT_TRUE(EventsEqual(
      Expected(command, {R"pb(
                           information_shared {
                             recipient_agency_id: "health-centre"
                             purpose: SHARING_PURPOSE_HEALTH_CONSULTATION
                             items {
                               entry_id: "e-assess"
                               entry_version: 1
                               basis { consent { consent_ids: "k-hc" } }
                             }
                           })pb"}),
      harness_.When(command)));
  harness_.Given("counsellor", Day(6), R"pb(
    share_information {
      recipient_agency_id: "health-centre"
      purpose: SHARING_PURPOSE_HEALTH_CONSULTATION
      entry_ids: "e-assess"
    })pb");
  ASSERT_EQ(harness_.state().disclosures.size(), 1u);
  EXPECT_EQ(harness_.state().disclosures[0].actor.staff_id(), "counsellor");
}

TEST_F(SharingTest, SharingWithoutBasisIsPermissionDenied) {
  const v1::SharingDecision why =
      Share("e-assess", "health-centre", kHealthConsultation, Day(6));
  EXPECT_EQ(harness_
                .When("counsellor", Day(6), R"pb(
                  share_information {
                    recipient_agency_id: "health-centre"
                    purpose: SHARING_PURPOSE_HEALTH_CONSULTATION
                    entry_ids: "e-assess"
                  })pb")
                .status(),
            errors::SharingWithoutBasis("entry 'e-assess'", "health-centre",
                                        why.explanation()));
  EXPECT_EQ(harness_
                .When("counsellor", Day(6), R"pb(
                  share_information {
                    recipient_agency_id: "nursery"
                    purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
                    entry_ids: "e-statement"
                    emergency_id: "em-none"
                  })pb")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(SharingTest, ProvisionRefusalsForMalformedOrUnknownThings) {
  EXPECT_EQ(harness_
                .When("counsellor", Day(6), R"pb(
                  share_information {
                    recipient_agency_id: "health-centre"
                    entry_ids: "e-assess"
                  })pb")
                .status(),
            errors::InvalidEnum("purpose", 0));
  EXPECT_EQ(harness_
                .When("counsellor", Day(6), R"pb(
                  share_information {
                    recipient_agency_id: "nowhere"
                    purpose: SHARING_PURPOSE_OTHER
                    entry_ids: "e-assess"
                  })pb")
                .status(),
            errors::AgencyNotFound("nowhere"));
  EXPECT_EQ(harness_
                .When("counsellor", Day(6), R"pb(
                  share_information {
                    recipient_agency_id: "cgc"
                    purpose: SHARING_PURPOSE_OTHER
                    entry_ids: "e-none"
                  })pb")
                .status(),
            errors::EntryNotFound("e-none"));
}

TEST_F(SharingTest, ForumRegistrationRefusals) {
  EXPECT_EQ(harness_
                .When("cw", Day(4), R"pb(
                  register_statutory_forum {
                    forum {
                      forum_id: "f-yotai"
                      kind: FORUM_KIND_YOTAIKYO
                      name: "again"
                      member_agency_ids: "cgc"
                    }
                  })pb")
                .status(),
            errors::ForumAlreadyExists("f-yotai"));
  EXPECT_EQ(harness_
                .When("cw", Day(4), R"pb(
                  register_statutory_forum {
                    forum { forum_id: "f2" name: "x" member_agency_ids: "cgc" }
                  })pb")
                .status(),
            errors::InvalidEnum("forum.kind", 0));
  EXPECT_EQ(harness_
                .When("cw", Day(4), R"pb(
                  register_statutory_forum {
                    forum {
                      forum_id: "f2"
                      kind: FORUM_KIND_SHIEN_KAIGI
                      name: "x"
                      member_agency_ids: "nowhere"
                    }
                  })pb")
                .status(),
            errors::AgencyNotFound("nowhere"));
  EXPECT_EQ(
      harness_
          .When("cw", Day(4), R"pb(
            register_statutory_forum {
              forum { forum_id: "f2" kind: FORUM_KIND_SHIEN_KAIGI name: "x" }
            })pb")
          .status(),
      errors::MissingField("forum.member_agency_ids"));
}

// ---- Who may pass on and who may view (MayView, SenderAccess) -------------

class AccessRulesTest : public SharingTest {
 protected:
  ViewRequest Viewer(std::string agency, absl::Time at,
                     std::string forum = "") const {
    return ViewRequest{.agency_id = std::move(agency),
                       .purpose = kCoordination,
                       .at = at,
                       .forum_id = std::move(forum),
                       .auditor = false};
  }
  EntryAccess View(absl::string_view entry, const ViewRequest& viewer) const {
    return MayView(harness_.state(), Entry(entry), viewer);
  }
  v1::SharingDecision Send(absl::string_view entry, std::string sender,
                           std::string recipient, absl::Time at,
                           std::string forum = "") const {
    return MayShare(harness_.state(), Entry(entry),
                    SharingRequest{.sender_agency_id = std::move(sender),
                                   .recipient_agency_id = std::move(recipient),
                                   .purpose = kCoordination,
                                   .at = at,
                                   .forum_id = std::move(forum),
                                   .emergency_id = ""});
  }
};

TEST_F(AccessRulesTest, ASenderCannotReferWhatItMayNotSeeItself) {
  harness_.Given("cw", Day(4), R"pb(
    add_team_agency { agency_id: "nursery" reason: "son's nursery" })pb");
  // The nursery and the school are both members of the 支援会議, but the
  // daughter's statement is withheld from the nursery.
  const auto refused = harness_.When("nursery-teacher", Day(5), R"pb(
    make_referral {
      referral_id: "r-leak"
      to_agency_id: "jhs"
      subject_ids: "daughter"
      reason: "please watch her"
      urgency: REFERRAL_URGENCY_ROUTINE
      response_deadline { seconds: 1713430800 }
      purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
      categories: INFORMATION_CATEGORY_CHILD_REARING
      entry_ids: "e-statement"
      forum_id: "f-shien"
    })pb");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find(
                "'nursery' may not see entry 'e-statement'"),
            std::string::npos)
      << refused.status();
  EXPECT_EQ(
      Send("e-statement", "nursery", "jhs", Day(5), "f-shien").denial_reason(),
      v1::SHARING_DENIAL_REASON_SENDER_MAY_NOT_SEE);
}

TEST_F(AccessRulesTest, CitingAForumNeedsTheSendersMembership) {
  // city-mh recorded the assessment but is not a member of the 要対協 forum.
  const v1::SharingDecision outsider =
      Send("e-assess", "city-mh", "cgc", Day(5), "f-yotai");
  EXPECT_EQ(outsider.denial_reason(),
            v1::SHARING_DENIAL_REASON_NOT_FORUM_MEMBER);
  EXPECT_NE(outsider.explanation().find("sending agency 'city-mh'"),
            std::string::npos);
  // city-cfs took part in the interview and is a member.
  const v1::SharingDecision member =
      Send("e-statement", "city-cfs", "cgc", Day(5), "f-yotai");
  ASSERT_TRUE(member.allowed()) << member.explanation();
  EXPECT_EQ(member.basis().statutory_forum().forum_id(), "f-yotai");
}

TEST_F(AccessRulesTest, AProvisionShowsTheVersionProvidedUntilItIsWithheld) {
  GiveHealthCentreConsent(Day(5));
  harness_.Given("counsellor", Day(6), R"pb(
    share_information {
      recipient_agency_id: "health-centre"
      purpose: SHARING_PURPOSE_HEALTH_CONSULTATION
      entry_ids: "e-assess"
    })pb");
  // For its own coordination work no consent covers the health centre, but
  // what was provided to it is its to read.
  const EntryAccess provided =
      View("e-assess", Viewer("health-centre", Day(7)));
  ASSERT_TRUE(provided.allowed()) << provided.decision.explanation();
  EXPECT_EQ(provided.version, 1u);
  EXPECT_EQ(provided.decision.basis().provision().provided_by_agency_id(),
            "city-mh");
  EXPECT_EQ(
      provided.decision.basis().provision().provided_on().consent().consent_ids(
          0),
      "k-hc");

  // An amendment is not provided; the provided version stays readable.
  harness_.Given("counsellor", Day(8), R"pb(
    amend_entry {
      entry {
        entry_id: "e-assess"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        assessment {
          illness: ASSESSMENT_RATING_LOW
          urgency: ASSESSMENT_RATING_LOW
          case_ness: ASSESSMENT_RATING_LOW
          quick_response: ASSESSMENT_RATING_LOW
          suicidal_ideation: SUICIDAL_IDEATION_UNKNOWN
        }
      }
      reason: "reassessed"
    })pb");
  EXPECT_EQ(View("e-assess", Viewer("health-centre", Day(9))).version, 1u);

  // Withheld later: hidden from later views whatever was provided.
  harness_.Given("counsellor", Day(10), R"pb(
    amend_entry {
      entry {
        entry_id: "e-assess"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        confidentiality {
          withheld_from_agency_ids: "health-centre"
          reason: "the mother asked"
        }
        assessment {
          illness: ASSESSMENT_RATING_LOW
          urgency: ASSESSMENT_RATING_LOW
          case_ness: ASSESSMENT_RATING_LOW
          quick_response: ASSESSMENT_RATING_LOW
          suicidal_ideation: SUICIDAL_IDEATION_UNKNOWN
        }
      }
      reason: "withheld at the mother's request"
    })pb");
  const EntryAccess withheld =
      View("e-assess", Viewer("health-centre", Day(11)));
  EXPECT_FALSE(withheld.allowed());
  EXPECT_EQ(withheld.decision.denial_reason(),
            v1::SHARING_DENIAL_REASON_WITHHELD);
  EXPECT_EQ(withheld.version, 0u);
}

TEST_F(AccessRulesTest, AReceiverPassesOnOnlyWhatItWasGiven) {
  GiveHealthCentreConsent(Day(5));
  harness_.Given("counsellor", Day(6), R"pb(
    share_information {
      recipient_agency_id: "health-centre"
      purpose: SHARING_PURPOSE_HEALTH_CONSULTATION
      entry_ids: "e-assess"
    })pb");
  // Inside the 要対協 forum the health centre is no member; as a sender it
  // holds the assessment it was given, and never the statement.
  EXPECT_NE(
      Send("e-assess", "health-centre", "city-pa", Day(7)).denial_reason(),
      v1::SHARING_DENIAL_REASON_SENDER_MAY_NOT_SEE);
  EXPECT_EQ(
      Send("e-statement", "health-centre", "city-pa", Day(7)).denial_reason(),
      v1::SHARING_DENIAL_REASON_SENDER_MAY_NOT_SEE);
}

TEST_F(AccessRulesTest, AForumMemberReadsWhatWasProvidedInsideTheForum) {
  harness_.Given("support-worker", Day(5), R"pb(
    share_information {
      recipient_agency_id: "cgc"
      purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
      entry_ids: "e-statement"
      forum_id: "f-yotai"
    })pb");
  // The recipient reads it in its own view, forum or not.
  const EntryAccess recipient = View("e-statement", Viewer("cgc", Day(6)));
  ASSERT_TRUE(recipient.allowed()) << recipient.decision.explanation();
  EXPECT_TRUE(recipient.decision.basis().has_provision());
  // Another member reads it as the forum's member, and only so.
  const EntryAccess member =
      View("e-statement", Viewer("jhs", Day(6), "f-yotai"));
  ASSERT_TRUE(member.allowed()) << member.decision.explanation();
  EXPECT_EQ(member.decision.basis().statutory_forum().forum_id(), "f-yotai");
  EXPECT_FALSE(View("e-statement", Viewer("jhs", Day(6))).allowed());
  // A non-member naming the forum gets nothing.
  EXPECT_FALSE(
      View("e-statement", Viewer("city-pa", Day(6), "f-yotai")).allowed());
  // Entries never provided inside it stay hidden from members.
  EXPECT_FALSE(View("e-assess", Viewer("jhs", Day(6), "f-yotai")).allowed());
}

TEST_F(AccessRulesTest, AnAuditorSeesEverythingNotWithheldFromIt) {
  ViewRequest auditor = Viewer("police", Day(6));
  auditor.auditor = true;
  const EntryAccess seen = View("e-assess", auditor);
  ASSERT_TRUE(seen.allowed());
  EXPECT_EQ(seen.decision.basis().auditor().agency_id(), "police");
  ViewRequest withheld = Viewer("nursery", Day(6));
  withheld.auditor = true;
  EXPECT_EQ(View("e-statement", withheld).decision.denial_reason(),
            v1::SHARING_DENIAL_REASON_WITHHELD);
}

TEST_F(AccessRulesTest, TheWordsOfARefusalReachOnlyThoseWhoMaySeeThem) {
  harness_.Given("cw", Day(4), R"pb(
    refuse_consent {
      terms {
        consent_id: "k-refused"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "health-centre"
          purposes: SHARING_PURPOSE_HEALTH_CONSULTATION
          categories: INFORMATION_CATEGORY_MENTAL_HEALTH
        }
        form: CONSENT_FORM_VERBAL
        statement: "私は大丈夫です"
      }
    })pb");
  const ConsentState& refusal = *harness_.state().FindConsent("k-refused");
  EXPECT_EQ(MayViewStatement(harness_.state(), refusal,
                             Viewer("health-centre", Day(5)))
                .denial_reason(),
            v1::SHARING_DENIAL_REASON_REFUSED_AGENCY);
  EXPECT_TRUE(
      MayViewStatement(harness_.state(), refusal, Viewer("city-pa", Day(5)))
          .basis()
          .has_own_record());
  EXPECT_EQ(
      MayViewStatement(harness_.state(), refusal, Viewer("city-cfs", Day(5)))
          .denial_reason(),
      v1::SHARING_DENIAL_REASON_NO_CONSENT);
  ViewRequest auditor = Viewer("police", Day(5));
  auditor.auditor = true;
  EXPECT_TRUE(MayViewStatement(harness_.state(), refusal, auditor).allowed());
  // Nor does any denial quote them.
  EXPECT_EQ(Share("e-assess", "health-centre", kHealthConsultation, Day(5))
                .explanation()
                .find("私は大丈夫です"),
            std::string::npos);
}

}  // namespace
}  // namespace renkei::domain

// Test-only: case c1 with an individual case conference under 要対協 held,
// its decisions recorded, and (optionally) the support plan adopted.
#ifndef RENKEI_SERVICES_DOMAIN_TESTING_CONFERENCE_CASE_H_
#define RENKEI_SERVICES_DOMAIN_TESTING_CONFERENCE_CASE_H_

#include "absl/strings/string_view.h"
#include "services/domain/testing/fixtures.h"
#include "services/domain/testing/world.h"

namespace renkei::domain::testing {

// Case `case_id` opened by cw on day 0 (mother, daughter, son) with city-mh
// and city-cfs on the team, then registered 要支援 (a registered case's team
// changes need a conference decision).
inline void OpenStandardCase(World& world, absl::string_view case_id = "c1") {
  world.GivenCase(case_id, "cw", Day(0), R"pb(
    open_case {
      kind: CASE_KIND_HOUSEHOLD
      title: "母子世帯"
      intake {
        noticed_by_agency_id: "nursery"
        observation: "lateness, dirty clothes, alcohol on the mother's breath"
      }
      frameworks: FRAMEWORK_YOTAIKYO
      registration: REGISTRATION_NONE
    })pb");
  world.GivenCase(case_id, "cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "mother"
        display_name: "母"
        relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
      }
    })pb");
  world.GivenCase(case_id, "cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "daughter"
        display_name: "長女"
        relationship: RELATIONSHIP_CHILD
        guardian_subject_ids: "mother"
      }
    })pb");
  world.GivenCase(case_id, "cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "son"
        display_name: "長男"
        relationship: RELATIONSHIP_CHILD
        guardian_subject_ids: "mother"
      }
    })pb");
  world.GivenCase(case_id, "cw", Day(0),
                  R"pb(
                    add_team_agency {
                      agency_id: "city-mh"
                      reason: "mental-health concern"
                    })pb");
  world.GivenCase(case_id, "cw", Day(0), R"pb(
    add_team_agency { agency_id: "city-cfs" reason: "children's side" })pb");
  world.GivenCase(case_id, "cw", Day(0), R"pb(
    change_case_registration {
      registration: REGISTRATION_SUPPORT_NEEDED
      reason: "受理会議"
    })pb");
}

// Conference k1 on c1: scheduled by the counsellor on day 1 for day 3 (the
// coordinating body is city-cfs), held on day 3 by cw, counsellor and
// support-worker, each acknowledging confidentiality.
inline constexpr char kScheduleK1[] = R"pb(
  schedule_conference {
    type: CONFERENCE_TYPE_INDIVIDUAL_CASE
    basis: CONFERENCE_BASIS_YOTAIKYO
    title: "個別ケース検討会議"
    coordinating_agency_id: "city-cfs"
    scheduled_for { seconds: 1712134800 }  # day 2
    invitees { agency_id: "city-pa" }
    invitees { agency_id: "city-mh" staff_id: "counsellor" }
    invitees { agency_id: "jhs" }
    agenda_case_ids: "c1"
    agenda_items { item_id: "i1" title: "roles and leads" case_id: "c1" }
  })pb";

inline constexpr char kHoldK1[] = R"pb(
  hold_conference {
    attendance {
      staff_id: "cw"
      agency_id: "city-pa"
      acknowledged_confidentiality: true
    }
    attendance {
      staff_id: "counsellor"
      agency_id: "city-mh"
      acknowledged_confidentiality: true
    }
    attendance {
      staff_id: "support-worker"
      agency_id: "city-cfs"
      acknowledged_confidentiality: true
    }
  })pb";

// The plan: goals short/mid/long for the mother and the children; stages
// s-mother and s-children.
inline constexpr char kRevisePlan[] = R"pb(
  revise_support_plan {
    plan {
      goals {
        goal_id: "g-treatment"
        horizon: GOAL_HORIZON_SHORT
        description: "the mother starts treatment"
        subject_ids: "mother"
      }
      goals {
        goal_id: "g-routine"
        horizon: GOAL_HORIZON_MID
        description: "the children get to school and nursery on time"
        subject_ids: "daughter"
        subject_ids: "son"
      }
      goals {
        goal_id: "g-sober"
        horizon: GOAL_HORIZON_LONG
        description: "a sober, stable household"
      }
      stages {
        stage_id: "s-mother"
        title: "the mother's treatment"
        goal_ids: "g-treatment"
        goal_ids: "g-sober"
      }
      stages {
        stage_id: "s-children"
        title: "the children's daily life"
        goal_ids: "g-routine"
      }
      roles {
        agency_id: "city-mh"
        responsibility: "treatment"
        stage_id: "s-mother"
      }
      roles {
        agency_id: "city-cfs"
        responsibility: "children"
        stage_id: "s-children"
      }
    }
    decision { conference_id: "k1" decision_id: "d-plan" }
    reason: "first shared plan"
  })pb";

// c1 opened, k1 scheduled (day 1) and held (day 3) with decisions d-plan,
// d-lead-mother (city-mh, counsellor), d-lead-children (no lead named) and
// d-team-clinic (the clinic joins the team).
inline void HoldConferenceK1(World& world) {
  OpenStandardCase(world);
  world.GivenConference("k1", "counsellor", Day(1), kScheduleK1);
  world.GivenConference("k1", "counsellor", Day(3), kHoldK1);
  world.GivenConference("k1", "counsellor", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-plan"
        kind: DECISION_KIND_PLAN_REVISION
        case_id: "c1"
        text: "adopt the shared plan"
      }
    })pb");
  world.GivenConference("k1", "counsellor", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-lead-mother"
        kind: DECISION_KIND_LEAD_ASSIGNMENT
        case_id: "c1"
        stage_id: "s-mother"
        text: "the counsellor leads the mother's treatment"
        lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      }
    })pb");
  world.GivenConference("k1", "counsellor", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-lead-children"
        kind: DECISION_KIND_LEAD_ASSIGNMENT
        case_id: "c1"
        stage_id: "s-children"
        text: "the children's centre leads the children's stage"
      }
    })pb");
  world.GivenConference("k1", "counsellor", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-team-clinic"
        kind: DECISION_KIND_TEAM_CHANGE
        case_id: "c1"
        team_agency_id: "clinic"
        text: "the clinic joins the team for the mother's treatment"
      }
    })pb");
}

// HoldConferenceK1 and the plan adopted on day 4.
inline void AdoptPlan(World& world) {
  HoldConferenceK1(world);
  world.GivenCase("c1", "counsellor", Day(4), kRevisePlan);
}

}  // namespace renkei::domain::testing

#endif  // RENKEI_SERVICES_DOMAIN_TESTING_CONFERENCE_CASE_H_

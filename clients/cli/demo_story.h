// The acceptance story as data: the directory it needs and its commands, step
// by step, each an RPC and its domain command in protobuf JSON.
// Placeholders: ${counsellor} and ${counsellor2} (this run's counsellor, who
// rotates out, and her successor), ${case} (the case id) and ${run} (in ids of
// conferences and handovers, which are unique across cases).
#pragma once

#include <vector>

namespace renkei::cli {

struct DemoAgency {
  const char* id;
  const char* name;
  const char* kind;   // AgencyKind value name
  const char* scope;  // AgencyScope value name
};

struct DemoStaff {
  const char* id;  // may hold a placeholder
  const char* name;
  const char* profession;  // Profession value name
  const char* agency;
};

struct DemoStep {
  int story_step;  // 1..10 as in the domain's acceptance story; 11: rotation
  const char* staff;
  int day;  // days after 2024-04-01 09:00 UTC
  int hour;
  // "CaseService.OpenCase", or a method name alone ("ScheduleConference"),
  // found in whichever service has it.
  const char* method;
  const char* command_json;  // the request's `command`
  // The request field naming the aggregate and its value, e.g.
  // "conference_id=k-${run}"; unset or empty: case_id, the demo's case.
  const char* target = nullptr;
};

const std::vector<DemoAgency>& DemoAgencies();
const std::vector<DemoStaff>& DemoStaffMembers();

// One line per story step (index 0 is step 1).
const std::vector<const char*>& DemoStepTitles();

// Steps 1-9: the case, entries, consent and referrals.
const std::vector<DemoStep>& DemoCaseSteps();
// Step 10: the 要対協 individual case conference, the shared plan and the
// stage leads, then the practitioners' meetings that review the case.
const std::vector<DemoStep>& DemoConferenceSteps();
// Two years later: the counsellor moves post and hands over to a successor.
const std::vector<DemoStep>& DemoRotationSteps();

}  // namespace renkei::cli

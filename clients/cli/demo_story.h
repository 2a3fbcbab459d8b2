// The acceptance story as data: the directory it needs and its commands, step
// by step, each a service method and its domain command in protobuf JSON.
// Placeholders: ${cw} and ${cw2} (this run's caseworker and successor).
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
  const char* method;        // "CaseService.OpenCase"
  const char* command_json;  // the request's `command`
};

const std::vector<DemoAgency>& DemoAgencies();
const std::vector<DemoStaff>& DemoStaffMembers();

// One line per story step (index 0 is step 1).
const std::vector<const char*>& DemoStepTitles();

// Steps 1-9: the case, entries, consent and referrals.
const std::vector<DemoStep>& DemoCaseSteps();

}  // namespace renkei::cli

// Test-only helpers.
#include "services/domain/testing/fixtures.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/domain/case/decider.h"
#include "services/domain/time_util.h"

namespace renkei::domain::testing {
namespace {

struct AgencySpec {
  const char* id;
  const char* name;
  v1::AgencyKind kind;
  v1::AgencyScope scope;
};

struct StaffSpec {
  const char* id;
  v1::Profession profession;
  const char* agency;
};

void Apply(DirectoryState& state, const v1::DirectoryCommand& command) {
  StaffResponsibilities holds_nothing;
  holds_nothing.staff_id = command.record_staff_departure().staff_id();
  absl::StatusOr<std::vector<v1::DirectoryEvent>> events =
      Decide(state, command, holds_nothing);
  ASSERT_TRUE(events.ok()) << events.status() << "\n" << command.DebugString();
  for (const auto& event : *events) Evolve(state, event);
}

v1::DirectoryCommand AdminCommand(absl::Time at) {
  v1::DirectoryCommand command;
  *command.mutable_occurred_at() = Ts(at);
  command.mutable_actor()->set_staff_id("admin");
  command.mutable_actor()->set_agency_id("city-pa");
  return command;
}

}  // namespace

absl::Time Day(int days, int hours) {
  return absl::FromCivil(absl::CivilSecond(2024, 4, 1, 9, 0, 0),
                         absl::UTCTimeZone()) +
         absl::Hours(24 * days + hours);
}

google::protobuf::Timestamp Ts(absl::Time t) { return ToTimestamp(t); }

DirectoryState AdminOnlyDirectory() {
  v1::Agency agency;
  agency.set_agency_id("city-pa");
  agency.set_name("生活福祉課");
  agency.set_kind(v1::AGENCY_KIND_MUNICIPAL_DIVISION);
  agency.set_scope(v1::AGENCY_SCOPE_INTERNAL);
  agency.set_formality(v1::AGENCY_FORMALITY_FORMAL);
  v1::StaffMember admin;
  admin.set_staff_id("admin");
  admin.set_display_name("administrator");
  admin.set_profession(v1::PROFESSION_OTHER);
  admin.set_agency_id("city-pa");
  DirectoryState state;
  auto events = BootstrapAdministrator(state, agency, admin, Day(-20));
  EXPECT_TRUE(events.ok()) << events.status();
  if (events.ok()) {
    for (const auto& event : *events) Evolve(state, event);
  }
  return state;
}

DirectoryState StoryDirectory() {
  using v1::AgencyKind;
  constexpr auto kIn = v1::AGENCY_SCOPE_INTERNAL;
  constexpr auto kOut = v1::AGENCY_SCOPE_EXTERNAL;
  const AgencySpec agencies[] = {
      {"city-pa", "生活福祉課", v1::AGENCY_KIND_MUNICIPAL_DIVISION, kIn},
      {"city-mh", "障害福祉課 精神保健係", v1::AGENCY_KIND_MUNICIPAL_DIVISION,
       kIn},
      {"city-cfs", "子ども家庭支援課", v1::AGENCY_KIND_MUNICIPAL_DIVISION, kIn},
      {"nursery", "ひまわり保育園", v1::AGENCY_KIND_NURSERY, kOut},
      {"jhs", "第一中学校", v1::AGENCY_KIND_SCHOOL, kOut},
      {"health-centre", "保健所", v1::AGENCY_KIND_PUBLIC_HEALTH_CENTRE, kOut},
      {"cgc", "児童相談所", v1::AGENCY_KIND_CHILD_GUIDANCE_CENTRE, kOut},
      {"clinic", "精神科クリニック", v1::AGENCY_KIND_MEDICAL, kOut},
      {"home-nursing", "訪問看護ステーション", v1::AGENCY_KIND_HOME_NURSING,
       kOut},
      {"cso", "相談支援事業所", v1::AGENCY_KIND_CONSULTATION_SUPPORT_OFFICE,
       kOut},
      {"home-help", "ヘルパー事業所", v1::AGENCY_KIND_HOME_HELP_OFFICE, kOut},
      {"police", "警察署", v1::AGENCY_KIND_POLICE, kOut},
  };
  const StaffSpec staff[] = {
      {"cw", v1::PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER, "city-pa"},
      {"supervisor", v1::PROFESSION_CASEWORKER_SUPERVISOR, "city-pa"},
      {"former-cw", v1::PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER, "city-pa"},
      {"counsellor", v1::PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR,
       "city-mh"},
      {"support-worker", v1::PROFESSION_CHILD_FAMILY_SUPPORT_WORKER,
       "city-cfs"},
      {"nursery-teacher", v1::PROFESSION_NURSERY_TEACHER, "nursery"},
      {"teacher", v1::PROFESSION_TEACHER, "jhs"},
      {"hc-nurse", v1::PROFESSION_PUBLIC_HEALTH_NURSE, "health-centre"},
      {"hc-psychiatrist", v1::PROFESSION_PHYSICIAN, "health-centre"},
      {"cgc-worker", v1::PROFESSION_SOCIAL_WORKER, "cgc"},
      {"clinic-doctor", v1::PROFESSION_PHYSICIAN, "clinic"},
      {"nurse", v1::PROFESSION_NURSE, "home-nursing"},
      {"cso-specialist", v1::PROFESSION_CONSULTATION_SUPPORT_SPECIALIST, "cso"},
      {"helper", v1::PROFESSION_HOME_HELPER, "home-help"},
      {"officer", v1::PROFESSION_POLICE_OFFICER, "police"},
  };

  DirectoryState state = AdminOnlyDirectory();
  for (const AgencySpec& spec : agencies) {
    if (state.FindAgency(spec.id) != nullptr) continue;  // bootstrapped
    v1::DirectoryCommand command = AdminCommand(Day(-10));
    v1::Agency* agency = command.mutable_register_agency()->mutable_agency();
    agency->set_agency_id(spec.id);
    agency->set_name(spec.name);
    agency->set_kind(spec.kind);
    agency->set_scope(spec.scope);
    agency->set_formality(v1::AGENCY_FORMALITY_FORMAL);
    Apply(state, command);
  }
  for (const StaffSpec& spec : staff) {
    v1::DirectoryCommand command = AdminCommand(Day(-10));
    v1::StaffMember* member =
        command.mutable_register_staff_member()->mutable_staff();
    member->set_staff_id(spec.id);
    member->set_display_name(absl::StrCat("staff ", spec.id));
    member->set_profession(spec.profession);
    member->set_agency_id(spec.agency);
    Apply(state, command);
  }
  // 査察指導員 confirms self-serving consents: the directory's role.
  v1::DirectoryCommand supervisor = AdminCommand(Day(-10));
  supervisor.mutable_grant_staff_role()->set_staff_id("supervisor");
  supervisor.mutable_grant_staff_role()->set_role(v1::STAFF_ROLE_SUPERVISOR);
  supervisor.mutable_grant_staff_role()->set_reason("査察指導員");
  Apply(state, supervisor);
  v1::DirectoryCommand departure = AdminCommand(Day(-1));
  departure.mutable_record_staff_departure()->set_staff_id("former-cw");
  departure.mutable_record_staff_departure()->set_reason("personnel rotation");
  Apply(state, departure);
  return state;
}

CaseHarness::CaseHarness(DirectoryState directory, std::string case_id)
    : directory_(std::move(directory)), case_id_(std::move(case_id)) {}

v1::CaseCommand CaseHarness::Command(absl::string_view staff_id, absl::Time at,
                                     absl::string_view kind) const {
  v1::CaseCommand command = Parse<v1::CaseCommand>(kind);
  command.set_case_id(case_id_);
  *command.mutable_occurred_at() = Ts(at);
  command.mutable_actor()->set_staff_id(std::string(staff_id));
  const StaffRecord* staff = directory_.FindStaff(staff_id);
  command.mutable_actor()->set_agency_id(
      staff == nullptr ? "unknown-agency" : staff->staff.agency_id());
  return command;
}

absl::StatusOr<std::vector<v1::CaseEvent>> CaseHarness::When(
    const v1::CaseCommand& command) const {
  return Decide(state_, command, directory_);
}

absl::StatusOr<std::vector<v1::CaseEvent>> CaseHarness::When(
    absl::string_view staff_id, absl::Time at, absl::string_view kind) const {
  return When(Command(staff_id, at, kind));
}

void CaseHarness::Given(absl::string_view staff_id, absl::Time at,
                        absl::string_view kind) {
  absl::StatusOr<std::vector<v1::CaseEvent>> events = When(staff_id, at, kind);
  ASSERT_TRUE(events.ok()) << events.status() << "\nfor: " << kind;
  for (const v1::CaseEvent& event : *events) {
    Evolve(state_, event);
    history_.push_back(event);
  }
}

void CaseHarness::OpenStandardCase() {
  Given("cw", Day(0), R"pb(
    open_case {
      kind: CASE_KIND_HOUSEHOLD
      title: "母子世帯"
      intake {
        noticed_by_agency_id: "nursery"
        observation: "lateness, dirty clothes, alcohol on the mother's breath"
        relays { agency_id: "nursery" staff_id: "nursery-teacher" }
        relays { agency_id: "city-pa" staff_id: "cw" }
      }
      frameworks: FRAMEWORK_SHIEN_KAIGI
      registration: REGISTRATION_NONE
    })pb");
  Given("cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "mother"
        display_name: "母"
        relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
      }
    })pb");
  Given("cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "daughter"
        display_name: "長女"
        relationship: RELATIONSHIP_CHILD
        description: "junior-high school"
        guardian_subject_ids: "mother"
      }
    })pb");
  Given("cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "son"
        display_name: "長男"
        relationship: RELATIONSHIP_CHILD
        description: "nursery"
        guardian_subject_ids: "mother"
      }
    })pb");
  Given("cw", Day(0),
        R"pb(
          add_team_agency {
            agency_id: "city-mh"
            reason: "mental-health concern"
          })pb");
  Given("cw", Day(0), R"pb(
    add_team_agency { agency_id: "city-cfs" reason: "children's side" })pb");
}

std::vector<v1::CaseEvent> Expected(const v1::CaseCommand& command,
                                    const std::vector<std::string>& kinds) {
  std::vector<v1::CaseEvent> events;
  for (const std::string& kind : kinds) {
    v1::CaseEvent event = Parse<v1::CaseEvent>(kind);
    *event.mutable_occurred_at() = command.occurred_at();
    *event.mutable_actor() = command.actor();
    events.push_back(std::move(event));
  }
  return events;
}

::testing::AssertionResult ProtoEquals(
    const google::protobuf::Message& expected,
    const google::protobuf::Message& actual) {
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  if (differencer.Compare(expected, actual)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << diff;
}

::testing::AssertionResult EventsEqual(
    const std::vector<v1::CaseEvent>& expected,
    const absl::StatusOr<std::vector<v1::CaseEvent>>& actual) {
  if (!actual.ok()) {
    return ::testing::AssertionFailure() << "refused: " << actual.status();
  }
  if (expected.size() != actual->size()) {
    ::testing::AssertionResult failure = ::testing::AssertionFailure();
    failure << "expected " << expected.size() << " events, got "
            << actual->size() << ":\n";
    for (const auto& event : *actual) failure << event.DebugString() << "\n";
    return failure;
  }
  for (size_t i = 0; i < expected.size(); ++i) {
    ::testing::AssertionResult same = ProtoEquals(expected[i], (*actual)[i]);
    if (!same)
      return ::testing::AssertionFailure()
             << "event " << i << ": " << same.message();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace renkei::domain::testing

// Given/when/then tests of the directory decider.
#include "services/domain/directory/directory.h"

#include "gtest/gtest.h"
#include "services/domain/errors.h"
#include "services/domain/testing/fixtures.h"

namespace renkei::domain {
namespace {

using testing::Day;
using testing::Parse;
using testing::ProtoEquals;
using testing::StoryDirectory;
using testing::Ts;

v1::DirectoryCommand Command(absl::string_view staff_id, absl::Time at,
                             absl::string_view kind) {
  v1::DirectoryCommand command = Parse<v1::DirectoryCommand>(kind);
  *command.mutable_occurred_at() = Ts(at);
  command.mutable_actor()->set_staff_id(std::string(staff_id));
  command.mutable_actor()->set_agency_id("city-pa");
  return command;
}

// A departing staff member who holds nothing.
StaffResponsibilities HoldsNothing(absl::string_view staff_id) {
  StaffResponsibilities none;
  none.staff_id = std::string(staff_id);
  return none;
}

constexpr char kRegisterAa[] = R"pb(
  register_agency {
    agency {
      agency_id: "aa"
      name: "AA group"
      kind: AGENCY_KIND_SELF_HELP_GROUP
      scope: AGENCY_SCOPE_EXTERNAL
      formality: AGENCY_FORMALITY_INFORMAL
    }
  })pb";

TEST(DirectoryTest, RegisteringAnAgencyRecordsIt) {
  DirectoryState state = testing::AdminOnlyDirectory();
  const v1::DirectoryCommand command = Command("admin", Day(0), kRegisterAa);
  auto events = Decide(state, command);
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 1u);
  v1::DirectoryEvent expected = Parse<v1::DirectoryEvent>(R"pb(
    agency_registered {
      agency {
        agency_id: "aa"
        name: "AA group"
        kind: AGENCY_KIND_SELF_HELP_GROUP
        scope: AGENCY_SCOPE_EXTERNAL
        formality: AGENCY_FORMALITY_INFORMAL
      }
    })pb");
  *expected.mutable_occurred_at() = command.occurred_at();
  *expected.mutable_actor() = command.actor();
  EXPECT_TRUE(ProtoEquals(expected, (*events)[0]));

  Evolve(state, (*events)[0]);
  ASSERT_NE(state.FindAgency("aa"), nullptr);
  EXPECT_EQ(state.FindAgency("aa")->formality(), v1::AGENCY_FORMALITY_INFORMAL);
}

TEST(DirectoryTest, RegisteringAnAgencyTwiceIsRefused) {
  DirectoryState state = StoryDirectory();
  auto events = Decide(state, Command("admin", Day(0), R"pb(
                         register_agency {
                           agency {
                             agency_id: "nursery"
                             name: "again"
                             kind: AGENCY_KIND_NURSERY
                             scope: AGENCY_SCOPE_EXTERNAL
                             formality: AGENCY_FORMALITY_FORMAL
                           }
                         })pb"));
  EXPECT_EQ(events.status(), errors::AgencyAlreadyRegistered("nursery"));
}

TEST(DirectoryTest, UnspecifiedAgencyKindIsInvalid) {
  auto events =
      Decide(testing::AdminOnlyDirectory(), Command("admin", Day(0), R"pb(
               register_agency {
                 agency {
                   agency_id: "x"
                   name: "x"
                   scope: AGENCY_SCOPE_EXTERNAL
                   formality: AGENCY_FORMALITY_FORMAL
                 }
               })pb"));
  EXPECT_EQ(events.status(), errors::InvalidEnum("agency.kind", 0));
}

TEST(DirectoryTest, UnspecifiedScopeAndBadIdsAreInvalid) {
  auto no_scope =
      Decide(testing::AdminOnlyDirectory(), Command("admin", Day(0), R"pb(
               register_agency {
                 agency {
                   agency_id: "x"
                   name: "x"
                   kind: AGENCY_KIND_NPO
                   formality: AGENCY_FORMALITY_FORMAL
                 }
               })pb"));
  EXPECT_EQ(no_scope.status(), errors::InvalidEnum("agency.scope", 0));

  auto bad_id =
      Decide(testing::AdminOnlyDirectory(), Command("admin", Day(0), R"pb(
               register_agency {
                 agency {
                   agency_id: "has space"
                   name: "x"
                   kind: AGENCY_KIND_NPO
                   scope: AGENCY_SCOPE_EXTERNAL
                   formality: AGENCY_FORMALITY_FORMAL
                 }
               })pb"));
  EXPECT_EQ(bad_id.status(),
            errors::InvalidId("agency.agency_id", "has space"));
}

TEST(DirectoryTest, StaffJoinAnExistingAgency) {
  DirectoryState state = StoryDirectory();
  auto events = Decide(state, Command("admin", Day(2), R"pb(
                         register_staff_member {
                           staff {
                             staff_id: "new-nurse"
                             display_name: "新任保健師"
                             profession: PROFESSION_PUBLIC_HEALTH_NURSE
                             agency_id: "health-centre"
                           }
                         })pb"));
  ASSERT_TRUE(events.ok()) << events.status();
  for (const auto& event : *events) Evolve(state, event);
  const StaffRecord* staff = state.FindStaff("new-nurse");
  ASSERT_NE(staff, nullptr);
  EXPECT_EQ(staff->joined_at, Day(2));
  EXPECT_FALSE(staff->HasLeft());
  EXPECT_TRUE(state.RequireActiveStaffOf("new-nurse", "health-centre").ok());
}

TEST(DirectoryTest, StaffOfAnUnknownAgencyIsRefused) {
  auto events = Decide(StoryDirectory(), Command("admin", Day(2), R"pb(
                         register_staff_member {
                           staff {
                             staff_id: "x"
                             display_name: "x"
                             profession: PROFESSION_OTHER
                             agency_id: "nowhere"
                           }
                         })pb"));
  EXPECT_EQ(events.status(), errors::AgencyNotFound("nowhere"));
}

TEST(DirectoryTest, StaffRegisteredTwiceIsRefused) {
  auto events = Decide(StoryDirectory(), Command("admin", Day(2), R"pb(
                         register_staff_member {
                           staff {
                             staff_id: "cw"
                             display_name: "x"
                             profession: PROFESSION_OTHER
                             agency_id: "city-pa"
                           }
                         })pb"));
  EXPECT_EQ(events.status(), errors::StaffAlreadyRegistered("cw"));
}

TEST(DirectoryTest, UnspecifiedProfessionIsInvalid) {
  auto events =
      Decide(StoryDirectory(), Command("admin", Day(2), R"pb(
               register_staff_member {
                 staff { staff_id: "x" display_name: "x" agency_id: "city-pa" }
               })pb"));
  EXPECT_EQ(events.status(), errors::InvalidEnum("staff.profession", 0));
}

TEST(DirectoryTest, DepartureMakesAStaffMemberInactive) {
  DirectoryState state = StoryDirectory();
  auto events = Decide(state, Command("admin", Day(5), R"pb(
                         record_staff_departure {
                           staff_id: "cw"
                           reason: "personnel rotation"
                         })pb"),
                       HoldsNothing("cw"));
  ASSERT_TRUE(events.ok()) << events.status();
  for (const auto& event : *events) Evolve(state, event);
  const StaffRecord* cw = state.FindStaff("cw");
  ASSERT_NE(cw, nullptr);
  EXPECT_TRUE(cw->ActiveAt(Day(4)));
  EXPECT_FALSE(cw->ActiveAt(Day(5)));
  EXPECT_EQ(cw->leave_reason, "personnel rotation");
  EXPECT_EQ(state.RequireActiveStaff("cw"), errors::StaffHasLeft("cw"));
}

TEST(DirectoryTest, LeavingTwiceIsRefused) {
  auto events = Decide(
      StoryDirectory(), Command("admin", Day(5), R"pb(
        record_staff_departure { staff_id: "former-cw" reason: "again" })pb"),
      HoldsNothing("former-cw"));
  EXPECT_EQ(events.status(), errors::StaffHasLeft("former-cw"));
}

TEST(DirectoryTest, DepartureOfUnknownStaffIsRefused) {
  auto events =
      Decide(StoryDirectory(), Command("admin", Day(5), R"pb(
               record_staff_departure { staff_id: "ghost" reason: "x" })pb"),
             HoldsNothing("ghost"));
  EXPECT_EQ(events.status(), errors::StaffNotFound("ghost"));
}

TEST(DirectoryTest, DepartureNeedsAReason) {
  auto events = Decide(StoryDirectory(), Command("admin", Day(5), R"pb(
                         record_staff_departure { staff_id: "cw" })pb"),
                       HoldsNothing("cw"));
  EXPECT_EQ(events.status(), errors::MissingField("reason"));
}

TEST(DirectoryTest, ADepartureDecidedWithoutResponsibilitiesIsRefused) {
  const v1::DirectoryCommand command = Command("admin", Day(5), R"pb(
    record_staff_departure { staff_id: "cw" reason: "rotation" })pb");
  EXPECT_EQ(Decide(StoryDirectory(), command).status(),
            errors::DepartureUnchecked("cw"));
  EXPECT_EQ(
      Decide(StoryDirectory(), command, HoldsNothing("counsellor")).status(),
      errors::DepartureUnchecked("cw"));
}

TEST(DirectoryTest, AStaffMemberWhoHasLeftCannotAct) {
  auto events =
      Decide(StoryDirectory(), Command("former-cw", Day(5), kRegisterAa));
  EXPECT_EQ(events.status(), errors::StaffHasLeft("former-cw"));
}

TEST(DirectoryTest, CommandsNeedTimeActorAndContent) {
  v1::DirectoryCommand no_time = Command("admin", Day(0), kRegisterAa);
  no_time.clear_occurred_at();
  EXPECT_EQ(Decide(testing::AdminOnlyDirectory(), no_time).status(),
            errors::MissingField("occurred_at"));

  v1::DirectoryCommand no_actor = Command("admin", Day(0), kRegisterAa);
  no_actor.clear_actor();
  EXPECT_EQ(Decide(testing::AdminOnlyDirectory(), no_actor).status(),
            errors::MissingField("actor.staff_id"));

  v1::DirectoryCommand empty = Command("admin", Day(0), "");
  EXPECT_EQ(Decide(testing::AdminOnlyDirectory(), empty).status(),
            errors::EmptyCommand());
}

}  // namespace
}  // namespace renkei::domain

namespace renkei::domain {
namespace {

TEST(DirectoryRolesTest, OnlyAnActiveAdministratorChangesTheDirectory) {
  const DirectoryState state = StoryDirectory();
  // Given an unknown caller and a practitioner, when either registers an
  // agency, then it is refused and names the rule.
  EXPECT_EQ(Decide(state, Command("stranger", Day(0), kRegisterAa)).status(),
            errors::NotAdministrator("stranger"));
  v1::DirectoryCommand by_cw = Command("cw", Day(0), kRegisterAa);
  EXPECT_EQ(Decide(state, by_cw).status(), errors::NotAdministrator("cw"));
  // The administrator acting for another agency than their own is refused.
  v1::DirectoryCommand elsewhere = Command("admin", Day(0), kRegisterAa);
  elsewhere.mutable_actor()->set_agency_id("audit-office");
  EXPECT_EQ(Decide(state, elsewhere).status(),
            errors::NotAdministrator("admin"));
  EXPECT_TRUE(Decide(state, Command("admin", Day(0), kRegisterAa)).ok());
}

TEST(DirectoryRolesTest, RolesAreGrantedAndRevokedByAnAdministrator) {
  DirectoryState state = StoryDirectory();
  constexpr char kGrant[] = R"pb(
    grant_staff_role {
      staff_id: "cw"
      role: STAFF_ROLE_AUDITOR
      reason: "verification committee"
    })pb";
  EXPECT_EQ(Decide(state, Command("supervisor", Day(0), kGrant)).status(),
            errors::NotAdministrator("supervisor"));
  auto events = Decide(state, Command("admin", Day(0), kGrant));
  ASSERT_TRUE(events.ok()) << events.status();
  for (const auto& event : *events) Evolve(state, event);
  EXPECT_TRUE(state.HasRole("cw", v1::STAFF_ROLE_AUDITOR));
  EXPECT_EQ(Decide(state, Command("admin", Day(0), kGrant)).status(),
            errors::RoleAlreadyHeld("cw", v1::STAFF_ROLE_AUDITOR));
  events = Decide(state, Command("admin", Day(1), R"pb(
                    revoke_staff_role {
                      staff_id: "cw"
                      role: STAFF_ROLE_AUDITOR
                      reason: "committee ended"
                    })pb"));
  ASSERT_TRUE(events.ok()) << events.status();
  for (const auto& event : *events) Evolve(state, event);
  EXPECT_FALSE(state.HasRole("cw", v1::STAFF_ROLE_AUDITOR));
  // The last administrator keeps the role.
  EXPECT_EQ(Decide(state, Command("admin", Day(1), R"pb(
                     revoke_staff_role {
                       staff_id: "admin"
                       role: STAFF_ROLE_ADMINISTRATOR
                       reason: "x"
                     })pb"))
                .status(),
            errors::LastAdministrator("admin"));
  // Nor do they leave while they are the last one.
  v1::DirectoryCommand leaving = Command("admin", Day(1), R"pb(
    record_staff_departure { staff_id: "admin" reason: "retired" })pb");
  EXPECT_EQ(Decide(state, leaving, HoldsNothing("admin")).status(),
            errors::LastAdministrator("admin"));
  // A role of someone who has left is no role.
  EXPECT_FALSE(state.HasRole("former-cw", v1::STAFF_ROLE_SUPERVISOR));
  EXPECT_TRUE(state.IsSupervisor("supervisor"));
  EXPECT_FALSE(state.IsSupervisor("cw"));
}

TEST(DirectoryRolesTest, TheFirstAdministratorIsBootstrappedOnce) {
  const DirectoryState state = testing::AdminOnlyDirectory();
  EXPECT_TRUE(state.HasAdministrator());
  EXPECT_NE(state.FindAgency("city-pa"), nullptr);
  v1::Agency agency;
  agency.set_agency_id("it");
  v1::StaffMember admin;
  admin.set_staff_id("admin2");
  admin.set_agency_id("it");
  EXPECT_EQ(BootstrapAdministrator(state, agency, admin, Day(0)).status(),
            errors::AdministratorExists());
}

}  // namespace
}  // namespace renkei::domain

// The directory aggregate: evolve and decide.
#include "services/domain/directory/directory.h"

#include "services/domain/errors.h"
#include "services/domain/status_macros.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"

namespace renkei::domain {
namespace {

absl::Status ValidateAgency(const v1::Agency& agency) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("agency.agency_id", agency.agency_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("agency.name", agency.name()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("agency.kind", agency.kind(), &v1::AgencyKind_IsValid));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireEnum("agency.scope", agency.scope(), &v1::AgencyScope_IsValid));
  return RequireEnum("agency.formality", agency.formality(),
                     &v1::AgencyFormality_IsValid);
}

absl::Status ValidateStaff(const v1::StaffMember& staff) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("staff.staff_id", staff.staff_id()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      RequireText("staff.display_name", staff.display_name()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum(
      "staff.profession", staff.profession(), &v1::Profession_IsValid));
  return ValidateId("staff.agency_id", staff.agency_id());
}

absl::Status ValidateEnvelope(const v1::DirectoryCommand& command) {
  if (command.kind_case() == v1::DirectoryCommand::KIND_NOT_SET) {
    return errors::EmptyCommand();
  }
  if (!command.has_occurred_at()) return errors::MissingField("occurred_at");
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateTimestamp("occurred_at", command.occurred_at()));
  RENKEI_DOMAIN_RETURN_IF_ERROR(
      ValidateId("actor.staff_id", command.actor().staff_id()));
  return ValidateId("actor.agency_id", command.actor().agency_id());
}

}  // namespace

bool StaffRecord::ActiveAt(absl::Time t) const {
  return joined_at <= t && (!left_at.has_value() || t < *left_at);
}

const v1::Agency* DirectoryState::FindAgency(
    absl::string_view agency_id) const {
  auto it = agencies.find(agency_id);
  return it == agencies.end() ? nullptr : &it->second;
}

const StaffRecord* DirectoryState::FindStaff(absl::string_view staff_id) const {
  auto it = staff.find(staff_id);
  return it == staff.end() ? nullptr : &it->second;
}

absl::Status DirectoryState::RequireAgency(absl::string_view agency_id) const {
  if (FindAgency(agency_id) == nullptr)
    return errors::AgencyNotFound(agency_id);
  return absl::OkStatus();
}

absl::Status DirectoryState::RequireActiveStaff(
    absl::string_view staff_id) const {
  const StaffRecord* record = FindStaff(staff_id);
  if (record == nullptr) return errors::StaffNotFound(staff_id);
  if (record->HasLeft()) return errors::StaffHasLeft(staff_id);
  return absl::OkStatus();
}

absl::Status DirectoryState::RequireActiveStaffOf(
    absl::string_view staff_id, absl::string_view agency_id) const {
  RENKEI_DOMAIN_RETURN_IF_ERROR(RequireActiveStaff(staff_id));
  if (FindStaff(staff_id)->staff.agency_id() != agency_id) {
    return errors::StaffNotInAgency(staff_id, agency_id);
  }
  return absl::OkStatus();
}

absl::string_view DirectoryState::CoordinatingBodyOf(
    v1::Framework framework) const {
  auto it = coordinating_bodies.find(framework);
  if (it == coordinating_bodies.end()) return {};
  return it->second.agency_id;
}

bool DirectoryState::Coordinates(absl::string_view agency_id,
                                 v1::Framework framework) const {
  return !agency_id.empty() && CoordinatingBodyOf(framework) == agency_id;
}

bool DirectoryState::HasRole(absl::string_view staff_id,
                             v1::StaffRole role) const {
  const StaffRecord* record = FindStaff(staff_id);
  return record != nullptr && !record->HasLeft() &&
         record->roles.contains(role);
}

bool DirectoryState::IsSupervisor(absl::string_view staff_id) const {
  return HasRole(staff_id, v1::STAFF_ROLE_SUPERVISOR);
}

int DirectoryState::ActiveAdministrators() const {
  int administrators = 0;
  for (const auto& [id, record] : staff) {
    administrators += !record.HasLeft() &&
                      record.roles.contains(v1::STAFF_ROLE_ADMINISTRATOR);
  }
  return administrators;
}

bool DirectoryState::HasAdministrator() const {
  return ActiveAdministrators() > 0;
}

void Evolve(DirectoryState& state, const v1::DirectoryEvent& event) {
  const absl::Time at = ToTime(event.occurred_at());
  switch (event.kind_case()) {
    case v1::DirectoryEvent::kRetentionRuleSet: {
      const v1::RetentionRule& rule = event.retention_rule_set().rule();
      state.retention_rules[rule.rule_id()] = rule;
      break;
    }
    case v1::DirectoryEvent::kAgencyRegistered: {
      const v1::Agency& agency = event.agency_registered().agency();
      state.agencies[agency.agency_id()] = agency;
      break;
    }
    case v1::DirectoryEvent::kStaffMemberRegistered: {
      const v1::StaffMember& staff = event.staff_member_registered().staff();
      StaffRecord& record = state.staff[staff.staff_id()];
      record.staff = staff;
      record.joined_at = at;
      break;
    }
    case v1::DirectoryEvent::kStaffMemberLeft: {
      auto it = state.staff.find(event.staff_member_left().staff_id());
      if (it == state.staff.end()) break;
      it->second.left_at = at;
      it->second.leave_reason = event.staff_member_left().reason();
      break;
    }
    case v1::DirectoryEvent::kStaffRoleGranted: {
      auto it = state.staff.find(event.staff_role_granted().staff_id());
      if (it != state.staff.end()) {
        it->second.roles.insert(event.staff_role_granted().role());
      }
      break;
    }
    case v1::DirectoryEvent::kStaffRoleRevoked: {
      auto it = state.staff.find(event.staff_role_revoked().staff_id());
      if (it != state.staff.end()) {
        it->second.roles.erase(event.staff_role_revoked().role());
      }
      break;
    }
    case v1::DirectoryEvent::kCoordinatingBodyDesignated: {
      const auto& designated = event.coordinating_body_designated();
      state.coordinating_bodies[designated.framework()] = CoordinatingBody{
          designated.agency_id(), designated.review_interval_days()};
      break;
    }
    case v1::DirectoryEvent::KIND_NOT_SET:
      break;
  }
}

bool SameResponsibility(const v1::Responsibility& a,
                        const v1::Responsibility& b) {
  return a.kind() == b.kind() && a.stream_id() == b.stream_id() &&
         a.ref_id() == b.ref_id();
}

absl::StatusOr<std::vector<v1::DirectoryEvent>> BootstrapAdministrator(
    const DirectoryState& state, const v1::Agency& agency,
    const v1::StaffMember& admin, absl::Time at) {
  if (state.HasAdministrator()) return errors::AdministratorExists();
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateStaff(admin));
  if (admin.agency_id() != agency.agency_id()) {
    return errors::InvalidField("staff.agency_id",
                                "must be the bootstrapped agency.");
  }
  if (state.FindStaff(admin.staff_id()) != nullptr) {
    return errors::StaffAlreadyRegistered(admin.staff_id());
  }
  std::vector<v1::DirectoryEvent> events;
  auto next = [&] {
    v1::DirectoryEvent event;
    *event.mutable_occurred_at() = ToTimestamp(at);
    event.mutable_actor()->set_staff_id(admin.staff_id());
    event.mutable_actor()->set_agency_id(agency.agency_id());
    return event;
  };
  if (state.FindAgency(agency.agency_id()) == nullptr) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateAgency(agency));
    v1::DirectoryEvent registered = next();
    *registered.mutable_agency_registered()->mutable_agency() = agency;
    events.push_back(std::move(registered));
  }
  v1::DirectoryEvent staff = next();
  *staff.mutable_staff_member_registered()->mutable_staff() = admin;
  events.push_back(std::move(staff));
  v1::DirectoryEvent role = next();
  role.mutable_staff_role_granted()->set_staff_id(admin.staff_id());
  role.mutable_staff_role_granted()->set_role(v1::STAFF_ROLE_ADMINISTRATOR);
  role.mutable_staff_role_granted()->set_reason(
      "first administrator, created on the server machine");
  events.push_back(std::move(role));
  return events;
}

absl::StatusOr<std::vector<v1::DirectoryEvent>> Decide(
    const DirectoryState& state, const v1::DirectoryCommand& command) {
  if (command.kind_case() == v1::DirectoryCommand::kRecordStaffDeparture) {
    RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateEnvelope(command));
    return errors::DepartureUnchecked(
        command.record_staff_departure().staff_id());
  }
  return Decide(state, command, StaffResponsibilities{});
}

absl::StatusOr<std::vector<v1::DirectoryEvent>> Decide(
    const DirectoryState& state, const v1::DirectoryCommand& command,
    const StaffResponsibilities& departing) {
  RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateEnvelope(command));
  v1::DirectoryEvent event;
  *event.mutable_occurred_at() = command.occurred_at();
  *event.mutable_actor() = command.actor();

  switch (command.kind_case()) {
    case v1::DirectoryCommand::kRegisterAgency: {
      const v1::Agency& agency = command.register_agency().agency();
      RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateAgency(agency));
      break;
    }
    case v1::DirectoryCommand::kRegisterStaffMember:
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateStaff(command.register_staff_member().staff()));
      break;
    case v1::DirectoryCommand::kRecordStaffDeparture: {
      const auto& departure = command.record_staff_departure();
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateId("staff_id", departure.staff_id()));
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireText("reason", departure.reason()));
      break;
    }
    case v1::DirectoryCommand::kGrantStaffRole:
    case v1::DirectoryCommand::kRevokeStaffRole: {
      const bool grant = command.has_grant_staff_role();
      const std::string& staff_id =
          grant ? command.grant_staff_role().staff_id()
                : command.revoke_staff_role().staff_id();
      const v1::StaffRole role = grant ? command.grant_staff_role().role()
                                       : command.revoke_staff_role().role();
      RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("staff_id", staff_id));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          RequireEnum("role", role, &v1::StaffRole_IsValid));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          RequireText("reason", grant ? command.grant_staff_role().reason()
                                      : command.revoke_staff_role().reason()));
      break;
    }
    case v1::DirectoryCommand::kDesignateCoordinatingBody: {
      const auto& designate = command.designate_coordinating_body();
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum(
          "framework", designate.framework(), &v1::Framework_IsValid));
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          ValidateId("agency_id", designate.agency_id()));
      if (designate.review_interval_days() < 0 ||
          designate.review_interval_days() > 366) {
        return errors::InvalidField("review_interval_days",
                                    "must be between 0 (the server default) "
                                    "and 366 days.");
      }
      break;
    }
    case v1::DirectoryCommand::kSetRetentionRule: {
      const v1::RetentionRule& rule = command.set_retention_rule().rule();
      RENKEI_DOMAIN_RETURN_IF_ERROR(ValidateId("rule.rule_id", rule.rule_id()));
      RENKEI_DOMAIN_RETURN_IF_ERROR(RequireEnum(
          "rule.framework", rule.framework(), &v1::Framework_IsValid));
      if (rule.case_kind() != v1::CASE_KIND_UNSPECIFIED &&
          !v1::CaseKind_IsValid(rule.case_kind())) {
        return errors::InvalidEnum("rule.case_kind", rule.case_kind());
      }
      const int kinds = (rule.years_after_closure() > 0) +
                        (rule.until_child_age() > 0) + rule.permanent();
      if (kinds != 1 || rule.years_after_closure() < 0 ||
          rule.years_after_closure() > 100 || rule.until_child_age() < 0 ||
          rule.until_child_age() > 100) {
        return errors::InvalidField(
            "rule",
            "must set exactly one of years_after_closure (1..100), "
            "until_child_age (1..100) or permanent.");
      }
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          RequireText("reason", command.set_retention_rule().reason()));
      break;
    }
    case v1::DirectoryCommand::KIND_NOT_SET:
      return errors::EmptyCommand();
  }

  // Only an active administrator, acting for their own agency, changes the
  // directory.
  if (const StaffRecord* actor = state.FindStaff(command.actor().staff_id());
      actor != nullptr && actor->HasLeft()) {
    return errors::StaffHasLeft(command.actor().staff_id());
  }
  if (!state.HasRole(command.actor().staff_id(),
                     v1::STAFF_ROLE_ADMINISTRATOR) ||
      state.FindStaff(command.actor().staff_id())->staff.agency_id() !=
          command.actor().agency_id()) {
    return errors::NotAdministrator(command.actor().staff_id());
  }

  switch (command.kind_case()) {
    case v1::DirectoryCommand::kRegisterAgency: {
      const v1::Agency& agency = command.register_agency().agency();
      if (state.FindAgency(agency.agency_id()) != nullptr) {
        return errors::AgencyAlreadyRegistered(agency.agency_id());
      }
      *event.mutable_agency_registered()->mutable_agency() = agency;
      break;
    }
    case v1::DirectoryCommand::kRegisterStaffMember: {
      const v1::StaffMember& staff = command.register_staff_member().staff();
      if (state.FindStaff(staff.staff_id()) != nullptr) {
        return errors::StaffAlreadyRegistered(staff.staff_id());
      }
      RENKEI_DOMAIN_RETURN_IF_ERROR(state.RequireAgency(staff.agency_id()));
      *event.mutable_staff_member_registered()->mutable_staff() = staff;
      break;
    }
    case v1::DirectoryCommand::kRecordStaffDeparture: {
      const auto& departure = command.record_staff_departure();
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          state.RequireActiveStaff(departure.staff_id()));
      if (state.HasRole(departure.staff_id(), v1::STAFF_ROLE_ADMINISTRATOR)) {
        if (state.ActiveAdministrators() == 1) {
          return errors::LastAdministrator(departure.staff_id());
        }
      }
      if (departing.staff_id != departure.staff_id()) {
        return errors::DepartureUnchecked(departure.staff_id());
      }
      std::vector<std::string> held;
      for (const v1::Responsibility& open : departing.open) {
        bool covered = false;
        for (const v1::Responsibility& moved : departing.covered) {
          covered = covered || SameResponsibility(open, moved);
        }
        if (!covered) held.push_back(open.description());
      }
      if (!held.empty()) {
        return errors::StaffHoldsResponsibilities(departure.staff_id(), held);
      }
      auto* left = event.mutable_staff_member_left();
      left->set_staff_id(departure.staff_id());
      left->set_reason(departure.reason());
      break;
    }
    case v1::DirectoryCommand::kGrantStaffRole: {
      const auto& grant = command.grant_staff_role();
      RENKEI_DOMAIN_RETURN_IF_ERROR(state.RequireActiveStaff(grant.staff_id()));
      if (state.HasRole(grant.staff_id(), grant.role())) {
        return errors::RoleAlreadyHeld(grant.staff_id(), grant.role());
      }
      *event.mutable_staff_role_granted() = [&grant] {
        v1::StaffRoleGranted granted;
        granted.set_staff_id(grant.staff_id());
        granted.set_role(grant.role());
        granted.set_reason(grant.reason());
        return granted;
      }();
      break;
    }
    case v1::DirectoryCommand::kRevokeStaffRole: {
      const auto& revoke = command.revoke_staff_role();
      RENKEI_DOMAIN_RETURN_IF_ERROR(
          state.RequireActiveStaff(revoke.staff_id()));
      if (!state.HasRole(revoke.staff_id(), revoke.role())) {
        return errors::RoleNotHeld(revoke.staff_id(), revoke.role());
      }
      if (revoke.role() == v1::STAFF_ROLE_ADMINISTRATOR) {
        if (state.ActiveAdministrators() == 1) {
          return errors::LastAdministrator(revoke.staff_id());
        }
      }
      auto* revoked = event.mutable_staff_role_revoked();
      revoked->set_staff_id(revoke.staff_id());
      revoked->set_role(revoke.role());
      revoked->set_reason(revoke.reason());
      break;
    }
    case v1::DirectoryCommand::kDesignateCoordinatingBody: {
      const auto& designate = command.designate_coordinating_body();
      RENKEI_DOMAIN_RETURN_IF_ERROR(state.RequireAgency(designate.agency_id()));
      auto* designated = event.mutable_coordinating_body_designated();
      designated->set_framework(designate.framework());
      designated->set_agency_id(designate.agency_id());
      designated->set_review_interval_days(designate.review_interval_days());
      break;
    }
    case v1::DirectoryCommand::kSetRetentionRule: {
      auto* set = event.mutable_retention_rule_set();
      *set->mutable_rule() = command.set_retention_rule().rule();
      set->set_reason(command.set_retention_rule().reason());
      break;
    }
    case v1::DirectoryCommand::KIND_NOT_SET:
      return errors::EmptyCommand();
  }
  return std::vector<v1::DirectoryEvent>{std::move(event)};
}

}  // namespace renkei::domain

// The directory aggregate (stream "directory"): agencies and staff members.
// Other deciders read it as context to check who may act and be named.
// Plain values: no internal synchronisation.
#ifndef RENKEI_SERVICES_DOMAIN_DIRECTORY_DIRECTORY_H_
#define RENKEI_SERVICES_DOMAIN_DIRECTORY_DIRECTORY_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "renkei/v1/directory.pb.h"
#include "renkei/v1/responsibility.pb.h"

namespace renkei::domain {

struct StaffRecord {
  v1::StaffMember staff;
  absl::Time joined_at;
  std::optional<absl::Time> left_at;
  std::string leave_reason;
  std::set<v1::StaffRole> roles;

  [[nodiscard]] bool HasLeft() const { return left_at.has_value(); }
  // Joined at or before `t` and not yet left at `t`.
  [[nodiscard]] bool ActiveAt(absl::Time t) const;
};

struct CoordinatingBody {
  std::string agency_id;
  int32_t review_interval_days = 0;  // 0: the server default
};

struct DirectoryState {
  std::map<std::string, v1::Agency, std::less<>> agencies;
  std::map<std::string, StaffRecord, std::less<>> staff;
  // The coordinating body (調整機関) designated per framework.
  std::map<v1::Framework, CoordinatingBody> coordinating_bodies;
  // The retention schedule, by rule id.
  std::map<std::string, v1::RetentionRule, std::less<>> retention_rules;

  // The agency designated for `framework`, or empty.
  [[nodiscard]] absl::string_view CoordinatingBodyOf(
      v1::Framework framework) const;
  // Whether `agency_id` is the coordinating body of `framework`.
  [[nodiscard]] bool Coordinates(absl::string_view agency_id,
                                 v1::Framework framework) const;
  // Active and holding `role`.
  [[nodiscard]] bool HasRole(absl::string_view staff_id,
                             v1::StaffRole role) const;
  // An active supervisor (査察指導員, 統括支援員): the directory role.
  [[nodiscard]] bool IsSupervisor(absl::string_view staff_id) const;
  // Whether any active staff member is an administrator.
  [[nodiscard]] bool HasAdministrator() const;
  [[nodiscard]] int ActiveAdministrators() const;

  // nullptr when unknown.
  [[nodiscard]] const v1::Agency* FindAgency(absl::string_view agency_id) const;
  [[nodiscard]] const StaffRecord* FindStaff(absl::string_view staff_id) const;

  // NOT_FOUND when the agency is not registered.
  [[nodiscard]] absl::Status RequireAgency(absl::string_view agency_id) const;
  // NOT_FOUND when unknown; FAILED_PRECONDITION when the staff member has left
  // (a staff member who has left can be given nothing new).
  [[nodiscard]] absl::Status RequireActiveStaff(
      absl::string_view staff_id) const;
  // RequireActiveStaff, and the staff member works for `agency_id`.
  [[nodiscard]] absl::Status RequireActiveStaffOf(
      absl::string_view staff_id, absl::string_view agency_id) const;
};

// What a staff member still holds across cases and conferences, as the
// caller found it (handover/responsibilities.h: ResponsibilitiesForDeparture).
struct StaffResponsibilities {
  std::string staff_id;
  // Leads, open action items and pending referrals held now.
  std::vector<v1::Responsibility> open;
  // Listed as moved by a completed handover from this staff member.
  std::vector<v1::Responsibility> covered;
};

// Same kind, stream and item.
[[nodiscard]] bool SameResponsibility(const v1::Responsibility& a,
                                      const v1::Responsibility& b);

// Applies one event. Total: an event is a fact and is never refused.
void Evolve(DirectoryState& state, const v1::DirectoryEvent& event);

// The events a directory command produces, or why it is refused. The actor
// must be an active administrator of the directory (PERMISSION_DENIED
// otherwise; the first one comes from BootstrapAdministrator).
// `departing` is read for RecordStaffDeparture only and must be about that
// staff member: the departure is refused, listing each of them, while they
// hold an open responsibility no completed handover covers.
[[nodiscard]] absl::StatusOr<std::vector<v1::DirectoryEvent>> Decide(
    const DirectoryState& state, const v1::DirectoryCommand& command,
    const StaffResponsibilities& departing);

// The first administrator, created offline on the server machine (never by a
// call): registers `agency` unless it exists, `admin` in it, and grants them
// the administrator role at `at`. FAILED_PRECONDITION once the directory has
// an administrator.
[[nodiscard]] absl::StatusOr<std::vector<v1::DirectoryEvent>>
BootstrapAdministrator(const DirectoryState& state, const v1::Agency& agency,
                       const v1::StaffMember& admin, absl::Time at);

// As above for commands that need no responsibilities; a RecordStaffDeparture
// is refused (FAILED_PRECONDITION) because nothing was checked.
[[nodiscard]] absl::StatusOr<std::vector<v1::DirectoryEvent>> Decide(
    const DirectoryState& state, const v1::DirectoryCommand& command);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_DIRECTORY_DIRECTORY_H_

// Internal to the case decider: the command being decided with its checks,
// and the per-area deciders it dispatches to.
#ifndef RENKEI_SERVICES_DOMAIN_CASE_DECIDE_CONTEXT_H_
#define RENKEI_SERVICES_DOMAIN_CASE_DECIDE_CONTEXT_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_field.h"
#include "renkei/v1/case.pb.h"
#include "services/domain/case/case_state.h"
#include "services/domain/conference/conference_state.h"
#include "services/domain/directory/directory.h"
#include "services/domain/lookup.h"

namespace renkei::domain::internal {

using Events = std::vector<v1::CaseEvent>;

class DecideContext {
 public:
  // REQUIRES: command has a valid occurred_at (the decider checks it first).
  DecideContext(const CaseState& state, const v1::CaseCommand& command,
                const DirectoryState& directory, const AggregateLookup& lookup);

  const CaseState& state() const { return state_; }
  const DirectoryState& directory() const { return directory_; }
  const AggregateLookup& lookup() const { return lookup_; }
  const v1::CaseCommand& command() const { return command_; }
  const v1::Actor& actor() const { return command_.actor(); }
  // Business time (the command's occurred_at).
  absl::Time at() const { return at_; }
  // The server's time of the decision: sharing and authority use it.
  absl::Time decided_at() const { return decided_at_; }

  // An event stamped with the command's occurred_at and actor.
  v1::CaseEvent NewEvent() const;

  // NOT_FOUND unless the case has been opened (INVALID_ARGUMENT if the state
  // belongs to another case).
  [[nodiscard]] absl::Status RequireCase() const;
  // RequireCase, and FAILED_PRECONDITION if the case is closed.
  [[nodiscard]] absl::Status RequireOpenCase() const;
  // The actor is an active staff member of the actor's agency.
  [[nodiscard]] absl::Status RequireActor() const;
  // RequireActor, and the actor's agency is on the support team now.
  [[nodiscard]] absl::Status RequireActorOnTeam() const;
  // RequireOpenCase and RequireActorOnTeam: what most commands need.
  [[nodiscard]] absl::Status RequireTeamMemberOnOpenCase() const;
  [[nodiscard]] absl::Status RequireSubject(absl::string_view subject_id) const;
  [[nodiscard]] absl::Status RequireSubjects(
      const google::protobuf::RepeatedPtrField<std::string>& subject_ids) const;
  [[nodiscard]] absl::Status RequireAgencies(
      const google::protobuf::RepeatedPtrField<std::string>& agency_ids) const;

  // The decision `ref` names, checked: the conference exists, was held, is
  // not cancelled or anonymised; the decision exists, is about this case, was
  // made by the command's time and is of one of `kinds` (`needed` words them
  // for the refusal, e.g. "a plan revision").
  [[nodiscard]] absl::StatusOr<const DecisionState*> RequireDecision(
      const v1::DecisionRef& ref, std::initializer_list<v1::DecisionKind> kinds,
      absl::string_view needed) const;
  // RequireDecision, and the conference may change this case
  // (authority/authority.h: RequireGoverningConference).
  [[nodiscard]] absl::StatusOr<const DecisionState*> RequireGoverningDecision(
      const v1::DecisionRef& ref, v1::DecisionKind kind,
      absl::string_view needed) const;
  // The handover moves work from `from_staff_id` to `to_staff_id` and its
  // packet has been acknowledged (see handover/decider.h).
  [[nodiscard]] absl::Status RequireHandoverMove(
      absl::string_view handover_id, absl::string_view from_staff_id,
      absl::string_view to_staff_id) const;

 private:
  const CaseState& state_;
  const v1::CaseCommand& command_;
  const DirectoryState& directory_;
  const AggregateLookup& lookup_;
  absl::Time at_;
  absl::Time decided_at_;
};

// A decision reference is given when its conference id is set.
[[nodiscard]] inline bool HasDecision(const v1::DecisionRef& ref) {
  return !ref.conference_id().empty() || !ref.decision_id().empty();
}

// Per-area deciders; each handles the command kinds of its area.
[[nodiscard]] absl::StatusOr<Events> DecideCaseLifecycle(
    const DecideContext& ctx);
[[nodiscard]] absl::StatusOr<Events> DecideEntry(const DecideContext& ctx);
[[nodiscard]] absl::StatusOr<Events> DecideConsent(const DecideContext& ctx);
[[nodiscard]] absl::StatusOr<Events> DecideSharing(const DecideContext& ctx);
[[nodiscard]] absl::StatusOr<Events> DecideDisclosure(const DecideContext& ctx);
[[nodiscard]] absl::StatusOr<Events> DecideReferral(const DecideContext& ctx);
[[nodiscard]] absl::StatusOr<Events> DecidePlan(const DecideContext& ctx);
[[nodiscard]] absl::StatusOr<Events> DecideStageLead(const DecideContext& ctx);
[[nodiscard]] absl::StatusOr<Events> DecidePrivacy(const DecideContext& ctx);

// StageLeadEnded events for every stage with a lead at the command's time,
// with `reason` (a case closing or moving away ends its leads).
[[nodiscard]] Events EndAllLeads(const DecideContext& ctx,
                                 absl::string_view reason);

}  // namespace renkei::domain::internal

#endif  // RENKEI_SERVICES_DOMAIN_CASE_DECIDE_CONTEXT_H_

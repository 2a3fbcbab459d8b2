// Read-only access to other aggregates' states that a decider may consult:
// a case command citing a conference decision or a handover, a conference
// putting cases on its agenda. The caller (the server) loads them; deciders
// never write through it.
#ifndef RENKEI_SERVICES_DOMAIN_LOOKUP_H_
#define RENKEI_SERVICES_DOMAIN_LOOKUP_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/conference.pb.h"

namespace renkei::domain {

struct CaseState;
struct ConferenceState;
struct HandoverState;

// Each function returns nullptr for an aggregate that does not exist; an
// unset function finds nothing. Pointers are valid for the decision only.
struct AggregateLookup {
  std::function<const CaseState*(absl::string_view case_id)> case_state;
  std::function<const ConferenceState*(absl::string_view conference_id)>
      conference;
  std::function<const HandoverState*(absl::string_view handover_id)> handover;

  [[nodiscard]] const CaseState* FindCase(absl::string_view id) const {
    return case_state ? case_state(id) : nullptr;
  }
  [[nodiscard]] const ConferenceState* FindConference(
      absl::string_view id) const {
    return conference ? conference(id) : nullptr;
  }
  [[nodiscard]] const HandoverState* FindHandover(absl::string_view id) const {
    return handover ? handover(id) : nullptr;
  }
};

// The states a query or a handover reads: the cases and conferences a staff
// member is involved in (or all of them). Pointers owned by the caller.
struct Caseload {
  std::vector<const CaseState*> cases;
  std::vector<const ConferenceState*> conferences;
};

// The streams (other than its own) a command's decider may look up, e.g.
// "conference-k1" for a plan revision citing a decision of conference k1.
[[nodiscard]] std::vector<std::string> ReferencedStreams(
    const v1::CaseCommand& command);
// For a conference command also the agenda cases of `state` when holding it
// (their versions are pinned as discussed).
[[nodiscard]] std::vector<std::string> ReferencedStreams(
    const ConferenceState& state, const v1::ConferenceCommand& command);

}  // namespace renkei::domain

#endif  // RENKEI_SERVICES_DOMAIN_LOOKUP_H_

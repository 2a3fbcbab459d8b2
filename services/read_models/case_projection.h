// CaseProjection: turns one stored event into read-model rows. Case events:
// the case row (summary fields), caseload index, timeline row (metadata only:
// entry content is served from the case state after the sharing decision),
// referral listings, consents, the plan in force, the stage-lead ledger, the
// review index and the involvement index. Conference events: upcoming
// conferences, open action items, reviews and involvement. Handover events:
// involvement of the outgoing staff member. Access events: the access log.
// The domain's own Evolve computes the case rows from their decoded form.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/event.pb.h"
#include "services/read_models/read_model_store.h"

namespace renkei::read_models {

// Reads of case content are recorded on "access-<case_id>" (never the case
// stream): they are projected into the access log only, never the timeline.
inline constexpr absl::string_view kAccessStreamPrefix = "access-";
// The event type of a read of case content; other event types on access
// streams are not projected.
inline constexpr absl::string_view kCaseContentReadType =
    "renkei.v1.CaseContentRead";

// What a timeline line says about an event, without any case content.
struct EventDescription {
  std::string ref_id;
  std::vector<std::string> subject_ids;
  std::string summary;
};
EventDescription Describe(const v1::CaseEvent& event);

// Stages the rows `envelope` changes into `batch`. Events of other streams
// (the directory) are ignored. REQUIRES: events are applied in log order.
[[nodiscard]] absl::Status ApplyToReadModels(
    const ReadModelStore& store, const v1::EventEnvelope& envelope,
    rocksdb::WriteBatchWithIndex& batch);

}  // namespace renkei::read_models

#include "services/app/security/security_log.h"

#include <spdlog/spdlog.h>

#include "absl/strings/str_cat.h"
#include "services/app/errors.h"
#include "services/app/random_id.h"
#include "services/domain/time_util.h"
#include "storage/status_macros.h"

namespace renkei::app {

absl::Status RecordSecurity(
    storage::EventLog& log, absl::Time now, const std::string& staff_id,
    const std::string& agency_id, const std::string& correlation_id,
    const std::vector<identity::SecurityRecord>& records) {
  if (records.empty()) return absl::OkStatus();
  storage::AppendRequest append;
  append.stream_id = kSecurityStream;
  for (const identity::SecurityRecord& record : records) {
    v1::ProposedEvent& event = append.events.emplace_back();
    RENKEI_ASSIGN_OR_RETURN(std::string event_id,
                            NewRandomId("a security event id"));
    event.set_event_id(std::move(event_id));
    std::visit(
        [&](const auto& message) {
          event.set_event_type(message.GetDescriptor()->full_name());
          event.mutable_payload()->PackFrom(message);
        },
        record);
    *event.mutable_occurred_at() = domain::ToTimestamp(now);
    event.mutable_actor()->set_staff_id(staff_id);
    event.mutable_actor()->set_agency_id(agency_id);
    event.set_correlation_id(correlation_id);
  }
  for (const v1::ProposedEvent& event : append.events) {
    spdlog::info("security event={} staff={}", event.event_type(),
                 staff_id.empty() ? "-" : staff_id);
  }
  auto appended = log.Append(std::move(append));
  if (!appended.ok()) {
    return errors::SecurityLogNotAppended(appended.status());
  }
  return absl::OkStatus();
}

}  // namespace renkei::app

#include "services/server/bootstrap.h"

#include <filesystem>

#include "absl/time/clock.h"
#include "services/app/security/security_log.h"
#include "services/domain/directory/directory.h"
#include "services/domain/event_codec.h"
#include "services/identity/identity_store.h"
#include "services/server/data_dir.h"
#include "services/server/identity.h"
#include "storage/event_log.h"
#include "storage/status_macros.h"

namespace renkei::server {

absl::StatusOr<bool> BootstrapAdministrator(const BootstrapRequest& request) {
  RENKEI_RETURN_IF_ERROR(SecureDataDir(request.data_dir));
  storage::EventLogOptions options;
  options.path = (std::filesystem::path(request.data_dir) / "log").string();
  if (request.clock) options.clock = request.clock;
  RENKEI_ASSIGN_OR_RETURN(auto log, storage::EventLog::Open(options));
  const std::string stream(domain::kDirectoryStreamId);
  domain::DirectoryState state;
  uint64_t version = 0;
  for (;;) {
    storage::ReadStreamQuery query;
    query.stream_id = stream;
    query.from_version = version + 1;
    RENKEI_ASSIGN_OR_RETURN(auto page, log->ReadStream(query));
    if (page.empty()) break;
    for (const v1::EventEnvelope& envelope : page) {
      RENKEI_ASSIGN_OR_RETURN(v1::DirectoryEvent event,
                              domain::DirectoryEventFromEnvelope(envelope));
      domain::Evolve(state, event);
      version = envelope.stream_version();
    }
  }
  if (state.HasAdministrator()) return false;
  const absl::Time now = request.clock ? request.clock() : absl::Now();
  if (!request.password.empty()) {
    RENKEI_RETURN_IF_ERROR(identity::ValidateNewPassword(request.password));
  }
  RENKEI_ASSIGN_OR_RETURN(auto events,
                          domain::BootstrapAdministrator(state, request.agency,
                                                         request.admin, now));
  // The password first: an administrator is never committed without the
  // way to sign in (a failure here writes no administrator; run again).
  std::vector<identity::SecurityRecord> password_set;
  if (!request.password.empty()) {
    identity::SignInPolicy policy;
    policy.cost = request.cost;
    RENKEI_ASSIGN_OR_RETURN(
        auto store,
        identity::IdentityStore::Open(
            (std::filesystem::path(request.data_dir) / "identity").string(),
            policy, now));
    identity::Recorded<uint32_t> set =
        store->SetPassword(request.admin.staff_id(), request.password,
                           "renkei-server init-admin", true, now);
    RENKEI_RETURN_IF_ERROR(set.result.status());
    password_set = set.records;
  }
  storage::AppendRequest append;
  append.stream_id = stream;
  append.expected_version = version == 0
                                ? storage::ExpectedVersion::NoStream()
                                : storage::ExpectedVersion::Exact(version);
  for (const v1::DirectoryEvent& event : events) {
    v1::ProposedEvent proposed = domain::ToProposedEvent(event);
    RENKEI_ASSIGN_OR_RETURN(std::string event_id, NewRequestId());
    proposed.set_event_id(std::move(event_id));
    append.events.push_back(std::move(proposed));
  }
  RENKEI_RETURN_IF_ERROR(log->Append(std::move(append)).status());
  RENKEI_RETURN_IF_ERROR(app::RecordSecurity(
      *log, now, request.admin.staff_id(), request.agency.agency_id(),
      "init-admin", password_set));
  return true;
}

}  // namespace renkei::server

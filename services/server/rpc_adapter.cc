#include "services/server/rpc_adapter.h"

#include "absl/strings/str_cat.h"
#include "services/server/errors.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;

absl::Status ValidateOccurredAt(const v1::CommandOptions& options,
                                absl::Time now) {
  if (!options.has_occurred_at()) return absl::OkStatus();
  RENKEI_RETURN_IF_ERROR(
      domain::ValidateTimestamp("options.occurred_at", options.occurred_at()));
  const absl::Time at = domain::ToTime(options.occurred_at());
  if (at > now + kMaxClockSkew) {
    return errors::OccurredAtInFuture(at, now, kMaxClockSkew);
  }
  if (at < kEarliestOccurredAt) {
    return errors::OccurredAtTooEarly(at, kEarliestOccurredAt);
  }
  return absl::OkStatus();
}

namespace {

bool SharesContent(absl::string_view method) {
  return method == "ShareInformation" || method == "MakeReferral" ||
         method == "ReferReferralOn";
}

// The entries the events at the reply's positions sent, each with its basis.
absl::Status AttachSharedItems(app::DomainRuntime& rt,
                               v1::CommandReply& reply) {
  if (reply.first_position() == 0 ||
      reply.last_position() < reply.first_position()) {
    return absl::OkStatus();
  }
  storage::ReadAllQuery query;
  query.from_position = reply.first_position();
  query.limit = reply.last_position() - reply.first_position() + 1;
  RENKEI_ASSIGN_OR_RETURN(auto events, rt.log().ReadAll(query));
  for (const v1::EventEnvelope& envelope : events) {
    if (envelope.position() > reply.last_position()) break;
    auto event = domain::CaseEventFromEnvelope(envelope);
    if (!event.ok()) continue;  // not a case event
    if (event->has_information_shared()) {
      for (const v1::SharedItem& item : event->information_shared().items()) {
        *reply.add_shared_items() = item;
      }
    } else if (event->has_referral_made()) {
      const v1::Referral& referral = event->referral_made().referral();
      for (const v1::SentEntry& sent : referral.sent_entries()) {
        v1::SharedItem* item = reply.add_shared_items();
        item->set_entry_id(sent.entry_id());
        item->set_entry_version(sent.entry_version());
        *item->mutable_basis() = referral.basis();
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

app::CommandDone FinishCommand(grpc::ServerUnaryReactor* reactor,
                               v1::CommandReply* reply, std::string method,
                               const Caller& caller, app::DomainRuntime* rt) {
  return [reactor, reply, method = std::move(method), caller,
          rt](absl::StatusOr<v1::CommandReply> result) {
    if (result.ok() && rt != nullptr && SharesContent(method)) {
      if (absl::Status s = AttachSharedItems(*rt, *result); !s.ok()) {
        spdlog::warn(
            "request={} method={}: the shared items of the reply "
            "could not be read back: {}",
            caller.request_id, method, std::string(s.message()));
      }
    }
    if (result.ok()) {
      *reply = std::move(*result);
      spdlog::info(
          "request={} method={} staff={} stream={} version={} duplicate={}",
          caller.request_id, method, caller.staff_id, reply->stream_id(),
          reply->stream_version(), reply->duplicate());
    } else {
      spdlog::info("request={} method={} staff={} refused code={} message={}",
                   caller.request_id, method, caller.staff_id,
                   absl::StatusCodeToString(result.status().code()),
                   std::string(result.status().message()));
    }
    reactor->Finish(ToGrpcStatus(result.status()));
  };
}

namespace {

// Pipeline events for domain events, with `causation` when given. Once
// they are in the log, `cache` folds the same domain events into its state
// of `stream` (with the time the log recorded them, as a read of the
// envelopes would give), so the next command on the stream finds it current
// without reading and decoding them back.
template <typename State, typename Event>
app::Decision ToDecision(app::AggregateCache<State>& cache, std::string stream,
                         uint64_t base_version, std::vector<Event> events,
                         const std::string& causation) {
  app::Decision decision;
  decision.base_version = base_version;
  for (const auto& e : events) {
    decision.events.push_back(domain::ToProposedEvent(e));
    if (!causation.empty()) decision.events.back().set_causation_id(causation);
  }
  if (events.empty()) return decision;
  decision.committed = [&cache, stream = std::move(stream), base_version,
                        events = std::move(events)](
                           const google::protobuf::Timestamp& recorded_at) {
    cache.Advance(stream, base_version, base_version + events.size(),
                  [&](State& state) {
                    for (Event e : events) {
                      // What domain::*EventFromEnvelope rebuilds from the
                      // stored envelope.
                      if constexpr (requires { e.mutable_recorded_at(); }) {
                        *e.mutable_recorded_at() = recorded_at;
                      }
                      if constexpr (requires { e.set_content_erased(false); }) {
                        e.set_content_erased(false);
                      }
                      domain::Evolve(state, e);
                    }
                  });
  };
  return decision;
}

absl::StatusOr<app::AggregateCache<domain::DirectoryState>::Snapshot>
LoadDirectory(app::DomainRuntime& rt) {
  return rt.directory().Load(std::string(domain::kDirectoryStreamId));
}

}  // namespace

absl::StatusOr<app::Decision> DecideDirectory(
    app::DomainRuntime& rt, const v1::DirectoryCommand& command) {
  RENKEI_ASSIGN_OR_RETURN(auto snapshot, LoadDirectory(rt));
  absl::StatusOr<std::vector<v1::DirectoryEvent>> events;
  if (command.has_record_staff_departure()) {
    // A departure is checked against everything the person still holds.
    const std::string& staff = command.record_staff_departure().staff_id();
    RENKEI_ASSIGN_OR_RETURN(auto involvement, rt.LoadInvolved(staff));
    events =
        domain::Decide(*snapshot.state, command,
                       domain::ResponsibilitiesForDeparture(
                           staff, involvement.All(), involvement.Handovers(),
                           domain::ToTime(command.occurred_at())));
  } else {
    events = domain::Decide(*snapshot.state, command);
  }
  if (!events.ok()) return events.status();
  return ToDecision(rt.directory(), std::string(domain::kDirectoryStreamId),
                    snapshot.version, *std::move(events), "");
}

absl::StatusOr<app::Decision> DecideCase(app::DomainRuntime& rt,
                                         const v1::CaseCommand& command,
                                         const std::string& causation) {
  RENKEI_ASSIGN_OR_RETURN(auto directory, LoadDirectory(rt));
  std::string stream = domain::CaseStreamId(command.case_id());
  RENKEI_ASSIGN_OR_RETURN(auto snapshot, rt.cases().Load(stream));
  RENKEI_ASSIGN_OR_RETURN(auto loaded,
                          rt.LoadLookup(domain::ReferencedStreams(command)));
  RENKEI_ASSIGN_OR_RETURN(
      auto events, domain::Decide(*snapshot.state, command, *directory.state,
                                  loaded.lookup()));
  return ToDecision(rt.cases(), std::move(stream), snapshot.version,
                    std::move(events), causation);
}

absl::StatusOr<app::Decision> DecideConference(
    app::DomainRuntime& rt, const v1::ConferenceCommand& command,
    const std::string& causation) {
  RENKEI_ASSIGN_OR_RETURN(auto directory, LoadDirectory(rt));
  std::string stream = domain::ConferenceStreamId(command.conference_id());
  RENKEI_ASSIGN_OR_RETURN(auto snapshot, rt.conferences().Load(stream));
  RENKEI_ASSIGN_OR_RETURN(auto loaded, rt.LoadLookup(domain::ReferencedStreams(
                                           *snapshot.state, command)));
  RENKEI_ASSIGN_OR_RETURN(
      auto events, domain::Decide(*snapshot.state, command, *directory.state,
                                  loaded.lookup()));
  return ToDecision(rt.conferences(), std::move(stream), snapshot.version,
                    std::move(events), causation);
}

absl::StatusOr<app::Decision> DecideHandover(
    app::DomainRuntime& rt, const v1::HandoverCommand& command) {
  RENKEI_ASSIGN_OR_RETURN(auto directory, LoadDirectory(rt));
  std::string stream = domain::HandoverStreamId(command.handover_id());
  RENKEI_ASSIGN_OR_RETURN(auto snapshot, rt.handovers().Load(stream));
  // What the outgoing staff member is involved in.
  const std::string& outgoing =
      snapshot.state->outgoing_staff_id().empty()
          ? command.start_handover().outgoing_staff_id()
          : snapshot.state->outgoing_staff_id();
  RENKEI_ASSIGN_OR_RETURN(auto involvement, rt.LoadInvolved(outgoing));
  RENKEI_ASSIGN_OR_RETURN(
      auto events, domain::Decide(*snapshot.state, command, *directory.state,
                                  involvement.All()));
  return ToDecision(rt.handovers(), std::move(stream), snapshot.version,
                    std::move(events), "");
}

}  // namespace renkei::server

#include "services/server/audit_service.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/app/access/authorization.h"
#include "services/app/access/case_access.h"
#include "services/domain/case/case_state.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"
#include "services/read_models/case_projection.h"
#include "services/server/errors.h"
#include "services/server/grpc_status.h"
#include "services/server/identity.h"
#include "services/server/rpc_adapter.h"
#include "services/server/subscription_streams.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;
namespace {

absl::StatusOr<size_t> PageSize(int32_t requested, const ReadLimits& limits) {
  if (requested < 0) {
    return errors::NegativeLimit(requested);
  }
  if (requested > limits.max_page_size) {
    return errors::LimitOverMaxPage(requested, limits.max_page_size);
  }
  return static_cast<size_t>(requested == 0 ? limits.default_page_size
                                            : requested);
}

absl::Status RequireAuditor(const app::DomainRuntime&, const Caller& caller) {
  return app::AuthorizeRpc(caller, app::RpcAccess::kAudit);
}

// Leaves out the payloads of entry events whose entry is withheld from
// `agency_id` (as recorded in that event or by a later amendment): a
// withheld entry never reaches whom it is withheld from, auditors included.
// The digest stays, so the chain still verifies. One call's cases are folded
// once. Not thread-safe; one per call.
class WithheldEntries {
 public:
  WithheldEntries(app::DomainRuntime& rt, std::string agency_id)
      : rt_(rt), agency_id_(std::move(agency_id)) {}

  absl::Status Apply(v1::EventEnvelope& envelope) {
    const std::string& type = envelope.event_type();
    if (type != "renkei.v1.EntryRecorded" && type != "renkei.v1.EntryAmended") {
      return absl::OkStatus();
    }
    RENKEI_ASSIGN_OR_RETURN(v1::CaseEvent event,
                            domain::CaseEventFromEnvelope(envelope));
    const v1::Entry& entry = event.has_entry_recorded()
                                 ? event.entry_recorded().entry()
                                 : event.entry_amended().entry();
    bool withheld = Names(entry.confidentiality());
    if (!withheld) {
      auto it = cases_.find(envelope.stream_id());
      if (it == cases_.end()) {
        RENKEI_ASSIGN_OR_RETURN(auto snapshot,
                                rt_.cases().Load(envelope.stream_id()));
        it = cases_.emplace(envelope.stream_id(), std::move(snapshot.state))
                 .first;
      }
      const domain::EntryState* now =
          it->second == nullptr ? nullptr
                                : it->second->FindEntry(entry.entry_id());
      withheld = now != nullptr && Names(now->current().confidentiality());
    }
    if (withheld) {
      envelope.clear_payload();
      envelope.set_payload_withheld(true);
      envelope.set_payload_withheld_reason(absl::StrCat(
          "entry '", entry.entry_id(), "' is confidential and withheld from '",
          agency_id_, "'"));
    }
    return absl::OkStatus();
  }

 private:
  bool Names(const v1::Confidentiality& confidentiality) const {
    const auto& agencies = confidentiality.withheld_from_agency_ids();
    return std::find(agencies.begin(), agencies.end(), agency_id_) !=
           agencies.end();
  }

  app::DomainRuntime& rt_;
  std::string agency_id_;
  std::map<std::string, std::shared_ptr<const domain::CaseState>> cases_;
};

// Streams the log to one subscriber: catch-up, then live, pumped by the
// service's SubscriptionStreams (no thread of its own). It keeps at most one
// write in flight; cancellation by the client ends it.
class SubscribeReactor final
    : public grpc::ServerWriteReactor<v1::EventEnvelope>,
      public SubscriptionStreams::Stream {
 public:
  // Refused: finishes with `status` at once, holding no place.
  explicit SubscribeReactor(const absl::Status& status) {
    Finish(ToGrpcStatus(status));
  }

  // Holds a place reserved in `streams`. `record` runs on a query worker
  // before the first event is sent; when it fails the subscription ends with
  // its status and sends nothing. `still_allowed` is asked again about once
  // a second: a subscriber whose session ended, who left or lost the auditor
  // role, is cut off with its answer.
  SubscribeReactor(app::DomainRuntime& rt, SubscriptionStreams& streams,
                   const v1::SubscribeRequest& req,
                   std::function<absl::Status()> record,
                   std::unique_ptr<WithheldEntries> withheld,
                   std::function<absl::Status()> still_allowed)
      : streams_(&streams),
        types_(req.event_types().begin(), req.event_types().end()),
        withheld_(std::move(withheld)),
        still_allowed_(std::move(still_allowed)) {
    subscription_ =
        rt.log().Subscribe(std::max<uint64_t>(req.from_position(), 1));
    subscription_->SetWakeUp([&streams] { streams.Wake(); });
    absl::Status queued = rt.RunQueryTask([this, record = std::move(record)] {
      if (absl::Status recorded = record(); !recorded.ok()) {
        finished_ = true;
        Finish(ToGrpcStatus(recorded));
        return;
      }
      streams_->Add(this);
    });
    if (!queued.ok()) {
      finished_ = true;
      Finish(ToGrpcStatus(queued));
    }
  }

  void OnWriteDone(bool ok) override {
    if (!ok) stopped_ = true;
    write_in_flight_ = false;
    streams_->Wake();
  }

  void OnCancel() override {
    stopped_ = true;
    if (subscription_) subscription_->Cancel();  // wakes the streams
  }

  void OnDone() override {
    if (streams_ != nullptr) streams_->Remove(this);
    delete this;
  }

  bool Pump() override {
    if (finished_) return false;
    if (stopped_) {
      return End(
          grpc::Status(grpc::StatusCode::CANCELLED, "subscription ended"));
    }
    if (write_in_flight_) return false;
    if (still_allowed_ && absl::Now() - checked_at_ >= absl::Seconds(1)) {
      checked_at_ = absl::Now();
      if (absl::Status allowed = still_allowed_(); !allowed.ok()) {
        return End(ToGrpcStatus(allowed));
      }
    }
    // Events of other types are passed over, a bounded number per pump.
    for (int passed = 0; passed < kMaxPassedPerPump; ++passed) {
      auto next = subscription_->Next(absl::ZeroDuration());
      if (!next.ok()) {
        if (absl::IsCancelled(next.status())) {
          return End(
              grpc::Status(grpc::StatusCode::CANCELLED, "subscription ended"));
        }
        return End(ToGrpcStatus(next.status()));
      }
      if (!next->has_value()) return false;  // woken when the log moves on
      if (!types_.empty() && std::find(types_.begin(), types_.end(),
                                       (*next)->event_type()) == types_.end()) {
        continue;
      }
      current_ = std::move(**next);
      if (withheld_ != nullptr) {
        if (absl::Status s = withheld_->Apply(current_); !s.ok()) {
          return End(ToGrpcStatus(s));
        }
      }
      write_in_flight_ = true;
      StartWrite(&current_);
      return false;
    }
    return true;
  }

 private:
  static constexpr int kMaxPassedPerPump = 512;

  // Finishes the call; the reactor may be gone once Finish returns.
  bool End(const grpc::Status& status) {
    finished_ = true;
    Finish(status);
    return false;
  }

  SubscriptionStreams* streams_ = nullptr;  // null when refused
  std::vector<std::string> types_;
  std::unique_ptr<WithheldEntries> withheld_;
  std::function<absl::Status()> still_allowed_;
  absl::Time checked_at_ = absl::Now();
  std::unique_ptr<storage::Subscription> subscription_;
  std::atomic<bool> write_in_flight_{false};
  std::atomic<bool> stopped_{false};
  // Set before Finish; read only where Finish may have been called (the
  // record task before Add, then Pump, which runs after it).
  bool finished_ = false;
  v1::EventEnvelope current_;
};

// The range of stream versions, or of positions, in `resp`.
std::pair<uint64_t, uint64_t> Range(const v1::ReadEventsResponse& resp,
                                    bool versions) {
  uint64_t lo = 0, hi = 0;
  for (const v1::EventEnvelope& e : resp.events()) {
    const uint64_t at = versions ? e.stream_version() : e.position();
    lo = lo == 0 ? at : std::min(lo, at);
    hi = std::max(hi, at);
  }
  return {lo, hi};
}

}  // namespace

absl::Status RecordAuditLogRead(app::DomainRuntime& rt, const Caller& caller,
                                v1::AuditLogRead read) {
  read.set_staff_id(caller.staff_id);
  read.set_agency_id(caller.agency_id);
  storage::AppendRequest append;
  append.stream_id = std::string(kAuditReadStream);
  v1::ProposedEvent& event = append.events.emplace_back();
  const std::string key =
      absl::StrCat("audit-read/", caller.request_id, "/", read.query(), "/",
                   read.stream_id(), "/", read.from_position(), "/",
                   read.from_version(), "/", absl::ToUnixNanos(absl::Now()));
  event.set_event_id(app::CommandPipeline::DeriveEventId(key, 0));
  event.set_event_type("renkei.v1.AuditLogRead");
  event.mutable_payload()->PackFrom(read);
  *event.mutable_occurred_at() = domain::ToTimestamp(rt.Now());
  event.mutable_actor()->set_staff_id(caller.staff_id);
  event.mutable_actor()->set_agency_id(caller.agency_id);
  event.set_correlation_id(caller.request_id);
  auto appended = rt.log().Append(std::move(append));
  if (!appended.ok()) {
    return errors::AuditReadNotRecorded(read.query(), appended.status());
  }
  return absl::OkStatus();
}

absl::Status HandleReplayCase(const storage::EventLog& log,
                              const v1::ReplayCaseRequest& req,
                              v1::ReplayCaseResponse* resp) {
  RENKEI_RETURN_IF_ERROR(domain::ValidateId("case_id", req.case_id()));
  if (!req.has_as_of()) {
    return errors::FieldRequired("as_of");
  }
  RENKEI_RETURN_IF_ERROR(domain::ValidateTimestamp("as_of", req.as_of()));
  if (req.axis() != v1::TIME_AXIS_RECORDED &&
      req.axis() != v1::TIME_AXIS_OCCURRED) {
    return errors::InvalidTimeAxis();
  }
  const absl::Time as_of = domain::ToTime(req.as_of());
  const std::string stream = domain::CaseStreamId(req.case_id());
  RENKEI_ASSIGN_OR_RETURN(auto head, log.GetStreamHead(stream));
  if (head.version == 0) {
    return errors::CaseNotFound(req.case_id());
  }
  domain::CaseState state;
  uint64_t applied = 0;
  uint64_t last_version = 0;
  for (uint64_t from = 1; from <= head.version;) {
    storage::ReadStreamQuery q;
    q.stream_id = stream;
    q.from_version = from;
    q.limit = 1000;
    RENKEI_ASSIGN_OR_RETURN(auto events, log.ReadStream(q));
    if (events.empty()) break;
    for (const auto& envelope : events) {
      from = envelope.stream_version() + 1;
      const auto& t = req.axis() == v1::TIME_AXIS_RECORDED
                          ? envelope.recorded_at()
                          : envelope.occurred_at();
      if (domain::ToTime(t) > as_of) continue;
      RENKEI_ASSIGN_OR_RETURN(v1::CaseEvent event,
                              domain::CaseEventFromEnvelope(envelope));
      domain::Evolve(state, event);
      ++applied;
      last_version = envelope.stream_version();
      resp->set_last_position(envelope.position());
      read_models::EventDescription d = read_models::Describe(event);
      auto* item = resp->add_timeline();
      item->set_position(envelope.position());
      item->set_stream_version(envelope.stream_version());
      item->set_event_type(envelope.event_type());
      *item->mutable_occurred_at() = envelope.occurred_at();
      *item->mutable_recorded_at() = envelope.recorded_at();
      *item->mutable_actor() = envelope.actor();
      item->set_ref_id(d.ref_id);
      for (auto& s : d.subject_ids) item->add_subject_ids(std::move(s));
      item->set_summary(d.summary);
    }
  }
  if (applied == 0) {
    return errors::NoEventsBy(req.case_id(),
                              req.axis() == v1::TIME_AXIS_RECORDED, as_of);
  }
  resp->set_events_applied(applied);
  app::SummarizeCase(state, last_version, as_of, *resp->mutable_summary());
  return absl::OkStatus();
}

absl::Status HandleReadStream(const storage::EventLog& log,
                              const ReadLimits& limits,
                              const v1::ReadStreamRequest& req,
                              v1::ReadEventsResponse* resp) {
  RENKEI_ASSIGN_OR_RETURN(size_t limit, PageSize(req.limit(), limits));
  storage::ReadStreamQuery q;
  q.stream_id = req.stream_id();
  q.from_version = req.from_version();
  if (req.direction() == v1::READ_DIRECTION_BACKWARD) {
    q.direction = storage::Direction::kBackward;
  } else if (req.direction() != v1::READ_DIRECTION_FORWARD) {
    return errors::UnknownReadDirection(req.direction());
  }
  q.limit = limit;
  q.event_types.assign(req.event_types().begin(), req.event_types().end());
  RENKEI_ASSIGN_OR_RETURN(auto head, log.GetStreamHead(q.stream_id));
  if (head.version == 0) {
    return errors::StreamNotFound(q.stream_id);
  }
  RENKEI_ASSIGN_OR_RETURN(auto events, log.ReadStream(q));
  resp->set_head(head.version);
  if (!events.empty()) {
    const uint64_t last = events.back().stream_version();
    const bool forward = q.direction == storage::Direction::kForward;
    if (events.size() == limit) {
      resp->set_next(forward ? (last < head.version ? last + 1 : 0)
                             : (last > 1 ? last - 1 : 0));
    }
  }
  for (auto& e : events) *resp->add_events() = std::move(e);
  return absl::OkStatus();
}

absl::Status HandleReadAll(const storage::EventLog& log,
                           const ReadLimits& limits,
                           const v1::ReadAllRequest& req,
                           v1::ReadEventsResponse* resp) {
  RENKEI_ASSIGN_OR_RETURN(size_t limit, PageSize(req.limit(), limits));
  storage::ReadAllQuery q;
  q.from_position = std::max<uint64_t>(req.from_position(), 1);
  q.limit = limit;
  q.event_types.assign(req.event_types().begin(), req.event_types().end());
  const uint64_t head = log.Head();
  RENKEI_ASSIGN_OR_RETURN(auto events, log.ReadAll(q));
  resp->set_head(head);
  if (events.size() == limit && events.back().position() < head) {
    resp->set_next(events.back().position() + 1);
  }
  for (auto& e : events) *resp->add_events() = std::move(e);
  return absl::OkStatus();
}

absl::Status HandleVerifyChain(const storage::EventLog& log,
                               const v1::VerifyChainRequest& req,
                               v1::VerifyChainResponse* resp) {
  if (req.to_position() != 0 && req.from_position() > req.to_position()) {
    return errors::PositionsReversed(req.from_position(), req.to_position());
  }
  RENKEI_ASSIGN_OR_RETURN(
      auto report, log.VerifyChain(req.from_position(), req.to_position()));
  resp->set_ok(report.ok);
  resp->set_checked_from(report.checked_from);
  resp->set_checked_to(report.checked_to);
  resp->set_first_bad_position(report.first_bad_position);
  resp->set_reason(report.reason);
  return absl::OkStatus();
}

template <typename Handler>
grpc::ServerUnaryReactor* AuditServiceImpl::AsAuditor(
    grpc::CallbackServerContext* ctx, Handler&& handler) {
  // The handlers run after this returns (see RunQuery): captured by value.
  return RunQuery(rt_, ctx,
                  [this, handler = std::forward<Handler>(handler)](
                      const Caller& caller) -> absl::Status {
                    RENKEI_RETURN_IF_ERROR(RequireAuditor(rt_, caller));
                    return handler(caller);
                  });
}

grpc::ServerUnaryReactor* AuditServiceImpl::ReadStream(
    grpc::CallbackServerContext* ctx, const v1::ReadStreamRequest* req,
    v1::ReadEventsResponse* resp) {
  return AsAuditor(ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_RETURN_IF_ERROR(HandleReadStream(*log_, limits_, *req, resp));
    WithheldEntries withheld(rt_, caller.agency_id);
    for (v1::EventEnvelope& e : *resp->mutable_events()) {
      RENKEI_RETURN_IF_ERROR(withheld.Apply(e));
    }
    v1::AuditLogRead read;
    read.set_query("ReadStream");
    read.set_stream_id(req->stream_id());
    const auto [from, to] = Range(*resp, /*versions=*/true);
    read.set_from_version(from);
    read.set_to_version(to);
    read.set_backward(req->direction() == v1::READ_DIRECTION_BACKWARD);
    *read.mutable_event_types() = req->event_types();
    read.set_events_returned(static_cast<uint64_t>(resp->events_size()));
    absl::Status recorded = RecordAuditLogRead(rt_, caller, std::move(read));
    if (!recorded.ok()) resp->Clear();
    return recorded;
  });
}

grpc::ServerUnaryReactor* AuditServiceImpl::ReadAll(
    grpc::CallbackServerContext* ctx, const v1::ReadAllRequest* req,
    v1::ReadEventsResponse* resp) {
  return AsAuditor(ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_RETURN_IF_ERROR(HandleReadAll(*log_, limits_, *req, resp));
    WithheldEntries withheld(rt_, caller.agency_id);
    for (v1::EventEnvelope& e : *resp->mutable_events()) {
      RENKEI_RETURN_IF_ERROR(withheld.Apply(e));
    }
    v1::AuditLogRead read;
    read.set_query("ReadAll");
    const auto [from, to] = Range(*resp, /*versions=*/false);
    read.set_from_position(from);
    read.set_to_position(to);
    *read.mutable_event_types() = req->event_types();
    read.set_events_returned(static_cast<uint64_t>(resp->events_size()));
    absl::Status recorded = RecordAuditLogRead(rt_, caller, std::move(read));
    if (!recorded.ok()) resp->Clear();
    return recorded;
  });
}

grpc::ServerUnaryReactor* AuditServiceImpl::ReplayCase(
    grpc::CallbackServerContext* ctx, const v1::ReplayCaseRequest* req,
    v1::ReplayCaseResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_RETURN_IF_ERROR(RequireAuditor(rt_, caller));
    RENKEI_RETURN_IF_ERROR(HandleReplayCase(*log_, *req, resp));
    // A replay shows the case's content: recorded like any other read.
    return app::RecordCaseRead(rt_, caller, req->case_id(), "ReplayCase",
                               app::ReaderBasis(caller, /*on_team=*/false));
  });
}

grpc::ServerUnaryReactor* AuditServiceImpl::VerifyChain(
    grpc::CallbackServerContext* ctx, const v1::VerifyChainRequest* req,
    v1::VerifyChainResponse* resp) {
  return AsAuditor(ctx, [=, this](const Caller&) {
    return HandleVerifyChain(*log_, *req, resp);
  });
}

grpc::ServerUnaryReactor* AuditServiceImpl::GetHead(
    grpc::CallbackServerContext* ctx, const v1::GetHeadRequest*,
    v1::GetHeadResponse* resp) {
  return AsAuditor(ctx, [=, this](const Caller&) {
    storage::LogHead head = log_->GetHead();
    resp->set_position(head.position);
    resp->set_hash(head.hash);
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::EventEnvelope>* AuditServiceImpl::Subscribe(
    grpc::CallbackServerContext* ctx, const v1::SubscribeRequest* req) {
  auto caller = IdentifyForQuery(rt_, *ctx);
  if (!caller.ok()) return new SubscribeReactor(caller.status());
  if (absl::Status s = RequireAuditor(rt_, *caller); !s.ok()) {
    return new SubscribeReactor(s);
  }
  if (absl::Status s = streams_.Reserve(); !s.ok()) {
    return new SubscribeReactor(s);
  }
  // Recorded on a query worker, not on gRPC's thread.
  v1::AuditLogRead read;
  read.set_query("Subscribe");
  read.set_from_position(std::max<uint64_t>(req->from_position(), 1));
  *read.mutable_event_types() = req->event_types();
  auto record = [this, who = *caller, read = std::move(read)] {
    return RecordAuditLogRead(rt_, who, read);
  };
  auto still_allowed = [this, ctx]() -> absl::Status {
    auto again = IdentifyForQuery(rt_, *ctx);
    if (!again.ok()) return again.status();
    return RequireAuditor(rt_, *again);
  };
  return new SubscribeReactor(
      rt_, streams_, *req, std::move(record),
      std::make_unique<WithheldEntries>(rt_, caller->agency_id),
      std::move(still_allowed));
}

}  // namespace renkei::server

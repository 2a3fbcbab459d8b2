#include "services/app/runtime/domain_runtime.h"

#include <pthread.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/app/errors.h"
#include "services/app/security/security_log.h"
#include "services/domain/event_codec.h"
#include "services/domain/handover/responsibilities.h"
#include "services/read_models/case_rows.h"
#include "storage/status_macros.h"

namespace renkei::app {

DomainRuntime::DomainRuntime(storage::EventLog* log,
                             read_models::ReadModelStore* read_models,
                             read_models::Projector* projector,
                             RuntimeOptions options)
    : log_(log),
      read_models_(read_models),
      projector_(projector),
      options_(std::move(options)),
      directory_(log,
                 [](domain::DirectoryState& state,
                    const v1::EventEnvelope& envelope) -> absl::Status {
                   auto event = domain::DirectoryEventFromEnvelope(envelope);
                   if (!event.ok()) return event.status();
                   domain::Evolve(state, *event);
                   return absl::OkStatus();
                 }),
      cases_(log,
             [](domain::CaseState& state,
                const v1::EventEnvelope& envelope) -> absl::Status {
               auto event = domain::CaseEventFromEnvelope(envelope);
               if (!event.ok()) return event.status();
               domain::Evolve(state, *event);
               return absl::OkStatus();
             }),
      conferences_(log,
                   [](domain::ConferenceState& state,
                      const v1::EventEnvelope& envelope) -> absl::Status {
                     auto event = domain::ConferenceEventFromEnvelope(envelope);
                     if (!event.ok()) return event.status();
                     domain::Evolve(state, *event);
                     return absl::OkStatus();
                   }),
      handovers_(log,
                 [](domain::HandoverState& state,
                    const v1::EventEnvelope& envelope) -> absl::Status {
                   auto event = domain::HandoverEventFromEnvelope(envelope);
                   if (!event.ok()) return event.status();
                   domain::Evolve(state, *event);
                   return absl::OkStatus();
                 }),
      pipeline_(log),
      query_workers_(options_.query_threads, options_.max_queued_queries) {}

QueryWorkers::QueryWorkers(int threads, size_t max_queued)
    : max_queued_(max_queued) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "renkei-query");
      Loop();
    });
  }
}

QueryWorkers::~QueryWorkers() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (auto& t : threads_) t.join();
}

absl::Status QueryWorkers::TrySubmit(std::function<void()>& task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || threads_.empty()) {
    return errors::ShuttingDown();
  }
  if (queue_.size() >= max_queued_) {
    return errors::ServerBusy(queue_.size());
  }
  queue_.push_back(std::move(task));
  return absl::OkStatus();
}

void QueryWorkers::Loop() {
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](QueryWorkers* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return self->stopping_ || !self->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, and nothing left to run
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

absl::Status DomainRuntime::RunQueryTask(std::function<void()> task) {
  return query_workers_.TrySubmit(task);
}

domain::Caseload StaffInvolvement::All() const {
  domain::Caseload load;
  for (const auto& c : cases) load.cases.push_back(c.get());
  for (const auto& c : conferences) load.conferences.push_back(c.get());
  return load;
}

std::vector<const domain::HandoverState*> StaffInvolvement::Handovers() const {
  std::vector<const domain::HandoverState*> out;
  for (const auto& h : handovers) out.push_back(h.get());
  return out;
}

domain::AggregateLookup LoadedLookup::lookup() const {
  domain::AggregateLookup l;
  l.case_state = [this](absl::string_view id) -> const domain::CaseState* {
    auto it = cases.find(std::string(id));
    return it == cases.end() ? nullptr : it->second.get();
  };
  l.conference =
      [this](absl::string_view id) -> const domain::ConferenceState* {
    auto it = conferences.find(std::string(id));
    return it == conferences.end() ? nullptr : it->second.get();
  };
  l.handover = [this](absl::string_view id) -> const domain::HandoverState* {
    auto it = handovers.find(std::string(id));
    return it == handovers.end() ? nullptr : it->second.get();
  };
  return l;
}

absl::StatusOr<LoadedLookup> DomainRuntime::LoadLookup(
    const std::vector<std::string>& stream_ids) {
  LoadedLookup loaded;
  for (const auto& stream : stream_ids) {
    auto id_after = [&stream](absl::string_view prefix) {
      return stream.substr(prefix.size());
    };
    if (absl::StartsWith(stream, domain::kCaseStreamPrefix)) {
      RENKEI_ASSIGN_OR_RETURN(auto snap, cases_.Load(stream));
      if (snap.version > 0)
        loaded.cases[id_after(domain::kCaseStreamPrefix)] = snap.state;
    } else if (absl::StartsWith(stream, domain::kConferenceStreamPrefix)) {
      RENKEI_ASSIGN_OR_RETURN(auto snap, conferences_.Load(stream));
      if (snap.version > 0) {
        loaded.conferences[id_after(domain::kConferenceStreamPrefix)] =
            snap.state;
      }
    } else if (absl::StartsWith(stream, domain::kHandoverStreamPrefix)) {
      RENKEI_ASSIGN_OR_RETURN(auto snap, handovers_.Load(stream));
      if (snap.version > 0) {
        loaded.handovers[id_after(domain::kHandoverStreamPrefix)] = snap.state;
      }
    }
  }
  return loaded;
}

absl::StatusOr<StaffInvolvement> DomainRuntime::LoadInvolved(
    const std::string& staff_id) {
  RENKEI_ASSIGN_OR_RETURN(const read_models::ReadModelStore* models,
                          CurrentReadModels());
  namespace keys = read_models::keys;
  StaffInvolvement involvement;
  RENKEI_ASSIGN_OR_RETURN(
      auto case_ids,
      read_models::ReadIds(
          *models, keys::InvolvementPrefix(staff_id, keys::kInvolvedCase)));
  RENKEI_ASSIGN_OR_RETURN(
      auto involved_conferences,
      read_models::ReadIds(*models, keys::InvolvementPrefix(
                                        staff_id, keys::kInvolvedConference)));
  // Sorted by id, as the read models list them.
  std::set<std::string> conference_ids(involved_conferences.begin(),
                                       involved_conferences.end());
  for (const auto& id : case_ids) {
    RENKEI_ASSIGN_OR_RETURN(auto snap, cases_.Load(domain::CaseStreamId(id)));
    involvement.cases.push_back(snap.state);
    RENKEI_ASSIGN_OR_RETURN(
        auto reviewing,
        read_models::ReadIds(*models, keys::CaseReviewPrefix(id)));
    conference_ids.insert(reviewing.begin(), reviewing.end());
  }
  for (const auto& id : conference_ids) {
    RENKEI_ASSIGN_OR_RETURN(auto snap,
                            conferences_.Load(domain::ConferenceStreamId(id)));
    involvement.conferences.push_back(snap.state);
  }
  RENKEI_ASSIGN_OR_RETURN(
      auto handover_ids,
      read_models::ReadIds(
          *models, keys::InvolvementPrefix(staff_id, keys::kInvolvedHandover)));
  for (const auto& id : handover_ids) {
    RENKEI_ASSIGN_OR_RETURN(auto snap,
                            handovers_.Load(domain::HandoverStreamId(id)));
    involvement.handovers.push_back(snap.state);
  }
  return involvement;
}

absl::StatusOr<const read_models::ReadModelStore*>
DomainRuntime::CurrentReadModels() {
  return ReadModelsAt(log_->Head());
}

absl::StatusOr<const read_models::ReadModelStore*>
DomainRuntime::ReadModelsAfterCommands() {
  return ReadModelsAt(pipeline_.acknowledged_position());
}

absl::StatusOr<const read_models::ReadModelStore*> DomainRuntime::ReadModelsAt(
    uint64_t head) {
  if (read_models_ == nullptr || projector_ == nullptr) {
    return errors::NoReadModels();
  }
  if (!projector_->WaitFor(head, options_.read_model_wait)) {
    absl::Status status = projector_->status();
    return errors::ReadModelsBehind(projector_->Checkpoint(), head, status);
  }
  return read_models_;
}

absl::Status DomainRuntime::RecordSecurity(
    const Caller& caller,
    const std::vector<identity::SecurityRecord>& records) {
  return app::RecordSecurity(*log_, Now(), caller.staff_id, caller.agency_id,
                             caller.request_id, records);
}

absl::Status DomainRuntime::EndSessionOfLeaver(
    const Caller& caller, const domain::DirectoryState& dir) {
  const auto* staff = dir.FindStaff(caller.staff_id);
  if (!caller.session.has_value() || options_.identity == nullptr ||
      (staff != nullptr && !staff->HasLeft())) {
    return absl::OkStatus();
  }
  // Departure ends sessions as it is recorded; this catches one that
  // outlived it (a crash in between).
  identity::Recorded<uint32_t> revoked =
      options_.identity->RevokeAll(caller.staff_id, "departure");
  (void)RecordSecurity(caller, revoked.records);
  return errors::SessionEnded(caller.staff_id);
}

absl::Status DomainRuntime::RefuseUnknown(const Caller& caller,
                                          absl::string_view what) {
  if (caller.method == v1::AUTHENTICATION_METHOD_DEVELOPMENT_HEADER) {
    return errors::StaffNotInDirectory(caller.staff_id, what);
  }
  // A credential that maps to nobody proves nothing.
  return errors::CertificateStaffUnknown(caller.staff_id);
}

absl::StatusOr<Caller> DomainRuntime::IdentifyForCommand(Caller proven) {
  Caller caller = std::move(proven);
  auto dir = directory_.Load(std::string(domain::kDirectoryStreamId));
  if (!dir.ok()) return dir.status();
  if (absl::Status s = EndSessionOfLeaver(caller, *dir->state); !s.ok()) {
    return s;
  }
  // Every command comes from a staff member of the directory (its first
  // administrator is created offline: renkei-server init-admin).
  if (dir->state->FindStaff(caller.staff_id) == nullptr) {
    return RefuseUnknown(caller, "an administrator registers staff");
  }
  if (caller.agency_id.empty()) {
    caller.agency_id =
        dir->state->FindStaff(caller.staff_id)->staff.agency_id();
  }
  if (const auto* staff = dir->state->FindStaff(caller.staff_id);
      staff != nullptr && !staff->HasLeft()) {
    caller.roles = staff->roles;
  }
  return caller;
}

absl::StatusOr<Caller> DomainRuntime::IdentifyForQuery(Caller proven) {
  Caller caller = std::move(proven);
  auto dir = directory_.Load(std::string(domain::kDirectoryStreamId));
  if (!dir.ok()) return dir.status();
  if (absl::Status s = EndSessionOfLeaver(caller, *dir->state); !s.ok()) {
    return s;
  }
  const auto* staff = dir->state->FindStaff(caller.staff_id);
  if (staff == nullptr) {
    return RefuseUnknown(caller, "register them before they read cases");
  }
  if (staff->HasLeft()) {
    return errors::StaffLeftMayNotRead(caller.staff_id);
  }
  if (!caller.agency_id.empty() &&
      caller.agency_id != staff->staff.agency_id()) {
    return errors::StaffOfAnotherAgency(
        caller.staff_id, staff->staff.agency_id(), caller.agency_id);
  }
  caller.agency_id = staff->staff.agency_id();
  caller.roles = staff->roles;
  return caller;
}

}  // namespace renkei::app

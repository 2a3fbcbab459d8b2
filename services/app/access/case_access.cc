#include "services/app/access/case_access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "renkei/v1/access.pb.h"
#include "services/app/errors.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"
#include "services/read_models/case_projection.h"
#include "services/read_models/case_rows.h"
#include "services/read_models/read_model_store.h"
#include "storage/status_macros.h"

namespace renkei::app {

app::Reader ReaderOf(DomainRuntime& rt, const Caller& caller,
                     ReadPurpose purpose) {
  return app::Reader{.staff_id = caller.staff_id,
                     .agency_id = caller.agency_id,
                     .role = rt.IsAuditor(caller)
                                 ? app::ReaderRole::kAuditor
                                 : app::ReaderRole::kPractitioner,
                     .purpose = purpose.purpose,
                     .forum_id = std::move(purpose.forum_id),
                     .now = rt.Now()};
}

absl::StatusOr<CaseRead> LoadCaseForReader(
    DomainRuntime& rt, const Caller& caller, const std::string& case_id,
    absl::string_view query, ReadPurpose purpose, bool require_case_reader) {
  RENKEI_RETURN_IF_ERROR(domain::ValidateId("case_id", case_id));
  if (!purpose.forum_id.empty()) {
    RENKEI_RETURN_IF_ERROR(domain::ValidateId("forum_id", purpose.forum_id));
  }
  CaseRead read;
  RENKEI_ASSIGN_OR_RETURN(read.snapshot,
                          rt.cases().Load(domain::CaseStreamId(case_id)));
  if (read.snapshot.version == 0 || !read.snapshot.state->opened) {
    return app::CaseNotVisible(case_id);
  }
  read.access = std::make_unique<app::AccessDecision>(
      *read.snapshot.state, ReaderOf(rt, caller, std::move(purpose)));
  if (read.access->relation() == app::CaseRelation::kNone) {
    return app::CaseNotVisible(case_id);
  }
  if (require_case_reader) {
    if (absl::Status refused = read.access->RequireCaseReader();
        !refused.ok()) {
      return RecordDeniedRead(rt, caller, case_id, query, refused);
    }
  }
  return read;
}

absl::StatusOr<CaseRowRead> ReadCaseRowForReader(DomainRuntime& rt,
                                                 const Caller& caller,
                                                 const std::string& case_id,
                                                 absl::string_view query) {
  RENKEI_RETURN_IF_ERROR(domain::ValidateId("case_id", case_id));
  CaseRowRead read;
  RENKEI_ASSIGN_OR_RETURN(read.models, rt.ReadModelsAfterCommands());
  RENKEI_ASSIGN_OR_RETURN(auto row,
                          read_models::ReadCaseRow(*read.models, case_id));
  if (!row || !row->opened()) return app::CaseNotVisible(case_id);
  read.row = std::move(*row);
  auto on_team =
      read.models->Get(read_models::keys::Caseload(caller.agency_id, case_id));
  if (!on_team.ok() && !absl::IsNotFound(on_team.status())) {
    return on_team.status();
  }
  if (!on_team.ok() && !rt.IsAuditor(caller)) {
    // Not on the team by the rows: the access decision on the folded case
    // says whether, and how, to refuse (and records a refusal it makes).
    RENKEI_ASSIGN_OR_RETURN(CaseRead decided,
                            LoadCaseForReader(rt, caller, case_id, query));
    read.basis = decided.access->CaseBasis();
    return read;
  }
  read.basis = ReaderBasis(caller, on_team.ok());
  return read;
}

std::string ReaderBasis(const Caller& caller, bool on_team) {
  return on_team ? app::TeamMemberBasis(caller.agency_id)
                 : app::AuditorBasis(caller.agency_id);
}

namespace {

absl::Status ReadNotRecorded(absl::string_view case_id,
                             const absl::Status& cause) {
  return errors::CaseReadNotRecorded(case_id, cause);
}

storage::AppendRequest ReadAppend(DomainRuntime& rt, const Caller& caller,
                                  const v1::CaseContentRead& read) {
  const std::string& case_id = read.case_id();
  storage::AppendRequest append;
  append.stream_id = absl::StrCat(read_models::kAccessStreamPrefix, case_id);
  v1::ProposedEvent& event = append.events.emplace_back();
  const std::string key =
      absl::StrCat("read/", caller.request_id, "/", case_id, "/", read.query(),
                   "/", read.ref_id(), "/", read.denied() ? "denied/" : "",
                   absl::ToUnixNanos(absl::Now()));
  event.set_event_id(CommandPipeline::DeriveEventId(key, 0));
  event.set_event_type(std::string(read_models::kCaseContentReadType));
  event.mutable_payload()->PackFrom(read);
  *event.mutable_occurred_at() = domain::ToTimestamp(rt.Now());
  event.mutable_actor()->set_staff_id(caller.staff_id);
  event.mutable_actor()->set_agency_id(caller.agency_id);
  event.set_correlation_id(caller.request_id);
  return append;
}

absl::Status AppendRead(DomainRuntime& rt, const Caller& caller,
                        v1::CaseContentRead read) {
  const std::string case_id = read.case_id();
  // Concurrent reads share the log's group commit (one fsync per burst).
  auto appended = rt.log().Append(ReadAppend(rt, caller, read));
  if (!appended.ok()) return ReadNotRecorded(case_id, appended.status());
  return absl::OkStatus();
}

}  // namespace

absl::Status RecordCaseReads(DomainRuntime& rt, const Caller& caller,
                             absl::string_view query,
                             const std::vector<CaseReadRecord>& reads) {
  struct Outcome {
    absl::Mutex mu;
    size_t pending ABSL_GUARDED_BY(mu) = 0;
    absl::Status first_error ABSL_GUARDED_BY(mu);
  };
  auto outcome = std::make_shared<Outcome>();
  {
    absl::MutexLock lock(&outcome->mu);
    outcome->pending = reads.size();
  }
  // All queued before any is awaited: the log's writer commits them in one
  // batch (one fsync) where it can.
  for (const CaseReadRecord& r : reads) {
    v1::CaseContentRead read;
    read.set_case_id(r.case_id);
    read.set_staff_id(caller.staff_id);
    read.set_agency_id(caller.agency_id);
    read.set_query(std::string(query));
    read.set_basis(r.basis);
    read.set_ref_id(r.ref_id);
    rt.log().AppendAsync(ReadAppend(rt, caller, read),
                         [outcome, case_id = r.case_id](
                             absl::StatusOr<storage::AppendResult> result) {
                           absl::MutexLock lock(&outcome->mu);
                           if (!result.ok() && outcome->first_error.ok()) {
                             outcome->first_error =
                                 ReadNotRecorded(case_id, result.status());
                           }
                           --outcome->pending;
                         });
  }
  absl::MutexLock lock(&outcome->mu);
  outcome->mu.Await(absl::Condition(
      +[](Outcome* o)
           ABSL_EXCLUSIVE_LOCKS_REQUIRED(o->mu) { return o->pending == 0; },
      outcome.get()));
  return outcome->first_error;
}

absl::Status RecordDeniedRead(DomainRuntime& rt, const Caller& caller,
                              const std::string& case_id,
                              absl::string_view query,
                              const absl::Status& refusal,
                              absl::string_view ref_id) {
  v1::CaseContentRead read;
  read.set_case_id(case_id);
  read.set_staff_id(caller.staff_id);
  read.set_agency_id(caller.agency_id);
  read.set_query(std::string(query));
  read.set_ref_id(std::string(ref_id));
  read.set_denied(true);
  read.set_rule(std::string(refusal.message()));
  RENKEI_RETURN_IF_ERROR(AppendRead(rt, caller, std::move(read)));
  return refusal;
}

absl::Status RecordCaseRead(DomainRuntime& rt, const Caller& caller,
                            const std::string& case_id, absl::string_view query,
                            absl::string_view basis, absl::string_view ref_id) {
  v1::CaseContentRead read;
  read.set_case_id(case_id);
  read.set_staff_id(caller.staff_id);
  read.set_agency_id(caller.agency_id);
  read.set_query(std::string(query));
  read.set_basis(std::string(basis));
  read.set_ref_id(std::string(ref_id));
  return AppendRead(rt, caller, std::move(read));
}

absl::StatusOr<std::shared_ptr<const domain::CaseState>> FoldCaseAtVersion(
    DomainRuntime& rt, const std::string& case_id, uint64_t version) {
  const std::string stream = domain::CaseStreamId(case_id);
  if (version == 0) {
    RENKEI_ASSIGN_OR_RETURN(CaseSnapshot snapshot, rt.cases().Load(stream));
    return snapshot.state;
  }
  auto state = std::make_shared<domain::CaseState>();
  while (state->version < version) {
    storage::ReadStreamQuery q;
    q.stream_id = stream;
    q.from_version = state->version + 1;
    q.limit =
        static_cast<size_t>(std::min<uint64_t>(version - state->version, 1000));
    RENKEI_ASSIGN_OR_RETURN(auto events, rt.log().ReadStream(q));
    if (events.empty()) break;
    for (const v1::EventEnvelope& envelope : events) {
      if (envelope.stream_version() > version) break;
      RENKEI_ASSIGN_OR_RETURN(v1::CaseEvent event,
                              domain::CaseEventFromEnvelope(envelope));
      domain::Evolve(*state, event);
    }
  }
  return std::shared_ptr<const domain::CaseState>(std::move(state));
}

void SummarizeCaseRows(const domain::CaseState& state, const v1::CaseRow& row,
                       absl::Time now, v1::CaseSummary& summary) {
  SummarizeCase(state, row.version(), now, summary);
  summary.set_entries(row.entries());
  if (row.has_last_activity_at()) {
    *summary.mutable_last_activity_at() = row.last_activity_at();
  }
}

absl::Status AddPersonalFields(DomainRuntime& rt, const std::string& case_id,
                               v1::CaseSummary& summary) {
  RENKEI_ASSIGN_OR_RETURN(auto snapshot,
                          rt.cases().Load(domain::CaseStreamId(case_id)));
  const domain::CaseState& state = *snapshot.state;
  summary.set_title(state.opening.title());
  summary.set_closure_reason(state.closure_reason);
  summary.clear_erased_subject_ids();
  for (const auto& [id, at] : state.erased_subjects) {
    summary.add_erased_subject_ids(id);
  }
  summary.set_erased(state.erased_at.has_value());
  for (v1::Subject& subject : *summary.mutable_subjects()) {
    if (const v1::Subject* full = state.FindSubject(subject.subject_id())) {
      subject = *full;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CaseTitle(DomainRuntime& rt,
                                      const std::string& case_id) {
  RENKEI_ASSIGN_OR_RETURN(auto snapshot,
                          rt.cases().Load(domain::CaseStreamId(case_id)));
  return snapshot.state->opening.title();
}

void SummarizeCase(const domain::CaseState& state, uint64_t version,
                   absl::Time now, v1::CaseSummary& summary) {
  summary.set_case_id(state.case_id);
  for (const auto& [id, at] : state.erased_subjects) {
    summary.add_erased_subject_ids(id);
  }
  summary.set_erased(state.erased_at.has_value());
  summary.set_kind(state.opening.kind());
  summary.set_title(state.opening.title());
  summary.set_closed(state.closed);
  summary.set_closure_reason(state.closure_reason);
  for (auto f : state.frameworks) summary.add_frameworks(f);
  summary.set_registration(state.registration);
  *summary.mutable_opened_at() = domain::ToTimestamp(state.opened_at);
  for (const auto& [id, subject] : state.subjects)
    *summary.add_subjects() = subject;
  for (const auto& [agency, periods] : state.team) {
    if (periods.empty() || periods.back().left_at.has_value()) continue;
    auto* member = summary.add_team();
    member->set_agency_id(agency);
    *member->mutable_joined_at() =
        domain::ToTimestamp(periods.back().joined_at);
  }
  summary.set_version(version);
  summary.set_entries(static_cast<int32_t>(state.entries.size()));
  int32_t in_force = 0, refusals = 0, open_referrals = 0;
  for (const auto& [id, consent] : state.consents) {
    in_force += consent.InForceAt(now);
    refusals += consent.RefusalStandingAt(now);
  }
  for (const auto& [id, referral] : state.referrals) {
    open_referrals += referral.status != v1::REFERRAL_STATUS_CLOSED &&
                      referral.status != v1::REFERRAL_STATUS_NOT_ACCEPTED;
  }
  summary.set_consents_in_force(in_force);
  summary.set_refusals_standing(refusals);
  summary.set_open_referrals(open_referrals);
  for (const auto& current : domain::LeadsAt(state, now, now)) {
    auto* lead = summary.add_stage_leads();
    lead->set_stage_id(current.stage_id());
    if (const v1::SupportStage* stage = state.FindStage(current.stage_id())) {
      lead->set_stage_title(stage->title());
    }
    lead->set_lead_agency_id(current.lead().agency_id());
    lead->set_key_person_staff_id(current.lead().key_person_staff_id());
  }
  if (!state.timeline.empty()) {
    *summary.mutable_last_activity_at() =
        domain::ToTimestamp(state.timeline.back().occurred_at);
  }
  if (!state.lead_sides.empty()) {
    summary.set_lead_side(state.lead_side());
    *summary.mutable_lead_side_decision() =
        state.lead_sides.back().set.decision();
  }
  summary.set_review_interval_days(state.review_interval_days);
}

}  // namespace renkei::app

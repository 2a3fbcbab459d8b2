#include "services/server/conference_service.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/app/access/case_access.h"
#include "services/domain/conference/anonymised_view.h"
#include "services/read_models/read_model_store.h"
#include "services/server/errors.h"
#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;
namespace {

// The same answer whether a conference does not exist or the caller may not
// see it: no oracle of which conference ids exist.
absl::Status ConferenceNotVisible(const std::string& conference_id) {
  return errors::ConferenceNotVisible(conference_id);
}

// The basis a conference read of its cases is recorded with.
std::string ConferenceReadBasis(bool auditor, const std::string& agency_id) {
  return auditor ? absl::StrCat("auditor agency '", agency_id, "'")
                 : absl::StrCat("conference participant '", agency_id, "'");
}

}  // namespace

grpc::ServerUnaryReactor* ConferenceServiceImpl::ScheduleConference(
    grpc::CallbackServerContext* ctx, const v1::ScheduleConferenceRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_schedule_conference>(
      rt_, ctx, *req, req->conference_id(), reply, "ScheduleConference");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::HoldConference(
    grpc::CallbackServerContext* ctx, const v1::HoldConferenceRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_hold_conference>(
      rt_, ctx, *req, req->conference_id(), reply, "HoldConference");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::RecordMinutes(
    grpc::CallbackServerContext* ctx, const v1::RecordMinutesRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_record_minutes>(
      rt_, ctx, *req, req->conference_id(), reply, "RecordMinutes");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::RecordConferenceDecision(
    grpc::CallbackServerContext* ctx,
    const v1::RecordConferenceDecisionRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_record_conference_decision>(
      rt_, ctx, *req, req->conference_id(), reply, "RecordConferenceDecision");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::AgreeRoleSplit(
    grpc::CallbackServerContext* ctx, const v1::AgreeRoleSplitRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_agree_role_split>(
      rt_, ctx, *req, req->conference_id(), reply, "AgreeRoleSplit");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::AssignActionItem(
    grpc::CallbackServerContext* ctx, const v1::AssignActionItemRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_assign_action_item>(
      rt_, ctx, *req, req->conference_id(), reply, "AssignActionItem");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::CompleteActionItem(
    grpc::CallbackServerContext* ctx, const v1::CompleteActionItemRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_complete_action_item>(
      rt_, ctx, *req, req->conference_id(), reply, "CompleteActionItem");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::ReassignActionItem(
    grpc::CallbackServerContext* ctx, const v1::ReassignActionItemRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_reassign_action_item>(
      rt_, ctx, *req, req->conference_id(), reply, "ReassignActionItem");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::CancelConference(
    grpc::CallbackServerContext* ctx, const v1::CancelConferenceRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_cancel_conference>(
      rt_, ctx, *req, req->conference_id(), reply, "CancelConference");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::RecordCaseReview(
    grpc::CallbackServerContext* ctx, const v1::RecordCaseReviewRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::ConferenceCommand::mutable_record_case_review>(
      rt_, ctx, *req, req->conference_id(), reply, "RecordCaseReview");
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::ListMyActionItems(
    grpc::CallbackServerContext* ctx, const v1::ListMyActionItemsRequest* req,
    v1::ListMyActionItemsResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    const absl::Time as_of =
        req->has_as_of() ? domain::ToTime(req->as_of()) : rt_.Now();
    RENKEI_ASSIGN_OR_RETURN(auto* models, rt_.ReadModelsAfterCommands());
    absl::Status parse = absl::OkStatus();
    RENKEI_RETURN_IF_ERROR(models->Scan(
        read_models::keys::AssignedItemPrefix(caller.staff_id), "",
        [&](absl::string_view, absl::string_view value) {
          v1::MyActionItem row;
          if (!row.ParseFromArray(value.data(),
                                  static_cast<int>(value.size()))) {
            parse = errors::RowMalformed("action item row");
            return false;
          }
          row.set_overdue(row.item().has_due() &&
                          domain::ToTime(row.item().due()) < as_of);
          *resp->add_items() = std::move(row);
          return true;
        }));
    return parse;
  });
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::ListUpcomingConferences(
    grpc::CallbackServerContext* ctx,
    const v1::ListUpcomingConferencesRequest* req,
    v1::ListUpcomingConferencesResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    const absl::Time from =
        req->has_from() ? domain::ToTime(req->from()) : rt_.Now();
    RENKEI_ASSIGN_OR_RETURN(auto* models, rt_.ReadModelsAfterCommands());
    std::vector<v1::UpcomingConference> out;
    absl::Status parse = absl::OkStatus();
    RENKEI_RETURN_IF_ERROR(models->Scan(
        read_models::keys::kUpcomingPrefix, "",
        [&](absl::string_view, absl::string_view value) {
          v1::ConferenceScheduled s;
          if (!s.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            parse = errors::RowMalformed("upcoming conference row");
            return false;
          }
          if (domain::ToTime(s.scheduled_for()) < from) return true;
          const bool invited =
              s.convener().staff_id() == caller.staff_id ||
              s.coordinating_agency_id() == caller.agency_id ||
              std::any_of(s.invitees().begin(), s.invitees().end(),
                          [&](const v1::Invitee& i) {
                            return i.staff_id() == caller.staff_id ||
                                   (i.staff_id().empty() &&
                                    i.agency_id() == caller.agency_id);
                          });
          if (!invited) return true;
          v1::UpcomingConference u;
          u.set_conference_id(s.conference_id());
          u.set_type(s.type());
          u.set_title(s.title());
          *u.mutable_scheduled_for() = s.scheduled_for();
          u.set_coordinating_agency_id(s.coordinating_agency_id());
          *u.mutable_convener() = s.convener();
          u.set_agenda_cases(s.agenda_cases_size());
          out.push_back(std::move(u));
          return true;
        }));
    RENKEI_RETURN_IF_ERROR(parse);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return domain::ToTime(a.scheduled_for()) <
             domain::ToTime(b.scheduled_for());
    });
    for (auto& u : out) *resp->add_conferences() = std::move(u);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::GetConference(
    grpc::CallbackServerContext* ctx, const v1::GetConferenceRequest* req,
    v1::ConferenceView* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_RETURN_IF_ERROR(
        domain::ValidateId("conference_id", req->conference_id()));
    RENKEI_ASSIGN_OR_RETURN(
        auto snapshot, rt_.conferences().Load(
                           domain::ConferenceStreamId(req->conference_id())));
    const bool auditor = rt_.IsAuditor(caller);
    const domain::ConferenceState& state = *snapshot.state;
    // The same answer whether the conference does not exist or the caller
    // may not see it: no oracle of which conference ids exist.
    // Its participants: the convener, attendees, staff of the coordinating
    // body, and those invited (a staff member, or the whole agency) — as
    // ListUpcomingConferences lists it.
    v1::Actor me;
    me.set_staff_id(caller.staff_id);
    me.set_agency_id(caller.agency_id);
    const bool invited = std::any_of(
        state.schedule.invitees().begin(), state.schedule.invitees().end(),
        [&](const v1::Invitee& i) {
          return i.staff_id() == caller.staff_id ||
                 (i.staff_id().empty() && i.agency_id() == caller.agency_id);
        });
    if (snapshot.version == 0 || !state.scheduled ||
        (!auditor && !invited && !state.IsParticipant(me))) {
      return ConferenceNotVisible(req->conference_id());
    }
    if (state.schedule.anonymised()) {
      return errors::ConferenceAnonymised(req->conference_id());
    }
    const absl::Time now = rt_.Now();
    *resp->mutable_schedule() = state.schedule;
    *resp->mutable_scheduled_at() = domain::ToTimestamp(state.scheduled_at);
    if (state.held_at.has_value()) {
      *resp->mutable_held_at() = domain::ToTimestamp(*state.held_at);
      *resp->mutable_attendance() = state.held.attendance();
    }
    if (state.cancelled_at.has_value()) {
      *resp->mutable_cancelled_at() = domain::ToTimestamp(*state.cancelled_at);
      resp->set_cancellation_reason(state.cancellation_reason);
    }
    for (const domain::MinutesState& m : state.minutes) {
      v1::ConferenceMinutes* out = resp->add_minutes();
      out->set_text(m.text);
      *out->mutable_recorded_at() = domain::ToTimestamp(m.at);
      *out->mutable_recorded_by() = m.recorded_by;
    }
    for (const std::string& id : state.decision_order) {
      const domain::DecisionState* d = state.FindDecision(id);
      if (d == nullptr) continue;
      v1::ConferenceDecisionView* out = resp->add_decisions();
      *out->mutable_decision() = d->decision;
      *out->mutable_recorded_at() = domain::ToTimestamp(d->at);
      *out->mutable_recorded_by() = d->recorded_by;
    }
    if (!state.role_splits.empty()) {
      for (const v1::RoleAssignment& role : state.role_splits.back().roles) {
        *resp->add_roles() = role;
      }
    }
    for (const std::string& id : state.action_item_order) {
      const domain::ActionItemState* a = state.FindActionItem(id);
      if (a == nullptr) continue;
      v1::ActionItemView* out = resp->add_action_items();
      *out->mutable_item() = a->item;
      if (a->completed_at.has_value()) {
        *out->mutable_completed_at() = domain::ToTimestamp(*a->completed_at);
        out->set_completion_note(a->completion_note);
      }
      out->set_overdue(!state.is_cancelled() && a->OverdueAt(now));
    }
    // What the conference said about its cases reached the caller.
    const std::string basis = ConferenceReadBasis(auditor, caller.agency_id);
    std::vector<app::CaseReadRecord> reads;
    for (const v1::AgendaCase& agenda : state.schedule.agenda_cases()) {
      reads.push_back({agenda.case_id(), basis, req->conference_id()});
    }
    absl::Status recorded =
        app::RecordCaseReads(rt_, caller, "GetConference", reads);
    if (!recorded.ok()) resp->Clear();
    return recorded;
  });
}

grpc::ServerUnaryReactor* ConferenceServiceImpl::GetAnonymisedConference(
    grpc::CallbackServerContext* ctx,
    const v1::GetAnonymisedConferenceRequest* req,
    v1::AnonymisedConference* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_RETURN_IF_ERROR(
        domain::ValidateId("conference_id", req->conference_id()));
    RENKEI_ASSIGN_OR_RETURN(
        auto snapshot, rt_.conferences().Load(
                           domain::ConferenceStreamId(req->conference_id())));
    const bool auditor = rt_.IsAuditor(caller);
    // The same answer whether the conference does not exist or the caller
    // may not see it: no oracle of which conference ids exist.
    if (snapshot.version == 0 || !snapshot.state->scheduled ||
        (!auditor && !domain::ConferenceVisibleToAgency(*snapshot.state,
                                                        caller.agency_id))) {
      return ConferenceNotVisible(req->conference_id());
    }
    // Each case as the conference discussed it (its pinned version).
    app::LoadedLookup loaded;
    std::vector<std::string> case_ids;
    for (const v1::AgendaCase& agenda :
         domain::PinnedAgendaCases(*snapshot.state)) {
      RENKEI_ASSIGN_OR_RETURN(
          auto state,
          app::FoldCaseAtVersion(rt_, agenda.case_id(), agenda.case_version()));
      if (state->version > 0) loaded.cases[agenda.case_id()] = std::move(state);
      case_ids.push_back(agenda.case_id());
    }
    const domain::AnonymisedViewer viewer{
        .agency_id = caller.agency_id, .auditor = auditor, .at = rt_.Now()};
    *resp = domain::AnonymisedView(*snapshot.state, loaded.lookup(),
                                   pseudonym_key_, viewer);
    // Facts of the cases' content reached the caller: each is a read.
    const std::string basis = ConferenceReadBasis(auditor, caller.agency_id);
    std::vector<app::CaseReadRecord> reads;
    for (const std::string& case_id : case_ids) {
      reads.push_back({case_id, basis, req->conference_id()});
    }
    absl::Status recorded =
        app::RecordCaseReads(rt_, caller, "GetAnonymisedConference", reads);
    if (!recorded.ok()) resp->Clear();
    return recorded;
  });
}

}  // namespace renkei::server

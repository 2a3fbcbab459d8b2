#include "services/server/case_service.h"

#include <algorithm>
#include <limits>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "renkei/v1/read_models.pb.h"
#include "services/app/access/case_access.h"
#include "services/domain/case/lead_ledger.h"
#include "services/domain/case/sharing.h"
#include "services/read_models/case_rows.h"
#include "services/read_models/read_model_store.h"
#include "services/server/errors.h"
#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;
namespace {

constexpr int32_t kDefaultTimelinePage = 100;
constexpr int32_t kMaxTimelinePage = 1000;

bool IsEntryEvent(const std::string& type) {
  return type == "renkei.v1.EntryRecorded" ||
         type == "renkei.v1.EntryAmended" || type == "renkei.v1.EntryRetracted";
}

// Fills the content of an entry line as the reader may see it, or redacts
// it with the rule (never silently dropped).
void ShowOrRedactEntry(const app::AccessDecision& access,
                       const domain::CaseState& state,
                       v1::TimelineItemView& item, int32_t& redacted,
                       std::set<std::string>& bases) {
  const domain::EntryState* entry = state.FindEntry(item.ref_id());
  if (entry == nullptr) return;
  // The version this event recorded: an amendment is its own later item,
  // pointing at the original; the original shows what was first recorded.
  const uint32_t version = entry->VersionRecordedAt(item.stream_version());
  if (version != 1) {
    item.set_amends_stream_version(entry->versions.front().stream_version);
  }
  // A retraction carries no content of its own.
  if (version == 0) return;
  item.set_entry_version(version);
  const domain::EntryAccess decision =
      access.ShowEntryVersion(*entry, version, item.mutable_entry());
  if (decision.allowed()) {
    *item.mutable_basis() = decision.decision.basis();
    bases.insert(app::DescribeBasis(decision.decision.basis()));
    return;
  }
  item.clear_entry();
  item.set_redacted(true);
  item.set_redaction(decision.decision.denial_reason());
  item.set_redaction_reason(
      decision.decision.explanation().empty()
          ? v1::SharingDenialReason_Name(decision.decision.denial_reason())
          : decision.decision.explanation());
  ++redacted;
}

}  // namespace

grpc::ServerUnaryReactor* CaseServiceImpl::OpenCase(
    grpc::CallbackServerContext* ctx, const v1::OpenCaseRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_open_case>(
      rt_, ctx, *req, req->case_id(), reply, "OpenCase");
}

grpc::ServerUnaryReactor* CaseServiceImpl::AddSubject(
    grpc::CallbackServerContext* ctx, const v1::AddSubjectRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_add_subject>(
      rt_, ctx, *req, req->case_id(), reply, "AddSubject");
}

grpc::ServerUnaryReactor* CaseServiceImpl::UpdateSubject(
    grpc::CallbackServerContext* ctx, const v1::UpdateSubjectRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_update_subject>(
      rt_, ctx, *req, req->case_id(), reply, "UpdateSubject");
}

grpc::ServerUnaryReactor* CaseServiceImpl::SetCaseLeadSide(
    grpc::CallbackServerContext* ctx, const v1::SetCaseLeadSideRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_set_case_lead_side>(
      rt_, ctx, *req, req->case_id(), reply, "SetCaseLeadSide");
}

grpc::ServerUnaryReactor* CaseServiceImpl::SetCaseReviewInterval(
    grpc::CallbackServerContext* ctx,
    const v1::SetCaseReviewIntervalRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_set_case_review_interval>(
      rt_, ctx, *req, req->case_id(), reply, "SetCaseReviewInterval");
}

grpc::ServerUnaryReactor* CaseServiceImpl::AddTeamAgency(
    grpc::CallbackServerContext* ctx, const v1::AddTeamAgencyRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_add_team_agency>(
      rt_, ctx, *req, req->case_id(), reply, "AddTeamAgency");
}

grpc::ServerUnaryReactor* CaseServiceImpl::RemoveTeamAgency(
    grpc::CallbackServerContext* ctx, const v1::RemoveTeamAgencyRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_remove_team_agency>(
      rt_, ctx, *req, req->case_id(), reply, "RemoveTeamAgency");
}

grpc::ServerUnaryReactor* CaseServiceImpl::ChangeCaseFrameworks(
    grpc::CallbackServerContext* ctx,
    const v1::ChangeCaseFrameworksRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_change_case_frameworks>(
      rt_, ctx, *req, req->case_id(), reply, "ChangeCaseFrameworks");
}

grpc::ServerUnaryReactor* CaseServiceImpl::ChangeCaseRegistration(
    grpc::CallbackServerContext* ctx,
    const v1::ChangeCaseRegistrationRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_change_case_registration>(
      rt_, ctx, *req, req->case_id(), reply, "ChangeCaseRegistration");
}

grpc::ServerUnaryReactor* CaseServiceImpl::CloseCase(
    grpc::CallbackServerContext* ctx, const v1::CloseCaseRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_close_case>(
      rt_, ctx, *req, req->case_id(), reply, "CloseCase");
}

grpc::ServerUnaryReactor* CaseServiceImpl::ReopenCase(
    grpc::CallbackServerContext* ctx, const v1::ReopenCaseRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_reopen_case>(
      rt_, ctx, *req, req->case_id(), reply, "ReopenCase");
}

grpc::ServerUnaryReactor* CaseServiceImpl::RecordEntry(
    grpc::CallbackServerContext* ctx, const v1::RecordEntryRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_record_entry>(
      rt_, ctx, *req, req->case_id(), reply, "RecordEntry");
}

grpc::ServerUnaryReactor* CaseServiceImpl::AmendEntry(
    grpc::CallbackServerContext* ctx, const v1::AmendEntryRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_amend_entry>(
      rt_, ctx, *req, req->case_id(), reply, "AmendEntry");
}

grpc::ServerUnaryReactor* CaseServiceImpl::RetractEntry(
    grpc::CallbackServerContext* ctx, const v1::RetractEntryRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_retract_entry>(
      rt_, ctx, *req, req->case_id(), reply, "RetractEntry");
}

grpc::ServerUnaryReactor* CaseServiceImpl::GetCaseSummary(
    grpc::CallbackServerContext* ctx, const v1::GetCaseSummaryRequest* req,
    v1::CaseSummary* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_ASSIGN_OR_RETURN(
        auto read, app::ReadCaseRowForReader(rt_, caller, req->case_id(),
                                             "GetCaseSummary"));
    RENKEI_ASSIGN_OR_RETURN(
        auto state,
        read_models::ReadCaseState(
            *read.models, req->case_id(),
            {.consents = true, .plan_and_leads = true, .referrals = true}));
    app::SummarizeCaseRows(state, read.row, rt_.Now(), *resp);
    RENKEI_RETURN_IF_ERROR(app::AddPersonalFields(rt_, req->case_id(), *resp));
    return app::RecordCaseRead(rt_, caller, req->case_id(), "GetCaseSummary",
                               read.basis);
  });
}

grpc::ServerUnaryReactor* CaseServiceImpl::GetCaseTimeline(
    grpc::CallbackServerContext* ctx, const v1::GetCaseTimelineRequest* req,
    v1::GetCaseTimelineResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    if (req->limit() < 0 || req->limit() > kMaxTimelinePage) {
      return errors::TimelineLimitOutOfRange(kMaxTimelinePage, req->limit());
    }
    v1::SharingPurpose purpose = req->purpose();
    if (purpose == v1::SHARING_PURPOSE_UNSPECIFIED) {
      purpose = v1::SHARING_PURPOSE_SUPPORT_COORDINATION;
    } else if (!v1::SharingPurpose_IsValid(purpose)) {
      return errors::UnknownSharingPurpose(req->purpose());
    }
    RENKEI_ASSIGN_OR_RETURN(
        app::CaseRead read,
        app::LoadCaseForReader(rt_, caller, req->case_id(), "GetCaseTimeline",
                               app::ReadPurpose{purpose, req->forum_id()}));
    RENKEI_ASSIGN_OR_RETURN(auto* models, rt_.ReadModelsAfterCommands());
    const size_t limit =
        req->limit() == 0 ? kDefaultTimelinePage : req->limit();
    const std::string prefix =
        read_models::keys::TimelinePrefix(req->case_id());
    int32_t redacted = 0;
    std::set<std::string> bases;
    absl::Status parse_error;
    // Items after `after_position`; nothing follows the largest position.
    const uint64_t after = req->after_position();
    const std::string start =
        after == std::numeric_limits<uint64_t>::max()
            ? read_models::keys::Timeline(req->case_id(), after) + '\xff'
            : read_models::keys::Timeline(req->case_id(), after + 1);
    RENKEI_RETURN_IF_ERROR(models->Scan(
        prefix, start, [&](absl::string_view, absl::string_view value) {
          v1::TimelineItemView item;
          if (!item.ParseFromArray(value.data(),
                                   static_cast<int>(value.size()))) {
            parse_error = errors::RowMalformed("timeline row");
            return false;
          }
          if (req->event_types_size() > 0 &&
              std::find(req->event_types().begin(), req->event_types().end(),
                        item.event_type()) == req->event_types().end()) {
            return true;
          }
          if (!req->subject_id().empty() &&
              std::find(item.subject_ids().begin(), item.subject_ids().end(),
                        req->subject_id()) == item.subject_ids().end()) {
            return true;
          }
          if (resp->items_size() == static_cast<int>(limit)) {
            resp->set_next_after_position(resp->items().rbegin()->position());
            return false;
          }
          if (IsEntryEvent(item.event_type())) {
            ShowOrRedactEntry(*read.access, read.state(), item, redacted,
                              bases);
          }
          *resp->add_items() = std::move(item);
          return true;
        }));
    RENKEI_RETURN_IF_ERROR(parse_error);
    resp->set_redacted_count(redacted);
    // On what basis: team membership (or audit), and the legal basis of
    // each entry shown.
    std::string basis = read.access->CaseBasis();
    if (!bases.empty()) {
      absl::StrAppend(&basis,
                      "; entries shown on: ", absl::StrJoin(bases, "; "));
    }
    return app::RecordCaseRead(rt_, caller, req->case_id(), "GetCaseTimeline",
                               basis);
  });
}

grpc::ServerUnaryReactor* CaseServiceImpl::ListCaseload(
    grpc::CallbackServerContext* ctx, const v1::ListCaseloadRequest* req,
    v1::ListCaseloadResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_ASSIGN_OR_RETURN(auto* models, rt_.ReadModelsAfterCommands());
    const std::string prefix =
        read_models::keys::CaseloadPrefix(caller.agency_id);
    std::vector<std::string> case_ids;
    RENKEI_RETURN_IF_ERROR(
        models->Scan(prefix, "", [&](absl::string_view key, absl::string_view) {
          case_ids.emplace_back(key.substr(prefix.size()));
          return true;
        }));
    for (const auto& case_id : case_ids) {
      RENKEI_ASSIGN_OR_RETURN(std::string bytes,
                              models->Get(read_models::keys::Case(case_id)));
      v1::CaseRow row;
      if (!row.ParseFromString(bytes)) {
        return errors::RowMalformed("case row");
      }
      if (row.closed() && !req->include_closed()) continue;
      auto* item = resp->add_cases();
      item->set_case_id(row.case_id());
      RENKEI_ASSIGN_OR_RETURN(std::string title, app::CaseTitle(rt_, case_id));
      item->set_title(std::move(title));
      item->set_registration(row.registration());
      item->set_closed(row.closed());
      *item->mutable_last_activity_at() = row.last_activity_at();
      item->set_lead_side(row.lead_side().lead_side());
      // The stages the caller's agency leads now.
      RENKEI_ASSIGN_OR_RETURN(const domain::CaseState leads,
                              read_models::ReadCaseState(
                                  *models, case_id, {.plan_and_leads = true}));
      const absl::Time now = rt_.Now();
      for (const auto& lead : domain::LeadsAt(leads, now, now)) {
        if (lead.lead().agency_id() == caller.agency_id) {
          item->add_stages_led(lead.stage_id());
        }
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace renkei::server

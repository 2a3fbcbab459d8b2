#include "services/server/referral_service.h"

#include "absl/strings/str_cat.h"
#include "services/app/access/case_access.h"
#include "services/domain/case/referral_view.h"
#include "services/domain/time_util.h"
#include "services/read_models/read_model_store.h"
#include "services/server/errors.h"
#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;

grpc::ServerUnaryReactor* ReferralServiceImpl::MakeReferral(
    grpc::CallbackServerContext* ctx, const v1::MakeReferralRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_make_referral>(
      rt_, ctx, *req, req->case_id(), reply, "MakeReferral");
}

grpc::ServerUnaryReactor* ReferralServiceImpl::AcceptReferral(
    grpc::CallbackServerContext* ctx, const v1::AcceptReferralRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_accept_referral>(
      rt_, ctx, *req, req->case_id(), reply, "AcceptReferral");
}

grpc::ServerUnaryReactor* ReferralServiceImpl::DeclineReferral(
    grpc::CallbackServerContext* ctx, const v1::DeclineReferralRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_decline_referral>(
      rt_, ctx, *req, req->case_id(), reply, "DeclineReferral");
}

grpc::ServerUnaryReactor* ReferralServiceImpl::ReturnReferral(
    grpc::CallbackServerContext* ctx, const v1::ReturnReferralRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_return_referral>(
      rt_, ctx, *req, req->case_id(), reply, "ReturnReferral");
}

grpc::ServerUnaryReactor* ReferralServiceImpl::ReferReferralOn(
    grpc::CallbackServerContext* ctx, const v1::ReferReferralOnRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_refer_referral_on>(
      rt_, ctx, *req, req->case_id(), reply, "ReferReferralOn");
}

grpc::ServerUnaryReactor* ReferralServiceImpl::GiveReferralFeedback(
    grpc::CallbackServerContext* ctx,
    const v1::GiveReferralFeedbackRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_give_referral_feedback>(
      rt_, ctx, *req, req->case_id(), reply, "GiveReferralFeedback");
}

grpc::ServerUnaryReactor* ReferralServiceImpl::CloseReferral(
    grpc::CallbackServerContext* ctx, const v1::CloseReferralRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_close_referral>(
      rt_, ctx, *req, req->case_id(), reply, "CloseReferral");
}

grpc::ServerUnaryReactor* ReferralServiceImpl::ReassignReferralHandler(
    grpc::CallbackServerContext* ctx,
    const v1::ReassignReferralHandlerRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_reassign_referral_handler>(
      rt_, ctx, *req, req->case_id(), reply, "ReassignReferralHandler");
}

grpc::ServerUnaryReactor* ReferralServiceImpl::GetReferral(
    grpc::CallbackServerContext* ctx, const v1::GetReferralRequest* req,
    v1::ReferralView* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_RETURN_IF_ERROR(domain::ValidateId("case_id", req->case_id()));
    RENKEI_RETURN_IF_ERROR(
        domain::ValidateId("referral_id", req->referral_id()));
    // Referrer and receiver see their own views, whether or not on the
    // team; each sent entry is decided again for the caller.
    RENKEI_ASSIGN_OR_RETURN(
        app::CaseRead read,
        app::LoadCaseForReader(rt_, caller, req->case_id(), "GetReferral",
                               app::ReadPurpose{},
                               /*require_case_reader=*/false));
    auto view = read.access->ShowReferral(req->referral_id());
    if (!view.ok()) {
      // A related agency that is no party: refused, and the refusal
      // recorded.
      return app::RecordDeniedRead(rt_, caller, req->case_id(), "GetReferral",
                                   view.status(), req->referral_id());
    }
    *resp = *std::move(view);
    const std::string basis = absl::StrCat(
        resp->role() == v1::REFERRAL_VIEWER_ROLE_RECEIVER ? "receiver '"
        : rt_.IsAuditor(caller)                           ? "auditor agency '"
                                                          : "referrer '",
        caller.agency_id, "'");
    return app::RecordCaseRead(rt_, caller, req->case_id(), "GetReferral",
                               basis, req->referral_id());
  });
}

namespace {

absl::StatusOr<v1::ReferralListing> LoadListing(
    const read_models::ReadModelStore& models, absl::string_view index_key,
    size_t prefix_size) {
  // Index keys are <prefix><case>\0<referral>.
  absl::string_view rest = index_key.substr(prefix_size);
  const size_t sep = rest.find('\0');
  if (sep == absl::string_view::npos) {
    return errors::RowMalformed("referral index key");
  }
  RENKEI_ASSIGN_OR_RETURN(std::string bytes,
                          models.Get(read_models::keys::Referral(
                              rest.substr(0, sep), rest.substr(sep + 1))));
  v1::ReferralListing listing;
  if (!listing.ParseFromString(bytes)) {
    return errors::RowMalformed("referral row");
  }
  return listing;
}

// Every referral listed under `prefix` in the read models.
absl::StatusOr<std::vector<v1::ReferralListing>> ListUnder(
    const read_models::ReadModelStore& models, const std::string& prefix) {
  std::vector<std::string> index_keys;
  RENKEI_RETURN_IF_ERROR(
      models.Scan(prefix, "", [&](absl::string_view key, absl::string_view) {
        index_keys.emplace_back(key);
        return true;
      }));
  std::vector<v1::ReferralListing> out;
  for (const auto& key : index_keys) {
    RENKEI_ASSIGN_OR_RETURN(auto listing,
                            LoadListing(models, key, prefix.size()));
    out.push_back(std::move(listing));
  }
  return out;
}

}  // namespace

grpc::ServerUnaryReactor* ReferralServiceImpl::ListReferrals(
    grpc::CallbackServerContext* ctx, const v1::ListReferralsRequest* req,
    v1::ListReferralsResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    if (req->direction() != v1::REFERRAL_DIRECTION_INCOMING &&
        req->direction() != v1::REFERRAL_DIRECTION_OUTGOING) {
      return errors::InvalidReferralDirection();
    }
    RENKEI_ASSIGN_OR_RETURN(auto* models, rt_.ReadModelsAfterCommands());
    const std::string prefix =
        req->direction() == v1::REFERRAL_DIRECTION_INCOMING
            ? read_models::keys::IncomingPrefix(caller.agency_id)
            : read_models::keys::OutgoingPrefix(caller.agency_id);
    RENKEI_ASSIGN_OR_RETURN(auto listings, ListUnder(*models, prefix));
    for (auto& listing : listings) {
      if (listing.status() == v1::REFERRAL_STATUS_CLOSED &&
          !req->include_closed()) {
        continue;
      }
      // The reason is personal: sealed in the log, never in a row; the
      // caller is the referral's party (the index it is listed under).
      RENKEI_ASSIGN_OR_RETURN(
          auto snapshot,
          rt_.cases().Load(domain::CaseStreamId(listing.case_id())));
      if (const domain::ReferralState* referral =
              snapshot.state->FindReferral(listing.referral_id())) {
        listing.set_reason(referral->referral.reason());
      }
      *resp->add_referrals() = std::move(listing);
    }
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* ReferralServiceImpl::ListOverdueReferrals(
    grpc::CallbackServerContext* ctx,
    const v1::ListOverdueReferralsRequest* req,
    v1::ListOverdueReferralsResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    const absl::Time as_of =
        req->has_as_of() ? domain::ToTime(req->as_of()) : rt_.Now();
    RENKEI_ASSIGN_OR_RETURN(auto* models, rt_.ReadModelsAfterCommands());
    for (const auto& prefix :
         {read_models::keys::IncomingPrefix(caller.agency_id),
          read_models::keys::OutgoingPrefix(caller.agency_id)}) {
      RENKEI_ASSIGN_OR_RETURN(auto listings, ListUnder(*models, prefix));
      for (const auto& listing : listings) {
        // Awaiting an answer: made and not yet accepted, declined, returned
        // or referred on.
        // ... at `as_of`: made by then, and not answered by then.
        const bool awaiting_then =
            listing.status() == v1::REFERRAL_STATUS_MADE ||
            (listing.has_answered_at() &&
             domain::ToTime(listing.answered_at()) > as_of);
        if (!awaiting_then || !listing.has_response_deadline() ||
            domain::ToTime(listing.made_at()) > as_of) {
          continue;
        }
        const absl::Time deadline = domain::ToTime(listing.response_deadline());
        if (deadline >= as_of) continue;
        auto* out = resp->add_referrals();
        out->set_case_id(listing.case_id());
        auto* overdue = out->mutable_referral();
        overdue->set_referral_id(listing.referral_id());
        overdue->set_from_agency_id(listing.from_agency_id());
        overdue->set_to_agency_id(listing.to_agency_id());
        *overdue->mutable_response_deadline() = listing.response_deadline();
        overdue->set_hours_overdue(absl::ToInt64Hours(as_of - deadline));
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace renkei::server

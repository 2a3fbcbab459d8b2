#include "services/server/consent_service.h"

#include "absl/strings/str_cat.h"
#include "services/app/access/case_access.h"
#include "services/domain/case/sharing.h"
#include "services/domain/errors.h"
#include "services/read_models/case_rows.h"
#include "services/server/errors.h"
#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;

grpc::ServerUnaryReactor* ConsentServiceImpl::GiveConsent(
    grpc::CallbackServerContext* ctx, const v1::GiveConsentRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_give_consent>(
      rt_, ctx, *req, req->case_id(), reply, "GiveConsent");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::RefuseConsent(
    grpc::CallbackServerContext* ctx, const v1::RefuseConsentRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_refuse_consent>(
      rt_, ctx, *req, req->case_id(), reply, "RefuseConsent");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::WithdrawConsent(
    grpc::CallbackServerContext* ctx, const v1::WithdrawConsentRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_withdraw_consent>(
      rt_, ctx, *req, req->case_id(), reply, "WithdrawConsent");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::ConfirmConsent(
    grpc::CallbackServerContext* ctx, const v1::ConfirmConsentRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_confirm_consent>(
      rt_, ctx, *req, req->case_id(), reply, "ConfirmConsent");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::RegisterStatutoryForum(
    grpc::CallbackServerContext* ctx,
    const v1::RegisterStatutoryForumRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_register_statutory_forum>(
      rt_, ctx, *req, req->case_id(), reply, "RegisterStatutoryForum");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::ShareInformation(
    grpc::CallbackServerContext* ctx, const v1::ShareInformationRequest* req,
    v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_share_information>(
      rt_, ctx, *req, req->case_id(), reply, "ShareInformation");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::RecordSubjectDisclosure(
    grpc::CallbackServerContext* ctx,
    const v1::RecordSubjectDisclosureRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_record_subject_disclosure>(
      rt_, ctx, *req, req->case_id(), reply, "RecordSubjectDisclosure");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::ListConsents(
    grpc::CallbackServerContext* ctx, const v1::ListConsentsRequest* req,
    v1::ListConsentsResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    if (req->expiring_within_days() < 0) {
      return errors::NegativeExpiringWithin();
    }
    // The words of each record go through the access decision, which needs
    // the team and every consent: the folded case.
    RENKEI_ASSIGN_OR_RETURN(
        app::CaseRead read,
        app::LoadCaseForReader(rt_, caller, req->case_id(), "ListConsents"));
    const domain::CaseState& state = read.state();
    const absl::Time at = req->has_at() ? domain::ToTime(req->at()) : rt_.Now();
    const int window_days =
        req->expiring_within_days() > 0 ? req->expiring_within_days() : 30;
    for (const auto& id : state.consent_order) {
      const domain::ConsentState& c = state.consents.at(id);
      const bool in_force = c.InForceAt(at);
      const bool refusal = c.RefusalStandingAt(at);
      const bool awaiting = c.AwaitingConfirmationAt(at);
      if (!in_force && !refusal && !awaiting) continue;
      v1::ConsentRecordView view;
      view.set_consent_id(id);
      const v1::SharingDecision words =
          read.access->ShowConsentTerms(c, view.mutable_terms());
      if (!words.allowed() && !c.terms.statement().empty()) {
        view.set_statement_withheld(true);
        view.set_statement_withheld_reason(words.explanation());
      }
      view.set_refusal(refusal);
      *view.mutable_decided_at() = domain::ToTimestamp(c.decided_at);
      if (c.valid_until) {
        *view.mutable_valid_until() = domain::ToTimestamp(*c.valid_until);
        view.set_expiring_soon(*c.valid_until - at <=
                               absl::Hours(24 * window_days));
      }
      view.set_awaiting_confirmation(awaiting);
      if (c.confirmed_at.has_value())
        *view.mutable_confirmed_by() = c.confirmed_by;
      *(awaiting  ? resp->add_awaiting_confirmation()
        : refusal ? resp->add_refusals()
                  : resp->add_in_force()) = std::move(view);
    }
    return app::RecordCaseRead(rt_, caller, req->case_id(), "ListConsents",
                               read.access->CaseBasis());
  });
}

grpc::ServerUnaryReactor* ConsentServiceImpl::CheckSharing(
    grpc::CallbackServerContext* ctx, const v1::CheckSharingRequest* req,
    v1::SharingDecision* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_ASSIGN_OR_RETURN(
        app::CaseRead read,
        app::LoadCaseForReader(rt_, caller, req->case_id(), "CheckSharing"));
    const domain::EntryState* entry = read.state().FindEntry(req->entry_id());
    if (entry == nullptr) {
      return errors::EntryNotOnCase(req->entry_id(), req->case_id());
    }
    RENKEI_RETURN_IF_ERROR(
        domain::ValidateId("recipient_agency_id", req->recipient_agency_id()));
    RENKEI_RETURN_IF_ERROR(domain::RequireEnum("purpose", req->purpose(),
                                               v1::SharingPurpose_IsValid));
    domain::SharingRequest sharing;
    sharing.recipient_agency_id = req->recipient_agency_id();
    sharing.purpose = req->purpose();
    sharing.forum_id = req->forum_id();
    if (!req->emergency_reason().empty()) {
      return domain::errors::EmergencyReasonWithoutAccess();
    }
    RENKEI_RETURN_IF_ERROR(
        domain::ValidateOptionalId("emergency_id", req->emergency_id()));
    sharing.emergency_id = req->emergency_id();
    // Decided at the server's time with the caller's agency as the sender,
    // so a check shows nothing the caller may not see itself.
    *resp = read.access->CheckSharing(*entry, std::move(sharing));
    return app::RecordCaseRead(
        rt_, caller, req->case_id(), "CheckSharing",
        absl::StrCat(read.access->CaseBasis(), "; decided for '",
                     req->recipient_agency_id(),
                     "': ", resp->allowed() ? "allowed" : "denied"),
        req->entry_id());
  });
}

grpc::ServerUnaryReactor* ConsentServiceImpl::InvokeEmergencyAccess(
    grpc::CallbackServerContext* ctx,
    const v1::InvokeEmergencyAccessRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_invoke_emergency_access>(
      rt_, ctx, *req, req->case_id(), reply, "InvokeEmergencyAccess");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::ReviewEmergencyAccess(
    grpc::CallbackServerContext* ctx,
    const v1::ReviewEmergencyAccessRequest* req, v1::CommandReply* reply) {
  return RunCommand<&v1::CaseCommand::mutable_review_emergency_access>(
      rt_, ctx, *req, req->case_id(), reply, "ReviewEmergencyAccess");
}

grpc::ServerUnaryReactor* ConsentServiceImpl::ListEmergencyAccess(
    grpc::CallbackServerContext* ctx, const v1::ListEmergencyAccessRequest* req,
    v1::ListEmergencyAccessResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_ASSIGN_OR_RETURN(app::CaseRead read,
                            app::LoadCaseForReader(rt_, caller, req->case_id(),
                                                   "ListEmergencyAccess"));
    const domain::CaseState& state = read.state();
    const absl::Time now = rt_.Now();
    // Unreviewed first, each group in the order invoked.
    for (bool reviewed : {false, true}) {
      if (reviewed && req->unreviewed_only()) break;
      for (const std::string& id : state.emergency_order) {
        const domain::EmergencyState& e = state.emergencies.at(id);
        if (e.review.has_value() != reviewed) continue;
        v1::EmergencyAccessView* view = resp->add_emergencies();
        view->set_emergency_id(id);
        view->set_agency_id(e.invoked.agency_id());
        view->set_staff_id(e.invoked.staff_id());
        view->set_reason(e.invoked.reason());
        *view->mutable_subject_ids() = e.invoked.subject_ids();
        *view->mutable_invoked_at() = domain::ToTimestamp(e.invoked_at);
        *view->mutable_expires_at() = e.invoked.expires_at();
        view->set_in_force(e.InForceAt(now));
        view->set_reviewed(reviewed);
        if (reviewed) {
          view->set_reviewed_by_staff_id(e.reviewed_by.staff_id());
          view->set_finding(e.review->finding());
          view->set_justified(e.review->justified());
        }
      }
    }
    return app::RecordCaseRead(rt_, caller, req->case_id(),
                               "ListEmergencyAccess", read.access->CaseBasis());
  });
}

grpc::ServerUnaryReactor* ConsentServiceImpl::CheckSubjectDisclosure(
    grpc::CallbackServerContext* ctx,
    const v1::CheckSubjectDisclosureRequest* req, v1::SharingDecision* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    RENKEI_RETURN_IF_ERROR(domain::ValidateId("entry_id", req->entry_id()));
    RENKEI_RETURN_IF_ERROR(domain::ValidateId("subject_id", req->subject_id()));
    RENKEI_ASSIGN_OR_RETURN(app::CaseRead read,
                            app::LoadCaseForReader(rt_, caller, req->case_id(),
                                                   "CheckSubjectDisclosure"));
    const domain::EntryState* entry = read.state().FindEntry(req->entry_id());
    if (entry == nullptr) {
      return errors::EntryNotOnCase(req->entry_id(), req->case_id());
    }
    if (read.state().FindSubject(req->subject_id()) == nullptr) {
      return errors::NotCaseMember(req->subject_id(), req->case_id());
    }
    // A caller that may not see the entry learns only that, as it would
    // reading it: nothing of whether the person may be told.
    v1::Entry shown;
    domain::EntryAccess access = read.access->ShowEntry(*entry, &shown);
    if (!access.allowed()) {
      *resp = std::move(access.decision);
    } else {
      *resp = domain::MayDiscloseToSubject(read.state(), *entry,
                                           req->subject_id(), rt_.Now());
    }
    return app::RecordCaseRead(
        rt_, caller, req->case_id(), "CheckSubjectDisclosure",
        absl::StrCat(read.access->CaseBasis(),
                     "; decided for household member '", req->subject_id(),
                     "': ", resp->allowed() ? "allowed" : "denied"),
        req->entry_id());
  });
}

}  // namespace renkei::server

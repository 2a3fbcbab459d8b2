// ConferenceServiceImpl: case conferences, their action items and anonymised
// views (keyed with the server's pseudonym secret, readable by participant
// and auditor agencies only, each read recorded on the cases' access
// streams).
#pragma once

#include <string>
#include <utility>

#include "renkei/v1/conference_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls (the key is immutable); `rt` must
// outlive the service.
class ConferenceServiceImpl final
    : public v1::ConferenceService::CallbackService {
 public:
  // `pseudonym_key`: the secret of domain::PseudonymousCaseKey.
  ConferenceServiceImpl(app::DomainRuntime* rt, std::string pseudonym_key)
      : rt_(*rt), pseudonym_key_(std::move(pseudonym_key)) {}

  grpc::ServerUnaryReactor* ScheduleConference(
      grpc::CallbackServerContext* ctx,
      const v1::ScheduleConferenceRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* HoldConference(grpc::CallbackServerContext* ctx,
                                           const v1::HoldConferenceRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RecordMinutes(grpc::CallbackServerContext* ctx,
                                          const v1::RecordMinutesRequest* req,
                                          v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RecordConferenceDecision(
      grpc::CallbackServerContext* ctx,
      const v1::RecordConferenceDecisionRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* AgreeRoleSplit(grpc::CallbackServerContext* ctx,
                                           const v1::AgreeRoleSplitRequest* req,
                                           v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* AssignActionItem(
      grpc::CallbackServerContext* ctx, const v1::AssignActionItemRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* CompleteActionItem(
      grpc::CallbackServerContext* ctx,
      const v1::CompleteActionItemRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ReassignActionItem(
      grpc::CallbackServerContext* ctx,
      const v1::ReassignActionItemRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* CancelConference(
      grpc::CallbackServerContext* ctx, const v1::CancelConferenceRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* RecordCaseReview(
      grpc::CallbackServerContext* ctx, const v1::RecordCaseReviewRequest* req,
      v1::CommandReply* reply) override;
  grpc::ServerUnaryReactor* ListMyActionItems(
      grpc::CallbackServerContext* ctx, const v1::ListMyActionItemsRequest* req,
      v1::ListMyActionItemsResponse* resp) override;
  grpc::ServerUnaryReactor* ListUpcomingConferences(
      grpc::CallbackServerContext* ctx,
      const v1::ListUpcomingConferencesRequest* req,
      v1::ListUpcomingConferencesResponse* resp) override;
  grpc::ServerUnaryReactor* GetConference(grpc::CallbackServerContext* ctx,
                                          const v1::GetConferenceRequest* req,
                                          v1::ConferenceView* resp) override;
  grpc::ServerUnaryReactor* GetAnonymisedConference(
      grpc::CallbackServerContext* ctx,
      const v1::GetAnonymisedConferenceRequest* req,
      v1::AnonymisedConference* resp) override;

 private:
  app::DomainRuntime& rt_;
  const std::string pseudonym_key_;
};

}  // namespace renkei::server

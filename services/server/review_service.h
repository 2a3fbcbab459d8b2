// ReviewServiceImpl: progress management (進行管理): registered cases overdue
// for review at a practitioners' meeting.
#pragma once

#include "renkei/v1/review_service.grpc.pb.h"
#include "services/app/runtime/domain_runtime.h"
#include "services/domain/conference/progress_review.h"

namespace renkei::server {

// Thread-safety: safe for concurrent calls; `rt` must outlive the service.
class ReviewServiceImpl final : public v1::ReviewService::CallbackService {
 public:
  ReviewServiceImpl(app::DomainRuntime* rt, domain::ReviewPolicy policy)
      : rt_(*rt), policy_(std::move(policy)) {}

  grpc::ServerUnaryReactor* ListOverdueReviews(
      grpc::CallbackServerContext* ctx,
      const v1::ListOverdueReviewsRequest* req,
      v1::ListOverdueReviewsResponse* resp) override;

 private:
  app::DomainRuntime& rt_;
  domain::ReviewPolicy policy_;
};

}  // namespace renkei::server

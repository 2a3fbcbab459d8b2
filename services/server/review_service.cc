#include "services/server/review_service.h"

#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

grpc::ServerUnaryReactor* ReviewServiceImpl::ListOverdueReviews(
    grpc::CallbackServerContext* ctx, const v1::ListOverdueReviewsRequest* req,
    v1::ListOverdueReviewsResponse* resp) {
  return RunQuery(rt_, ctx, [&](const Caller& caller) -> absl::Status {
    const absl::Time as_of =
        req->has_as_of() ? domain::ToTime(req->as_of()) : rt_.Now();
    RENKEI_ASSIGN_OR_RETURN(auto universe, rt_.LoadUniverse());
    // The caller sees the cases whose support team includes their agency
    // (auditors: every case).
    domain::Caseload load;
    for (const auto& c : universe.cases) {
      if (rt_.IsAuditor(caller) || c->OnTeam(caller.agency_id)) {
        load.cases.push_back(c.get());
      }
    }
    for (const auto& c : universe.conferences)
      load.conferences.push_back(c.get());
    for (auto& review : domain::OverdueReviews(load, policy_, as_of)) {
      *resp->add_reviews() = std::move(review);
    }
    return absl::OkStatus();
  });
}

}  // namespace renkei::server

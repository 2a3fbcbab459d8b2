#include "services/server/review_service.h"

#include <algorithm>
#include <set>

#include "services/read_models/case_rows.h"
#include "services/read_models/read_model_store.h"
#include "services/server/errors.h"
#include "services/server/rpc_adapter.h"
#include "storage/status_macros.h"

namespace renkei::server {

using app::Caller;
namespace {

// The shortest review interval the policy can give a case.
absl::Duration ShortestInterval(const domain::ReviewPolicy& policy) {
  absl::Duration shortest = policy.default_interval;
  for (const auto& [framework, interval] : policy.per_framework) {
    shortest = std::min(shortest, interval);
  }
  return shortest;
}

}  // namespace

grpc::ServerUnaryReactor* ReviewServiceImpl::ListOverdueReviews(
    grpc::CallbackServerContext* ctx, const v1::ListOverdueReviewsRequest* req,
    v1::ListOverdueReviewsResponse* resp) {
  return RunQuery(rt_, ctx, [=, this](const Caller& caller) -> absl::Status {
    const absl::Time as_of =
        req->has_as_of() ? domain::ToTime(req->as_of()) : rt_.Now();
    RENKEI_ASSIGN_OR_RETURN(auto* models, rt_.ReadModelsAfterCommands());
    namespace keys = read_models::keys;
    // The server's policy, with each framework's interval as its
    // coordinating body set it.
    domain::ReviewPolicy policy = policy_;
    RENKEI_ASSIGN_OR_RETURN(
        auto dir,
        rt_.directory().Load(std::string(domain::kDirectoryStreamId)));
    for (const auto& [framework, body] : dir.state->coordinating_bodies) {
      if (body.review_interval_days > 0) {
        policy.per_framework[framework] =
            absl::Hours(24 * body.review_interval_days);
      }
    }
    // Candidates: open registered cases whose interval runs from a time
    // before `as_of` minus the shortest interval (a range scan of the
    // review index), and those reviewed after `as_of` (their interval ran
    // from an earlier review then). The domain's own rules decide among
    // them.
    std::set<std::string> candidates;
    const int64_t limit = absl::ToUnixSeconds(as_of - ShortestInterval(policy));
    absl::Status bad_key;
    auto collect = [&](int64_t from, int64_t to) {
      return [&, from, to](absl::string_view key, absl::string_view) {
        int64_t seconds = 0;
        std::string case_id;
        if (!keys::ParseReviewKey(key, seconds, case_id)) {
          bad_key = errors::RowMalformed("review index key");
          return false;
        }
        if (seconds < from) return true;
        if (seconds > to) return false;
        candidates.insert(std::move(case_id));
        return true;
      };
    };
    RENKEI_RETURN_IF_ERROR(
        models->Scan(keys::kReviewDuePrefix, "",
                     collect(std::numeric_limits<int64_t>::min(), limit)));
    // Cases with their own interval, due by `as_of`.
    RENKEI_RETURN_IF_ERROR(
        models->Scan(keys::kReviewCaseDuePrefix, "",
                     collect(std::numeric_limits<int64_t>::min(),
                             absl::ToUnixSeconds(as_of))));
    RENKEI_RETURN_IF_ERROR(
        models->Scan(keys::kReviewLatestPrefix, keys::ReviewLatestFrom(as_of),
                     collect(absl::ToUnixSeconds(as_of),
                             std::numeric_limits<int64_t>::max())));
    RENKEI_RETURN_IF_ERROR(bad_key);
    for (const auto& case_id : candidates) {
      // The caller sees the cases whose support team includes their agency
      // (auditors: every case).
      if (!rt_.IsAuditor(caller)) {
        auto on_team = models->Get(keys::Caseload(caller.agency_id, case_id));
        if (absl::IsNotFound(on_team.status())) continue;
        RENKEI_RETURN_IF_ERROR(on_team.status());
      }
      RENKEI_ASSIGN_OR_RETURN(auto state,
                              read_models::ReadCaseState(*models, case_id, {}));
      RENKEI_ASSIGN_OR_RETURN(
          auto conferences,
          read_models::ReadReviewingConferences(*models, case_id));
      domain::Caseload load;
      load.cases.push_back(&state);
      for (const auto& c : conferences) load.conferences.push_back(&c);
      for (auto& review : domain::OverdueReviews(load, policy, as_of)) {
        *resp->add_reviews() = std::move(review);
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace renkei::server

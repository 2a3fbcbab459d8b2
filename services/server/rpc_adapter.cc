#include "services/server/rpc_adapter.h"

namespace renkei::server {

CommandDone FinishCommand(grpc::ServerUnaryReactor* reactor,
                          v1::CommandReply* reply, std::string method,
                          const Caller& caller) {
  return [reactor, reply, method = std::move(method),
          caller](absl::StatusOr<v1::CommandReply> result) {
    if (result.ok()) {
      *reply = std::move(*result);
      spdlog::info(
          "request={} method={} staff={} stream={} version={} duplicate={}",
          caller.request_id, method, caller.staff_id, reply->stream_id(),
          reply->stream_version(), reply->duplicate());
    } else {
      spdlog::info("request={} method={} staff={} refused code={} message={}",
                   caller.request_id, method, caller.staff_id,
                   absl::StatusCodeToString(result.status().code()),
                   std::string(result.status().message()));
    }
    reactor->Finish(ToGrpcStatus(result.status()));
  };
}

}  // namespace renkei::server

// Every command request of the API (each RPC of proto/renkei/v1/*_service.proto
// answering a CommandReply), found by reflection, and how the server turns
// one into a domain command: the request's id field becomes the wrapper's
// aggregate id, its `command` becomes the wrapper's oneof field.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "renkei/v1/command.pb.h"
#include "tests/fuzz/fuzz_world.h"

namespace renkei::fuzz {

enum class Wrapper { kDirectory, kCase, kConference, kHandover };

struct CommandRequestKind {
  std::string method;  // e.g. "renkei.v1.CaseService.OpenCase"
  const google::protobuf::Descriptor* request = nullptr;
  Wrapper wrapper = Wrapper::kCase;
  // The wrapper's oneof field that holds the request's `command`.
  const google::protobuf::FieldDescriptor* wrapper_field = nullptr;
  // The request's aggregate id field (nullptr for the directory).
  const google::protobuf::FieldDescriptor* id_field = nullptr;
};

// In a fixed order (services, then methods as declared). Fail()s when a
// command RPC cannot be mapped, so a new RPC is never silently left out.
const std::vector<CommandRequestKind>& CommandRequestKinds();

// A fresh, empty request message of `kind`.
std::unique_ptr<google::protobuf::Message> NewRequest(
    const CommandRequestKind& kind);

struct Caller {
  std::string staff_id;
  std::string agency_id;
};

// What the server does with a parsed request before and around the decider
// (rpc_adapter.h RunCommand and the command pipeline's option checks): the
// options' idempotency key, the aggregate id, stamping occurred_at (from the
// options, else `now`) and the actor, deciding against `world`. When
// accepted, the events are checked as the log would check the append, and
// applied to `world` if `apply`.
absl::Status RunRequest(World& world, const CommandRequestKind& kind,
                        const google::protobuf::Message& request,
                        const Caller& caller, absl::Time now, bool apply);

}  // namespace renkei::fuzz

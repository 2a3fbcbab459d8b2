// libFuzzer target: decoding and validating every command request.
//
// Input: byte 0 picks one of the command RPCs of
// proto/renkei/v1/*_service.proto (all of them, found by reflection), byte 1
// the calling staff member, the rest is the request as it arrives on the wire.
// A request that parses runs the server's path without gRPC or storage:
// aggregate id and options checks, stamping, the pure domain decider against a
// realistic world, the log's append checks on what was decided.
//
// Invariants: nothing throws or crashes; deciding is deterministic; a
// refusal carries one of the documented codes and a message; an accepted
// command's events fold to the same state from scratch (after a round trip
// through the log's envelope) as incrementally.
#include <cstddef>
#include <cstdint>
#include <exception>

#include "absl/strings/str_cat.h"
#include "tests/fuzz/command_requests.h"
#include "tests/fuzz/fuzz_world.h"

namespace renkei::fuzz {
namespace {

bool IsRefusalCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
      return true;
    default:
      return false;
  }
}

void RunOne(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const auto& kinds = CommandRequestKinds();
  const CommandRequestKind& kind = kinds[data[0] % kinds.size()];
  const StaffRef& staff = StoryStaff()[data[1] % StoryStaff().size()];
  auto request = NewRequest(kind);
  // As gRPC's protobuf deserializer: a request that does not parse never
  // reaches the service.
  if (!request->ParseFromArray(data + 2, static_cast<int>(size - 2))) return;

  World world = StoryWorld();
  const Caller caller{staff.staff_id, staff.agency_id};
  const absl::Time now = Day(6);
  const absl::Status first =
      RunRequest(world, kind, *request, caller, now, /*apply=*/false);
  const absl::Status second =
      RunRequest(world, kind, *request, caller, now, /*apply=*/true);
  if (first != second) {
    Fail(absl::StrCat(kind.method, " decides differently twice: ",
                      first.ToString(), " then ", second.ToString()));
  }
  if (!first.ok()) {
    if (!IsRefusalCode(first.code()) || first.message().empty()) {
      Fail(absl::StrCat(kind.method, " refused unclearly: ", first.ToString()));
    }
    return;
  }
  CheckRefold(world);
}

}  // namespace
}  // namespace renkei::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    renkei::fuzz::RunOne(data, size);
  } catch (const std::exception& e) {
    renkei::fuzz::Fail(absl::StrCat("exception escaped: ", e.what()));
  } catch (...) {
    renkei::fuzz::Fail("exception escaped");
  }
  return 0;
}

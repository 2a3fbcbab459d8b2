// The role gate every RPC passes first, once its caller is identified and
// before anything of the request is looked at: which directory roles may
// call which kind of RPC. The case-level access decision (the team, the
// consents, confidentiality) comes after it.
//
//   kind                 who may call
//   kSignIn              anyone (SessionService.SignIn)
//   kSignedIn            any identified, active staff member (directory
//                        listings, WhoAmI, ChangePassword, SignOut)
//   kDirectoryAdmin      administrators (directory changes, passwords)
//   kCaseRead            staff other than administrators (case queries)
//   kCaseWrite           staff other than administrators and auditors
//   kAudit               auditors, unless also administrators
//
// Thread-safety: pure functions.
#pragma once

#include "absl/status/status.h"
#include "services/app/caller.h"

namespace renkei::app {

enum class RpcAccess {
  kSignIn,
  kSignedIn,
  kDirectoryAdmin,
  kCaseRead,
  kCaseWrite,
  kAudit,
};

// OK, or PERMISSION_DENIED naming the role rule `caller` fails.
[[nodiscard]] absl::Status AuthorizeRpc(const Caller& caller, RpcAccess access);

}  // namespace renkei::app

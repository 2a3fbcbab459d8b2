#include "services/app/access/authorization.h"

#include "services/app/errors.h"
#include "services/domain/errors.h"

namespace renkei::app {

absl::Status AuthorizeRpc(const Caller& caller, RpcAccess access) {
  const bool admin = caller.Has(v1::STAFF_ROLE_ADMINISTRATOR);
  switch (access) {
    case RpcAccess::kSignIn:
    case RpcAccess::kSignedIn:
      return absl::OkStatus();
    case RpcAccess::kDirectoryAdmin:
      return admin ? absl::OkStatus()
                   : domain::errors::NotAdministrator(caller.staff_id);
    case RpcAccess::kCaseRead:
      return admin ? domain::errors::AdministratorsHoldNoCases(caller.staff_id)
                   : absl::OkStatus();
    case RpcAccess::kCaseWrite:
      if (admin)
        return domain::errors::AdministratorsHoldNoCases(caller.staff_id);
      if (caller.Has(v1::STAFF_ROLE_AUDITOR)) {
        return domain::errors::AuditorsWriteNoCaseContent(caller.staff_id);
      }
      return absl::OkStatus();
    case RpcAccess::kAudit:
      if (admin)
        return domain::errors::AdministratorsHoldNoCases(caller.staff_id);
      return caller.Has(v1::STAFF_ROLE_AUDITOR)
                 ? absl::OkStatus()
                 : domain::errors::NotAuditor(caller.staff_id);
  }
  return errors::UnknownAccessKind();
}

}  // namespace renkei::app

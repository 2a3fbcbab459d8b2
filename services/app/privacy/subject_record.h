// A person's information rights over one case, transport-free:
//  - the disclosure record (個人情報保護法 art. 29): every provision of the
//    subject's information to another agency (InformationShared, referrals),
//    every telling of it to a household member, and every read of the case
//    recorded in the access log, each with when, to whom, on what basis and
//    which items;
//  - the subject-access export (開示請求): what is held about the subject,
//    every item lawfully withheld from them marked with its reason, decided
//    by the access decision's ShowEntryToSubject.
//
// Thread-safety: pure functions over a folded case.
#ifndef RENKEI_SERVICES_APP_PRIVACY_SUBJECT_RECORD_H_
#define RENKEI_SERVICES_APP_PRIVACY_SUBJECT_RECORD_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "renkei/v1/privacy_service.pb.h"
#include "renkei/v1/read_models.pb.h"
#include "services/app/access/access_decision.h"
#include "services/domain/case/case_state.h"

namespace renkei::app {

// One read of the case from its access log.
struct RecordedRead {
  v1::CaseContentReadRow row;
};

// NOT_FOUND when the case has no such subject.
[[nodiscard]] absl::StatusOr<v1::GetDisclosureRecordResponse> DisclosureRecord(
    const domain::CaseState& state, const std::string& subject_id,
    const std::vector<RecordedRead>& reads);

// NOT_FOUND when the case has no such subject. `reader` (an auditor, at
// the server's time) compiles it: an entry it may not see itself is marked
// NOT_FOR_READER, never shown.
[[nodiscard]] absl::StatusOr<v1::ExportSubjectRecordResponse> ExportSubject(
    const domain::CaseState& state, const std::string& subject_id,
    const Reader& reader);

}  // namespace renkei::app

#endif  // RENKEI_SERVICES_APP_PRIVACY_SUBJECT_RECORD_H_

// ReadModelStore: the query side's own RocksDB (separate from the log), with
// the projection checkpoint stored atomically with the rows it covers.
//
// Key prefixes (each ends in '/', ids are separated by 0x00):
//   c/<case>                     CaseRow
//   l/<agency>\0<case>           caseload index: agency on the case's team
//   t/<case>\0BE64(position)     TimelineItemView (metadata, no content)
//   r/<case>\0<referral>         ReferralListing
//   i/<agency>\0<case>\0<ref>    incoming referral index (receiver)
//   o/<agency>\0<case>\0<ref>    outgoing referral index (referrer)
//   f/<conference>               conference exists (empty value)
//   u/<conference>               ConferenceScheduled, until held or cancelled
//   ai/<conference>\0<item>      ActionItem (current assignee), until completed
//   a/<staff>\0<conference>\0<item>  MyActionItem: open items by assignee
//   h/<handover>                 handover exists (empty value)
//   cs/<case>\0<consent>         ConsentRow: consents and refusals
//   pl/<case>                    PlanRow: the support plan in force
//   ll/<case>\0BE64(version)     LeadFactRow: the stage-lead ledger
//   cr/<case>\0<conference>      CaseReviewRow: progress reviews of a case
//   fh/<conference>              ConferenceHeldRow
//   rd/BE64(base)\0<case>        review index: registered open case by the
//                                time its review interval runs from
//   rl/BE64(held)\0<case>        review index: by its latest review
//   v/<staff>\0<kind>\0<id>      involvement: kind c (case), f (conference),
//                                h (handover, as outgoing staff member)
//   x/<case>\0BE64(position)     CaseContentReadRow: the access log
//   k                            checkpoint: BE64 position of the last event
//
// Thread-safety: reads from any thread; one writer (the projector).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/write_batch_with_index.h"

namespace renkei::read_models {

namespace keys {
std::string Case(absl::string_view case_id);
std::string Caseload(absl::string_view agency_id, absl::string_view case_id);
std::string CaseloadPrefix(absl::string_view agency_id);
std::string Timeline(absl::string_view case_id, uint64_t position);
std::string TimelinePrefix(absl::string_view case_id);
std::string Referral(absl::string_view case_id, absl::string_view referral_id);
std::string Incoming(absl::string_view agency_id, absl::string_view case_id,
                     absl::string_view referral_id);
std::string IncomingPrefix(absl::string_view agency_id);
std::string Outgoing(absl::string_view agency_id, absl::string_view case_id,
                     absl::string_view referral_id);
std::string OutgoingPrefix(absl::string_view agency_id);
std::string Conference(absl::string_view conference_id);
std::string Handover(absl::string_view handover_id);
std::string Upcoming(absl::string_view conference_id);
std::string ActionItem(absl::string_view conference_id,
                       absl::string_view item_id);
std::string AssignedItem(absl::string_view staff_id,
                         absl::string_view conference_id,
                         absl::string_view item_id);
std::string AssignedItemPrefix(absl::string_view staff_id);
std::string Consent(absl::string_view case_id, absl::string_view consent_id);
std::string ConsentPrefix(absl::string_view case_id);
std::string Plan(absl::string_view case_id);
std::string LeadFact(absl::string_view case_id, uint64_t stream_version);
std::string LeadFactPrefix(absl::string_view case_id);
std::string CaseReview(absl::string_view case_id,
                       absl::string_view conference_id);
std::string CaseReviewPrefix(absl::string_view case_id);
std::string ConferenceHeld(absl::string_view conference_id);
// Review-index keys order by `time` (seconds, signed, biased to sort).
std::string ReviewDue(absl::Time time, absl::string_view case_id);
std::string ReviewDueFrom(absl::Time time);
std::string ReviewLatest(absl::Time time, absl::string_view case_id);
std::string ReviewLatestFrom(absl::Time time);
std::string ReviewCaseDue(absl::Time due, absl::string_view case_id);
// The time and case of a review-index key; false when malformed.
bool ParseReviewKey(absl::string_view key, int64_t& seconds,
                    std::string& case_id);
inline constexpr char kInvolvedCase = 'c';
inline constexpr char kInvolvedConference = 'f';
inline constexpr char kInvolvedHandover = 'h';
std::string Involvement(absl::string_view staff_id, char kind,
                        absl::string_view id);
std::string InvolvementPrefix(absl::string_view staff_id, char kind);
std::string AccessRead(absl::string_view case_id, uint64_t position);
std::string AccessReadPrefix(absl::string_view case_id);
inline constexpr char kReviewDuePrefix[] = "rd/";
inline constexpr char kReviewLatestPrefix[] = "rl/";
// rc/<due time><case>: cases with their own review interval, by due time.
inline constexpr char kReviewCaseDuePrefix[] = "rc/";
inline constexpr char kUpcomingPrefix[] = "u/";
inline constexpr char kCasePrefix[] = "c/";
inline constexpr char kConferencePrefix[] = "f/";
inline constexpr char kHandoverPrefix[] = "h/";
inline constexpr char kCheckpoint[] = "k";
// The layout of the rows: a store written with another layout (or before
// layouts were recorded) is rebuilt from the log, never served.
inline constexpr char kLayout[] = "mv";
inline constexpr char kLayoutVersion[] = "2";
}  // namespace keys

class ReadModelStore {
 public:
  // Opens (creating) the store at `path`; first removes what an interrupted
  // Destroy left aside. DATA_LOSS when the store is corrupt or holds rows of
  // another layout (it must be destroyed and rebuilt from the log); other
  // errors (permissions, a full disk) leave it alone.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<ReadModelStore>> Open(
      const std::string& path);
  // Deletes the store at `path` (for a rebuild from position 1), crash-safe:
  // the directory is renamed aside (atomic, the parent fsynced) before its
  // files are removed, so a crash leaves either the whole store or none.
  [[nodiscard]] static absl::Status Destroy(const std::string& path);
  ~ReadModelStore();

  // Position of the last event the stored rows include (0: none).
  [[nodiscard]] absl::StatusOr<uint64_t> Checkpoint() const;

  // NOT_FOUND when absent.
  [[nodiscard]] absl::StatusOr<std::string> Get(absl::string_view key) const;
  // Calls `visit(key, value)` for keys starting with `prefix`, from
  // `start` (>= prefix; empty: the prefix itself), until it returns false.
  [[nodiscard]] absl::Status Scan(
      absl::string_view prefix, absl::string_view start,
      const std::function<bool(absl::string_view, absl::string_view)>& visit)
      const;
  // Every key and value, in order (tests compare rebuilt and incremental).
  [[nodiscard]] absl::StatusOr<std::map<std::string, std::string>> Dump() const;

  // Writes a batch (rows and checkpoint together).
  [[nodiscard]] absl::Status Write(rocksdb::WriteBatchWithIndex& batch);
  // Reads through a batch being built, then the store.
  [[nodiscard]] absl::StatusOr<std::string> GetThrough(
      rocksdb::WriteBatchWithIndex& batch, absl::string_view key) const;

 private:
  explicit ReadModelStore(std::unique_ptr<rocksdb::DB> db)
      : db_(std::move(db)) {}
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace renkei::read_models

// SealingEventLog: the event log as the domain sees it, with personal data
// sealed at rest. On the way in, each event of a case stream that carries
// personal fields (personal_fields.h) is stored as a SealedPayload: the
// event without them, and them encrypted with a key derived from the case's
// data key and the data key of every subject the event names. On the way
// out (reads, replays, subscriptions) they are decrypted back in place; when
// a key was destroyed the event comes back without them and with
// `content_erased` set. Events without personal fields pass through as
// they are, and so does everything else (chain, heads, checkpoints): the
// chain covers the sealed bytes, so erasure never breaks it.
//
// Erasure: an append holding SubjectErased or CaseErased marks the keys as
// pending destruction, appends, then destroys them; a crash in between is
// finished at the next Open (the key goes if the event is in the log).
//
// The raw log stays readable as it is stored: the read models project from
// it and so never see personal fields (event_codec reads a SealedPayload's
// public part).
//
// Thread-safety: as EventLog.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "services/privacy/data_key_store.h"
#include "storage/event_log.h"

namespace renkei::privacy {

// CPU the sealing costs, for metrics (thread CPU time, not wall time).
struct SealingStats {
  uint64_t sealed_events = 0;
  uint64_t seal_cpu_nanos = 0;
  uint64_t unsealed_events = 0;
  uint64_t unseal_cpu_nanos = 0;
};

class SealingEventLog : public storage::EventLog {
 public:
  // Neither is owned; both must outlive this. Finishes erasures a crash
  // interrupted.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<SealingEventLog>> Open(
      storage::EventLog* log, DataKeyStore* keys);

  absl::StatusOr<storage::AppendResult> Append(
      storage::AppendRequest request) override;
  void AppendAsync(storage::AppendRequest request,
                   storage::AppendCallback done) override;
  absl::StatusOr<std::optional<storage::PriorAppend>> FindAppend(
      const std::string& idempotency_key) const override {
    return log_->FindAppend(idempotency_key);
  }
  absl::StatusOr<std::vector<v1::EventEnvelope>> ReadStream(
      const storage::ReadStreamQuery& query) const override;
  absl::StatusOr<std::vector<v1::EventEnvelope>> ReadAll(
      const storage::ReadAllQuery& query) const override;
  absl::Status Replay(uint64_t from_position,
                      const std::function<bool(const v1::EventEnvelope&)>&
                          visit) const override;
  absl::StatusOr<storage::StreamHead> GetStreamHead(
      const std::string& stream_id) const override {
    return log_->GetStreamHead(stream_id);
  }
  uint64_t Head() const override { return log_->Head(); }
  storage::LogHead GetHead() const override { return log_->GetHead(); }
  absl::StatusOr<storage::ChainVerification> VerifyChain(
      uint64_t from, uint64_t to) const override {
    return log_->VerifyChain(from, to);
  }
  std::unique_ptr<storage::Subscription> Subscribe(
      uint64_t from_position) override;
  absl::Status Checkpoint(const std::string& dir) override {
    return log_->Checkpoint(dir);
  }
  storage::LogStats Stats() const override { return log_->Stats(); }

  // Decrypts `envelope`'s personal fields in place (or marks them erased).
  [[nodiscard]] absl::Status Unseal(v1::EventEnvelope& envelope) const;

  storage::EventLog* raw() const { return log_; }
  SealingStats sealing_stats() const;

 private:
  SealingEventLog(storage::EventLog* log, DataKeyStore* keys)
      : log_(log), keys_(keys) {}
  // Seals the request's events; the key ids its erasures destroy once it is
  // appended are added to `erasures` (a trailing '/' names a prefix).
  absl::Status Seal(storage::AppendRequest& request,
                    std::vector<std::string>* erasures) const;
  absl::Status Erase(const std::vector<std::string>& erasures) const;
  absl::Status FinishInterruptedErasures();

  storage::EventLog* log_;
  DataKeyStore* keys_;
  mutable std::atomic<uint64_t> sealed_events_{0};
  mutable std::atomic<uint64_t> seal_cpu_nanos_{0};
  mutable std::atomic<uint64_t> unsealed_events_{0};
  mutable std::atomic<uint64_t> unseal_cpu_nanos_{0};
};

// The case id of a "case-<id>" stream; empty for any other stream.
[[nodiscard]] std::string CaseIdOfStream(const std::string& stream_id);

}  // namespace renkei::privacy

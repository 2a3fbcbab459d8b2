#include "services/app/pipeline/command_pipeline.h"

#include <pthread.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/app/errors.h"
#include "storage/chain.h"
#include "storage/errors.h"
#include "storage/validation.h"

namespace renkei::app {
namespace {

constexpr int kMaxAttempts = 8;
// Enough that a few decisions waiting for the read models (a departure, a
// handover) do not hold up the others.
constexpr int kWorkers = 4;

std::string ScopedKey(const CommandRequest& r) {
  return absl::StrCat(r.caller.staff_id, "/", r.options.idempotency_key());
}

v1::CommandReply Reply(const CommandRequest& r,
                       const storage::AppendResult& result) {
  v1::CommandReply reply;
  reply.set_stream_id(r.stream_id);
  reply.set_stream_version(result.stream_version);
  reply.set_first_position(result.first_position);
  reply.set_last_position(result.last_position);
  reply.set_duplicate(result.duplicate);
  reply.set_request_id(r.caller.request_id);
  return reply;
}

absl::Status KeyReused(const CommandRequest& r,
                       const storage::AppendResult& prior) {
  return errors::CommandKeyReused(r.options.idempotency_key(),
                                  prior.first_position, prior.last_position);
}

absl::Status ValidateOptions(const v1::CommandOptions& o) {
  if (o.idempotency_key().empty()) {
    return errors::IdempotencyKeyMissing();
  }
  if (o.idempotency_key().size() > 128 ||
      !storage::ValidateStreamId(o.idempotency_key()).ok()) {
    return errors::IdempotencyKeyInvalid(128);
  }
  return absl::OkStatus();
}

}  // namespace

std::string CommandPipeline::RequestFingerprint(
    absl::string_view method, const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    // Fails only for a message over 2 GiB, which gRPC never delivers; the
    // fingerprint then still names the method and type.
    if (!request.SerializePartialToCodedStream(&coded)) bytes.clear();
  }
  storage::CanonicalWriter w;
  w.Bytes("renkei.command-request/1");
  w.Bytes(std::string_view(method.data(), method.size()));
  w.Bytes(request.GetDescriptor()->full_name());
  w.Bytes(bytes);
  return storage::Sha256(w.data());
}

std::string CommandPipeline::DeriveEventId(const std::string& scoped_key,
                                           size_t index) {
  storage::CanonicalWriter w;
  w.Bytes("renkei.event-id/1");
  w.Bytes(scoped_key);
  w.U64(index);
  const std::string d = storage::Sha256(w.data());
  auto b = [&d](int i) { return static_cast<unsigned char>(d[i]); };
  // RFC 9562 version 8 (custom), variant 10.
  return absl::StrFormat(
      "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
      b(0), b(1), b(2), b(3), b(4), b(5), (b(6) & 0x0f) | 0x80, b(7),
      (b(8) & 0x3f) | 0x80, b(9), b(10), b(11), b(12), b(13), b(14), b(15));
}

CommandPipeline::CommandPipeline(storage::EventLog* log) : log_(log) {
  for (int i = 0; i < kWorkers; ++i) {
    workers_.emplace_back([this] {
      pthread_setname_np(pthread_self(), "renkei-command");
      WorkerLoop();
    });
  }
}

CommandPipeline::~CommandPipeline() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  // The workers leave once every accepted command is answered, appends the
  // log has yet to commit included.
  for (auto& w : workers_) w.join();
}

void CommandPipeline::Run(CommandRequest request, CommandDone done) {
  if (absl::Status s = ValidateOptions(request.options); !s.ok()) {
    done(s);
    return;
  }
  if (request.fingerprint.size() != 32) {
    done(errors::FingerprintMissing());
    return;
  }
  auto job = std::make_shared<Job>();
  job->request = std::move(request);
  job->done = std::move(done);
  {
    absl::ReleasableMutexLock lock(&mu_);
    if (stopping_) {
      lock.Release();
      job->done(errors::ShuttingDownNothingWritten());
      return;
    }
    ++in_flight_;
    auto [it, idle] = active_.try_emplace(job->request.stream_id);
    if (!idle) {
      it->second.push_back(std::move(job));  // runs when the stream is free
      return;
    }
    // Decided on a worker, not on the caller's thread (a gRPC callback
    // thread): a decision reads the log and may wait for the read models.
    runnable_.push_back(std::move(job));
  }
}

void CommandPipeline::Finish(const std::shared_ptr<Job>& job,
                             absl::StatusOr<v1::CommandReply> reply) {
  if (job->committed && reply.ok() && !reply->duplicate()) {
    job->committed(job->recorded_at);
  }
  job->committed = nullptr;
  if (reply.ok()) {
    // Before the caller hears back, so that a query it sends next waits for
    // this command's events.
    uint64_t seen = acknowledged_.load(std::memory_order_relaxed);
    while (seen < reply->last_position() &&
           !acknowledged_.compare_exchange_weak(seen, reply->last_position(),
                                                std::memory_order_acq_rel)) {
    }
  }
  {
    // The stream's next command becomes runnable before the caller hears
    // back (its answer may be what the caller waits for to send the next).
    absl::MutexLock lock(&mu_);
    --in_flight_;
    auto it = active_.find(job->request.stream_id);
    if (it != active_.end()) {
      if (it->second.empty()) {
        active_.erase(it);
      } else {
        runnable_.push_back(std::move(it->second.front()));
        it->second.pop_front();
      }
    }
  }
  job->done(std::move(reply));
}

void CommandPipeline::FinishOnWorker(std::shared_ptr<Job> job,
                                     absl::StatusOr<v1::CommandReply> reply) {
  // The workers are there until this job is finished (see WorkerLoop).
  absl::MutexLock lock(&mu_);
  finished_.emplace_back(std::move(job), std::move(reply));
}

void CommandPipeline::Schedule(std::shared_ptr<Job> job) {
  absl::MutexLock lock(&mu_);
  runnable_.push_back(std::move(job));
}

void CommandPipeline::Attempt(std::shared_ptr<Job> job) {
  const CommandRequest& r = job->request;
  const std::string key = ScopedKey(r);
  ++job->attempt;
  // 1. A retry is answered from the durable idempotency record.
  auto prior = log_->FindAppend(key);
  if (!prior.ok()) return Finish(job, prior.status());
  if (prior->has_value()) {
    if ((*prior)->request_digest != r.fingerprint) {
      return Finish(job, KeyReused(r, (*prior)->result));
    }
    return Finish(job, Reply(r, (*prior)->result));
  }

  // 2. Decide against the current state.
  auto decision = r.decide();
  if (!decision.ok()) return Finish(job, decision.status());
  if (r.options.has_expected_version() &&
      r.options.expected_version() != decision->base_version) {
    return Finish(job, storage::errors::VersionConflict(
                           r.stream_id, r.options.expected_version(),
                           decision->base_version));
  }
  if (decision->events.empty()) {
    v1::CommandReply reply;
    reply.set_stream_id(r.stream_id);
    reply.set_stream_version(decision->base_version);
    reply.set_request_id(r.caller.request_id);
    return Finish(job, reply);
  }

  // 3. Append with the version the decision was made against.
  storage::AppendRequest append;
  append.stream_id = r.stream_id;
  append.expected_version =
      decision->base_version == 0
          ? storage::ExpectedVersion::NoStream()
          : storage::ExpectedVersion::Exact(decision->base_version);
  append.idempotency_key = key;
  append.request_digest = r.fingerprint;
  append.events = std::move(decision->events);
  const std::string correlation = r.options.correlation_id().empty()
                                      ? r.caller.request_id
                                      : r.options.correlation_id();
  for (size_t i = 0; i < append.events.size(); ++i) {
    append.events[i].set_event_id(DeriveEventId(key, i));
    append.events[i].set_correlation_id(correlation);
  }
  // The callback runs on the log's writer thread: it hands the reply and any
  // further work to the pipeline's workers.
  log_->AppendAsync(
      std::move(append),
      [this, job, committed = std::move(decision->committed)](
          absl::StatusOr<storage::AppendResult> result) mutable {
        if (result.ok()) {
          if (!result->duplicate) {
            job->committed = std::move(committed);
            job->recorded_at = result->recorded_at;
          }
          return FinishOnWorker(job, Reply(job->request, *result));
        }
        const bool stale = result.status().code() == absl::StatusCode::kAborted;
        if (stale && !job->request.options.has_expected_version() &&
            job->attempt < kMaxAttempts) {
          return Schedule(job);  // another writer changed the stream
        }
        FinishOnWorker(job, result.status());
      });
}

void CommandPipeline::WorkerLoop() {
  for (;;) {
    std::shared_ptr<Job> job;
    std::optional<absl::StatusOr<v1::CommandReply>> reply;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](CommandPipeline* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mu_) {
            return (self->stopping_ && self->in_flight_ == 0) ||
                   !self->runnable_.empty() || !self->finished_.empty();
          },
          this));
      if (!finished_.empty()) {
        job = std::move(finished_.front().first);
        reply = std::move(finished_.front().second);
        finished_.pop_front();
      } else if (!runnable_.empty()) {
        job = std::move(runnable_.front());
        runnable_.pop_front();
      } else {
        return;
      }
    }
    if (reply.has_value()) {
      Finish(job, *std::move(reply));
    } else {
      Attempt(std::move(job));
    }
  }
}

}  // namespace renkei::app

#include "services/privacy/sealing_event_log.h"

#include <sodium.h>
#include <time.h>

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "renkei/v1/privacy.pb.h"
#include "services/privacy/aead.h"
#include "services/privacy/errors.h"
#include "services/privacy/personal_fields.h"

namespace renkei::privacy {
namespace {

constexpr absl::string_view kCaseStreamPrefix = "case-";
constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";
constexpr char kSubjectErased[] = "renkei.v1.SubjectErased";
constexpr char kCaseErased[] = "renkei.v1.CaseErased";

std::string Associated(const std::string& event_id,
                       const std::string& event_type) {
  return absl::StrCat("renkei.v1 sealed ", event_id, " ", event_type);
}

// A new message of the payload's type; nullptr for a type not compiled in.
std::unique_ptr<google::protobuf::Message> NewOfType(
    const google::protobuf::Any& any) {
  absl::string_view url = any.type_url();
  if (!absl::ConsumePrefix(&url, kTypeUrlPrefix)) return nullptr;
  const google::protobuf::Descriptor* d =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          std::string(url));
  if (d == nullptr) return nullptr;
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(d);
  if (prototype == nullptr) return nullptr;
  return std::unique_ptr<google::protobuf::Message>(prototype->New());
}

// The key ids an erasure event destroys ("subject/<case>/<subject>", or the
// case key and the prefix of its subjects' keys).
absl::StatusOr<std::vector<std::string>> ErasedKeys(
    const std::string& case_id, const std::string& event_type,
    const google::protobuf::Any& payload) {
  if (event_type == kSubjectErased) {
    v1::SubjectErased erased;
    if (!payload.UnpackTo(&erased) || erased.subject_id().empty()) {
      return errors::SubjectErasedNamesNoSubject();
    }
    return std::vector<std::string>{SubjectKeyId(case_id, erased.subject_id())};
  }
  if (event_type == kCaseErased) {
    return std::vector<std::string>{CaseKeyId(case_id),
                                    SubjectKeyId(case_id, "")};
  }
  return std::vector<std::string>{};
}

class UnsealingSubscription : public storage::Subscription {
 public:
  UnsealingSubscription(std::unique_ptr<storage::Subscription> inner,
                        const SealingEventLog* log)
      : inner_(std::move(inner)), log_(log) {}
  absl::StatusOr<std::optional<v1::EventEnvelope>> Next(
      absl::Duration timeout) override {
    auto next = inner_->Next(timeout);
    if (!next.ok() || !next->has_value()) return next;
    if (absl::Status s = log_->Unseal(**next); !s.ok()) return s;
    return next;
  }
  uint64_t NextPosition() const override { return inner_->NextPosition(); }
  uint64_t Lag() const override { return inner_->Lag(); }
  void Cancel() override { inner_->Cancel(); }
  void SetWakeUp(std::function<void()> wake) override {
    inner_->SetWakeUp(std::move(wake));
  }

 private:
  std::unique_ptr<storage::Subscription> inner_;
  const SealingEventLog* log_;
};

uint64_t ThreadCpuNanos() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u +
         static_cast<uint64_t>(ts.tv_nsec);
}

std::string RequestDigest(const storage::AppendRequest& request) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  auto add = [&](const std::string& bytes) {
    const std::string length = absl::StrCat(bytes.size(), ":");
    crypto_hash_sha256_update(
        &state, reinterpret_cast<const unsigned char*>(length.data()),
        length.size());
    crypto_hash_sha256_update(
        &state, reinterpret_cast<const unsigned char*>(bytes.data()),
        bytes.size());
  };
  add(request.stream_id);
  add(request.expected_version.DebugString());
  for (const auto& event : request.events) {
    std::string bytes;
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    event.SerializeToCodedStream(&out);
    out.Trim();
    add(bytes);
  }
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256_final(&state,
                           reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

}  // namespace

std::string CaseIdOfStream(const std::string& stream_id) {
  absl::string_view id = stream_id;
  if (!absl::ConsumePrefix(&id, kCaseStreamPrefix)) return "";
  return std::string(id);
}

absl::StatusOr<std::unique_ptr<SealingEventLog>> SealingEventLog::Open(
    storage::EventLog* log, DataKeyStore* keys) {
  if (absl::Status s = InitCrypto(); !s.ok()) return s;
  std::unique_ptr<SealingEventLog> out(new SealingEventLog(log, keys));
  if (absl::Status s = out->FinishInterruptedErasures(); !s.ok()) return s;
  return out;
}

absl::Status SealingEventLog::FinishInterruptedErasures() {
  auto pending = keys_->PendingErasures();
  if (!pending.ok()) return pending.status();
  for (const auto& [id, stream_id] : *pending) {
    storage::ReadStreamQuery query;
    query.stream_id = stream_id;
    query.event_types = {kSubjectErased, kCaseErased};
    query.limit = 10000;
    auto events = log_->ReadStream(query);
    if (!events.ok()) return events.status();
    bool appended = false;
    for (const auto& e : *events) {
      auto ids =
          ErasedKeys(CaseIdOfStream(stream_id), e.event_type(), e.payload());
      if (ids.ok() && std::find(ids->begin(), ids->end(), id) != ids->end()) {
        appended = true;
      }
    }
    if (appended) {
      if (absl::Status s = Erase({id}); !s.ok()) return s;
    } else if (absl::Status s = keys_->ClearErasurePending(id); !s.ok()) {
      return s;
    }
  }
  return absl::OkStatus();
}

absl::Status SealingEventLog::Seal(storage::AppendRequest& request,
                                   std::vector<std::string>* erasures) const {
  const std::string case_id = CaseIdOfStream(request.stream_id);
  if (case_id.empty()) return absl::OkStatus();
  std::string digest;
  bool sealed_any = false;
  for (v1::ProposedEvent& event : request.events) {
    if (event.payload().Is<v1::SealedPayload>()) {
      return errors::ProposedAlreadySealed();
    }
    auto erased = ErasedKeys(case_id, event.event_type(), event.payload());
    if (!erased.ok()) return erased.status();
    erasures->insert(erasures->end(), erased->begin(), erased->end());
    std::unique_ptr<google::protobuf::Message> message =
        NewOfType(event.payload());
    if (message == nullptr || !HoldsPersonalFields(message->GetDescriptor())) {
      continue;
    }
    if (!event.payload().UnpackTo(message.get())) {
      return errors::PayloadDoesNotParse(event.event_id(),
                                         event.payload().type_url());
    }
    const uint64_t cpu_start = ThreadCpuNanos();
    std::unique_ptr<google::protobuf::Message> personal(message->New());
    const std::set<std::string> subjects = NamedSubjects(*message);
    if (!SplitPersonal(message.get(), personal.get())) continue;
    if (!sealed_any && request.request_digest.empty()) {
      digest = RequestDigest(request);  // of the request as proposed
    }
    sealed_any = true;
    std::vector<std::string> key_ids = {CaseKeyId(case_id)};
    for (const std::string& s : subjects) {
      key_ids.push_back(SubjectKeyId(case_id, s));
    }
    v1::SealedPayload sealed;
    std::vector<std::string> keys;
    for (const std::string& id : key_ids) {
      auto key = keys_->GetOrCreate(id);
      if (!key.ok()) return key.status();
      keys.push_back(key->bytes);
      v1::DataKeyRef* ref = sealed.add_keys();
      ref->set_key_id(id);
      ref->set_version(key->version);
    }
    const Sealed box = Encrypt(DeriveKey(keys),
                               Associated(event.event_id(), event.event_type()),
                               personal->SerializeAsString());
    sealed.mutable_public_part()->PackFrom(*message);
    sealed.set_nonce(box.nonce);
    sealed.set_ciphertext(box.ciphertext);
    event.mutable_payload()->PackFrom(sealed);
    sealed_events_.fetch_add(1, std::memory_order_relaxed);
    seal_cpu_nanos_.fetch_add(ThreadCpuNanos() - cpu_start,
                              std::memory_order_relaxed);
  }
  if (sealed_any && request.request_digest.empty()) {
    request.request_digest = std::move(digest);
  }
  return absl::OkStatus();
}

absl::Status SealingEventLog::Erase(
    const std::vector<std::string>& erasures) const {
  for (const std::string& id : erasures) {
    if (absl::EndsWith(id, "/")) {
      auto n = keys_->DestroyPrefix(id);
      if (!n.ok()) return n.status();
    } else if (absl::Status s = keys_->Destroy(id); !s.ok()) {
      return s;
    }
    if (absl::Status s = keys_->ClearErasurePending(id); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<storage::AppendResult> SealingEventLog::Append(
    storage::AppendRequest request) {
  std::vector<std::string> erasures;
  if (absl::Status s = Seal(request, &erasures); !s.ok()) return s;
  for (const std::string& id : erasures) {
    if (absl::Status s = keys_->MarkErasurePending(id, request.stream_id);
        !s.ok()) {
      return s;
    }
  }
  auto result = log_->Append(std::move(request));
  if (!erasures.empty()) {
    absl::Status s = result.ok() ? Erase(erasures) : absl::OkStatus();
    if (!result.ok()) {
      for (const std::string& id : erasures) {
        s.Update(keys_->ClearErasurePending(id));
      }
    }
    if (!s.ok()) return s;
  }
  return result;
}

void SealingEventLog::AppendAsync(storage::AppendRequest request,
                                  storage::AppendCallback done) {
  std::vector<std::string> erasures;
  if (absl::Status s = Seal(request, &erasures); !s.ok()) {
    done(s);
    return;
  }
  if (!erasures.empty()) {
    // Rare (erasures only): done synchronously so the keys go before the
    // caller hears of the commit.
    done(Append(std::move(request)));
    return;
  }
  log_->AppendAsync(std::move(request), std::move(done));
}

SealingStats SealingEventLog::sealing_stats() const {
  return SealingStats{
      .sealed_events = sealed_events_.load(std::memory_order_relaxed),
      .seal_cpu_nanos = seal_cpu_nanos_.load(std::memory_order_relaxed),
      .unsealed_events = unsealed_events_.load(std::memory_order_relaxed),
      .unseal_cpu_nanos = unseal_cpu_nanos_.load(std::memory_order_relaxed)};
}

absl::Status SealingEventLog::Unseal(v1::EventEnvelope& envelope) const {
  if (!envelope.payload().Is<v1::SealedPayload>()) return absl::OkStatus();
  const uint64_t cpu_start = ThreadCpuNanos();
  struct Count {
    const SealingEventLog* log;
    uint64_t start;
    ~Count() {
      log->unsealed_events_.fetch_add(1, std::memory_order_relaxed);
      log->unseal_cpu_nanos_.fetch_add(ThreadCpuNanos() - start,
                                       std::memory_order_relaxed);
    }
  } count{this, cpu_start};
  v1::SealedPayload sealed;
  if (!envelope.payload().UnpackTo(&sealed)) {
    return errors::SealedPayloadUnreadable(envelope.position());
  }
  std::vector<std::string> keys;
  bool erased = false;
  for (const v1::DataKeyRef& ref : sealed.keys()) {
    auto key = keys_->Get(ref.key_id());
    if (!key.ok()) return key.status();
    if (key->destroyed) {
      erased = true;
      break;
    }
    if (key->version != ref.version()) {
      return errors::DataKeyVersionMismatch(envelope.position(), ref.version(),
                                            ref.key_id(), key->version);
    }
    keys.push_back(std::move(key->bytes));
  }
  if (erased) {
    *envelope.mutable_payload() = sealed.public_part();
    envelope.set_content_erased(true);
    return absl::OkStatus();
  }
  auto plain = Decrypt(
      DeriveKey(keys), Associated(envelope.event_id(), envelope.event_type()),
      Sealed{.nonce = sealed.nonce(), .ciphertext = sealed.ciphertext()});
  if (!plain.ok()) {
    return errors::UnsealFailed(envelope.position(), plain.status());
  }
  std::unique_ptr<google::protobuf::Message> message =
      NewOfType(sealed.public_part());
  if (message == nullptr || !sealed.public_part().UnpackTo(message.get())) {
    return errors::PublicPartUnreadable(envelope.position());
  }
  std::unique_ptr<google::protobuf::Message> personal(message->New());
  if (!personal->ParseFromString(*plain)) {
    return errors::PersonalPartUnreadable(envelope.position());
  }
  MergePersonal(message.get(), personal.get());
  envelope.mutable_payload()->PackFrom(*message);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::EventEnvelope>> SealingEventLog::ReadStream(
    const storage::ReadStreamQuery& query) const {
  auto events = log_->ReadStream(query);
  if (!events.ok()) return events;
  for (auto& e : *events) {
    if (absl::Status s = Unseal(e); !s.ok()) return s;
  }
  return events;
}

absl::StatusOr<std::vector<v1::EventEnvelope>> SealingEventLog::ReadAll(
    const storage::ReadAllQuery& query) const {
  auto events = log_->ReadAll(query);
  if (!events.ok()) return events;
  for (auto& e : *events) {
    if (absl::Status s = Unseal(e); !s.ok()) return s;
  }
  return events;
}

absl::Status SealingEventLog::Replay(
    uint64_t from_position,
    const std::function<bool(const v1::EventEnvelope&)>& visit) const {
  absl::Status failed;
  absl::Status s = log_->Replay(from_position, [&](const v1::EventEnvelope& e) {
    if (!e.payload().Is<v1::SealedPayload>()) return visit(e);
    v1::EventEnvelope copy = e;
    failed = Unseal(copy);
    if (!failed.ok()) return false;
    return visit(copy);
  });
  if (!failed.ok()) return failed;
  return s;
}

std::unique_ptr<storage::Subscription> SealingEventLog::Subscribe(
    uint64_t from_position) {
  return std::make_unique<UnsealingSubscription>(log_->Subscribe(from_position),
                                                 this);
}

}  // namespace renkei::privacy

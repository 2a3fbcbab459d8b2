#include "tests/fuzz/command_requests.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/descriptor.pb.h"
#include "renkei/v1/audit_service.pb.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/conference_service.pb.h"
#include "renkei/v1/consent_service.pb.h"
#include "renkei/v1/directory_service.pb.h"
#include "renkei/v1/handover_service.pb.h"
#include "renkei/v1/plan_service.pb.h"
#include "renkei/v1/privacy_service.pb.h"
#include "renkei/v1/referral_service.pb.h"
#include "renkei/v1/review_service.pb.h"
#include "services/domain/event_codec.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"
#include "storage/validation.h"

namespace renkei::fuzz {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

struct ServiceSpec {
  const char* service;
  Wrapper wrapper;
  const Descriptor* wrapper_type;
  const char* id_field;  // nullptr: the directory has one stream
};

std::vector<CommandRequestKind> Build() {
  // Linking the generated files registers their descriptors.
  const ServiceSpec services[] = {
      {"renkei.v1.DirectoryService", Wrapper::kDirectory,
       v1::DirectoryCommand::descriptor(), nullptr},
      {"renkei.v1.CaseService", Wrapper::kCase, v1::CaseCommand::descriptor(),
       "case_id"},
      {"renkei.v1.ConsentService", Wrapper::kCase,
       v1::CaseCommand::descriptor(), "case_id"},
      {"renkei.v1.ReferralService", Wrapper::kCase,
       v1::CaseCommand::descriptor(), "case_id"},
      {"renkei.v1.PlanService", Wrapper::kCase, v1::CaseCommand::descriptor(),
       "case_id"},
      {"renkei.v1.ConferenceService", Wrapper::kConference,
       v1::ConferenceCommand::descriptor(), "conference_id"},
      {"renkei.v1.HandoverService", Wrapper::kHandover,
       v1::HandoverCommand::descriptor(), "handover_id"},
      {"renkei.v1.ReviewService", Wrapper::kCase, nullptr, nullptr},
      {"renkei.v1.AuditService", Wrapper::kCase, nullptr, nullptr},
      // Case commands, and one directory command (SetRetentionRule).
      {"renkei.v1.PrivacyService", Wrapper::kCase,
       v1::CaseCommand::descriptor(), "case_id"},
  };
  // Touch a message of each service file so its descriptor is in the pool.
  (void)v1::ListOverdueReviewsRequest::descriptor();
  (void)v1::ReadAllRequest::descriptor();
  (void)v1::GiveConsentRequest::descriptor();
  (void)v1::MakeReferralRequest::descriptor();
  (void)v1::ReviseSupportPlanRequest::descriptor();
  (void)v1::ScheduleConferenceRequest::descriptor();
  (void)v1::StartHandoverRequest::descriptor();
  (void)v1::OpenCaseRequest::descriptor();
  (void)v1::RegisterAgencyRequest::descriptor();
  (void)v1::EraseSubjectRequest::descriptor();

  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  const Descriptor* reply = v1::CommandReply::descriptor();
  std::vector<CommandRequestKind> kinds;
  for (const ServiceSpec& spec : services) {
    const auto* service = pool->FindServiceByName(spec.service);
    if (service == nullptr) Fail(absl::StrCat("no service ", spec.service));
    for (int m = 0; m < service->method_count(); ++m) {
      const auto* method = service->method(m);
      if (method->output_type() != reply) continue;
      if (spec.wrapper_type == nullptr) {
        Fail(absl::StrCat(method->full_name(),
                          " is a command in a service without commands"));
      }
      CommandRequestKind kind;
      kind.method = method->full_name();
      kind.request = method->input_type();
      kind.wrapper = spec.wrapper;
      const FieldDescriptor* command = kind.request->FindFieldByName("command");
      if (command == nullptr || command->message_type() == nullptr) {
        Fail(absl::StrCat(kind.method, ": the request has no `command`"));
      }
      const Descriptor* wrapper_type = spec.wrapper_type;
      const char* id_field = spec.id_field;
      for (const Descriptor* candidate :
           {spec.wrapper_type, v1::DirectoryCommand::descriptor()}) {
        const auto* oneof = candidate->FindOneofByName("kind");
        for (int f = 0; f < oneof->field_count(); ++f) {
          if (kind.wrapper_field == nullptr &&
              oneof->field(f)->message_type() == command->message_type()) {
            kind.wrapper_field = oneof->field(f);
            wrapper_type = candidate;
          }
        }
      }
      if (wrapper_type != spec.wrapper_type) {
        kind.wrapper = Wrapper::kDirectory;
        id_field = nullptr;
      }
      if (kind.wrapper_field == nullptr) {
        Fail(absl::StrCat(kind.method, ": ", command->message_type()->name(),
                          " is not a kind of ", wrapper_type->name()));
      }
      if (id_field != nullptr) {
        kind.id_field = kind.request->FindFieldByName(id_field);
        if (kind.id_field == nullptr) {
          Fail(absl::StrCat(kind.method, " has no ", id_field));
        }
      }
      kinds.push_back(std::move(kind));
    }
  }
  return kinds;
}

// command_pipeline.cc's check of CommandOptions.
absl::Status ValidateOptions(const v1::CommandOptions& o) {
  if (o.idempotency_key().empty()) {
    return absl::InvalidArgumentError("options.idempotency_key is required");
  }
  if (o.idempotency_key().size() > 128 ||
      !storage::ValidateStreamId(o.idempotency_key()).ok()) {
    return absl::InvalidArgumentError("options.idempotency_key is not valid");
  }
  return absl::OkStatus();
}

template <typename Command>
absl::Status Decide(World& world, const CommandRequestKind& kind,
                    const Message& request, const v1::CommandOptions& options,
                    const Caller& caller, absl::Time now, bool apply,
                    std::vector<EventBatch>* produced) {
  Command command;
  const auto* reflection = command.GetReflection();
  if (kind.id_field != nullptr) {
    const std::string id =
        request.GetReflection()->GetString(request, kind.id_field);
    const auto* id_field =
        command.GetDescriptor()->FindFieldByName(kind.id_field->name());
    reflection->SetString(&command, id_field, id);
    if (absl::Status s = domain::ValidateId(kind.id_field->name(), id);
        !s.ok()) {
      return s;
    }
  }
  *command.mutable_occurred_at() = options.has_occurred_at()
                                       ? options.occurred_at()
                                       : domain::ToTimestamp(now);
  command.mutable_actor()->set_staff_id(caller.staff_id);
  command.mutable_actor()->set_agency_id(caller.agency_id);
  const FieldDescriptor* command_field =
      kind.request->FindFieldByName("command");
  reflection->MutableMessage(&command, kind.wrapper_field)
      ->CopyFrom(request.GetReflection()->GetMessage(request, command_field));
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  return Run(world, command, apply, produced);
}

}  // namespace

const std::vector<CommandRequestKind>& CommandRequestKinds() {
  static const auto* kinds = new std::vector<CommandRequestKind>(Build());
  return *kinds;
}

std::unique_ptr<Message> NewRequest(const CommandRequestKind& kind) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()
          ->GetPrototype(kind.request)
          ->New());
}

absl::Status RunRequest(World& world, const CommandRequestKind& kind,
                        const Message& request, const Caller& caller,
                        absl::Time now, bool apply) {
  v1::CommandOptions options;
  if (const auto* f = kind.request->FindFieldByName("options")) {
    options.CopyFrom(request.GetReflection()->GetMessage(request, f));
  }
  std::vector<EventBatch> produced;
  absl::Status status;
  switch (kind.wrapper) {
    case Wrapper::kDirectory:
      status = Decide<v1::DirectoryCommand>(world, kind, request, options,
                                            caller, now, apply, &produced);
      break;
    case Wrapper::kCase:
      status = Decide<v1::CaseCommand>(world, kind, request, options, caller,
                                       now, apply, &produced);
      break;
    case Wrapper::kConference:
      status = Decide<v1::ConferenceCommand>(world, kind, request, options,
                                             caller, now, apply, &produced);
      break;
    case Wrapper::kHandover:
      status = Decide<v1::HandoverCommand>(world, kind, request, options,
                                           caller, now, apply, &produced);
      break;
  }
  if (!status.ok()) return status;
  // What the pipeline appends must pass the log's own checks: the server
  // would otherwise answer a decided command with a storage error.
  storage::EventLogOptions log_options;
  log_options.max_payload_bytes = size_t{64} << 20;
  for (EventBatch& batch : produced) {
    if (batch.events.empty()) continue;
    storage::AppendRequest append;
    append.stream_id = batch.stream_id;
    append.idempotency_key = absl::StrCat(caller.staff_id, "/key");
    for (size_t i = 0; i < batch.events.size(); ++i) {
      batch.events[i].set_event_id(
          absl::StrFormat("00000000-0000-4000-8000-%012x", i + 1));
      batch.events[i].set_correlation_id("fuzz");
    }
    append.events = std::move(batch.events);
    if (absl::Status s = storage::ValidateAppend(append, log_options);
        !s.ok()) {
      Fail(absl::StrCat(kind.method, " was decided but its append is refused: ",
                        s.ToString()));
    }
  }
  return absl::OkStatus();
}

}  // namespace renkei::fuzz

// `renkei demo`: the acceptance story played over the gRPC API.
#include "clients/cli/demo.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "clients/cli/demo_story.h"
#include "clients/cli/human_output.h"
#include "clients/cli/proto_values.h"
#include "clients/cli/request_flags.h"
#include "renkei/v1/audit_service.pb.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/command.pb.h"
#include "renkei/v1/consent_service.pb.h"
#include "renkei/v1/referral_service.pb.h"

namespace renkei::cli {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// Day 0 of the story: 2024-04-01 09:00 UTC, as in the domain's tests.
absl::Time Day(int days, int hours = 0) {
  return absl::FromCivil(absl::CivilSecond(2024, 4, 1, 9, 0, 0),
                         absl::UTCTimeZone()) +
         absl::Hours(24 * days + hours);
}

const MethodDescriptor* FindRpc(absl::string_view service_dot_method) {
  const size_t dot = service_dot_method.find('.');
  if (dot == absl::string_view::npos) return nullptr;
  const auto* service = DescriptorPool::generated_pool()->FindServiceByName(
      absl::StrCat("renkei.v1.", service_dot_method.substr(0, dot)));
  if (service == nullptr) return nullptr;
  return service->FindMethodByName(
      std::string(service_dot_method.substr(dot + 1)));
}

class Story {
 public:
  Story(Transport& transport, const DemoOptions& options, std::ostream& out,
        std::ostream& err)
      : transport_(transport), options_(options), out_(out), err_(err) {
    run_id_ =
        options.run_id.empty() ? DefaultRunId(options.now) : options.run_id;
    case_id_ = absl::StrCat("demo-", run_id_);
    placeholders_ = {{"${cw}", absl::StrCat("cw-", run_id_)},
                     {"${cw2}", absl::StrCat("cw2-", run_id_)}};
    for (const DemoStaff& staff : DemoStaffMembers()) {
      agency_of_[Resolve(staff.id)] = staff.agency;
    }
  }

  int Play();

 private:
  std::string Resolve(absl::string_view text) const {
    return absl::StrReplaceAll(text, placeholders_);
  }

  CallOptions As(const std::string& staff_id) const {
    CallOptions call;
    call.staff_id = staff_id;
    auto it = agency_of_.find(staff_id);
    call.agency_id = it == agency_of_.end() ? "city-pa" : it->second;
    call.request_id = absl::StrCat(case_id_, "/", ++calls_);
    call.timeout = options_.timeout;
    return call;
  }

  // Sends one command request; `command_json` fills its `command` field.
  absl::Status Command(const std::string& staff_id, absl::Time at,
                       const MethodDescriptor& method,
                       absl::string_view command_json,
                       const std::string& idempotency_key,
                       v1::CommandReply* reply);
  absl::Status Registrations();
  absl::Status CaseSteps();
  void LaterSteps();
  void Report();

  template <typename Response>
  absl::Status Query(const std::string& staff_id, const char* rpc,
                     const Message& request, Response* response) {
    const MethodDescriptor* method = FindRpc(rpc);
    if (method == nullptr) {
      return absl::UnimplementedError(absl::StrCat(rpc, " is not in the API"));
    }
    return transport_.Unary(*method, As(staff_id), request, response);
  }

  void Fail(absl::string_view what, const absl::Status& status) {
    err_ << "demo: " << what
         << " failed: " << absl::StatusCodeToString(status.code()) << ": "
         << status.message() << "\n";
  }

  Transport& transport_;
  const DemoOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
  std::string run_id_;
  std::string case_id_;
  std::vector<std::pair<std::string, std::string>> placeholders_;
  std::map<std::string, std::string> agency_of_;
  mutable int calls_ = 0;
};

absl::Status Story::Command(const std::string& staff_id, absl::Time at,
                            const MethodDescriptor& method,
                            absl::string_view command_json,
                            const std::string& idempotency_key,
                            v1::CommandReply* reply) {
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(
      factory->GetPrototype(method.input_type())->New());
  const auto& type = *method.input_type();
  const auto* r = request->GetReflection();
  if (const FieldDescriptor* command = type.FindFieldByName("command")) {
    absl::Status status = MergeJson(Resolve(command_json),
                                    r->MutableMessage(request.get(), command));
    if (!status.ok()) return status;
  }
  if (const FieldDescriptor* case_id = type.FindFieldByName("case_id")) {
    r->SetString(request.get(), case_id, case_id_);
  }
  if (const FieldDescriptor* options = type.FindFieldByName("options")) {
    v1::CommandOptions command_options;
    command_options.set_idempotency_key(idempotency_key);
    *command_options.mutable_occurred_at() = ToTimestamp(at);
    r->MutableMessage(request.get(), options)->CopyFrom(command_options);
  }
  return transport_.Unary(method, As(staff_id), *request, reply);
}

absl::Status Story::Registrations() {
  out_ << "Directory: " << DemoAgencies().size() << " agencies and "
       << DemoStaffMembers().size() << " staff members (caseworker "
       << Resolve("${cw}") << ", successor " << Resolve("${cw2}") << ")\n";
  const MethodDescriptor* agency_rpc =
      FindRpc("DirectoryService.RegisterAgency");
  const MethodDescriptor* staff_rpc =
      FindRpc("DirectoryService.RegisterStaffMember");
  if (agency_rpc == nullptr || staff_rpc == nullptr) {
    return absl::UnimplementedError("the directory service is missing");
  }
  int registered = 0;
  int present = 0;
  for (const DemoAgency& agency : DemoAgencies()) {
    const std::string json = absl::StrFormat(
        R"({"agency": {"agency_id": "%s", "name": "%s", "kind": "%s",
            "scope": "%s", "formality": "AGENCY_FORMALITY_FORMAL"}})",
        agency.id, agency.name, agency.kind, agency.scope);
    v1::CommandReply reply;
    absl::Status status =
        Command("admin", Day(-10), *agency_rpc, json,
                absl::StrCat("demo-agency-", agency.id), &reply);
    if (status.code() == absl::StatusCode::kAlreadyExists ||
        (status.ok() && reply.duplicate())) {
      ++present;
    } else if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("registering agency ", agency.id, ": ",
                                       status.message()));
    } else {
      ++registered;
    }
  }
  for (const DemoStaff& staff : DemoStaffMembers()) {
    const std::string id = Resolve(staff.id);
    const std::string json = absl::StrFormat(
        R"({"staff": {"staff_id": "%s", "display_name": "%s",
            "profession": "%s", "agency_id": "%s"}})",
        id, staff.name, staff.profession, staff.agency);
    v1::CommandReply reply;
    absl::Status status = Command("admin", Day(-10), *staff_rpc, json,
                                  absl::StrCat("demo-staff-", id), &reply);
    if (status.code() == absl::StatusCode::kAlreadyExists ||
        (status.ok() && reply.duplicate())) {
      ++present;
    } else if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("registering staff member ", id, ": ",
                                       status.message()));
    } else {
      ++registered;
    }
  }
  out_ << "  " << registered << " registered now, " << present
       << " already there\n";
  return absl::OkStatus();
}

absl::Status Story::CaseSteps() {
  const auto& titles = DemoStepTitles();
  int last_step = 0;
  int index = 0;
  for (const DemoStep& step : DemoCaseSteps()) {
    ++index;
    if (step.story_step != last_step) {
      last_step = step.story_step;
      out_ << "\nStep " << step.story_step << ". "
           << titles[step.story_step - 1] << "\n";
    }
    const MethodDescriptor* method = FindRpc(step.method);
    if (method == nullptr) {
      return absl::UnimplementedError(
          absl::StrCat(step.method, " is not in the API"));
    }
    const std::string staff = Resolve(step.staff);
    const absl::Time at = Day(step.day, step.hour);
    v1::CommandReply reply;
    absl::Status status =
        Command(staff, at, *method, step.command_json,
                absl::StrCat(case_id_, "-step-", index), &reply);
    const std::string who = absl::StrCat(staff, "@", agency_of_[staff]);
    const std::string when =
        absl::FormatTime("%Y-%m-%d %H:%M", at, absl::UTCTimeZone());
    if (!status.ok()) {
      out_ << absl::StrFormat("  %s  %-30s %-24s FAILED\n", when, who,
                              method->name());
      return absl::Status(
          status.code(),
          absl::StrCat(step.method, " by ", staff, ": ", status.message()));
    }
    out_ << absl::StrFormat("  %s  %-30s %-24s -> %s v%d (position %d)%s\n",
                            when, who, method->name(), reply.stream_id(),
                            reply.stream_version(), reply.last_position(),
                            reply.duplicate() ? " (already done)" : "");
  }
  return absl::OkStatus();
}

// EXTENSION POINT: step 10 (the 要対協 individual case conference, role split,
// plan and stage leads) and the rotation/handover need the conference, plan
// and handover services. They are played here once the API defines them.
void Story::LaterSteps() {
  const auto& titles = DemoStepTitles();
  const bool have_conferences =
      DescriptorPool::generated_pool()->FindServiceByName(
          "renkei.v1.ConferenceService") != nullptr;
  const bool have_handovers =
      DescriptorPool::generated_pool()->FindServiceByName(
          "renkei.v1.HandoverService") != nullptr;
  out_ << "\nStep 10. " << titles[9] << "\n";
  if (!have_conferences) {
    out_ << "  (not played: this build's API has no ConferenceService yet)\n";
  }
  out_ << "\nLater. " << titles[10] << "\n";
  if (!have_handovers) {
    out_ << "  (not played: this build's API has no HandoverService yet)\n";
  }
}

void Story::Report() {
  const std::string counsellor = "counsellor";
  out_ << "\n== Case " << case_id_ << " ==\n";
  v1::GetCaseSummaryRequest summary_request;
  summary_request.set_case_id(case_id_);
  v1::CaseSummary summary;
  absl::Status status = Query(counsellor, "CaseService.GetCaseSummary",
                              summary_request, &summary);
  if (status.ok()) {
    out_ << RenderHuman(summary);
  } else {
    Fail("GetCaseSummary", status);
  }

  // The whole timeline as the counsellor's agency may see it, page by page.
  v1::GetCaseTimelineResponse timeline;
  v1::GetCaseTimelineRequest timeline_request;
  timeline_request.set_case_id(case_id_);
  while (true) {
    v1::GetCaseTimelineResponse page;
    status = Query(counsellor, "CaseService.GetCaseTimeline", timeline_request,
                   &page);
    if (!status.ok()) break;
    for (auto& item : *page.mutable_items()) {
      *timeline.add_items() = std::move(item);
    }
    timeline.set_redacted_count(timeline.redacted_count() +
                                page.redacted_count());
    if (page.next_after_position() == 0) break;
    timeline_request.set_after_position(page.next_after_position());
  }
  if (status.ok()) {
    out_ << "\n== Timeline, as the counsellor (city-mh) sees it: "
         << timeline.items_size() << " events, " << timeline.redacted_count()
         << " redacted ==\n"
         << RenderTable(timeline,
                        *timeline.GetDescriptor()->FindFieldByName("items"), 0);
  } else {
    Fail("GetCaseTimeline", status);
  }

  // The clinic, on the team only since step 8, sees less.
  v1::GetCaseTimelineRequest clinic_request;
  clinic_request.set_case_id(case_id_);
  clinic_request.set_purpose(v1::SHARING_PURPOSE_MEDICAL_CARE);
  v1::GetCaseTimelineResponse clinic;
  status = Query("clinic-doctor", "CaseService.GetCaseTimeline", clinic_request,
                 &clinic);
  if (status.ok()) {
    out_ << "\nThe clinic's view of the same case (purpose: medical care): "
         << clinic.items_size() << " events on this page, "
         << clinic.redacted_count() << " redacted, each with its reason\n";
  } else {
    Fail("GetCaseTimeline as the clinic", status);
  }

  v1::ListConsentsRequest consents_request;
  consents_request.set_case_id(case_id_);
  v1::ListConsentsResponse consents;
  status = Query(counsellor, "ConsentService.ListConsents", consents_request,
                 &consents);
  if (status.ok()) {
    out_ << "\n== Consents ==\n" << RenderHuman(consents);
  } else {
    Fail("ListConsents", status);
  }

  v1::ListReferralsRequest referrals_request;
  referrals_request.set_direction(v1::REFERRAL_DIRECTION_OUTGOING);
  referrals_request.set_include_closed(true);
  v1::ListReferralsResponse referrals;
  status = Query(counsellor, "ReferralService.ListReferrals", referrals_request,
                 &referrals);
  if (status.ok()) {
    v1::ListReferralsResponse mine;
    for (const auto& referral : referrals.referrals()) {
      if (referral.case_id() == case_id_) *mine.add_referrals() = referral;
    }
    out_ << "\n== Referrals made by the counsellor's agency on this case ==\n"
         << RenderHuman(mine);
  } else {
    Fail("ListReferrals", status);
  }

  out_ << "\n== Stage-lead history ==\n";
  if (FindRpc("CaseService.GetStageLeadHistory") == nullptr) {
    out_ << "  (none yet: stage leads are decided in step 10, which needs the "
            "conference and plan services)\n";
  }

  // An auditor: what was known by occurred time on day 6, after the refusal.
  v1::ReplayCaseRequest replay;
  replay.set_case_id(case_id_);
  *replay.mutable_as_of() = ToTimestamp(Day(6));
  replay.set_axis(v1::TIME_AXIS_OCCURRED);
  v1::ReplayCaseResponse replayed;
  status = Query("auditor", "AuditService.ReplayCase", replay, &replayed);
  out_ << "\n== Audit: the case as of " << FormatTimestamp(replay.as_of())
       << " (occurred time, after the refusal) ==\n";
  if (status.ok()) {
    out_ << "events applied: " << replayed.events_applied()
         << ", consents in force: " << replayed.summary().consents_in_force()
         << ", refusals standing: " << replayed.summary().refusals_standing()
         << ", open referrals: " << replayed.summary().open_referrals() << "\n";
  } else if (status.code() == absl::StatusCode::kPermissionDenied) {
    out_ << "  (skipped: start the server with --auditor-agencies "
         << kDemoAuditorAgency << " to let the demo's auditor replay)\n";
  } else {
    Fail("ReplayCase", status);
  }

  out_ << "\nTry:\n"
       << "  renkei --as counsellor case get-case-timeline --case-id "
       << case_id_ << "\n"
       << "  renkei --as auditor audit replay " << case_id_
       << " --as-of 2024-04-13 --axis occurred\n";
}

int Story::Play() {
  out_ << "Renkei demo, run " << run_id_ << ": case " << case_id_ << "\n";
  if (absl::Status s = Registrations(); !s.ok()) {
    Fail("directory setup", s);
    return 1;
  }
  if (absl::Status s = CaseSteps(); !s.ok()) {
    Fail("the story", s);
    return 1;
  }
  LaterSteps();
  Report();
  return 0;
}

}  // namespace

std::string DefaultRunId(absl::Time now) {
  int64_t n = absl::ToUnixSeconds(now);
  std::string out;
  do {
    out.insert(out.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36]);
    n /= 36;
  } while (n > 0);
  return out;
}

int RunDemo(Transport& transport, const DemoOptions& options, std::ostream& out,
            std::ostream& err) {
  Story story(transport, options, out, err);
  return story.Play();
}

}  // namespace renkei::cli

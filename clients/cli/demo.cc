// `renkei demo`: the acceptance story played over the gRPC API.
#include "clients/cli/demo.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <map>
#include <memory>
#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "clients/cli/demo_story.h"
#include "clients/cli/errors.h"
#include "clients/cli/human_output.h"
#include "clients/cli/proto_values.h"
#include "clients/cli/request_flags.h"
#include "clients/cli/service_catalog.h"
#include "clients/cli/uuid.h"
#include "renkei/v1/audit_service.pb.h"
#include "renkei/v1/case_service.pb.h"
#include "renkei/v1/command.pb.h"
#include "renkei/v1/consent_service.pb.h"
#include "renkei/v1/directory_service.pb.h"
#include "renkei/v1/referral_service.pb.h"
#include "renkei/v1/session_service.pb.h"

namespace renkei::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

// Day 0 of the story: 2024-04-01 09:00 UTC, as in the domain's tests.
absl::Time Day(int days, int hours = 0) {
  return absl::FromCivil(absl::CivilSecond(2024, 4, 1, 9, 0, 0),
                         absl::UTCTimeZone()) +
         absl::Hours(24 * days + hours);
}

// "CaseService.OpenCase", or a bare method name looked up in every service.
const MethodDescriptor* FindRpc(absl::string_view name) {
  const size_t dot = name.find('.');
  for (const auto* service : RenkeiServices()) {
    if (dot != absl::string_view::npos &&
        service->name() != name.substr(0, dot)) {
      continue;
    }
    const std::string method(
        dot == absl::string_view::npos ? name : name.substr(dot + 1));
    if (const MethodDescriptor* found = service->FindMethodByName(method)) {
      return found;
    }
  }
  return nullptr;
}

bool HasRepeatedOf(const Descriptor& type, absl::string_view element) {
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* f = type.field(i);
    if (f->is_repeated() && f->message_type() != nullptr &&
        f->message_type()->full_name() == element) {
      return true;
    }
  }
  return false;
}

// A query (not a command) taking `id_field` whose reply holds `wanted`,
// directly or as a repeated field: how the demo finds the stage-lead history
// and the handover packet whatever their RPCs are called.
const MethodDescriptor* FindQuery(absl::string_view id_field,
                                  absl::string_view wanted) {
  for (const auto* service : RenkeiServices()) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* m = service->method(i);
      if (m->server_streaming() || IsCommandRequest(*m->input_type()) ||
          m->input_type()->FindFieldByName(std::string(id_field)) == nullptr) {
        continue;
      }
      if (m->output_type()->full_name() == wanted ||
          HasRepeatedOf(*m->output_type(), wanted)) {
        return m;
      }
    }
  }
  return nullptr;
}

class Story {
 public:
  Story(Transport& transport, const DemoOptions& options, std::ostream& out,
        std::ostream& err)
      : transport_(transport), options_(options), out_(out), err_(err) {
    run_id_ =
        options.run_id.empty() ? DefaultRunId(options.now) : options.run_id;
    case_id_ = absl::StrCat("demo-", run_id_);
    counsellor_ = absl::StrCat("counsellor-", run_id_);
    successor_ = absl::StrCat("counsellor2-", run_id_);
    placeholders_ = {{"${counsellor2}", successor_},
                     {"${counsellor}", counsellor_},
                     {"${case}", case_id_},
                     {"${run}", run_id_}};
    for (const DemoStaff& staff : DemoStaffMembers()) {
      agency_of_[Resolve(staff.id)] = staff.agency;
    }
    agency_of_[successor_] = "city-mh";
  }

  int Play();

 private:
  std::string Resolve(absl::string_view text) const {
    return absl::StrReplaceAll(text, placeholders_);
  }

  CallOptions As(const std::string& staff_id) const {
    CallOptions call;
    if (options_.admin_token.empty()) {
      call.staff_id = staff_id;
    } else {
      call.bearer_token = TokenFor(staff_id);
    }
    auto it = agency_of_.find(staff_id);
    // Staff outside the story (the administrator) act for their own agency
    // in the directory.
    call.agency_id = it == agency_of_.end() ? "" : it->second;
    call.request_id = absl::StrCat(case_id_, ".", ++calls_);  // an id: no "/"
    call.timeout = options_.timeout;
    return call;
  }

  // A session for `staff_id` ("admin": the administrator's own): the
  // administrator sets the staff member a fresh random password, and the
  // demo signs in with it. "" when that fails (the call then fails with the
  // server's reason).
  std::string TokenFor(const std::string& staff_id) const {
    if (staff_id == "admin") return options_.admin_token;
    if (auto it = tokens_.find(staff_id); it != tokens_.end()) {
      return it->second;
    }
    const MethodDescriptor* set = FindRpc("DirectoryService.SetStaffPassword");
    const MethodDescriptor* sign_in = FindRpc("SessionService.SignIn");
    if (set == nullptr || sign_in == nullptr) return "";
    const std::string password = NewUuid();
    CallOptions admin;
    admin.bearer_token = options_.admin_token;
    admin.timeout = options_.timeout;
    v1::SetStaffPasswordRequest set_req;
    set_req.set_staff_id(staff_id);
    set_req.set_password(password);
    v1::SetStaffPasswordResponse set_resp;
    if (!transport_.Unary(*set, admin, set_req, &set_resp).ok()) return "";
    CallOptions anonymous;
    anonymous.timeout = options_.timeout;
    v1::SignInRequest in;
    in.set_staff_id(staff_id);
    in.set_password(password);
    v1::SignInResponse session;
    if (!transport_.Unary(*sign_in, anonymous, in, &session).ok()) return "";
    tokens_[staff_id] = session.token();
    return session.token();
  }

  // Sends one command request: `command_json` fills its `command` field,
  // `target` ("conference_id=...") or else the demo's case names the
  // aggregate.
  absl::Status Command(const std::string& staff_id, absl::Time at,
                       const MethodDescriptor& method,
                       absl::string_view command_json, const char* target,
                       const std::string& idempotency_key,
                       v1::CommandReply* reply);
  absl::Status Registrations();
  // Plays a group of steps; a group whose RPCs the API lacks is skipped
  // (false) with a note.
  absl::StatusOr<bool> PlaySteps(const std::vector<DemoStep>& steps);
  // Calls a query named by its descriptor with a request in protobuf JSON.
  absl::StatusOr<std::unique_ptr<Message>> Call(const std::string& staff,
                                                const MethodDescriptor& method,
                                                const std::string& json);
  void ShowQuery(const std::string& staff, const MethodDescriptor& method,
                 const std::string& json);
  // Who led each stage at moments of the story, as known now and as known
  // then (the stage-lead ledger is bitemporal).
  void ShowLeadsOverTime(const std::string& staff);
  void Report(bool planned, bool rotated);

  template <typename Response>
  absl::Status Query(const std::string& staff_id, const char* rpc,
                     const Message& request, Response* response) {
    const MethodDescriptor* method = FindRpc(rpc);
    if (method == nullptr) {
      return errors::RpcNotInApi(rpc);
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
  std::string counsellor_;
  std::string successor_;
  mutable std::map<std::string, std::string> tokens_;  // staff id -> session
  // The client's clock just before CompleteHandover was sent: "as known"
  // before the handover.
  std::optional<absl::Time> before_handover_;
  std::vector<std::pair<std::string, std::string>> placeholders_;
  std::map<std::string, std::string> agency_of_;
  int last_story_step_ = 0;
  int step_index_ = 0;  // numbers idempotency keys across groups
  mutable int calls_ = 0;
};

absl::Status Story::Command(const std::string& staff_id, absl::Time at,
                            const MethodDescriptor& method,
                            absl::string_view command_json, const char* target,
                            const std::string& idempotency_key,
                            v1::CommandReply* reply) {
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(
      factory->GetPrototype(method.input_type())->New());
  const Descriptor& type = *method.input_type();
  const auto* r = request->GetReflection();
  if (const FieldDescriptor* command = type.FindFieldByName("command")) {
    absl::Status status = MergeJson(Resolve(command_json),
                                    r->MutableMessage(request.get(), command));
    if (!status.ok()) return status;
  }
  std::string field = "case_id";
  std::string value = case_id_;
  if (target != nullptr && target[0] != '\0') {
    const std::string assignment = Resolve(target);
    const size_t eq = assignment.find('=');
    field = assignment.substr(0, eq);
    value = assignment.substr(eq + 1);
  }
  if (const FieldDescriptor* id = type.FindFieldByName(field)) {
    r->SetString(request.get(), id, value);
  } else if (field != "case_id") {
    return errors::NoSuchField(type.full_name(), field);
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
       << DemoStaffMembers().size() << " staff members (this run's counsellor "
       << counsellor_ << ")\n";
  const MethodDescriptor* agency_rpc =
      FindRpc("DirectoryService.RegisterAgency");
  const MethodDescriptor* staff_rpc =
      FindRpc("DirectoryService.RegisterStaffMember");
  if (agency_rpc == nullptr || staff_rpc == nullptr) {
    return errors::DirectoryServiceMissing();
  }
  int registered = 0;
  int present = 0;
  auto count = [&](const absl::Status& status, const v1::CommandReply& reply,
                   absl::string_view what) -> absl::Status {
    if (status.code() == absl::StatusCode::kAlreadyExists ||
        (status.ok() && reply.duplicate())) {
      ++present;
    } else if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat("registering ", what,
                                                      ": ", status.message()));
    } else {
      ++registered;
    }
    return absl::OkStatus();
  };
  for (const DemoAgency& agency : DemoAgencies()) {
    const std::string json = absl::StrFormat(
        R"({"agency": {"agency_id": "%s", "name": "%s", "kind": "%s",
            "scope": "%s", "formality": "AGENCY_FORMALITY_FORMAL"}})",
        agency.id, agency.name, agency.kind, agency.scope);
    v1::CommandReply reply;
    absl::Status status =
        Command("admin", Day(-10), *agency_rpc, json, nullptr,
                absl::StrCat("demo-agency-", agency.id), &reply);
    if (absl::Status s =
            count(status, reply, absl::StrCat("agency ", agency.id));
        !s.ok()) {
      return s;
    }
  }
  for (const DemoStaff& staff : DemoStaffMembers()) {
    const std::string id = Resolve(staff.id);
    const std::string json = absl::StrFormat(
        R"({"staff": {"staff_id": "%s", "display_name": "%s",
            "profession": "%s", "agency_id": "%s"}})",
        id, staff.name, staff.profession, staff.agency);
    v1::CommandReply reply;
    absl::Status status = Command("admin", Day(-10), *staff_rpc, json, nullptr,
                                  absl::StrCat("demo-staff-", id), &reply);
    if (absl::Status s =
            count(status, reply, absl::StrCat("staff member ", id));
        !s.ok()) {
      return s;
    }
  }
  // Roles are directory facts: the supervisor confirms self-serving
  // consents, the verification committee's member audits.
  const MethodDescriptor* role_rpc = FindRpc("DirectoryService.GrantStaffRole");
  for (const auto& [staff, role] :
       std::vector<std::pair<std::string, std::string>>{
           {"supervisor", "STAFF_ROLE_SUPERVISOR"},
           {"auditor", "STAFF_ROLE_AUDITOR"}}) {
    if (role_rpc == nullptr) break;
    const std::string json = absl::StrFormat(
        R"({"staff_id": "%s", "role": "%s", "reason": "demo set-up"})", staff,
        role);
    v1::CommandReply reply;
    absl::Status status = Command("admin", Day(-10), *role_rpc, json, nullptr,
                                  absl::StrCat("demo-role-", staff), &reply);
    if (status.code() == absl::StatusCode::kFailedPrecondition &&
        absl::StrContains(status.message(), "already holds")) {
      continue;  // an earlier run granted it
    }
    if (!status.ok()) {
      return absl::Status(
          status.code(),
          absl::StrCat("granting ", staff, " ", role, ": ", status.message()));
    }
  }
  out_ << "  " << registered << " registered now, " << present
       << " already there\n";
  return absl::OkStatus();
}

absl::StatusOr<bool> Story::PlaySteps(const std::vector<DemoStep>& steps) {
  const auto& titles = DemoStepTitles();
  std::vector<std::string> missing;
  for (const DemoStep& step : steps) {
    if (FindRpc(step.method) == nullptr &&
        std::find(missing.begin(), missing.end(), step.method) ==
            missing.end()) {
      missing.push_back(step.method);
    }
  }
  if (!missing.empty()) {
    const int first = steps.front().story_step;
    out_ << "\n"
         << (first > 10 ? "Later. " : absl::StrCat("Step ", first, ". "))
         << titles[first - 1] << "\n  (not played: the API has no "
         << absl::StrJoin(missing, ", ") << " yet)\n";
    step_index_ += static_cast<int>(steps.size());
    return false;
  }
  for (const DemoStep& step : steps) {
    ++step_index_;
    if (step.story_step != last_story_step_) {
      last_story_step_ = step.story_step;
      out_ << "\n"
           << (step.story_step > 10
                   ? std::string("Later. ")
                   : absl::StrCat("Step ", step.story_step, ". "))
           << titles[step.story_step - 1] << "\n";
    }
    const MethodDescriptor* method = FindRpc(step.method);
    const std::string staff = Resolve(step.staff);
    const absl::Time at = Day(step.day, step.hour);
    if (method->name() == "CompleteHandover") before_handover_ = absl::Now();
    v1::CommandReply reply;
    absl::Status status =
        Command(staff, at, *method, step.command_json, step.target,
                absl::StrCat(case_id_, "-step-", step_index_), &reply);
    auto agency = agency_of_.find(staff);
    const std::string who = absl::StrCat(
        staff, "@", agency == agency_of_.end() ? "city-pa" : agency->second);
    const std::string when =
        absl::FormatTime("%Y-%m-%d %H:%M", at, absl::UTCTimeZone());
    if (!status.ok()) {
      out_ << absl::StrFormat("  %s  %-30s %-26s FAILED\n", when, who,
                              method->name());
      return absl::Status(
          status.code(),
          absl::StrCat(method->service()->name(), ".", method->name(), " by ",
                       staff, ": ", status.message()));
    }
    out_ << absl::StrFormat("  %s  %-30s %-26s -> %s v%d (position %d)%s\n",
                            when, who, method->name(), reply.stream_id(),
                            reply.stream_version(), reply.last_position(),
                            reply.duplicate() ? " (already done)" : "");
  }
  return true;
}

absl::StatusOr<std::unique_ptr<Message>> Story::Call(
    const std::string& staff, const MethodDescriptor& method,
    const std::string& json) {
  auto* factory = google::protobuf::MessageFactory::generated_factory();
  std::unique_ptr<Message> request(
      factory->GetPrototype(method.input_type())->New());
  std::unique_ptr<Message> response(
      factory->GetPrototype(method.output_type())->New());
  if (absl::Status s = MergeJson(json, request.get()); !s.ok()) return s;
  absl::Status status =
      transport_.Unary(method, As(staff), *request, response.get());
  if (!status.ok()) return status;
  return response;
}

void Story::ShowQuery(const std::string& staff, const MethodDescriptor& method,
                      const std::string& json) {
  absl::StatusOr<std::unique_ptr<Message>> response = Call(staff, method, json);
  if (!response.ok()) {
    Fail(method.name(), response.status());
    return;
  }
  out_ << RenderHuman(**response);
}

// The text of a singular field reached by a dotted path ("period.lead.x");
// empty when a message on the way is unset.
std::string FieldText(const Message& message, absl::string_view dotted) {
  const Message* m = &message;
  std::vector<std::string> names = absl::StrSplit(dotted, '.');
  for (size_t i = 0; i < names.size(); ++i) {
    const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(names[i]);
    if (f == nullptr || f->is_repeated()) return "";
    if (i + 1 == names.size()) return FieldValueText(*m, f, -1);
    if (!m->GetReflection()->HasField(*m, f)) return "";
    m = &m->GetReflection()->GetMessage(*m, f);
  }
  return "";
}

void Story::ShowLeadsOverTime(const std::string& staff) {
  const MethodDescriptor* lead_at = FindRpc("GetLeadAt");
  if (lead_at == nullptr) return;
  const char* stages[] = {"s-treatment", "s-children", "s-livelihood"};
  // "As known at" is the server's recorded time: the story's days are
  // business time, all recorded in this run.
  struct Moment {
    int day;
    std::optional<absl::Time> known;  // unset: as known now
    const char* label;
  };
  std::vector<Moment> moments = {
      {20, std::nullopt, "day 20, before the conference"},
      {35, std::nullopt, "day 35, the conference"},
      {400, std::nullopt, "day 400"},
  };
  if (before_handover_.has_value()) {
    moments.push_back(
        {731, before_handover_,
         "day 731, as recorded before CompleteHandover was sent"});
  }
  moments.push_back({731, std::nullopt, "day 731, as known now"});
  std::vector<std::vector<std::string>> rows = {{"VALID AT", "KNOWN AT",
                                                 "S-TREATMENT", "S-CHILDREN",
                                                 "S-LIVELIHOOD", ""}};
  for (const Moment& moment : moments) {
    std::vector<std::string> row = {
        absl::FormatTime("%Y-%m-%d", Day(moment.day), absl::UTCTimeZone()),
        moment.known.has_value() ? "before-handover" : "now"};
    for (const char* stage : stages) {
      std::string json = absl::StrFormat(
          R"({"case_id": "%s", "stage_id": "%s", "valid_at": "%s")", case_id_,
          stage, FormatTimestamp(ToTimestamp(Day(moment.day))));
      if (moment.known.has_value()) {
        // To the nanosecond: the whole story is recorded within seconds.
        absl::StrAppend(&json, R"(, "known_at": ")",
                        absl::FormatTime("%Y-%m-%dT%H:%M:%E9SZ", *moment.known,
                                         absl::UTCTimeZone()),
                        "\"");
      }
      absl::StrAppend(&json, "}");
      absl::StatusOr<std::unique_ptr<Message>> answer =
          Call(staff, *lead_at, json);
      if (!answer.ok()) {
        Fail("GetLeadAt", answer.status());
        return;
      }
      const std::string key_person =
          FieldText(**answer, "period.lead.key_person_staff_id");
      row.push_back(key_person.empty() ? "-" : key_person);
    }
    row.push_back(moment.label);
    rows.push_back(row);
  }
  out_ << "\n== Who led each stage (key person), by date and by what was "
          "known when ==\n"
       << AlignRows(rows, 0);
}

void Story::Report(bool planned, bool rotated) {
  // After the rotation the counsellor has left; her successor reads on.
  const std::string reader = rotated ? successor_ : counsellor_;
  out_ << "\n== Case " << case_id_ << " ==\n";
  v1::GetCaseSummaryRequest summary_request;
  summary_request.set_case_id(case_id_);
  v1::CaseSummary summary;
  absl::Status status =
      Query(reader, "CaseService.GetCaseSummary", summary_request, &summary);
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
    status =
        Query(reader, "CaseService.GetCaseTimeline", timeline_request, &page);
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
    out_ << "\n== Timeline, as " << reader
         << " (city-mh) sees it: " << timeline.items_size() << " events, "
         << timeline.redacted_count() << " redacted ==\n"
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
         << clinic.items_size() << " events on its first page, "
         << clinic.redacted_count() << " redacted, each with its reason\n";
  } else {
    Fail("GetCaseTimeline as the clinic", status);
  }

  v1::ListConsentsRequest consents_request;
  consents_request.set_case_id(case_id_);
  v1::ListConsentsResponse consents;
  status =
      Query(reader, "ConsentService.ListConsents", consents_request, &consents);
  if (status.ok()) {
    out_ << "\n== Consents ==\n" << RenderHuman(consents);
  } else {
    Fail("ListConsents", status);
  }

  v1::ListReferralsRequest referrals_request;
  referrals_request.set_direction(v1::REFERRAL_DIRECTION_OUTGOING);
  referrals_request.set_include_closed(true);
  v1::ListReferralsResponse referrals;
  status = Query(reader, "ReferralService.ListReferrals", referrals_request,
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
  if (const MethodDescriptor* history =
          FindQuery("case_id", "renkei.v1.LeadPeriod")) {
    ShowQuery(reader, *history,
              absl::StrFormat(R"({"case_id": "%s"})", case_id_));
  } else {
    out_ << "  (the API has no stage-lead history query yet)\n";
  }

  if (planned) ShowLeadsOverTime(reader);

  // An auditor asks what was known at moments of the story.
  const std::vector<std::pair<absl::Time, const char*>> moments = {
      {Day(6), "day 6, after the refusal"},
      {Day(400), "day 400, a year after the conference"},
      {Day(731), "day 731, after the handover"}};
  out_ << "\n== Audit: the case replayed by occurred time ==\n";
  for (const auto& [at, label] : moments) {
    v1::ReplayCaseRequest replay;
    replay.set_case_id(case_id_);
    *replay.mutable_as_of() = ToTimestamp(at);
    replay.set_axis(v1::TIME_AXIS_OCCURRED);
    v1::ReplayCaseResponse replayed;
    status = Query("auditor", "AuditService.ReplayCase", replay, &replayed);
    if (status.code() == absl::StatusCode::kPermissionDenied) {
      out_ << "  (skipped: the demo's auditor of " << kDemoAuditorAgency
           << " lacks the directory's auditor role)\n";
      break;
    }
    if (!status.ok()) {
      Fail("ReplayCase", status);
      break;
    }
    std::vector<std::string> leads;
    for (const auto& lead : replayed.summary().stage_leads()) {
      leads.push_back(absl::StrCat(lead.stage_id(), " led by ",
                                   lead.lead_agency_id(), "/",
                                   lead.key_person_staff_id()));
    }
    out_ << "  as of " << FormatTimestamp(replay.as_of()) << " (" << label
         << "): events " << replayed.events_applied() << ", consents in force "
         << replayed.summary().consents_in_force() << ", refusals standing "
         << replayed.summary().refusals_standing() << ", open referrals "
         << replayed.summary().open_referrals()
         << (leads.empty() ? ""
                           : absl::StrCat("; ", absl::StrJoin(leads, ", ")))
         << "\n";
  }

  if (!options_.admin_token.empty()) {
    // Signed in: the story's staff have passwords only the demo knew.
    out_ << "\nTry (as the administrator, give the auditor a password, then "
            "sign in as the auditor):\n"
         << "  renkei directory set-staff-password --staff-id auditor "
            "--password 'choose 12+ characters'\n"
         << "  renkei login --as auditor\n"
         << "  renkei audit replay " << case_id_
         << " --as-of 2024-04-13 --axis occurred\n";
    return;
  }
  out_ << "\nTry:\n"
       << "  renkei --as " << reader << " case get-case-timeline --case-id "
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
  bool planned = false;
  bool rotated = false;
  bool skipped = false;
  for (const auto* steps :
       {&DemoCaseSteps(), &DemoConferenceSteps(), &DemoRotationSteps()}) {
    if (skipped) {
      out_ << "\nLater. " << DemoStepTitles()[steps->front().story_step - 1]
           << "\n  (not played: it follows the steps above)\n";
      continue;
    }
    absl::StatusOr<bool> played = PlaySteps(*steps);
    if (!played.ok()) {
      Fail("the story", played.status());
      return 1;
    }
    skipped = !*played;
    if (skipped) continue;
    planned = planned || steps == &DemoConferenceSteps();
    if (steps != &DemoRotationSteps()) continue;
    rotated = true;
    // The briefing packet the successor read before acknowledging it.
    if (const MethodDescriptor* packet =
            FindQuery("handover_id", "renkei.v1.HandoverPacket")) {
      out_ << "\n== The successor's briefing packet, as of day 727 ==\n";
      std::string json =
          absl::StrFormat(R"({"handover_id": "%s")", Resolve("h-2026-${run}"));
      if (packet->input_type()->FindFieldByName("as_of") != nullptr) {
        absl::StrAppend(&json, R"(, "as_of": ")",
                        FormatTimestamp(ToTimestamp(Day(727))), "\"");
      }
      ShowQuery(successor_, *packet, json + "}");
    }
  }
  Report(planned, rotated);
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

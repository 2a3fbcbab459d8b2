#include "tests/fuzz/fuzz_world.h"

#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/timestamp.pb.h"
#include "services/domain/case/decider.h"
#include "services/domain/conference/decider.h"
#include "services/domain/event_codec.h"
#include "services/domain/handover/decider.h"
#include "services/domain/handover/responsibilities.h"
#include "services/domain/time_util.h"
#include "services/domain/validation.h"
#include "storage/chain.h"

namespace renkei::fuzz {
namespace {

using google::protobuf::Message;

// Deterministic bytes of a message, so equal messages give equal text.
std::string Bytes(const Message& m) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  m.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

std::string T(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}
std::string T(const std::optional<absl::Time>& t) {
  return t ? T(*t) : std::string("-");
}

// Builds the digest text: one tagged item per line.
class Text {
 public:
  Text& Add(absl::string_view key, absl::string_view value) {
    absl::StrAppend(&out_, key, "=", value.size(), ":", value, "\n");
    return *this;
  }
  Text& Add(absl::string_view key, const Message& m) {
    return Add(key, Bytes(m));
  }
  Text& Add(absl::string_view key, absl::Time t) { return Add(key, T(t)); }
  Text& Add(absl::string_view key, const std::optional<absl::Time>& t) {
    return Add(key, T(t));
  }
  Text& Num(absl::string_view key, uint64_t n) {
    return Add(key, absl::StrCat(n));
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

template <typename Command>
Command Parse(absl::string_view text, absl::string_view staff,
              absl::string_view agency, absl::Time at) {
  Command command;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(text),
                                                     &command)) {
    Fail(absl::StrCat("story command does not parse: ", text));
  }
  *command.mutable_occurred_at() = domain::ToTimestamp(at);
  command.mutable_actor()->set_staff_id(std::string(staff));
  command.mutable_actor()->set_agency_id(std::string(agency));
  return command;
}

const char* AgencyOf(absl::string_view staff) {
  for (const StaffRef& s : StoryStaff()) {
    if (staff == s.staff_id) return s.agency_id;
  }
  return "city-pa";
}

template <typename Event>
std::vector<v1::ProposedEvent> Propose(const std::vector<Event>& events) {
  std::vector<v1::ProposedEvent> out;
  out.reserve(events.size());
  for (const auto& e : events) out.push_back(domain::ToProposedEvent(e));
  return out;
}

// An accepted command never stores an enum number the schema does not know
// (proto3 enums are open: 9999 parses) nor a point in time outside
// google.protobuf.Timestamp's range.
void CheckWellFormed(const Message& m, const std::string& path) {
  const auto* d = m.GetDescriptor();
  const auto* refl = m.GetReflection();
  if (d == google::protobuf::Timestamp::descriptor()) {
    const auto& ts = static_cast<const google::protobuf::Timestamp&>(m);
    if (!domain::ValidateTimestamp(path, ts).ok()) {
      Fail(absl::StrCat("an accepted command stores an invalid time at ", path,
                        ": ", ts.DebugString()));
    }
    return;
  }
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  refl->ListFields(m, &fields);
  for (const auto* f : fields) {
    const std::string at = absl::StrCat(path, ".", f->name());
    const int n = f->is_repeated() ? refl->FieldSize(m, f) : 1;
    for (int i = 0; i < n; ++i) {
      if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_ENUM) {
        const int v = f->is_repeated() ? refl->GetRepeatedEnumValue(m, f, i)
                                       : refl->GetEnumValue(m, f);
        if (f->enum_type()->FindValueByNumber(v) == nullptr) {
          Fail(
              absl::StrCat("an accepted command stores the unknown enum "
                           "value ",
                           v, " at ", at));
        }
      } else if (f->cpp_type() ==
                 google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        CheckWellFormed(f->is_repeated() ? refl->GetRepeatedMessage(m, f, i)
                                         : refl->GetMessage(m, f),
                        at);
      }
    }
  }
}

template <typename Event>
void CheckEvents(const std::vector<Event>& events) {
  for (const auto& e : events) CheckWellFormed(e, e.GetDescriptor()->name());
}

// With RENKEI_FUZZ_STATS set, counts accepted and refused commands by kind
// and prints them at exit: a check that the inputs still reach accepted
// decisions (`build-fuzz/tests/fuzz/<target> -runs=0 <corpus>`).
void Count(const Message& command, const absl::Status& status) {
  static const bool enabled = std::getenv("RENKEI_FUZZ_STATS") != nullptr;
  if (!enabled) return;
  static auto* counts = new std::map<std::string, std::pair<long, long>>();
  static const bool registered = [] {
    std::atexit([] {
      for (const auto& [kind, n] : *counts) {
        std::fprintf(stderr, "stats: %-40s accepted %8ld refused %8ld\n",
                     kind.c_str(), n.first, n.second);
      }
    });
    return true;
  }();
  (void)registered;
  std::string kind = domain::EventTypeName(command);
  if (kind.empty()) kind = "(no kind)";
  auto& n = (*counts)[kind];
  (status.ok() ? n.first : n.second)++;
  // RENKEI_FUZZ_STATS=why also counts the refusals by their first words.
  static const bool why =
      std::string(std::getenv("RENKEI_FUZZ_STATS")) == "why";
  if (why && !status.ok()) {
    (*counts)[absl::StrCat("  ", absl::StripPrefix(kind, "renkei.v1."), ": ",
                           status.message().substr(0, 50))]
        .second++;
  }
}

template <typename Command>
void Given(World& world, absl::string_view staff, absl::Time at,
           absl::string_view text, const char* id_field = nullptr,
           absl::string_view id = "") {
  Command command = Parse<Command>(text, staff, AgencyOf(staff), at);
  if (id_field != nullptr) {
    const auto* field = command.GetDescriptor()->FindFieldByName(id_field);
    command.GetReflection()->SetString(&command, field, std::string(id));
  }
  absl::Status s = Run(world, command, /*apply=*/true, nullptr);
  if (!s.ok()) {
    Fail(absl::StrCat("story command refused: ", s.ToString(), "\n",
                      command.DebugString()));
  }
  world.story_commands.push_back(std::make_shared<Command>(command));
}

void GivenCase(World& w, absl::string_view staff, absl::Time at,
               absl::string_view text) {
  Given<v1::CaseCommand>(w, staff, at, text, "case_id", "c1");
}
void GivenConference(World& w, absl::string_view staff, absl::Time at,
                     absl::string_view text) {
  Given<v1::ConferenceCommand>(w, staff, at, text, "conference_id", "k1");
}

World BuildStory() {
  World w;
  // The first administrator, "admin" of city-pa, as init-admin writes it.
  {
    v1::Agency agency;
    agency.set_agency_id("city-pa");
    agency.set_name("city-pa");
    agency.set_kind(v1::AGENCY_KIND_MUNICIPAL_DIVISION);
    agency.set_scope(v1::AGENCY_SCOPE_INTERNAL);
    agency.set_formality(v1::AGENCY_FORMALITY_FORMAL);
    v1::StaffMember admin;
    admin.set_staff_id("admin");
    admin.set_display_name("admin");
    admin.set_profession(v1::PROFESSION_OTHER);
    admin.set_agency_id("city-pa");
    auto events =
        domain::BootstrapAdministrator(w.directory, agency, admin, Day(-11));
    if (!events.ok()) Fail(events.status().ToString());
    for (const v1::DirectoryEvent& event : *events) {
      domain::Evolve(w.directory, event);
      w.directory_history.push_back(event);
    }
  }
  const std::pair<const char*, const char*> agencies[] = {
      {"city-mh", "AGENCY_KIND_MUNICIPAL_DIVISION"},
      {"city-cfs", "AGENCY_KIND_MUNICIPAL_DIVISION"},
      {"nursery", "AGENCY_KIND_NURSERY"},
      {"jhs", "AGENCY_KIND_SCHOOL"},
      {"health-centre", "AGENCY_KIND_PUBLIC_HEALTH_CENTRE"},
      {"cgc", "AGENCY_KIND_CHILD_GUIDANCE_CENTRE"},
  };
  for (const auto& [id, kind] : agencies) {
    Given<v1::DirectoryCommand>(
        w, "admin", Day(-10),
        absl::StrCat("register_agency { agency { agency_id: \"", id,
                     "\" name: \"", id, "\" kind: ", kind,
                     " scope: AGENCY_SCOPE_INTERNAL formality: "
                     "AGENCY_FORMALITY_FORMAL } }"));
  }
  for (const StaffRef& s : StoryStaff()) {
    if (absl::string_view(s.staff_id) == "admin") continue;
    Given<v1::DirectoryCommand>(
        w, "admin", Day(-10),
        absl::StrCat("register_staff_member { staff { staff_id: \"", s.staff_id,
                     "\" display_name: \"", s.staff_id,
                     "\" profession: PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER "
                     "agency_id: \"",
                     s.agency_id, "\" } }"));
  }
  Given<v1::DirectoryCommand>(w, "admin", Day(-1), R"pb(record_staff_departure {
                                                          staff_id: "former-cw"
                                                          reason: "retired"
                                                        })pb");

  GivenCase(w, "cw", Day(0), R"pb(
    open_case {
      kind: CASE_KIND_HOUSEHOLD
      title: "母子世帯"
      intake { noticed_by_agency_id: "nursery" observation: "lateness" }
      frameworks: FRAMEWORK_YOTAIKYO
      registration: REGISTRATION_NONE
    })pb");
  GivenCase(w, "cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "mother"
        display_name: "母"
        relationship: RELATIONSHIP_HEAD_OF_HOUSEHOLD
      }
    })pb");
  GivenCase(w, "cw", Day(0), R"pb(
    add_subject {
      subject {
        subject_id: "daughter"
        display_name: "長女"
        relationship: RELATIONSHIP_CHILD
        guardian_subject_ids: "mother"
      }
    })pb");
  GivenCase(w, "cw", Day(0), R"pb(
    add_team_agency { agency_id: "city-mh" reason: "mental health" })pb");
  GivenCase(w, "cw", Day(0), R"pb(
    add_team_agency { agency_id: "city-cfs" reason: "children" })pb");
  GivenCase(w, "cw", Day(0), R"pb(
    change_case_registration {
      registration: REGISTRATION_SUPPORT_NEEDED
      reason: "受理会議"
    })pb");
  GivenCase(w, "cw", Day(0), R"pb(
    record_entry {
      entry {
        entry_id: "e1"
        subject_ids: "mother"
        categories: INFORMATION_CATEGORY_HEALTH
        information_received {
          source_agency_id: "nursery"
          source_staff_id: "nursery-teacher"
          content: "alcohol on the mother's breath"
        }
      }
    })pb");
  GivenCase(w, "cw", Day(1), R"pb(
    register_statutory_forum {
      forum {
        forum_id: "f1"
        kind: FORUM_KIND_SHIEN_KAIGI
        name: "支援会議"
        member_agency_ids: "city-pa"
        member_agency_ids: "city-mh"
        member_agency_ids: "city-cfs"
      }
    })pb");
  GivenCase(w, "cw", Day(1), R"pb(
    give_consent {
      terms {
        consent_id: "k1"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          agency_ids: "city-mh"
          agency_ids: "city-cfs"
          purposes: SHARING_PURPOSE_SUPPORT_COORDINATION
          categories: INFORMATION_CATEGORY_HEALTH
        }
        form: CONSENT_FORM_VERBAL
        statement: "はい"
      }
    })pb");
  GivenCase(w, "cw", Day(1), R"pb(
    give_consent {
      terms {
        consent_id: "k2"
        subject_id: "mother"
        decided_by_subject_id: "mother"
        scope {
          person_subject_ids: "daughter"
          categories: INFORMATION_CATEGORY_HEALTH
        }
        form: CONSENT_FORM_VERBAL
      }
    })pb");
  GivenCase(w, "cw", Day(1), R"pb(
    record_subject_disclosure {
      disclosure_id: "d1"
      subject_id: "mother"
      entry_ids: "e1"
      summary: "what the nursery saw"
      channel: DISCLOSURE_CHANNEL_HOME_VISIT
    })pb");
  GivenCase(w, "cw", Day(1), R"pb(
    make_referral {
      referral_id: "r1"
      to_agency_id: "city-mh"
      to_staff_id: "counsellor"
      subject_ids: "mother"
      reason: "how to approach the mother?"
      urgency: REFERRAL_URGENCY_PROMPT
      response_deadline { seconds: 1712221200 }
      purpose: SHARING_PURPOSE_SUPPORT_COORDINATION
      categories: INFORMATION_CATEGORY_HEALTH
      entry_ids: "e1"
      forum_id: "f1"
    })pb");
  GivenConference(w, "counsellor", Day(1), R"pb(
    schedule_conference {
      type: CONFERENCE_TYPE_INDIVIDUAL_CASE
      basis: CONFERENCE_BASIS_YOTAIKYO
      title: "個別ケース検討会議"
      coordinating_agency_id: "city-cfs"
      scheduled_for { seconds: 1712134800 }
      invitees { agency_id: "city-pa" }
      invitees { agency_id: "city-mh" staff_id: "counsellor" }
      agenda_case_ids: "c1"
      agenda_items { item_id: "i1" title: "roles and leads" case_id: "c1" }
    })pb");
  GivenConference(w, "counsellor", Day(3), R"pb(
    hold_conference {
      attendance {
        staff_id: "cw"
        agency_id: "city-pa"
        acknowledged_confidentiality: true
      }
      attendance {
        staff_id: "counsellor"
        agency_id: "city-mh"
        acknowledged_confidentiality: true
      }
      attendance {
        staff_id: "support-worker"
        agency_id: "city-cfs"
        acknowledged_confidentiality: true
      }
    })pb");
  GivenConference(w, "counsellor", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-plan"
        kind: DECISION_KIND_PLAN_REVISION
        case_id: "c1"
        text: "adopt the shared plan"
      }
    })pb");
  GivenConference(w, "support-worker", Day(3), R"pb(
    record_conference_decision {
      decision {
        decision_id: "d-lead"
        kind: DECISION_KIND_LEAD_ASSIGNMENT
        case_id: "c1"
        stage_id: "s-mother"
        text: "the counsellor leads the mother's treatment"
        lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      }
    })pb");
  GivenConference(w, "counsellor", Day(3), R"pb(
    assign_action_item {
      item {
        action_item_id: "a1"
        case_id: "c1"
        description: "visit the mother"
        assignee_staff_id: "cw"
        assignee_agency_id: "city-pa"
        due { seconds: 1712566800 }
      }
    })pb");
  GivenCase(w, "counsellor", Day(4), R"pb(
    revise_support_plan {
      plan {
        goals {
          goal_id: "g1"
          horizon: GOAL_HORIZON_SHORT
          description: "the mother starts treatment"
          subject_ids: "mother"
        }
        stages { stage_id: "s-mother" title: "treatment" goal_ids: "g1" }
        stages { stage_id: "s-children" title: "daily life" goal_ids: "g1" }
        roles {
          agency_id: "city-mh"
          responsibility: "treatment"
          stage_id: "s-mother"
        }
      }
      decision { conference_id: "k1" decision_id: "d-plan" }
      reason: "first shared plan"
    })pb");
  GivenCase(w, "counsellor", Day(4), R"pb(
    assign_stage_lead {
      stage_id: "s-mother"
      lead { agency_id: "city-mh" key_person_staff_id: "counsellor" }
      reason: "agreed at the conference"
      decision { conference_id: "k1" decision_id: "d-lead" }
    })pb");
  Given<v1::HandoverCommand>(w, "cw", Day(5), R"pb(
                               start_handover {
                                 outgoing_staff_id: "cw"
                                 successor_staff_id: "supervisor"
                                 reason: HANDOVER_REASON_MOVING_POST
                               })pb",
                             "handover_id", "h1");
  CheckRefold(w);
  return w;
}

// Every event round-trips through an envelope unchanged.
template <typename Wrapper, typename Decode>
std::vector<Wrapper> RoundTrip(const std::string& stream,
                               const std::vector<Wrapper>& history,
                               Decode decode) {
  std::vector<Wrapper> out;
  out.reserve(history.size());
  for (const Wrapper& event : history) {
    v1::ProposedEvent p = domain::ToProposedEvent(event);
    v1::EventEnvelope envelope;
    envelope.set_stream_id(stream);
    envelope.set_event_type(p.event_type());
    *envelope.mutable_payload() = p.payload();
    *envelope.mutable_occurred_at() = p.occurred_at();
    *envelope.mutable_actor() = p.actor();
    // The log stamps its commit time; here the decider's time of decision
    // stands for it.
    if constexpr (requires { event.recorded_at(); }) {
      if (event.has_recorded_at()) {
        *envelope.mutable_recorded_at() = event.recorded_at();
      }
    }
    // Through bytes, as the log stores it.
    v1::EventEnvelope stored;
    if (!stored.ParseFromString(envelope.SerializeAsString())) {
      Fail("an envelope does not parse back");
    }
    absl::StatusOr<Wrapper> back = decode(stored);
    if (!back.ok()) {
      Fail(absl::StrCat("an event does not decode from its envelope: ",
                        back.status().ToString(), "\n", event.DebugString()));
    }
    if (Bytes(*back) != Bytes(event)) {
      Fail(absl::StrCat("an event changes through its envelope:\n",
                        event.DebugString(), "\nbecame\n",
                        back->DebugString()));
    }
    out.push_back(std::move(*back));
  }
  return out;
}

}  // namespace

absl::Time Day(int days, int hours) {
  return absl::FromCivil(absl::CivilSecond(2024, 4, 1, 9, 0, 0),
                         absl::UTCTimeZone()) +
         absl::Hours(24 * days + hours);
}

domain::AggregateLookup World::Lookup() const {
  domain::AggregateLookup lookup;
  lookup.case_state = [this](absl::string_view id) -> const domain::CaseState* {
    auto it = cases.find(id);
    return it == cases.end() ? nullptr : &it->second;
  };
  lookup.conference =
      [this](absl::string_view id) -> const domain::ConferenceState* {
    auto it = conferences.find(id);
    return it == conferences.end() ? nullptr : &it->second;
  };
  lookup.handover =
      [this](absl::string_view id) -> const domain::HandoverState* {
    auto it = handovers.find(id);
    return it == handovers.end() ? nullptr : &it->second;
  };
  return lookup;
}

domain::Caseload World::Everything() const {
  domain::Caseload load;
  for (const auto& [id, state] : cases) load.cases.push_back(&state);
  for (const auto& [id, state] : conferences) {
    load.conferences.push_back(&state);
  }
  return load;
}

std::vector<const domain::HandoverState*> World::Handovers() const {
  std::vector<const domain::HandoverState*> out;
  for (const auto& [id, state] : handovers) out.push_back(&state);
  return out;
}

const std::vector<StaffRef>& StoryStaff() {
  static const auto* staff = new std::vector<StaffRef>{
      {"cw", "city-pa"},
      {"supervisor", "city-pa"},
      {"former-cw", "city-pa"},
      {"counsellor", "city-mh"},
      {"support-worker", "city-cfs"},
      {"nursery-teacher", "nursery"},
      {"teacher", "jhs"},
      {"hc-nurse", "health-centre"},
      {"cgc-worker", "cgc"},
      {"admin", "city-pa"},  // the directory's first administrator
  };
  return *staff;
}

const std::vector<std::string>& StoryIds() {
  static const auto* ids =
      new std::vector<std::string>{"c1",         "c2",
                                   "k1",         "k2",
                                   "h1",         "h2",
                                   "mother",     "daughter",
                                   "son",        "e1",
                                   "e2",         "f1",
                                   "r1",         "r2",
                                   "d-plan",     "d-lead",
                                   "d-other",    "a1",
                                   "a2",         "s-mother",
                                   "s-children", "g1",
                                   "i1",         "city-pa",
                                   "city-mh",    "city-cfs",
                                   "nursery",    "jhs",
                                   "cgc",        "cw",
                                   "supervisor", "former-cw",
                                   "counsellor", "support-worker",
                                   "teacher",    "",
                                   "x",          "no such id",
                                   "d1"};
  return *ids;
}

const World& StoryWorld() {
  static const World* world = new World(BuildStory());
  return *world;
}

absl::Status Run(World& world, const v1::DirectoryCommand& command, bool apply,
                 std::vector<EventBatch>* produced) {
  absl::StatusOr<std::vector<v1::DirectoryEvent>> events;
  if (command.has_record_staff_departure()) {
    const std::string& staff = command.record_staff_departure().staff_id();
    events = domain::Decide(world.directory, command,
                            domain::ResponsibilitiesForDeparture(
                                staff, world.Everything(), world.Handovers(),
                                domain::ToTime(command.occurred_at())));
  } else {
    events = domain::Decide(world.directory, command);
  }
  if (apply) Count(command, events.status());
  if (!events.ok()) return events.status();
  CheckEvents(*events);
  if (produced != nullptr) {
    produced->push_back(
        {std::string(domain::kDirectoryStreamId), Propose(*events)});
  }
  if (apply) {
    for (const auto& e : *events) {
      domain::Evolve(world.directory, e);
      world.directory_history.push_back(e);
    }
  }
  return absl::OkStatus();
}

absl::Status Run(World& world, const v1::CaseCommand& command, bool apply,
                 std::vector<EventBatch>* produced) {
  domain::CaseState empty;
  auto it = world.cases.find(command.case_id());
  const domain::CaseState& state = it == world.cases.end() ? empty : it->second;
  absl::StatusOr<std::vector<v1::CaseEvent>> events =
      domain::Decide(state, command, world.directory, world.Lookup());
  if (apply) Count(command, events.status());
  if (!events.ok()) return events.status();
  CheckEvents(*events);
  if (produced != nullptr) {
    produced->push_back(
        {domain::CaseStreamId(command.case_id()), Propose(*events)});
  }
  if (apply && !events->empty()) {
    domain::CaseState& target = world.cases[command.case_id()];
    auto& history = world.case_history[command.case_id()];
    for (const auto& e : *events) {
      domain::Evolve(target, e);
      history.push_back(e);
    }
  }
  return absl::OkStatus();
}

absl::Status Run(World& world, const v1::ConferenceCommand& command, bool apply,
                 std::vector<EventBatch>* produced) {
  domain::ConferenceState empty;
  auto it = world.conferences.find(command.conference_id());
  const domain::ConferenceState& state =
      it == world.conferences.end() ? empty : it->second;
  absl::StatusOr<std::vector<v1::ConferenceEvent>> events =
      domain::Decide(state, command, world.directory, world.Lookup());
  if (apply) Count(command, events.status());
  if (!events.ok()) return events.status();
  CheckEvents(*events);
  if (produced != nullptr) {
    produced->push_back({domain::ConferenceStreamId(command.conference_id()),
                         Propose(*events)});
  }
  if (apply && !events->empty()) {
    domain::ConferenceState& target =
        world.conferences[command.conference_id()];
    auto& history = world.conference_history[command.conference_id()];
    for (const auto& e : *events) {
      domain::Evolve(target, e);
      history.push_back(e);
    }
  }
  return absl::OkStatus();
}

absl::Status Run(World& world, const v1::HandoverCommand& command, bool apply,
                 std::vector<EventBatch>* produced) {
  domain::HandoverState empty;
  auto it = world.handovers.find(command.handover_id());
  const domain::HandoverState& state =
      it == world.handovers.end() ? empty : it->second;
  std::vector<v1::HandoverEvent> events;
  std::vector<domain::PlannedCommand> planned;
  if (command.has_complete_handover()) {
    absl::StatusOr<domain::HandoverCompletion> completion =
        domain::DecideHandoverCompletion(state, command, world.directory,
                                         world.Everything());
    if (apply) Count(command, completion.status());
    if (!completion.ok()) return completion.status();
    events = std::move(completion->events);
    planned = std::move(completion->commands);
  } else {
    absl::StatusOr<std::vector<v1::HandoverEvent>> decided =
        domain::Decide(state, command, world.directory, world.Everything());
    if (apply) Count(command, decided.status());
    if (!decided.ok()) return decided.status();
    events = std::move(*decided);
  }
  CheckEvents(events);
  if (produced != nullptr) {
    produced->push_back(
        {domain::HandoverStreamId(command.handover_id()), Propose(events)});
  }
  if (!apply) return absl::OkStatus();
  if (!events.empty()) {
    domain::HandoverState& target = world.handovers[command.handover_id()];
    auto& history = world.handover_history[command.handover_id()];
    for (const auto& e : events) {
      domain::Evolve(target, e);
      history.push_back(e);
    }
  }
  // The moves a completed handover sets off; each may be refused (the
  // server reports and retries them), never crash.
  for (const domain::PlannedCommand& p : planned) {
    if (const auto* c = std::get_if<v1::CaseCommand>(&p.command)) {
      (void)Run(world, *c, true, produced);
    } else {
      (void)Run(world, std::get<v1::ConferenceCommand>(p.command), true,
                produced);
    }
  }
  return absl::OkStatus();
}

std::string Digest(const domain::DirectoryState& state) {
  Text t;
  for (const auto& [id, agency] : state.agencies) t.Add(id, agency);
  for (const auto& [id, s] : state.staff) {
    t.Add(id, s.staff).Add("joined", s.joined_at).Add("left", s.left_at);
    t.Add("leave_reason", s.leave_reason);
  }
  return t.Take();
}

std::string Digest(const domain::CaseState& s) {
  Text t;
  t.Num("version", s.version).Num("opened", s.opened).Add("id", s.case_id);
  t.Add("opening", s.opening).Add("opened_at", s.opened_at);
  t.Num("closed", s.closed).Add("closure_reason", s.closure_reason);
  t.Add("closed_at", s.closed_at).Add("closure_decision", s.closure_decision);
  t.Add("transferred_to", s.transferred_to);
  for (auto f : s.frameworks) t.Num("framework", f);
  t.Num("registration", s.registration);
  t.Add("registered_since", s.registered_since);
  for (const auto& [id, subject] : s.subjects) t.Add(id, subject);
  for (const auto& [id, periods] : s.team) {
    for (const auto& p : periods) {
      t.Add("team", id).Add("joined", p.joined_at).Add("why", p.join_reason);
      t.Add("left", p.left_at).Add("why", p.leave_reason);
    }
  }
  for (const auto& [id, f] : s.forums) {
    t.Add(id, f.forum).Add("at", f.registered_at);
  }
  for (const auto& [id, e] : s.entries) {
    t.Add("entry", id);
    for (const auto& v : e.versions) {
      t.Add("v", v.entry).Add("at", v.at).Add("by", v.actor);
      t.Add("reason", v.reason);
    }
    t.Add("retracted", e.retracted_at).Add("why", e.retraction_reason);
    t.Add("by", e.retracted_by);
  }
  for (const auto& [id, c] : s.consents) {
    t.Add(id, c.terms).Num("decision", static_cast<int>(c.decision));
    t.Add("at", c.decided_at).Add("by", c.recorded_by);
    t.Add("from", c.valid_from).Add("until", c.valid_until);
    t.Add("withdrawn", c.withdrawn_at).Add("why", c.withdrawal_reason);
    t.Add("superseded_by", c.superseded_by).Add("at", c.superseded_at);
  }
  for (const auto& [id, r] : s.referrals) {
    t.Add(id, r.referral).Num("status", r.status).Add("at", r.made_at);
    t.Add("referrer", r.referrer_staff_id).Add("receiver", r.receiver_staff_id);
    for (const auto& h : r.history) t.Add("h", h);
    for (const auto& f : r.feedback) t.Add("f", f);
    t.Add("outcome", r.outcome).Add("onward", r.onward_referral_id);
  }
  for (const auto& id : s.entry_order) t.Add("entry_order", id);
  for (const auto& id : s.consent_order) t.Add("consent_order", id);
  for (const auto& id : s.referral_order) t.Add("referral_order", id);
  for (const auto& d : s.disclosures) {
    t.Add("disclosure", d.shared).Add("at", d.at).Add("by", d.actor);
  }
  for (const auto& i : s.timeline) {
    t.Add("line", i.event_type).Add("at", i.occurred_at).Add("by", i.actor);
    t.Add("ref", i.ref_id);
  }
  for (const auto& p : s.plan_revisions) {
    t.Num("revision", p.revision).Add("plan", p.plan).Add("at", p.at);
    t.Add("by", p.actor).Add("decision", p.decision).Add("why", p.reason);
  }
  for (const auto& l : s.lead_ledger) {
    t.Add("fact", l.fact).Add("from", l.valid_from).Add("to", l.valid_to);
    t.Add("known", l.known_at);
  }
  return t.Take();
}

std::string Digest(const domain::ConferenceState& s) {
  Text t;
  t.Num("version", s.version).Num("scheduled", s.scheduled);
  t.Add("id", s.conference_id).Add("schedule", s.schedule);
  t.Add("scheduled_at", s.scheduled_at).Add("held_at", s.held_at);
  t.Add("held", s.held).Add("cancelled", s.cancelled_at);
  t.Add("why", s.cancellation_reason);
  for (const auto& m : s.minutes) {
    t.Add("minutes", m.text).Add("at", m.at).Add("by", m.recorded_by);
  }
  for (const auto& [id, d] : s.decisions) {
    t.Add(id, d.decision).Add("at", d.at).Add("by", d.recorded_by);
  }
  for (const auto& id : s.decision_order) t.Add("decision_order", id);
  for (const auto& r : s.role_splits) {
    for (const auto& role : r.roles) t.Add("role", role);
    t.Add("at", r.at);
  }
  for (const auto& [id, a] : s.action_items) {
    t.Add(id, a.item).Add("at", a.assigned_at).Add("by", a.assigned_by);
    t.Add("completed", a.completed_at).Add("note", a.completion_note);
    for (const auto& r : a.reassignments) t.Add("reassigned", r);
  }
  for (const auto& id : s.action_item_order) t.Add("item_order", id);
  for (const auto& [id, r] : s.reviews) {
    t.Add(id, r.review).Add("at", r.at).Add("by", r.recorded_by);
  }
  for (const auto& id : s.review_order) t.Add("review_order", id);
  return t.Take();
}

std::string Digest(const domain::HandoverState& s) {
  Text t;
  t.Num("version", s.version).Num("started", s.started);
  t.Add("id", s.handover_id).Add("start", s.start).Add("at", s.started_at);
  t.Num("status", s.status).Add("acknowledged", s.acknowledged_at);
  for (const auto& r : s.acknowledged) t.Add("listed", r);
  t.Add("completed", s.completed_at);
  for (const auto& r : s.moved) t.Add("moved", r);
  t.Add("cancelled", s.cancelled_at).Add("why", s.cancellation_reason);
  return t.Take();
}

void CheckRefold(const World& world) {
  {
    domain::DirectoryState refolded;
    for (const auto& e : RoundTrip(std::string(domain::kDirectoryStreamId),
                                   world.directory_history,
                                   domain::DirectoryEventFromEnvelope)) {
      domain::Evolve(refolded, e);
    }
    if (Digest(refolded) != Digest(world.directory)) {
      Fail("the directory folds differently from its events");
    }
  }
  for (const auto& [id, state] : world.cases) {
    auto h = world.case_history.find(id);
    const std::vector<v1::CaseEvent> none;
    const auto& history = h == world.case_history.end() ? none : h->second;
    const domain::CaseState refolded = domain::Replay(RoundTrip(
        domain::CaseStreamId(id), history, domain::CaseEventFromEnvelope));
    if (Digest(refolded) != Digest(state)) {
      Fail(absl::StrCat("case ", id, " folds differently from its events:\n",
                        "incremental:\n", Digest(state), "\nrefolded:\n",
                        Digest(refolded)));
    }
  }
  for (const auto& [id, state] : world.conferences) {
    auto h = world.conference_history.find(id);
    const std::vector<v1::ConferenceEvent> none;
    const auto& history =
        h == world.conference_history.end() ? none : h->second;
    const domain::ConferenceState refolded = domain::ReplayConference(
        RoundTrip(domain::ConferenceStreamId(id), history,
                  domain::ConferenceEventFromEnvelope));
    if (Digest(refolded) != Digest(state)) {
      Fail(absl::StrCat("conference ", id,
                        " folds differently from its events"));
    }
  }
  for (const auto& [id, state] : world.handovers) {
    auto h = world.handover_history.find(id);
    const std::vector<v1::HandoverEvent> none;
    const auto& history = h == world.handover_history.end() ? none : h->second;
    const domain::HandoverState refolded =
        domain::ReplayHandover(RoundTrip(domain::HandoverStreamId(id), history,
                                         domain::HandoverEventFromEnvelope));
    if (Digest(refolded) != Digest(state)) {
      Fail(absl::StrCat("handover ", id, " folds differently from its events"));
    }
  }
}

std::vector<v1::EventEnvelope> ToEnvelopes(
    const std::string& stream_id, uint64_t first_version,
    uint64_t first_position, std::string prev_hash,
    const std::vector<v1::ProposedEvent>& events) {
  std::vector<v1::EventEnvelope> out;
  for (size_t i = 0; i < events.size(); ++i) {
    const v1::ProposedEvent& p = events[i];
    v1::EventEnvelope e;
    e.set_position(first_position + i);
    e.set_stream_id(stream_id);
    e.set_stream_version(first_version + i);
    e.set_event_id(
        absl::StrFormat("00000000-0000-4000-8000-%012x", first_position + i));
    e.set_event_type(p.event_type());
    *e.mutable_payload() = p.payload();
    *e.mutable_occurred_at() = p.occurred_at();
    *e.mutable_recorded_at() = p.occurred_at();
    *e.mutable_actor() = p.actor();
    e.set_correlation_id("fuzz");
    e.set_causation_id(p.causation_id());
    e.set_prev_hash(prev_hash);
    e.set_hash(storage::ChainHash(prev_hash, e));
    prev_hash = e.hash();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace renkei::fuzz

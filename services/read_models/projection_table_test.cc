// Table-driven tests of the read-model projection: envelopes in, rows out.
// Each row of the table is a short history (case, conference, handover and
// access events wrapped into log envelopes with positions and stream
// versions) and every read-model row it must leave: the case row, the
// consent rows, the plan in force, the stage-lead ledger, referral listings,
// case reviews, the access log, the timeline summaries and every index key
// (caseload, referral in/out, review index, involvement, conferences,
// handovers). Each history is projected twice, one batch per event and all
// in one batch (a projector burst), and both stores must hold the same rows.
// Rows with an error name the status the last event must fail with. A last
// test projects a history decided by the domain's own case harness and
// checks the rows read back as the state the domain folded.
#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "renkei/v1/access.pb.h"
#include "renkei/v1/case.pb.h"
#include "renkei/v1/conference.pb.h"
#include "renkei/v1/handover.pb.h"
#include "renkei/v1/read_models.pb.h"
#include "renkei/v1/referral_service.pb.h"
#include "services/domain/event_codec.h"
#include "services/domain/testing/fixtures.h"
#include "services/read_models/case_projection.h"
#include "services/read_models/case_rows.h"
#include "services/read_models/read_model_store.h"
#include "storage/test_util.h"

namespace renkei::read_models {
namespace {

using domain::testing::Day;
using domain::testing::Parse;
using domain::testing::ProtoEquals;
using domain::testing::Ts;

// In expected and event texts, "@N" is day N (Day(N)) as a Timestamp and
// "@Nr" an hour later: when the log recorded an event of day N.
std::string Expand(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '@') {
      out.push_back(text[i]);
      continue;
    }
    size_t j = i + 1;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j])))
      ++j;
    const int day = std::stoi(text.substr(i + 1, j - i - 1));
    const bool recorded = j < text.size() && text[j] == 'r';
    absl::StrAppend(&out, "{ seconds: ",
                    absl::ToUnixSeconds(Day(day, recorded ? 1 : 0)), " }");
    i = recorded ? j : j - 1;
  }
  return out;
}

enum class Stream { kCase, kConference, kHandover, kAccess, kAccessGarbled };

struct Step {
  Stream stream;
  int day;
  std::string text;  // the event, without occurred_at and actor
  std::string staff = "cw";
  std::string agency = "city-pa";
};

Step C(int day, std::string text, std::string staff = "cw",
       std::string agency = "city-pa") {
  return {.stream = Stream::kCase,
          .day = day,
          .text = std::move(text),
          .staff = std::move(staff),
          .agency = std::move(agency)};
}
Step K(int day, std::string text, std::string staff = "supervisor") {
  return {.stream = Stream::kConference,
          .day = day,
          .text = std::move(text),
          .staff = std::move(staff),
          .agency = "city-pa"};
}

// Case c1 opened by cw of city-pa on day 0, city-pa joining its team.
std::vector<Step> Opened(const std::string& registration,
                         std::vector<Step> then = {}) {
  std::vector<Step> steps = {
      C(0, absl::StrCat(
               "case_opened { case_id: 'c1' kind: CASE_KIND_HOUSEHOLD title: "
               "'母子世帯' frameworks: FRAMEWORK_SHIEN_KAIGI registration:",
               registration, "}")),
      C(0, "support_team_agency_joined { agency_id: 'city-pa' }")};
  steps.insert(steps.end(), then.begin(), then.end());
  return steps;
}

// The timeline of Opened, then `then`.
std::vector<std::string> Opening(std::vector<std::string> then) {
  then.insert(then.begin(), {"case opened", "city-pa joined the support team"});
  return then;
}

// The case row fields every opened c1 has (plus team, version, ...).
const std::string kOpenedRow =
    "case_id: 'c1' title: '母子世帯' kind: CASE_KIND_HOUSEHOLD opened: true "
    "opened_at @0 frameworks: FRAMEWORK_SHIEN_KAIGI ";
const std::string kPaTeam = "team { agency_id: 'city-pa' joined_at @0 } ";
// The index keys of Opened.
const std::vector<std::string> kOpenedIndex = {"l/city-pa|c1", "v/cw|c|c1"};
// The case row of Opened with city-pa on the team, plus `fields`.
std::string OpenRow(const std::string& fields) {
  return absl::StrCat(kOpenedRow, kPaTeam, fields);
}
const std::string kCs1Terms =
    "consent_id: 'cs1' subject_id: 'mother' decided_by_subject_id: 'mother' "
    "scope { agency_ids: 'city-mh' } form: CONSENT_FORM_WRITTEN ";
const std::string kByCw =
    "recorded_by { staff_id: 'cw' agency_id: 'city-pa' } ";

struct Row {
  std::string name = {};
  std::vector<Step> steps = {};
  std::optional<std::string> case_row = {};  // CaseRow of c1, review keys aside
  // Every key outside the row prefixes checked below, rendered by Render.
  std::vector<std::string> index = {};
  std::vector<std::string> timeline = {};    // summaries, in log order
  std::vector<std::string> consents = {};    // ConsentRow, by consent id
  std::string plan = {};                     // PlanRow; empty: none
  std::vector<std::string> lead_facts = {};  // LeadFactRow, by stream version
  std::vector<std::string> referrals = {};   // ReferralListing
  std::vector<std::string> reviews = {};     // CaseReviewRow
  std::vector<std::string> access = {};      // CaseContentReadRow
  absl::StatusCode error = absl::StatusCode::kOk;  // of the last event
  std::vector<std::string> error_names = {};
};

// gtest names a failing row by its name, not its bytes.
void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

// The envelopes of `steps`: positions from 1, versions per stream, occurred
// on their day, recorded an hour later.
std::vector<v1::EventEnvelope> Envelopes(const std::vector<Step>& steps) {
  std::vector<v1::EventEnvelope> out;
  std::map<std::string, uint64_t> versions;
  for (const Step& step : steps) {
    v1::Actor actor;
    actor.set_staff_id(step.staff);
    actor.set_agency_id(step.agency);
    const std::string text = Expand(step.text);
    v1::ProposedEvent proposed;
    std::string stream = absl::StrCat(kAccessStreamPrefix, "c1");
    switch (step.stream) {  // the codec rebuilds occurred_at and actor
      case Stream::kCase:
        proposed = domain::ToProposedEvent(Parse<v1::CaseEvent>(text));
        stream = domain::CaseStreamId("c1");
        break;
      case Stream::kConference:
        proposed = domain::ToProposedEvent(Parse<v1::ConferenceEvent>(text));
        stream = domain::ConferenceStreamId("k1");
        break;
      case Stream::kHandover:
        proposed = domain::ToProposedEvent(Parse<v1::HandoverEvent>(text));
        stream = domain::HandoverStreamId("h1");
        break;
      case Stream::kAccess:
        proposed.mutable_payload()->PackFrom(Parse<v1::CaseContentRead>(text));
        break;
      case Stream::kAccessGarbled:  // another type under the read's type
        proposed.mutable_payload()->PackFrom(Parse<v1::CaseOpened>(text));
        break;
    }
    if (proposed.event_type().empty()) {
      proposed.set_event_type(std::string(kCaseContentReadType));
    }
    v1::EventEnvelope envelope;
    envelope.set_stream_id(stream);
    envelope.set_position(out.size() + 1);
    envelope.set_stream_version(++versions[stream]);
    envelope.set_event_id(absl::StrCat("e", envelope.position()));
    envelope.set_event_type(proposed.event_type());
    *envelope.mutable_payload() = proposed.payload();
    *envelope.mutable_occurred_at() = Ts(Day(step.day));
    *envelope.mutable_recorded_at() = Ts(Day(step.day, 1));
    *envelope.mutable_actor() = actor;
    out.push_back(std::move(envelope));
  }
  return out;
}

rocksdb::WriteBatchWithIndex NewBatch() {  // as the projector makes them
  return rocksdb::WriteBatchWithIndex(rocksdb::BytewiseComparator(), 0,
                                      /*overwrite_key=*/true);
}

// Projects `envelopes`, committing after each one or once at the end; the
// first error stops it (its batch is not written).
absl::Status Project(ReadModelStore& store,
                     const std::vector<v1::EventEnvelope>& envelopes,
                     bool one_batch) {
  auto batch = NewBatch();
  for (const auto& envelope : envelopes) {
    absl::Status status = ApplyToReadModels(store, envelope, batch);
    if (!status.ok()) return status;
    if (!one_batch) {
      status = store.Write(batch);
      if (!status.ok()) return status;
      batch = NewBatch();
    }
  }
  return store.Write(batch);
}

// Keys whose rows the table checks by content, not in `index`.
const char* const kRowPrefixes[] = {"c/",  "t/", "cs/", "pl/",
                                    "ll/", "r/", "cr/", "x/"};

// "rd/<time>|<case>" for review-index keys, the key with '|' for each 0x00
// separator otherwise.
std::string Render(const std::string& key) {
  const std::string prefix = key.substr(0, key.find('/') + 1);
  if (prefix == keys::kReviewDuePrefix || prefix == keys::kReviewLatestPrefix ||
      prefix == keys::kReviewCaseDuePrefix) {
    int64_t seconds = 0;
    std::string case_id;
    if (!keys::ParseReviewKey(key, seconds, case_id)) return "malformed " + key;
    return absl::StrCat(
        prefix,
        absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                         absl::UTCTimeZone()),
        "|", case_id);
  }
  return absl::StrReplaceAll(key, {{std::string(1, '\0'), "|"}});
}

// The rows under `prefix`, in key order.
template <typename Message>
std::vector<Message> ScanRows(const ReadModelStore& store,
                              const std::string& prefix) {
  std::vector<Message> rows;
  EXPECT_TRUE(store
                  .Scan(prefix, "",
                        [&](absl::string_view, absl::string_view value) {
                          EXPECT_TRUE(rows.emplace_back().ParseFromArray(
                              value.data(), static_cast<int>(value.size())));
                          return true;
                        })
                  .ok());
  return rows;
}

template <typename Message>
void ExpectRows(const ReadModelStore& store, const std::string& prefix,
                const std::vector<std::string>& expected) {
  const auto actual = ScanRows<Message>(store, prefix);
  ASSERT_EQ(actual.size(), expected.size()) << "rows under " << Render(prefix);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_TRUE(ProtoEquals(Parse<Message>(Expand(expected[i])), actual[i]))
        << Render(prefix) << " row " << i;
  }
}

std::vector<Row> Table() {
  const std::string referral_made =
      "referral_made { referral { referral_id: 'r1' from_agency_id: 'city-pa' "
      "from_staff_id: 'cw' to_agency_id: 'cgc' subject_ids: 'daughter' reason: "
      "'assessment' response_deadline @5 } }";
  const std::string lead_mh =
      "lead { agency_id: 'city-mh' key_person_staff_id: 'counsellor' }";
  const std::string lead_cfs =
      "lead { agency_id: 'city-cfs' key_person_staff_id: 'support-worker' }";
  return {
      {.name = "OpenedCaseIsOnItsOpenersCaseload",
       .steps = Opened("REGISTRATION_NONE"),
       .case_row = OpenRow("registration: REGISTRATION_NONE version: 2 "
                           "last_activity_at @0"),
       .index = kOpenedIndex,
       .timeline = Opening({})},
      {.name = "SubjectsAndTeamChanges",
       .steps = Opened(
           "REGISTRATION_NONE",
           {C(1, "subject_added { subject { subject_id: 'mother' } }"),
            C(1,
              "subject_added { subject { subject_id: 'daughter' display_name: "
              "'長女' } }"),
            C(2, "support_team_agency_joined { agency_id: 'city-mh' }"),
            C(2, "support_team_agency_joined { agency_id: 'city-cfs' }"),
            C(4, "support_team_agency_left { agency_id: 'city-mh' }",
              "counsellor", "city-mh"),
            C(5,
              "subject_updated { subject { subject_id: 'daughter' "
              "display_name: '長女' guardian_subject_ids: 'mother' } }")}),
       .case_row =
           kOpenedRow +
           "registration: REGISTRATION_NONE version: 8 last_activity_at @5 "
           "subjects { subject_id: 'daughter' display_name: '長女' "
           "guardian_subject_ids: 'mother' } subjects { subject_id: 'mother' } "
           "team { agency_id: 'city-cfs' joined_at @2 } team { agency_id: "
           "'city-pa' joined_at @0 }",
       .index = {"l/city-cfs|c1", "l/city-pa|c1", "v/counsellor|c|c1",
                 "v/cw|c|c1"},
       .timeline = Opening(
           {"household member mother added", "household member daughter added",
            "city-mh joined the support team",
            "city-cfs joined the support team", "city-mh left the support team",
            "household member daughter updated"})},
      {.name = "EntriesAreCountedTheirContentStaysOffTheTimeline",
       .steps =
           Opened("REGISTRATION_NONE",
                  {C(1,
                     "entry_recorded { entry { entry_id: 'e1' subject_ids: "
                     "'mother' contact { summary: 'visited' } } }"),
                   C(2,
                     "entry_recorded { entry { entry_id: 'e2' subject_ids: "
                     "'mother' assessment { bio_notes: 'tired' } } }"),
                   C(3, "entry_retracted { entry_id: 'e1' reason: 'wrong' }")}),
       .case_row =
           OpenRow("registration: REGISTRATION_NONE version: 5 entries: 2 "
                   "last_activity_at @3"),
       .index = kOpenedIndex,
       .timeline = Opening(
           {"contact recorded", "assessment recorded", "entry retracted"})},
      {.name = "RegisteredCaseIsDueFromItsRegistration",
       .steps = Opened("REGISTRATION_PROTECTED",
                       {C(1,
                          "case_lead_side_set { lead_side: LEAD_SIDE_CITY "
                          "decision { conference_id: 'k0' } }")}),
       .case_row = OpenRow(
           "registration: REGISTRATION_PROTECTED registered_since @0 version: "
           "3 last_activity_at @1 lead_side { lead_side: LEAD_SIDE_CITY "
           "decision { conference_id: 'k0' } } lead_side_set_at @1"),
       .index = {"l/city-pa|c1", "rd/2024-04-01T09:00:00Z|c1", "v/cw|c|c1"},
       .timeline =
           Opening({"lead side set to LEAD_SIDE_CITY by conference k0"})},
      {.name = "OwnReviewIntervalListsTheCaseByItsDueDate",
       .steps =
           Opened("REGISTRATION_PROTECTED",
                  {C(2, "case_review_interval_set { interval_days: 30 }")}),
       .case_row =
           OpenRow("registration: REGISTRATION_PROTECTED registered_since @0 "
                   "version: 3 last_activity_at @2 review_interval_days: 30"),
       .index = {"l/city-pa|c1", "rc/2024-05-01T09:00:00Z|c1", "v/cw|c|c1"},
       .timeline = Opening({"review interval set to 30 days"})},
      {.name = "RegisteredLaterIsDueFromTheChange",
       .steps = Opened("REGISTRATION_NONE",
                       {C(3,
                          "case_registration_changed { registration: "
                          "REGISTRATION_SUPPORT_NEEDED }")}),
       .case_row =
           OpenRow("registration: REGISTRATION_SUPPORT_NEEDED "
                   "registered_since @3 version: 3 last_activity_at @3"),
       .index = {"l/city-pa|c1", "rd/2024-04-04T09:00:00Z|c1", "v/cw|c|c1"},
       .timeline =
           Opening({"registration changed to REGISTRATION_SUPPORT_NEEDED"})},
      {.name = "DeregisteredCaseLeavesTheReviewIndex",
       .steps = Opened("REGISTRATION_PROTECTED",
                       {C(6,
                          "case_registration_changed { registration: "
                          "REGISTRATION_NONE }")}),
       .case_row = OpenRow("registration: REGISTRATION_NONE version: 3 "
                           "last_activity_at @6"),
       .index = kOpenedIndex,
       .timeline = Opening({"registration changed to REGISTRATION_NONE"})},
      {.name = "ClosedCaseLeavesTheReviewIndex",
       .steps = Opened("REGISTRATION_PROTECTED",
                       {C(9, "case_closed { reason: 'moved away' }")}),
       .case_row = OpenRow(
           "registration: REGISTRATION_PROTECTED registered_since @0 version: "
           "3 last_activity_at @9 closed: true closure_reason: 'moved away'"),
       .index = kOpenedIndex,
       .timeline = Opening({"case closed"})},
      {.name = "ReopenedCaseIsListedAgain",
       .steps = Opened("REGISTRATION_PROTECTED",
                       {C(9, "case_closed { reason: 'moved away' }"),
                        C(12, "case_reopened { reason: 'back' }")}),
       .case_row =
           OpenRow("registration: REGISTRATION_PROTECTED registered_since @0 "
                   "version: 4 last_activity_at @12"),
       .index = {"l/city-pa|c1", "rd/2024-04-01T09:00:00Z|c1", "v/cw|c|c1"},
       .timeline = Opening({"case closed", "case reopened"})},
      {.name = "ConsentAwaitingConfirmationThenConfirmed",
       .steps = Opened(
           "REGISTRATION_NONE",
           {C(1, absl::StrCat("consent_given { awaiting_confirmation: true "
                              "terms {",
                              kCs1Terms, "} }")),
            C(2, "consent_confirmed { consent_id: 'cs1' }", "supervisor")}),
       .index = {"l/city-pa|c1", "v/cw|c|c1", "v/supervisor|c|c1"},
       .timeline = Opening({"consent given by mother for city-mh",
                            "consent confirmed by a second person"}),
       .consents = {absl::StrCat(
           "terms {", kCs1Terms, "} decided_at @1 valid_from @1 order: 3 ",
           kByCw,
           "awaiting_confirmation: true confirmed_at @2 confirmed_by { "
           "staff_id: 'supervisor' agency_id: 'city-pa' }")}},
      {.name = "WithdrawnConsentKeepsItsHistory",
       .steps = Opened(
           "REGISTRATION_NONE",
           {C(1, absl::StrCat("consent_given { terms {", kCs1Terms,
                              "valid_until @30 } }")),
            C(4,
              "consent_withdrawn { consent_id: 'cs1' decided_by_subject_id: "
              "'mother' reason: 'changed her mind' }")}),
       .index = kOpenedIndex,
       .timeline = Opening(
           {"consent given by mother for city-mh", "consent withdrawn"}),
       .consents = {absl::StrCat(
           "terms {", kCs1Terms, "valid_until @30 } ", kByCw,
           "decided_at @1 valid_from @1 valid_until @30 withdrawn_at @4 "
           "withdrawal_reason: 'changed her mind' order: 3")}},
      {.name = "RefusalSupersedesAConsent",
       .steps = Opened(
           "REGISTRATION_NONE",
           {C(1, absl::StrCat("consent_given { terms {", kCs1Terms, "} }")),
            C(3,
              "consent_refused { terms { consent_id: 'cs2' subject_id: "
              "'mother' decided_by_subject_id: 'mother' supersedes_consent_id: "
              "'cs1' } }")}),
       .index = kOpenedIndex,
       .timeline = Opening({"consent given by mother for city-mh",
                            "consent refused by mother"}),
       .consents =
           {absl::StrCat("terms {", kCs1Terms, "} ", kByCw,
                         "decided_at @1 valid_from @1 superseded_by: 'cs2' "
                         "superseded_at @3 order: 3"),
            absl::StrCat(
                "terms { consent_id: 'cs2' subject_id: 'mother' "
                "decided_by_subject_id: 'mother' supersedes_consent_id: 'cs1' "
                "} refused: true decided_at @3 valid_from @3 order: 4 ",
                kByCw)}},
      {.name = "LatestPlanRevisionIsInForce",
       .steps = Opened(
           "REGISTRATION_NONE",
           {C(2,
              "support_plan_revised { revision: 1 plan { stages { stage_id: "
              "'s1' } } }"),
            C(5,
              "support_plan_revised { revision: 2 plan { stages { stage_id: "
              "'s1' } stages { stage_id: 's2' title: 'school' } } decision { "
              "conference_id: 'k0' decision_id: 'd2' } }")}),
       .index = kOpenedIndex,
       .timeline = Opening({"support plan revision 1 adopted",
                            "support plan revision 2 adopted"}),
       .plan = "revision: 2 plan { stages { stage_id: 's1' } stages { "
               "stage_id: 's2' title: 'school' } }"},
      {.name = "EveryLeadDecisionIsAFactOfTheLedger",
       .steps = Opened(
           "REGISTRATION_NONE",
           {C(2, absl::StrCat("stage_lead_assigned { stage_id: 's1' ", lead_mh,
                              " valid_from @2 reason: 'agreed' decision { "
                              "conference_id: 'k0' decision_id: 'd1' } }")),
            C(6, absl::StrCat("stage_lead_transferred { stage_id: 's1' ",
                              lead_cfs, " valid_from @6 handover_id: 'h9' }")),
            C(7, absl::StrCat("stage_lead_corrected { stage_id: 's1' ",
                              lead_cfs, " valid_from @5 valid_to @6 }")),
            C(9, "stage_lead_ended { stage_id: 's1' valid_from @9 }")}),
       .index = {"l/city-pa|c1", "v/counsellor|c|c1", "v/cw|c|c1",
                 "v/support-worker|c|c1"},
       .timeline = Opening({"stage s1 led by city-mh (key person counsellor)",
                            "stage s1 lead transferred to city-cfs (key person "
                            "support-worker)",
                            "stage s1 lead corrected retroactively",
                            "stage s1 lead ended"}),
       .lead_facts =
           {absl::StrCat("position: 3 recorded_at @2r fact { stage_id: 's1' "
                         "change: LEAD_CHANGE_KIND_ASSIGNED valid_from @2 "
                         "known_at @2r reason: 'agreed' decision { "
                         "conference_id: 'k0' decision_id: 'd1' } ",
                         lead_mh, kByCw, "}"),
            absl::StrCat("position: 4 recorded_at @6r fact { stage_id: 's1' "
                         "change: LEAD_CHANGE_KIND_TRANSFERRED valid_from @6 "
                         "known_at @6r handover_id: 'h9' ",
                         lead_cfs, kByCw, "}"),
            absl::StrCat("position: 5 recorded_at @7r fact { stage_id: 's1' "
                         "change: LEAD_CHANGE_KIND_CORRECTED valid_from @5 "
                         "valid_to @6 known_at @7r ",
                         lead_cfs, kByCw, "}"),
            absl::StrCat("position: 6 recorded_at @9r fact { stage_id: 's1' "
                         "change: LEAD_CHANGE_KIND_ENDED valid_from @9 "
                         "known_at @9r ",
                         kByCw, "}")}},
      {.name = "AnsweredReferralKeepsItsFirstAnswerTime",
       .steps =
           Opened("REGISTRATION_NONE",
                  {C(2, referral_made),
                   C(3,
                     "referral_accepted { referral_id: 'r1' assigned_staff_id: "
                     "'cgc-worker' }",
                     "cgc-worker", "cgc"),
                   C(8, "referral_closed { referral_id: 'r1' outcome: 'done' }",
                     "cgc-worker", "cgc")}),
       .index = {"i/cgc|c1|r1", "l/city-pa|c1", "o/city-pa|c1|r1",
                 "v/cgc-worker|c|c1", "v/cw|c|c1"},
       .timeline = Opening(
           {"referral city-pa -> cgc", "referral accepted", "referral closed"}),
       .referrals =
           {"case_id: 'c1' referral_id: 'r1' from_agency_id: 'city-pa' "
            "to_agency_id: 'cgc' status: REFERRAL_STATUS_CLOSED made_at @2 "
            "response_deadline @5 reason: 'assessment' answered_at @3"}},
      {.name = "ReviewAtAHeldConferenceMovesTheReviewBase",
       .steps =
           Opened("REGISTRATION_PROTECTED",
                  {K(1,
                     "conference_scheduled { conference_id: 'k1' type: "
                     "CONFERENCE_TYPE_PRACTITIONERS convener { staff_id: "
                     "'supervisor' agency_id: 'city-pa' } scheduled_for @10 }"),
                   K(10,
                     "conference_held { attendance { staff_id: 'cw' agency_id: "
                     "'city-pa' } attendance { staff_id: 'counsellor' "
                     "agency_id: 'city-mh' } }"),
                   K(11, "case_reviewed { case_id: 'c1' }")}),
       .case_row =
           OpenRow("registration: REGISTRATION_PROTECTED registered_since @0 "
                   "version: 2 last_activity_at @0 last_review_held_at @10"),
       .index = {"f/k1", "fh/k1", "l/city-pa|c1", "rd/2024-04-11T09:00:00Z|c1",
                 "rl/2024-04-11T09:00:00Z|c1", "v/counsellor|f|k1", "v/cw|c|c1",
                 "v/cw|f|k1", "v/supervisor|f|k1"},
       .timeline = Opening({}),
       .reviews = {"conference_id: 'k1' held_at @10 reviewed_at @11"}},
      {.name = "HandoverAndReadsOfContentStayOffTheCase",
       .steps = Opened(
           "REGISTRATION_NONE",
           {{.stream = Stream::kHandover,
             .day = 3,
             .text = "handover_started { handover_id: 'h1' outgoing_staff_id: "
                     "'cw' successor_staff_id: 'supervisor' }"},
            {.stream = Stream::kAccess,
             .day = 4,
             .text =
                 "case_id: 'c1' staff_id: 'counsellor' agency_id: 'city-mh' "
                 "query: 'GetCaseSummary' basis: 'support team member'"}}),
       .case_row = OpenRow("registration: REGISTRATION_NONE version: 2 "
                           "last_activity_at @0"),
       .index = {"h/h1", "l/city-pa|c1", "v/cw|c|c1", "v/cw|h|h1"},
       .timeline = Opening({}),
       .access = {"staff_id: 'counsellor' agency_id: 'city-mh' query: "
                  "'GetCaseSummary' basis: 'support team member' read_at @4"}},
      // The impossible events not covered by case_projection_test.cc.
      {.name = "ReviewOfACaseWithoutARowIsInternal",
       .steps = {K(1, "conference_held {}"),
                 K(2, "case_reviewed { case_id: 'c-none' }")},
       .error = absl::StatusCode::kInternal,
       .error_names = {"CaseReviewed", "e2", "c-none"}},
      {.name = "ReassigningAnItemNeverAssignedIsInternal",
       .steps = {K(1,
                   "action_item_reassigned { action_item_id: 'a-none' "
                   "staff_id: 'cw' }")},
       .error = absl::StatusCode::kInternal,
       .error_names = {"ActionItemReassigned", "e1", "a-none"}},
      {.name = "ReturningAReferralNeverMadeIsInternal",
       .steps = Opened("REGISTRATION_NONE",
                       {C(2, "referral_returned { referral_id: 'r-x' }")}),
       .error = absl::StatusCode::kInternal,
       .error_names = {"ReferralReturned", "e3", "r-x"}},
      {.name = "UnreadableReadOfContentIsDataLoss",
       .steps = {{.stream = Stream::kAccessGarbled,
                  .day = 1,
                  .text = "case_id: 'c1'"}},
       .error = absl::StatusCode::kDataLoss,
       .error_names = {"CaseContentRead", "1"}},
  };
}

class ProjectionTableTest : public ::testing::TestWithParam<Row> {
 protected:
  std::unique_ptr<ReadModelStore> OpenStore(const std::string& name) {
    auto store = ReadModelStore::Open(dir_.Sub(name));
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }
  storage::testing::TempDir dir_;
};

TEST_P(ProjectionTableTest, EnvelopesInRowsOut) {
  const Row& row = GetParam();
  const auto envelopes = Envelopes(row.steps);
  auto store = OpenStore("per-event");
  auto burst = OpenStore("one-batch");
  ASSERT_TRUE(store && burst);
  const absl::Status status = Project(*store, envelopes, false);
  const absl::Status burst_status = Project(*burst, envelopes, true);
  if (row.error != absl::StatusCode::kOk) {
    for (const absl::Status& s : {status, burst_status}) {
      EXPECT_EQ(s.code(), row.error) << s;
      for (const auto& name : row.error_names) {
        EXPECT_NE(s.message().find(name), std::string::npos)
            << s << " should name " << name;
      }
    }
    // The events before the failing one were projected.
    auto without_last = envelopes;
    without_last.pop_back();
    auto reference = OpenStore("reference");
    ASSERT_TRUE(reference);
    ASSERT_TRUE(Project(*reference, without_last, false).ok());
    EXPECT_EQ(*store->Dump(), *reference->Dump());
    return;
  }
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_TRUE(burst_status.ok()) << burst_status;
  EXPECT_EQ(*store->Dump(), *burst->Dump())
      << "one batch and a batch per event disagree";

  auto dump = store->Dump();
  ASSERT_TRUE(dump.ok()) << dump.status();
  std::vector<std::string> index;
  std::vector<std::string> review_keys;
  for (const auto& [key, value] : *dump) {
    if (key.find('/') == std::string::npos) continue;  // layout, checkpoint
    bool is_row = false;
    for (const char* prefix : kRowPrefixes) {
      is_row = is_row || key.starts_with(prefix);
    }
    if (is_row) continue;
    index.push_back(Render(key));
    if (key.starts_with("r") && key[2] == '/') review_keys.push_back(key);
  }
  EXPECT_EQ(index, row.index);

  auto case_row = ReadCaseRow(*store, "c1");
  ASSERT_TRUE(case_row.ok()) << case_row.status();
  if (*case_row) {
    // The row names the review-index keys it is listed under, and only them.
    std::vector<std::string> listed;
    for (const std::string& key :
         {(*case_row)->review_due_key(), (*case_row)->review_latest_key(),
          (*case_row)->review_case_due_key()}) {
      if (!key.empty()) listed.push_back(key);
    }
    std::sort(listed.begin(), listed.end());
    EXPECT_EQ(listed, review_keys);
    (*case_row)->clear_review_due_key();
    (*case_row)->clear_review_latest_key();
    (*case_row)->clear_review_case_due_key();
  }
  if (row.case_row) {
    ASSERT_TRUE(case_row->has_value()) << "no case row";
    EXPECT_TRUE(
        ProtoEquals(Parse<v1::CaseRow>(Expand(*row.case_row)), **case_row));
  }

  std::vector<std::string> timeline;
  for (const auto& item :
       ScanRows<v1::TimelineItemView>(*store, keys::TimelinePrefix("c1"))) {
    timeline.push_back(item.summary());
  }
  EXPECT_EQ(timeline, row.timeline);

  ExpectRows<v1::ConsentRow>(*store, keys::ConsentPrefix("c1"), row.consents);
  ExpectRows<v1::LeadFactRow>(*store, keys::LeadFactPrefix("c1"),
                              row.lead_facts);
  ExpectRows<v1::ReferralListing>(*store, keys::Referral("c1", ""),
                                  row.referrals);
  ExpectRows<v1::CaseReviewRow>(*store, keys::CaseReviewPrefix("c1"),
                                row.reviews);
  ExpectRows<v1::CaseContentReadRow>(*store, keys::AccessReadPrefix("c1"),
                                     row.access);
  ExpectRows<v1::PlanRow>(
      *store, keys::Plan("c1"),
      row.plan.empty() ? std::vector<std::string>{} : std::vector{row.plan});
}

INSTANTIATE_TEST_SUITE_P(Projection, ProjectionTableTest,
                         ::testing::ValuesIn(Table()),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return info.param.name;
                         });

// What the rows read back as is the state the domain folds from the same
// events, for a case decided through the domain's own harness.
TEST(ProjectionAgreesWithTheDomainTest, StandardCaseReadsBackAsItsState) {
  domain::testing::CaseHarness harness(domain::testing::StoryDirectory());
  harness.OpenStandardCase();
  storage::testing::TempDir dir;
  auto store = ReadModelStore::Open(dir.Sub("read-models"));
  ASSERT_TRUE(store.ok()) << store.status();
  auto batch = NewBatch();
  uint64_t position = 0;
  for (const v1::CaseEvent& event : harness.history()) {
    const v1::ProposedEvent proposed = domain::ToProposedEvent(event);
    v1::EventEnvelope envelope;
    envelope.set_stream_id(domain::CaseStreamId("c1"));
    envelope.set_position(++position);
    envelope.set_stream_version(position);
    envelope.set_event_type(proposed.event_type());
    *envelope.mutable_payload() = proposed.payload();
    *envelope.mutable_occurred_at() = event.occurred_at();
    *envelope.mutable_actor() = event.actor();
    ASSERT_TRUE(ApplyToReadModels(**store, envelope, batch).ok());
  }
  ASSERT_TRUE((*store)->Write(batch).ok());

  const domain::CaseState& want = harness.state();
  auto got = ReadCaseState(**store, "c1", {});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->version, want.version);
  EXPECT_EQ(got->opened_at, want.opened_at);
  EXPECT_EQ(got->registration, want.registration);
  EXPECT_EQ(got->frameworks, want.frameworks);
  EXPECT_EQ(got->TeamNow(), want.TeamNow());
  ASSERT_EQ(got->subjects.size(), want.subjects.size());
  for (const auto& [id, subject] : want.subjects) {
    ASSERT_TRUE(got->subjects.contains(id)) << id;
    EXPECT_TRUE(ProtoEquals(subject, got->subjects.at(id))) << id;
  }
  std::vector<std::string> caseload;
  for (const std::string& agency : want.TeamNow()) {
    if ((*store)->Get(keys::Caseload(agency, "c1")).ok()) {
      caseload.push_back(agency);
    }
  }
  EXPECT_EQ(caseload, want.TeamNow());
}

}  // namespace
}  // namespace renkei::read_models

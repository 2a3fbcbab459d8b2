// Load generator for a running renkei-server.
//
// N sessions (gRPC callback API: each session has one RPC in flight and issues
// its next one from the completion of the previous; gRPC's own completion
// threads drive them all) play a case-work story over M cases. A session owns
// the cases k with k % N == its index and visits them in turn. The first visit
// opens the case (subjects, support team); every visit is an episode:
//
//   caseworker records an entry; the mother's consent is recorded; the
//   caseworker refers her to the mental-health counsellor, who accepts and
//   answers; the caseworker schedules and holds a support meeting (支援会議)
//   with the counsellor, records a lead decision (and, the first time, a plan
//   decision and the support plan) and assigns (later: transfers) the lead
//   of the treatment stage; then reads: the case timeline, the counsellor's
//   caseload, the case summary and incoming referrals.
//
// The directory (one stream) is set up once before the timed phase: cases are
// spread over districts, each with a public-assistance division and a
// mental-health division, so that a caseload holds a few dozen cases.
//
// Prints throughput (commands/s, queries/s), p50 / p99 / p99.9 latency per
// RPC kind, errors by status code, then `figure <name> <value>` lines with the
// concurrency as suffix (cmd_eps_c64, cmd_p99_ms_c64, query_eps_c64,
// query_p99_ms_c64, errors_c64, ...).
//
// Usage: renkei_load_gen [--target HOST:PORT] [--concurrency N]
//   [--duration SECONDS] [--cases M] [--mix story|commands|queries|entries]
//   [--districts D] [--channels C] [--server-pid PID]
//   [--spawn-server PATH] [--wait-only] [--require-no-errors]
//
//   --mix story     every step above (about 3 commands per query)
//   --mix commands  the commands only
//   --mix queries   a case is opened and played once, then only read
//   --mix entries   a case is opened, then one RecordEntry per visit (the
//                   closest equal of one append to a log)
//   --server-pid    the server's process, to report its CPU time per RPC
//   --spawn-server  start this renkei-server on a fresh data directory and a
//                   free port, and stop it at the end
//   --wait-only     wait until the server answers, then exit
//   --require-no-errors  exit 1 (printing LOAD FAILED) on any failed RPC
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "httplib.h"
#include "renkei/v1/case_service.grpc.pb.h"
#include "renkei/v1/conference_service.grpc.pb.h"
#include "renkei/v1/consent_service.grpc.pb.h"
#include "renkei/v1/directory_service.grpc.pb.h"
#include "renkei/v1/plan_service.grpc.pb.h"
#include "renkei/v1/referral_service.grpc.pb.h"
#include "renkei/v1/session_service.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace v1 = renkei::v1;

struct Options {
  std::string target = "127.0.0.1:50051";
  int concurrency = 16;
  double duration = 10;
  int cases = 1000;
  std::string mix = "story";
  int districts = 0;  // 0: about 25 cases per district
  int channels = 4;
  std::string spawn_server;
  bool wait_only = false;
  bool require_no_errors = false;
  double connect_timeout = 30;
  int server_pid = 0;  // when known, its CPU time per RPC is reported
  // The server's metrics endpoint (HOST:PORT): the CPU its sealing of
  // personal fields took is reported beside its CPU per RPC.
  std::string server_metrics;
  // TLS on the wire and callers authenticated by session tokens (the
  // default deployment), instead of plaintext and the development header.
  // With --spawn-server the generator makes the certificates and the
  // administrator's password; otherwise --tls-ca and --admin-password-file.
  bool secure = false;
  std::string tls_ca;
  std::string admin_password_file;
};

// Every RPC the sessions issue.
enum Kind {
  kOpenCase,
  kAddSubject,
  kAddTeamAgency,
  kRecordEntry,
  kGiveConsent,
  kMakeReferral,
  kAcceptReferral,
  kGiveReferralFeedback,
  kScheduleConference,
  kHoldConference,
  kRecordConferenceDecision,
  kReviseSupportPlan,
  kAssignStageLead,
  kTransferStageLead,
  kGetCaseTimeline,
  kListCaseload,
  kGetCaseSummary,
  kListReferrals,
  kKinds
};

struct KindInfo {
  const char* name;
  bool command;
};
constexpr KindInfo kKindInfo[kKinds] = {
    {"OpenCase", true},
    {"AddSubject", true},
    {"AddTeamAgency", true},
    {"RecordEntry", true},
    {"GiveConsent", true},
    {"MakeReferral", true},
    {"AcceptReferral", true},
    {"GiveReferralFeedback", true},
    {"ScheduleConference", true},
    {"HoldConference", true},
    {"RecordConferenceDecision", true},
    {"ReviseSupportPlan", true},
    {"AssignStageLead", true},
    {"TransferStageLead", true},
    {"GetCaseTimeline", false},
    {"ListCaseload", false},
    {"GetCaseSummary", false},
    {"ListReferrals", false},
};

// One step of a visit; several steps may use the same RPC kind.
enum Step {
  kStepOpen,
  kStepAddMother,
  kStepAddSon,
  kStepAddCounsellorTeam,
  kStepEntry,
  kStepConsent,
  kStepRefer,
  kStepAccept,
  kStepFeedback,
  kStepSchedule,
  kStepHold,
  kStepPlanDecision,
  kStepLeadDecision,
  kStepRevisePlan,
  kStepAssignLead,
  kStepTransferLead,
  kStepTimeline,
  kStepCaseload,
  kStepSummary,
  kStepReferrals,
};

struct Stubs {
  std::unique_ptr<v1::DirectoryService::Stub> directory;
  std::unique_ptr<v1::CaseService::Stub> cases;
  std::unique_ptr<v1::ConsentService::Stub> consent;
  std::unique_ptr<v1::ReferralService::Stub> referral;
  std::unique_ptr<v1::ConferenceService::Stub> conference;
  std::unique_ptr<v1::PlanService::Stub> plan;
  std::unique_ptr<v1::SessionService::Stub> sessions;

  explicit Stubs(const std::shared_ptr<grpc::Channel>& ch)
      : directory(v1::DirectoryService::NewStub(ch)),
        cases(v1::CaseService::NewStub(ch)),
        consent(v1::ConsentService::NewStub(ch)),
        referral(v1::ReferralService::NewStub(ch)),
        conference(v1::ConferenceService::NewStub(ch)),
        plan(v1::PlanService::NewStub(ch)),
        sessions(v1::SessionService::NewStub(ch)) {}
};

// What the run shares: ids, the end of the timed phase, errors.
struct Run {
  std::string id;  // prefix of every id of this run
  int districts = 1;
  Clock::time_point deadline;
  std::mutex mu;
  std::condition_variable cv;
  int active = 0;
  std::map<std::pair<int, int>, std::string> first_error;  // (kind, code)
  // Secure runs: the administrator's password, and each staff member's
  // session token once signed in (read-only while sessions run).
  std::string admin_password;
  std::map<std::string, std::string> tokens;

  // Names the caller of `ctx`: its session token, else the header.
  void Identify(grpc::ClientContext& ctx, const std::string& staff) const {
    if (auto it = tokens.find(staff); it != tokens.end()) {
      ctx.AddMetadata("authorization", absl::StrCat("Bearer ", it->second));
    } else {
      ctx.AddMetadata("renkei-staff-id", staff);
    }
  }

  std::string Pa(int d) const { return absl::StrCat("pa-", id, "-", d); }
  std::string Mh(int d) const { return absl::StrCat("mh-", id, "-", d); }
  std::string Cw(int d) const { return absl::StrCat("cw-", id, "-", d); }
  std::string Counsellor(int d) const {
    return absl::StrCat("counsellor-", id, "-", d);
  }
  std::string Nursery() const { return absl::StrCat("nursery-", id); }
  std::string CaseId(int k) const { return absl::StrCat("c-", id, "-", k); }
};

google::protobuf::Timestamp InDays(double days) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  google::protobuf::Timestamp ts;
  ts.set_seconds(std::chrono::duration_cast<std::chrono::seconds>(now).count() +
                 static_cast<int64_t>(days * 86400));
  return ts;
}

struct Sample {
  std::vector<float> ms[kKinds];
  uint64_t ok[kKinds] = {};
  std::map<int, uint64_t> errors;  // status code -> count
};

struct CallBase {
  grpc::ClientContext ctx;
  Clock::time_point start;
  Kind kind = kOpenCase;
  virtual ~CallBase() = default;
};

template <typename Req, typename Resp>
struct Call : CallBase {
  Req req;
  Resp resp;
};

class Session {
 public:
  Session(Run* run, Stubs* stubs, const Options& options, int index)
      : run_(run), stubs_(stubs), mix_(options.mix), index_(index) {
    for (int k = index; k < options.cases; k += options.concurrency) {
      cases_.push_back(k);
      episodes_.push_back(-1);  // not opened yet
    }
  }

  const Sample& sample() const { return sample_; }

  void Start() { NextVisit(); }

 private:
  // The steps of the next visit to the next case of this session.
  void NextVisit() {
    if (cases_.empty()) return Done();
    current_ = next_case_;
    next_case_ = (next_case_ + 1) % cases_.size();
    steps_.clear();
    pos_ = 0;
    int& episode = episodes_[current_];
    const bool reads_only = mix_ == "queries" && episode >= 1;
    if (episode < 0) {
      steps_ = {kStepOpen, kStepAddMother, kStepAddSon, kStepAddCounsellorTeam};
      episode = 0;
    }
    if (mix_ == "entries") {
      // One RecordEntry per visit: the closest equal of one append.
      steps_.push_back(kStepEntry);
    } else if (!reads_only) {
      for (Step s : {kStepEntry, kStepConsent, kStepRefer, kStepAccept,
                     kStepFeedback, kStepSchedule, kStepHold})
        steps_.push_back(s);
      if (episode == 0) steps_.push_back(kStepPlanDecision);
      steps_.push_back(kStepLeadDecision);
      if (episode == 0) {
        steps_.push_back(kStepRevisePlan);
        steps_.push_back(kStepAssignLead);
      } else {
        steps_.push_back(kStepTransferLead);
      }
    }
    if (mix_ != "commands" && mix_ != "entries") {
      for (Step s :
           {kStepTimeline, kStepCaseload, kStepSummary, kStepReferrals})
        steps_.push_back(s);
    }
    episode_ = episode;
    if (!reads_only) ++episode;
    IssueNext();
  }

  void Done() {
    std::lock_guard<std::mutex> lock(run_->mu);
    if (--run_->active == 0) run_->cv.notify_all();
  }

  void IssueNext() {
    if (Clock::now() >= run_->deadline) return Done();
    if (pos_ >= steps_.size()) return NextVisit();
    Issue(steps_[pos_++]);
  }

  int District() const { return cases_[current_] % run_->districts; }
  std::string CaseId() const { return run_->CaseId(cases_[current_]); }
  std::string Key() {
    return absl::StrCat(run_->id, "-", index_, "-", ++sequence_);
  }
  // Per-episode ids, unique within the case.
  std::string Local(const char* prefix) const {
    return absl::StrCat(prefix, "-", episode_);
  }
  std::string ConferenceId() const {
    return absl::StrCat("k-", CaseId(), "-", episode_);
  }

  // Sends `call` as `staff` of `agency` through `send(ctx, req, resp, done)`.
  template <typename Req, typename Resp, typename SendFn>
  void Send(Kind kind, std::unique_ptr<Call<Req, Resp>> call,
            const std::string& staff, const std::string& agency, SendFn send) {
    call->kind = kind;
    run_->Identify(call->ctx, staff);
    call->ctx.AddMetadata("renkei-agency-id", agency);
    call->ctx.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(30));
    call->start = Clock::now();
    Call<Req, Resp>* raw = call.release();
    send(&raw->ctx, &raw->req, &raw->resp, [this, raw](grpc::Status status) {
      OnDone(std::unique_ptr<CallBase>(raw), status);
    });
  }

  void OnDone(std::unique_ptr<CallBase> call, const grpc::Status& status) {
    const float ms =
        std::chrono::duration<float, std::milli>(Clock::now() - call->start)
            .count();
    sample_.ms[call->kind].push_back(ms);
    if (status.ok()) {
      ++sample_.ok[call->kind];
    } else {
      ++sample_.errors[status.error_code()];
      std::lock_guard<std::mutex> lock(run_->mu);
      run_->first_error.try_emplace({call->kind, status.error_code()},
                                    status.error_message());
    }
    // A context is not destroyed inside its own completion: keep it until
    // the next one completes.
    previous_ = std::move(call);
    IssueNext();
  }

  template <typename Req>
  void SetOptions(Req& req) {
    req.mutable_options()->set_idempotency_key(Key());
  }

#define RENKEI_SEND(stub, Method)                            \
  [this](grpc::ClientContext* c, const auto* q, auto* r,     \
         std::function<void(grpc::Status)> done) {           \
    stubs_->stub->async()->Method(c, q, r, std::move(done)); \
  }

  void Issue(Step step) {
    const int d = District();
    const std::string cw = run_->Cw(d), pa = run_->Pa(d);
    const std::string counsellor = run_->Counsellor(d), mh = run_->Mh(d);
    switch (step) {
      case kStepOpen: {
        auto call =
            std::make_unique<Call<v1::OpenCaseRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        auto* c = q.mutable_command();
        c->set_kind(v1::CASE_KIND_HOUSEHOLD);
        c->set_title("母子世帯 (alcohol)");
        auto* intake = c->mutable_intake();
        intake->set_noticed_by_agency_id(run_->Nursery());
        intake->set_observation(
            "lateness, dirty clothes, alcohol on the mother's breath");
        c->add_frameworks(v1::FRAMEWORK_SHIEN_KAIGI);
        c->add_frameworks(v1::FRAMEWORK_MENTAL_HEALTH);
        c->set_registration(v1::REGISTRATION_NONE);
        return Send(kOpenCase, std::move(call), cw, pa,
                    RENKEI_SEND(cases, OpenCase));
      }
      case kStepAddMother:
      case kStepAddSon: {
        auto call =
            std::make_unique<Call<v1::AddSubjectRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        auto* s = q.mutable_command()->mutable_subject();
        if (step == kStepAddMother) {
          s->set_subject_id("mother");
          s->set_display_name("母 (30代)");
          s->set_relationship(v1::RELATIONSHIP_HEAD_OF_HOUSEHOLD);
          s->set_description("divorced, on public assistance");
        } else {
          s->set_subject_id("son");
          s->set_display_name("長男");
          s->set_relationship(v1::RELATIONSHIP_CHILD);
          s->set_description("nursery");
          s->add_guardian_subject_ids("mother");
        }
        return Send(kAddSubject, std::move(call), cw, pa,
                    RENKEI_SEND(cases, AddSubject));
      }
      case kStepAddCounsellorTeam: {
        auto call = std::make_unique<
            Call<v1::AddTeamAgencyRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        q.mutable_command()->set_agency_id(mh);
        q.mutable_command()->set_reason("mental-health consultation");
        return Send(kAddTeamAgency, std::move(call), cw, pa,
                    RENKEI_SEND(cases, AddTeamAgency));
      }
      case kStepEntry: {
        auto call =
            std::make_unique<Call<v1::RecordEntryRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        auto* e = q.mutable_command()->mutable_entry();
        e->set_entry_id(Local("e"));
        e->add_subject_ids("mother");
        e->add_categories(v1::INFORMATION_CATEGORY_HEALTH);
        auto* info = e->mutable_information_received();
        info->set_source_agency_id(run_->Nursery());
        info->set_content(
            "late again this week; the mother smelled of alcohol at pick-up");
        return Send(kRecordEntry, std::move(call), cw, pa,
                    RENKEI_SEND(cases, RecordEntry));
      }
      case kStepConsent: {
        auto call =
            std::make_unique<Call<v1::GiveConsentRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        auto* t = q.mutable_command()->mutable_terms();
        t->set_consent_id(Local("k"));
        t->set_subject_id("mother");
        t->set_decided_by_subject_id("mother");
        t->mutable_scope()->add_agency_ids(mh);
        t->mutable_scope()->add_purposes(
            v1::SHARING_PURPOSE_SUPPORT_COORDINATION);
        t->mutable_scope()->add_categories(v1::INFORMATION_CATEGORY_HEALTH);
        t->mutable_scope()->add_categories(
            v1::INFORMATION_CATEGORY_MENTAL_HEALTH);
        t->set_form(v1::CONSENT_FORM_VERBAL);
        t->set_statement("相談してもいいです");
        return Send(kGiveConsent, std::move(call), cw, pa,
                    RENKEI_SEND(consent, GiveConsent));
      }
      case kStepRefer: {
        auto call =
            std::make_unique<Call<v1::MakeReferralRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        auto* r = q.mutable_command();
        r->set_referral_id(Local("r"));
        r->set_to_agency_id(mh);
        r->set_to_staff_id(counsellor);
        r->add_subject_ids("mother");
        r->set_reason("alcohol and low mood; how to approach the mother?");
        r->set_urgency(v1::REFERRAL_URGENCY_PROMPT);
        *r->mutable_response_deadline() = InDays(7);
        r->set_purpose(v1::SHARING_PURPOSE_SUPPORT_COORDINATION);
        r->add_categories(v1::INFORMATION_CATEGORY_HEALTH);
        r->add_entry_ids(Local("e"));
        return Send(kMakeReferral, std::move(call), cw, pa,
                    RENKEI_SEND(referral, MakeReferral));
      }
      case kStepAccept: {
        auto call = std::make_unique<
            Call<v1::AcceptReferralRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        q.mutable_command()->set_referral_id(Local("r"));
        q.mutable_command()->set_assigned_staff_id(counsellor);
        return Send(kAcceptReferral, std::move(call), counsellor, mh,
                    RENKEI_SEND(referral, AcceptReferral));
      }
      case kStepFeedback: {
        auto call = std::make_unique<
            Call<v1::GiveReferralFeedbackRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        q.mutable_command()->set_referral_id(Local("r"));
        q.mutable_command()->set_feedback(
            "assessed: illness high, urgency medium; plan a joint visit");
        return Send(kGiveReferralFeedback, std::move(call), counsellor, mh,
                    RENKEI_SEND(referral, GiveReferralFeedback));
      }
      case kStepSchedule: {
        auto call = std::make_unique<
            Call<v1::ScheduleConferenceRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_conference_id(ConferenceId());
        auto* s = q.mutable_command();
        s->set_type(v1::CONFERENCE_TYPE_INDIVIDUAL_CASE);
        s->set_basis(v1::CONFERENCE_BASIS_YOTAIKYO);
        s->set_title("個別ケース検討会議 (母子世帯)");
        s->set_coordinating_agency_id(pa);
        *s->mutable_scheduled_for() = InDays(1);
        s->add_invitees()->set_agency_id(mh);
        s->add_agenda_case_ids(CaseId());
        return Send(kScheduleConference, std::move(call), cw, pa,
                    RENKEI_SEND(conference, ScheduleConference));
      }
      case kStepHold: {
        auto call = std::make_unique<
            Call<v1::HoldConferenceRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_conference_id(ConferenceId());
        for (const auto& [staff, agency] :
             {std::pair{cw, pa}, std::pair{counsellor, mh}}) {
          auto* a = q.mutable_command()->add_attendance();
          a->set_staff_id(staff);
          a->set_agency_id(agency);
          a->set_acknowledged_confidentiality(true);
        }
        return Send(kHoldConference, std::move(call), cw, pa,
                    RENKEI_SEND(conference, HoldConference));
      }
      case kStepPlanDecision:
      case kStepLeadDecision: {
        auto call = std::make_unique<
            Call<v1::RecordConferenceDecisionRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_conference_id(ConferenceId());
        auto* dec = q.mutable_command()->mutable_decision();
        dec->set_case_id(CaseId());
        if (step == kStepPlanDecision) {
          dec->set_decision_id("d-plan");
          dec->set_kind(v1::DECISION_KIND_PLAN_REVISION);
          dec->set_text("adopt one shared support plan");
        } else {
          dec->set_decision_id("d-lead");
          dec->set_kind(v1::DECISION_KIND_LEAD_ASSIGNMENT);
          dec->set_stage_id("s-treatment");
          dec->set_text("who leads the mother's treatment stage");
          SetLead(dec->mutable_lead());
        }
        return Send(kRecordConferenceDecision, std::move(call), cw, pa,
                    RENKEI_SEND(conference, RecordConferenceDecision));
      }
      case kStepRevisePlan: {
        auto call = std::make_unique<
            Call<v1::ReviseSupportPlanRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        auto* c = q.mutable_command();
        auto* plan = c->mutable_plan();
        auto* goal = plan->add_goals();
        goal->set_goal_id("g-treatment");
        goal->set_horizon(v1::GOAL_HORIZON_SHORT);
        goal->set_description("outpatient treatment for alcohol continues");
        goal->add_subject_ids("mother");
        auto* stage = plan->add_stages();
        stage->set_stage_id("s-treatment");
        stage->set_title("the mother's treatment and recovery");
        stage->add_goal_ids("g-treatment");
        plan->set_summary("treatment first");
        c->mutable_decision()->set_conference_id(ConferenceId());
        c->mutable_decision()->set_decision_id("d-plan");
        c->set_reason("adopted at the support meeting");
        return Send(kReviseSupportPlan, std::move(call), cw, pa,
                    RENKEI_SEND(plan, ReviseSupportPlan));
      }
      case kStepAssignLead: {
        auto call = std::make_unique<
            Call<v1::AssignStageLeadRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        auto* c = q.mutable_command();
        c->set_stage_id("s-treatment");
        SetLead(c->mutable_lead());
        c->set_reason("agreed at the support meeting");
        c->mutable_decision()->set_conference_id(ConferenceId());
        c->mutable_decision()->set_decision_id("d-lead");
        return Send(kAssignStageLead, std::move(call), cw, pa,
                    RENKEI_SEND(plan, AssignStageLead));
      }
      case kStepTransferLead: {
        auto call = std::make_unique<
            Call<v1::TransferStageLeadRequest, v1::CommandReply>>();
        auto& q = call->req;
        SetOptions(q);
        q.set_case_id(CaseId());
        auto* c = q.mutable_command();
        c->set_stage_id("s-treatment");
        SetLead(c->mutable_lead());
        c->set_reason("agreed at the support meeting");
        c->mutable_decision()->set_conference_id(ConferenceId());
        c->mutable_decision()->set_decision_id("d-lead");
        return Send(kTransferStageLead, std::move(call), cw, pa,
                    RENKEI_SEND(plan, TransferStageLead));
      }
      case kStepTimeline: {
        auto call = std::make_unique<
            Call<v1::GetCaseTimelineRequest, v1::GetCaseTimelineResponse>>();
        call->req.set_case_id(CaseId());
        call->req.set_limit(50);
        return Send(kGetCaseTimeline, std::move(call), cw, pa,
                    RENKEI_SEND(cases, GetCaseTimeline));
      }
      case kStepCaseload: {
        auto call = std::make_unique<
            Call<v1::ListCaseloadRequest, v1::ListCaseloadResponse>>();
        return Send(kListCaseload, std::move(call), counsellor, mh,
                    RENKEI_SEND(cases, ListCaseload));
      }
      case kStepSummary: {
        auto call = std::make_unique<
            Call<v1::GetCaseSummaryRequest, v1::CaseSummary>>();
        call->req.set_case_id(CaseId());
        return Send(kGetCaseSummary, std::move(call), counsellor, mh,
                    RENKEI_SEND(cases, GetCaseSummary));
      }
      case kStepReferrals: {
        auto call = std::make_unique<
            Call<v1::ListReferralsRequest, v1::ListReferralsResponse>>();
        call->req.set_direction(v1::REFERRAL_DIRECTION_INCOMING);
        return Send(kListReferrals, std::move(call), counsellor, mh,
                    RENKEI_SEND(referral, ListReferrals));
      }
    }
  }
#undef RENKEI_SEND

  // The treatment stage's lead in this episode: the counsellor first, then
  // alternately the caseworker and the counsellor.
  void SetLead(v1::StageLead* lead) const {
    const int d = District();
    const bool counsellor = episode_ % 2 == 0;
    lead->set_agency_id(counsellor ? run_->Mh(d) : run_->Pa(d));
    lead->set_key_person_staff_id(counsellor ? run_->Counsellor(d)
                                             : run_->Cw(d));
  }

  Run* run_;
  Stubs* stubs_;
  const std::string mix_;
  const int index_;
  std::vector<int> cases_;
  std::vector<int> episodes_;
  size_t current_ = 0;
  size_t next_case_ = 0;
  int episode_ = 0;
  std::vector<Step> steps_;
  size_t pos_ = 0;
  uint64_t sequence_ = 0;
  Sample sample_;
  std::unique_ptr<CallBase> previous_;
};

// Registers the run's agencies and staff (one directory stream: serially).
bool Setup(Run& run, Stubs& stubs, double timeout_seconds) {
  uint64_t seq = 0;
  auto check = [](const grpc::Status& s, const std::string& what) {
    if (s.ok()) return true;
    std::fprintf(stderr, "setup: %s failed: %d %s\n", what.c_str(),
                 s.error_code(), s.error_message().c_str());
    return false;
  };
  // A session for `staff` (secure runs): the administrator sets a password,
  // then the staff member signs in with it.
  auto sign_in = [&](const std::string& staff, const std::string& password) {
    v1::SignInRequest req;
    req.set_staff_id(staff);
    req.set_password(password);
    v1::SignInResponse resp;
    grpc::ClientContext ctx;
    ctx.set_wait_for_ready(true);
    if (!check(stubs.sessions->SignIn(&ctx, req, &resp),
               absl::StrCat("sign-in of ", staff))) {
      return false;
    }
    run.tokens[staff] = resp.token();
    return true;
  };
  if (!run.admin_password.empty() &&
      !sign_in("load-admin", run.admin_password)) {
    return false;
  }
  auto context = [&](grpc::ClientContext& ctx) {
    run.Identify(ctx, "load-admin");
    ctx.set_wait_for_ready(true);
    ctx.set_deadline(std::chrono::system_clock::now() +
                     std::chrono::milliseconds(
                         static_cast<int64_t>(timeout_seconds * 1000)));
  };
  auto agency = [&](const std::string& id, const std::string& name,
                    v1::AgencyKind kind, v1::AgencyScope scope) {
    grpc::ClientContext ctx;
    context(ctx);
    v1::RegisterAgencyRequest req;
    req.mutable_options()->set_idempotency_key(
        absl::StrCat(run.id, "-setup-", ++seq));
    auto* a = req.mutable_command()->mutable_agency();
    a->set_agency_id(id);
    a->set_name(name);
    a->set_kind(kind);
    a->set_scope(scope);
    a->set_formality(v1::AGENCY_FORMALITY_FORMAL);
    v1::CommandReply reply;
    return check(stubs.directory->RegisterAgency(&ctx, req, &reply), id);
  };
  auto staff = [&](const std::string& id, const std::string& name,
                   v1::Profession profession, const std::string& agency_id) {
    grpc::ClientContext ctx;
    context(ctx);
    v1::RegisterStaffMemberRequest req;
    req.mutable_options()->set_idempotency_key(
        absl::StrCat(run.id, "-setup-", ++seq));
    auto* s = req.mutable_command()->mutable_staff();
    s->set_staff_id(id);
    s->set_display_name(name);
    s->set_profession(profession);
    s->set_agency_id(agency_id);
    v1::CommandReply reply;
    if (!check(stubs.directory->RegisterStaffMember(&ctx, req, &reply), id)) {
      return false;
    }
    if (run.admin_password.empty()) return true;
    const std::string password = absl::StrCat("load password of ", id);
    grpc::ClientContext set_ctx;
    context(set_ctx);
    v1::SetStaffPasswordRequest set;
    set.set_staff_id(id);
    set.set_password(password);
    v1::SetStaffPasswordResponse set_resp;
    return check(stubs.directory->SetStaffPassword(&set_ctx, set, &set_resp),
                 absl::StrCat("password of ", id)) &&
           sign_in(id, password);
  };
  if (!agency(run.Nursery(), "ひまわり保育園", v1::AGENCY_KIND_NURSERY,
              v1::AGENCY_SCOPE_EXTERNAL))
    return false;
  for (int d = 0; d < run.districts; ++d) {
    if (!agency(run.Pa(d), absl::StrCat("生活福祉課 ", d),
                v1::AGENCY_KIND_MUNICIPAL_DIVISION,
                v1::AGENCY_SCOPE_INTERNAL) ||
        !agency(run.Mh(d), absl::StrCat("障害福祉課 精神保健係 ", d),
                v1::AGENCY_KIND_MUNICIPAL_DIVISION,
                v1::AGENCY_SCOPE_INTERNAL) ||
        !staff(run.Cw(d), "生活保護CW",
               v1::PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER, run.Pa(d)) ||
        !staff(run.Counsellor(d), "精神保健福祉相談員",
               v1::PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR, run.Mh(d))) {
      return false;
    }
  }
  return true;
}

// The server's CPU seconds spent sealing and unsealing personal fields so
// far (renkei_sealing_cpu_seconds_total from its metrics), or -1.
double SealingCpuSeconds(const std::string& metrics) {
  const size_t colon = metrics.rfind(':');
  if (metrics.empty() || colon == std::string::npos) return -1;
  httplib::Client client(metrics.substr(0, colon),
                         std::atoi(metrics.c_str() + colon + 1));
  auto res = client.Get("/metrics");
  if (!res || res->status != 200) return -1;
  double total = 0;
  bool found = false;
  std::istringstream lines(res->body);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("renkei_sealing_cpu_seconds_total{", 0) != 0) continue;
    total += std::atof(line.c_str() + line.rfind(' ') + 1);
    found = true;
  }
  return found ? total : -1;
}

// CPU seconds (user + system) used so far by this process.
double OwnCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// CPU seconds used so far by process `pid` (from /proc), or -1.
double ProcessCpuSeconds(int pid) {
  if (pid <= 0) return -1;
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  if (!std::getline(in, line)) return -1;
  // Fields after the parenthesised command name; utime and stime are the
  // 14th and 15th fields of the whole line.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return -1;
  std::vector<std::string> fields;
  size_t i = close + 2;
  while (i < line.size()) {
    size_t j = line.find(' ', i);
    if (j == std::string::npos) j = line.size();
    fields.push_back(line.substr(i, j - i));
    i = j + 1;
  }
  if (fields.size() < 13) return -1;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  return (std::atof(fields[11].c_str()) + std::atof(fields[12].c_str())) /
         ticks;
}

double Percentile(const std::vector<float>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size()));
  return sorted[std::min(sorted.size() - 1, i)];
}

// A free loopback port (bound and released; a race is possible but rare).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// A renkei-server child on a fresh data directory; stopped on destruction.
class SpawnedServer {
 public:
  int pid() const { return pid_; }
  const std::string& metrics() const { return metrics_; }
  std::string ca() const { return dir_ + "/tls/ca.pem"; }
  std::string admin_password_file() const { return dir_ + "/admin-password"; }
  bool Start(const std::string& path, std::string* target, bool secure) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "renkei-load-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) return false;
    dir_ = pattern;
    const int port = FreePort();
    const int metrics_port = FreePort();
    if (port == 0 || metrics_port == 0) return false;
    *target = absl::StrCat("127.0.0.1:", port);
    metrics_ = absl::StrCat("127.0.0.1:", metrics_port);
    const std::string listen = *target;
    const std::string data = dir_ + "/data";
    const std::string log = dir_ + "/server.log";
    // The first administrator, offline, as a city would create it.
    const std::string init =
        absl::StrCat("'", path, "' init-admin --data-dir '", data,
                     "' --staff-id load-admin --agency-id city-hall",
                     secure ? absl::StrCat(" --generate-password-file '",
                                           admin_password_file(), "'")
                            : "",
                     " >'", log, "' 2>&1");
    // Secure runs: a CA and a server certificate for 127.0.0.1.
    const std::string certs = absl::StrCat(
        "bash '", RENKEI_SOURCE_DIR, "/deploy/issue-cert.sh' '", dir_,
        "/tls' server localhost 127.0.0.1 >>'", log, "' 2>&1");
    if (secure && std::system(certs.c_str()) != 0) {
      std::fprintf(stderr, "issuing the server certificate failed (see %s)\n",
                   log.c_str());
      return false;
    }
    if (std::system(init.c_str()) != 0) {
      std::fprintf(stderr, "renkei-server init-admin failed (see %s)\n",
                   log.c_str());
      return false;
    }
    // The server seals personal fields; a key for this run unless one is set.
    ::setenv("RENKEI_KEY_ENCRYPTION_KEY", std::string(64, '7').c_str(), 0);
    pid_ = fork();
    if (pid_ < 0) return false;
    if (pid_ == 0) {
      FILE* out = std::freopen(log.c_str(), "w", stdout);
      if (out != nullptr) dup2(fileno(out), STDERR_FILENO);
      const std::string cert = dir_ + "/tls/server.pem";
      const std::string key = dir_ + "/tls/server.key";
      if (secure) {
        execl(path.c_str(), path.c_str(), "--listen", listen.c_str(),
              "--data-dir", data.c_str(), "--tls-cert-file", cert.c_str(),
              "--tls-key-file", key.c_str(), "--metrics-listen",
              metrics_.c_str(), static_cast<char*>(nullptr));
      } else {
        execl(path.c_str(), path.c_str(), "--listen", listen.c_str(),
              "--data-dir", data.c_str(), "--dev-header-identity",
              "--metrics-listen", metrics_.c_str(),
              static_cast<char*>(nullptr));
      }
      std::perror("exec renkei-server");
      _exit(127);
    }
    return true;
  }
  std::string metrics_;
  ~SpawnedServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

 private:
  pid_t pid_ = -1;
  std::string dir_;
};

bool ParseOptions(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", flag.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (flag == "--target")
      o.target = value();
    else if (flag == "--concurrency")
      o.concurrency = std::atoi(value());
    else if (flag == "--duration")
      o.duration = std::atof(value());
    else if (flag == "--cases")
      o.cases = std::atoi(value());
    else if (flag == "--mix")
      o.mix = value();
    else if (flag == "--districts")
      o.districts = std::atoi(value());
    else if (flag == "--channels")
      o.channels = std::atoi(value());
    else if (flag == "--spawn-server")
      o.spawn_server = value();
    else if (flag == "--connect-timeout")
      o.connect_timeout = std::atof(value());
    else if (flag == "--server-pid")
      o.server_pid = std::atoi(value());
    else if (flag == "--server-metrics")
      o.server_metrics = value();
    else if (flag == "--wait-only")
      o.wait_only = true;
    else if (flag == "--require-no-errors")
      o.require_no_errors = true;
    else if (flag == "--secure")
      o.secure = true;
    else if (flag == "--tls-ca")
      o.tls_ca = value();
    else if (flag == "--admin-password-file")
      o.admin_password_file = value();
    else {
      std::fprintf(
          stderr,
          "usage: renkei_load_gen [--target HOST:PORT] [--concurrency N] "
          "[--duration S] [--cases M] [--mix story|commands|queries|entries] "
          "[--districts D] [--channels C] [--spawn-server PATH] "
          "[--connect-timeout S] [--server-pid PID] [--server-metrics "
          "HOST:PORT] "
          "[--wait-only] "
          "[--require-no-errors] [--secure [--tls-ca FILE "
          "--admin-password-file FILE]]\n");
      return false;
    }
  }
  if (o.concurrency < 1 || o.cases < 1 || o.channels < 1 || o.duration < 0 ||
      (o.mix != "story" && o.mix != "commands" && o.mix != "queries" &&
       o.mix != "entries")) {
    std::fprintf(stderr, "bad options\n");
    return false;
  }
  // Every session owns at least one case.
  o.cases = std::max(o.cases, o.concurrency);
  if (o.districts <= 0) o.districts = std::max(1, o.cases / 25);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) return 2;
  SpawnedServer spawned;
  if (!options.spawn_server.empty() &&
      !spawned.Start(options.spawn_server, &options.target, options.secure)) {
    std::fprintf(stderr, "cannot start %s\n", options.spawn_server.c_str());
    return 1;
  }
  if (!options.spawn_server.empty()) {
    options.server_pid = spawned.pid();
    options.server_metrics = spawned.metrics();
    if (options.secure) {
      options.tls_ca = spawned.ca();
      options.admin_password_file = spawned.admin_password_file();
    }
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials =
      grpc::InsecureChannelCredentials();
  std::string admin_password;
  if (options.secure) {
    std::ifstream ca(options.tls_ca);
    std::ifstream pw(options.admin_password_file);
    if (!ca.good() || !pw.good()) {
      std::fprintf(stderr,
                   "--secure needs --tls-ca and --admin-password-file\n");
      return 2;
    }
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs.assign(std::istreambuf_iterator<char>(ca), {});
    credentials = grpc::SslCredentials(tls);
    std::getline(pw, admin_password);
  }

  // Separate connections (a channel argument makes each channel distinct).
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<Stubs>> stubs;
  for (int i = 0; i < options.channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("renkei.load.channel", i);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channels.push_back(
        grpc::CreateCustomChannel(options.target, credentials, args));
    stubs.push_back(std::make_unique<Stubs>(channels.back()));
  }
  const auto connect_deadline = std::chrono::system_clock::now() +
                                std::chrono::milliseconds(static_cast<int64_t>(
                                    options.connect_timeout * 1000));
  for (auto& ch : channels) {
    if (!ch->WaitForConnected(connect_deadline)) {
      std::fprintf(stderr, "cannot connect to %s\n", options.target.c_str());
      return 1;
    }
  }

  if (options.wait_only) {
    // Serving: a directory query is answered (refused for an unknown caller
    // is an answer too), rather than UNAVAILABLE.
    grpc::ClientContext ctx;
    ctx.AddMetadata("renkei-staff-id", "load-health-check");
    ctx.set_wait_for_ready(true);
    ctx.set_deadline(connect_deadline);
    v1::ListAgenciesRequest req;
    v1::ListAgenciesResponse resp;
    const grpc::Status s = stubs[0]->directory->ListAgencies(&ctx, req, &resp);
    if (s.error_code() == grpc::StatusCode::UNAVAILABLE ||
        s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
      std::fprintf(stderr, "%s is not serving: %s\n", options.target.c_str(),
                   s.error_message().c_str());
      return 1;
    }
    std::printf("%s is serving\n", options.target.c_str());
    return 0;
  }

  Run run;
  {
    std::random_device rd;
    run.id = absl::StrFormat("%08x", rd());
  }
  run.districts = options.districts;
  run.admin_password = admin_password;
  const auto setup_start = Clock::now();
  if (!Setup(run, *stubs[0], options.connect_timeout)) return 1;
  std::printf(
      "renkei_load_gen: target %s (%s), run %s, %d sessions, %d cases in %d "
      "districts, mix %s, %.1f s; setup %.2f s\n",
      options.target.c_str(),
      options.secure ? "TLS, session tokens" : "plaintext, header identity",
      run.id.c_str(), options.concurrency, options.cases, options.districts,
      options.mix.c_str(), options.duration,
      std::chrono::duration<double>(Clock::now() - setup_start).count());

  std::vector<std::unique_ptr<Session>> sessions;
  for (int i = 0; i < options.concurrency; ++i) {
    sessions.push_back(std::make_unique<Session>(
        &run, stubs[i % options.channels].get(), options, i));
  }
  const double client_cpu_start = OwnCpuSeconds();
  const double server_cpu_start = ProcessCpuSeconds(options.server_pid);
  const double sealing_cpu_start = SealingCpuSeconds(options.server_metrics);
  const auto start = Clock::now();
  run.deadline = start + std::chrono::milliseconds(
                             static_cast<int64_t>(options.duration * 1000));
  run.active = options.concurrency;
  for (auto& s : sessions) s->Start();
  {
    std::unique_lock<std::mutex> lock(run.mu);
    run.cv.wait(lock, [&] { return run.active == 0; });
  }
  const double elapsed =
      std::chrono::duration<double>(Clock::now() - start).count();
  const double client_cpu = OwnCpuSeconds() - client_cpu_start;
  const double server_cpu_end = ProcessCpuSeconds(options.server_pid);
  const double sealing_cpu_end = SealingCpuSeconds(options.server_metrics);
  const double sealing_cpu = sealing_cpu_start >= 0 && sealing_cpu_end >= 0
                                 ? sealing_cpu_end - sealing_cpu_start
                                 : -1;
  const double server_cpu = server_cpu_start >= 0 && server_cpu_end >= 0
                                ? server_cpu_end - server_cpu_start
                                : -1;

  // Merge the sessions' samples.
  std::vector<float> by_kind[kKinds];
  std::vector<float> commands, queries;
  uint64_t ok[kKinds] = {};
  uint64_t ok_commands = 0, ok_queries = 0, errors_total = 0;
  std::map<int, uint64_t> errors;
  for (const auto& s : sessions) {
    const Sample& sample = s->sample();
    for (int k = 0; k < kKinds; ++k) {
      by_kind[k].insert(by_kind[k].end(), sample.ms[k].begin(),
                        sample.ms[k].end());
      auto& all = kKindInfo[k].command ? commands : queries;
      all.insert(all.end(), sample.ms[k].begin(), sample.ms[k].end());
      ok[k] += sample.ok[k];
      (kKindInfo[k].command ? ok_commands : ok_queries) += sample.ok[k];
    }
    for (const auto& [code, n] : sample.errors) {
      errors[code] += n;
      errors_total += n;
    }
  }
  std::sort(commands.begin(), commands.end());
  std::sort(queries.begin(), queries.end());

  std::printf("%-26s %9s %9s %9s %9s %9s\n", "rpc", "ok", "per s", "p50 ms",
              "p99 ms", "p99.9 ms");
  for (int k = 0; k < kKinds; ++k) {
    auto& v = by_kind[k];
    if (v.empty()) continue;
    std::sort(v.begin(), v.end());
    std::printf("%-26s %9lu %9.0f %9.2f %9.2f %9.2f\n", kKindInfo[k].name,
                ok[k], ok[k] / elapsed, Percentile(v, 0.5), Percentile(v, 0.99),
                Percentile(v, 0.999));
  }
  std::printf("%-26s %9lu %9.0f %9.2f %9.2f %9.2f\n", "(all commands)",
              ok_commands, ok_commands / elapsed, Percentile(commands, 0.5),
              Percentile(commands, 0.99), Percentile(commands, 0.999));
  std::printf("%-26s %9lu %9.0f %9.2f %9.2f %9.2f\n", "(all queries)",
              ok_queries, ok_queries / elapsed, Percentile(queries, 0.5),
              Percentile(queries, 0.99), Percentile(queries, 0.999));
  std::printf("errors: %lu", errors_total);
  for (const auto& [code, n] : errors) std::printf("  code %d: %lu", code, n);
  std::printf("\n");
  for (const auto& [key, message] : run.first_error) {
    std::printf("  first %s error (code %d): %s\n", kKindInfo[key.first].name,
                key.second, message.c_str());
  }

  const int c = options.concurrency;
  std::printf("figure cmd_eps_c%d %.1f\n", c, ok_commands / elapsed);
  std::printf("figure cmd_p50_ms_c%d %.3f\n", c, Percentile(commands, 0.5));
  std::printf("figure cmd_p99_ms_c%d %.3f\n", c, Percentile(commands, 0.99));
  std::printf("figure cmd_p999_ms_c%d %.3f\n", c, Percentile(commands, 0.999));
  std::printf("figure query_eps_c%d %.1f\n", c, ok_queries / elapsed);
  std::printf("figure query_p50_ms_c%d %.3f\n", c, Percentile(queries, 0.5));
  std::printf("figure query_p99_ms_c%d %.3f\n", c, Percentile(queries, 0.99));
  std::printf("figure query_p999_ms_c%d %.3f\n", c, Percentile(queries, 0.999));
  std::printf("figure errors_c%d %lu\n", c, errors_total);
  // CPU per RPC does not depend on what else runs on the machine: with the
  // client and the server on the same cores, cores / (client + server CPU per
  // RPC) bounds the RPCs per second.
  const double rpcs = static_cast<double>(ok_commands + ok_queries);
  if (rpcs > 0) {
    std::printf("figure client_cpu_us_per_rpc_c%d %.1f\n", c,
                client_cpu / rpcs * 1e6);
    if (server_cpu >= 0) {
      std::printf("figure server_cpu_us_per_rpc_c%d %.1f\n", c,
                  server_cpu / rpcs * 1e6);
    }
    // What sealing personal fields (encryption, key derivation, the split
    // of each event) adds to the server's CPU.
    if (sealing_cpu >= 0) {
      std::printf("figure sealing_cpu_us_per_rpc_c%d %.2f\n", c,
                  sealing_cpu / rpcs * 1e6);
      if (server_cpu > 0) {
        std::printf("figure sealing_share_of_server_cpu_pct_c%d %.2f\n", c,
                    100.0 * sealing_cpu / server_cpu);
      }
    }
  }
  std::fflush(stdout);
  if (options.require_no_errors &&
      (errors_total > 0 || ok_commands == 0 || ok_queries == 0)) {
    std::printf("LOAD FAILED: %lu errors, %lu commands, %lu queries\n",
                errors_total, ok_commands, ok_queries);
    return 1;
  }
  return 0;
}

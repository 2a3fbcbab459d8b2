// Which other streams a command's decider reads.
#include "services/domain/lookup.h"

#include <algorithm>

#include "services/domain/conference/conference_state.h"
#include "services/domain/event_codec.h"

namespace renkei::domain {
namespace {

void AddStream(std::vector<std::string>& streams, std::string stream_id) {
  if (std::find(streams.begin(), streams.end(), stream_id) == streams.end()) {
    streams.push_back(std::move(stream_id));
  }
}

void AddDecision(std::vector<std::string>& streams,
                 const v1::DecisionRef& decision) {
  if (!decision.conference_id().empty()) {
    AddStream(streams, ConferenceStreamId(decision.conference_id()));
  }
}

void AddHandover(std::vector<std::string>& streams,
                 const std::string& handover_id) {
  if (!handover_id.empty()) AddStream(streams, HandoverStreamId(handover_id));
}

}  // namespace

std::vector<std::string> ReferencedStreams(const v1::CaseCommand& command) {
  std::vector<std::string> streams;
  switch (command.kind_case()) {
    case v1::CaseCommand::kAddTeamAgency:
      AddDecision(streams, command.add_team_agency().decision());
      break;
    case v1::CaseCommand::kRemoveTeamAgency:
      AddDecision(streams, command.remove_team_agency().decision());
      break;
    case v1::CaseCommand::kSetCaseLeadSide:
      AddDecision(streams, command.set_case_lead_side().decision());
      break;
    case v1::CaseCommand::kCloseCase:
      AddDecision(streams, command.close_case().decision());
      break;
    case v1::CaseCommand::kTransferCase:
      AddDecision(streams, command.transfer_case().decision());
      break;
    case v1::CaseCommand::kReviseSupportPlan:
      AddDecision(streams, command.revise_support_plan().decision());
      break;
    case v1::CaseCommand::kAssignStageLead:
      AddDecision(streams, command.assign_stage_lead().decision());
      break;
    case v1::CaseCommand::kTransferStageLead:
      AddDecision(streams, command.transfer_stage_lead().decision());
      AddHandover(streams, command.transfer_stage_lead().handover_id());
      break;
    case v1::CaseCommand::kCorrectStageLead:
      AddDecision(streams, command.correct_stage_lead().decision());
      break;
    case v1::CaseCommand::kEndStageLead:
      AddDecision(streams, command.end_stage_lead().decision());
      break;
    case v1::CaseCommand::kReassignReferralHandler:
      AddHandover(streams, command.reassign_referral_handler().handover_id());
      break;
    default:
      break;
  }
  return streams;
}

std::vector<std::string> ReferencedStreams(
    const ConferenceState& state, const v1::ConferenceCommand& command) {
  std::vector<std::string> streams;
  switch (command.kind_case()) {
    case v1::ConferenceCommand::kHoldConference:
      for (const v1::AgendaCase& agenda : state.schedule.agenda_cases()) {
        AddStream(streams, CaseStreamId(agenda.case_id()));
      }
      break;
    case v1::ConferenceCommand::kScheduleConference:
      for (const std::string& case_id :
           command.schedule_conference().agenda_case_ids()) {
        AddStream(streams, CaseStreamId(case_id));
      }
      break;
    case v1::ConferenceCommand::kRecordCaseReview:
      AddStream(streams, CaseStreamId(command.record_case_review().case_id()));
      break;
    case v1::ConferenceCommand::kReassignActionItem:
      AddHandover(streams, command.reassign_action_item().handover_id());
      break;
    default:
      break;
  }
  return streams;
}

}  // namespace renkei::domain

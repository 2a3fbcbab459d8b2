// The stage-lead ledger, composed as an interval map over valid time.
#include "services/domain/case/lead_ledger.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <string>

#include "services/domain/time_util.h"

namespace renkei::domain {
namespace {

// Valid time -> index into the ledger of the fact in force from that point
// on, or -1 for "no lead".
using Timeline = std::map<absl::Time, int>;

int ValueAt(const Timeline& timeline, absl::Time t) {
  auto it = timeline.upper_bound(t);
  return it == timeline.begin() ? -1 : std::prev(it)->second;
}

Timeline Compose(const CaseState& state, absl::string_view stage_id,
                 absl::Time known_at) {
  Timeline timeline{{absl::InfinitePast(), -1}};
  for (size_t i = 0; i < state.lead_ledger.size(); ++i) {
    const LeadFactRecord& record = state.lead_ledger[i];
    if (record.fact.stage_id() != stage_id || record.known_at > known_at) {
      continue;
    }
    const int value = record.fact.has_lead() ? static_cast<int>(i) : -1;
    if (record.valid_to.has_value()) {
      const absl::Time to = *record.valid_to;
      const int after = ValueAt(timeline, to);
      timeline.erase(timeline.lower_bound(record.valid_from),
                     timeline.lower_bound(to));
      timeline.emplace(to, after);  // keeps an existing breakpoint at `to`
    } else {
      timeline.erase(timeline.lower_bound(record.valid_from), timeline.end());
    }
    timeline[record.valid_from] = value;
  }
  return timeline;
}

v1::LeadPeriod Period(const CaseState& state, int index, absl::Time from,
                      std::optional<absl::Time> to) {
  const v1::LeadFact& fact = state.lead_ledger[static_cast<size_t>(index)].fact;
  v1::LeadPeriod period;
  period.set_stage_id(fact.stage_id());
  *period.mutable_lead() = fact.lead();
  *period.mutable_valid_from() = ToTimestamp(from);
  if (to.has_value()) *period.mutable_valid_to() = ToTimestamp(*to);
  *period.mutable_fact() = fact;
  return period;
}

}  // namespace

bool SameLead(const v1::StageLead& a, const v1::StageLead& b) {
  return a.agency_id() == b.agency_id() &&
         a.key_person_staff_id() == b.key_person_staff_id();
}

std::vector<v1::LeadPeriod> LeadHistory(const CaseState& state,
                                        absl::string_view stage_id,
                                        absl::Time known_at) {
  const Timeline timeline = Compose(state, stage_id, known_at);
  std::vector<v1::LeadPeriod> periods;
  for (auto it = timeline.begin(); it != timeline.end(); ++it) {
    if (it->second < 0) continue;
    auto next = std::next(it);
    // Adjacent pieces of one fact (split and restored) form one period.
    while (next != timeline.end() && next->second == it->second) ++next;
    std::optional<absl::Time> to;
    if (next != timeline.end()) to = next->first;
    periods.push_back(Period(state, it->second, it->first, to));
    it = std::prev(next);
  }
  return periods;
}

std::optional<v1::LeadPeriod> LeadAt(const CaseState& state,
                                     absl::string_view stage_id,
                                     absl::Time valid_at, absl::Time known_at) {
  for (v1::LeadPeriod& period : LeadHistory(state, stage_id, known_at)) {
    const absl::Time from = ToTime(period.valid_from());
    if (valid_at < from) break;
    if (!period.has_valid_to() || valid_at < ToTime(period.valid_to())) {
      return std::move(period);
    }
  }
  return std::nullopt;
}

std::vector<v1::LeadFact> LeadLedger(const CaseState& state,
                                     absl::string_view stage_id) {
  std::vector<v1::LeadFact> facts;
  for (const LeadFactRecord& record : state.lead_ledger) {
    if (record.fact.stage_id() == stage_id) facts.push_back(record.fact);
  }
  return facts;
}

std::vector<v1::CurrentStageLead> LeadsAt(const CaseState& state,
                                          absl::Time valid_at,
                                          absl::Time known_at) {
  std::vector<std::string> stages;
  for (const LeadFactRecord& record : state.lead_ledger) {
    if (std::find(stages.begin(), stages.end(), record.fact.stage_id()) ==
        stages.end()) {
      stages.push_back(record.fact.stage_id());
    }
  }
  std::vector<v1::CurrentStageLead> leads;
  for (const std::string& stage_id : stages) {
    std::optional<v1::LeadPeriod> period =
        LeadAt(state, stage_id, valid_at, known_at);
    if (!period.has_value()) continue;
    v1::CurrentStageLead lead;
    lead.set_stage_id(stage_id);
    *lead.mutable_lead() = period->lead();
    leads.push_back(std::move(lead));
  }
  return leads;
}

std::optional<absl::Time> LastKnownAt(const CaseState& state,
                                      absl::string_view stage_id) {
  std::optional<absl::Time> last;
  for (const LeadFactRecord& record : state.lead_ledger) {
    if (record.fact.stage_id() == stage_id) last = record.known_at;
  }
  return last;
}

}  // namespace renkei::domain

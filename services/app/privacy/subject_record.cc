#include "services/app/privacy/subject_record.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/app/access/access_decision.h"
#include "services/domain/errors.h"
#include "services/domain/time_util.h"

namespace renkei::app {
namespace {

bool Names(const google::protobuf::RepeatedPtrField<std::string>& ids,
           const std::string& subject_id) {
  return std::find(ids.begin(), ids.end(), subject_id) != ids.end();
}

// The version of `entry_id` recorded as `version` (1 as recorded), or null.
const v1::Entry* VersionOf(const domain::CaseState& state,
                           const std::string& entry_id, uint32_t version) {
  const domain::EntryState* entry = state.FindEntry(entry_id);
  if (entry == nullptr || entry->versions.empty()) return nullptr;
  if (version < 1 || version > entry->version()) version = entry->version();
  return &entry->versions[version - 1].entry;
}

// Adds the categories of `entry` not yet in `out`.
void AddCategories(const v1::Entry& entry, v1::Disclosure& out) {
  for (int c : entry.categories()) {
    if (std::find(out.categories().begin(), out.categories().end(), c) ==
        out.categories().end()) {
      out.add_categories(static_cast<v1::InformationCategory>(c));
    }
  }
}

// Adds to `record` the items about the subject (entry ids, categories) and
// the bases they went on; false when none is about them.
bool AddItemsAbout(
    const domain::CaseState& state, const std::string& subject_id,
    const google::protobuf::RepeatedPtrField<v1::SharedItem>& items,
    v1::Disclosure& record) {
  std::set<std::string> bases;
  for (const v1::SharedItem& item : items) {
    const v1::Entry* entry =
        VersionOf(state, item.entry_id(), item.entry_version());
    if (entry == nullptr || !Names(entry->subject_ids(), subject_id)) {
      continue;
    }
    record.add_entry_ids(item.entry_id());
    AddCategories(*entry, record);
    bases.insert(DescribeBasis(item.basis()));
  }
  record.set_basis(absl::StrJoin(bases, "; "));
  return !record.entry_ids().empty();
}

// The provisions and referrals that carried the subject's information.
std::vector<v1::Disclosure> Provided(const domain::CaseState& state,
                                     const std::string& subject_id) {
  std::vector<v1::Disclosure> out;
  for (const domain::Disclosure& d : state.disclosures) {
    v1::Disclosure record;
    record.set_kind(v1::DISCLOSURE_KIND_PROVISION);
    *record.mutable_at() = domain::ToTimestamp(d.at);
    record.set_recipient_agency_id(d.shared.recipient_agency_id());
    if (!AddItemsAbout(state, subject_id, d.shared.items(), record)) continue;
    out.push_back(std::move(record));
  }
  for (const std::string& id : state.referral_order) {
    const domain::ReferralState* r = state.FindReferral(id);
    if (r == nullptr) continue;
    const v1::Referral& referral = r->referral;
    v1::Disclosure record;
    record.set_kind(v1::DISCLOSURE_KIND_REFERRAL);
    *record.mutable_at() = domain::ToTimestamp(r->made_at);
    record.set_recipient_agency_id(referral.to_agency_id());
    record.set_recipient_staff_id(referral.to_staff_id());
    record.set_basis(DescribeBasis(referral.basis()));
    record.set_ref_id(referral.referral_id());
    for (const v1::SentEntry& sent : referral.sent_entries()) {
      const v1::Entry* entry =
          VersionOf(state, sent.entry_id(), sent.entry_version());
      if (entry == nullptr || !Names(entry->subject_ids(), subject_id)) {
        continue;
      }
      record.add_entry_ids(sent.entry_id());
      AddCategories(*entry, record);
    }
    if (!Names(referral.subject_ids(), subject_id) &&
        record.entry_ids().empty()) {
      continue;
    }
    for (int c : referral.categories()) {
      if (std::find(record.categories().begin(), record.categories().end(),
                    c) == record.categories().end()) {
        record.add_categories(static_cast<v1::InformationCategory>(c));
      }
    }
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace

absl::StatusOr<v1::GetDisclosureRecordResponse> DisclosureRecord(
    const domain::CaseState& state, const std::string& subject_id,
    const std::vector<RecordedRead>& reads) {
  if (state.FindSubject(subject_id) == nullptr) {
    return domain::errors::SubjectNotFound(subject_id);
  }
  v1::GetDisclosureRecordResponse out;
  for (v1::Disclosure& d : Provided(state, subject_id)) {
    *out.add_disclosures() = std::move(d);
  }
  for (const domain::SubjectDisclosure& told : state.subject_disclosures) {
    v1::Disclosure record;
    record.set_kind(v1::DISCLOSURE_KIND_TO_HOUSEHOLD);
    *record.mutable_at() = domain::ToTimestamp(told.at);
    record.set_recipient_agency_id(told.actor.agency_id());
    record.set_recipient_subject_id(told.recorded.subject_id());
    record.set_ref_id(told.recorded.disclosure_id());
    if (!AddItemsAbout(state, subject_id, told.recorded.items(), record)) {
      continue;
    }
    *out.add_disclosures() = std::move(record);
  }
  for (const RecordedRead& read : reads) {
    // A read of one entry counts when the entry is about the subject; a
    // read of the case as a whole (summary, timeline) may have shown it.
    const std::string& ref = read.row.ref_id();
    if (!ref.empty()) {
      const domain::EntryState* entry = state.FindEntry(ref);
      if (entry != nullptr &&
          !Names(entry->current().subject_ids(), subject_id)) {
        continue;
      }
    }
    v1::Disclosure record;
    record.set_kind(v1::DISCLOSURE_KIND_READ);
    *record.mutable_at() = read.row.read_at();
    record.set_recipient_agency_id(read.row.agency_id());
    record.set_recipient_staff_id(read.row.staff_id());
    record.set_basis(absl::StrCat(read.row.query(), ": ", read.row.basis()));
    record.set_ref_id(ref);
    if (!ref.empty()) record.add_entry_ids(ref);
    *out.add_disclosures() = std::move(record);
  }
  std::stable_sort(out.mutable_disclosures()->begin(),
                   out.mutable_disclosures()->end(),
                   [](const v1::Disclosure& a, const v1::Disclosure& b) {
                     return domain::ToTime(a.at()) < domain::ToTime(b.at());
                   });
  return out;
}

absl::StatusOr<v1::ExportSubjectRecordResponse> ExportSubject(
    const domain::CaseState& state, const std::string& subject_id,
    const Reader& reader) {
  const v1::Subject* subject = state.FindSubject(subject_id);
  if (subject == nullptr) return domain::errors::SubjectNotFound(subject_id);
  v1::ExportSubjectRecordResponse out;
  out.set_case_id(state.case_id);
  *out.mutable_subject() = *subject;
  // What the reader may see, and of it what the subject may be told.
  const AccessDecision decision(state, reader);
  int withheld = 0;
  for (const std::string& id : state.entry_order) {
    const domain::EntryState* entry = state.FindEntry(id);
    if (entry == nullptr || entry->retracted() ||
        !Names(entry->current().subject_ids(), subject_id)) {
      continue;
    }
    v1::ExportedEntry* item = out.add_entries();
    item->set_entry_id(id);
    item->set_version(entry->version());
    *item->mutable_recorded_at() = domain::ToTimestamp(entry->versions[0].at);
    v1::Entry shown;
    if (const domain::EntryAccess seen = decision.ShowEntry(*entry, &shown);
        !seen.allowed()) {
      item->set_withheld(seen.decision.denial_reason() ==
                                 v1::SHARING_DENIAL_REASON_ERASED
                             ? v1::WITHHOLDING_REASON_ERASED
                             : v1::WITHHOLDING_REASON_NOT_FOR_READER);
      item->set_explanation(seen.decision.explanation());
      ++withheld;
      continue;
    }
    const v1::SharingDecision told =
        decision.ShowEntryToSubject(*entry, subject_id, &shown);
    if (!told.allowed()) {
      switch (told.denial_reason()) {
        case v1::SHARING_DENIAL_REASON_ERASED:
          item->set_withheld(v1::WITHHOLDING_REASON_ERASED);
          break;
        case v1::SHARING_DENIAL_REASON_NO_PERSON_CONSENT:
        case v1::SHARING_DENIAL_REASON_REFUSED_PERSON:
          item->set_withheld(v1::WITHHOLDING_REASON_THIRD_PARTY);
          break;
        default:
          item->set_withheld(v1::WITHHOLDING_REASON_WITHHELD_FROM_SUBJECT);
          break;
      }
      item->set_explanation(told.explanation());
      ++withheld;
      continue;
    }
    if (shown.has_assessment() || shown.has_risk_ranking()) {
      item->set_withheld(v1::WITHHOLDING_REASON_STAFF_ASSESSMENT);
      item->set_explanation(
          "a staff assessment: the service's own judgement, which may be "
          "withheld from the person assessed");
      ++withheld;
      continue;
    }
    if (shown.has_information_received()) {
      shown.mutable_information_received()->clear_source_agency_id();
      shown.mutable_information_received()->clear_source_staff_id();
      item->set_source_withheld(true);
    }
    *item->mutable_entry() = std::move(shown);
  }
  for (const std::string& id : state.consent_order) {
    const domain::ConsentState* consent = state.FindConsent(id);
    if (consent != nullptr && consent->terms.subject_id() == subject_id) {
      *out.add_consents() = consent->terms;  // their own words
    }
  }
  for (v1::Disclosure& d : Provided(state, subject_id)) {
    *out.add_provided() = std::move(d);
  }
  out.set_withheld_count(withheld);
  return out;
}

}  // namespace renkei::app

// The acceptance story (domain.md, seed 000) as the demo plays it; the same
// commands as the domain's acceptance story test, in protobuf JSON.
#include "clients/cli/demo_story.h"

namespace renkei::cli {

const std::vector<DemoAgency>& DemoAgencies() {
  static const auto* agencies = new std::vector<DemoAgency>{
      {"city-pa", "生活福祉課", "AGENCY_KIND_MUNICIPAL_DIVISION",
       "AGENCY_SCOPE_INTERNAL"},
      {"city-mh", "障害福祉課 精神保健係", "AGENCY_KIND_MUNICIPAL_DIVISION",
       "AGENCY_SCOPE_INTERNAL"},
      {"city-cfs", "子ども家庭支援課", "AGENCY_KIND_MUNICIPAL_DIVISION",
       "AGENCY_SCOPE_INTERNAL"},
      {"nursery", "ひまわり保育園", "AGENCY_KIND_NURSERY",
       "AGENCY_SCOPE_EXTERNAL"},
      {"jhs", "第一中学校", "AGENCY_KIND_SCHOOL", "AGENCY_SCOPE_EXTERNAL"},
      {"health-centre", "保健所", "AGENCY_KIND_PUBLIC_HEALTH_CENTRE",
       "AGENCY_SCOPE_EXTERNAL"},
      {"cgc", "児童相談所", "AGENCY_KIND_CHILD_GUIDANCE_CENTRE",
       "AGENCY_SCOPE_EXTERNAL"},
      {"clinic", "精神科クリニック", "AGENCY_KIND_MEDICAL",
       "AGENCY_SCOPE_EXTERNAL"},
      {"home-nursing", "訪問看護ステーション", "AGENCY_KIND_HOME_NURSING",
       "AGENCY_SCOPE_EXTERNAL"},
      {"cso", "相談支援事業所", "AGENCY_KIND_CONSULTATION_SUPPORT_OFFICE",
       "AGENCY_SCOPE_EXTERNAL"},
      {"home-help", "ヘルパー事業所", "AGENCY_KIND_HOME_HELP_OFFICE",
       "AGENCY_SCOPE_EXTERNAL"},
      {"audit-office", "検証委員会事務局", "AGENCY_KIND_MUNICIPAL_DIVISION",
       "AGENCY_SCOPE_INTERNAL"},
  };
  return *agencies;
}

const std::vector<DemoStaff>& DemoStaffMembers() {
  static const auto* staff = new std::vector<DemoStaff>{
      {"cw", "生活保護CW", "PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER",
       "city-pa"},
      {"supervisor", "査察指導員", "PROFESSION_CASEWORKER_SUPERVISOR",
       "city-pa"},
      {"${counsellor}", "精神保健福祉相談員",
       "PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR", "city-mh"},
      {"support-worker", "子ども家庭支援員",
       "PROFESSION_CHILD_FAMILY_SUPPORT_WORKER", "city-cfs"},
      {"nursery-teacher", "保育士", "PROFESSION_NURSERY_TEACHER", "nursery"},
      {"teacher", "担任", "PROFESSION_TEACHER", "jhs"},
      {"hc-nurse", "保健師", "PROFESSION_PUBLIC_HEALTH_NURSE", "health-centre"},
      {"hc-psychiatrist", "精神科医 (保健所)", "PROFESSION_PHYSICIAN",
       "health-centre"},
      {"cgc-worker", "児童福祉司", "PROFESSION_SOCIAL_WORKER", "cgc"},
      {"clinic-doctor", "主治医", "PROFESSION_PHYSICIAN", "clinic"},
      {"nurse", "訪問看護師", "PROFESSION_NURSE", "home-nursing"},
      {"cso-specialist", "相談支援専門員",
       "PROFESSION_CONSULTATION_SUPPORT_SPECIALIST", "cso"},
      {"helper", "ヘルパー", "PROFESSION_HOME_HELPER", "home-help"},
      {"auditor", "検証委員", "PROFESSION_AUDITOR", "audit-office"},
  };
  return *staff;
}

const std::vector<const char*>& DemoStepTitles() {
  static const auto* titles = new std::vector<const char*>{
      "The nursery notices lateness, dirty clothes and alcohol on the "
      "mother's breath and informs the public-assistance caseworker",
      "The caseworker consults the mental-health welfare counsellor (inside "
      "a 支援会議, since consent is missing)",
      "The counsellor assesses: illness, urgency, case-ness, quick response; "
      "suicidal ideation unknown; emergency trigger",
      "Information gathering: the school, the health centre, the child "
      "guidance centre",
      "Joint visit by the counsellor and the child & family support worker; "
      "the mother refuses (私は大丈夫です)",
      "Consulting again; the daughter is interviewed at school and asks that "
      "it be kept from her mother",
      "Joint visit by the caseworker and the counsellor; the mother agrees to "
      "the health centre's consultation",
      "The psychiatrist recommends treatment; with her consent the clinic is "
      "informed beforehand",
      "Clinic and counsellor coordinate; a consultation-support office and "
      "home help start",
      "The counsellor asks the 要対協 coordinating body; an individual case "
      "conference shares information, splits roles and names stage leads",
      "Two years later the counsellor moves post and hands over to her "
      "successor",
  };
  return *titles;
}

const std::vector<DemoStep>& DemoCaseSteps() {
  static const auto* steps = new std::vector<DemoStep>{
      // 1. The nursery informs the caseworker, who opens the case.
      {1, "cw", 0, 0, "CaseService.OpenCase", R"json({
        "kind": "CASE_KIND_HOUSEHOLD",
        "title": "母子世帯 (alcohol)",
        "intake": {
          "noticed_by_agency_id": "nursery",
          "observation": "lateness, dirty clothes, alcohol on the mother's breath",
          "relays": [
            {"agency_id": "nursery", "staff_id": "nursery-teacher"},
            {"agency_id": "city-pa", "staff_id": "cw",
             "note": "consults the counsellor"},
            {"agency_id": "city-mh", "staff_id": "${counsellor}"}
          ]
        },
        "frameworks": ["FRAMEWORK_SHIEN_KAIGI", "FRAMEWORK_MENTAL_HEALTH"],
        "registration": "REGISTRATION_NONE"
      })json"},
      {1, "cw", 0, 0, "CaseService.AddSubject", R"json({"subject": {
        "subject_id": "mother", "display_name": "母 (30代)",
        "relationship": "RELATIONSHIP_HEAD_OF_HOUSEHOLD",
        "description": "divorced 3 years ago, on public assistance"}})json"},
      {1, "cw", 0, 0, "CaseService.AddSubject", R"json({"subject": {
        "subject_id": "daughter", "display_name": "長女",
        "relationship": "RELATIONSHIP_CHILD",
        "description": "junior-high school",
        "guardian_subject_ids": ["mother"]}})json"},
      {1, "cw", 0, 0, "CaseService.AddSubject", R"json({"subject": {
        "subject_id": "son", "display_name": "長男",
        "relationship": "RELATIONSHIP_CHILD", "description": "nursery",
        "guardian_subject_ids": ["mother"]}})json"},
      {1, "cw", 0, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e1-nursery",
        "subject_ids": ["mother", "son"],
        "categories": ["INFORMATION_CATEGORY_HEALTH",
                       "INFORMATION_CATEGORY_CHILD_REARING"],
        "information_received": {
          "source_agency_id": "nursery",
          "source_staff_id": "nursery-teacher",
          "content": "lateness, dirty clothes, alcohol on the mother's breath"
        }}})json"},

      // 2. The caseworker consults the counsellor inside a 支援会議.
      {2, "cw", 1, 0, "ConsentService.RegisterStatutoryForum",
       R"json({"forum": {
        "forum_id": "f-shien", "kind": "FORUM_KIND_SHIEN_KAIGI",
        "name": "支援会議 (母子世帯)",
        "member_agency_ids": ["city-pa", "city-mh", "city-cfs", "nursery",
                              "jhs", "health-centre", "cgc"]}})json"},
      {2, "cw", 1, 0, "ReferralService.MakeReferral", R"json({
        "referral_id": "r-consult",
        "to_agency_id": "city-mh", "to_staff_id": "${counsellor}",
        "subject_ids": ["mother", "son"],
        "reason": "alcohol and neglect signs; how to approach the mother?",
        "urgency": "REFERRAL_URGENCY_PROMPT",
        "response_deadline": "2024-04-04T09:00:00Z",
        "purpose": "SHARING_PURPOSE_SUPPORT_COORDINATION",
        "categories": ["INFORMATION_CATEGORY_HEALTH",
                       "INFORMATION_CATEGORY_CHILD_REARING"],
        "entry_ids": ["e1-nursery"],
        "forum_id": "f-shien"})json"},
      {2, "${counsellor}", 1, 2, "ReferralService.AcceptReferral",
       R"json({"referral_id": "r-consult",
               "assigned_staff_id": "${counsellor}"})json"},
      {2, "cw", 1, 3, "CaseService.AddTeamAgency",
       R"json({"agency_id": "city-mh",
               "reason": "counsellor accepted the consultation"})json"},

      // 3. The counsellor assesses.
      {3, "${counsellor}", 2, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e3-assessment",
        "subject_ids": ["mother"],
        "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH"],
        "assessment": {
          "illness": "ASSESSMENT_RATING_HIGH",
          "urgency": "ASSESSMENT_RATING_MEDIUM",
          "case_ness": "ASSESSMENT_RATING_HIGH",
          "quick_response": "ASSESSMENT_RATING_MEDIUM",
          "bio_notes": "drinking; possible depression",
          "psycho_notes": "says she is fine; low mood",
          "social_notes": "single mother of two, weak ties to her parents",
          "suicidal_ideation": "SUICIDAL_IDEATION_UNKNOWN",
          "emergency_triggers": [{
            "condition": "a child absent from school or nursery without notice",
            "response": "consider an emergency home visit"}]
        }}})json"},
      {3, "${counsellor}", 2, 0, "ReferralService.GiveReferralFeedback",
       R"json({"referral_id": "r-consult",
        "feedback": "assessed: illness high, urgency medium; plan a joint visit"
       })json"},

      // 4. Information gathering.
      {4, "${counsellor}", 3, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e4-school",
        "subject_ids": ["daughter"],
        "categories": ["INFORMATION_CATEGORY_EDUCATION"],
        "origin_forum_id": "f-shien",
        "information_received": {
          "source_agency_id": "jhs", "source_staff_id": "teacher",
          "content": "often late and tired"}}})json"},
      {4, "${counsellor}", 3, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e4-hc",
        "subject_ids": ["mother"],
        "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH"],
        "contact": {
          "channel": "CONTACT_CHANNEL_PHONE",
          "counterpart_agency_ids": ["health-centre"],
          "summary": "how to assess the mother"}}})json"},
      {4, "${counsellor}", 3, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e4-cgc",
        "subject_ids": ["daughter", "son"],
        "categories": ["INFORMATION_CATEGORY_CHILD_REARING"],
        "contact": {
          "channel": "CONTACT_CHANNEL_PHONE",
          "counterpart_agency_ids": ["cgc"],
          "summary": "how to intervene for the children"}}})json"},

      // 5. Joint visit; the mother refuses.
      {5, "${counsellor}", 5, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "city-cfs",
               "reason": "children's side of the household"})json"},
      {5, "${counsellor}", 5, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e5-visit",
        "subject_ids": ["mother"],
        "categories": ["INFORMATION_CATEGORY_DAILY_LIFE"],
        "joint_visit": {
          "participants": [
            {"staff_id": "${counsellor}", "agency_id": "city-mh"},
            {"staff_id": "support-worker", "agency_id": "city-cfs"}],
          "visited_subject_ids": ["mother"],
          "summary": "the nursery suggested she talk to us; she refused"
        }}})json"},
      {5, "${counsellor}", 5, 0, "ConsentService.RefuseConsent",
       R"json({"terms": {
        "consent_id": "k5-refused",
        "subject_id": "mother", "decided_by_subject_id": "mother",
        "scope": {
          "agency_ids": ["city-mh", "city-cfs", "health-centre"],
          "purposes": ["SHARING_PURPOSE_SUPPORT_COORDINATION",
                       "SHARING_PURPOSE_HEALTH_CONSULTATION"],
          "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH",
                         "INFORMATION_CATEGORY_HEALTH"]},
        "form": "CONSENT_FORM_VERBAL",
        "statement": "私は大丈夫です"}})json"},

      // 6. Consulting again; the daughter's confidential statement.
      {6, "${counsellor}", 8, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e6-consult",
        "subject_ids": ["mother"],
        "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH"],
        "contact": {
          "channel": "CONTACT_CHANNEL_MEETING",
          "counterpart_agency_ids": ["health-centre", "cgc"],
          "summary": "consulted again on approaching the mother"}}})json"},
      {6, "${counsellor}", 9, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e6-statement",
        "subject_ids": ["mother", "daughter", "son"],
        "categories": ["INFORMATION_CATEGORY_CHILD_REARING",
                       "INFORMATION_CATEGORY_FAMILY_RELATIONS"],
        "confidentiality": {
          "withheld_from_subject_ids": ["mother"],
          "reason": "the daughter asked that this be kept from her mother"},
        "interview": {
          "interviewers": [
            {"staff_id": "${counsellor}", "agency_id": "city-mh"},
            {"staff_id": "support-worker", "agency_id": "city-cfs"}],
          "interviewee_subject_ids": ["daughter"],
          "location": "junior-high school",
          "summary": "the mother drinks from the morning; the children struggle"
        }}})json"},

      // 7. Joint visit by the caseworker and the counsellor; consent given.
      {7, "cw", 12, 0, "CaseService.RecordEntry", R"json({"entry": {
        "entry_id": "e7-visit",
        "subject_ids": ["mother"],
        "categories": ["INFORMATION_CATEGORY_DAILY_LIFE"],
        "joint_visit": {
          "participants": [
            {"staff_id": "cw", "agency_id": "city-pa"},
            {"staff_id": "${counsellor}", "agency_id": "city-mh"}],
          "visited_subject_ids": ["mother"],
          "summary": "'the nursery was worried'; she sees the burden on her children"
        }}})json"},
      {7, "${counsellor}", 12, 0, "ConsentService.GiveConsent",
       R"json({"terms": {
        "consent_id": "k7-hc",
        "subject_id": "mother", "decided_by_subject_id": "mother",
        "scope": {
          "agency_ids": ["health-centre", "city-mh"],
          "purposes": ["SHARING_PURPOSE_HEALTH_CONSULTATION"],
          "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH",
                         "INFORMATION_CATEGORY_HEALTH"]},
        "form": "CONSENT_FORM_VERBAL",
        "statement": "保健所の相談に行きます",
        "supersedes_consent_id": "k5-refused"}})json"},
      // The consent also grants the counsellor's own division access, so the
      // supervisor confirms it before it is in force.
      {7, "supervisor", 12, 0, "ConsentService.ConfirmConsent",
       R"json({"consent_id": "k7-hc",
               "note": "checked the record with the counsellor"})json"},
      {7, "${counsellor}", 12, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "health-centre",
               "reason": "mental-health consultation agreed"})json"},

      // 8. The psychiatrist's recommendation; the clinic informed.
      {8, "hc-psychiatrist", 15, 0, "CaseService.RecordEntry",
       R"json({"entry": {
        "entry_id": "e8-recommendation",
        "subject_ids": ["mother"],
        "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH"],
        "information_received": {
          "source_agency_id": "health-centre",
          "source_staff_id": "hc-psychiatrist",
          "content": "treatment for depression and alcohol recommended"}}})json"},
      {8, "${counsellor}", 15, 0, "ConsentService.GiveConsent",
       R"json({"terms": {
        "consent_id": "k8-clinic",
        "subject_id": "mother", "decided_by_subject_id": "mother",
        "scope": {
          "agency_ids": ["clinic"],
          "purposes": ["SHARING_PURPOSE_MEDICAL_CARE"],
          "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH",
                         "INFORMATION_CATEGORY_HEALTH"]},
        "form": "CONSENT_FORM_WRITTEN"}})json"},
      {8, "${counsellor}", 15, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "clinic",
               "reason": "psychiatric treatment"})json"},
      {8, "${counsellor}", 15, 0, "ReferralService.MakeReferral", R"json({
        "referral_id": "r-clinic",
        "to_agency_id": "clinic",
        "subject_ids": ["mother"],
        "reason": "depression and alcohol: treatment recommended by the health centre",
        "urgency": "REFERRAL_URGENCY_PROMPT",
        "response_deadline": "2024-04-18T09:00:00Z",
        "purpose": "SHARING_PURPOSE_MEDICAL_CARE",
        "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH"],
        "entry_ids": ["e3-assessment", "e8-recommendation"]})json"},
      {8, "clinic-doctor", 16, 0, "ReferralService.AcceptReferral",
       R"json({"referral_id": "r-clinic",
               "assigned_staff_id": "clinic-doctor"})json"},

      // 9. Coordination; consultation support and home help.
      {9, "clinic-doctor", 20, 0, "ReferralService.GiveReferralFeedback",
       R"json({"referral_id": "r-clinic",
        "feedback": "outpatient treatment started; outpatient medical-expense support and home-visit nursing applied for"
       })json"},
      {9, "${counsellor}", 21, 0, "ConsentService.GiveConsent",
       R"json({"terms": {
        "consent_id": "k9-services",
        "subject_id": "mother", "decided_by_subject_id": "mother",
        "scope": {
          "agency_ids": ["cso", "home-nursing", "home-help"],
          "purposes": ["SHARING_PURPOSE_WELFARE_SERVICES",
                       "SHARING_PURPOSE_MEDICAL_CARE"],
          "categories": ["INFORMATION_CATEGORY_MENTAL_HEALTH",
                         "INFORMATION_CATEGORY_HEALTH",
                         "INFORMATION_CATEGORY_DAILY_LIFE"]},
        "form": "CONSENT_FORM_WRITTEN"}})json"},
      {9, "${counsellor}", 21, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "cso",
               "reason": "consultation-support contract"})json"},
      {9, "${counsellor}", 21, 0, "ReferralService.MakeReferral", R"json({
        "referral_id": "r-cso",
        "to_agency_id": "cso",
        "subject_ids": ["mother"],
        "reason": "service-use planning: home help",
        "urgency": "REFERRAL_URGENCY_ROUTINE",
        "response_deadline": "2024-04-25T09:00:00Z",
        "purpose": "SHARING_PURPOSE_WELFARE_SERVICES",
        "categories": ["INFORMATION_CATEGORY_DAILY_LIFE",
                       "INFORMATION_CATEGORY_MENTAL_HEALTH"],
        "entry_ids": ["e7-visit"]})json"},
      {9, "cso-specialist", 22, 0, "ReferralService.AcceptReferral",
       R"json({"referral_id": "r-cso"})json"},
      {9, "cso-specialist", 28, 0, "ReferralService.GiveReferralFeedback",
       R"json({"referral_id": "r-cso",
        "feedback": "service-use plan agreed; home help starts next week"
       })json"},
  };
  return *steps;
}

namespace {

constexpr char kAttendance[] = R"json({"attendance": [
  {"staff_id": "${counsellor}", "agency_id": "city-mh",
   "acknowledged_confidentiality": true},
  {"staff_id": "cw", "agency_id": "city-pa",
   "acknowledged_confidentiality": true},
  {"staff_id": "support-worker", "agency_id": "city-cfs",
   "acknowledged_confidentiality": true},
  {"staff_id": "nursery-teacher", "agency_id": "nursery",
   "acknowledged_confidentiality": true},
  {"staff_id": "teacher", "agency_id": "jhs",
   "acknowledged_confidentiality": true},
  {"staff_id": "hc-nurse", "agency_id": "health-centre",
   "acknowledged_confidentiality": true},
  {"staff_id": "cgc-worker", "agency_id": "cgc",
   "acknowledged_confidentiality": true},
  {"staff_id": "clinic-doctor", "agency_id": "clinic",
   "acknowledged_confidentiality": true},
  {"staff_id": "cso-specialist", "agency_id": "cso",
   "acknowledged_confidentiality": true},
  {"staff_id": "nurse", "agency_id": "home-nursing",
   "acknowledged_confidentiality": true},
  {"staff_id": "helper", "agency_id": "home-help",
   "acknowledged_confidentiality": true}]})json";

constexpr char kConference[] = "conference_id=k-yotaikyo-${run}";
constexpr char kReview2024[] = "conference_id=p-2024-${run}";
constexpr char kReview2026[] = "conference_id=p-2026-${run}";
constexpr char kHandover[] = "handover_id=h-2026-${run}";

constexpr char kPractitionersHeld[] = R"json({"attendance": [
  {"staff_id": "support-worker", "agency_id": "city-cfs",
   "acknowledged_confidentiality": true},
  {"staff_id": "${counsellor}", "agency_id": "city-mh",
   "acknowledged_confidentiality": true},
  {"staff_id": "cgc-worker", "agency_id": "cgc",
   "acknowledged_confidentiality": true}]})json";

constexpr char kCaseReview[] = R"json({
  "case_id": "${case}",
  "status": "the mother is in treatment; the children attend",
  "lead_agency_id": "city-mh",
  "support_policy": "continue the plan; next review in 90 days"})json";

}  // namespace

const std::vector<DemoStep>& DemoConferenceSteps() {
  static const auto* steps = new std::vector<DemoStep>{
      {10, "${counsellor}", 30, 0, "CaseService.ChangeCaseFrameworks",
       R"json({"frameworks": ["FRAMEWORK_SHIEN_KAIGI",
                "FRAMEWORK_MENTAL_HEALTH", "FRAMEWORK_YOTAIKYO"],
               "reason": "the children need protection-level coordination"
              })json"},
      {10, "${counsellor}", 30, 0, "ConsentService.RegisterStatutoryForum",
       R"json({"forum": {
        "forum_id": "f-yotaikyo", "kind": "FORUM_KIND_YOTAIKYO",
        "name": "要保護児童対策地域協議会",
        "member_agency_ids": ["city-pa", "city-mh", "city-cfs", "nursery",
          "jhs", "health-centre", "cgc", "clinic", "cso", "home-nursing",
          "home-help"]}})json"},
      {10, "${counsellor}", 30, 0, "ReferralService.MakeReferral", R"json({
        "referral_id": "r-yotaikyo",
        "to_agency_id": "city-cfs", "to_staff_id": "support-worker",
        "subject_ids": ["mother", "daughter", "son"],
        "reason": "please take the household up in 要対協",
        "urgency": "REFERRAL_URGENCY_PROMPT",
        "response_deadline": "2024-05-04T09:00:00Z",
        "purpose": "SHARING_PURPOSE_CHILD_PROTECTION",
        "categories": ["INFORMATION_CATEGORY_CHILD_REARING",
                       "INFORMATION_CATEGORY_MENTAL_HEALTH"],
        "forum_id": "f-yotaikyo"})json"},
      {10, "support-worker", 31, 0, "ReferralService.AcceptReferral",
       R"json({"referral_id": "r-yotaikyo",
               "assigned_staff_id": "support-worker"})json"},
      {10, "support-worker", 31, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "nursery",
               "reason": "要対協 member for this household"})json"},
      {10, "support-worker", 31, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "jhs",
               "reason": "要対協 member for this household"})json"},
      {10, "support-worker", 31, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "cgc",
               "reason": "要対協 member for this household"})json"},
      {10, "support-worker", 31, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "home-nursing",
               "reason": "要対協 member for this household"})json"},
      {10, "support-worker", 31, 0, "CaseService.AddTeamAgency",
       R"json({"agency_id": "home-help",
               "reason": "要対協 member for this household"})json"},
      {10, "support-worker", 31, 0, "CaseService.ChangeCaseRegistration",
       R"json({"registration": "REGISTRATION_SUPPORT_NEEDED",
        "reason": "registered with 要対協 as a support case (要支援)"})json"},
      {10, "${counsellor}", 31, 0, "ScheduleConference", R"json({
        "type": "CONFERENCE_TYPE_INDIVIDUAL_CASE",
        "basis": "CONFERENCE_BASIS_YOTAIKYO",
        "title": "個別ケース検討会議 (母子世帯)",
        "coordinating_agency_id": "city-cfs",
        "scheduled_for": "2024-05-06T09:00:00Z",
        "invitees": [{"agency_id": "city-pa"}, {"agency_id": "city-cfs"},
          {"agency_id": "nursery"}, {"agency_id": "jhs"},
          {"agency_id": "health-centre"}, {"agency_id": "cgc"},
          {"agency_id": "clinic"}, {"agency_id": "cso"},
          {"agency_id": "home-nursing"}, {"agency_id": "home-help"}],
        "agenda_case_ids": ["${case}"],
        "agenda_items": [
          {"item_id": "i-share", "title": "share what each agency knows",
           "case_id": "${case}"},
          {"item_id": "i-roles", "title": "role split and leads",
           "case_id": "${case}"}]})json",
       kConference},
      {10, "support-worker", 35, 0, "HoldConference", kAttendance, kConference},
      {10, "${counsellor}", 35, 0, "ConsentService.ShareInformation", R"json({
        "recipient_agency_id": "cgc",
        "purpose": "SHARING_PURPOSE_CHILD_PROTECTION",
        "entry_ids": ["e3-assessment", "e6-statement"],
        "forum_id": "f-yotaikyo"})json"},
      {10, "support-worker", 35, 0, "RecordMinutes", R"json({"text":
        "each agency reported; the daughter carries the household; the mother is in treatment"
       })json",
       kConference},
      {10, "support-worker", 35, 0, "AgreeRoleSplit", R"json({"roles": [
        {"agency_id": "city-mh",
         "responsibility": "coordinate the mother's treatment",
         "case_id": "${case}"},
        {"agency_id": "clinic", "responsibility": "outpatient treatment",
         "case_id": "${case}"},
        {"agency_id": "home-nursing",
         "responsibility": "psychiatric home nursing", "case_id": "${case}"},
        {"agency_id": "city-cfs",
         "responsibility": "the children's support; coordinating body",
         "case_id": "${case}"},
        {"agency_id": "nursery",
         "responsibility": "watch the son; report absences",
         "case_id": "${case}"},
        {"agency_id": "jhs",
         "responsibility": "watch the daughter; report absences",
         "case_id": "${case}"},
        {"agency_id": "cgc", "responsibility": "advise on protection",
         "case_id": "${case}"},
        {"agency_id": "city-pa", "responsibility": "public assistance",
         "case_id": "${case}"},
        {"agency_id": "cso", "responsibility": "service-use plan",
         "case_id": "${case}"},
        {"agency_id": "home-help", "responsibility": "home help",
         "case_id": "${case}"}]})json",
       kConference},
      {10, "${counsellor}", 35, 0, "RecordConferenceDecision",
       R"json({"decision": {
        "decision_id": "d-plan", "kind": "DECISION_KIND_PLAN_REVISION",
        "case_id": "${case}", "text": "adopt one shared support plan"}})json",
       kConference},
      {10, "${counsellor}", 35, 0, "RecordConferenceDecision",
       R"json({"decision": {
        "decision_id": "d-lead-treatment",
        "kind": "DECISION_KIND_LEAD_ASSIGNMENT",
        "case_id": "${case}", "stage_id": "s-treatment",
        "text": "the counsellor leads the mother's treatment stage",
        "lead": {"agency_id": "city-mh",
                 "key_person_staff_id": "${counsellor}"}}})json",
       kConference},
      {10, "${counsellor}", 35, 0, "RecordConferenceDecision",
       R"json({"decision": {
        "decision_id": "d-lead-livelihood",
        "kind": "DECISION_KIND_LEAD_ASSIGNMENT",
        "case_id": "${case}", "stage_id": "s-livelihood",
        "text": "the caseworker leads livelihood and services",
        "lead": {"agency_id": "city-pa", "key_person_staff_id": "cw"}}})json",
       kConference},
      {10, "support-worker", 35, 0, "RecordConferenceDecision",
       R"json({"decision": {
        "decision_id": "d-lead-children",
        "kind": "DECISION_KIND_LEAD_DESIGNATION",
        "case_id": "${case}", "stage_id": "s-children",
        "text": "school and nursery could not agree; the coordinating body names the children's centre",
        "lead": {"agency_id": "city-cfs",
                 "key_person_staff_id": "support-worker"}}})json",
       kConference},
      {10, "support-worker", 35, 0, "AssignActionItem", R"json({"item": {
        "action_item_id": "a-clinic-plan", "case_id": "${case}",
        "description": "confirm the clinic's treatment plan",
        "assignee_staff_id": "${counsellor}", "assignee_agency_id": "city-mh",
        "due": "2024-05-20T09:00:00Z"}})json",
       kConference},
      {10, "support-worker", 35, 0, "AssignActionItem", R"json({"item": {
        "action_item_id": "a-absences", "case_id": "${case}",
        "description": "report an absence without notice the same morning",
        "assignee_staff_id": "teacher", "assignee_agency_id": "jhs",
        "due": "2024-06-05T09:00:00Z"}})json",
       kConference},
      {10, "${counsellor}", 36, 0, "ReviseSupportPlan", R"json({
        "plan": {
          "goals": [
            {"goal_id": "g-treatment", "horizon": "GOAL_HORIZON_SHORT",
             "description": "outpatient treatment for depression and alcohol continues",
             "subject_ids": ["mother"]},
            {"goal_id": "g-routine", "horizon": "GOAL_HORIZON_MID",
             "description": "the children get to school and nursery on time, fed and clean",
             "subject_ids": ["daughter", "son"]},
            {"goal_id": "g-young-carer", "horizon": "GOAL_HORIZON_MID",
             "description": "the daughter is relieved of caring (young-carer group)",
             "subject_ids": ["daughter"]},
            {"goal_id": "g-stable", "horizon": "GOAL_HORIZON_LONG",
             "description": "a sober, stable household living on its own means"}],
          "stages": [
            {"stage_id": "s-treatment",
             "title": "the mother's treatment and recovery",
             "goal_ids": ["g-treatment", "g-stable"]},
            {"stage_id": "s-children",
             "title": "the children's daily life and school",
             "goal_ids": ["g-routine", "g-young-carer"]},
            {"stage_id": "s-livelihood", "title": "livelihood and services",
             "goal_ids": ["g-stable"]}],
          "roles": [
            {"agency_id": "city-mh", "responsibility": "coordinate treatment",
             "stage_id": "s-treatment"},
            {"agency_id": "clinic", "responsibility": "outpatient treatment",
             "stage_id": "s-treatment"},
            {"agency_id": "home-nursing", "responsibility": "home nursing",
             "stage_id": "s-treatment"},
            {"agency_id": "city-cfs", "responsibility": "the children's support",
             "stage_id": "s-children"},
            {"agency_id": "nursery", "responsibility": "watch the son",
             "stage_id": "s-children"},
            {"agency_id": "jhs", "responsibility": "watch the daughter",
             "stage_id": "s-children"},
            {"agency_id": "city-pa", "responsibility": "public assistance",
             "stage_id": "s-livelihood"},
            {"agency_id": "cso", "responsibility": "service-use plan",
             "stage_id": "s-livelihood"},
            {"agency_id": "home-help", "responsibility": "home help",
             "stage_id": "s-livelihood"}],
          "summary": "treatment first; the children's routine; then livelihood"},
        "decision": {"conference_id": "k-yotaikyo-${run}",
                     "decision_id": "d-plan"},
        "reason": "adopted at the 要対協 individual case conference"})json"},
      {10, "${counsellor}", 36, 0, "AssignStageLead", R"json({
        "stage_id": "s-treatment",
        "lead": {"agency_id": "city-mh",
                 "key_person_staff_id": "${counsellor}"},
        "effective_from": "2024-05-06T09:00:00Z",
        "reason": "agreed at the 要対協 individual case conference",
        "decision": {"conference_id": "k-yotaikyo-${run}",
                     "decision_id": "d-lead-treatment"}})json"},
      {10, "${counsellor}", 36, 0, "AssignStageLead", R"json({
        "stage_id": "s-livelihood",
        "lead": {"agency_id": "city-pa", "key_person_staff_id": "cw"},
        "effective_from": "2024-05-06T09:00:00Z",
        "reason": "agreed at the 要対協 individual case conference",
        "decision": {"conference_id": "k-yotaikyo-${run}",
                     "decision_id": "d-lead-livelihood"}})json"},
      {10, "support-worker", 36, 0, "AssignStageLead", R"json({
        "stage_id": "s-children",
        "lead": {"agency_id": "city-cfs",
                 "key_person_staff_id": "support-worker"},
        "effective_from": "2024-05-06T09:00:00Z",
        "reason": "designated by the coordinating body",
        "decision": {"conference_id": "k-yotaikyo-${run}",
                     "decision_id": "d-lead-children"}})json"},
      {10, "${counsellor}", 48, 0, "CompleteActionItem",
       R"json({"action_item_id": "a-clinic-plan",
               "note": "weekly outpatient visits"})json",
       kConference},
      // 進行管理: the practitioners' meetings review the registered case.
      {10, "support-worker", 90, 0, "ScheduleConference", R"json({
        "type": "CONFERENCE_TYPE_PRACTITIONERS",
        "basis": "CONFERENCE_BASIS_YOTAIKYO",
        "title": "実務者会議 (進行管理)",
        "coordinating_agency_id": "city-cfs",
        "scheduled_for": "2024-07-10T09:00:00Z",
        "invitees": [{"agency_id": "city-mh"}, {"agency_id": "cgc"}],
        "agenda_case_ids": ["${case}"]})json",
       kReview2024},
      {10, "support-worker", 100, 0, "HoldConference", kPractitionersHeld,
       kReview2024},
      {10, "support-worker", 100, 0, "RecordCaseReview", kCaseReview,
       kReview2024},
      {10, "support-worker", 690, 0, "ScheduleConference", R"json({
        "type": "CONFERENCE_TYPE_PRACTITIONERS",
        "basis": "CONFERENCE_BASIS_YOTAIKYO",
        "title": "実務者会議 (進行管理)",
        "coordinating_agency_id": "city-cfs",
        "scheduled_for": "2026-03-02T09:00:00Z",
        "invitees": [{"agency_id": "city-mh"}, {"agency_id": "cgc"}],
        "agenda_case_ids": ["${case}"]})json",
       kReview2026},
      {10, "support-worker", 700, 0, "HoldConference", kPractitionersHeld,
       kReview2026},
      {10, "support-worker", 700, 0, "RecordCaseReview", kCaseReview,
       kReview2026},
      {10, "support-worker", 700, 0, "AssignActionItem", R"json({"item": {
        "action_item_id": "a-report", "case_id": "${case}",
        "description": "update the treatment stage after the clinic's report",
        "assignee_staff_id": "${counsellor}", "assignee_agency_id": "city-mh",
        "due": "2026-05-01T09:00:00Z"}})json",
       kReview2026},
  };
  return *steps;
}

const std::vector<DemoStep>& DemoRotationSteps() {
  static const auto* steps = new std::vector<DemoStep>{
      {11, "admin", 720, 0, "DirectoryService.RegisterStaffMember",
       R"json({"staff": {"staff_id": "${counsellor2}",
        "display_name": "精神保健福祉相談員 (後任)",
        "profession": "PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR",
        "agency_id": "city-mh"}})json",
       ""},
      {11, "${counsellor}", 725, 0, "StartHandover", R"json({
        "outgoing_staff_id": "${counsellor}",
        "successor_staff_id": "${counsellor2}",
        "reason": "HANDOVER_REASON_MOVING_POST",
        "note": "moves to the health centre"})json",
       kHandover},
      {11, "${counsellor2}", 728, 0, "AcknowledgeHandoverPacket",
       R"json({"note": "read"})json", kHandover},
      {11, "${counsellor}", 730, 0, "CompleteHandover", R"json({})json",
       kHandover},
      {11, "admin", 731, 0, "DirectoryService.RecordStaffDeparture",
       R"json({"staff_id": "${counsellor}", "reason": "moved post"})json", ""},
      {11, "${counsellor2}", 732, 0, "ReferralService.GiveReferralFeedback",
       R"json({"referral_id": "r-consult",
               "feedback": "the new counsellor has taken over"})json"},
  };
  return *steps;
}

}  // namespace renkei::cli

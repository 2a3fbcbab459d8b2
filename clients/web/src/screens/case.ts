// A case: household, team, consents and refusals, the timeline with its
// redaction markers, the support plan with its stage leads drawn over time,
// and forms for the common commands.
import { call, type Json } from "../api";
import { h, replace, table } from "../dom";
import { commandForm, iso, lines, list, localNow } from "../forms";
import { label, t, when } from "../i18n";
import { errorBox, section, timelineList } from "../render";
import { session, shortId } from "../session";

const categories = [
  "INFORMATION_CATEGORY_CHILD_REARING",
  "INFORMATION_CATEGORY_HEALTH",
  "INFORMATION_CATEGORY_MENTAL_HEALTH",
  "INFORMATION_CATEGORY_FAMILY_RELATIONS",
  "INFORMATION_CATEGORY_DAILY_LIFE",
  "INFORMATION_CATEGORY_EDUCATION",
  "INFORMATION_CATEGORY_FINANCES",
];
const purposes = [
  "SHARING_PURPOSE_SUPPORT_COORDINATION",
  "SHARING_PURPOSE_CHILD_PROTECTION",
  "SHARING_PURPOSE_HEALTH_CONSULTATION",
];

function options(caseId: string, key: string, occurred?: string): Json {
  const o: Json = { idempotencyKey: key };
  if (occurred) o.occurredAt = occurred;
  return { options: o, caseId };
}

function decisionRef(v: string | boolean | undefined): Json | undefined {
  const [conferenceId, decisionId] = String(v ?? "").split("/").map((x) => x.trim());
  return conferenceId && decisionId ? { conferenceId, decisionId } : undefined;
}

// Every page of the timeline (a withheld item is never cut off by paging).
async function wholeTimeline(caseId: string): Promise<Json> {
  const items: Json[] = [];
  let redactedCount = 0;
  let after = "0";
  for (let page = 0; page < 100; ++page) {
    // The server's largest page: each page is a read of the case recorded.
    const r = await call("CaseService", "GetCaseTimeline", { caseId, afterPosition: after, limit: 1000 });
    items.push(...(r.items ?? []));
    redactedCount += r.redactedCount ?? 0;
    if (!r.nextAfterPosition || r.nextAfterPosition === "0") return { items, redactedCount, truncated: false };
    after = r.nextAfterPosition;
  }
  return { items, redactedCount, truncated: true };
}

export async function caseScreen(caseId: string): Promise<HTMLElement> {
  const view = h("div", {});
  const root = h("div", { class: "case" }, view);
  let actions: HTMLElement | null = null;
  const refresh = async () => {
    const [summary, consents, timeline, plan, history] = await Promise.allSettled([
      call("CaseService", "GetCaseSummary", { caseId }),
      call("ConsentService", "ListConsents", { caseId }),
      wholeTimeline(caseId),
      call("PlanService", "GetSupportPlan", { caseId }),
      call("PlanService", "GetStageLeadHistory", { caseId }),
    ]);
    if (summary.status === "rejected") {
      replace(view, errorBox(summary.reason));
      actions?.remove();
      actions = null;
      return;
    }
    replace(
      view,
      summaryView(summary.value),
      consents.status === "fulfilled" ? consentsView(consents.value) : errorBox(consents.reason),
      timeline.status === "fulfilled"
        ? section(
            "timeline",
            t("timeline"),
            timeline.value.redactedCount ? h("p", { class: "note" }, `${timeline.value.redactedCount} ${t("redactedCount")}`) : null,
            timeline.value.truncated ? h("p", { class: "error", role: "alert" }, t("truncated")) : null,
            timelineList(timeline.value.items ?? [], t("timeline")),
          )
        : errorBox(timeline.reason),
      plan.status === "rejected"
        ? section("plan", t("plan"), errorBox(plan.reason))
        : planView(plan.value, history.status === "fulfilled" ? history.value : null),
      history.status === "rejected" ? errorBox(history.reason) : null,
    );
    // The forms are built once: a refresh after a command keeps their
    // results and keys.
    if (!actions) root.append((actions = formsView(caseId, refresh)));
  };
  await refresh();
  return root;
}

function summaryView(s: Json): HTMLElement {
  return section(
    "summary",
    `${t("case")}: ${s.title ?? s.caseId}`,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("fieldCaseId")),
      h("dd", {}, s.caseId),
      h("dt", {}, t("registration")),
      h("dd", {}, label(s.registration)),
      h("dt", {}, t("frameworks")),
      h("dd", {}, (s.frameworks ?? []).map(label).join("、")),
      h("dt", {}, t("lastActivity")),
      h("dd", {}, when(s.lastActivityAt)),
    ),
    table(
      t("household"),
      [t("staffId"), t("name"), t("relationship"), t("description")],
      (s.subjects ?? []).map((p: Json) => [p.subjectId, p.displayName ?? "", label(p.relationship), p.description ?? ""]),
    ),
    table(t("team"), [t("agency"), t("joined")], (s.team ?? []).map((m: Json) => [m.agencyId, when(m.joinedAt)])),
    table(
      t("stageLeadsNow"),
      [t("stage"), t("lead"), t("keyPerson")],
      (s.stageLeads ?? []).map((l: Json) => [l.stageTitle || l.stageId, l.leadAgencyId, l.keyPersonStaffId ?? ""]),
    ),
  );
}

function consentsView(c: Json): HTMLElement {
  const rows = (items: Json[]) =>
    (items ?? []).map((k: Json) => [
      k.consentId,
      k.terms?.subjectId ?? "",
      [(k.terms?.scope?.agencyIds ?? []).join(", "), (k.terms?.scope?.purposes ?? []).map(label).join(", ")].filter(Boolean).join(" / "),
      k.statementWithheld ? h("span", { class: "redacted" }, "🔒 ", t("withheld")) : (k.terms?.statement ?? ""),
      when(k.decidedAt),
      when(k.validUntil),
    ]);
  const head = [t("fieldConsentId"), t("subject"), t("scope"), t("statement"), t("decidedAt"), t("validUntil")];
  return section(
    "consents",
    t("consents"),
    table(t("inForce"), head, rows(c.inForce)),
    table(t("refusals"), head, rows(c.refusals)),
    table(t("awaiting"), head, rows(c.awaitingConfirmation)),
  );
}

// The stage leads over time: one row per stage, one bar per lead period.
export function leadChart(periods: Json[], stageTitles: Map<string, string>): HTMLElement {
  if (!periods.length) return h("p", { class: "empty" }, t("leadHistory"), ": —");
  const now = Date.now();
  const start = Math.min(...periods.map((p) => Date.parse(p.validFrom)));
  const end = Math.max(now, ...periods.map((p) => (p.validTo ? Date.parse(p.validTo) : now)));
  const stages = [...new Set(periods.map((p) => p.stageId as string))];
  const width = 720, labelW = 180, rowH = 44;
  const x = (ms: number) => labelW + ((ms - start) / Math.max(1, end - start)) * (width - labelW - 10);
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${stages.length * rowH + 24}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", t("leadHistory"));
  svg.classList.add("lead-chart");
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  stages.forEach((stage, i) => {
    const y = i * rowH + 4;
    el("text", { x: 4, y: y + 14, class: "stage" }, stageTitles.get(stage) ?? stage);
    periods
      .filter((p) => p.stageId === stage)
      .forEach((p, j) => {
        const x0 = x(Date.parse(p.validFrom));
        const x1 = x(p.validTo ? Date.parse(p.validTo) : now);
        el("rect", { x: x0, y, width: Math.max(2, x1 - x0), height: 16, rx: 3, class: `bar bar${j % 4}` });
        // The lead's name under its bar, in the text colour.
        el("text", { x: x0 + 2, y: y + 32, class: "bar-label" }, `${p.lead?.agencyId ?? ""} ${p.lead?.keyPersonStaffId ?? ""}`);
      });
  });
  el("text", { x: labelW, y: stages.length * rowH + 20, class: "axis" }, new Date(start).toLocaleDateString());
  el("text", { x: width - 90, y: stages.length * rowH + 20, class: "axis" }, new Date(end).toLocaleDateString());
  return h("figure", {}, svg as unknown as HTMLElement, h("figcaption", {}, t("leadHistory")));
}

function planView(plan: Json | null, history: Json | null): HTMLElement {
  const titles = new Map<string, string>((plan?.stages ?? []).map((s: Json) => [s.stageId, s.title ?? s.stageId]));
  const periods = history?.periods ?? [];
  return section(
    "plan",
    t("plan"),
    plan?.summary ? h("p", {}, plan.summary) : null,
    table(t("goals"), ["ID", t("description"), t("subject")], (plan?.goals ?? []).map((g: Json) => [g.goalId, g.description ?? "", (g.subjectIds ?? []).join(", ")])),
    table(t("stages"), ["ID", t("title"), t("goals")], (plan?.stages ?? []).map((s: Json) => [s.stageId, s.title ?? "", (s.goalIds ?? []).join(", ")])),
    table(t("roles"), [t("agency"), t("description"), t("stage")], (plan?.roles ?? []).map((r: Json) => [r.agencyId, r.responsibility ?? "", r.stageId ?? ""])),
    leadChart(periods, titles),
    table(
      t("leadHistory"),
      [t("stage"), t("lead"), t("keyPerson"), t("from"), t("to"), t("fact")],
      periods.map((p: Json) => [titles.get(p.stageId) ?? p.stageId, p.lead?.agencyId ?? "", p.lead?.keyPersonStaffId ?? "", when(p.validFrom), p.validTo ? when(p.validTo) : t("now"), [label(p.fact?.change), p.fact?.reason ?? "", p.fact?.handoverId ? `${t("handover")} ${p.fact.handoverId}` : ""].filter(Boolean).join(" — ")]),
    ),
  );
}

function formsView(caseId: string, refresh: () => Promise<void>): HTMLElement {
  const me = session.me!;
  const done = () => void refresh();
  return section(
    "actions",
    t("actions"),
    commandForm({
      id: "entry-form",
      title: "formEntry",
      fields: [
        { name: "entryId", label: "fieldEntryId", value: shortId("e"), matches: ["entry_id"] },
        { name: "kind", label: "fieldKind", kind: "select", options: ["contact", "interview"], value: "contact" },
        { name: "subjectIds", label: "fieldSubjects", matches: ["subject"] },
        { name: "category", label: "fieldCategory", kind: "select", options: categories, matches: ["categor"] },
        { name: "text", label: "fieldText", kind: "textarea", matches: ["summary"] },
        { name: "interviewee", label: "fieldInterviewee", matches: ["interviewee"] },
        { name: "withheldSubjects", label: "fieldWithheldSubjects", matches: ["withheld_from_subject"] },
        { name: "withheldAgencies", label: "fieldWithheldAgencies", matches: ["withheld_from_agency"] },
        { name: "withheldReason", label: "fieldWithheldReason", matches: ["confidentiality"] },
        { name: "occurredAt", label: "when", kind: "datetime", value: localNow(), matches: ["occurred"] },
      ],
      send: (v, key) => {
        const entry: Json = { entryId: v.entryId, subjectIds: list(v.subjectIds), categories: [v.category] };
        if (list(v.withheldSubjects).length || list(v.withheldAgencies).length) {
          entry.confidentiality = { withheldFromSubjectIds: list(v.withheldSubjects), withheldFromAgencyIds: list(v.withheldAgencies), reason: v.withheldReason };
        }
        if (v.kind === "interview") {
          entry.interview = { interviewers: [{ staffId: me.staffId, agencyId: me.agencyId }], intervieweeSubjectIds: list(v.interviewee), summary: v.text };
        } else {
          entry.contact = { channel: "CONTACT_CHANNEL_MEETING", counterpartSubjectIds: list(v.subjectIds), summary: v.text };
        }
        return call("CaseService", "RecordEntry", { ...options(caseId, key, iso(v.occurredAt)), command: { entry } });
      },
      done,
    }),
    commandForm({
      id: "consent-form",
      title: "formConsent",
      fields: [
        { name: "consentId", label: "fieldConsentId", value: shortId("k"), matches: ["consent_id"] },
        { name: "subjectId", label: "subject", matches: ["subject"] },
        { name: "refusal", label: "fieldRefusal", kind: "checkbox" },
        { name: "agencyIds", label: "fieldAgencies", matches: ["agenc"] },
        { name: "purpose", label: "fieldPurpose", kind: "select", options: purposes, matches: ["purpose"] },
        { name: "category", label: "fieldCategory", kind: "select", options: categories, matches: ["categor"] },
        { name: "form", label: "fieldForm", kind: "select", options: ["CONSENT_FORM_VERBAL", "CONSENT_FORM_WRITTEN"] },
        { name: "statement", label: "statement", kind: "textarea", matches: ["statement"] },
        { name: "supersedes", label: "fieldSupersedes", matches: ["supersede"] },
      ],
      send: (v, key) => {
        const terms: Json = {
          consentId: v.consentId,
          subjectId: v.subjectId,
          decidedBySubjectId: v.subjectId,
          scope: { agencyIds: list(v.agencyIds), purposes: [v.purpose], categories: [v.category] },
          form: v.form,
          statement: v.statement,
        };
        if (v.supersedes) terms.supersedesConsentId = v.supersedes;
        return call("ConsentService", v.refusal ? "RefuseConsent" : "GiveConsent", { ...options(caseId, key), command: { terms } });
      },
      done,
    }),
    commandForm({
      id: "referral-form",
      title: "formReferral",
      fields: [
        { name: "referralId", label: "fieldReferralId", value: shortId("r"), matches: ["referral_id"] },
        { name: "toAgencyId", label: "fieldToAgency", matches: ["to_agency", "recipient"] },
        { name: "toStaffId", label: "fieldToStaff", matches: ["to_staff"] },
        { name: "subjectIds", label: "fieldSubjects", matches: ["subject"] },
        { name: "reason", label: "reason", kind: "textarea", matches: ["reason"] },
        { name: "urgency", label: "fieldUrgency", kind: "select", options: ["REFERRAL_URGENCY_ROUTINE", "REFERRAL_URGENCY_PROMPT", "REFERRAL_URGENCY_URGENT"], value: "REFERRAL_URGENCY_PROMPT" },
        { name: "deadline", label: "fieldDeadline", kind: "datetime", value: localNow(7), matches: ["deadline"] },
        { name: "purpose", label: "fieldPurpose", kind: "select", options: purposes, matches: ["purpose"] },
        { name: "category", label: "fieldCategory", kind: "select", options: categories, matches: ["categor"] },
        { name: "entryIds", label: "fieldEntryIds", matches: ["entry"] },
        { name: "forumId", label: "fieldForum", matches: ["forum"] },
      ],
      send: (v, key) =>
        call("ReferralService", "MakeReferral", {
          ...options(caseId, key),
          command: {
            referralId: v.referralId,
            toAgencyId: v.toAgencyId,
            toStaffId: v.toStaffId || undefined,
            subjectIds: list(v.subjectIds),
            reason: v.reason,
            urgency: v.urgency,
            responseDeadline: iso(v.deadline),
            purpose: v.purpose,
            categories: [v.category],
            entryIds: list(v.entryIds),
            forumId: v.forumId || undefined,
          },
        }),
      done,
    }),
    commandForm({
      id: "schedule-form",
      title: "formSchedule",
      fields: [
        { name: "conferenceId", label: "fieldConferenceId", value: shortId("k"), matches: ["conference_id"] },
        { name: "type", label: "fieldType", kind: "select", options: ["CONFERENCE_TYPE_INDIVIDUAL_CASE", "CONFERENCE_TYPE_PRACTITIONERS"] },
        { name: "basis", label: "fieldBasis", kind: "select", options: ["CONFERENCE_BASIS_YOTAIKYO", "CONFERENCE_BASIS_SHIEN_KAIGI"], matches: ["basis"] },
        { name: "title", label: "title", matches: ["title"] },
        { name: "coordinating", label: "fieldCoordinating", matches: ["coordinating"] },
        { name: "scheduledFor", label: "scheduledFor", kind: "datetime", value: localNow(1), matches: ["scheduled"] },
        { name: "invitees", label: "fieldInvitees", matches: ["invite"] },
        { name: "agendaItems", label: "fieldAgendaItems", kind: "textarea", matches: ["agenda"] },
      ],
      send: (v, key) =>
        call("ConferenceService", "ScheduleConference", {
          options: { idempotencyKey: key },
          conferenceId: v.conferenceId,
          command: {
            type: v.type,
            basis: v.basis,
            title: v.title,
            coordinatingAgencyId: v.coordinating,
            scheduledFor: iso(v.scheduledFor),
            invitees: list(v.invitees).map((agencyId) => ({ agencyId })),
            agendaCaseIds: [caseId],
            agendaItems: lines(v.agendaItems).map((title, i) => ({ itemId: `i-${i + 1}`, title, caseId })),
          },
        }),
      done: (_reply, v) => {
        location.hash = `#/conference/${v.conferenceId}`;
      },
    }),
    commandForm({
      id: "plan-form",
      title: "formPlan",
      fields: [
        { name: "goals", label: "fieldGoals", kind: "textarea", matches: ["goal"] },
        { name: "stages", label: "fieldStages", kind: "textarea", matches: ["stage"] },
        { name: "roles", label: "fieldRoles", kind: "textarea", matches: ["role"] },
        { name: "summary", label: "fieldSummary", matches: ["summary"] },
        { name: "decision", label: "fieldDecisionRef", matches: ["decision"] },
        { name: "reason", label: "reason", matches: ["reason"] },
      ],
      send: (v, key) => {
        const goals = lines(v.goals).map((l) => {
          const [goalId, ...rest] = l.split(":");
          return { goalId: goalId.trim(), horizon: "GOAL_HORIZON_MID", description: rest.join(":").trim() };
        });
        const stages = lines(v.stages).map((l) => {
          const [stageId, title, goalIds] = l.split(":");
          return { stageId: stageId.trim(), title: (title ?? "").trim(), goalIds: list(goalIds) };
        });
        const roles = lines(v.roles).map((l) => {
          const [agencyId, responsibility, stageId] = l.split(":");
          return { agencyId: agencyId.trim(), responsibility: (responsibility ?? "").trim(), stageId: (stageId ?? "").trim() };
        });
        return call("PlanService", "ReviseSupportPlan", {
          ...options(caseId, key),
          command: { plan: { goals, stages, roles, summary: v.summary }, decision: decisionRef(v.decision), reason: v.reason },
        });
      },
      done,
    }),
    commandForm({
      id: "lead-form",
      title: "formStageLead",
      fields: [
        { name: "stageId", label: "fieldStageId", matches: ["stage"] },
        { name: "leadAgency", label: "fieldLeadAgency", matches: ["agency"] },
        { name: "leadStaff", label: "fieldLeadStaff", matches: ["key_person", "staff"] },
        { name: "effectiveFrom", label: "fieldEffectiveFrom", kind: "datetime", value: localNow(), matches: ["effective"] },
        { name: "decision", label: "fieldDecisionRef", matches: ["decision"] },
        { name: "reason", label: "reason", matches: ["reason"] },
      ],
      send: (v, key) =>
        call("PlanService", "AssignStageLead", {
          ...options(caseId, key),
          command: {
            stageId: v.stageId,
            lead: { agencyId: v.leadAgency, keyPersonStaffId: v.leadStaff },
            effectiveFrom: iso(v.effectiveFrom),
            reason: v.reason,
            decision: decisionRef(v.decision),
          },
        }),
      done,
    }),
    commandForm({
      id: "handover-form",
      title: "formStartHandover",
      fields: [
        { name: "handoverId", label: "fieldHandoverId", value: shortId("h"), matches: ["handover_id"] },
        { name: "outgoing", label: "fieldOutgoing", value: me.staffId, matches: ["outgoing"] },
        { name: "successor", label: "fieldSuccessor", matches: ["successor"] },
        { name: "reason", label: "reason", kind: "select", options: ["HANDOVER_REASON_MOVING_POST", "HANDOVER_REASON_LEAVING"] },
        { name: "note", label: "fieldNote", matches: ["note"] },
      ],
      send: (v, key) =>
        call("HandoverService", "StartHandover", {
          options: { idempotencyKey: key },
          handoverId: v.handoverId,
          command: { outgoingStaffId: v.outgoing, successorStaffId: v.successor, reason: v.reason, note: v.note },
        }),
      done: (_reply, v) => {
        location.hash = `#/handover/${v.handoverId}`;
      },
    }),
  );
}

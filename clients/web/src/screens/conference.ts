// A conference: agenda, attendance with the confidentiality
// acknowledgements, minutes, decisions, role split and action items; the
// anonymised view; and the forms of its meeting.
import { ApiError, call, type Json } from "../api";
import { h, replace, table } from "../dom";
import { commandForm, iso, lines, list, localNow } from "../forms";
import { label, t, when } from "../i18n";
import { actor, details, errorBox, section } from "../render";

export async function conferencesScreen(): Promise<HTMLElement> {
  const upcoming = await call("ConferenceService", "ListUpcomingConferences", {});
  const input = h("input", { id: "open-conference", type: "text", autocomplete: "off" });
  return h(
    "div",
    {},
    section(
      "upcoming",
      t("upcoming"),
      table(
        t("upcoming"),
        [t("conference"), t("fieldType"), t("title"), t("scheduledFor"), t("fieldCoordinating")],
        (upcoming.conferences ?? []).map((c: Json) => [
          h("a", { href: `#/conference/${encodeURIComponent(c.conferenceId)}` }, c.conferenceId),
          label(c.type),
          c.title ?? "",
          when(c.scheduledFor),
          c.coordinatingAgencyId ?? "",
        ]),
      ),
      h(
        "form",
        { class: "inline", onsubmit: (e: Event) => { e.preventDefault(); location.hash = `#/conference/${encodeURIComponent(input.value.trim())}`; } },
        h("label", { for: "open-conference" }, `${t("fieldConferenceId")} — ${t("openById")}`),
        input,
        h("button", { type: "submit" }, t("open")),
      ),
    ),
  );
}

function anonymisedView(a: Json): HTMLElement {
  return h(
    "div",
    {},
    table(t("anonymised"), [t("case"), t("registration")], (a.cases ?? []).map((c: Json) => [c.caseKey ?? "", label(c.registration)])),
    details(t("anonymised"), a),
  );
}

export async function conferenceScreen(conferenceId: string): Promise<HTMLElement> {
  const box = h("div", {});
  const root = h("div", {}, box);
  let actions: HTMLElement | null = null;
  let caseId = "";
  const target = (key: string) => ({ options: { idempotencyKey: key }, conferenceId });
  const refresh = async () => {
    let view: Json;
    try {
      view = await call("ConferenceService", "GetConference", { conferenceId });
    } catch (e) {
      // An anonymised conference has only its anonymised view.
      if (e instanceof ApiError && e.code === "FailedPrecondition") {
        try {
          const a = await call("ConferenceService", "GetAnonymisedConference", { conferenceId });
          replace(box, errorBox(e), section("anonymised-only", t("anonymised"), anonymisedView(a)));
          return;
        } catch (inner) {
          replace(box, errorBox(inner));
          return;
        }
      }
      replace(box, errorBox(e));
      return;
    }
    const s = view.schedule ?? {};
    caseId = (s.agendaCases ?? [])[0]?.caseId ?? "";
    const anonymised = h("div", { id: "anonymised" });
    replace(
      box,
      section(
        "conference",
        `${t("conference")}: ${s.title ?? conferenceId}`,
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, t("fieldType")),
          h("dd", {}, label(s.type), " / ", label(s.basis)),
          h("dt", {}, t("fieldCoordinating")),
          h("dd", {}, s.coordinatingAgencyId ?? ""),
          h("dt", {}, t("scheduledFor")),
          h("dd", {}, when(s.scheduledFor)),
          h("dt", {}, t("heldAt")),
          h("dd", {}, view.heldAt ? when(view.heldAt) : "—"),
          view.cancelledAt ? h("dt", {}, t("cancelled")) : null,
          view.cancelledAt ? h("dd", { class: "overdue" }, `${when(view.cancelledAt)} ${view.cancellationReason ?? ""}`) : null,
        ),
        table(t("agenda"), [t("case"), t("title")], [
          ...(s.agendaCases ?? []).map((a: Json) => [h("a", { href: `#/case/${encodeURIComponent(a.caseId)}` }, a.caseId), ""]),
          ...(s.agendaItems ?? []).map((i: Json) => [i.caseId ?? "", i.title ?? ""]),
        ]),
        table(
          t("attendance"),
          [t("staffId"), t("agency"), t("acknowledged")],
          (view.attendance ?? []).map((a: Json) => [a.staffId, a.agencyId, a.acknowledgedConfidentiality ? "✔" : "—"]),
        ),
        table(t("minutes"), [t("when"), t("who"), t("what")], (view.minutes ?? []).map((m: Json) => [when(m.recordedAt), actor(m.recordedBy), m.text ?? ""])),
        table(
          t("decisions"),
          ["ID", t("fieldKind"), t("what"), t("lead")],
          (view.decisions ?? []).map((d: Json) => [
            d.decision?.decisionId ?? "",
            label(d.decision?.kind),
            d.decision?.text ?? "",
            d.decision?.lead ? `${d.decision.stageId ?? ""}: ${d.decision.lead.agencyId} ${d.decision.lead.keyPersonStaffId ?? ""}` : "",
          ]),
        ),
        table(t("roles"), [t("agency"), t("description")], (view.roles ?? []).map((r: Json) => [r.agencyId, r.responsibility ?? ""])),
        table(
          t("actionItems"),
          ["ID", t("what"), t("fieldAssigneeStaff"), t("dueAt"), t("status")],
          (view.actionItems ?? []).map((a: Json) => [
            a.item?.actionItemId ?? "",
            a.item?.description ?? "",
            `${a.item?.assigneeStaffId ?? ""} @ ${a.item?.assigneeAgencyId ?? ""}`,
            when(a.item?.due),
            a.completedAt ? `✔ ${when(a.completedAt)}` : a.overdue ? t("overdue") : "",
          ]),
        ),
        h(
          "button",
          {
            type: "button",
            id: "show-anonymised",
            onclick: async () => {
              try {
                const a = await call("ConferenceService", "GetAnonymisedConference", { conferenceId });
                replace(anonymised, anonymisedView(a));
              } catch (e) {
                replace(anonymised, errorBox(e));
              }
            },
          },
          t("anonymised"),
        ),
        anonymised,
      ),
    );
    if (actions) return;
    actions = section(
        "conference-actions",
        t("actions"),
        commandForm({
          id: "hold-form",
          title: "formHold",
          fields: [
            { name: "attendees", label: "fieldAttendees", kind: "textarea", matches: ["attend"] },
            { name: "acknowledged", label: "fieldAllAcknowledged", kind: "checkbox", value: true, matches: ["confidentiality"] },
          ],
          send: (v, key) =>
            call("ConferenceService", "HoldConference", {
              ...target(key),
              command: {
                attendance: lines(v.attendees).map((l) => {
                  const [staffId, agencyId] = list(l);
                  return { staffId, agencyId, acknowledgedConfidentiality: Boolean(v.acknowledged) };
                }),
              },
            }),
          done: () => void refresh(),
        }),
        commandForm({
          id: "minutes-form",
          title: "formMinutes",
          fields: [{ name: "text", label: "minutes", kind: "textarea", matches: ["text", "minutes"] }],
          send: (v, key) => call("ConferenceService", "RecordMinutes", { ...target(key), command: { text: v.text } }),
          done: () => void refresh(),
        }),
        commandForm({
          id: "decision-form",
          title: "formDecision",
          fields: [
            { name: "decisionId", label: "fieldDecisionId", value: "d-1", matches: ["decision_id"] },
            {
              name: "kind",
              label: "fieldKind",
              kind: "select",
              options: ["DECISION_KIND_GENERAL", "DECISION_KIND_PLAN_REVISION", "DECISION_KIND_LEAD_ASSIGNMENT", "DECISION_KIND_LEAD_DESIGNATION"],
              matches: ["kind"],
            },
            { name: "caseId", label: "fieldCaseId", value: caseId },
            { name: "text", label: "fieldText", kind: "textarea", matches: ["text"] },
            { name: "stageId", label: "fieldStageId", matches: ["stage"] },
            { name: "leadAgency", label: "fieldLeadAgency", matches: ["lead"] },
            { name: "leadStaff", label: "fieldLeadStaff", matches: ["key_person"] },
          ],
          send: (v, key) => {
            const decision: Json = { decisionId: v.decisionId, kind: v.kind, caseId: v.caseId, text: v.text };
            if (v.stageId) decision.stageId = v.stageId;
            if (v.leadAgency) decision.lead = { agencyId: v.leadAgency, keyPersonStaffId: v.leadStaff };
            return call("ConferenceService", "RecordConferenceDecision", { ...target(key), command: { decision } });
          },
          done: () => void refresh(),
        }),
        commandForm({
          id: "roles-form",
          title: "formRoleSplit",
          fields: [
            { name: "caseId", label: "fieldCaseId", value: caseId },
            { name: "roles", label: "fieldRoles", kind: "textarea", matches: ["role", "agency"] },
          ],
          send: (v, key) =>
            call("ConferenceService", "AgreeRoleSplit", {
              ...target(key),
              command: {
                roles: lines(v.roles).map((l) => {
                  const [agencyId, ...rest] = l.split(":");
                  return { agencyId: agencyId.trim(), responsibility: rest.join(":").trim(), caseId: v.caseId };
                }),
              },
            }),
          done: () => void refresh(),
        }),
        commandForm({
          id: "action-form",
          title: "formActionItem",
          fields: [
            { name: "actionItemId", label: "fieldActionItemId", value: "a-1", matches: ["action_item_id"] },
            { name: "caseId", label: "fieldCaseId", value: caseId },
            { name: "description", label: "description", kind: "textarea", matches: ["description"] },
            { name: "assigneeStaff", label: "fieldAssigneeStaff", matches: ["assignee_staff"] },
            { name: "assigneeAgency", label: "fieldAssigneeAgency", matches: ["assignee_agency", "assignee"] },
            { name: "due", label: "fieldDue", kind: "datetime", value: localNow(14), matches: ["due"] },
          ],
          send: (v, key) =>
            call("ConferenceService", "AssignActionItem", {
              ...target(key),
              command: {
                item: { actionItemId: v.actionItemId, caseId: v.caseId || undefined, description: v.description, assigneeStaffId: v.assigneeStaff, assigneeAgencyId: v.assigneeAgency, due: iso(v.due) },
              },
            }),
          done: () => void refresh(),
        }),
    );
    root.append(actions);
  };
  await refresh();
  return root;
}

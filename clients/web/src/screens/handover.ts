// A handover: the successor's briefing packet, its acknowledgement and the
// completion that moves the outgoing staff member's stage leads.
import { call, type Json } from "../api";
import { h, replace, table } from "../dom";
import { commandForm } from "../forms";
import { label, t, when } from "../i18n";
import { errorBox, section } from "../render";

export async function handoverScreen(handoverId: string): Promise<HTMLElement> {
  const box = h("div", {});
  const root = h("div", {}, box);
  let actions: HTMLElement | null = null;
  const target = (key: string) => ({ options: { idempotencyKey: key }, handoverId });
  const refresh = async () => {
    let p: Json;
    try {
      p = await call("HandoverService", "GetHandoverPacket", { handoverId });
    } catch (e) {
      replace(box, errorBox(e));
      return;
    }
    replace(
      box,
      section(
        "packet",
        `${t("packet")} ${handoverId}`,
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, t("outgoingStaff")),
          h("dd", {}, p.outgoingStaffId ?? ""),
          h("dt", {}, t("successor")),
          h("dd", {}, p.successorStaffId ?? ""),
          h("dt", {}, t("agency")),
          h("dd", {}, p.agencyId ?? ""),
          h("dt", {}, t("asOf")),
          h("dd", {}, when(p.asOf)),
        ),
        (p.cases ?? []).map((c: Json) =>
          h(
            "article",
            { class: "packet-case" },
            h("h3", {}, h("a", { href: `#/case/${encodeURIComponent(c.caseId)}` }, c.caseId), " ", c.title ?? ""),
            h("p", {}, label(c.registration), " ", (c.frameworks ?? []).map(label).join("、")),
            table(t("stagesLed"), [t("stage"), t("title")], (c.stagesLed ?? []).map((s: Json) => [s.stageId ?? "", s.title ?? s.stageTitle ?? ""])),
            table(t("actionItems"), [t("what"), t("dueAt")], (c.actionItems ?? []).map((a: Json) => [a.description ?? a.item?.description ?? "", when(a.due ?? a.item?.due)])),
            table(t("consents"), ["ID", t("validUntil")], (c.consentsInForce ?? []).map((k: Json) => [k.consentId ?? "", when(k.validUntil)])),
            (c.confidentialWarnings ?? []).length
              ? h(
                  "ul",
                  { class: "warnings", "aria-label": t("withheld") },
                  (c.confidentialWarnings ?? []).map((w: Json) =>
                    h(
                      "li",
                      { class: "redacted" },
                      "🔒 ",
                      w.entryId ?? "",
                      ` — ${t("fieldWithheldSubjects")}: ${(w.withheldFromSubjectIds ?? []).join(", ") || "—"}`,
                      ` / ${t("fieldWithheldAgencies")}: ${(w.withheldFromAgencyIds ?? []).join(", ") || "—"}`,
                      w.reason ? ` — ${w.reason}` : "",
                    ),
                  ),
                )
              : null,
          ),
        ),
      ),
    );
    if (actions) return;
    actions = section(
        "handover-actions",
        t("actions"),
        commandForm({
          id: "ack-form",
          title: "formAcknowledge",
          fields: [{ name: "note", label: "fieldNote", matches: ["note"] }],
          send: (v, key) => call("HandoverService", "AcknowledgeHandoverPacket", { ...target(key), command: { note: v.note } }),
          done: () => void refresh(),
        }),
        commandForm({
          id: "complete-form",
          title: "formComplete",
          fields: [{ name: "note", label: "fieldNote", matches: ["note"] }],
          send: (v, key) => call("HandoverService", "CompleteHandover", { ...target(key), command: { note: v.note } }),
          done: () => void refresh(),
        }),
    );
    root.append(actions);
  };
  await refresh();
  return root;
}

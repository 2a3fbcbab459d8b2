// For auditors: a case replayed as of a recorded or an occurred date, the
// hash chain verified, and the audit log live (a server stream).
import { call, stream, type Json } from "../api";
import { h, replace, table } from "../dom";
import { iso, localNow } from "../forms";
import { label, t, when } from "../i18n";
import { actor, errorBox, section, shortType, timelineList } from "../render";

export function auditScreen(): HTMLElement {
  const out = h("div", { id: "replay-out" });
  const caseId = h("input", { id: "replay-case", autocomplete: "off", required: true });
  const asOf = h("input", { id: "replay-as-of", type: "datetime-local", step: 1, value: localNow() });
  const axis = h(
    "select",
    { id: "replay-axis" },
    ["TIME_AXIS_RECORDED", "TIME_AXIS_OCCURRED"].map((a) => h("option", { value: a }, label(a))),
  );
  const chain = h("div", { id: "chain-out", role: "status" });
  const live = h("ol", { id: "live-log", class: "live", "aria-live": "polite" });
  let controller: AbortController | null = null;
  const liveButton = h("button", { type: "button", id: "live-toggle" }, t("start"));
  liveButton.addEventListener("click", async () => {
    if (controller) {
      controller.abort();
      controller = null;
      liveButton.textContent = t("start");
      return;
    }
    controller = new AbortController();
    liveButton.textContent = t("stop");
    try {
      const head = await call("AuditService", "GetHead", {});
      const from = Math.max(1, Number(head.position ?? 0) - 19);
      await stream(
        "AuditService",
        "Subscribe",
        { fromPosition: String(from) },
        (e: Json) => {
          live.prepend(h("li", {}, `#${e.position} `, h("time", {}, when(e.recordedAt)), ` ${shortType(e.eventType)} ${e.streamId} ${actor(e.actor)}`));
          while (live.children.length > 50) live.lastElementChild?.remove();
        },
        controller.signal,
      );
    } catch (e) {
      live.prepend(h("li", {}, errorBox(e)));
    }
  });
  return h(
    "div",
    {},
    section(
      "replay",
      t("replay"),
      h(
        "form",
        {
          class: "inline",
          onsubmit: async (e: Event) => {
            e.preventDefault();
            try {
              const r = await call("AuditService", "ReplayCase", { caseId: caseId.value.trim(), asOf: iso(asOf.value), axis: axis.value });
              replace(
                out,
                h("p", {}, `${r.summary?.title ?? ""} — ${r.eventsApplied ?? 0} events, #${r.lastPosition ?? 0}`),
                table(t("stageLeadsNow"), [t("stage"), t("lead"), t("keyPerson")], (r.summary?.stageLeads ?? []).map((l: Json) => [l.stageTitle || l.stageId, l.leadAgencyId, l.keyPersonStaffId ?? ""])),
                timelineList(r.timeline ?? [], t("timeline")),
              );
            } catch (err) {
              replace(out, errorBox(err));
            }
          },
        },
        h("label", { for: "replay-case" }, t("fieldCaseId")),
        caseId,
        h("label", { for: "replay-as-of" }, t("asOf")),
        asOf,
        h("label", { for: "replay-axis" }, t("axis")),
        axis,
        h("button", { type: "submit" }, t("replay")),
      ),
      out,
    ),
    section(
      "chain",
      t("verifyChain"),
      h(
        "button",
        {
          type: "button",
          id: "verify-chain",
          onclick: async () => {
            try {
              const v = await call("AuditService", "VerifyChain", {});
              replace(
                chain,
                h("p", { class: v.ok ? "ok" : "error" }, v.ok ? `✔ ${t("chainOk")}` : `✘ ${t("chainBad")}`, ` #${v.checkedFrom ?? 0}–#${v.checkedTo ?? 0}`, v.reason ? ` ${v.reason}` : ""),
              );
            } catch (err) {
              replace(chain, errorBox(err));
            }
          },
        },
        t("verifyChain"),
      ),
      chain,
    ),
    section("live", t("liveLog"), liveButton, live),
  );
}

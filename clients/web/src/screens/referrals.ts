// Referrals: the inbox and outbox with deadlines and what is overdue, and
// one referral with its answer and feedback thread.
import { call, type Json } from "../api";
import { h, replace, table } from "../dom";
import { commandForm } from "../forms";
import { label, t, when } from "../i18n";
import { errorBox, section, entryText } from "../render";
import { session } from "../session";

function link(r: Json): HTMLElement {
  return h("a", { href: `#/referral/${encodeURIComponent(r.caseId)}/${encodeURIComponent(r.referralId)}` }, r.referralId);
}

function overdue(r: Json): boolean {
  return r.status === "REFERRAL_STATUS_MADE" && r.responseDeadline && Date.parse(r.responseDeadline) < Date.now();
}

export async function referralsScreen(): Promise<HTMLElement> {
  const [incoming, outgoing, late] = await Promise.all([
    call("ReferralService", "ListReferrals", { direction: "REFERRAL_DIRECTION_INCOMING" }),
    call("ReferralService", "ListReferrals", { direction: "REFERRAL_DIRECTION_OUTGOING" }),
    call("ReferralService", "ListOverdueReferrals", {}),
  ]);
  const rows = (list: Json[]) =>
    (list ?? []).map((r: Json) => [
      link(r),
      h("a", { href: `#/case/${encodeURIComponent(r.caseId)}` }, r.caseId),
      `${r.fromAgencyId} → ${r.toAgencyId}`,
      label(r.status),
      h("span", { class: overdue(r) ? "overdue" : "" }, when(r.responseDeadline), overdue(r) ? ` (${t("overdue")})` : ""),
      r.reason ?? "",
    ]);
  const head = [t("referral"), t("case"), t("agency"), t("status"), t("deadline"), t("reason")];
  return h(
    "div",
    {},
    section("inbox", t("incoming"), table(t("incoming"), head, rows(incoming.referrals))),
    section("outbox", t("outgoing"), table(t("outgoing"), head, rows(outgoing.referrals))),
    section(
      "overdue",
      t("overdueReferrals"),
      table(
        t("overdueReferrals"),
        [t("referral"), t("agency"), t("deadline")],
        (late.referrals ?? []).map((r: Json) => [r.referralId, `${r.fromAgencyId} → ${r.toAgencyId}`, `${when(r.responseDeadline)} (${r.hoursOverdue}h)`]),
      ),
    ),
  );
}

export async function referralScreen(caseId: string, referralId: string): Promise<HTMLElement> {
  const box = h("div", {});
  const root = h("div", {}, box);
  let actions: HTMLElement | null = null;
  const cmd = (key: string) => ({ options: { idempotencyKey: key }, caseId });
  const refresh = async () => {
    let view: Json;
    try {
      view = await call("ReferralService", "GetReferral", { caseId, referralId });
    } catch (e) {
      replace(box, errorBox(e));
      return;
    }
    const r = view.referral ?? {};
    replace(
      box,
      section(
        "referral",
        `${t("referral")} ${referralId}`,
        h(
          "dl",
          { class: "facts" },
          h("dt", {}, t("case")),
          h("dd", {}, h("a", { href: `#/case/${encodeURIComponent(caseId)}` }, caseId)),
          h("dt", {}, t("agency")),
          h("dd", {}, `${r.fromAgencyId} (${r.fromStaffId ?? ""}) → ${r.toAgencyId} (${r.toStaffId ?? ""})`),
          h("dt", {}, t("status")),
          h("dd", {}, label(view.status)),
          h("dt", {}, t("fieldUrgency")),
          h("dd", {}, label(r.urgency)),
          h("dt", {}, t("deadline")),
          h("dd", {}, when(r.responseDeadline)),
          h("dt", {}, t("reason")),
          h("dd", {}, r.reason ?? ""),
        ),
        table(t("sentEntries"), ["ID", t("what")], (view.sentEntries ?? []).map((e: Json) => [e.entryId, entryText(e)])),
        (view.withheldEntries ?? []).length
          ? h("p", { class: "redacted", role: "note" }, `🔒 ${t("withheld")}: `, (view.withheldEntries ?? []).map((w: Json) => `${w.entryId ?? ""} ${label(w.reason)}`).join("、"))
          : null,
        h(
          "ol",
          { class: "thread", "aria-label": t("feedback") },
          (view.feedback ?? []).map((f: Json) => h("li", {}, h("time", {}, when(f.at)), ` ${f.byStaffId ?? ""} @ ${f.byAgencyId ?? ""}: `, f.feedback ?? "")),
        ),
      ),
    );
    if (actions) return;
    actions = section(
        "referral-actions",
        t("actions"),
        commandForm({
          id: "accept-form",
          title: "formAccept",
          fields: [{ name: "assigned", label: "fieldAssignedStaff", value: session.me?.staffId ?? "", matches: ["assigned"] }],
          send: (v, key) => call("ReferralService", "AcceptReferral", { ...cmd(key), command: { referralId, assignedStaffId: v.assigned } }),
          done: () => void refresh(),
        }),
        commandForm({
          id: "decline-form",
          title: "formDecline",
          fields: [{ name: "reason", label: "reason", kind: "textarea", matches: ["reason"] }],
          send: (v, key) => call("ReferralService", "DeclineReferral", { ...cmd(key), command: { referralId, reason: v.reason } }),
          done: () => void refresh(),
        }),
        commandForm({
          id: "feedback-form",
          title: "formFeedback",
          fields: [{ name: "feedback", label: "feedback", kind: "textarea", matches: ["feedback"] }],
          send: (v, key) => call("ReferralService", "GiveReferralFeedback", { ...cmd(key), command: { referralId, feedback: v.feedback } }),
          done: () => void refresh(),
        }),
    );
    root.append(actions);
  };
  await refresh();
  return root;
}

// Sign-in, my caseload (stages I lead, overdue referrals and reviews,
// action items) and 進行管理 for the coordinating body.
import { ApiError, call, type Json } from "../api";
import { h, table } from "../dom";
import { label, t, when } from "../i18n";
import { errorBox, section } from "../render";
import { meFrom, session } from "../session";

export function signInScreen(onSignedIn: () => void): HTMLElement {
  const error = h("p", { class: "error", role: "alert", id: "signin-error", hidden: true });
  const staff = h("input", { id: "signin-staff", name: "staffId", autocomplete: "username", required: true });
  const password = h("input", { id: "signin-password", name: "password", type: "password", autocomplete: "current-password", required: true });
  return section(
    "signin",
    t("signIn"),
    h(
      "form",
      {
        class: "signin",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          error.hidden = true;
          try {
            await call("SessionService", "SignIn", { staffId: staff.value.trim(), password: password.value });
            password.value = "";
            session.me = meFrom(await call("SessionService", "WhoAmI", {}));
            onSignedIn();
          } catch (err) {
            error.textContent = err instanceof ApiError ? `${err.code}: ${err.detail}` : String(err);
            error.hidden = false;
          }
        },
      },
      h("div", { class: "field" }, h("label", { for: "signin-staff" }, t("staffId")), staff),
      h("div", { class: "field" }, h("label", { for: "signin-password" }, t("password")), password),
      error,
      h("button", { type: "submit" }, t("signIn")),
    ),
  );
}

export async function caseloadScreen(): Promise<HTMLElement> {
  const [caseload, referrals, items, reviews] = await Promise.allSettled([
    call("CaseService", "ListCaseload", {}),
    call("ReferralService", "ListOverdueReferrals", {}),
    call("ConferenceService", "ListMyActionItems", {}),
    call("ReviewService", "ListOverdueReviews", {}),
  ]);
  // A refused list is shown as refused, never as an empty one.
  const value = (r: PromiseSettledResult<Json>) => (r.status === "fulfilled" ? r.value : {});
  const refusal = (r: PromiseSettledResult<Json>) => (r.status === "rejected" ? errorBox(r.reason) : null);
  const handover = h("input", { id: "open-handover", autocomplete: "off" });
  return h(
    "div",
    {},
    section(
      "caseload",
      t("caseload"),
      refusal(caseload),
      table(
        t("caseload"),
        [t("case"), t("title"), t("registration"), t("stagesLed"), t("lastActivity")],
        (value(caseload).cases ?? []).map((c: Json) => [
          h("a", { href: `#/case/${encodeURIComponent(c.caseId)}` }, c.caseId),
          c.title ?? "",
          label(c.registration),
          (c.stagesLed ?? []).join("、"),
          when(c.lastActivityAt),
        ]),
      ),
    ),
    section(
      "my-items",
      t("actionItems"),
      refusal(items),
      table(
        t("actionItems"),
        [t("conference"), t("what"), t("dueAt"), t("status")],
        (value(items).items ?? []).map((i: Json) => [
          h("a", { href: `#/conference/${encodeURIComponent(i.conferenceId)}` }, i.conferenceId),
          i.item?.description ?? "",
          when(i.item?.due),
          i.overdue ? h("span", { class: "overdue" }, t("overdue")) : "",
        ]),
      ),
    ),
    section(
      "late-referrals",
      t("overdueReferrals"),
      refusal(referrals),
      table(
        t("overdueReferrals"),
        [t("referral"), t("agency"), t("deadline")],
        (value(referrals).referrals ?? []).map((r: Json) => [r.referralId, `${r.fromAgencyId} → ${r.toAgencyId}`, when(r.responseDeadline)]),
      ),
    ),
    reviews.status === "rejected" ? section("reviews", t("overdueReviews"), errorBox(reviews.reason)) : reviewsTable(reviews.value),
    section(
      "open-handover-section",
      t("handover"),
      h(
        "form",
        { class: "inline", onsubmit: (e: Event) => { e.preventDefault(); location.hash = `#/handover/${encodeURIComponent(handover.value.trim())}`; } },
        h("label", { for: "open-handover" }, `${t("fieldHandoverId")} — ${t("openById")}`),
        handover,
        h("button", { type: "submit" }, t("open")),
      ),
    ),
  );
}

function reviewsTable(reviews: Json): HTMLElement {
  return section(
    "reviews",
    t("overdueReviews"),
    table(
      t("overdueReviews"),
      [t("case"), t("registration"), t("lastReviewed"), t("dueAt"), t("daysOverdue")],
      (reviews.reviews ?? []).map((r: Json) => [
        h("a", { href: `#/case/${encodeURIComponent(r.caseId)}` }, r.caseId),
        label(r.registration),
        when(r.lastReviewedAt),
        when(r.dueAt),
        String(r.daysOverdue ?? ""),
      ]),
    ),
  );
}

export async function progressScreen(): Promise<HTMLElement> {
  return reviewsTable(await call("ReviewService", "ListOverdueReviews", {}));
}



// Views shared by screens: actors, entries, timeline items (with their
// redaction markers: a withheld item is always shown as withheld, with its
// reason, never silently left out) and raw details.
import type { Json } from "./api";
import { h, type Child } from "./dom";
import { label, t, when } from "./i18n";

export function actor(a: Json): string {
  if (!a) return "";
  return [a.staffId, a.agencyId].filter(Boolean).join(" @ ");
}

export function shortType(eventType: string | undefined): string {
  return (eventType ?? "").replace(/^renkei\.v1\./, "");
}

// The words of an entry: every text of its body but ids.
export function entryText(entry: Json): string {
  const texts: string[] = [];
  const walk = (v: Json, key: string) => {
    if (typeof v === "string") {
      if (!/Ids?$/.test(key) && !/^(channel|kind|horizon|rating|level)$/.test(key) && !/^[A-Z_]+$/.test(v)) {
        texts.push(v);
      }
    } else if (Array.isArray(v)) {
      v.forEach((x) => walk(x, key));
    } else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  for (const body of ["informationReceived", "contact", "interview", "jointVisit", "assessment", "riskRanking"]) {
    if (entry?.[body]) walk(entry[body], body);
  }
  return texts.join(" / ");
}

export function redactionMarker(item: Json): HTMLElement {
  return h(
    "div",
    { class: "redacted", role: "note", "data-redaction": item.redaction ?? "" },
    h("strong", {}, "🔒 ", t("withheld")),
    ": ",
    label(item.redaction) || item.redactionReason || "",
    item.redactionReason && label(item.redaction) ? ` — ${item.redactionReason}` : "",
  );
}

export function timelineList(items: Json[], caption: string): HTMLElement {
  if (!items?.length) return h("p", { class: "empty" }, caption, ": —");
  return h(
    "ol",
    { class: "timeline", "aria-label": caption },
    items.map((item) =>
      h(
        "li",
        { class: item.redacted ? "item withheld" : "item", "data-ref": item.refId ?? "" },
        h("div", { class: "meta" }, h("time", {}, when(item.occurredAt)), " ", h("span", { class: "type" }, shortType(item.eventType)), " ", h("span", { class: "actor" }, actor(item.actor))),
        item.refId ? h("div", { class: "ref" }, item.refId) : null,
        item.summary ? h("div", { class: "summary" }, item.summary) : null,
        item.redacted ? redactionMarker(item) : null,
        item.entry && !item.redacted ? h("div", { class: "entry-text" }, entryText(item.entry)) : null,
        item.entry?.confidentiality?.reason && !item.redacted
          ? h("div", { class: "confidential" }, `${t("withheldReason")}: ${item.entry.confidentiality.reason}`)
          : null,
      ),
    ),
  );
}

export function details(title: string, value: Json): HTMLElement {
  return h("details", {}, h("summary", {}, title), h("pre", {}, JSON.stringify(value, null, 2)));
}

export function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h("section", { id, "aria-labelledby": `${id}-h` }, h("h2", { id: `${id}-h` }, title), children);
}

export function errorBox(e: unknown): HTMLElement {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  return h("p", { class: "error", role: "alert" }, `${t("errorPrefix")}: `, code ? `${code}: ` : "", message);
}

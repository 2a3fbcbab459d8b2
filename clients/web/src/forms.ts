// Command forms: labelled fields, one idempotency key per submission (a
// resend after a lost answer cannot record twice), and the server's refusal
// shown next to the field it names (else above the button).
import { ApiError, newKey, type Json } from "./api";
import { h, replace } from "./dom";
import { label, t, type Word } from "./i18n";

export type Values = Record<string, string | boolean>;

export interface Field {
  name: string;
  label: Word;
  kind?: "text" | "textarea" | "select" | "datetime" | "checkbox";
  options?: string[];
  value?: string | boolean;
  required?: boolean;
  // Words of the server's messages that point at this field (the field's
  // proto name is always one).
  matches?: string[];
}

export interface FormSpec {
  id: string;
  title: Word;
  fields: Field[];
  send: (values: Values, idempotencyKey: string) => Promise<Json>;
  done?: (reply: Json, values: Values) => void;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

// "a, b c" → ["a", "b", "c"].
export function list(v: string | boolean | undefined): string[] {
  return String(v ?? "")
    .split(/[\s,、]+/)
    .filter((x) => x !== "");
}

export function lines(v: string | boolean | undefined): string[] {
  return String(v ?? "")
    .split("\n")
    .map((x) => x.trim())
    .filter((x) => x !== "");
}

// A datetime-local value as RFC 3339 (undefined when empty).
export function iso(v: string | boolean | undefined): string | undefined {
  if (typeof v !== "string" || v === "") return undefined;
  return new Date(v).toISOString();
}

export function localNow(offsetDays = 0): string {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function commandForm(spec: FormSpec): HTMLElement {
  let key = newKey();
  const inputs = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  const errors = new Map<string, HTMLElement>();
  const formError = h("p", { class: "error", id: `${spec.id}-error`, role: "alert", hidden: true });
  const result = h("p", { class: "result", role: "status", "aria-live": "polite" });

  const rows = spec.fields.map((f) => {
    const id = `${spec.id}-${f.name}`;
    const err = h("span", { class: "field-error", id: `${id}-error`, role: "alert", hidden: true });
    errors.set(f.name, err);
    let input: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    if (f.kind === "textarea") {
      input = h("textarea", { id, name: f.name, rows: 3, required: f.required }, String(f.value ?? ""));
    } else if (f.kind === "select") {
      input = h(
        "select",
        { id, name: f.name },
        (f.options ?? []).map((o) => h("option", { value: o, selected: o === f.value }, label(o) || o)),
      );
    } else if (f.kind === "checkbox") {
      input = h("input", { id, name: f.name, type: "checkbox", checked: Boolean(f.value) });
    } else {
      input = h("input", {
        id,
        name: f.name,
        type: f.kind === "datetime" ? "datetime-local" : "text",
        step: f.kind === "datetime" ? 1 : undefined,
        value: String(f.value ?? ""),
        required: f.required,
        autocomplete: "off",
      });
    }
    input.setAttribute("aria-describedby", `${id}-error`);
    inputs.set(f.name, input);
    const labelled = h("label", { for: id }, t(f.label));
    return h("div", { class: f.kind === "checkbox" ? "field check" : "field" }, labelled, input, err);
  });

  const clearErrors = () => {
    formError.hidden = true;
    for (const [name, err] of errors) {
      err.hidden = true;
      err.textContent = "";
      inputs.get(name)?.removeAttribute("aria-invalid");
    }
  };

  const showError = (e: unknown) => {
    const message = e instanceof ApiError ? `${e.code}: ${e.detail}` : String(e);
    const lower = message.toLowerCase();
    // The field whose value the message quotes, else one it names.
    const quoted = (f: Field) => {
      const value = inputs.get(f.name)?.value ?? "";
      return value !== "" && f.kind !== "checkbox" && list(value).some((v) => message.includes(`'${v}'`));
    };
    const field =
      spec.fields.find(quoted) ??
      spec.fields.find((f) => [f.name, snake(f.name), ...(f.matches ?? [])].some((w) => lower.includes(w.toLowerCase())));
    if (field) {
      const err = errors.get(field.name)!;
      err.textContent = message;
      err.hidden = false;
      const input = inputs.get(field.name)!;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else {
      formError.textContent = `${t("errorPrefix")}: ${message}`;
      formError.hidden = false;
    }
  };

  const button = h("button", { type: "submit" }, t("submit"));
  const form = h(
    "form",
    {
      id: spec.id,
      class: "command",
      "aria-labelledby": `${spec.id}-title`,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        clearErrors();
        result.textContent = "";
        const values: Values = {};
        for (const [name, input] of inputs) {
          values[name] = input instanceof HTMLInputElement && input.type === "checkbox" ? input.checked : input.value;
        }
        button.disabled = true;
        try {
          const reply = await spec.send(values, key);
          key = newKey();
          replace(result, reply?.duplicate ? t("already") : t("saved"));
          spec.done?.(reply, values);
        } catch (e) {
          showError(e);
        } finally {
          button.disabled = false;
        }
      },
    },
    h("h3", { id: `${spec.id}-title` }, t(spec.title)),
    rows,
    formError,
    button,
    result,
  );
  return form;
}

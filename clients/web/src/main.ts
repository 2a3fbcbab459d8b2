// The console's shell: header and navigation, the language toggle, sign-in
// and sign-out, and the screens by address (#/case/ID, #/referrals, ...).
import { ApiError, call, whenSignedOut } from "./api";
import { h, replace } from "./dom";
import { currentLang, setLang, t } from "./i18n";
import { errorBox } from "./render";
import { auditScreen } from "./screens/audit";
import { caseScreen } from "./screens/case";
import { conferenceScreen, conferencesScreen } from "./screens/conference";
import { handoverScreen } from "./screens/handover";
import { caseloadScreen, progressScreen, signInScreen } from "./screens/home";
import { referralScreen, referralsScreen } from "./screens/referrals";
import { isAuditor, meFrom, session } from "./session";

const header = document.getElementById("top")!;
const main = document.getElementById("main")!;

function nav(): HTMLElement {
  const me = session.me;
  const links: [string, string][] = me
    ? [
        ["#/caseload", t("caseload")],
        ["#/referrals", t("referrals")],
        ["#/conferences", t("conferences")],
        ["#/progress", t("progress")],
        ...(isAuditor() ? ([["#/audit", t("audit")]] as [string, string][]) : []),
      ]
    : [];
  return h(
    "div",
    { class: "bar" },
    h("span", { class: "brand" }, t("appName")),
    h("nav", { "aria-label": "main" }, h("ul", {}, links.map(([href, text]) => h("li", {}, h("a", { href, "aria-current": location.hash.startsWith(href) ? "page" : false }, text))))),
    h(
      "div",
      { class: "user" },
      me ? h("span", { id: "whoami" }, `${t("signedInAs")}: ${me.staffId} @ ${me.agencyId}`) : null,
      h(
        "button",
        {
          type: "button",
          id: "lang-toggle",
          lang: currentLang() === "ja" ? "en" : "ja",
          onclick: () => {
            setLang(currentLang() === "ja" ? "en" : "ja");
            void route();
          },
        },
        t("language"),
      ),
      me
        ? h(
            "button",
            {
              type: "button",
              id: "sign-out",
              onclick: async () => {
                try {
                  await call("SessionService", "SignOut", {});
                } finally {
                  session.me = null;
                  if (location.hash !== "#/signin") location.hash = "#/signin";
                  else void route();
                }
              },
            },
            t("signOut"),
          )
        : null,
    ),
  );
}

async function screenFor(hash: string): Promise<HTMLElement> {
  const parts = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  switch (parts[0]) {
    case "case":
      return caseScreen(parts[1]);
    case "referrals":
      return referralsScreen();
    case "referral":
      return referralScreen(parts[1], parts[2]);
    case "conferences":
      return conferencesScreen();
    case "conference":
      return conferenceScreen(parts[1]);
    case "progress":
      return progressScreen();
    case "handover":
      return handoverScreen(parts[1]);
    case "audit":
      return auditScreen();
    default:
      return caseloadScreen();
  }
}

let routing = 0;
async function route(): Promise<void> {
  const mine = ++routing;
  document.documentElement.lang = currentLang();
  document.title = `${t("appName")}`;
  if (!session.me) {
    try {
      session.me = meFrom(await call("SessionService", "WhoAmI", {}));
    } catch {
      session.me = null;
    }
  }
  replace(header, nav());
  if (!session.me) {
    // What someone is typing into the sign-in form is kept.
    if (main.querySelector("#signin")) return;
    replace(main, signInScreen(() => {
      if (location.hash === "" || location.hash === "#/signin") location.hash = "#/caseload";
      else void route();
    }));
    return;
  }
  replace(main, h("p", { class: "loading", role: "status" }, t("loading")));
  try {
    const screen = await screenFor(location.hash);
    if (mine === routing) replace(main, screen);
  } catch (e) {
    if (mine === routing) replace(main, errorBox(e instanceof ApiError ? e : String(e)));
  }
}

whenSignedOut(() => {
  if (session.me) {
    session.me = null;
    void route();
  }
});
window.addEventListener("hashchange", () => void route());
void route();

// The console in a real browser against a real renkei-server: the seed
// story's caseworkers play it through the screens (record, refer, hold a
// conference, assign leads, hand over), a withheld entry shows its marker
// to the withheld agency and its content to no one else, each main screen
// is screenshotted and has no serious or critical accessibility violation.
// Run by run_console_test.sh (RENKEI_URL, RENKEI_ADMIN_PASSWORD_FILE,
// RENKEI_SCREENSHOTS).
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

const url = process.env.RENKEI_URL;
const shots = process.env.RENKEI_SCREENSHOTS;
const adminPassword = readFileSync(process.env.RENKEI_ADMIN_PASSWORD_FILE, "utf8").trim();
const password = (staff) => `the password of ${staff}`;
const caseId = "web-story";
const statement = "MK-STATEMENT the mother drinks from the morning";

// --- Set-up through the same Connect API, as the administrator and the
// caseworker who opens the case.
async function connect(path, body, session) {
  const headers = { "Content-Type": "application/json", "Connect-Protocol-Version": "1" };
  if (session) {
    headers.Cookie = session.cookie;
    headers["X-CSRF-Token"] = session.csrf;
  }
  const res = await fetch(`${url}/renkei.v1.${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return { json: JSON.parse(text), res };
}

async function apiSignIn(staffId, pw) {
  const { res } = await connect("SessionService/SignIn", { staffId, password: pw });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]);
  const csrf = cookies.find((c) => c.startsWith("__Host-renkei_csrf=")).split("=")[1];
  return { cookie: cookies.join("; "), csrf };
}

let n = 0;
const opts = () => ({ idempotencyKey: `setup-${++n}` });

const agencies = [
  ["city-pa", "生活福祉課", "AGENCY_KIND_MUNICIPAL_DIVISION", "AGENCY_SCOPE_INTERNAL"],
  ["city-mh", "障害福祉課 精神保健係", "AGENCY_KIND_MUNICIPAL_DIVISION", "AGENCY_SCOPE_INTERNAL"],
  ["city-cfs", "子ども家庭支援課", "AGENCY_KIND_MUNICIPAL_DIVISION", "AGENCY_SCOPE_INTERNAL"],
  ["nursery", "ひまわり保育園", "AGENCY_KIND_NURSERY", "AGENCY_SCOPE_EXTERNAL"],
  ["jhs", "第一中学校", "AGENCY_KIND_SCHOOL", "AGENCY_SCOPE_EXTERNAL"],
  ["audit-office", "検証委員会事務局", "AGENCY_KIND_MUNICIPAL_DIVISION", "AGENCY_SCOPE_INTERNAL"],
];
const staff = [
  ["cw", "生活保護CW", "PROFESSION_PUBLIC_ASSISTANCE_CASEWORKER", "city-pa"],
  ["counsellor", "精神保健福祉相談員", "PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR", "city-mh"],
  ["counsellor2", "精神保健福祉相談員 (後任)", "PROFESSION_MENTAL_HEALTH_WELFARE_COUNSELLOR", "city-mh"],
  ["support-worker", "子ども家庭支援員", "PROFESSION_CHILD_FAMILY_SUPPORT_WORKER", "city-cfs"],
  ["nursery-teacher", "保育士", "PROFESSION_NURSERY_TEACHER", "nursery"],
  ["teacher", "担任", "PROFESSION_TEACHER", "jhs"],
  ["auditor", "検証委員", "PROFESSION_AUDITOR", "audit-office"],
];

async function setUp() {
  const admin = await apiSignIn("admin", adminPassword);
  for (const [agencyId, name, kind, scope] of agencies) {
    await connect("DirectoryService/RegisterAgency", { options: opts(), command: { agency: { agencyId, name, kind, scope, formality: "AGENCY_FORMALITY_FORMAL" } } }, admin);
  }
  for (const [staffId, displayName, profession, agencyId] of staff) {
    await connect("DirectoryService/RegisterStaffMember", { options: opts(), command: { staff: { staffId, displayName, profession, agencyId } } }, admin);
    await connect("DirectoryService/SetStaffPassword", { staffId, password: password(staffId) }, admin);
  }
  await connect("DirectoryService/GrantStaffRole", { options: opts(), command: { staffId: "auditor", role: "STAFF_ROLE_AUDITOR", reason: "verification committee" } }, admin);
  const cw = await apiSignIn("cw", password("cw"));
  const c = (command) => ({ options: opts(), caseId, command });
  await connect("CaseService/OpenCase", c({
    kind: "CASE_KIND_HOUSEHOLD",
    title: "母子世帯 (alcohol)",
    intake: { noticedByAgencyId: "nursery", observation: "lateness, dirty clothes" },
    frameworks: ["FRAMEWORK_SHIEN_KAIGI", "FRAMEWORK_MENTAL_HEALTH", "FRAMEWORK_YOTAIKYO"],
    registration: "REGISTRATION_NONE",
  }), cw);
  for (const subject of [
    { subjectId: "mother", displayName: "母 (30代)", relationship: "RELATIONSHIP_HEAD_OF_HOUSEHOLD" },
    { subjectId: "daughter", displayName: "長女", relationship: "RELATIONSHIP_CHILD", guardianSubjectIds: ["mother"] },
    { subjectId: "son", displayName: "長男", relationship: "RELATIONSHIP_CHILD", guardianSubjectIds: ["mother"] },
  ]) {
    await connect("CaseService/AddSubject", c({ subject }), cw);
  }
  for (const agencyId of ["city-mh", "city-cfs", "nursery", "jhs"]) {
    await connect("CaseService/AddTeamAgency", c({ agencyId, reason: "要対協 member for this household" }), cw);
  }
  await connect("ConsentService/RegisterStatutoryForum", c({
    forum: { forumId: "f-yotaikyo", kind: "FORUM_KIND_YOTAIKYO", name: "要保護児童対策地域協議会", memberAgencyIds: ["city-pa", "city-mh", "city-cfs", "nursery", "jhs"] },
  }), cw);
  await connect("CaseService/ChangeCaseRegistration", c({ registration: "REGISTRATION_SUPPORT_NEEDED", reason: "registered with 要対協 (要支援)" }), cw);
}

// --- The browser.
let browser;
let page;
const violations = [];

before(async () => {
  await setUp();
  browser = await chromium.launch({ executablePath: process.env.RENKEI_CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
  // The development CA is not in the browser's store (it was made for this run).
  const context = await browser.newContext({ locale: "ja-JP", viewport: { width: 1200, height: 900 }, ignoreHTTPSErrors: true });
  page = await context.newPage();
  page.setDefaultTimeout(10000);
});

afterEach(async (t) => {
  await page?.screenshot({ path: join(shots, `end-${t.name.slice(0, 40).replace(/\W+/g, "-")}.png`), fullPage: true });
});

after(async () => {
  await browser?.close();
});

async function shot(name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).analyze();
  for (const v of result.violations) {
    if (v.impact === "serious" || v.impact === "critical") violations.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((x) => x.target.join(" ")).join(", ")}`);
  }
}

async function signIn(staffId) {
  await page.goto(`${url}/#/caseload`);
  await page.locator("#sign-out, #signin-staff").first().waitFor();
  if (await page.locator("#sign-out").count()) await signOut();
  await page.locator("#signin-staff").fill(staffId);
  await page.locator("#signin-password").fill(password(staffId));
  await page.getByRole("button", { name: "サインイン" }).click();
  try {
    await page.locator("#whoami").filter({ hasText: staffId }).waitFor();
  } catch (e) {
    await page.screenshot({ path: join(shots, `failed-sign-in-${staffId}.png`), fullPage: true });
    throw e;
  }
}

async function signOut() {
  await page.locator("#sign-out").click();
  await page.locator("#signin-staff").waitFor();
}

// Fills a command form (by its id) and submits it; waits for its result.
async function submit(formId, values, { navigates = false } = {}) {
  const form = page.locator(`#${formId}`);
  for (const [name, value] of Object.entries(values)) {
    const input = form.locator(`[name="${name}"]`);
    const tag = await input.evaluate((e) => e.tagName + (e.type ? ":" + e.type : ""));
    if (tag.startsWith("SELECT")) await input.selectOption(value);
    else if (tag === "INPUT:checkbox") await input.setChecked(Boolean(value));
    else await input.fill(value);
  }
  await form.getByRole("button", { name: "送信" }).click();
  if (navigates) {
    await form.waitFor({ state: "detached" });
    return;
  }
  const result = form.locator(".result");
  const error = form.locator("[role=alert]:not([hidden])");
  await Promise.race([result.filter({ hasText: /記録/ }).waitFor(), error.first().waitFor()]);
  if (await error.count()) assert.fail(`${formId}: ${await error.first().textContent()}`);
}

async function openCase() {
  await page.goto(`${url}/#/case/${caseId}`);
  await page.locator("#summary-h").waitFor();
}

test("the counsellor signs in and sees the caseload", async () => {
  await page.goto(url);
  await page.locator("#signin-staff").waitFor();
  await shot("01-sign-in");
  // A wrong password: the server's refusal, shown on the form.
  await page.locator("#signin-staff").fill("counsellor");
  await page.locator("#signin-password").fill("not the password");
  await page.getByRole("button", { name: "サインイン" }).click();
  await page.locator("#signin-error").filter({ hasText: "Unauthenticated" }).waitFor();
  await signIn("counsellor");
  await page.getByRole("link", { name: caseId }).waitFor();
  await shot("02-caseload");
});

test("the counsellor records a withheld statement, refers and schedules a conference", async () => {
  await openCase();
  await submit("entry-form", {
    entryId: "e-statement",
    kind: "interview",
    subjectIds: "mother, daughter, son",
    category: "INFORMATION_CATEGORY_FAMILY_RELATIONS",
    text: statement,
    interviewee: "daughter",
    withheldSubjects: "mother",
    withheldAgencies: "nursery",
    withheldReason: "the daughter asked that this be kept from her mother",
  });
  await page.locator(".timeline .item", { hasText: statement }).waitFor();
  // A refusal from the server appears beside the field it names.
  await submit("referral-form", { referralId: "r-bad", toAgencyId: "no-such-agency", subjectIds: "mother", reason: "x" }).then(
    () => assert.fail("the referral to an unknown agency was accepted"),
    () => {},
  );
  const fieldError = page.locator("#referral-form-toAgencyId-error:not([hidden])");
  if (!(await fieldError.count())) {
    assert.fail(`the refusal is not beside the agency field: ${await page.locator("#referral-form [role=alert]:not([hidden])").allTextContents()}`);
  }
  assert.match(await fieldError.textContent(), /no-such-agency/);
  await submit("referral-form", {
    referralId: "r-yotaikyo",
    toAgencyId: "city-cfs",
    toStaffId: "support-worker",
    subjectIds: "mother, daughter, son",
    reason: "please take the household up in 要対協",
    purpose: "SHARING_PURPOSE_CHILD_PROTECTION",
    category: "INFORMATION_CATEGORY_CHILD_REARING",
    entryIds: "",
    forumId: "f-yotaikyo",
  });
  await shot("03-case");
  await submit("schedule-form", {
    conferenceId: "k-web",
    type: "CONFERENCE_TYPE_INDIVIDUAL_CASE",
    basis: "CONFERENCE_BASIS_YOTAIKYO",
    title: "個別ケース検討会議 (母子世帯)",
    coordinating: "city-cfs",
    invitees: "city-pa, city-cfs, nursery, jhs",
    agendaItems: "share what each agency knows\nrole split and leads",
  }, { navigates: true });
  await page.locator("#conference-h").waitFor();
  await signOut();
});

test("the support worker accepts the referral and holds the conference", async () => {
  await signIn("support-worker");
  await page.goto(`${url}/#/referrals`);
  await page.locator("#inbox").getByRole("link", { name: "r-yotaikyo" }).click();
  await page.locator("#referral-h").waitFor();
  await submit("accept-form", { assigned: "support-worker" });
  await page.locator("#referral dd", { hasText: "受理" }).waitFor();
  await submit("feedback-form", { feedback: "taken up; a case conference on the 6th" });
  await page.locator(".thread li", { hasText: "taken up" }).waitFor();
  await shot("04-referral");
  await page.goto(`${url}/#/referrals`);
  await page.locator("#inbox-h").waitFor();
  await shot("05-referrals");
  await page.goto(`${url}/#/conference/k-web`);
  await page.locator("#conference-h").waitFor();
  await submit("hold-form", {
    attendees: "counsellor city-mh\ncw city-pa\nsupport-worker city-cfs\nnursery-teacher nursery\nteacher jhs",
    acknowledged: true,
  });
  await submit("minutes-form", { text: "each agency reported; the daughter carries the household" });
  await submit("roles-form", { roles: "city-mh: coordinate the mother's treatment\ncity-cfs: the children's support" });
  await submit("decision-form", { decisionId: "d-plan", kind: "DECISION_KIND_PLAN_REVISION", text: "adopt one shared support plan" });
  await submit("decision-form", {
    decisionId: "d-lead-treatment",
    kind: "DECISION_KIND_LEAD_ASSIGNMENT",
    text: "the counsellor leads the mother's treatment stage",
    stageId: "s-treatment",
    leadAgency: "city-mh",
    leadStaff: "counsellor",
  });
  await submit("action-form", { actionItemId: "a-clinic-plan", description: "confirm the clinic's treatment plan", assigneeStaff: "counsellor", assigneeAgency: "city-mh" });
  await page.locator("#conference td", { hasText: "confirm the clinic's treatment plan" }).waitFor();
  await page.locator("#conference td", { hasText: "✔" }).first().waitFor();
  await page.locator("#show-anonymised").click();
  await page.locator("#anonymised table").waitFor();
  await shot("06-conference");
  await signOut();
});

test("the counsellor revises the plan, assigns the stage lead and hands over", async () => {
  await signIn("counsellor");
  await page.getByRole("link", { name: "a-clinic-plan" }).count(); // the action item is listed
  await page.locator("#my-items td", { hasText: "confirm the clinic's treatment plan" }).waitFor();
  await openCase();
  await submit("plan-form", {
    goals: "g-treatment: outpatient treatment continues\ng-routine: the children get to school on time",
    stages: "s-treatment: the mother's treatment: g-treatment\ns-children: the children's daily life: g-routine",
    roles: "city-mh: coordinate treatment: s-treatment\ncity-cfs: the children's support: s-children",
    summary: "treatment first; the children's routine",
    decision: "k-web/d-plan",
    reason: "adopted at the 要対協 individual case conference",
  });
  await submit("lead-form", {
    stageId: "s-treatment",
    leadAgency: "city-mh",
    leadStaff: "counsellor",
    decision: "k-web/d-lead-treatment",
    reason: "agreed at the 要対協 individual case conference",
  });
  await page.locator("#plan td", { hasText: "counsellor" }).first().waitFor();
  await page.locator("#plan svg.lead-chart rect").first().waitFor();
  await submit("handover-form", { handoverId: "h-web", successor: "counsellor2", reason: "HANDOVER_REASON_MOVING_POST", note: "moves to the health centre" }, { navigates: true });
  await page.locator("#packet-h").waitFor();
  await signOut();
  await signIn("counsellor2");
  await page.goto(`${url}/#/handover/h-web`);
  await page.locator("#packet-h").waitFor();
  await page.locator(".packet-case", { hasText: caseId }).waitFor();
  await shot("07-handover");
  await submit("ack-form", { note: "read" });
  await signOut();
  await signIn("counsellor");
  await page.goto(`${url}/#/handover/h-web`);
  await submit("complete-form", { note: "" });
  await signOut();
  // The successor now leads the stage; the history says who led it when.
  await signIn("counsellor2");
  await openCase();
  const history = page.locator("#plan table").filter({ hasText: "誰がいつどの段階を主担当したか" });
  await history.locator("td", { hasText: "counsellor2" }).first().waitFor();
  assert.ok(await history.locator("td", { hasText: /^counsellor$/ }).count() >= 1, "the predecessor's period stays in the history");
  await shot("08-plan");
  await signOut();
});

test("a withheld entry shows its marker to the withheld agency and its content to no one else", async () => {
  await signIn("nursery-teacher");
  await openCase();
  const item = page.locator('.timeline .item[data-ref="e-statement"]');
  await item.waitFor();
  await item.locator(".redacted").waitFor();
  assert.equal(await page.locator("body", { hasText: "MK-STATEMENT" }).count(), 0, "the nursery sees the statement");
  await shot("09-withheld");
  await signOut();
  // The school and the caseworker have no basis for it either: they see
  // that it exists, and why not its words.
  for (const viewer of ["teacher", "cw"]) {
    await signIn(viewer);
    await openCase();
    await page.locator('.timeline .item[data-ref="e-statement"] .redacted').waitFor();
    const html = await page.content();
    assert.ok(!html.includes("MK-STATEMENT"), `${viewer} sees the statement`);
    await signOut();
  }
  await signIn("counsellor2");
  await openCase();
  await page.locator(".timeline .item", { hasText: statement }).waitFor();
  await signOut();
});

test("the auditor replays the case and verifies the chain", async () => {
  await signIn("auditor");
  await page.goto(`${url}/#/audit`);
  await page.locator("#replay-case").fill(caseId);
  await page.locator("#replay-axis").selectOption("TIME_AXIS_OCCURRED");
  await page.getByRole("button", { name: "再現" }).click();
  await page.locator("#replay-out .timeline").waitFor();
  await page.locator("#verify-chain").click();
  await page.locator("#chain-out .ok").waitFor();
  await page.locator("#live-toggle").click();
  await page.locator("#live-log li").first().waitFor();
  await page.locator("#live-toggle").click();
  await shot("10-audit");
  await page.goto(`${url}/#/progress`);
  await page.locator("#reviews-h").waitFor();
  await shot("11-progress");
  // The English toggle.
  await page.locator("#lang-toggle").click();
  await page.getByRole("link", { name: "Progress management" }).waitFor();
  await page.locator("#lang-toggle").click();
  await signOut();
});

test("no main screen has a serious or critical accessibility violation", () => {
  assert.deepEqual(violations, []);
});

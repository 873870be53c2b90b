// Who may see which dashboard, page and CSV alike, over real HTTP with the demo organization.
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { assignments, lessons, nudges, organizations, outbox, teamMembers, teams, users } from "~/db/schema";
import { dayLabel } from "~/shared/date-formats";
import { dayIn } from "~/shared/days";
import { Client, startServer, submissionKey, type TestServer } from "../support/server";

let server: TestServer;
const clients: Record<string, Client> = {};
async function as(email: string) {
  if (!clients[email]) {
    clients[email] = new Client(server.url);
    expect((await clients[email].login(email, "flywheel-demo")).status).toBe(302);
  }
  return clients[email];
}
const teamId = async (name: string) =>
  (await first(db().select({ id: teams.id }).from(teams).where(eq(teams.name, name)).limit(1)))!.id;
const userId = async (email: string) =>
  (await first(db().select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1)))!.id;
/** A due day as the demo organization's mails write it (app/shared/date-formats.ts). */
async function dayInMails(day: string) {
  const { timezone } = (await first(
    db()
      .select({ timezone: organizations.timezone })
      .from(organizations)
      .innerJoin(users, eq(users.orgId, organizations.id))
      .where(eq(users.email, "manager2@example.com"))
      .limit(1),
  ))!;
  return dayLabel(day, dayIn(timezone, new Date()));
}
const EXPORTS = [
  "at-risk",
  "weekly-active",
  "minutes",
  "decay",
  "retention",
  "heatmap",
  "forecast",
  "forecast-teams",
  "assignments",
  "practice-criteria",
  "practice-reps",
];

beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "1" });
});
afterAll(() => server?.stop());

describe("insights scope", () => {
  it("reps see no dashboard and no export", async () => {
    const rep = await as("rep@example.com");
    expect((await rep.request("/insights")).status).toBe(403);
    for (const name of EXPORTS) expect((await rep.request(`/insights/export/${name}.csv`)).status, name).toBe(403);
    expect((await rep.request(`/insights/reps/${await userId("priya.raman@example.com")}`)).status).toBe(403);
  });

  it("a manager sees only their teams: another team's ID in the URL gets 404 and no data", async () => {
    const sam = await as("manager2@example.com");
    const east = await teamId("Enterprise East");
    const page = await sam.request(`/insights?team=${east}`);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain("Jordan Blake");
    for (const name of EXPORTS) {
      const csv = await sam.request(`/insights/export/${name}.csv?team=${east}`);
      expect(csv.status, name).toBe(404);
    }
    expect((await sam.request(`/insights/reps/${await userId("rep@example.com")}`)).status).toBe(404);
    const own = await sam.request(`/insights?team=${await teamId("Mid-Market")}`);
    expect(own.status).toBe(200);
    const html = await own.text();
    expect(html).toContain("Grace Kim");
    expect(html).not.toContain("Jordan Blake");
    const csv = await (await sam.request(`/insights/export/heatmap.csv`)).text();
    expect(csv).toContain("Grace Kim");
    expect(csv).not.toContain("Priya Raman");
    // The 30-day forecast: on the page, and per team only for the manager's own teams.
    expect(html).toContain("Recall now and in 30 days");
    const forecast = await (await sam.request(`/insights/export/forecast-teams.csv`)).text();
    expect(forecast).toMatch(/^Team,Skill,Recall now \(%\),In 30 days \(%\),Change \(points\)\r\nMid-Market,/);
    expect(forecast).not.toContain("Enterprise East");
    expect((await sam.request(`/insights/reps/${await userId("grace.kim@example.com")}`)).status).toBe(200);
  });

  it("an admin sees the whole organization", async () => {
    const admin = await as("admin@example.com");
    const html = await (await admin.request("/insights")).text();
    expect(html).toContain("The whole organization");
    for (const name of EXPORTS) {
      const response = await admin.request(`/insights/export/${name}.csv`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get("content-type")).toContain("text/csv");
    }
    expect((await admin.request("/insights/export/nonsense.csv")).status).toBe(404);
  });

  it("the per-rep downloads say each rep's team and e-mail", async () => {
    const admin = await as("admin@example.com");
    for (const name of ["at-risk", "heatmap-reps", "practice-reps"]) {
      const [header, ...rows] = (await (await admin.request(`/insights/export/${name}.csv`)).text())
        .trim()
        .split(/\r?\n/);
      expect(header, name).toMatch(/,Team,E-mail$/);
      expect(rows.length, name).toBeGreaterThan(0);
      for (const row of rows) expect(row, name).toMatch(/,[^,@]*@example\.com$/);
    }
    const priya = (await (await admin.request("/insights/export/heatmap-reps.csv")).text())
      .split(/\r?\n/)
      .find((row) => row.startsWith("Priya Raman,"));
    expect(priya).toMatch(/,Enterprise East,priya\.raman@example\.com$/);
  });
});

describe("assignments", () => {
  it("each rep an assignment reaches is told by e-mail; a cancel asks first and can be undone", async () => {
    const sam = await as("manager2@example.com");
    const lesson = (await first(db().select({ id: lessons.id, title: lessons.title }).from(lessons).limit(1)))!;
    const midMarket = await teamId("Mid-Market");
    const page = await (await sam.request("/coach/assignments")).text();
    // The rep picker groups reps under their team.
    expect(page).toContain("Mid-Market</p>");
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const created = await sam.post("/coach/assignments", {
      intent: "create",
      target: `lesson:${lesson.id}`,
      teamId: midMarket,
      dueDay: due,
      note: "Before Thursday's call review",
      submission: submissionKey(page),
    });
    expect(created.status).toBe(200);
    const row = (await first(
      db().select().from(assignments).where(eq(assignments.note, "Before Thursday's call review")).limit(1),
    ))!;
    const members = await db()
      .select({ email: users.email })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teamMembers.teamId, midMarket), eq(teamMembers.role, "member"), eq(users.active, true)));
    const mails = await db()
      .select()
      .from(outbox)
      .where(like(outbox.subject, `New for you: %, due ${await dayInMails(due)}`));
    expect(mails.map((m) => m.to).sort()).toEqual(members.map((m) => m.email).sort());
    expect(mails[0]!.text).toContain("Before Thursday's call review");
    expect(mails[0]!.text).toMatch(/Start here: http:\/\/[^/]+\/learn\//);

    // The list offers "Cancel…" behind a disclosure; the cancel itself offers Undo.
    const listed = await (await sam.request("/coach/assignments")).text();
    expect(listed).toContain("Cancel…</summary>");
    const cancelled = await sam.post("/coach/assignments", { intent: "cancel", assignmentId: row.id });
    const answer = await cancelled.text();
    expect(answer).toContain("Assignment cancelled.");
    expect(answer).toMatch(/name="intent" value="restore"/);
    const stored = async () =>
      (await first(db().select().from(assignments).where(eq(assignments.id, row.id)).limit(1)))!.cancelledAt;
    expect(await stored()).not.toBeNull();
    expect(await (await sam.request("/coach/assignments")).text()).toMatch(
      /Cancelled in the last (<!-- -->)?7(<!-- -->)? days/,
    );
    // Another team's manager cannot bring it back.
    const morgan = await as("manager@example.com");
    expect((await morgan.post("/coach/assignments", { intent: "restore", assignmentId: row.id })).status).toBe(404);
    expect(await stored()).not.toBeNull();
    const restored = await sam.post("/coach/assignments", { intent: "restore", assignmentId: row.id });
    expect(restored.status).toBe(200);
    expect(await restored.text()).toContain("is back, with the same reps and due date");
    expect(await stored()).toBeNull();
    // Restoring what is not cancelled says so and changes nothing.
    expect((await sam.post("/coach/assignments", { intent: "restore", assignmentId: row.id })).status).toBe(409);
  });

  it("a manager cannot assign to another manager's team", async () => {
    const sam = await as("manager2@example.com");
    const lesson = (await first(db().select({ id: lessons.id }).from(lessons).limit(1)))!;
    const before = (await db().select().from(assignments)).length;
    const toTeam = await sam.post("/coach/assignments", {
      intent: "create",
      target: `lesson:${lesson.id}`,
      teamId: await teamId("Enterprise East"),
      dueDay: "2099-01-01",
      submission: "scope-test-team",
    });
    expect(toTeam.status).toBe(404);
    expect(await toTeam.text()).toContain("only assign to your own teams");
    const toRep = await sam.post("/coach/assignments", {
      intent: "create",
      target: `lesson:${lesson.id}`,
      repIds: await userId("rep@example.com"),
      dueDay: "2099-01-01",
      submission: "scope-test-rep",
    });
    expect(toRep.status).toBe(404);
    expect(await db().select().from(assignments)).toHaveLength(before);
  });
});

describe("acting from a rep's page", () => {
  const repPage = async (client: Client, email: string) => `/insights/reps/${await userId(email)}`;
  const mailsTo = (to: string) => db().select().from(outbox).where(eq(outbox.to, to));

  it("a manager nudges a rep: an e-mail with the message goes through the outbox, and a second within a day waits", async () => {
    const morgan = await as("manager@example.com");
    const path = await repPage(morgan, "marcus.chen@example.com");
    const before = (await mailsTo("marcus.chen@example.com")).length;
    const page = await (await morgan.request(path)).text();
    expect(page).toMatch(/Nudge (<!-- -->)?Marcus/);
    const sent = await morgan.post(path, {
      intent: "nudge",
      message: "Ten minutes on the pricing module before Thursday?",
      submission: submissionKey(page),
    });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain("Nudge sent to Marcus Chen");
    const mails = await mailsTo("marcus.chen@example.com");
    expect(mails).toHaveLength(before + 1);
    const mail = mails.find((m) => m.text.includes("Ten minutes on the pricing module before Thursday?"))!;
    expect(mail.subject).toBe("A note from Morgan Ellis");
    expect(mail.text).toMatch(/http:\/\/[^\s]+\/today/);

    // The page says when, and a second nudge the same day (even from another form) is refused.
    const after = await (await morgan.request(path)).text();
    expect(after).toMatch(/Last nudged (<!-- -->)?[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2} [AP]M/);
    const again = await morgan.post(path, {
      intent: "nudge",
      message: "And again?",
      submission: submissionKey(after),
    });
    expect(again.status).toBe(429);
    expect(await again.text()).toContain("Marcus Chen was nudged less than a day ago");
    expect(await mailsTo("marcus.chen@example.com")).toHaveLength(before + 1);

    // A day later, the next one goes.
    const marcus = await userId("marcus.chen@example.com");
    await db()
      .update(nudges)
      .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
      .where(eq(nudges.userId, marcus));
    const nextDay = await morgan.post(path, {
      intent: "nudge",
      message: "How did Thursday go?",
      submission: submissionKey(await (await morgan.request(path)).text()),
    });
    expect(nextDay.status).toBe(200);
    expect(await mailsTo("marcus.chen@example.com")).toHaveLength(before + 2);
  });

  it("a nudge needs a message, and a manager of another team cannot nudge or assign", async () => {
    const morgan = await as("manager@example.com");
    const path = await repPage(morgan, "priya.raman@example.com");
    const page = await (await morgan.request(path)).text();
    const empty = await morgan.post(path, { intent: "nudge", message: "  ", submission: submissionKey(page) });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Write the message to send.");

    const sam = await as("manager2@example.com");
    const before = (await mailsTo("priya.raman@example.com")).length;
    const own = submissionKey(await (await sam.request(await repPage(sam, "grace.kim@example.com"))).text());
    expect((await sam.post(path, { intent: "nudge", message: "Hi", submission: own })).status).toBe(404);
    const lesson = (await first(db().select({ id: lessons.id }).from(lessons).limit(1)))!;
    const assign = await sam.post(path, {
      intent: "assign",
      target: `lesson:${lesson.id}`,
      dueDay: "2099-01-01",
      submission: own,
    });
    expect(assign.status).toBe(404);
    expect(await mailsTo("priya.raman@example.com")).toHaveLength(before);
  });

  it("an admin who manages no team sees the rep but not the forms, and cannot post them", async () => {
    const admin = await as("admin@example.com");
    const path = await repPage(admin, "priya.raman@example.com");
    const html = await (await admin.request(path)).text();
    expect(html).not.toMatch(/Nudge (<!-- -->)?Priya/);
    expect((await admin.post(path, { intent: "nudge", message: "Hi", submission: "abcdefghij" })).status).toBe(403);
  });

  it("a manager assigns to this rep: the assignment names them alone, and they are mailed", async () => {
    const morgan = await as("manager@example.com");
    const path = await repPage(morgan, "priya.raman@example.com");
    const page = await (await morgan.request(path)).text();
    expect(page).toMatch(/Assign to (<!-- -->)?Priya/);
    const target = /<option value="(module:[a-z0-9]+)"/.exec(page)![1]!;
    const today = /<input id="assign-due"[^>]*min="(\d{4}-\d{2}-\d{2})"/.exec(page)![1]!;
    const before = (await mailsTo("priya.raman@example.com")).length;
    const response = await morgan.post(path, {
      intent: "assign",
      target,
      dueDay: today,
      note: "Start with this one",
      submission: submissionKey(page),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Assigned to Priya Raman");
    const row = (await first(
      db().select().from(assignments).where(eq(assignments.note, "Start with this one")).limit(1),
    ))!;
    expect(row.teamId).toBeNull();
    expect(await mailsTo("priya.raman@example.com")).toHaveLength(before + 1);
    const listed = await (await morgan.request(path)).text();
    expect(listed).toContain(row.title.replace(/^Module: /, ""));
  });
});

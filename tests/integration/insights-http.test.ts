// Who may see which dashboard, page and CSV alike, over real HTTP with the demo organization.
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { assignments, lessons, outbox, teamMembers, teams, users } from "~/db/schema";
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
      .where(like(outbox.subject, `New for you: %, due ${due}`));
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

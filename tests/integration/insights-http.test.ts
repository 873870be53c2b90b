// Who may see which dashboard, page and CSV alike, over real HTTP with the demo organization.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { assignments, lessons, teams, users } from "~/db/schema";
import { Client, startServer, type TestServer } from "../support/server";

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
});

describe("assignments", () => {
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

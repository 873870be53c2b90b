// A new organization's first screens, over real HTTP: an onboarding checklist ticked from real
// data (people invited, a team with reps, a first assignment, the digest hour saved), each step
// linking to where it is done; and pages without data say what to do next instead of showing
// empty charts and a red "0 reps at risk".
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, submissionKey, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

async function signedIn(person: { email: string }) {
  const client = new Client(server.url);
  expect((await client.login(person.email, TEST_PASSWORD)).status).toBe(302);
  return client;
}

/** The checklist's steps as "done" or "to do", by title, and the links it offers. */
function checklist(html: string) {
  const section = /<section[^>]*aria-labelledby="onboarding-heading"[^>]*>(.*?)<\/section>/s.exec(html)?.[1];
  if (!section) return null;
  const steps = Object.fromEntries(
    [...section.matchAll(/<span class="sr-only">(Done|To do): <\/span>([^<]+)<\/p>/g)].map((m) => [m[2], m[1]]),
  );
  const links = [...section.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  return { steps, links };
}

const STEPS = [
  "Invite your people",
  "Make a team and put its reps in it",
  "Assign a first module",
  "Set the digest hour",
];

describe("the onboarding checklist", () => {
  it("a new organization's admin sees four steps to do, each linking to where it is done", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin", "manager", "trainer"]);
    const client = await signedIn(admin);
    const response = await client.request("/admin");
    expect(response.status).toBe(200);
    const list = checklist(await response.text())!;
    expect(list.steps).toEqual(Object.fromEntries(STEPS.map((s) => [s, "To do"])));
    expect(list.links).toEqual(["/admin/users", "/admin/teams", "/coach/assignments", "/admin/settings"]);
  });

  it("each step is ticked by the real thing being done, and another organization's doings count for nothing", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin", "manager"]);
    const client = await signedIn(admin);
    // A busy organization next door.
    const other = await makeOrg();
    const otherRep = await makeUser(other.id, ["rep"]);
    await makeTeam(other.id, "Theirs", [{ userId: otherRep.id, role: "member" }]);
    const steps = async () => checklist(await (await client.request("/admin")).text())!.steps;
    expect(Object.values(await steps())).toEqual(["To do", "To do", "To do", "To do"]);

    const users = await (await client.request("/admin/users")).text();
    await client.post("/admin/users", {
      email: `first.rep.${org.id}@test.example`,
      roles: "rep",
      submission: submissionKey(users),
    });
    expect((await steps())["Invite your people"]).toBe("Done");

    // A team alone is not enough: it needs reps in it.
    const teams = await (await client.request("/admin/teams")).text();
    const created = await client.post("/admin/teams", { name: "Field", submission: submissionKey(teams) });
    const teamPath = created.headers.get("location")!;
    expect((await steps())["Make a team and put its reps in it"]).toBe("To do");
    const rep = await makeUser(org.id, ["rep"]);
    await client.post(teamPath, { intent: "add-members", userIds: rep.id });
    await client.post(teamPath, { intent: "managers", managerIds: admin.id });
    expect((await steps())["Make a team and put its reps in it"]).toBe("Done");

    const page = await (await client.request("/coach/assignments")).text();
    const target = /<option value="(module:[^"]+)"/.exec(page)![1]!;
    const teamId = teamPath.split("/").pop()!;
    const day = /min="(\d{4}-\d{2}-\d{2})"/.exec(page)![1]!;
    const assigned = await client.post("/coach/assignments", {
      intent: "create",
      target,
      teamId,
      dueDay: day,
      submission: submissionKey(page),
    });
    expect(assigned.status).toBe(200);
    expect((await steps())["Assign a first module"]).toBe("Done");

    await client.post("/admin/settings", {
      name: "Field Co",
      timezone: "Europe/London",
      desiredRetention: "0.9",
      boostMinutes: "3",
      digestHour: "7",
    });
    const html = await (await client.request("/admin")).text();
    expect(checklist(html)!.steps).toEqual(Object.fromEntries(STEPS.map((s) => [s, "Done"])));
    expect(html).toContain("All four done");
    expect(html).toContain("from 7:00 AM (Europe/London)");
    // Done, it leaves Insights to the figures.
    expect(checklist(await (await client.request("/insights")).text())).toBeNull();
  });

  it("an admin who cannot open Coaching is told who assigns, with no link there", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin"]);
    const list = checklist(await (await (await signedIn(admin)).request("/admin")).text())!;
    expect(list.links).not.toContain("/coach/assignments");
  });
});

describe("pages without data say what to do next", () => {
  it("a new organization's Insights: the checklist and what fills the page, no empty charts, no red at-risk card", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin", "manager", "trainer"]);
    const client = await signedIn(admin);
    expect((await client.request("/")).headers.get("location")).toBe("/insights");
    const response = await client.request("/insights");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(checklist(html)).not.toBeNull();
    expect(html).toContain("No reps yet");
    expect(html).toContain('href="/admin/users"');
    expect(html).not.toContain("reps at risk");
    expect(html).not.toContain("border-l-red-600");
    expect(html).not.toContain("<svg");
  });

  it("a manager whose team has no reps is told so, and to ask the admin", async () => {
    const org = await makeOrg();
    const manager = await makeUser(org.id, ["manager"]);
    await makeTeam(org.id, "Fresh Team", [{ userId: manager.id, role: "manager" }]);
    const html = await (await (await signedIn(manager)).request("/insights")).text();
    expect(html).toContain("Your teams have no reps yet");
    expect(html).toContain("Ask your Flywheel admin to add your reps to your team.");
    expect(html).not.toContain("<svg");
  });

  it("reps who have not started: no empty charts, the next step is a first assignment, and nobody-at-risk is not red", async () => {
    const org = await makeOrg();
    const manager = await makeUser(org.id, ["manager"]);
    const rep = await makeUser(org.id, ["rep"]);
    await makeTeam(org.id, "Starters", [
      { userId: manager.id, role: "manager" },
      { userId: rep.id, role: "member" },
    ]);
    const html = await (await (await signedIn(manager)).request("/insights")).text();
    expect(html).toContain("No learning recorded yet");
    expect(html).toContain('href="/coach/assignments"');
    expect(html).not.toContain("<svg");
  });

  it("a manager without a team is told so on Coaching and Assignments, instead of an empty form", async () => {
    const org = await makeOrg();
    const manager = await makeUser(org.id, ["manager"]);
    const client = await signedIn(manager);
    for (const path of ["/coach", "/coach/assignments"]) {
      const html = await (await client.request(path)).text();
      expect(html, path).toContain("You don&#x27;t manage a team yet");
      expect(html, path).toContain("Ask your Flywheel admin to make you a team&#x27;s manager.");
    }
    expect(await (await client.request("/coach/assignments")).text()).not.toContain('name="target"');
  });

  it("an admin's empty People, Teams, team and Content pages say what to do next", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin"]);
    const client = await signedIn(admin);
    expect(await (await client.request("/admin/users")).text()).toContain("just you so far");
    expect(await (await client.request("/admin/teams")).text()).toContain("No teams yet.");
    const team = await makeTeam(org.id, "Empty");
    const html = await (await client.request(`/admin/teams/${team.id}`)).text();
    expect(html).toContain("No members yet.");
    expect(html).toContain("Nobody has the manager role yet.");
    expect(await (await client.request("/content")).text()).toContain('href="/library"');
  });
});

// An admin setting up a new organization, over real HTTP: invitations become what the admin chose
// (roles and the invitee's place in the team), waiting invitations are listed, resent and revoked,
// nobody is saved without a role, a team takes several members at once, and the time zone is one
// of a list.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { invitations, outbox, teamMembers, userRoles, users } from "~/db/schema";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, submissionKey, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

/** A new organization with its admin signed in. */
async function newOrganization() {
  const org = await makeOrg();
  const admin = await makeUser(org.id, ["admin", "manager", "trainer"]);
  const client = new Client(server.url);
  expect((await client.login(admin.email, TEST_PASSWORD)).status).toBe(302);
  return { org, admin, client };
}

const unique = (name: string) => `${name}.${Math.random().toString(36).slice(2, 8)}@test.example`;

async function invite(client: Client, form: Record<string, string | string[]>) {
  const submission = submissionKey(await (await client.request("/admin/users")).text());
  return client.post("/admin/users", { ...form, submission });
}

/** The link in the newest invitation mail to `to`. */
async function invitationPath(to: string): Promise<string> {
  const mails = await db()
    .select({ text: outbox.text, createdAt: outbox.createdAt })
    .from(outbox)
    .where(eq(outbox.to, to));
  const newest = mails.filter((m) => m.text.includes("/invite/")).sort((a, b) => +b.createdAt - +a.createdAt)[0]!;
  return /(\/invite\/[a-z0-9]+)/.exec(newest.text)![1]!;
}

async function accept(path: string, name = "New Person") {
  const invitee = new Client(server.url);
  const response = await invitee.post(path, { name, password: TEST_PASSWORD, confirm: TEST_PASSWORD });
  return { invitee, response };
}

const placesIn = async (teamId: string, email: string) =>
  (
    await db()
      .select({ role: teamMembers.role })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teamMembers.teamId, teamId), eq(users.email, email)))
  )
    .map((r) => r.role)
    .sort();

describe("an invitation becomes what the admin chose", () => {
  it("a manager invited to a new team manages it, and lands on that team's insights with the navigation", async () => {
    const { org, client } = await newOrganization();
    const team = await makeTeam(org.id, "Field Sales");
    const email = unique("manager");
    expect((await invite(client, { email, roles: "manager", teamId: team.id })).status).toBe(200);

    const { invitee, response } = await accept(await invitationPath(email), "Mia Manager");
    expect(response.status).toBe(302);
    expect(await placesIn(team.id, email)).toEqual(["manager"]);
    const roles = await db()
      .select({ role: userRoles.role })
      .from(userRoles)
      .innerJoin(users, eq(users.id, userRoles.userId))
      .where(eq(users.email, email));
    expect(roles.map((r) => r.role)).toEqual(["manager"]);

    const home = await invitee.request("/");
    expect(home.headers.get("location")).toBe("/insights");
    const insights = await invitee.request("/insights");
    expect(insights.status).toBe(200);
    const html = await insights.text();
    expect(html).toContain("Field Sales");
    expect(html).toContain("Sign out");
  });

  it("a rep joins the team as a member; a rep who also manages (a player-coach) holds both places", async () => {
    const { org, client } = await newOrganization();
    const team = await makeTeam(org.id, "Inside Sales");
    const rep = unique("rep");
    const coach = unique("coach");
    await invite(client, { email: rep, roles: "rep", teamId: team.id });
    await invite(client, { email: coach, roles: ["rep", "manager"], teamId: team.id });
    await accept(await invitationPath(rep));
    await accept(await invitationPath(coach));
    expect(await placesIn(team.id, rep)).toEqual(["member"]);
    expect(await placesIn(team.id, coach)).toEqual(["manager", "member"]);
  });

  it("a team for someone who is neither rep nor manager is refused under the team field, storing nothing", async () => {
    const { org, client } = await newOrganization();
    const team = await makeTeam(org.id, "Enablement");
    const email = unique("trainer");
    const response = await invite(client, { email, roles: "trainer", teamId: team.id });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("A team is for reps and managers");
    expect(await db().select().from(invitations).where(eq(invitations.email, email))).toEqual([]);
  });
});

describe("nobody is saved without a role", () => {
  it("saving a person with every role unticked is refused with a message, and their roles stay", async () => {
    const { org, client } = await newOrganization();
    const rep = await makeUser(org.id, ["rep"]);
    for (const form of [{ intent: "roles" }, { intent: "roles", roles: "" }]) {
      const response = await client.post(`/admin/users/${rep.id}`, form);
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain("Pick at least one role: someone with none has nothing to open.");
      expect(html).toContain("Sign out");
    }
    const held = await db().select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, rep.id));
    expect(held.map((r) => r.role)).toEqual(["rep"]);
  });
});

// An admin setting up a new organization, over real HTTP: invitations become what the admin chose
// (roles and the invitee's place in the team), waiting invitations are listed, resent and revoked,
// nobody is saved without a role, a team takes several members at once, and the time zone is one
// of a list.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { invitations, organizations, outbox, teamMembers, userRoles, users } from "~/db/schema";
import { newId } from "~/db/ids";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, organizationWithAdmin, startServer, submissionKey, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

/** A new organization with its admin signed in. */
const newOrganization = () => organizationWithAdmin(server);

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
    for (const form of [{ intent: "roles" }, { intent: "roles", roles: "" }] as Array<Record<string, string>>) {
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

describe("invitations waiting for an answer", () => {
  const waitingSection = (html: string) =>
    /<section[^>]*aria-labelledby="waiting-heading"[^>]*>(.*?)<\/section>/s.exec(html)?.[1] ?? "";

  it("are listed with their roles, team and how long the link works, until accepted", async () => {
    const { org, client } = await newOrganization();
    const team = await makeTeam(org.id, "Renewals");
    const waiting = unique("waiting");
    const joined = unique("joined");
    await invite(client, { email: waiting, roles: ["rep"], teamId: team.id });
    await invite(client, { email: joined, roles: ["manager"] });
    await accept(await invitationPath(joined));
    // An expired one stays listed, to be sent again.
    const expired = unique("expired");
    await invite(client, { email: expired, roles: ["rep"] });
    await db()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.email, expired));

    const section = waitingSection(await (await client.request("/admin/users")).text());
    expect(section).toContain("Invitations waiting (2)");
    expect(section).toContain(waiting);
    expect(section).toMatch(/rep.*Renewals/s);
    expect(section).toContain(expired);
    expect(section).toMatch(/expired/i);
    expect(section).not.toContain(joined);
  });

  it("resending mails a new link: the new one works, the old one no longer does", async () => {
    const { client } = await newOrganization();
    const email = unique("resend");
    await invite(client, { email, roles: "rep" });
    const first = await invitationPath(email);
    const id = (await db().select({ id: invitations.id }).from(invitations).where(eq(invitations.email, email)))[0]!.id;
    const page = await (await client.request("/admin/users")).text();
    const response = await client.post("/admin/users", {
      intent: "resend",
      invitationId: id,
      submission: submissionKey(page),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`A new invitation link went to ${email}`);
    const second = await invitationPath(email);
    expect(second).not.toBe(first);
    expect((await accept(first)).response.status).toBe(410);
    expect((await accept(second)).response.status).toBe(302);
  });

  it("the same resend sent twice mails once", async () => {
    const { client } = await newOrganization();
    const email = unique("twice");
    await invite(client, { email, roles: "rep" });
    const id = (await db().select({ id: invitations.id }).from(invitations).where(eq(invitations.email, email)))[0]!.id;
    const submission = submissionKey(await (await client.request("/admin/users")).text());
    for (let i = 0; i < 2; i++)
      expect((await client.post("/admin/users", { intent: "resend", invitationId: id, submission })).status).toBe(200);
    expect(await db().select().from(outbox).where(eq(outbox.to, email))).toHaveLength(2);
  });

  it("revoking closes the link at once and takes it off the list", async () => {
    const { client } = await newOrganization();
    const email = unique("revoke");
    await invite(client, { email, roles: "rep" });
    const path = await invitationPath(email);
    const id = (await db().select({ id: invitations.id }).from(invitations).where(eq(invitations.email, email)))[0]!.id;
    const response = await client.post("/admin/users", { intent: "revoke", invitationId: id });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`The invitation to ${email} is revoked`);
    expect(waitingSection(await (await client.request("/admin/users")).text())).not.toContain(email);
    expect((await accept(path)).response.status).toBe(410);
    const again = await client.post("/admin/users", { intent: "revoke", invitationId: id });
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("That invitation was already accepted or revoked.");
    // A made-up or missing id is a clear message, never a server error.
    for (const invitationId of ["x".repeat(5000), "../../etc", ""]) {
      const odd = await client.post("/admin/users", { intent: "revoke", invitationId });
      expect(odd.status, invitationId.slice(0, 10)).toBe(400);
    }
  });

  it("inviting an address that already has a waiting invitation says so and stores no second one", async () => {
    const { client } = await newOrganization();
    const email = unique("again");
    expect((await invite(client, { email, roles: "rep" })).status).toBe(200);
    // The same address again, written differently, and with other roles: still the one invitation.
    const response = await invite(client, { email: email.toUpperCase(), roles: "manager" });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain(`An invitation to ${email} is already waiting`);
    expect(html).toContain("Send it again from the list below, or revoke it to invite them with other roles.");
    expect(await db().select().from(invitations).where(eq(invitations.email, email))).toHaveLength(1);
    expect(await db().select().from(outbox).where(eq(outbox.to, email))).toHaveLength(1);

    // An expired one is still the one to send again.
    await db()
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(invitations.email, email));
    const expired = await invite(client, { email, roles: "rep" });
    expect(expired.status).toBe(409);
    expect(await expired.text()).toMatch(/its link expired on/);
    expect(await db().select().from(invitations).where(eq(invitations.email, email))).toHaveLength(1);
  });

  it("inviting someone who already has an account here names them and stores nothing", async () => {
    const { org, client } = await newOrganization();
    const person = await makeUser(org.id, ["rep"], unique("member"), "Maya Member");
    const response = await invite(client, { email: person.email, roles: "rep" });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain(
      `${person.email} is already in your organization: Maya Member. Find them under People below.`,
    );
    expect(await db().select().from(invitations).where(eq(invitations.email, person.email))).toHaveLength(0);
  });

  it("an address whose invitation was revoked can be invited again", async () => {
    const { client } = await newOrganization();
    const email = unique("revoked");
    await invite(client, { email, roles: "rep" });
    const id = (await db().select({ id: invitations.id }).from(invitations).where(eq(invitations.email, email)))[0]!.id;
    await client.post("/admin/users", { intent: "revoke", invitationId: id });
    expect((await invite(client, { email, roles: ["rep", "manager"] })).status).toBe(200);
    expect(await db().select().from(invitations).where(eq(invitations.email, email))).toHaveLength(1);
  });

  it("another organization's admin can neither resend nor revoke it", async () => {
    const { client } = await newOrganization();
    const other = await newOrganization();
    const email = unique("theirs");
    await invite(client, { email, roles: "rep" });
    const path = await invitationPath(email);
    const id = (await db().select({ id: invitations.id }).from(invitations).where(eq(invitations.email, email)))[0]!.id;
    const submission = submissionKey(await (await other.client.request("/admin/users")).text());
    expect((await other.client.post("/admin/users", { intent: "resend", invitationId: id, submission })).status).toBe(
      404,
    );
    expect((await other.client.post("/admin/users", { intent: "revoke", invitationId: id })).status).toBe(404);
    expect(await db().select().from(outbox).where(eq(outbox.to, email))).toHaveLength(1);
    expect((await accept(path)).response.status).toBe(302);
  });
});

describe("a team takes several members at once", () => {
  const members = async (teamId: string) =>
    (
      await db()
        .select({ userId: teamMembers.userId })
        .from(teamMembers)
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, "member")))
    )
      .map((r) => r.userId)
      .sort();

  it("the team page lists the people not in it yet, with their teams, and adds the ones ticked", async () => {
    const { org, client } = await newOrganization();
    const [a, b, c] = await Promise.all(
      ["Ann", "Bo", "Cy"].map((n) => makeUser(org.id, ["rep"], unique(n), `${n} Rep`)),
    );
    const other = await makeTeam(org.id, "Hunters", [{ userId: c!.id, role: "member" }]);
    const team = await makeTeam(org.id, "Farmers", [{ userId: a!.id, role: "member" }]);
    const page = await (await client.request(`/admin/teams/${team.id}`)).text();
    const candidates = /<fieldset[^>]*>\s*<legend[^>]*>Add members<\/legend>(.*?)<\/fieldset>/s.exec(page)?.[1] ?? "";
    expect(candidates).toContain("Bo Rep");
    expect(candidates).toMatch(/Cy Rep.*Hunters/s);
    expect(candidates).not.toContain("Ann Rep");

    const response = await client.post(`/admin/teams/${team.id}`, { intent: "add-members", userIds: [b!.id, c!.id] });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("2 members added.");
    expect(await members(team.id)).toEqual([a!.id, b!.id, c!.id].sort());
    // Joining one team leaves the others as they were.
    expect(await members(other.id)).toEqual([c!.id]);
  });

  it("the set is checked as a whole: one person from elsewhere, a deactivated one or none at all adds nobody", async () => {
    const { org, client } = await newOrganization();
    const stranger = await makeUser((await makeOrg()).id, ["rep"]);
    const rep = await makeUser(org.id, ["rep"]);
    const gone = await makeUser(org.id, ["rep"]);
    await db().update(users).set({ active: false }).where(eq(users.id, gone.id));
    const team = await makeTeam(org.id, "Closers");
    const cases: Array<[Record<string, string | string[]>, number, string]> = [
      [{ userIds: [rep.id, stranger.id] }, 400, "That person or team is not in your organization."],
      [{ userIds: [rep.id, gone.id] }, 400, "is deactivated: reactivate them first"],
      [{}, 400, "Tick at least one person to add."],
      [{ userIds: Array.from({ length: 501 }, () => newId()) }, 400, "Pick at most 500 people."],
    ];
    for (const [form, status, message] of cases) {
      const response = await client.post(`/admin/teams/${team.id}`, { intent: "add-members", ...form });
      expect(response.status).toBe(status);
      expect(await response.text()).toContain(message);
    }
    expect(await members(team.id)).toEqual([]);
  });
});

describe("the time zone is picked from a list", () => {
  const settings = (timezone: string) => ({
    name: "Renamed",
    timezone,
    desiredRetention: "0.9",
    boostMinutes: "3",
    digestHour: "8",
  });
  const zoneOf = async (orgId: string) =>
    (await db().select({ timezone: organizations.timezone }).from(organizations).where(eq(organizations.id, orgId)))[0]!
      .timezone;

  it("the settings page offers the IANA zones in a select, the saved one chosen", async () => {
    const { client } = await newOrganization();
    const html = await (await client.request("/admin/settings")).text();
    const select = /<select[^>]*name="timezone"[^>]*>(.*?)<\/select>/s.exec(html)?.[1] ?? "";
    expect(select).toMatch(/<option value="UTC" selected="">/);
    expect(select).toContain('<option value="America/New_York">America/New York</option>');
    expect(select).toContain('<option value="Europe/London">Europe/London</option>');
    expect(select.match(/<option /g)?.length).toBe(Intl.supportedValuesOf("timeZone").length + 1);
  });

  it("a zone from the list is saved; one not on it is refused under the field and changes nothing", async () => {
    const { org, client } = await newOrganization();
    expect((await client.post("/admin/settings", settings("America/Chicago"))).status).toBe(200);
    expect(await zoneOf(org.id)).toBe("America/Chicago");
    // "US/Eastern" is an alias the runtime understands, but not a name on the list.
    for (const zone of ["US/Eastern", "Mars/Olympus_Mons", "", "america/chicago"]) {
      const response = await client.post("/admin/settings", settings(zone));
      expect(response.status, zone).toBe(400);
      expect(await response.text()).toContain("Pick your time zone from the list");
    }
    expect(await zoneOf(org.id)).toBe("America/Chicago");
  });

  it("a zone saved before the list (an alias) stays offered and can be saved again", async () => {
    const { org, client } = await newOrganization();
    await db().update(organizations).set({ timezone: "US/Pacific" }).where(eq(organizations.id, org.id));
    const html = await (await client.request("/admin/settings")).text();
    expect(html).toMatch(/<option value="US\/Pacific" selected="">/);
    expect((await client.post("/admin/settings", settings("US/Pacific"))).status).toBe(200);
  });
});

// Admin and manager forms under hostile input, over real HTTP with the demo organization and a
// second organization: sets and list sizes, due dates, forms sent twice, and invitations that
// must not tell one organization's admin who has an account in another.
import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { newId } from "~/db/ids";
import {
  assignments,
  invitations,
  lessons,
  modules,
  notifications,
  outbox,
  roleplays,
  roleplaySubmissions,
  teamMembers,
  teams,
  userRoles,
  users,
} from "~/db/schema";
import { dayIn, addDays } from "~/shared/days";
import { hashLinkToken, newLinkToken } from "~/features/auth/tokens.server";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, type TestServer } from "../support/server";

let server: TestServer;
const clients: Record<string, Client> = {};
async function as(email: string, password = "flywheel-demo"): Promise<Client> {
  if (!clients[email]) {
    clients[email] = new Client(server.url);
    expect((await clients[email].login(email, password)).status).toBe(302);
  }
  return clients[email];
}
const userId = async (email: string) =>
  (await first(db().select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1)))!.id;
const orgOf = async (email: string) =>
  (await first(db().select({ orgId: users.orgId }).from(users).where(eq(users.email, email)).limit(1)))!.orgId;

/** The key a page renders into its create form, as a browser sends it back (made up if the page has none). */
async function formKey(client: Client, path: string): Promise<string> {
  const html = await (await client.request(path)).text();
  return /name="submission" value="([a-z0-9-]+)"/.exec(html)?.[1] ?? `made-up-${newId()}`;
}

/** The invitation link in the newest mail to `to`. */
async function invitationToken(to: string): Promise<string> {
  const mails = await db()
    .select({ text: outbox.text, createdAt: outbox.createdAt })
    .from(outbox)
    .where(eq(outbox.to, to));
  const newest = mails.filter((m) => m.text.includes("/invite/")).sort((a, b) => +b.createdAt - +a.createdAt)[0]!;
  return /\/invite\/([a-z0-9]+)/.exec(newest.text)![1]!;
}

const today = () => dayIn("UTC", new Date());
let globex: { id: string };
const GLOBEX_ADMIN = "admin@globex.test";

beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "1" });
  // The demo organization is created at start-up; a second organization sits beside it.
  globex = await makeOrg("Globex");
  await makeUser(globex.id, ["admin"], GLOBEX_ADMIN);
});
afterAll(() => server?.stop());

describe("lists from forms are sets, with a size limit", () => {
  it("a role sent twice is held once, and the page answers without an error", async () => {
    const admin = await as("admin@example.com");
    const repId = await userId("rep@example.com");
    const response = await admin.post(`/admin/users/${repId}`, { intent: "roles", roles: ["rep", "rep", "manager"] });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Roles saved.");
    const held = await db().select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, repId));
    expect(held.map((r) => r.role).sort()).toEqual(["manager", "rep"]);
    await admin.post(`/admin/users/${repId}`, { intent: "roles", roles: "rep" });
  });

  it("tens of thousands of team or manager IDs are refused with a message, changing nothing", async () => {
    const admin = await as("admin@example.com");
    const repId = await userId("rep@example.com");
    const membershipsBefore = await db().select().from(teamMembers).where(eq(teamMembers.userId, repId));
    // More IDs than either engine takes as the parameters of one statement (SQLite 32,766, PostgreSQL 65,535).
    const many = Array.from({ length: 66_000 }, (_, i) => String(i));
    const teamsForm = await admin.post(`/admin/users/${repId}`, { intent: "teams", teamIds: many });
    expect(teamsForm.status).toBe(400);
    expect(await teamsForm.text()).toContain("Pick at most 500 teams.");
    expect(await db().select().from(teamMembers).where(eq(teamMembers.userId, repId))).toEqual(membershipsBefore);

    const team = (await first(db().select({ id: teams.id }).from(teams).where(eq(teams.name, "Enterprise East"))))!;
    const managersBefore = await db().select().from(teamMembers).where(eq(teamMembers.teamId, team.id));
    const managersForm = await admin.post(`/admin/teams/${team.id}`, {
      intent: "managers",
      managerIds: many.slice(0, 40_000),
    });
    expect(managersForm.status).toBe(400);
    expect(await managersForm.text()).toContain("Pick at most 500 managers.");
    expect(await db().select().from(teamMembers).where(eq(teamMembers.teamId, team.id))).toEqual(managersBefore);
  });

  it("a manager cannot send more reps than one assignment takes", async () => {
    const manager = await as("manager@example.com");
    const lesson = (await first(db().select({ id: lessons.id }).from(lessons).limit(1)))!;
    const before = (await first(db().select({ n: count() }).from(assignments)))!.n;
    const response = await manager.post("/coach/assignments", {
      intent: "create",
      target: `lesson:${lesson.id}`,
      repIds: Array.from({ length: 6000 }, (_, i) => `rep${String(i).padStart(10, "0")}`),
      dueDay: addDays(today(), 10),
      submission: await formKey(manager, "/coach/assignments"),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Pick at most 5000 reps.");
    expect((await first(db().select({ n: count() }).from(assignments)))!.n).toBe(before);
  });

  it("an invitation with a role sent twice can be accepted, and so can one stored that way before", async () => {
    const admin = await as("admin@example.com");
    const invited = await admin.post("/admin/users", {
      email: "twice.rep@example.com",
      roles: ["rep", "rep"],
      submission: await formKey(admin, "/admin/users"),
    });
    expect(invited.status).toBe(200);
    const stored = (await first(
      db().select({ roles: invitations.roles }).from(invitations).where(eq(invitations.email, "twice.rep@example.com")),
    ))!;
    expect(stored.roles).toEqual(["rep"]);
    const accept = async (token: string) =>
      new Client(server.url).post(`/invite/${token}`, {
        name: "Twice",
        password: TEST_PASSWORD,
        confirm: TEST_PASSWORD,
      });
    expect((await accept(await invitationToken("twice.rep@example.com"))).status).toBe(302);

    // An invitation stored before roles were kept as a set: it must still let its invitee join.
    const { token, hash } = newLinkToken();
    await db()
      .insert(invitations)
      .values({
        id: newId(),
        orgId: await orgOf("admin@example.com"),
        email: "old.invite@example.com",
        roles: ["rep", "rep", "manager"],
        teamId: null,
        tokenHash: hash,
        invitedBy: await userId("admin@example.com"),
        expiresAt: new Date(Date.now() + 86_400_000),
      });
    expect(hashLinkToken(token)).toBe(hash);
    expect((await accept(token)).status).toBe(302);
    const joined = await userId("old.invite@example.com");
    const roles = await db().select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, joined));
    expect(roles.map((r) => r.role).sort()).toEqual(["manager", "rep"]);
  });
});

describe("due dates", () => {
  let lessonTarget = "";
  let assignmentId = "";
  beforeAll(async () => {
    lessonTarget = `lesson:${(await first(db().select({ id: lessons.id }).from(lessons).limit(1)))!.id}`;
  });

  it("a date that is not on the calendar, too far ahead or in the past is refused, storing nothing", async () => {
    const manager = await as("manager@example.com");
    const team = (await first(db().select({ id: teams.id }).from(teams).where(eq(teams.name, "Enterprise East"))))!;
    const before = (await first(db().select({ n: count() }).from(assignments)))!.n;
    const cases: Array<[string, RegExp]> = [
      ["2099-13-45", /on the calendar/],
      ["9999-99-99", /on the calendar/],
      ["2027-02-30", /on the calendar/],
      ["tomorrow", /on the calendar/],
      [addDays(today(), -2), /from today on/],
      [addDays(today(), 3 * 365), /within the next two years/],
    ];
    for (const [dueDay, message] of cases) {
      const response = await manager.post("/coach/assignments", {
        intent: "create",
        target: lessonTarget,
        teamId: team.id,
        dueDay,
        submission: await formKey(manager, "/coach/assignments"),
      });
      expect(response.status, dueDay).toBe(400);
      expect(await response.text(), dueDay).toMatch(message);
    }
    expect((await first(db().select({ n: count() }).from(assignments)))!.n).toBe(before);
  });

  it("changing a due date is held to the same rules as creating one", async () => {
    const manager = await as("manager@example.com");
    const team = (await first(db().select({ id: teams.id }).from(teams).where(eq(teams.name, "Enterprise East"))))!;
    const due = addDays(today(), 7);
    const created = await manager.post("/coach/assignments", {
      intent: "create",
      target: lessonTarget,
      teamId: team.id,
      dueDay: due,
      note: "due-date change test",
      submission: await formKey(manager, "/coach/assignments"),
    });
    expect(created.status).toBe(200);
    assignmentId = (await first(
      db().select({ id: assignments.id }).from(assignments).where(eq(assignments.note, "due-date change test")),
    ))!.id;
    for (const dueDay of [addDays(today(), -2), "2027-02-30", "2099-13-45", addDays(today(), 3 * 365)]) {
      const response = await manager.post("/coach/assignments", { intent: "due", assignmentId, dueDay });
      expect(response.status, dueDay).toBe(400);
    }
    const stored = (await first(
      db().select({ dueDay: assignments.dueDay }).from(assignments).where(eq(assignments.id, assignmentId)),
    ))!;
    expect(stored.dueDay).toBe(due);
    const later = addDays(today(), 20);
    expect((await manager.post("/coach/assignments", { intent: "due", assignmentId, dueDay: later })).status).toBe(200);
    expect(
      (await first(
        db().select({ dueDay: assignments.dueDay }).from(assignments).where(eq(assignments.id, assignmentId)),
      ))!.dueDay,
    ).toBe(later);
  });
});

describe("a form sent twice creates one thing", () => {
  it("an assignment", async () => {
    const manager = await as("manager@example.com");
    const team = (await first(db().select({ id: teams.id }).from(teams).where(eq(teams.name, "Enterprise East"))))!;
    const lesson = (await first(db().select({ id: lessons.id }).from(lessons).limit(1)))!;
    const form = {
      intent: "create",
      target: `lesson:${lesson.id}`,
      teamId: team.id,
      dueDay: addDays(today(), 5),
      note: "sent twice",
      submission: await formKey(manager, "/coach/assignments"),
    };
    const [one, two] = await Promise.all([
      manager.post("/coach/assignments", form),
      manager.post("/coach/assignments", form),
    ]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(await db().select().from(assignments).where(eq(assignments.note, "sent twice"))).toHaveLength(1);
    // A new rendering of the page is a new form: the same values make a second assignment.
    const again = await manager.post("/coach/assignments", {
      ...form,
      submission: await formKey(manager, "/coach/assignments"),
    });
    expect(again.status).toBe(200);
    expect(await db().select().from(assignments).where(eq(assignments.note, "sent twice"))).toHaveLength(2);
  });

  it("an open role-play submission", async () => {
    const rep = await as("rep@example.com");
    const path = "/learn/listening/roleplay-listening";
    const rp = (await first(
      db()
        .select({ key: roleplays.key, turns: roleplays.turns })
        .from(roleplays)
        .innerJoin(
          lessons,
          and(eq(lessons.id, roleplays.lessonId), eq(lessons.currentVersionId, roleplays.lessonVersionId)),
        )
        .innerJoin(modules, eq(modules.id, lessons.moduleId))
        .where(and(eq(modules.slug, "listening"), eq(lessons.slug, "roleplay-listening"))),
    ))!;
    const repId = await userId("rep@example.com");
    const countOpen = async () =>
      (
        await db()
          .select()
          .from(roleplaySubmissions)
          .where(and(eq(roleplaySubmissions.userId, repId), eq(roleplaySubmissions.roleplayKey, rp.key)))
      ).length;
    const before = await countOpen();
    const form: Record<string, string> = {
      intent: "roleplay-submit",
      roleplay: rp.key,
      submission: await formKey(rep, path),
    };
    for (const turn of rp.turns) form[`reply-${turn.id}`] = "What would need to be different this time?";
    const first303 = await rep.post(path, form);
    const second = await rep.post(path, form);
    expect([first303.status, second.status]).toEqual([303, 303]);
    expect(await countOpen()).toBe(before + 1);
  });

  it("a manager's review: the rep is notified and mailed once", async () => {
    const manager = await as("manager@example.com");
    const repId = await userId("rep@example.com");
    const open = (await first(
      db()
        .select({ id: roleplaySubmissions.id, roleplayId: roleplaySubmissions.roleplayId })
        .from(roleplaySubmissions)
        .where(
          and(
            eq(roleplaySubmissions.userId, repId),
            eq(roleplaySubmissions.mode, "open"),
            eq(roleplaySubmissions.status, "submitted"),
          ),
        )
        .limit(1),
    ))!;
    const rubric = (await first(
      db().select({ rubric: roleplays.rubric }).from(roleplays).where(eq(roleplays.id, open.roleplayId)),
    ))!.rubric;
    const path = `/coach/reviews/${open.id}`;
    const form: Record<string, string> = { comment: "Reviewed once", submission: await formKey(manager, path) };
    for (const c of rubric) form[`score-${c.id}`] = "3";
    const mailsBefore = (await db().select().from(outbox).where(eq(outbox.to, "rep@example.com"))).length;
    const noticesBefore = (await db().select().from(notifications).where(eq(notifications.userId, repId))).length;
    const [one, two] = await Promise.all([manager.post(path, form), manager.post(path, form)]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(await db().select().from(notifications).where(eq(notifications.userId, repId))).toHaveLength(
      noticesBefore + 1,
    );
    expect(await db().select().from(outbox).where(eq(outbox.to, "rep@example.com"))).toHaveLength(mailsBefore + 1);
  });

  it("a branching role-play reply", async () => {
    const rep = await as("priya.raman@example.com");
    const path = "/learn/questioning/roleplay-discovery";
    const rp = (await first(
      db()
        .select({ key: roleplays.key, turns: roleplays.turns })
        .from(roleplays)
        .innerJoin(
          lessons,
          and(eq(lessons.id, roleplays.lessonId), eq(lessons.currentVersionId, roleplays.lessonVersionId)),
        )
        .innerJoin(modules, eq(modules.id, lessons.moduleId))
        .where(
          and(eq(modules.slug, "questioning"), eq(lessons.slug, "roleplay-discovery"), eq(roleplays.mode, "branching")),
        ),
    ))!;
    const repId = await userId("priya.raman@example.com");
    const form = { intent: "roleplay-choose", roleplay: rp.key, reply: rp.turns[0]!.replies[0]!.id };
    expect((await rep.post(path, { intent: "roleplay-restart", roleplay: rp.key })).status).toBe(303);
    const key = await formKey(rep, path);
    expect((await rep.post(path, { ...form, submission: key })).status).toBe(303);
    expect((await rep.post(path, { ...form, submission: key })).status).toBe(303);
    const open = await db()
      .select({ path: roleplaySubmissions.path })
      .from(roleplaySubmissions)
      .where(
        and(
          eq(roleplaySubmissions.userId, repId),
          eq(roleplaySubmissions.roleplayKey, rp.key),
          eq(roleplaySubmissions.status, "in_progress"),
        ),
      );
    expect(open).toHaveLength(1);
    expect(open[0]!.path).toHaveLength(1);
  });

  it("an invitation, and its mail", async () => {
    const admin = await as("admin@example.com");
    const form = { email: "double.send@example.com", roles: "rep", submission: await formKey(admin, "/admin/users") };
    const [one, two] = await Promise.all([admin.post("/admin/users", form), admin.post("/admin/users", form)]);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(await db().select().from(invitations).where(eq(invitations.email, "double.send@example.com"))).toHaveLength(
      1,
    );
    expect(await db().select().from(outbox).where(eq(outbox.to, "double.send@example.com"))).toHaveLength(1);
  });

  it("a team: both sends land on the one team", async () => {
    const admin = await as("admin@example.com");
    const form = { name: "Twice Told", submission: await formKey(admin, "/admin/teams") };
    const one = await admin.post("/admin/teams", form);
    const two = await admin.post("/admin/teams", form);
    expect([one.status, two.status]).toEqual([302, 302]);
    expect(two.headers.get("location")).toBe(one.headers.get("location"));
    expect(await db().select().from(teams).where(eq(teams.name, "Twice Told"))).toHaveLength(1);
  });

  it("a create form without its key is refused as out of date", async () => {
    const admin = await as("admin@example.com");
    const response = await admin.post("/admin/teams", { name: "No Key" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The form is out of date");
    expect(await db().select().from(teams).where(eq(teams.name, "No Key"))).toHaveLength(0);
  });
});

describe("invitations to an address of another organization (one address, one account: decision 033)", () => {
  it("are refused as 'this address cannot be added', naming no organization, and nothing is sent", async () => {
    const admin = await as(GLOBEX_ADMIN, TEST_PASSWORD);
    const response = await admin.post("/admin/users", {
      email: "rep@example.com",
      roles: "rep",
      submission: await formKey(admin, "/admin/users"),
    });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain("This address cannot be added.");
    expect(html).not.toContain("already");
    expect(html).not.toContain("Acme Sales");
    const mails = await db()
      .select({ to: outbox.to })
      .from(outbox)
      .where(and(eq(outbox.orgId, globex.id), inArray(outbox.to, ["rep@example.com"])));
    expect(mails).toHaveLength(0);
  });

  it("one stored before that rule cannot be accepted: the address already has an account, nothing changes", async () => {
    const { token, hash } = newLinkToken();
    await db()
      .insert(invitations)
      .values({
        id: newId(),
        orgId: globex.id,
        email: "rep@example.com",
        roles: ["rep"],
        tokenHash: hash,
        expiresAt: new Date(Date.now() + 24 * 60 * 60_000),
      });
    const invitee = new Client(server.url);
    const response = await invitee.post(`/invite/${token}`, {
      name: "Jordan",
      password: TEST_PASSWORD,
      confirm: TEST_PASSWORD,
    });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("already has a Flywheel account");
    expect(invitee.cookie).toBe("");
    expect(await orgOf("rep@example.com")).not.toBe(globex.id);
    expect(await db().select().from(users).where(eq(users.email, "rep@example.com"))).toHaveLength(1);
  });

  it("inviting someone already in your own organization still says so", async () => {
    const admin = await as("admin@example.com");
    const response = await admin.post("/admin/users", {
      email: "rep@example.com",
      roles: "rep",
      submission: await formKey(admin, "/admin/users"),
    });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("rep@example.com is already in your organization: Jordan Blake.");
  });
});

describe("links that set a password (an invitation, a password reset) work once", () => {
  const visit = async (path: string) => (await new Client(server.url).request(path)).text();

  it("an invitation: a mismatch is a field error, the first use signs in, a second says the link is spent", async () => {
    const admin = await as("admin@example.com");
    await admin.post("/admin/users", {
      email: "link.once@example.com",
      roles: "rep",
      submission: await formKey(admin, "/admin/users"),
    });
    const path = `/invite/${await invitationToken("link.once@example.com")}`;
    expect(await visit(path)).toMatch(/You&#x27;re signing up as (<!-- -->)?link.once@example.com/);

    const invitee = new Client(server.url);
    const mismatch = await invitee.post(path, { name: "Once", password: TEST_PASSWORD, confirm: "something else" });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("The two passwords differ.");

    const joined = await invitee.post(path, { name: "Once", password: TEST_PASSWORD, confirm: TEST_PASSWORD });
    expect(joined.status).toBe(302);
    expect(joined.headers.get("location")).toBe("/");
    expect(invitee.cookie).not.toBe("");

    const again = await new Client(server.url).post(path, {
      name: "Twice",
      password: TEST_PASSWORD,
      confirm: TEST_PASSWORD,
    });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain(
      "This invitation has expired or was already used. Ask your admin for a new one.",
    );
    expect(await visit(path)).toContain("This invitation can&#x27;t be used");
  });

  it("a password reset: the same form, its own words", async () => {
    const org = await makeOrg();
    const person = await makeUser(org.id, ["rep"]);
    await new Client(server.url).post("/forgot-password", { email: person.email });
    const mail = (await first(
      db().select({ text: outbox.text }).from(outbox).where(eq(outbox.to, person.email)).limit(1),
    ))!;
    const path = /\/reset-password\/[a-z0-9]+/.exec(mail.text)![0];
    expect(await visit(path)).toContain("Choose a new password");

    const visitor = new Client(server.url);
    const short = await visitor.post(path, { password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain("Use at least 8 characters.");

    const reset = await visitor.post(path, { password: "a brand new password", confirm: "a brand new password" });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("location")).toBe("/");

    const again = await new Client(server.url).post(path, {
      password: "another password",
      confirm: "another password",
    });
    expect(again.status).toBe(410);
    expect(await again.text()).toContain("This link has expired or was already used. Ask for a new one.");
    expect(await visit(path)).toContain("This link can&#x27;t be used");
  });
});

describe("a new password is neither a common password nor the account's e-mail address", () => {
  const TOO_COMMON = "This password is too common";
  const HAS_EMAIL = "This password contains your e-mail address";

  it("an invitation refuses them under the password field and stays open", async () => {
    const admin = await as("admin@example.com");
    const email = "common.words@example.com";
    await admin.post("/admin/users", { email, roles: "rep", submission: await formKey(admin, "/admin/users") });
    const path = `/invite/${await invitationToken(email)}`;
    const invitee = new Client(server.url);
    for (const [password, message] of [
      ["password", TOO_COMMON],
      ["12345678", TOO_COMMON],
      [email, HAS_EMAIL],
    ]) {
      const refused = await invitee.post(path, { name: "Common", password: password!, confirm: password! });
      expect(refused.status, password).toBe(400);
      expect(await refused.text(), password).toContain(message);
    }
    expect(await first(db().select().from(users).where(eq(users.email, email)).limit(1))).toBeUndefined();
    const joined = await invitee.post(path, { name: "Common", password: TEST_PASSWORD, confirm: TEST_PASSWORD });
    expect(joined.status).toBe(302);
  });

  it("a reset link refuses them and can still be used", async () => {
    const person = await makeUser((await makeOrg()).id, ["rep"], "dana.whitfield@test.example");
    await new Client(server.url).post("/forgot-password", { email: person.email });
    const mail = (await first(db().select({ text: outbox.text }).from(outbox).where(eq(outbox.to, person.email))))!;
    const path = /\/reset-password\/[a-z0-9]+/.exec(mail.text)![0];
    const visitor = new Client(server.url);
    for (const [password, message] of [
      ["iloveyou", TOO_COMMON],
      ["dana.whitfield1", HAS_EMAIL],
    ]) {
      const refused = await visitor.post(path, { password: password!, confirm: password! });
      expect(refused.status, password).toBe(400);
      expect(await refused.text(), password).toContain(message);
    }
    // The old password still signs in: nothing was changed.
    expect((await new Client(server.url).login(person.email, TEST_PASSWORD)).status).toBe(302);
    expect(
      (await visitor.post(path, { password: "a brand new password", confirm: "a brand new password" })).status,
    ).toBe(302);
  });

  it("changing your password refuses them and keeps the current one", async () => {
    const person = await makeUser((await makeOrg()).id, ["rep"]);
    const rep = new Client(server.url);
    expect((await rep.login(person.email, TEST_PASSWORD)).status).toBe(302);
    const page = await (await rep.request("/account/password")).text();
    expect(page).toContain("not a common password or your e-mail address");
    for (const [password, message] of [
      ["12345678", TOO_COMMON],
      [person.email, HAS_EMAIL],
    ]) {
      const refused = await rep.post("/account/password", {
        current: TEST_PASSWORD,
        password: password!,
        confirm: password!,
      });
      expect(refused.status, password).toBe(400);
      expect(await refused.text(), password).toContain(message);
    }
    expect((await new Client(server.url).login(person.email, TEST_PASSWORD)).status).toBe(302);
  });
});

// SCIM 2.0 provisioning over real HTTP against the built server (decision 034): the request
// sequences Okta and Microsoft Entra ID document for their provisioning, pagination, every kind of
// refused request in SCIM's error format, tokens (made on the admin page, revoked, throttled), and
// one organization's token never reaching another's people or teams.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { auditEvents, outbox, scimTokens, sessions, teamMembers, userRoles, users } from "~/db/schema";
import { claimSsoDomain, makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, organizationWithAdmin, startServer, type TestServer } from "../support/server";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const LIMIT = 60;

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0", FLYWHEEL_SCIM_REQUESTS_PER_MINUTE: String(LIMIT) });
});
afterAll(() => server?.stop());

const unique = (name: string) => `${name}.${Math.random().toString(36).slice(2, 8)}@scim.example`;

/** A new organization, its admin signed in, and a SCIM token made on the admin page. */
async function provisioned() {
  const { org, admin, client } = await organizationWithAdmin(server);
  const token = await newToken(client, "Okta");
  return { org, admin, client, scim: new Scim(server.url, token) };
}

async function newToken(client: Client, label: string): Promise<string> {
  const response = await client.post("/admin/scim", { intent: "create", label });
  expect(response.status).toBe(200);
  const token = /id="new-token"[^>]*value="([a-z0-9]+\.[a-z0-9]+)"/.exec(await response.text())?.[1];
  expect(token).toBeDefined();
  return token!;
}

/** An identity provider's client: bearer token, SCIM JSON, no cookies, no Origin. */
class Scim {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}
  async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.base}/scim/v2${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { "content-type": "application/scim+json" }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null };
  }
  get = (path: string) => this.send("GET", path);
  post = (path: string, body: unknown) => this.send("POST", path, body);
  put = (path: string, body: unknown) => this.send("PUT", path, body);
  patch = (path: string, operations: unknown[]) =>
    this.send("PATCH", path, { schemas: [PATCH_OP], Operations: operations });
  delete = (path: string) => this.send("DELETE", path);
}

const filterPath = (resource: string, filter: string) => `/${resource}?filter=${encodeURIComponent(filter)}`;

function expectError(
  answer: { status: number; headers: Headers; json: Record<string, unknown> },
  status: number,
  scimType?: string,
) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toMatch(/^application\/scim\+json/);
  expect(answer.json.schemas).toEqual([ERROR]);
  expect(answer.json.status).toBe(String(status));
  if (scimType) expect(answer.json.scimType).toBe(scimType);
  expect(typeof answer.json.detail).toBe("string");
}

const eventsOf = async (orgId: string, action: string) =>
  db()
    .select({ subject: auditEvents.subjectLabel, source: auditEvents.source, actor: auditEvents.actorLabel })
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, action)));

async function signIn(email: string, password = TEST_PASSWORD) {
  const client = new Client(server.url);
  expect((await client.login(email, password)).status).toBe(302);
  return client;
}

describe("Okta's provisioning sequence", () => {
  it("checks by userName, creates, reads, deactivates (ending sessions) and reactivates a person", async () => {
    const { org, scim } = await provisioned();
    const email = unique("Okta.User");

    // 1. Okta asks whether the person exists.
    const lookup = await scim.get(filterPath("Users", `userName eq "${email}"`) + "&startIndex=1&count=100");
    expect(lookup.status).toBe(200);
    expect(lookup.json).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });

    // 2. It creates them.
    const created = await scim.post("/Users", {
      schemas: [USER],
      userName: email,
      name: { givenName: "Olive", familyName: "Okta" },
      emails: [{ primary: true, value: email, type: "work" }],
      displayName: "Olive Okta",
      locale: "en-US",
      externalId: "00u1abcd",
      groups: [],
      password: "not-kept-1!",
      active: true,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toMatch(/^application\/scim\+json/);
    const id = created.json.id as string;
    expect(created.headers.get("location")).toMatch(new RegExp(`/scim/v2/Users/${id}$`));
    expect(created.json).toMatchObject({
      userName: email.toLowerCase(),
      displayName: "Olive Okta",
      active: true,
      externalId: "00u1abcd",
      emails: [{ value: email.toLowerCase(), type: "work", primary: true }],
    });
    const [row] = await db().select().from(users).where(eq(users.id, id));
    expect(row).toMatchObject({ orgId: org.id, name: "Olive Okta", passwordHash: null, active: true });
    const roles = await db().select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, id));
    expect(roles.map((r) => r.role)).toEqual(["rep"]);
    // No SSO in this organization: like an imported person, an invitation to choose a password.
    const mails = await db().select({ text: outbox.text }).from(outbox).where(eq(outbox.to, email.toLowerCase()));
    expect(mails.some((m) => m.text.includes("/invite/"))).toBe(true);
    expect(await eventsOf(org.id, "person.created")).toEqual([
      { subject: email.toLowerCase(), source: "scim", actor: "SCIM token “Okta”" },
    ]);

    // 3. Found by filter now, and by externalId and the work e-mail (Entra's default matching).
    for (const filter of [
      `userName eq "${email}"`,
      `externalId eq "00u1abcd"`,
      `emails[type eq "work"].value eq "${email}"`,
    ]) {
      const found = await scim.get(filterPath("Users", filter));
      expect(found.json.totalResults, filter).toBe(1);
      expect(found.json.Resources[0].id).toBe(id);
    }
    expect((await scim.get(`/Users/${id}`)).json.name).toMatchObject({ givenName: "Olive", familyName: "Okta" });

    // 4. The person signs in (a password set here for the test), then Okta deactivates them.
    await setPassword(id);
    const rep = await signIn(email.toLowerCase());
    expect((await rep.request("/today")).status).toBe(200);
    const off = await scim.patch(`/Users/${id}`, [{ op: "replace", value: { active: false } }]);
    expect(off.status).toBe(200);
    expect(off.json.active).toBe(false);
    expect(await db().select().from(sessions).where(eq(sessions.userId, id))).toEqual([]);
    expect((await rep.request("/today")).status).toBe(302);
    expect(await eventsOf(org.id, "person.deactivated")).toHaveLength(1);

    // 5. And reactivates them (PUT, as Okta's "push profile" does), renaming them on the way.
    const back = await scim.put(`/Users/${id}`, {
      schemas: [USER],
      id,
      userName: email,
      name: { givenName: "Olive", familyName: "Oak" },
      emails: [{ primary: true, value: email, type: "work" }],
      active: true,
    });
    expect(back.status).toBe(200);
    expect(back.json).toMatchObject({ active: true, displayName: "Olive Oak" });
    expect(await eventsOf(org.id, "person.reactivated")).toHaveLength(1);
    expect((await signIn(email.toLowerCase())).jar.size).toBeGreaterThan(0);
  });
});

/** Gives an account the tests' password, so its owner can sign in. */
async function setPassword(userId: string) {
  const { hashPassword } = await import("~/features/auth/password.server");
  await db()
    .update(users)
    .set({ passwordHash: await hashPassword(TEST_PASSWORD) })
    .where(eq(users.id, userId));
}

describe("Microsoft Entra ID's provisioning sequence", () => {
  it("matches by userName, creates with the enterprise extension, and applies Entra's PATCH shapes", async () => {
    const { org, scim } = await provisioned();
    const managerEmail = unique("boss");
    const email = unique("entra.rep");

    // Entra's connection test: a filter on a random attribute value must answer an empty list.
    const probe = await scim.get(filterPath("Users", `userName eq "non-existent-user-${Date.now()}"`));
    expect(probe.json.totalResults).toBe(0);

    const manager = await scim.post("/Users", {
      schemas: [USER, ENTERPRISE],
      externalId: "boss-1",
      userName: managerEmail,
      active: true,
      displayName: "Bea Boss",
      emails: [{ primary: true, type: "work", value: managerEmail }],
      meta: { resourceType: "User" },
      name: { formatted: "Bea Boss", familyName: "Boss", givenName: "Bea" },
      title: "Sales Director",
      [ENTERPRISE]: { department: "Sales" },
    });
    expect(manager.status).toBe(201);
    const team = await makeTeam(org.id, "Inside Sales");

    const rep = await scim.post("/Users", {
      schemas: [USER, ENTERPRISE],
      externalId: "rep-1",
      userName: email,
      active: true,
      emails: [{ primary: true, type: "work", value: email }],
      name: { familyName: "Rep", givenName: "Ria" },
      [ENTERPRISE]: { employeeNumber: "42" },
    });
    expect(rep.status).toBe(201);
    const id = rep.json.id as string;
    expect(rep.json.displayName).toBe("Ria Rep");

    // The team (a group) gets the rep as a member: Entra's "Add" of members.
    const groupAdd = await scim.patch(`/Groups/${team.id}`, [{ op: "Add", path: "members", value: [{ value: id }] }]);
    expect(groupAdd.status).toBe(204);

    // Entra's PATCH: op names capitalised, path-less values with dotted keys, the manager by id.
    const changed = await scim.patch(`/Users/${id}`, [
      { op: "Replace", path: "name.givenName", value: "Rita" },
      { op: "Replace", path: 'emails[type eq "work"].value', value: email },
      { op: "Add", path: `${ENTERPRISE}:manager`, value: manager.json.id },
      { op: "Replace", value: { "name.familyName": "Reps", title: "Account Executive" } },
    ]);
    expect(changed.status).toBe(200);
    expect(changed.json.displayName).toBe("Rita Reps");
    expect(changed.json[ENTERPRISE]).toMatchObject({ manager: { value: manager.json.id } });

    // The manager now manages the rep's team, and holds the manager role.
    const places = await db()
      .select({ role: teamMembers.role })
      .from(teamMembers)
      .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, manager.json.id)));
    expect(places.map((p) => p.role)).toEqual(["manager"]);
    const managerRoles = await db()
      .select({ role: userRoles.role })
      .from(userRoles)
      .where(eq(userRoles.userId, manager.json.id));
    expect(managerRoles.map((r) => r.role).sort()).toEqual(["manager", "rep"]);

    // Entra disables with the string "False".
    const disabled = await scim.patch(`/Users/${id}`, [{ op: "Replace", path: "active", value: "False" }]);
    expect(disabled.json.active).toBe(false);
    const enabled = await scim.patch(`/Users/${id}`, [{ op: "replace", value: { active: "True" } }]);
    expect(enabled.json.active).toBe(true);

    // Removing the manager keeps the team's managers as they are; the user no longer names one.
    const unmanaged = await scim.patch(`/Users/${id}`, [{ op: "Remove", path: `${ENTERPRISE}:manager` }]);
    expect(unmanaged.json[ENTERPRISE]).toBeUndefined();

    // Entra's hard delete: the person is deactivated, signed out at once, and their history stays.
    await setPassword(id);
    const signedIn = await signIn(email.toLowerCase());
    expect((await signedIn.request("/today")).status).toBe(200);
    expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
    expect(await db().select().from(sessions).where(eq(sessions.userId, id))).toEqual([]);
    expect((await signedIn.request("/today")).status).toBe(302);
    const after = await scim.get(`/Users/${id}`);
    expect(after.json.active).toBe(false);
  });

  it("keeps a userPrincipalName apart from the mail: the account's address is the mail, and neither overwrites the other", async () => {
    const { org, scim } = await provisioned();
    const tag = Math.random().toString(36).slice(2, 8);
    const upn = `ria.${tag}@contoso.onmicrosoft.example`;
    const mail = `Ria.Rep.${tag}@contoso.example`;

    // Entra's create: userName is the userPrincipalName, the work e-mail is the mail.
    const created = await scim.post("/Users", {
      schemas: [USER, ENTERPRISE],
      externalId: `ria-${tag}`,
      userName: upn,
      active: true,
      displayName: "Ria Rep",
      emails: [{ primary: true, type: "work", value: mail }],
      meta: { resourceType: "User" },
    });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    expect(created.json.userName).toBe(upn);
    expect(created.json.emails).toEqual([{ value: mail.toLowerCase(), type: "work", primary: true }]);
    // The account is the mail's: invitations, digests and single sign-on go by it.
    const [account] = await db().select({ email: users.email }).from(users).where(eq(users.id, id));
    expect(account!.email).toBe(mail.toLowerCase());
    const invited = await db().select({ to: outbox.to }).from(outbox).where(eq(outbox.orgId, org.id));
    expect(invited.map((m) => m.to)).toContain(mail.toLowerCase());

    // Found by either, each by its own attribute.
    for (const [filter, total] of [
      [`userName eq "${upn.toUpperCase()}"`, 1],
      [`emails[type eq "work"].value eq "${mail}"`, 1],
      [`userName eq "${mail}"`, 0],
    ] as const)
      expect((await scim.get(filterPath("Users", filter))).json.totalResults, filter).toBe(total);

    // The next sync sends each again: nothing changes, and nothing is recorded as a change.
    const again = await scim.patch(`/Users/${id}`, [
      { op: "Replace", path: "userName", value: upn },
      { op: "Replace", path: 'emails[type eq "work"].value', value: mail },
    ]);
    expect(again.json).toMatchObject({ userName: upn, emails: [{ value: mail.toLowerCase() }] });
    expect(await eventsOf(org.id, "person.email-changed")).toEqual([]);

    // A new mail changes the address and keeps the userPrincipalName; a new userPrincipalName
    // keeps the address.
    const newMail = `ria.r.${tag}@contoso.example`;
    const moved = await scim.patch(`/Users/${id}`, [
      { op: "Replace", path: 'emails[type eq "work"].value', value: newMail },
    ]);
    expect(moved.json).toMatchObject({ userName: upn, emails: [{ value: newMail }] });
    const newUpn = `ria.r.${tag}@contoso.onmicrosoft.example`;
    const renamed = await scim.patch(`/Users/${id}`, [{ op: "Replace", path: "userName", value: newUpn }]);
    expect(renamed.json).toMatchObject({ userName: newUpn, emails: [{ value: newMail }] });
    expect(await eventsOf(org.id, "person.email-changed")).toHaveLength(1);

    // A userName is one person's: another create with it is a conflict, whatever its mail.
    expectError(
      await scim.post("/Users", { schemas: [USER], userName: newUpn, emails: [{ type: "work", value: unique("x") }] }),
      409,
      "uniqueness",
    );
    // A userName that is no address needs a work e-mail beside it.
    expectError(await scim.post("/Users", { schemas: [USER], userName: `ria${tag}` }), 400, "invalidValue");
    const bare = await scim.post("/Users", {
      schemas: [USER],
      userName: `ria${tag}`,
      emails: [{ type: "work", value: unique("bare") }],
    });
    expect(bare.status).toBe(201);
    expect(bare.json.userName).toBe(`ria${tag}`);

    // Entra's other PATCH shapes: active as a real boolean.
    const off = await scim.patch(`/Users/${id}`, [{ op: "Replace", path: "active", value: false }]);
    expect(off.json.active).toBe(false);
  });
});

describe("single sign-on", () => {
  it("people created on a domain the organization signs in with get no invitation; others do", async () => {
    const { org, scim } = await provisioned();
    const tag = Math.random().toString(36).slice(2, 8);
    const domain = `sso-${tag}.example`;
    await claimSsoDomain(org.id, domain);
    const inside = `ina.${tag}@${domain}`;
    const outside = unique("ola");
    for (const userName of [inside, outside])
      expect((await scim.post("/Users", { schemas: [USER], userName })).status).toBe(201);
    const mails = await db().select({ to: outbox.to }).from(outbox).where(eq(outbox.orgId, org.id));
    expect(mails.map((m) => m.to)).toEqual([outside]);
    expect((await eventsOf(org.id, "person.created")).map((e) => e.subject).sort()).toEqual([inside, outside].sort());
  });
});

describe("groups are teams", () => {
  it("creates a group with members, finds it by displayName, and follows Okta's and Entra's membership patches", async () => {
    const { org, scim } = await provisioned();
    const people = [];
    for (const name of ["ann", "ben", "cat"]) {
      const created = await scim.post("/Users", { schemas: [USER], userName: unique(name), name: { formatted: name } });
      people.push(created.json.id as string);
    }
    const [ann, ben, cat] = people as [string, string, string];

    const group = await scim.post("/Groups", {
      schemas: [GROUP],
      displayName: "West Coast",
      members: [{ value: ann }],
    });
    expect(group.status).toBe(201);
    const id = group.json.id as string;
    expect(group.json.members.map((m: { value: string }) => m.value)).toEqual([ann]);

    const found = await scim.get(filterPath("Groups", `displayName eq "west coast"`) + "&excludedAttributes=members");
    expect(found.json.totalResults).toBe(1);
    expect(found.json.Resources[0]).toMatchObject({ id, displayName: "West Coast" });
    expect(found.json.Resources[0].members).toBeUndefined();

    // The same name again is a conflict.
    expectError(await scim.post("/Groups", { schemas: [GROUP], displayName: "WEST COAST" }), 409, "uniqueness");

    // Okta: add and remove with a value list, rename with a path-less value.
    expect(
      (await scim.patch(`/Groups/${id}`, [{ op: "add", path: "members", value: [{ value: ben }, { value: cat }] }]))
        .status,
    ).toBe(204);
    await scim.patch(`/Groups/${id}`, [{ op: "remove", path: "members", value: [{ value: ann }] }]);
    await scim.patch(`/Groups/${id}`, [{ op: "replace", value: { id, displayName: "West" } }]);
    // Entra: is a user a member? (asked before each membership change)
    const isMember = (user: string) =>
      scim.get(filterPath("Groups", `id eq "${id}" and members eq "${user}"`) + "&attributes=id");
    expect((await isMember(ben)).json.totalResults).toBe(1);
    expect((await isMember(ann)).json.totalResults).toBe(0);
    expect(
      (await scim.get(filterPath("Groups", `id eq "${id}" and members.value eq "${cat}"`))).json.totalResults,
    ).toBe(1);
    // Entra: remove by a filter in the path.
    await scim.patch(`/Groups/${id}`, [{ op: "Remove", path: `members[value eq "${ben}"]` }]);
    const now = await scim.get(`/Groups/${id}`);
    expect(now.json.displayName).toBe("West");
    expect(now.json.members.map((m: { value: string }) => m.value)).toEqual([cat]);
    const rows = await db()
      .select({ userId: teamMembers.userId, role: teamMembers.role })
      .from(teamMembers)
      .where(eq(teamMembers.teamId, id));
    expect(rows).toEqual([{ userId: cat, role: "member" }]);

    // PUT replaces name and members; DELETE empties the team and keeps it.
    const put = await scim.put(`/Groups/${id}`, {
      schemas: [GROUP],
      displayName: "West Coast",
      members: [{ value: ann }],
    });
    expect(put.json.members.map((m: { value: string }) => m.value)).toEqual([ann]);
    expect((await scim.delete(`/Groups/${id}`)).status).toBe(204);
    expect((await scim.get(`/Groups/${id}`)).json.members).toEqual([]);

    expect((await eventsOf(org.id, "team.created")).map((e) => e.source)).toEqual(["scim"]);
    expect((await eventsOf(org.id, "team.members-changed")).length).toBeGreaterThanOrEqual(5);

    // Entra's group shapes: its own schema beside the core one, externalId, a display name
    // replaced by path, members removed with a null $ref; Okta's members carry their display.
    const entra = await scim.post("/Groups", {
      schemas: [GROUP, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
      displayName: "Entra Team",
      meta: { resourceType: "Group" },
    });
    expect(entra.status).toBe(201);
    const entraId = entra.json.id as string;
    expect((await scim.get(`/Groups/${entraId}?excludedAttributes=members`)).json.members).toBeUndefined();
    await scim.patch(`/Groups/${entraId}`, [{ op: "Replace", path: "displayName", value: "Entra Sales" }]);
    await scim.patch(`/Groups/${entraId}`, [
      { op: "add", path: "members", value: [{ value: ann, display: "ann@scim.example" }, { value: ben }] },
    ]);
    await scim.patch(`/Groups/${entraId}`, [{ op: "Remove", path: "members", value: [{ $ref: null, value: ann }] }]);
    const entraNow = await scim.get(`/Groups/${entraId}`);
    expect(entraNow.json).toMatchObject({ displayName: "Entra Sales", members: [{ value: ben }] });
    // Okta's group listing, a page at a time.
    const okta = await scim.get("/Groups?startIndex=1&count=100");
    expect(okta.json.Resources.map((g: { id: string }) => g.id).sort()).toEqual([id, entraId].sort());

    // A member who is not a person of this organization.
    expectError(
      await scim.patch(`/Groups/${id}`, [{ op: "add", path: "members", value: [{ value: "nobody" }] }]),
      400,
      "invalidValue",
    );
  });
});

describe("lists", () => {
  it("pages with startIndex and count and says how many there are", async () => {
    const { org, scim } = await provisioned();
    for (let i = 0; i < 4; i++) await makeUser(org.id, ["rep"]);
    // The admin and the four.
    const all = await scim.get("/Users");
    expect(all.json.totalResults).toBe(5);
    const second = await scim.get("/Users?startIndex=3&count=2");
    expect(second.json).toMatchObject({ totalResults: 5, startIndex: 3, itemsPerPage: 2 });
    expect(second.json.Resources.map((r: { id: string }) => r.id)).toEqual(
      all.json.Resources.slice(2, 4).map((r: { id: string }) => r.id),
    );
    const past = await scim.get("/Users?startIndex=9&count=2");
    expect(past.json).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    expect((await scim.get("/Users?count=0")).json).toMatchObject({ totalResults: 5, Resources: [] });
    expectError(await scim.get("/Users?count=many"), 400, "invalidValue");
  });

  it("describes itself: ServiceProviderConfig, ResourceTypes and Schemas", async () => {
    const { scim } = await provisioned();
    const config = await scim.get("/ServiceProviderConfig");
    expect(config.json).toMatchObject({
      patch: { supported: true },
      filter: { supported: true },
      bulk: { supported: false },
    });
    const types = await scim.get("/ResourceTypes");
    expect(types.json.Resources.map((r: { id: string }) => r.id)).toEqual(["User", "Group"]);
    expect((await scim.get("/ResourceTypes/User")).json.schemaExtensions[0].schema).toBe(ENTERPRISE);
    const schemas = await scim.get("/Schemas");
    expect(schemas.json.Resources.map((r: { id: string }) => r.id)).toEqual([USER, GROUP, ENTERPRISE]);
    expect(
      (await scim.get(`/Schemas/${USER}`)).json.attributes.some((a: { name: string }) => a.name === "userName"),
    ).toBe(true);
  });
});

describe("refused requests answer in SCIM's error format", () => {
  it("names what is wrong, with the scimType where one is defined, and changes nothing", async () => {
    const { org, scim } = await provisioned();
    const before = (await db().select({ id: users.id }).from(users).where(eq(users.orgId, org.id))).length;
    expectError(await scim.get(filterPath("Users", 'userName sw "a"')), 400, "invalidFilter");
    expectError(await scim.get(filterPath("Users", "userName eq")), 400, "invalidFilter");
    expectError(await scim.get(filterPath("Users", "not a filter")), 400, "invalidFilter");
    expectError(await scim.get(filterPath("Users", 'userName eq "a" or userName eq "b"')), 400, "invalidFilter");
    expectError(await scim.get(filterPath("Groups", 'members eq "x"')), 400, "invalidFilter");
    expectError(await scim.send("POST", "/Users", "{not json"), 400, "invalidSyntax");
    expectError(await scim.send("POST", "/Users", "[]"), 400, "invalidSyntax");
    expectError(
      await scim.send("POST", "/Users", JSON.stringify({ userName: unique("x") }), { "content-type": "text/plain" }),
      415,
    );
    const huge = JSON.stringify({ schemas: [USER], userName: unique("big"), displayName: "x".repeat(600 * 1024) });
    expectError(await scim.send("POST", "/Users", huge), 413);
    const enormous = JSON.stringify({ schemas: [USER], userName: unique("big"), displayName: "x".repeat(1100 * 1024) });
    expectError(await scim.send("POST", "/Users", enormous), 413);
    expectError(
      await scim.post("/Users", { schemas: [USER], userName: unique("x"), shoeSize: 44 }),
      400,
      "invalidSyntax",
    );
    expectError(
      await scim.post("/Groups", { schemas: [GROUP], displayName: "G", colour: "red" }),
      400,
      "invalidSyntax",
    );
    expectError(await scim.post("/Users", { schemas: [USER], userName: "not an address" }), 400, "invalidValue");
    expectError(await scim.post("/Users", { schemas: [USER], displayName: "No Name" }), 400, "invalidValue");
    expectError(await scim.post("/Groups", { schemas: [GROUP] }), 400, "invalidValue");

    const { json: person } = await scim.post("/Users", { schemas: [USER], userName: unique("ok") });
    expectError(await scim.send("PATCH", `/Users/${person.id}`, { Operations: [] }), 400, "invalidSyntax");
    expectError(
      await scim.patch(`/Users/${person.id}`, [{ op: "move", path: "active", value: true }]),
      400,
      "invalidSyntax",
    );
    expectError(await scim.patch(`/Users/${person.id}`, [{ op: "remove" }]), 400, "noTarget");
    expectError(
      await scim.patch(`/Users/${person.id}`, [{ op: "replace", path: "active", value: "maybe" }]),
      400,
      "invalidValue",
    );
    expectError(await scim.patch(`/Users/${person.id}`, [{ op: "remove", path: "userName" }]), 400, "invalidValue");
    expectError(
      await scim.patch(`/Users/${person.id}`, [{ op: "replace", path: "favouriteColour", value: "red" }]),
      400,
      "invalidPath",
    );
    expectError(
      await scim.patch(`/Users/${person.id}`, [{ op: "add", path: `${ENTERPRISE}:manager`, value: "nobody" }]),
      400,
      "invalidValue",
    );
    expectError(await scim.get("/Users/no-such-id"), 404);
    expectError(await scim.get("/Widgets"), 404);
    expectError(await scim.send("DELETE", "/Users"), 405);
    expect((await scim.get(`/Users/${person.id}`)).json.active).toBe(true);
    const after = (await db().select({ id: users.id }).from(users).where(eq(users.orgId, org.id))).length;
    expect(after).toBe(before + 1);
  });

  it("refuses an address of another organization with the import's words, naming no organization, and records it", async () => {
    const { org, scim } = await provisioned();
    const elsewhere = await makeOrg("Rival Corp");
    const theirs = await makeUser(elsewhere.id, ["rep"], unique("taken"));
    const answer = await scim.post("/Users", { schemas: [USER], userName: theirs.email });
    expectError(answer, 409, "uniqueness");
    expect(answer.json.detail).toContain("this address cannot be added");
    expect(answer.json.detail).not.toContain("Rival");
    expect(await eventsOf(org.id, "address.refused")).toEqual([
      { subject: theirs.email, source: "scim", actor: "SCIM token “Okta”" },
    ]);
    // Changing someone's userName to it is refused the same way.
    const { json: mine } = await scim.post("/Users", { schemas: [USER], userName: unique("mine") });
    const renamed = await scim.patch(`/Users/${mine.id}`, [{ op: "replace", path: "userName", value: theirs.email }]);
    expectError(renamed, 409, "uniqueness");
    expect(renamed.json.detail).toContain("this address cannot be added");
    // An address of this organization is a plain conflict.
    expectError(await scim.post("/Users", { schemas: [USER], userName: mine.userName }), 409, "uniqueness");
  });
});

describe("tokens", () => {
  it("open nothing without a valid bearer token; a session cookie never does", async () => {
    const { client, scim } = await provisioned();
    const anonymous = await fetch(`${server.url}/scim/v2/Users`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await anonymous.json()).schemas).toEqual([ERROR]);
    // The admin's own browser session, no token: refused, for a read and for a write.
    expect((await client.request("/scim/v2/Users")).status).toBe(401);
    const write = await client.request("/scim/v2/Users", {
      method: "POST",
      headers: { "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: [USER], userName: unique("cookie") }),
    });
    expect(write.status).toBe(401);
    const [id] = scim.token.split(".");
    for (const wrong of [`${id}.wrongsecret`, "garbage", `${scim.token}x`])
      expectError(await new Scim(server.url, wrong).get("/Users"), 401);
  });

  it("are shown once, listed with their last use, and stop working when revoked", async () => {
    const { org, client, scim } = await provisioned();
    expect((await scim.get("/Users")).status).toBe(200);
    const page = await (await client.request("/admin/scim")).text();
    expect(page).toContain("Okta");
    expect(page).not.toContain(scim.token);
    const [row] = await db().select().from(scimTokens).where(eq(scimTokens.orgId, org.id));
    expect(row!.lastUsedAt).not.toBeNull();
    expect(row!.secretHash.toString("utf8")).not.toContain(scim.token.split(".")[1]!);

    const revoked = await client.post("/admin/scim", { intent: "revoke", tokenId: row!.id });
    expect(revoked.status).toBe(200);
    expectError(await scim.get("/Users"), 401);
    expect((await eventsOf(org.id, "scim.token-created")).map((e) => e.source)).toEqual(["admin page"]);
    expect(await eventsOf(org.id, "scim.token-revoked")).toHaveLength(1);

    // Another organization's admin cannot revoke this organization's token.
    const other = await organizationWithAdmin(server);
    const token = await newToken(client, "Entra ID");
    const [second] = await db()
      .select({ id: scimTokens.id })
      .from(scimTokens)
      .where(and(eq(scimTokens.orgId, org.id), eq(scimTokens.label, "Entra ID")));
    expect((await other.client.post("/admin/scim", { intent: "revoke", tokenId: second!.id })).status).toBe(404);
    expect((await new Scim(server.url, token).get("/Users")).status).toBe(200);
  });

  it("are throttled per token, with 429 in SCIM's format and Retry-After", async () => {
    const { client, scim } = await provisioned();
    let answer = await scim.get("/ServiceProviderConfig");
    for (let i = 1; i < LIMIT; i++) answer = await scim.get("/ServiceProviderConfig");
    expect(answer.status).toBe(200);
    const refused = await scim.get("/Users");
    expectError(refused, 429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another token of the same organization has its own count.
    expect((await new Scim(server.url, await newToken(client, "Second")).get("/Users")).status).toBe(200);
  });
});

describe("one organization's token", () => {
  it("never reads or changes another organization's people or teams", async () => {
    const { scim } = await provisioned();
    const theirs = await makeOrg();
    const person = await makeUser(theirs.id, ["rep"]);
    const team = await makeTeam(theirs.id, "Their Team", [{ userId: person.id, role: "member" }]);

    expectError(await scim.get(`/Users/${person.id}`), 404);
    expectError(await scim.patch(`/Users/${person.id}`, [{ op: "replace", value: { active: false } }]), 404);
    expectError(await scim.put(`/Users/${person.id}`, { schemas: [USER], userName: person.email, active: false }), 404);
    expectError(await scim.delete(`/Users/${person.id}`), 404);
    expectError(await scim.get(`/Groups/${team.id}`), 404);
    expectError(
      await scim.patch(`/Groups/${team.id}`, [{ op: "add", path: "members", value: [{ value: person.id }] }]),
      404,
    );
    expectError(await scim.delete(`/Groups/${team.id}`), 404);
    expect((await scim.get(filterPath("Users", `userName eq "${person.email}"`))).json.totalResults).toBe(0);
    expect((await scim.get(filterPath("Groups", `displayName eq "Their Team"`))).json.totalResults).toBe(0);
    // Their person as a member of one of ours: not a person of this organization.
    const { json: ours } = await scim.post("/Groups", { schemas: [GROUP], displayName: "Ours" });
    expectError(
      await scim.patch(`/Groups/${ours.id}`, [{ op: "add", path: "members", value: [{ value: person.id }] }]),
      400,
    );

    const [row] = await db().select().from(users).where(eq(users.id, person.id));
    expect(row!.active).toBe(true);
    const members = await db().select().from(teamMembers).where(eq(teamMembers.teamId, team.id));
    expect(members).toHaveLength(1);
  });
});

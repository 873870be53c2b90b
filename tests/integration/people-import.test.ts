// Bringing people in from a CSV file and the audit trail of who changed whom, over real HTTP
// against the production build (decision 029): the dry run and its exact apply, idempotence,
// problems with their lines, bad files, organizations kept apart, deactivating those missing from
// the file, and the audit page with its filter, pages, CSV export and retention.
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { auditEvents, invitations, outbox, sessions, teamMembers, teams, userRoles, users } from "~/db/schema";
import { newId } from "~/db/ids";
import type { AuditSource } from "~/db/model";
import { runScheduledWork } from "~/features/ops/scheduled-work.server";
import { claimSsoDomain, makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, organizationWithAdmin, startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

/** A new organization with its admin signed in. */
const newOrganization = () => organizationWithAdmin(server);

const tag = () => Math.random().toString(36).slice(2, 8);

/** Posts the import form with `file` (text or bytes) and the other fields, as a browser without JavaScript does. */
function upload(client: Client, file: string | Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("intent", "preview");
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  form.set(
    "file",
    new Blob([typeof file === "string" ? file : new Uint8Array(file)], { type: "text/csv" }),
    "people.csv",
  );
  return client.request("/admin/people/import", { method: "POST", body: form });
}

/** The dry run's page and the two fingerprints its apply button carries. */
async function dryRun(client: Client, file: string | Uint8Array) {
  const response = await upload(client, file);
  const html = await response.text();
  const hidden = (name: string) => new RegExp(`name="${name}" value="([0-9a-f]{64})"`).exec(html)?.[1] ?? null;
  return { status: response.status, html, fileHash: hidden("fileHash"), planHash: hidden("planHash") };
}

async function applyFile(client: Client, file: string | Uint8Array, extra: Record<string, string> = {}) {
  const run = await dryRun(client, file);
  expect(run.fileHash, run.html.slice(0, 2000)).not.toBeNull();
  const response = await upload(client, file, {
    intent: "apply",
    fileHash: run.fileHash!,
    planHash: run.planHash!,
    ...extra,
  });
  return { run, response, html: await response.text() };
}

/** The page's words as a person reads them (tags and React's text separators gone). */
const text = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<\/?(strong|em|span)[^>]*>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&gt;/g, ">")
    .replace(/&lt;/g, "<")
    .replace(/\s+/g, " ");

const peopleOf = (orgId: string) =>
  db()
    .select({ id: users.id, email: users.email, name: users.name, active: users.active })
    .from(users)
    .where(eq(users.orgId, orgId));

async function rolesOf(email: string) {
  const rows = await db()
    .select({ role: userRoles.role })
    .from(userRoles)
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(eq(users.email, email));
  return rows.map((r) => r.role).sort();
}

async function placesOf(email: string) {
  const rows = await db()
    .select({ team: teams.name, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(eq(users.email, email));
  return rows.map((r) => `${r.role}:${r.team}`).sort();
}

const mailsTo = (emails: string[]) =>
  db().select({ to: outbox.to, text: outbox.text }).from(outbox).where(inArray(outbox.to, emails));

const eventsOf = (orgId: string) =>
  db()
    .select({
      action: auditEvents.action,
      subject: auditEvents.subjectLabel,
      source: auditEvents.source,
      actorId: auditEvents.actorId,
      details: auditEvents.details,
    })
    .from(auditEvents)
    .where(eq(auditEvents.orgId, orgId));

describe("a dry run, then the apply", () => {
  it("the dry run lists who is added, changed and unchanged with the change, and writes nothing", async () => {
    const { org, admin, client } = await newOrganization();
    const t = tag();
    const kept = await makeUser(org.id, ["rep"], `kept.${t}@test.example`, "Kept Rep");
    const moved = await makeUser(org.id, ["rep"], `moved.${t}@test.example`, "Moved Rep");
    const west = await makeTeam(org.id, "West", [
      { userId: kept.id, role: "member" },
      { userId: moved.id, role: "member" },
    ]);
    const file = [
      "email,name,roles,team,manages",
      `${admin.email},${admin.name},admin;manager;trainer,,`,
      `kept.${t}@test.example,Kept Rep,rep,West,`,
      `moved.${t}@test.example,Moved Rep,rep;manager,East,West`,
      `new.${t}@test.example,New Person,rep,East,`,
    ].join("\n");
    const before = await peopleOf(org.id);
    const run = await dryRun(client, file);
    expect(run.status).toBe(200);
    const page = text(run.html);
    expect(page).toContain("1 to add and invite");
    expect(page).toContain("1 to change");
    expect(page).toContain("2 unchanged");
    expect(page).toContain("1 new team: East");
    expect(page).toContain("0 problems");
    expect(page).toContain(`Line 5 · New Person new.${t}@test.example`);
    expect(page).toContain("roles: rep → manager, rep");
    expect(page).toContain("member of: West → East");
    expect(page).toContain("manages: none → West");
    expect(await peopleOf(org.id)).toEqual(before);
    expect(await db().select().from(teams).where(eq(teams.orgId, org.id))).toHaveLength(1);
    expect(await placesOf(moved.email)).toEqual(["member:West"]);
    expect(west.id).toBeTruthy();
  });

  it("the apply does what the dry run showed: accounts, roles, teams, managers, and invitations to the new people only", async () => {
    const { org, admin, client } = await newOrganization();
    const t = tag();
    // Deactivated, and under an older name: the file brings them back as it names them.
    const known = await makeUser(org.id, ["rep"], `known.${t}@test.example`, "Old Name");
    await db().update(users).set({ active: false }).where(eq(users.id, known.id));
    const file = [
      "email,name,roles,team,manages",
      `ana.${t}@test.example,Ana Rep,rep,West,`,
      `max.${t}@test.example,Max Manager,manager,,West;East`,
      `pat.${t}@test.example,Pat Coach,rep;manager,East,East`,
      `known.${t}@test.example,Known Rep,rep,West,`,
    ].join("\r\n");
    const { response, html } = await applyFile(client, file);
    expect(response.status).toBe(200);
    expect(text(html)).toContain(
      "Imported. 3 added and invited, 1 changed, 0 unchanged, 2 teams created, 0 deactivated.",
    );

    expect(await rolesOf(`pat.${t}@test.example`)).toEqual(["manager", "rep"]);
    expect(await placesOf(`ana.${t}@test.example`)).toEqual(["member:West"]);
    expect(await placesOf(`max.${t}@test.example`)).toEqual(["manager:East", "manager:West"]);
    expect(await placesOf(`pat.${t}@test.example`)).toEqual(["manager:East", "member:East"]);
    expect(await placesOf(known.email)).toEqual(["member:West"]);
    expect((await peopleOf(org.id)).find((p) => p.id === known.id)).toMatchObject({ name: "Known Rep", active: true });
    const created = (await peopleOf(org.id)).filter((p) => p.email.startsWith("ana.") || p.email.startsWith("max."));
    expect(created.map((p) => p.name).sort()).toEqual(["Ana Rep", "Max Manager"]);

    // Invitations through the invitation mail, to the three new people and nobody else.
    const mails = await mailsTo([
      `ana.${t}@test.example`,
      `max.${t}@test.example`,
      `pat.${t}@test.example`,
      known.email,
      admin.email,
    ]);
    expect(mails.map((m) => m.to).sort()).toEqual([
      `ana.${t}@test.example`,
      `max.${t}@test.example`,
      `pat.${t}@test.example`,
    ]);

    // The People page says who has not signed in yet, rather than "Active".
    const statusOf = async (email: string) => {
      const page = await (await client.request("/admin/users")).text();
      // The People table, after the table of invitations waiting.
      const row = page
        .slice(page.indexOf("People ("))
        .split("<tr")
        .find((r) => r.includes(email))!;
      return text(row).includes("Not signed in yet")
        ? "not signed in yet"
        : text(row).includes("Active")
          ? "active"
          : "?";
    };
    expect(await statusOf(`max.${t}@test.example`)).toBe("not signed in yet");
    expect(await statusOf(known.email)).toBe("active");

    // The invitee chooses a password and keeps what the import gave them.
    const link = /(\/invite\/[a-z0-9]+)/.exec(mails.find((m) => m.to.startsWith("max."))!.text)![1]!;
    const invitee = new Client(server.url);
    const accepted = await invitee.post(link, { name: "Max M.", password: TEST_PASSWORD, confirm: TEST_PASSWORD });
    expect(accepted.status).toBe(302);
    expect((await invitee.request("/")).headers.get("location")).toBe("/insights");
    expect(await statusOf(`max.${t}@test.example`)).toBe("active");
    expect(await placesOf(`max.${t}@test.example`)).toEqual(["manager:East", "manager:West"]);
    expect((await new Client(server.url).login(`max.${t}@test.example`, TEST_PASSWORD)).status).toBe(302);
    // The link works once.
    expect(
      (await new Client(server.url).post(link, { name: "X", password: TEST_PASSWORD, confirm: TEST_PASSWORD })).status,
    ).toBe(410);
  });

  it("importing the same file twice changes nothing and mails nobody", async () => {
    const { org, client } = await newOrganization();
    const t = tag();
    const file = [
      "email;name;roles;team;manages",
      `one.${t}@test.example;One Rep;rep;North;`,
      `two.${t}@test.example;Two Boss;manager;;North`,
    ].join("\n");
    expect((await applyFile(client, file)).response.status).toBe(200);
    const people = await peopleOf(org.id);
    const places = await db().select().from(teamMembers).where(eq(teamMembers.orgId, org.id));
    const mails = await mailsTo([`one.${t}@test.example`, `two.${t}@test.example`]);

    const again = await applyFile(client, file);
    expect(text(again.run.html)).toContain("0 to add and invite");
    expect(text(again.run.html)).toContain("2 unchanged");
    expect(text(again.html)).toContain(
      "Imported. 0 added and invited, 0 changed, 2 unchanged, 0 teams created, 0 deactivated.",
    );
    expect(await peopleOf(org.id)).toEqual(people);
    expect(await db().select().from(teamMembers).where(eq(teamMembers.orgId, org.id))).toEqual(places);
    expect(await mailsTo([`one.${t}@test.example`, `two.${t}@test.example`])).toHaveLength(mails.length);
  });

  it("a person leaves the teams the file no longer names; a team they stay in keeps when they joined it", async () => {
    const { org, client } = await newOrganization();
    const rep = await makeUser(org.id, ["rep", "manager"]);
    const joinedAt = new Date("2024-03-01T00:00:00Z");
    const team = await makeTeam(org.id, "Stay", [{ userId: rep.id, role: "member", joinedAt }]);
    await makeTeam(org.id, "Leave", [
      { userId: rep.id, role: "member" },
      { userId: rep.id, role: "manager" },
    ]);
    await applyFile(client, `email,name,roles,team,manages\n${rep.email},${rep.name},rep;manager,stay;Also,\n`);
    expect(await placesOf(rep.email)).toEqual(["member:Also", "member:Stay"]);
    const rows = await db().select().from(teamMembers).where(eq(teamMembers.userId, rep.id));
    expect(rows.find((r) => r.teamId === team.id)!.joinedAt.toISOString()).toBe(joinedAt.toISOString());
  });

  it("the apply refuses a file other than the dry run's, and a plan the organization has changed since", async () => {
    const { org, client } = await newOrganization();
    const t = tag();
    const file = `email,name,roles\nfirst.${t}@test.example,First,rep\n`;
    const run = await dryRun(client, file);
    const other = await upload(client, `email,name,roles\nother.${t}@test.example,Other,rep\n`, {
      intent: "apply",
      fileHash: run.fileHash!,
      planHash: run.planHash!,
    });
    expect(other.status).toBe(409);
    const otherPage = text(await other.text());
    expect(otherPage).toContain("This is not the file of your dry run");
    // The new file's dry run is shown in its place.
    expect(otherPage).toContain(`other.${t}@test.example`);

    // Someone joins in the meantime: the file would now deactivate-count / list differently.
    await makeUser(org.id, ["rep"], `meanwhile.${t}@test.example`);
    const stale = await upload(client, file, { intent: "apply", fileHash: run.fileHash!, planHash: run.planHash! });
    expect(stale.status).toBe(409);
    expect(text(await stale.text())).toContain("People or teams changed since your dry run");
    expect((await peopleOf(org.id)).map((p) => p.email)).not.toContain(`first.${t}@test.example`);
  });
});

describe("problems, each with its line, and nothing applied", () => {
  it("lists every problem with its line; a file with any problem applies nothing", async () => {
    const { org, client } = await newOrganization();
    const t = tag();
    const file = [
      "email,name,roles,team,manages",
      `good.${t}@test.example,Good Rep,rep,West,`,
      `not-an-address,Bad Address,rep,,`,
      `role.${t}@test.example,Wrong Role,boss,,`,
      `typo.${t}@test.example,Typo Manager,manager,,Wset`,
      `good.${t}@test.example,Twice,rep,,`,
      `coach.${t}@test.example,No Rep,manager,West,`,
      `noname.${t}@test.example,,rep,,`,
      `noroles.${t}@test.example,No Roles,,,`,
    ].join("\n");
    const run = await dryRun(client, file);
    const page = text(run.html);
    expect(page).toContain("7 problems");
    expect(page).toContain("Line 3: this address cannot be added (not-an-address).");
    expect(page).toContain("Line 4: “boss” is not a role: use rep, manager, trainer, admin");
    expect(page).toContain("Line 5: manages “Wset”, a team that does not exist and that no row names under team.");
    expect(page).toContain(`Line 6: good.${t}@test.example is also on line 2: list each person once.`);
    expect(page).toContain("Line 7: only reps are members of a team");
    expect(page).toContain("Line 8: the name is missing.");
    expect(page).toContain("Line 9: no role");
    expect(run.fileHash).toBeNull();
    expect(page).not.toContain("Apply this import");

    // Even sent by hand with made-up fingerprints, the apply writes nothing.
    const forced = await upload(client, file, { intent: "apply", fileHash: "a".repeat(64), planHash: "b".repeat(64) });
    expect([409, 422]).toContain(forced.status);
    expect((await peopleOf(org.id)).map((p) => p.email)).not.toContain(`good.${t}@test.example`);
    expect(await db().select().from(teams).where(eq(teams.orgId, org.id))).toHaveLength(0);
  });

  it("reads UTF-8 with a byte order mark and semicolons, with quoted fields", async () => {
    const { org, client } = await newOrganization();
    const t = tag();
    const csv = `\uFEFFemail;name;roles;team\r\nzoe.${t}@test.example;"Zoë Ærø; Jr.";rep;Süd\r\n`;
    const { response } = await applyFile(client, new TextEncoder().encode(csv));
    expect(response.status).toBe(200);
    const zoe = (await peopleOf(org.id)).find((p) => p.email === `zoe.${t}@test.example`)!;
    expect(zoe.name).toBe("Zoë Ærø; Jr.");
    expect(await placesOf(zoe.email)).toEqual(["member:Süd"]);
  });

  it("refuses a formula such as =HYPERLINK(…) in a name, with its line", async () => {
    const { org, client } = await newOrganization();
    const t = tag();
    const run = await dryRun(
      client,
      `email,name,roles\nok.${t}@test.example,Ok,rep\nf.${t}@test.example,"=HYPERLINK(""http://evil.example"",""x"")",rep\n`,
    );
    expect(text(run.html)).toContain("Line 3: the name “=HYPERLINK(");
    expect(text(run.html)).toContain("which a spreadsheet runs as a formula");
    expect(run.fileHash).toBeNull();
    expect((await peopleOf(org.id)).map((p) => p.email)).not.toContain(`ok.${t}@test.example`);
  });

  it("gives a clear message for a binary file, a workbook, another encoding, a row of 10,000 columns, no header, and changes nothing", async () => {
    const { org, client } = await newOrganization();
    const before = await peopleOf(org.id);
    const cases: Array<[string | Uint8Array, number, string]> = [
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 415, "This file is not text"],
      [new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0]), 415, "This looks like a spreadsheet workbook (.xlsx)"],
      [
        new Uint8Array([...new TextEncoder().encode("email,name,roles\na@b.example,Jos"), 0xe9, 0x0a]),
        415,
        "This file is not UTF-8 text",
      ],
      [`email,name,roles\nx@test.example,X,rep${",y".repeat(9_997)}\n`, 422, "Line 2 has more than 1,000 fields"],
      [`email,name,roles\nx@test.example,X,rep,a,b,c\n`, 200, "Line 2: it has 6 fields, the header 3"],
      [`name,roles\nX,rep\n`, 422, "Missing: email"],
      [`email,name,roles\n"x@test.example,X,rep\n`, 422, "never closes"],
      ["", 400, "Choose a CSV file to import."],
    ];
    for (const [file, status, message] of cases) {
      const response = await upload(client, file);
      const page = text(await response.text());
      expect(response.status, message).toBe(status);
      expect(page).toContain(message);
      expect(page).toContain("Sign out");
    }
    expect(await peopleOf(org.id)).toEqual(before);
  });

  it("refuses a file over 20 MB with a clear message, whether its size is declared or not", async () => {
    const { client } = await newOrganization();
    const big = new Uint8Array(20 * 1024 * 1024 + 10).fill(0x61);
    const response = await upload(client, big);
    expect(response.status).toBe(413);
    expect(await response.text()).toMatch(/larger than 20 MB\. Split it into several files/);
    // 60 MB: the server answers before reading it.
    const huge = await client.request("/admin/people/import", {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=x", "content-length": String(60 * 1024 * 1024) },
      body: new Uint8Array(60 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("larger than 20 MB");
  });
});

describe("organizations kept apart", () => {
  it("an address of another organization cannot be added, in the words of any unusable address, and the attempt is audited", async () => {
    const elsewhere = await makeOrg("Secret Competitor Inc");
    const theirs = await makeUser(elsewhere.id, ["rep"]);
    const theirTeam = await makeTeam(elsewhere.id, "Shared Name", [{ userId: theirs.id, role: "member" }]);
    const { org, admin, client } = await newOrganization();
    const t = tag();
    const run = await dryRun(
      client,
      `email,name,roles,team\n${theirs.email},Taken,rep,Shared Name\nfine.${t}@test.example,Fine,rep,Shared Name\n`,
    );
    const page = text(run.html);
    expect(page).toContain(`Line 2: this address cannot be added (${theirs.email}).`);
    expect(page).not.toContain("Secret Competitor");
    expect(page).not.toContain("another organization");
    const refused = (await eventsOf(org.id)).filter((e) => e.action === "address.refused");
    expect(refused).toEqual([expect.objectContaining({ subject: theirs.email, source: "import", actorId: admin.id })]);
    expect(await eventsOf(elsewhere.id)).toEqual([]);

    // Without that line, the file makes a team of this organization and leaves the other's alone.
    await applyFile(client, `email,name,roles,team\nfine.${t}@test.example,Fine,rep,Shared Name\n`);
    const ours = await db()
      .select()
      .from(teams)
      .where(and(eq(teams.orgId, org.id), eq(teams.name, "Shared Name")));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.id).not.toBe(theirTeam.id);
    expect(await db().select().from(teamMembers).where(eq(teamMembers.teamId, theirTeam.id))).toHaveLength(1);
    expect((await peopleOf(elsewhere.id)).map((p) => p.active)).toEqual([true]);
  });

  it("invites only the people whose address the organization's single sign-on does not cover", async () => {
    const { org, client } = await newOrganization();
    const t = tag();
    const domain = `sso-${t}.example`;
    // The organization signs in with its provider for its own domain.
    await claimSsoDomain(org.id, domain);
    const inside = `ina.${t}@${domain}`;
    const outside = `ola.${t}@agency.example`;
    await applyFile(client, `email,name,roles,team\n${inside},Ina,rep,North\n${outside},Ola,rep,North\n`);
    expect((await peopleOf(org.id)).map((p) => p.email)).toEqual(expect.arrayContaining([inside, outside]));
    expect((await mailsTo([inside, outside])).map((m) => m.to)).toEqual([outside]);
    const waiting = await db()
      .select({ email: invitations.email })
      .from(invitations)
      .where(eq(invitations.orgId, org.id));
    expect(waiting.map((w) => w.email)).toEqual([outside]);
  });

  it("only admins open the import, the audit trail and its export; a cross-origin post is refused", async () => {
    const { org, admin, client } = await newOrganization();
    const manager = await makeUser(org.id, ["manager", "trainer"]);
    const other = new Client(server.url);
    await other.login(manager.email, TEST_PASSWORD);
    for (const path of [
      "/admin/people/import",
      "/admin/audit",
      "/admin/audit/export.csv",
      "/admin/people/import/template.csv",
    ])
      expect((await other.request(path)).status, path).toBe(403);
    expect((await upload(other, `email,name,roles\nx.${tag()}@test.example,X,rep\n`)).status).toBe(403);

    const form = new FormData();
    form.set("intent", "preview");
    form.set("file", new Blob([`email,name,roles\n${admin.email},A,admin\n`]), "p.csv");
    const cross = await client.request("/admin/people/import", {
      method: "POST",
      body: form,
      headers: { origin: "http://evil.example", "sec-fetch-site": "cross-site" },
    });
    expect(cross.status).toBe(403);
  });

  it("the template downloads as CSV with the five columns, and imports as it is", async () => {
    const { client } = await newOrganization();
    const response = await client.request("/admin/people/import/template.csv");
    expect(response.headers.get("content-type")).toContain("text/csv");
    const template = await response.text();
    expect(template.split("\r\n")[0]).toBe("email,name,roles,team,manages");
    const run = await dryRun(client, template);
    expect(text(run.html)).toContain("0 problems");
  });
});

describe("people missing from the file", () => {
  it("are counted, and deactivated only when that is confirmed with their count; never the importing admin", async () => {
    const { org, admin, client } = await newOrganization();
    const t = tag();
    const stays = await makeUser(org.id, ["rep"], `stays.${t}@test.example`, "Stays");
    const leaves = await makeUser(org.id, ["rep"], `leaves.${t}@test.example`, "Leaves");
    const gone = new Client(server.url);
    await gone.login(leaves.email, TEST_PASSWORD);
    const file = `email,name,roles\n${stays.email},Stays,rep\n`;

    const run = await dryRun(client, file);
    expect(text(run.html)).toContain("1 active person not in the file");
    expect(text(run.html)).toContain(leaves.email);
    expect(text(run.html)).toContain("Also deactivate these 1 person");

    // Applied without the box: nobody is deactivated.
    await upload(client, file, { intent: "apply", fileHash: run.fileHash!, planHash: run.planHash! });
    expect((await peopleOf(org.id)).every((p) => p.active)).toBe(true);

    // A count other than the one shown is refused.
    const again = await dryRun(client, file);
    const wrong = await upload(client, file, {
      intent: "apply",
      fileHash: again.fileHash!,
      planHash: again.planHash!,
      deactivateMissing: "5",
    });
    expect(wrong.status).toBe(409);
    expect((await peopleOf(org.id)).every((p) => p.active)).toBe(true);

    const confirmed = await upload(client, file, {
      intent: "apply",
      fileHash: again.fileHash!,
      planHash: again.planHash!,
      deactivateMissing: "1",
    });
    expect(text(await confirmed.text())).toContain("1 deactivated");
    const people = await peopleOf(org.id);
    expect(people.find((p) => p.id === leaves.id)!.active).toBe(false);
    expect(people.find((p) => p.id === admin.id)!.active).toBe(true);
    expect(await db().select().from(sessions).where(eq(sessions.userId, leaves.id))).toEqual([]);
    expect((await gone.request("/library")).status).toBe(302);
    const events = await eventsOf(org.id);
    expect(events).toContainEqual(
      expect.objectContaining({ action: "person.deactivated", subject: leaves.email, source: "import" }),
    );
  });
});

describe("the audit trail", () => {
  it("records what admins change on the admin pages and what an import does, with the source", async () => {
    const { org, admin, client } = await newOrganization();
    const t = tag();
    const rep = await makeUser(org.id, ["rep"], `audited.${t}@test.example`);
    expect((await client.post(`/admin/users/${rep.id}`, { intent: "roles", roles: ["rep", "manager"] })).status).toBe(
      200,
    );
    expect((await client.post(`/admin/users/${rep.id}`, { intent: "deactivate" })).status).toBe(200);
    expect((await client.post(`/admin/users/${rep.id}`, { intent: "reactivate" })).status).toBe(302);
    const invitePage = await (await client.request("/admin/users")).text();
    const submission = /name="submission" value="([a-z0-9-]+)"/.exec(invitePage)![1]!;
    await client.post("/admin/users", { email: `invited.${t}@test.example`, roles: "rep", submission });
    await applyFile(client, `email,name,roles,team\nimported.${t}@test.example,Imported,rep,Audit Team\n`);
    const team = (
      await db()
        .select()
        .from(teams)
        .where(and(eq(teams.orgId, org.id), eq(teams.name, "Audit Team")))
    )[0]!;
    expect((await client.post(`/admin/teams/${team.id}`, { intent: "managers", managerIds: admin.id })).status).toBe(
      200,
    );
    expect((await client.post(`/admin/teams/${team.id}`, { intent: "rename", name: "Audited Team" })).status).toBe(200);
    const settings = { name: org.name, timezone: "UTC", desiredRetention: "0.9", boostMinutes: "3", digestHour: "7" };
    expect((await client.post("/admin/settings", settings)).status).toBe(200);
    // Saving the same settings again changes nothing, and records nothing.
    expect((await client.post("/admin/settings", settings)).status).toBe(200);

    const events = await eventsOf(org.id);
    const actions = (source: string) =>
      events.filter((e) => e.source === source).map((e) => `${e.action} ${e.subject}`);
    expect(actions("admin page")).toEqual(
      expect.arrayContaining([
        `person.roles-changed ${rep.email}`,
        `person.deactivated ${rep.email}`,
        `person.reactivated ${rep.email}`,
        `invitation.sent invited.${t}@test.example`,
        "team.managers-changed Audit Team",
        "team.renamed Audited Team",
        `organization.settings-changed ${org.name}`,
      ]),
    );
    const settingsEvents = events.filter((e) => e.action === "organization.settings-changed");
    expect(settingsEvents.map((e) => e.details)).toEqual([{ digestHour: { from: 8, to: 7 } }]);
    expect(actions("import")).toEqual(
      expect.arrayContaining([`team.created Audit Team`, `person.created imported.${t}@test.example`]),
    );
    expect(events.filter((e) => e.action === "people.imported")).toHaveLength(1);
    expect(events.every((e) => e.actorId === admin.id)).toBe(true);
    expect(events.find((e) => e.action === "person.roles-changed")!.details).toEqual({
      roles: { from: ["rep"], to: ["manager", "rep"] },
    });
  });

  it("the page filters by action, person, source and dates without JavaScript, pages newest first, and exports formula-safe CSV", async () => {
    const { org, admin, client } = await newOrganization();
    const t = tag();
    const rows = Array.from({ length: 60 }, (_, i) => ({
      id: newId(),
      orgId: org.id,
      actorId: admin.id,
      actorLabel: admin.email,
      action: "team.created",
      subjectType: "team" as const,
      subjectLabel: i === 59 ? "=SUM(A1:A9)" : `Team ${String(i).padStart(2, "0")}`,
      details: {},
      source: "admin page" as AuditSource,
      createdAt: new Date(Date.UTC(2026, 5, 1, 12) + i * 60_000),
    }));
    rows.push({
      ...rows[0]!,
      id: newId(),
      action: "person.deactivated",
      subjectType: "team" as const,
      subjectLabel: `who.${t}@test.example`,
      source: "scim" as AuditSource,
      createdAt: new Date(Date.UTC(2026, 4, 2, 12)),
    });
    await db().insert(auditEvents).values(rows);

    const scim = text(await (await client.request("/admin/audit?source=scim")).text());
    expect(scim).toContain(`Deactivated: who.${t}@test.example`);
    expect(scim).not.toContain("Team created: Team");
    // An unknown source is no filter at all.
    expect(text(await (await client.request("/admin/audit?source=telepathy")).text())).toContain("Team created: Team");

    const first = text(await (await client.request("/admin/audit?action=team.created")).text());
    expect(first).toContain("Team created: =SUM(A1:A9)");
    expect(first.indexOf("=SUM(A1:A9)")).toBeLessThan(first.indexOf("Team 58"));
    expect(first).not.toContain("Team 09");
    expect(first).toContain("Older →");
    const second = text(await (await client.request("/admin/audit?action=team.created&page=2")).text());
    expect(second).toContain("Team 09");
    expect(second).toContain("Team 00");

    const person = text(await (await client.request(`/admin/audit?person=WHO.${t}%40test.example`)).text());
    expect(person).toContain(`Deactivated: who.${t}@test.example`);
    expect(person).not.toContain("Team created: Team");

    const may = text(await (await client.request("/admin/audit?from=2026-05-01&to=2026-05-31")).text());
    expect(may).toContain(`who.${t}@test.example`);
    expect(may).not.toContain("Team 00");
    expect(may).toContain("Sat, May 2");

    const scimCsv = (await (await client.request("/admin/audit/export.csv?source=scim")).text()).trim().split("\r\n");
    expect(scimCsv).toHaveLength(2);
    expect(scimCsv[1]).toMatch(/,scim$/);

    const csv = await client.request("/admin/audit/export.csv?action=team.created");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("time (UTC),time,who,action,subject,details,source");
    expect(lines).toHaveLength(61);
    expect(lines[1]).toContain(",'=SUM(A1:A9),");
    expect(lines[1]).toMatch(/^2026-06-01T12:59:00\.000Z,/);
  });

  it("another organization's events never show", async () => {
    const theirs = await newOrganization();
    await db().insert(auditEvents).values({
      id: newId(),
      orgId: theirs.org.id,
      actorId: theirs.admin.id,
      actorLabel: theirs.admin.email,
      action: "team.created",
      subjectType: "team",
      subjectLabel: "Their Private Team",
      details: {},
      source: "admin page",
      createdAt: new Date(),
    });
    const { client } = await newOrganization();
    expect(await (await client.request("/admin/audit")).text()).not.toContain("Their Private Team");
    expect(await (await client.request("/admin/audit/export.csv")).text()).not.toContain("Their Private Team");
  });

  it("the scheduled work deletes events older than 400 days and keeps younger ones", async () => {
    const { org, admin } = await newOrganization();
    const now = new Date("2027-06-01T03:00:00Z");
    const day = 86_400_000;
    const at = (daysAgo: number) => ({
      id: newId(),
      orgId: org.id,
      actorId: admin.id,
      actorLabel: admin.email,
      action: "team.created",
      subjectType: "team" as const,
      subjectLabel: `${daysAgo} days ago`,
      details: {},
      source: "admin page" as const,
      createdAt: new Date(now.getTime() - daysAgo * day),
    });
    await db()
      .insert(auditEvents)
      .values([at(401), at(400.01), at(399.99), at(366), at(1)]);
    const done = await runScheduledWork(db(), now, { snapshots: false, orphans: true });
    expect(done.auditEventsDeleted).toBeGreaterThanOrEqual(2);
    const left = (await eventsOf(org.id)).map((e) => e.subject).sort();
    expect(left).toEqual(["1 days ago", "366 days ago", "399.99 days ago"]);
  });
});

describe("an invitation the import made", () => {
  it("is listed as waiting, bound to the account it completes", async () => {
    const { client } = await newOrganization();
    const t = tag();
    await applyFile(client, `email,name,roles\nwaits.${t}@test.example,Waits,rep\n`);
    const html = await (await client.request("/admin/users")).text();
    expect(html).toContain(`waits.${t}@test.example`);
    expect(text(html)).toContain("Invitations waiting (1)");
    const invitation = (
      await db()
        .select()
        .from(invitations)
        .where(eq(invitations.email, `waits.${t}@test.example`))
    )[0]!;
    expect(invitation.userId).not.toBeNull();
  });
});

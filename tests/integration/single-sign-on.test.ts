// Single sign-on with OpenID Connect against a real provider (oidc-provider) started by this test on
// localhost, over real HTTP against the production build (decision 033): the admin's settings page,
// the sign-in through the provider and back, just-in-time accounts, linking rules, the state's
// single use, mix-ups, open redirects, "Require SSO", and one address, one account in invitations.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { auditEvents, invitations, outbox, ssoIdentities, userRoles, users } from "~/db/schema";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";
import { signInAtProvider, startTestProvider, type TestProvider } from "../support/oidc-provider";
import { Client, organizationWithAdmin, startServer, submissionKey, type TestServer } from "../support/server";

let server: TestServer;
let provider: TestProvider;
let other: TestProvider;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0", FLYWHEEL_SSO_HTTP_LOCALHOST: "1" });
  provider = await startTestProvider(`${server.url}/sso/callback`);
  other = await startTestProvider(`${server.url}/sso/callback`, "flywheel-other");
});
afterAll(async () => {
  await provider?.stop();
  await other?.stop();
  await server?.stop();
});

const tag = () => Math.random().toString(36).slice(2, 8);

/** The page's words as a person reads them. */
const text = (html: string) =>
  html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");

type Setup = { domain: string; requireSso?: boolean; defaultRole?: string; idp?: TestProvider };

function saveSettings(admin: Client, setup: Setup, overrides: Record<string, string> = {}) {
  const idp = setup.idp ?? provider;
  return admin.post("/admin/sign-in", {
    providerName: "Test IdP",
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    domains: setup.domain,
    defaultRole: setup.defaultRole ?? "rep",
    ...(setup.requireSso ? { requireSso: "on" } : {}),
    ...overrides,
  });
}

/** A new organization signed in by its admin, with single sign-on set up for a domain of its own. */
async function ssoOrganization(setup: Partial<Setup> = {}) {
  const domain = setup.domain ?? `${tag()}.test`;
  const org = await organizationWithAdmin(server);
  const saved = await saveSettings(org.client, { ...setup, domain });
  expect(saved.status, await saved.clone().text()).toBe(200);
  return { ...org, domain };
}

/** Starts a sign-in from the login page's provider button; returns the provider's URL. */
async function startSignIn(browser: Client, email: string, redirectTo = "") {
  const response = await browser.post("/login", { intent: "sso-start", email, redirectTo });
  expect(response.status, await response.clone().text()).toBe(302);
  return response.headers.get("location")!;
}

/** The whole round trip: the app's button, the provider's login form, and the callback's answer. */
async function signInThroughProvider(browser: Client, email: string, redirectTo = "") {
  const callback = await signInAtProvider(await startSignIn(browser, email, redirectTo), email);
  const url = new URL(callback);
  expect(url.origin).toBe(server.url);
  const response = await browser.request(url.pathname + url.search);
  return { callback, response, html: response.status === 302 ? "" : await response.text() };
}

const auditOf = (orgId: string, action: string) =>
  db()
    .select({ subject: auditEvents.subjectLabel, details: auditEvents.details, source: auditEvents.source })
    .from(auditEvents)
    .where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, action)));

describe("the sign-in settings page", () => {
  it("is for admins only: a rep or a manager gets 403 and changes nothing", async () => {
    const { org } = await organizationWithAdmin(server);
    for (const role of ["rep", "manager"] as const) {
      const person = await makeUser(org.id, [role]);
      const browser = new Client(server.url);
      expect((await browser.login(person.email, TEST_PASSWORD)).status).toBe(302);
      expect((await browser.request("/admin/sign-in")).status).toBe(403);
      expect((await saveSettings(browser, { domain: `${tag()}.test` })).status).toBe(403);
    }
    expect(await auditOf(org.id, "sign-in.settings-changed")).toHaveLength(0);
  });

  it("refuses bad input field by field and saves nothing", async () => {
    const { client, org } = await organizationWithAdmin(server);
    const cases: Array<[Record<string, string>, string]> = [
      [{ issuer: "ftp://idp.example" }, "must start with https://"],
      [{ issuer: "not a url" }, "Enter the issuer URL"],
      [{ issuer: "http://idp.example.com" }, "must start with https://"],
      [{ domains: "" }, "Enter at least one e-mail domain"],
      [{ domains: "acme.com, not a domain!" }, "is not a domain"],
      [{ clientId: "" }, "Enter the client ID"],
      [{ providerName: " " }, "Name the provider"],
      [{ defaultRole: "admin" }, "Pick rep, manager or trainer"],
      [{ clientSecret: "" }, "Enter the client secret"],
    ];
    for (const [override, message] of cases) {
      const response = await saveSettings(client, { domain: `${tag()}.test` }, override);
      expect(response.status, JSON.stringify(override)).toBe(400);
      expect(text(await response.text())).toContain(message);
    }
    expect(text(await (await client.request("/admin/sign-in")).text())).not.toContain("is saved");
    expect(await auditOf(org.id, "sign-in.settings-changed")).toHaveLength(0);
  });

  it("shows the redirect URI from the configured origin, never the secret, and audits the change", async () => {
    const { client, org, domain } = await ssoOrganization();
    const page = await client.request("/admin/sign-in", { headers: { "x-forwarded-host": "evil.example" } });
    const html = await page.text();
    expect(html).toContain(`${server.url}/sso/callback`);
    expect(html).not.toContain("evil.example");
    expect(html).not.toContain(provider.clientSecret);
    expect(text(html)).toContain(`ending in …${provider.clientSecret.slice(-4)}`);

    // Saved again with the secret left empty: the secret is kept.
    const again = await saveSettings(client, { domain: `${domain}\n${tag()}.test` }, { clientSecret: "" });
    expect(again.status).toBe(200);
    const events = await auditOf(org.id, "sign-in.settings-changed");
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.source === "admin page")).toBe(true);
    expect(JSON.stringify(events)).not.toContain(provider.clientSecret);
    expect(events.some((e) => e.details["client secret"] === "changed")).toBe(true);
    expect(events.filter((e) => "client secret" in e.details)).toHaveLength(1);
  });

  it("a domain can be claimed by one organization only, and the refusal names none", async () => {
    const first = await ssoOrganization();
    const second = await organizationWithAdmin(server);
    const response = await saveSettings(second.client, { domain: `${tag()}.test ${first.domain.toUpperCase()}` });
    expect(response.status).toBe(409);
    const words = text(await response.text());
    expect(words).toContain(`${first.domain} already signs in with another organization's provider`);
    expect(words).not.toContain(first.org.name);
    expect(text(await (await second.client.request("/admin/sign-in")).text())).not.toContain("is saved");
  });

  it("tests the connection: the real provider's discovery succeeds, an unreachable one is reported", async () => {
    const { client } = await ssoOrganization();
    const ok = await client.post("/admin/sign-in", { intent: "test" });
    expect(ok.status).toBe(200);
    expect(text(await ok.text())).toContain(`Connected: ${provider.issuer}`);

    const broken = await organizationWithAdmin(server);
    const saved = await saveSettings(broken.client, { domain: `${tag()}.test` }, { issuer: "http://127.0.0.1:9" });
    expect(saved.status).toBe(200);
    const failed = await broken.client.post("/admin/sign-in", { intent: "test" });
    expect(failed.status).toBe(502);
    expect(text(await failed.text())).toContain("Could not discover the provider at http://127.0.0.1:9");
  });
});

describe("signing in through the provider", () => {
  it("the login page offers the provider for the domain; the first sign-in makes the account just in time", async () => {
    const { org, domain } = await ssoOrganization({ defaultRole: "manager" });
    const email = `new.person@${domain}`;
    provider.addAccount({ email, verified: true, name: "New Person" });

    const browser = new Client(server.url);
    const step = await browser.post("/login", { intent: "sso", email });
    expect(step.status).toBe(200);
    expect(text(await step.text())).toContain("Continue with Test IdP");
    const none = await browser.post("/login", { intent: "sso", email: "someone@no-sso.test" });
    expect(none.status).toBe(400);
    expect(text(await none.text())).toContain("Single sign-on is not set up for this address");

    const { response } = await signInThroughProvider(browser, email);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/");
    expect((await browser.request("/account/password")).status).toBe(200);

    const [account] = await db()
      .select({ id: users.id, orgId: users.orgId, name: users.name, passwordHash: users.passwordHash })
      .from(users)
      .where(eq(users.email, email));
    expect(account).toMatchObject({ orgId: org.id, name: "New Person", passwordHash: null });
    const roles = await db().select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, account!.id));
    expect(roles.map((r) => r.role)).toEqual(["manager"]);
    expect(await auditOf(org.id, "sign-in.sso-joined")).toMatchObject([{ subject: email, source: "sso" }]);

    // The second sign-in finds the same account through its provider identity.
    const later = await signInThroughProvider(new Client(server.url), email);
    expect(later.response.status).toBe(302);
    expect(await db().select().from(users).where(eq(users.email, email))).toHaveLength(1);
  });

  it("a replayed callback, a missing state and another browser's state are refused", async () => {
    const { domain } = await ssoOrganization();
    const email = `replay@${domain}`;
    provider.addAccount({ email, verified: true, name: "Replay" });
    const browser = new Client(server.url);
    const { callback, response } = await signInThroughProvider(browser, email);
    expect(response.status).toBe(302);
    const path = new URL(callback).pathname + new URL(callback).search;

    const replay = new Client(server.url);
    replay.cookie = browser.cookie.replace(/flywheel_session=[^;]*;?\s*/, "");
    const again = await replay.request(path);
    expect(again.status).toBe(400);
    expect(text(await again.text())).toContain("was already used");
    expect(replay.jar.has("flywheel_session")).toBe(false);

    const missing = await new Client(server.url).request("/sso/callback?code=abc");
    expect(missing.status).toBe(400);

    // A sign-in started in one browser and finished in another (a login CSRF): refused.
    const victim = new Client(server.url);
    const attacker = new Client(server.url);
    const stolen = new URL(await signInAtProvider(await startSignIn(attacker, email), email));
    const forced = await victim.request(stolen.pathname + stolen.search);
    expect(forced.status).toBe(400);
    expect(victim.jar.has("flywheel_session")).toBe(false);
    // ...and that state is spent: the attacker cannot use it afterwards either.
    expect((await attacker.request(stolen.pathname + stolen.search)).status).toBe(400);
  });

  it("a mix-up of two providers' answers is refused", async () => {
    const first = await ssoOrganization();
    const second = await ssoOrganization({ idp: other });
    const email = `mixed@${first.domain}`;
    provider.addAccount({ email, verified: true, name: "Mixed" });
    other.addAccount({ email: `mixed@${second.domain}`, verified: true, name: "Other" });

    // An `iss` that is not the issuer the sign-in went to.
    const browser = new Client(server.url);
    const callback = new URL(await signInAtProvider(await startSignIn(browser, email), email));
    callback.searchParams.set("iss", other.issuer);
    const swapped = await browser.request(callback.pathname + callback.search);
    expect(swapped.status).toBe(400);
    expect(text(await swapped.text())).toContain("did not come from the provider this sign-in went to");

    // The other provider's code delivered with this sign-in's state: its issuer is not this one's.
    const victim = new Client(server.url);
    const ours = new URL(await signInAtProvider(await startSignIn(victim, email), email));
    const theirs = new URL(
      await signInAtProvider(
        await startSignIn(new Client(server.url), `mixed@${second.domain}`),
        `mixed@${second.domain}`,
      ),
    );
    const injected = new URLSearchParams({
      code: theirs.searchParams.get("code")!,
      state: ours.searchParams.get("state")!,
    });
    const response = await victim.request(`/sso/callback?${injected}`);
    expect(response.status).toBe(400);
    expect(victim.jar.has("flywheel_session")).toBe(false);
  });

  it("only same-app paths are returned to after sign-in: an open redirect is refused", async () => {
    const { domain } = await ssoOrganization();
    const email = `redirect@${domain}`;
    provider.addAccount({ email, verified: true, name: "Redirect" });
    for (const target of ["https://evil.example/x", "//evil.example", "/\\evil.example", "javascript:alert(1)"]) {
      const { response } = await signInThroughProvider(new Client(server.url), email, target);
      expect(response.status, target).toBe(302);
      expect(response.headers.get("location"), target).toBe("/");
    }
    const { response } = await signInThroughProvider(new Client(server.url), email, "/library?x=1");
    expect(response.headers.get("location")).toBe("/library?x=1");
  });

  it("an account of another organization is never linked: the same words as any unusable address, audited", async () => {
    const { org, domain } = await ssoOrganization();
    const elsewhere = await makeOrg("Elsewhere Inc");
    const email = `taken@${domain}`;
    const theirs = await makeUser(elsewhere.id, ["rep"], email);
    provider.addAccount({ email, verified: true, name: "Taken" });

    const browser = new Client(server.url);
    const { response, html } = await signInThroughProvider(browser, email);
    expect(response.status).toBe(403);
    expect(text(html)).toContain("This address cannot be used to sign in to Flywheel here.");
    expect(html).not.toContain("Elsewhere Inc");
    expect(browser.jar.has("flywheel_session")).toBe(false);
    expect(await db().select().from(ssoIdentities).where(eq(ssoIdentities.userId, theirs.id))).toHaveLength(0);
    expect(await auditOf(org.id, "sign-in.sso-refused")).toMatchObject([
      { subject: email, details: { reason: "the address has an account in another organization" } },
    ]);

    // An address outside the organization's domains gets the very same words.
    const outsider = `someone@${tag()}.test`;
    provider.addAccount({ email: outsider, verified: true, name: "Outsider" });
    const start = await startSignIn(browser, `x@${domain}`);
    const callback = new URL(await signInAtProvider(start, outsider));
    const refused = await browser.request(callback.pathname + callback.search);
    expect(refused.status).toBe(403);
    expect(text(await refused.text())).toContain("This address cannot be used to sign in to Flywheel here.");
  });

  it("an existing account of the organization is linked only when the provider verified the address", async () => {
    const { org, domain } = await ssoOrganization();
    const unverified = await makeUser(org.id, ["rep"], `unverified@${domain}`);
    provider.addAccount({ email: unverified.email, verified: false, name: "Unverified" });
    const refused = await signInThroughProvider(new Client(server.url), unverified.email);
    expect(refused.response.status).toBe(403);
    expect(text(refused.html)).toContain(`Your provider has not verified the address ${unverified.email}`);
    expect(await db().select().from(ssoIdentities).where(eq(ssoIdentities.userId, unverified.id))).toHaveLength(0);

    const verified = await makeUser(org.id, ["rep"], `verified@${domain}`);
    provider.addAccount({ email: verified.email, verified: true, name: "Verified" });
    const linked = await signInThroughProvider(new Client(server.url), verified.email);
    expect(linked.response.status).toBe(302);
    expect(await db().select().from(ssoIdentities).where(eq(ssoIdentities.userId, verified.id))).toHaveLength(1);
    expect(await auditOf(org.id, "sign-in.sso-linked")).toMatchObject([{ subject: verified.email }]);
    expect(await db().select().from(users).where(eq(users.email, verified.email))).toHaveLength(1);

    // Nobody is made just in time for an address the provider has not verified either.
    const stranger = `stranger@${domain}`;
    provider.addAccount({ email: stranger, verified: false, name: "Stranger" });
    const notMade = await signInThroughProvider(new Client(server.url), stranger);
    expect(notMade.response.status).toBe(403);
    expect(text(notMade.html)).toContain(`Your provider has not verified the address ${stranger}`);
    expect(await db().select().from(users).where(eq(users.email, stranger))).toEqual([]);
  });

  it("a deactivated person is refused", async () => {
    const { org, domain } = await ssoOrganization();
    const person = await makeUser(org.id, ["rep"], `gone@${domain}`);
    await db().update(users).set({ active: false }).where(eq(users.id, person.id));
    provider.addAccount({ email: person.email, verified: true, name: "Gone" });
    const browser = new Client(server.url);
    const { response, html } = await signInThroughProvider(browser, person.email);
    expect(response.status).toBe(403);
    expect(text(html)).toContain("Your Flywheel account is deactivated");
    expect(browser.jar.has("flywheel_session")).toBe(false);
  });
});

describe("Require SSO", () => {
  it("turns the password off for people but admins; an admin's password sign-in is audited and mailed", async () => {
    const { org, admin, domain } = await ssoOrganization({ requireSso: true });
    const rep = await makeUser(org.id, ["rep"], `rep@${domain}`);
    const otherAdmin = await makeUser(org.id, ["admin"], `second.admin@${domain}`);

    const refused = await new Client(server.url).login(rep.email, TEST_PASSWORD);
    expect(refused.status).toBe(403);
    const words = text(await refused.text());
    expect(words).toContain("Your organization signs in with Test IdP, not with a password.");
    expect(words).toContain("Continue with Test IdP");
    // A wrong password still says only that it does not match.
    expect((await new Client(server.url).login(rep.email, "wrong password")).status).toBe(401);

    const adminBrowser = new Client(server.url);
    expect((await adminBrowser.login(otherAdmin.email, TEST_PASSWORD)).status).toBe(302);
    const events = await auditOf(org.id, "sign-in.admin-password");
    expect(events).toMatchObject([{ subject: otherAdmin.email, source: "sso" }]);
    const mails = await db()
      .select({ to: outbox.to, subject: outbox.subject })
      .from(outbox)
      .where(and(eq(outbox.orgId, org.id)));
    expect(mails).toEqual([{ to: admin.email, subject: `${otherAdmin.name} signed in to Flywheel with a password` }]);
  });

  it("covers the claimed domains only: someone with another address keeps the password, and the page says who", async () => {
    const { org, client: admin, domain } = await ssoOrganization({ requireSso: true });
    // An agency's people: their addresses are not the provider's to sign in.
    const agency = `${tag()}.agency.test`;
    const outside = await makeUser(org.id, ["rep"], `ada@${agency}`, "Ada Agency");
    await makeUser(org.id, ["manager"], `mo@${agency}`, "Mo Agency");
    await makeUser(org.id, ["rep"], `in@${domain}`, "Ina Inside");

    const signedIn = await new Client(server.url).login(outside.email, TEST_PASSWORD);
    expect(signedIn.status).toBe(302);
    expect((await new Client(server.url).login(`in@${domain}`, TEST_PASSWORD)).status).toBe(403);
    // Their password sign-in is an ordinary one: nothing audited, no mail.
    expect(await auditOf(org.id, "sign-in.admin-password")).toEqual([]);

    const page = text(await (await admin.request("/admin/sign-in")).text());
    expect(page).toContain(
      "2 people (Ada Agency, Mo Agency) have addresses on none of these domains and keep signing in with a password",
    );

    // Once their domain is claimed too, Require SSO covers them.
    const both = await saveSettings(admin, { domain: `${domain}\n${agency}`, requireSso: true });
    expect(both.status).toBe(200);
    expect((await new Client(server.url).login(outside.email, TEST_PASSWORD)).status).toBe(403);
    expect(text(await (await admin.request("/admin/sign-in")).text())).not.toContain("keep signing in with a password");
  });
});

describe("one address, one account", () => {
  it("inviting an address of another organization: 'this address cannot be added', nothing sent, audited", async () => {
    const { client, org } = await organizationWithAdmin(server);
    const elsewhere = await makeOrg("Hidden Corp");
    const taken = await makeUser(elsewhere.id, ["rep"]);
    const submission = submissionKey(await (await client.request("/admin/users")).text());
    const response = await client.post("/admin/users", {
      intent: "invite",
      email: taken.email,
      roles: "rep",
      submission,
    });
    expect(response.status).toBe(409);
    const words = text(await response.text());
    expect(words).toContain("This address cannot be added.");
    expect(words).not.toContain("Hidden Corp");
    expect(await db().select().from(invitations).where(eq(invitations.email, taken.email))).toHaveLength(0);
    expect(await db().select().from(outbox).where(eq(outbox.to, taken.email))).toHaveLength(0);
    expect(await auditOf(org.id, "address.refused")).toMatchObject([
      { subject: taken.email, details: { reason: "the address has an account in another organization" } },
    ]);
  });
});

// Sign-in throttling over real HTTP: per account and per client address behind a trusted proxy,
// the devices that get their owner past a lock, and the current password on /account/password.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { outbox } from "~/db/schema";
import { addressKey, hitThrottle, THROTTLE } from "~/features/auth/throttle.server";
import { Client, startServer, type TestServer } from "../support/server";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";

// Behind a reverse proxy that it trusts: every request's TCP peer is this test (127.0.0.1), and
// the client's address is what the proxy puts last in X-Forwarded-For.
let proxied: TestServer;
beforeAll(async () => {
  proxied = await startServer({ FLYWHEEL_DEMO: "0", TRUST_PROXY: "1" });
});
afterAll(() => proxied?.stop());

/** Headers of a request that the proxy forwards for `address` (after whatever the client wrote). */
const from = (address: string) => ({ "x-forwarded-for": `203.0.113.250, ${address}` });

/**
 * Fills `address`'s sign-in bucket to its limit: all but the last five attempts counted directly
 * (each failed sign-in over HTTP checks a password hash, and two hundred of them were most of this
 * file's time), the last five as failed sign-ins over HTTP through the proxy. The bucket reaches
 * its limit only if those five count under the forwarded address.
 */
async function fillAddressBucket(address: string) {
  const direct = THROTTLE.loginAddress.limit - 5;
  for (let i = 0; i < direct; i++) await hitThrottle(db(), [[addressKey("login", address), THROTTLE.loginAddress]]);
  const failures = Array.from({ length: 5 }, (_, i) =>
    new Client(proxied.url).post(
      "/login",
      { email: `nobody-${i}-${Math.random()}@test.example`, password: "x" },
      from(address),
    ),
  );
  for (const response of await Promise.all(failures)) expect(response.status).toBe(401);
}

describe("throttling per client address", () => {
  it("behind a trusted proxy counts each client's address, not the proxy's", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    await fillAddressBucket("198.51.100.7");
    const throttled = await new Client(proxied.url).post(
      "/login",
      { email: user.email, password: TEST_PASSWORD },
      from("198.51.100.7"),
    );
    expect(throttled.status).toBe(429);
    // Someone else behind the same proxy is not in that address's bucket.
    const other = await new Client(proxied.url).post(
      "/login",
      { email: user.email, password: TEST_PASSWORD },
      from("198.51.100.8"),
    );
    expect(other.status).toBe(302);
  });
});

describe("the current password on /account/password", () => {
  const change = (client: Client, current: string) =>
    client.post("/account/password", { current, password: "a fresh passphrase", confirm: "a fresh passphrase" });

  it("is throttled per user: wrong guesses end in 429, and then even the right one waits", async () => {
    const org = await makeOrg();
    const person = await makeUser(org.id, ["rep"]);
    const session = new Client(proxied.url);
    expect((await session.login(person.email, TEST_PASSWORD)).status).toBe(302);
    for (let i = 0; i < THROTTLE.passwordChange.limit; i++)
      expect((await change(session, `guess-${i}`)).status, `guess ${i + 1}`).toBe(400);
    const throttled = await change(session, "one more guess");
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await throttled.text()).toMatch(/Too many attempts\. Try again in \d+ minutes?\./);
    expect((await change(session, TEST_PASSWORD)).status).toBe(429);
    // Another person's limit is their own.
    const other = await makeUser(org.id, ["rep"]);
    const theirs = new Client(proxied.url);
    expect((await theirs.login(other.email, TEST_PASSWORD)).status).toBe(302);
    expect((await change(theirs, TEST_PASSWORD)).status).toBe(200);
  });

  it("does not count a right current password against the limit", async () => {
    const person = await makeUser((await makeOrg()).id, ["rep"]);
    const session = new Client(proxied.url);
    expect((await session.login(person.email, TEST_PASSWORD)).status).toBe(302);
    // A right current password with a refused new one, again and again.
    for (let i = 0; i < THROTTLE.passwordChange.limit + 2; i++) {
      const refused = await session.post("/account/password", {
        current: TEST_PASSWORD,
        password: "12345678",
        confirm: "12345678",
      });
      expect(refused.status, `try ${i + 1}`).toBe(400);
      expect(await refused.text()).toContain("This password is too common");
    }
    expect((await change(session, TEST_PASSWORD)).status).toBe(200);
  });
});

/** Locks the account with as many wrong passwords as its limit, each from a browser of its own. */
async function lockAccount(email: string, headers: Record<string, string> = {}) {
  for (let i = 0; i < THROTTLE.loginAccount.limit; i++)
    expect((await new Client(proxied.url).post("/login", { email, password: `guess-${i}` }, headers)).status).toBe(401);
  expect((await new Client(proxied.url).post("/login", { email, password: TEST_PASSWORD }, headers)).status).toBe(429);
}

/**
 * A browser that signed in to the account and signed out again: it holds no session (a signed-in
 * browser posting to /login is sent home by the page's loader), only its device cookie.
 */
async function knownBrowser(email: string, headers: Record<string, string> = {}) {
  const browser = new Client(proxied.url);
  expect((await browser.post("/login", { email, password: TEST_PASSWORD }, headers)).status).toBe(302);
  expect((await browser.post("/logout", {}, headers)).status).toBe(302);
  return browser;
}

describe("an account locked by guessing", () => {
  it("still lets its owner in, with the right password, from a browser that signed in to it before", async () => {
    const person = await makeUser((await makeOrg()).id, ["rep"]);
    const owner = await knownBrowser(person.email);
    await lockAccount(person.email);
    const signIn = await owner.login(person.email, TEST_PASSWORD);
    expect(signIn.status).toBe(302);
    expect((await owner.request("/today")).status).toBe(200);
    // The browser is remembered by a long-lived cookie that no script can read, which signing
    // out (in knownBrowser) left in place.
    const device = signIn.headers.getSetCookie().find((c) => c.startsWith("flywheel_device="));
    expect(device).toMatch(/^flywheel_device=[a-z0-9]+\.[a-z0-9]+; Max-Age=15552000; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it("counts wrong passwords from a known device too, against a limit of the device's own", async () => {
    const person = await makeUser((await makeOrg()).id, ["rep"]);
    const owner = await knownBrowser(person.email);
    for (let i = 0; i < THROTTLE.loginDevice.limit; i++)
      expect((await owner.login(person.email, `guess-${i}`)).status).toBe(401);
    expect((await owner.login(person.email, TEST_PASSWORD)).status).toBe(429);
    // Its guesses counted for the account as well: a new browser is locked out too.
    expect((await new Client(proxied.url).login(person.email, TEST_PASSWORD)).status).toBe(429);
  });

  it("does not open for another account's device cookie, nor for an altered one", async () => {
    const org = await makeOrg();
    const person = await makeUser(org.id, ["rep"]);
    const owner = await knownBrowser(person.email);
    const colleagues = await knownBrowser((await makeUser(org.id, ["rep"])).email);
    await lockAccount(person.email);
    expect((await colleagues.login(person.email, TEST_PASSWORD)).status).toBe(429);
    const token = owner.jar.get("flywheel_device")!;
    const altered = new Client(proxied.url);
    altered.cookie = `flywheel_device=${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    expect((await altered.login(person.email, TEST_PASSWORD)).status).toBe(429);
    expect((await owner.login(person.email, TEST_PASSWORD)).status).toBe(302);
  });

  it("opens again for every browser once its owner sets a new password through a reset e-mail", async () => {
    const person = await makeUser((await makeOrg()).id, ["rep"]);
    await lockAccount(person.email);
    await new Client(proxied.url).post("/forgot-password", { email: person.email });
    const mail = (await first(db().select({ text: outbox.text }).from(outbox).where(eq(outbox.to, person.email))))!;
    const link = /\/reset-password\/[a-z0-9]+/.exec(mail.text)![0];
    const passphrase = "a brand new passphrase";
    expect((await new Client(proxied.url).post(link, { password: passphrase, confirm: passphrase })).status).toBe(302);
    expect((await new Client(proxied.url).login(person.email, passphrase)).status).toBe(302);
  });

  it("from one address does not keep a known device at that address out", async () => {
    const person = await makeUser((await makeOrg()).id, ["rep"]);
    const there = from("198.51.100.20");
    const owner = await knownBrowser(person.email, there);
    await fillAddressBucket("198.51.100.20");
    const signIn = (browser: Client) => browser.post("/login", { email: person.email, password: TEST_PASSWORD }, there);
    expect((await signIn(new Client(proxied.url))).status).toBe(429);
    expect((await signIn(owner)).status).toBe(302);
  });
});

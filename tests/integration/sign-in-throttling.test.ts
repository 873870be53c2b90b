// Sign-in throttling over real HTTP: per account and per client address, behind a trusted proxy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { THROTTLE } from "~/features/auth/throttle.server";
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

/** `count` failed sign-ins from one address, each for a different unknown account, a few at a time. */
async function failSignIns(base: string, count: number, headers: Record<string, string>) {
  for (let i = 0; i < count; i += 5) {
    const batch = Array.from({ length: Math.min(5, count - i) }, (_, j) =>
      new Client(base).post(
        "/login",
        { email: `nobody-${i + j}-${Math.random()}@test.example`, password: "x" },
        headers,
      ),
    );
    for (const response of await Promise.all(batch)) expect(response.status).toBe(401);
  }
}

describe("throttling per client address", () => {
  it("behind a trusted proxy counts each client's address, not the proxy's", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    await failSignIns(proxied.url, THROTTLE.loginAddress.limit, from("198.51.100.7"));
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
    // Two hundred sign-ins, each checking a password hash, on a shared two-core machine.
  }, 90_000);
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

// The production server over real HTTP, on this file's own database with the demo loaded.
import http from "node:http";
import zlib from "node:zlib";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { teams, userRoles, users } from "~/db/schema";
import { Client, startServer, type TestServer } from "../support/server";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "1" });
});
afterAll(() => server?.stop());

const DEMO = "flywheel-demo";
const userId = async (email: string) =>
  (await first(db().select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1)))!.id;

describe("operations", () => {
  it("answers /healthz with the database state", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, db: "ok" });
  });

  it("serves a branded 404 without a stack trace", async () => {
    const response = await fetch(`${server.url}/no/such/page`);
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toContain("couldn't find that page");
    expect(html).not.toMatch(/at .*\.js:\d+/);
  });

  it("survives a HEAD request for a built file, a malformed URL and an unreadable Host, answering each", async () => {
    const html = await (await fetch(`${server.url}/login`)).text();
    const asset = /\/assets\/[^"]+\.js/.exec(html)![0];
    const head = await fetch(`${server.url}${asset}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/%E0`)).status).toBe(404);
    expect((await fetch(`${server.url}/assets/%E0.js`)).status).toBe(404);
    // A Host header that makes no URL gets a 400, not a dead worker.
    const badHost = await new Promise<number>((resolve, reject) =>
      http
        .get(
          `${server.url}/login`,
          { headers: { host: "exa mple" } },
          (res) => (res.resume(), resolve(res.statusCode!)),
        )
        .on("error", reject),
    );
    expect(badHost).toBe(400);
    // Still answering.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${server.url}${asset}`)).status).toBe(200);
  });

  it("refuses a body larger than any form needs, declared or streamed, and keeps serving", async () => {
    const post = (path: string, body: Buffer, declare: boolean) =>
      new Promise<number | "closed">((resolve) => {
        const req = http.request(`${server.url}${path}`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            ...(declare ? { "content-length": String(body.length) } : {}),
          },
        });
        req.on("response", (res) => (res.resume(), resolve(res.statusCode!)));
        req.on("error", () => resolve("closed"));
        if (declare) req.end(body);
        else {
          // Chunked, a slice at a time, as a client without a declared length sends it.
          for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
          req.end();
        }
      });
    const big = Buffer.alloc(2 * 1024 * 1024, "a");
    expect(await post("/login", big, true)).toBe(413);
    expect(["closed", 413]).toContain(await post("/login", big, false));
    expect(await post("/practice/recordings", Buffer.alloc(12 * 1024 * 1024, 1), true)).toBe(413);
    // The upload's larger allowance is for the upload route alone, not for URLs that start like it.
    expect(await post("/practice/recordings/abc", big, true)).toBe(413);
    expect(await post("/practice/recordingsx", big, true)).toBe(413);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // An ordinary form still gets through.
    expect(
      (
        await fetch(`${server.url}/login`, {
          method: "POST",
          body: new URLSearchParams({ email: "nobody@example.com", password: "wrong-password" }),
        })
      ).status,
    ).toBe(401);
  });

  it("keeps its worker when a rep streams a recording past the route's limit without a declared length", async () => {
    const rep = new Client(server.url);
    expect((await rep.login("rep@example.com", DEMO)).status).toBe(302);
    const uptime = async () => (await (await fetch(`${server.url}/healthz`)).json()) as { uptimeSeconds: number };
    await new Promise((wake) => setTimeout(wake, 1100));
    const before = (await uptime()).uptimeSeconds;
    expect(before).toBeGreaterThanOrEqual(1);
    // Over the route's 10 MB but under the server's 11 MB backstop, so the route itself cancels
    // the body half-way; WebM's magic bytes first, as an attacker would send them.
    const body = Buffer.alloc(Math.round(10.5 * 1024 * 1024), 7);
    Buffer.from([0x1a, 0x45, 0xdf, 0xa3]).copy(body);
    const status = await new Promise<number | "closed">((resolve) => {
      const req = http.request(`${server.url}/practice/recordings`, {
        method: "POST",
        headers: { "content-type": "audio/webm", cookie: rep.cookie },
      });
      req.on("response", (res) => (res.resume(), resolve(res.statusCode!)));
      req.on("error", () => resolve("closed"));
      for (let i = 0; i < body.length; i += 64 * 1024) req.write(body.subarray(i, i + 64 * 1024));
      req.end();
    });
    expect(["closed", 413]).toContain(status);
    // A worker that died would have been replaced by a new one whose uptime starts again at 0.
    await new Promise((wake) => setTimeout(wake, 300));
    expect((await uptime()).uptimeSeconds).toBeGreaterThanOrEqual(before);
    expect(server.output()).not.toMatch(/ERR_INVALID_STATE|already closed/);
  });

  it("sends a nonce-based Content-Security-Policy with pages", async () => {
    const response = await fetch(`${server.url}/login`);
    const csp = response.headers.get("content-security-policy")!;
    const nonce = /'nonce-([a-z0-9]+)'/.exec(csp)![1]!;
    const html = await response.text();
    expect(html).toContain(`nonce="${nonce}"`);
    expect(csp).not.toContain("'unsafe-inline' 'nonce");
    expect(csp).toMatch(/script-src 'self' 'nonce-/);
  });

  it("lets pages load images and media only from this site unless LESSON_MEDIA_ORIGINS allows others (decision 017)", async () => {
    const directives = (csp: string) => new Map(csp.split(/;\s*/).map((d) => [d.split(" ")[0], d] as const));
    const here = directives((await fetch(`${server.url}/login`)).headers.get("content-security-policy")!);
    expect(here.get("img-src")).toBe("img-src 'self'");
    expect(here.get("media-src")).toBe("media-src 'self' blob:");

    const allowing = await startServer({
      FLYWHEEL_DEMO: "0",
      LESSON_MEDIA_ORIGINS: "https://media.acme.example, https://cdn.acme.example/",
    });
    try {
      const there = directives((await fetch(`${allowing.url}/login`)).headers.get("content-security-policy")!);
      expect(there.get("img-src")).toBe("img-src 'self' https://media.acme.example https://cdn.acme.example");
      expect(there.get("media-src")).toBe("media-src 'self' https://media.acme.example https://cdn.acme.example blob:");
    } finally {
      await allowing.stop();
    }
    const failed = await startServer({
      FLYWHEEL_DEMO: "0",
      LESSON_MEDIA_ORIGINS: "https://media.acme.example/clips",
    }).then(
      () => "started",
      (error: Error) => error.message,
    );
    expect(failed).toContain(
      'Flywheel could not start: LESSON_MEDIA_ORIGINS lists https origins only, like https://media.example.com, separated by spaces (it contained "https://media.acme.example/clips").',
    );
  });
});

/** A raw GET (node:http does not decode bodies, unlike fetch). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

describe("compression", () => {
  it("sends built scripts brotli- or gzip-encoded as the browser accepts, the same bytes once decoded", async () => {
    const html = await (await fetch(`${server.url}/login`)).text();
    const asset = /\/assets\/entry\.client-[^"]+\.js/.exec(html)![0];
    const plain = await rawGet(`${server.url}${asset}`, {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toBe("Accept-Encoding");
    expect(plain.body.length).toBeGreaterThan(50_000);

    const br = await rawGet(`${server.url}${asset}`, { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gzip = await rawGet(`${server.url}${asset}`, { "accept-encoding": "br;q=0, gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gzip.body).equals(plain.body)).toBe(true);
  });

  it("sends a lesson's script compressed too, and pages as they are", async () => {
    const rep = new Client(server.url);
    await rep.login("rep@example.com", DEMO);
    const page = await rep.request("/learn/questioning/open-and-closed");
    const hash = /\/lesson-code\/([a-f0-9]{64})\.js/.exec(await page.text())![1]!;
    const cookie = { cookie: rep.cookie };
    const plain = await rawGet(`${server.url}/lesson-code/${hash}.js`, cookie);
    const br = await rawGet(`${server.url}/lesson-code/${hash}.js`, { ...cookie, "accept-encoding": "br" });
    expect(plain.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    // Without the session the compressed copy is no more reachable than the script.
    expect((await rawGet(`${server.url}/lesson-code/${hash}.js`, { "accept-encoding": "br" })).status).not.toBe(200);
    const html = await rawGet(`${server.url}/login`, { "accept-encoding": "br" });
    expect(html.headers["content-encoding"]).toBeUndefined();
  });
});

describe("sign-in", () => {
  it("logs in with the demo password and sets a HttpOnly, SameSite=Lax session cookie", async () => {
    const client = new Client(server.url);
    const response = await client.login("rep@example.com", DEMO);
    expect(response.status).toBe(302);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^flywheel_session=[a-z0-9]+\.[a-z0-9]+;/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect((await client.request("/today")).status).toBe(200);
  });

  it("gives a wrong e-mail and a wrong password the same answer", async () => {
    const a = await new Client(server.url).login("nobody@example.com", "whatever-password");
    const b = await new Client(server.url).login("trainer@example.com", "wrong-password");
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const messageOf = async (r: Response) => /That e-mail and password don't match an account\./.test(await r.text());
    expect(await messageOf(a)).toBe(true);
    expect(await messageOf(b)).toBe(true);
  });

  it("rejects malformed login input with a message, not an error", async () => {
    const response = await new Client(server.url).post("/login", { email: "not-an-email" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Enter a valid e-mail address");
  });

  it("answers a body that is not a form with 400 and a message, on any form route", async () => {
    const notForms: Array<[type: string, body: string]> = [
      ["application/json", "{]"],
      ["multipart/form-data; boundary=x", "garbage"],
    ];
    for (const [type, body] of notForms) {
      for (const path of ["/login", "/forgot-password"]) {
        const response = await fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { "content-type": type },
          body,
        });
        expect(response.status, `${path} with ${type}`).toBe(400);
        expect(await response.text()).toContain("did not carry a form");
      }
    }
  });

  it("throttles repeated failures on one account with 429 and when to retry", async () => {
    const client = new Client(server.url);
    for (let i = 0; i < 10; i++) expect((await client.login("manager2@example.com", `wrong-${i}`)).status).toBe(401);
    const throttled = await client.login("manager2@example.com", DEMO);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await throttled.text()).toMatch(/Too many attempts\. Try again in \d+ minutes?\./);
  });

  it("does not count successful sign-ins against the account's limit", async () => {
    const org = await makeOrg();
    const user = await makeUser(org.id, ["rep"]);
    for (let i = 0; i < 12; i++)
      expect((await new Client(server.url).login(user.email, TEST_PASSWORD)).status, `sign-in ${i + 1}`).toBe(302);
    // Guessing still is: ten wrong passwords, then even the right one waits.
    for (let i = 0; i < 10; i++)
      expect((await new Client(server.url).login(user.email, `wrong-${i}`)).status).toBe(401);
    expect((await new Client(server.url).login(user.email, TEST_PASSWORD)).status).toBe(429);
  });

  it("logs out with POST /logout and the old cookie stops working", async () => {
    const client = new Client(server.url);
    await client.login("rep@example.com", DEMO);
    const stolen = client.cookie;
    expect((await client.post("/logout", {})).status).toBe(302);
    const replay = await fetch(`${server.url}/today`, { headers: { cookie: stolen }, redirect: "manual" });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toContain("/login");
  });
});

describe("cross-origin writes", () => {
  it("are refused on pages and resource routes alike", async () => {
    const client = new Client(server.url);
    await client.login("admin@example.com", DEMO);
    const evil = { origin: "https://evil.example" };
    expect((await client.post("/admin/teams", { name: "Evil" }, evil)).status).toBe(403);
    expect((await client.post("/logout", {}, evil)).status).toBe(403);
    expect((await client.post("/admin/teams", { name: "Evil" }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(
      (await client.post("/login", { email: "a@b.co", password: "x" }, { "sec-fetch-site": "same-site" })).status,
    ).toBe(403);
    expect(await first(db().select().from(teams).where(eq(teams.name, "Evil")).limit(1))).toBeUndefined();
    // The same request from this site goes through.
    const same = await client.post(
      "/admin/teams",
      { name: "Inside Sales", submission: "same-origin-team" },
      { origin: server.url, "sec-fetch-site": "same-origin" },
    );
    expect(same.status).toBe(302);
  });
});

describe("roles", () => {
  it("a rep is refused on admin pages and sees none of their data", async () => {
    const client = new Client(server.url);
    await client.login("rep@example.com", DEMO);
    for (const path of [
      "/admin/users",
      "/admin/teams",
      "/admin/outbox",
      `/admin/users/${await userId("admin@example.com")}`,
    ]) {
      const response = await client.request(path);
      expect(response.status, path).toBe(403);
      expect(await response.text()).not.toContain("manager2@example.com");
    }
    const write = await client.post(`/admin/users/${await userId("rep@example.com")}`, {
      intent: "roles",
      roles: ["rep", "admin"],
    });
    expect(write.status).toBe(403);
    const repId = await userId("rep@example.com");
    expect(
      await first(
        db()
          .select()
          .from(userRoles)
          .where(and(eq(userRoles.userId, repId), eq(userRoles.role, "admin")))
          .limit(1),
      ),
    ).toBeUndefined();
  });

  it("managers, trainers and reps each reach only their own places", async () => {
    const expectations: Array<[string, string, number]> = [
      ["rep@example.com", "/insights", 403],
      ["rep@example.com", "/content", 403],
      ["manager@example.com", "/insights", 200],
      ["manager@example.com", "/coach", 200],
      ["manager@example.com", "/admin/users", 403],
      ["trainer@example.com", "/content", 200],
      ["trainer@example.com", "/coach", 403],
      ["admin@example.com", "/admin/users", 200],
    ];
    for (const [email, path, status] of expectations) {
      const client = new Client(server.url);
      await client.login(email, DEMO);
      expect((await client.request(path)).status, `${email} ${path}`).toBe(status);
    }
  });

  it("sends a visitor to /login and back afterwards", async () => {
    const response = await fetch(`${server.url}/progress`, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Fprogress");
  });
});

describe("organizations are sealed from each other", () => {
  it("an admin of another organization cannot read or change Acme's people or teams by ID", async () => {
    const other = await makeOrg("Globex");
    const otherAdmin = await makeUser(other.id, ["admin"]);
    const client = new Client(server.url);
    expect((await client.login(otherAdmin.email, TEST_PASSWORD)).status).toBe(302);

    const acmeRep = await userId("rep@example.com");
    const read = await client.request(`/admin/users/${acmeRep}`);
    expect(read.status).toBe(404);
    expect(await read.text()).not.toContain("rep@example.com");

    const change = await client.post(`/admin/users/${acmeRep}`, { intent: "deactivate" });
    expect(change.status).toBe(404);
    expect(
      (await first(db().select({ active: users.active }).from(users).where(eq(users.id, acmeRep)).limit(1)))!.active,
    ).toBe(true);

    const acmeTeam = (await first(
      db().select({ id: teams.id }).from(teams).where(eq(teams.name, "Enterprise East")).limit(1),
    ))!.id;
    expect((await client.request(`/admin/teams/${acmeTeam}`)).status).toBe(404);
    expect((await client.post(`/admin/teams/${acmeTeam}`, { intent: "rename", name: "Hijacked" })).status).toBe(404);

    // Adding Acme's rep to one of Globex's own teams is refused too.
    await client.post("/admin/teams", { name: "Globex Team", submission: "globex-team-form" });
    const globexTeam = (await first(
      db()
        .select({ id: teams.id })
        .from(teams)
        .where(and(eq(teams.orgId, other.id), eq(teams.name, "Globex Team")))
        .limit(1),
    ))!.id;
    const add = await client.post(`/admin/teams/${globexTeam}`, { intent: "add-members", userIds: acmeRep });
    expect(add.status).toBe(400);

    const list = await (await client.request("/admin/users")).text();
    expect(list).not.toContain("rep@example.com");
  });
});

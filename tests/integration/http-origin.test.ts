// Where the app sends people and what its answers say about themselves, over real HTTP: redirect
// targets after sign-in, the one origin that links in e-mail come from (never a Host header),
// how session cookies combine, and the headers every response or signed-in page carries.
import http from "node:http";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { outbox, roleplaySubmissions, users } from "~/db/schema";
import { createSession } from "~/features/auth/sessions.server";
import { Client, startServer, submissionKey, type TestServer } from "../support/server";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";

const DEMO = "flywheel-demo";
const CONFIGURED = "https://flywheel.example";

// One server as the demo runs it (no APP_ORIGIN), one with its public origin configured, one
// behind a reverse proxy that it trusts (TRUST_PROXY=1).
let server: TestServer;
let configured: TestServer;
let proxied: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "1" });
  configured = await startServer({ FLYWHEEL_DEMO: "1", APP_ORIGIN: CONFIGURED });
  proxied = await startServer({ FLYWHEEL_DEMO: "1", TRUST_PROXY: "1" });
});
afterAll(async () => {
  await server?.stop();
  await configured?.stop();
  await proxied?.stop();
});

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** A request with headers fetch will not send as given (Host), like curl or a forged client. */
function send(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; form?: Record<string, string | string[]> } = {},
): Promise<Answer> {
  const body = options.form ? formBody(options.form) : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, {
      method: options.method ?? (body ? "POST" : "GET"),
      headers: {
        ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": body.length } : {}),
        ...options.headers,
      },
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

function formBody(form: Record<string, string | string[]>): Buffer {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const item of ([] as string[]).concat(v)) params.append(k, item);
  return Buffer.from(params.toString());
}

async function signedIn(base: string, email: string, password = DEMO): Promise<Client> {
  const client = new Client(base);
  expect((await client.login(email, password)).status).toBe(302);
  return client;
}

async function latestMailTo(to: string) {
  return first(db().select().from(outbox).where(eq(outbox.to, to)).orderBy(desc(outbox.createdAt)).limit(1));
}

describe("where sign-in sends you", () => {
  it("anywhere off the site becomes /: tab, backslash, newline and dot-segment tricks included", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const targets = [
      "/\t/evil.example/",
      "/\t\\evil.example/",
      "/\\evil.example/",
      "//evil.example/",
      "/.//evil.example/",
      "/..//evil.example/",
      "https://evil.example/",
      "javascript:alert(1)",
      "/today\r\nSet-Cookie: planted=1",
      "/\n/evil.example",
    ];
    for (const redirectTo of targets) {
      const response = await new Client(server.url).post("/login", {
        email: user.email,
        password: TEST_PASSWORD,
        redirectTo,
      });
      const shown = JSON.stringify(redirectTo);
      expect(response.status, shown).toBe(302);
      const location = response.headers.get("location")!;
      // As a browser reads the Location header: it must stay on this site.
      expect(new URL(location, server.url).origin, `${shown} → ${location}`).toBe(server.url);
      expect(location, shown).toBe("/");
      expect(
        response.headers.getSetCookie().some((c) => c.startsWith("planted")),
        shown,
      ).toBe(false);
    }
  });

  it("a path on this site is kept with its query and fragment, an absolute URL of this site as its path", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const cases: Array<[string, string]> = [
      ["/progress", "/progress"],
      ["/learn/questioning?practise=1#quiz-2", "/learn/questioning?practise=1#quiz-2"],
      [`${server.url}/today`, "/today"],
    ];
    for (const [redirectTo, expected] of cases) {
      const response = await new Client(server.url).post("/login", {
        email: user.email,
        password: TEST_PASSWORD,
        redirectTo,
      });
      expect(response.headers.get("location"), redirectTo).toBe(expected);
    }
  });

  it("with APP_ORIGIN set, that origin is this site and any other is not", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const login = (redirectTo: string) =>
      send(configured.url, "/login", {
        headers: { host: "flywheel.example" },
        form: { email: user.email, password: TEST_PASSWORD, redirectTo },
      });
    expect((await login(`${CONFIGURED}/progress?x=1`)).headers.location).toBe("/progress?x=1");
    expect((await login(`${configured.url}/progress`)).headers.location).toBe("/");
  });
});

describe("links in e-mail come from the configured origin, never from a request header", () => {
  it("without APP_ORIGIN, a reset link under a forged Host points to the address the server printed", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const forged = { host: "evil.example", origin: "http://evil.example" };
    const response = await send(server.url, "/forgot-password", { headers: forged, form: { email: user.email } });
    expect(response.status).toBe(200);
    const mail = (await latestMailTo(user.email))!;
    expect(mail.text).not.toContain("evil.example");
    expect(mail.text).toMatch(new RegExp(`^${server.url}/reset-password/[a-z0-9]+$`, "m"));
  });

  it("an invitation sent under a forged Host links to the printed address", async () => {
    const admin = await signedIn(server.url, "admin@example.com");
    const invitee = "invitee-host@test.example";
    const response = await send(server.url, "/admin/users", {
      headers: { host: "evil.example", origin: "http://evil.example", cookie: admin.cookie },
      form: {
        email: invitee,
        roles: "rep",
        submission: submissionKey(await (await admin.request("/admin/users")).text()),
      },
    });
    expect(response.status).toBe(200);
    const mail = (await latestMailTo(invitee))!;
    expect(mail.text).not.toContain("evil.example");
    expect(mail.text).toMatch(new RegExp(`^${server.url}/invite/[a-z0-9]+$`, "m"));
  });

  it("a review mail sent under a forged Host links to the printed address", async () => {
    // The demo leaves Elena's listening role-play waiting for her manager, Morgan.
    const elena = (await first(
      db().select({ id: users.id }).from(users).where(eq(users.email, "elena.petrova@example.com")).limit(1),
    ))!;
    const waiting = (await first(
      db()
        .select({ id: roleplaySubmissions.id })
        .from(roleplaySubmissions)
        .where(and(eq(roleplaySubmissions.userId, elena.id), eq(roleplaySubmissions.status, "submitted")))
        .limit(1),
    ))!;
    const manager = await signedIn(server.url, "manager@example.com");
    const page = await (await manager.request(`/coach/reviews/${waiting.id}`)).text();
    const form: Record<string, string> = { comment: "Clear questions.", submission: submissionKey(page) };
    for (const [, id] of page.matchAll(/name="score-([^"]+)"/g)) form[`score-${id}`] = "3";
    expect(Object.keys(form).length).toBeGreaterThan(1);
    const response = await send(server.url, `/coach/reviews/${waiting.id}`, {
      headers: { host: "evil.example", origin: "http://evil.example", cookie: manager.cookie },
      form,
    });
    expect(response.status).toBe(303);
    const mail = (await latestMailTo("elena.petrova@example.com"))!;
    expect(mail.subject).toContain("reviewed");
    expect(mail.text).not.toContain("evil.example");
    expect(mail.text).toContain(`${server.url}/practice/submissions/${waiting.id}`);
  });

  it("with APP_ORIGIN set, links use it and a request for any other Host is refused with 400", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const refused = await send(configured.url, "/forgot-password", {
      headers: { host: "evil.example" },
      form: { email: user.email },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toContain("flywheel.example");
    expect(await latestMailTo(user.email)).toBeUndefined();
    // Pages too, not only forms; the health check stays reachable for load balancers.
    expect((await send(configured.url, "/login", { headers: { host: "evil.example" } })).status).toBe(400);
    expect((await send(configured.url, "/healthz", { headers: { host: "10.0.0.7:3000" } })).status).toBe(200);

    const page = await send(configured.url, "/login", { headers: { host: "flywheel.example" } });
    expect(page.status).toBe(200);
    const accepted = await send(configured.url, "/forgot-password", {
      headers: { host: "FLYWHEEL.example" },
      form: { email: user.email },
    });
    expect(accepted.status).toBe(200);
    expect((await latestMailTo(user.email))!.text).toMatch(/^https:\/\/flywheel\.example\/reset-password\/[a-z0-9]+$/m);
  });
});

describe("a malformed APP_ORIGIN", () => {
  it("stops start-up with one line that says what to write", async () => {
    const failed = await startServer({ APP_ORIGIN: "flywheel.example" }).then(
      (started) => (started.stop(), "started"),
      (error: Error) => error.message,
    );
    expect(failed).toContain("server exited early");
    expect(failed).toContain("Flywheel could not start: APP_ORIGIN is not a URL: write it as https://");
  });
});

describe("session cookies", () => {
  const sessionCookies = (response: Response) =>
    response.headers.getSetCookie().filter((c) => c.startsWith("flywheel_session="));

  it("signing in with a stale session cookie sets the new cookie once and clears nothing after it", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const client = new Client(server.url);
    client.cookie = "flywheel_session=staleid.stalesecret";
    const response = await client.login(user.email, TEST_PASSWORD);
    expect(response.status).toBe(302);
    const cookies = sessionCookies(response);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^flywheel_session=[a-z0-9]+\.[a-z0-9]+;/);
    expect((await client.request("/today")).status).toBe(200);
  });

  it("signing in over a session due for renewal keeps the new session, not a renewal of the old", async () => {
    const org = await makeOrg();
    const before = await makeUser(org.id, ["rep"]);
    const after = await makeUser(org.id, ["rep"]);
    const old = await createSession(db(), before.id, new Date(Date.now() - 2 * 60 * 60 * 1000));
    const client = new Client(server.url);
    client.cookie = `flywheel_session=${old}`;
    const response = await client.login(after.email, TEST_PASSWORD);
    const cookies = sessionCookies(response);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).not.toContain(old);
    expect(await (await client.request("/today")).text()).toContain(`Person ${after.email.split("@")[0]}`);
  });
});

describe("response headers", () => {
  it("every kind of answer says nosniff: pages, .data, CSV, JSON, redirects, refusals, files", async () => {
    const manager = await signedIn(server.url, "manager@example.com");
    const html = await (await fetch(`${server.url}/login`)).text();
    const asset = /\/assets\/[^"]+\.js/.exec(html)![0];
    const answers: Array<[string, Response]> = [
      ["page", await manager.request("/insights")],
      [".data", await manager.request("/insights.data")],
      ["CSV", await manager.request("/insights/export/weekly-active.csv")],
      ["JSON", await fetch(`${server.url}/healthz`)],
      ["redirect", await fetch(`${server.url}/progress`, { redirect: "manual" })],
      ["404", await fetch(`${server.url}/no/such/page`)],
      ["cross-origin refusal", await manager.post("/logout", {}, { origin: "https://evil.example" })],
      ["built file", await fetch(`${server.url}${asset}`)],
    ];
    for (const [kind, response] of answers) {
      expect(response.status, kind).toBeLessThan(500);
      expect(response.headers.get("x-content-type-options"), kind).toBe("nosniff");
    }
    expect(answers[2]![1].headers.get("content-type")).toContain("text/csv");
  });

  it("signed-in pages and their data are private and never stored; a page for a visitor is not marked", async () => {
    const rep = await signedIn(server.url, "rep@example.com");
    for (const path of ["/today", "/today.data", "/progress", "/account/password"]) {
      const response = await rep.request(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toBe("private, no-store");
    }
    // The answer that hands out a session cookie is not stored either.
    const signIn = await new Client(server.url).login("rep@example.com", DEMO);
    expect(signIn.headers.get("cache-control")).toBe("private, no-store");
    // A route's own choice stands: a lesson's script is private but cacheable (its name is its hash).
    const lesson = await (await rep.request("/learn/questioning/open-and-closed")).text();
    const script = /\/lesson-code\/[a-f0-9]{64}\.js/.exec(lesson)![0];
    expect((await rep.request(script)).headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    expect((await fetch(`${server.url}/login`)).headers.get("cache-control")).toBeNull();
  });
});

describe("behind an HTTPS proxy", () => {
  const HSTS = "max-age=31536000; includeSubDomains";
  // What a browser on https://flywheel.example sends through a proxy that ends TLS and talks
  // plain HTTP to us: the proxy adds X-Forwarded-Proto and X-Forwarded-Host.
  const browser = {
    "x-forwarded-proto": "https",
    "x-forwarded-host": "flywheel.example",
    origin: "https://flywheel.example",
    "sec-fetch-site": "same-origin",
  };
  const cookieOf = (answer: Answer) => (answer.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!).join("; ");

  it("with TRUST_PROXY=1 a browser's forms go through, and its session cookie is __Host- and Secure", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const login = await send(proxied.url, "/login", {
      headers: browser,
      form: { email: user.email, password: TEST_PASSWORD },
    });
    expect(login.status).toBe(302);
    const [cookie] = login.headers["set-cookie"]!;
    expect(cookie).toMatch(/^__Host-flywheel_session=[a-z0-9]+\.[a-z0-9]+;/);
    expect(cookie).toContain("; Secure");
    const signedInAs = { ...browser, cookie: cookieOf(login) };
    const page = await send(proxied.url, "/account/password", { headers: signedInAs });
    expect(page.status).toBe(200);
    expect(page.body).toContain("Change your password");
    // Another page's form, and a resource route's, from the same browser.
    expect(
      (await send(proxied.url, "/forgot-password", { headers: browser, form: { email: user.email } })).status,
    ).toBe(200);
    expect((await send(proxied.url, "/logout", { headers: signedInAs, form: {} })).status).toBe(302);
  });

  it("with APP_ORIGIN=https://… a browser's form goes through too: the request is on that origin", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const login = await send(configured.url, "/login", {
      headers: { host: "flywheel.example", origin: CONFIGURED, "sec-fetch-site": "same-origin" },
      form: { email: user.email, password: TEST_PASSWORD },
    });
    expect(login.status).toBe(302);
    expect(login.headers["set-cookie"]![0]).toMatch(/^__Host-flywheel_session=.*; Secure/);
  });

  it("believes only the entry the proxy added, the last, and nothing without TRUST_PROXY=1", async () => {
    const user = await makeUser((await makeOrg()).id, ["rep"]);
    const signIn = (base: string, headers: Record<string, string>) =>
      send(base, "/login", { headers, form: { email: user.email, password: TEST_PASSWORD } });
    // A host or scheme the client wrote before the proxy's own is not the browser's origin.
    expect(
      (await signIn(proxied.url, { ...browser, "x-forwarded-host": "evil.example, flywheel.example" })).status,
    ).toBe(302);
    expect(
      (await signIn(proxied.url, { ...browser, "x-forwarded-host": "flywheel.example, evil.example" })).status,
    ).toBe(403);
    expect((await signIn(proxied.url, { ...browser, "x-forwarded-proto": "https, http" })).status).toBe(403);
    // Without TRUST_PROXY the headers are anyone's: the origin stays the connection's own.
    const { origin: _, ...forged } = browser;
    const plain = await signIn(server.url, forged);
    expect(plain.status).toBe(302);
    expect(plain.headers["set-cookie"]![0]).toMatch(/^flywheel_session=/);
    expect(plain.headers["set-cookie"]![0]).not.toContain("Secure");
    expect((await signIn(server.url, browser)).status).toBe(403);
  });

  it("answers over HTTPS with Strict-Transport-Security, and over plain HTTP without it", async () => {
    const html = (await send(proxied.url, "/login", { headers: browser })).body;
    const asset = /\/assets\/[^"]+\.js/.exec(html)![0];
    for (const path of ["/login", asset, "/healthz", "/no/such/page"])
      expect((await send(proxied.url, path, { headers: browser })).headers["strict-transport-security"], path).toBe(
        HSTS,
      );
    expect(
      (await send(configured.url, "/login", { headers: { host: "flywheel.example" } })).headers[
        "strict-transport-security"
      ],
    ).toBe(HSTS);
    expect((await send(proxied.url, "/login")).headers["strict-transport-security"]).toBeUndefined();
    expect(
      (await send(proxied.url, "/login", { headers: { ...browser, "x-forwarded-proto": "http" } })).headers[
        "strict-transport-security"
      ],
    ).toBeUndefined();
    expect(
      (await send(server.url, "/login", { headers: browser })).headers["strict-transport-security"],
    ).toBeUndefined();
  });
});

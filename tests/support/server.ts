// Starts the production build (server.mjs) on this test file's database, over real HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { expect } from "vitest";
import { makeOrg, makeUser, TEST_PASSWORD } from "./people";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** `output` is everything the server has printed so far (its log, at the LOG_LEVEL given). */
export type TestServer = { url: string; output: () => string; stop: () => Promise<void> };

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["server.mjs"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      WEB_CONCURRENCY: "0",
      LOG_LEVEL: "silent",
      NODE_ENV: "production",
      // Whether digests are due depends on the hour: a test that needs them runs the scheduled
      // work with its own --now (several-servers.test.ts), so no test depends on the clock.
      FLYWHEEL_DIGESTS: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  // Generous: a first start compiles the library and loads the demo, which on a busy two-core
  // machine and PostgreSQL can take most of a minute.
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** A tiny cookie-keeping client, like a browser that never sends Origin (curl-like). */
export class Client {
  /** The cookies it holds, by name (the session's, the known device's). */
  readonly jar = new Map<string, string>();
  constructor(readonly base: string) {}

  /** The Cookie header it sends; setting it replaces every cookie it holds. */
  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  set cookie(header: string) {
    this.jar.clear();
    for (const pair of header.split(";")) {
      const eq = pair.indexOf("=");
      if (eq > 0) this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  async request(
    path: string,
    init: RequestInit & { form?: Record<string, string | string[]> } = {},
  ): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set("cookie", this.cookie);
    let body = init.body;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form))
        for (const item of ([] as string[]).concat(v)) params.append(k, item);
      body = params;
    }
    const response = await fetch(this.base + path, { ...init, body, headers, redirect: "manual" });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair!.indexOf("=");
      const [name, value] = [pair!.slice(0, eq), pair!.slice(eq + 1)];
      if (value === "" || /Max-Age=0\b/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return response;
  }

  post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    return this.request(path, { method: "POST", form, headers });
  }

  async login(email: string, password: string): Promise<Response> {
    return this.post("/login", { email, password });
  }
}

/** The key a page renders into a create form, so that the form sent twice creates one thing. */
export function submissionKey(html: string): string {
  const key = /name="submission" value="([a-z0-9-]+)"/.exec(html)?.[1];
  if (!key) throw new Error("The page has no form key (name=submission).");
  return key;
}

/** A new organization whose admin (also its manager and trainer) is signed in on `server`. */
export async function organizationWithAdmin(server: TestServer) {
  const org = await makeOrg();
  const admin = await makeUser(org.id, ["admin", "manager", "trainer"]);
  const client = new Client(server.url);
  expect((await client.login(admin.email, TEST_PASSWORD)).status).toBe(302);
  return { org, admin, client };
}

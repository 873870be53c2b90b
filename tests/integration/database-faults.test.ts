// What a server does when its database is wrong or goes away. The PostgreSQL cases use their own
// throw-away server, so stopping it disturbs no other test; they run in either engine's suite.
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres } from "../../scripts/postgres/throwaway.mjs";
import { Client, startServer, type TestServer } from "../support/server";

const run = promisify(execFile);

async function startFails(env: Record<string, string>) {
  const outcome = await run(process.execPath, ["server.mjs"], {
    env: { ...process.env, PORT: "0", LOG_LEVEL: "silent", NODE_ENV: "production", ...env },
    timeout: 30_000,
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
  expect(outcome.code).toBe(1);
  const lines = outcome.out.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe("start-up with a database it cannot use", () => {
  it("a DATABASE_URL of another kind stops start-up with one line", async () => {
    expect(await startFails({ DATABASE_URL: "mysql://flywheel@localhost/flywheel" })).toBe(
      `Flywheel could not start: DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the SQLite file); it starts with "mysql:".`,
    );
  });

  it("an unreachable PostgreSQL server stops start-up with one line", async () => {
    expect(await startFails({ DATABASE_URL: "postgres://flywheel:secret@127.0.0.1:1/flywheel" })).toBe(
      "Flywheel could not start: Cannot reach the PostgreSQL server in DATABASE_URL (postgres://flywheel:…@127.0.0.1:1/flywheel): " +
        "check that it is running and that the host and port are right.",
    );
  });

  it("a failed migration stops start-up with one line and applies none of the pending migrations", async () => {
    const dir = fs.mkdtempSync(path.join(process.env.FLYWHEEL_TEST_DIR!, "migrations-"));
    const file = path.join(dir, "broken.db");
    fs.cpSync("drizzle/sqlite", path.join(dir, "sqlite"), { recursive: true });
    // A last migration that fails half-way: its first statement would work, its second cannot.
    const journal = JSON.parse(fs.readFileSync(path.join(dir, "sqlite/meta/_journal.json"), "utf8"));
    const last = journal.entries.at(-1);
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1, tag: "9999_broken" });
    fs.writeFileSync(path.join(dir, "sqlite/meta/_journal.json"), JSON.stringify(journal));
    fs.writeFileSync(
      path.join(dir, "sqlite/9999_broken.sql"),
      "CREATE TABLE `half` (`id` text);--> statement-breakpoint\nALTER TABLE `no_such_table` ADD `x` text;",
    );
    const line = await startFails({ DATABASE_URL: "", DATABASE_PATH: file, MIGRATIONS_DIR: path.join(dir, "sqlite") });
    expect(line).toMatch(
      /^Flywheel could not start: A database migration in .* failed, so none of the pending ones was applied: .*no_such_table/,
    );
    const Database = (await import("better-sqlite3")).default;
    const database = new Database(file, { readonly: true });
    const tables = database.prepare("select name from sqlite_master where type = 'table'").all();
    database.close();
    // Nothing of any pending migration is there: not even the first wave's tables.
    expect(tables.map((t) => (t as { name: string }).name).filter((n) => !n.startsWith("__drizzle"))).toEqual([]);
  });
});

describe("a PostgreSQL server that goes away and comes back", () => {
  let database: Awaited<ReturnType<typeof startPostgres>>;
  let server: TestServer;
  beforeAll(async () => {
    database = await startPostgres({ label: "flywheel-outage" });
    // No demo: its history is most of a first start's time, and an admin made through set-up is
    // someone to sign in as.
    server = await startServer({ DATABASE_URL: database.url, FLYWHEEL_DEMO: "0", FLYWHEEL_DIGESTS: "0" });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await database?.stop();
  });

  it("answers 503 at once while the database is down, and serves again when it is back", async () => {
    const admin = new Client(server.url);
    const setUp = await admin.post("/setup", {
      orgName: "Outage Inc",
      timezone: "Europe/London",
      name: "Olu Admin",
      email: "olu@outage.test",
      password: "outage-admin-pw",
    });
    expect(setUp.status).toBe(302);
    expect((await admin.request("/admin/users")).status).toBe(200);

    await database.halt();
    // A hung request would be cut off by the signal and fail the test.
    const down = await admin.request("/admin/users", { signal: AbortSignal.timeout(15_000) });
    expect(down.status).toBe(503);
    expect(await down.text()).toContain("can&#x27;t reach the database");
    expect((await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(15_000) })).status).toBe(503);

    await database.resume();
    let back = 0;
    for (let attempt = 0; attempt < 50 && back !== 200; attempt++) {
      back = (await admin.request("/admin/users")).status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(back).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

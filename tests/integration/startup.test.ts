import fs from "node:fs";
import path from "node:path";
import { count } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, db, engineName, first } from "~/db/connection.server";
import { organizations, serverKeys, users } from "~/db/schema";
import { createDatabase, dropDatabase } from "../../scripts/postgres/throwaway.mjs";
import { lessonSource, makeContentDir } from "../support/content";
import { Client, startServer } from "../support/server";

/**
 * A database of its own, and the environment that points a process at it: a new SQLite file, or
 * a new PostgreSQL database on the test server (dropped afterwards). Empty, or with `migrated` a
 * copy of the run's template (migrated, the library loaded, no organization): the first start on
 * an empty database is the first test's; the others need not migrate and compile it all again.
 */
async function freshDatabase(
  name: string,
  { migrated = false } = {},
): Promise<{ env: Record<string, string>; drop: () => Promise<unknown> }> {
  const template = process.env.FLYWHEEL_TEST_TEMPLATE!;
  if (engineName() === "postgres") {
    const server = process.env.FLYWHEEL_TEST_POSTGRES!;
    const database = `${name}_${process.pid}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const url = await createDatabase(server, database, migrated ? template : undefined);
    return {
      env: { DATABASE_URL: url },
      drop: () => dropDatabase(server, database),
    };
  }
  const file = path.join(process.env.FLYWHEEL_TEST_DIR!, `${name}-${crypto.randomUUID()}.db`);
  if (migrated) fs.copyFileSync(template, file);
  return { env: { DATABASE_PATH: file }, drop: async () => {} };
}

/** Points this process at another database (from the next query on), until `restore` is called. */
async function switchTo(env: Record<string, string>) {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  await closeDatabase();
  return async () => {
    await closeDatabase();
    Object.assign(process.env, saved);
  };
}

// A first start on an empty database migrates, compiles the whole library and loads the demo:
// on a busy two-core machine two of them can take more than the default 30 s.
describe("start-up", { timeout: 120_000 }, () => {
  it("loads the demo into an empty database once, and a second start keeps the data", async () => {
    const fresh = await freshDatabase("restart");
    try {
      const firstStart = await startServer({ ...fresh.env, FLYWHEEL_DEMO: "1" });
      await firstStart.stop();
      const restore = await switchTo(fresh.env);
      try {
        const people = (await first(db().select({ n: count() }).from(users)))!.n;
        expect(people).toBeGreaterThanOrEqual(20);
        // Push's key pair was made at the first start, and the second start keeps it.
        const keys = await db().select({ publicKey: serverKeys.publicKey }).from(serverKeys);
        expect(keys).toHaveLength(1);
        const second = await startServer({ ...fresh.env, FLYWHEEL_DEMO: "1" });
        await second.stop();
        expect((await first(db().select({ n: count() }).from(organizations)))!.n).toBe(1);
        expect((await first(db().select({ n: count() }).from(users)))!.n).toBe(people);
        expect(await db().select({ publicKey: serverKeys.publicKey }).from(serverKeys)).toEqual(keys);
      } finally {
        await restore();
      }
    } finally {
      await fresh.drop();
    }
  });

  it("with the demo off, the first visit offers to create the organization and its admin", async () => {
    const fresh = await freshDatabase("setup", { migrated: true });
    try {
      const server = await startServer({ ...fresh.env, FLYWHEEL_DEMO: "0" });
      try {
        const client = new Client(server.url);
        const home = await client.request("/");
        expect(home.headers.get("location")).toBe("/setup");
        const bad = await client.post("/setup", {
          orgName: "Initech",
          timezone: "Mars/Olympus",
          name: "Pat",
          email: "pat@initech.test",
          password: "short",
        });
        expect(bad.status).toBe(400);
        const body = await bad.text();
        expect(body).toContain("Pick your time zone from the list");
        expect(body).toContain("Use at least 8 characters.");
        const common = await client.post("/setup", {
          orgName: "Initech",
          timezone: "Europe/London",
          name: "Pat Lee",
          email: "pat@initech.test",
          password: "password1",
        });
        expect(common.status).toBe(400);
        expect(await common.text()).toContain("This password is too common");
        expect((await client.request("/")).headers.get("location")).toBe("/setup");
        const ok = await client.post("/setup", {
          orgName: "Initech",
          timezone: "Europe/London",
          name: "Pat Lee",
          email: "pat@initech.test",
          password: "initech-admin-pw",
        });
        expect(ok.status).toBe(302);
        expect(ok.headers.get("location")).toBe("/admin");
        expect((await client.request("/admin/users")).status).toBe(200);
        // Once an organization exists, set-up is closed to everyone.
        const again = await new Client(server.url).request("/setup");
        expect(again.headers.get("location")).toBe("/login");
      } finally {
        await server.stop();
      }
    } finally {
      await fresh.drop();
    }
  });

  it("a lesson that breaks the checker is reported and skipped: the server starts and serves the rest", async () => {
    const fresh = await freshDatabase("bad_lesson", { migrated: true });
    const dir = makeContentDir({
      "01-good.mdx": lessonSource("Good lesson"),
      "02-ctor.mdx": lessonSource("Ctor lesson", [], "\n\n<constructor />\n"),
      "03-proto.mdx": lessonSource("Proto lesson", [], "\n\n<__proto__ />\n"),
      "04-deep.mdx": lessonSource(
        "Deep lesson",
        [],
        "\n\n" + "<Callout>\n".repeat(5000) + "x\n" + "</Callout>\n".repeat(5000),
      ),
      "05-list.mdx": lessonSource(
        "List lesson",
        [],
        "\n\n" + Array.from({ length: 800 }, (_, i) => `${"  ".repeat(i)}- level`).join("\n") + "\n",
      ),
      "06-tag.mdx": lessonSource("Tag lesson").replace("title: Tag lesson", 'title: !!js/function "function () {}"'),
    });
    try {
      const server = await startServer({ ...fresh.env, FLYWHEEL_DEMO: "0", CONTENT_DIR: dir, LOG_LEVEL: "warn" });
      try {
        const log = server.output();
        expect(log).toMatch(/02-ctor\.mdx:14:1 +<constructor> is not a lesson-kit component/);
        expect(log).toMatch(/03-proto\.mdx:14:1 +<__proto__> is not a lesson-kit component/);
        expect(log).toMatch(/04-deep\.mdx:1:1 +The lesson file is \d+ KB/);
        expect(log).toMatch(/05-list\.mdx:1:1 +The lesson file is \d+ KB/);
        expect(log).toMatch(
          /06-tag\.mdx:1:1 +The frontmatter is not valid YAML: the tag !!js\/function is not allowed/,
        );
        const client = new Client(server.url);
        const setup = await client.post("/setup", {
          orgName: "Initech",
          timezone: "Europe/London",
          name: "Pat Lee",
          email: "pat@initech.test",
          password: "initech-admin-pw",
        });
        expect(setup.status).toBe(302);
        const good = await client.request("/learn/testing/good");
        expect(good.status).toBe(200);
        expect(await good.text()).toContain("Good lesson");
        for (const slug of ["ctor", "proto", "deep", "list", "tag"])
          expect((await client.request(`/learn/testing/${slug}`)).status, slug).toBe(404);
      } finally {
        await server.stop();
      }
    } finally {
      await fresh.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

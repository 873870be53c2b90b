// An installation from before the data-layer change (tests/fixtures/first-wave.db.gz: the demo
// organization as the first wave's code wrote it) starts on today's code with nothing lost, and
// `npm run db:copy` then moves it into PostgreSQL row for row.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as sqliteSchema from "~/db/schema.sqlite";
import { createDatabase, dropDatabase } from "../../scripts/postgres/throwaway.mjs";
import { COPY_ORDER } from "../../scripts/db-copy/copy";
import { Client, startServer } from "../support/server";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(process.env.FLYWHEEL_TEST_DIR!, "upgrade-"));
const file = path.join(dir, "first-wave.db");
const base = process.env.FLYWHEEL_TEST_POSTGRES!;
const target = `copy_${process.pid}_${Date.now() % 1_000_000}`;
let targetUrl = "";

/** Rows per table; a table that later migrations add (absent from the first-wave file) has none. */
function countRows(database: Database.Database): Record<string, number> {
  const present = new Set(
    (
      database.prepare("select name from sqlite_master where type in ('table', 'view')").all() as Array<{
        name: string;
      }>
    ).map((t) => t.name),
  );
  return Object.fromEntries(
    COPY_ORDER.map((t) => [
      t,
      present.has(t) ? (database.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n : 0,
    ]),
  );
}

let before: Record<string, number>;
beforeAll(async () => {
  fs.writeFileSync(file, zlib.gunzipSync(fs.readFileSync("tests/fixtures/first-wave.db.gz")));
  const old = new Database(file, { readonly: true });
  before = countRows(old);
  old.close();
  targetUrl = await createDatabase(base, target);
}, 60_000);
afterAll(async () => {
  await dropDatabase(base, target);
  fs.rmSync(dir, { recursive: true, force: true });
});

const copy = (to: string) =>
  run(process.execPath, ["--import", "tsx", "scripts/db-copy.ts", "--from", file, "--to", to], {
    env: { ...process.env, LOG_LEVEL: "silent" },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

describe("upgrading and moving an installation", () => {
  it("a first-wave SQLite database starts on today's code with every row kept, and its people can sign in", async () => {
    // DATABASE_URL empty: this server runs on the fixture's SQLite file whatever the suite's engine.
    const server = await startServer({
      DATABASE_URL: "",
      DATABASE_PATH: file,
      FLYWHEEL_DEMO: "1",
      FLYWHEEL_DIGESTS: "0",
    });
    try {
      const rep = new Client(server.url);
      expect((await rep.login("rep@example.com", "flywheel-demo")).status).toBe(302);
      const progress = await rep.request("/progress");
      expect(progress.status).toBe(200);
      expect(await progress.text()).toContain("Questioning");
    } finally {
      await server.stop();
    }
    const upgraded = new Database(file, { readonly: true });
    const after = countRows(upgraded);
    upgraded.close();
    for (const table of COPY_ORDER) {
      // Start-up adds today's retention snapshots, the modules and lessons added to the library
      // since the fixture was made (and their search entries) and versions of lessons edited since (with their questions and
      // role-plays), push's key pair and the item tallies of its stored answers (decision 039); the
      // sign-in adds a session, a throttle row and a known device.
      if (
        [
          "retention_snapshots",
          "modules",
          "lessons",
          "lesson_search",
          "lesson_versions",
          "questions",
          "roleplays",
          "sessions",
          "throttles",
          "known_devices",
          "server_keys",
          "question_tallies",
          "choice_tallies",
          "credit_tallies",
          "recall_tallies",
        ].includes(table)
      )
        expect(after[table]).toBeGreaterThanOrEqual(before[table]!);
      else expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
    }
    expect(before.statements).toBeGreaterThan(100);
    // The first-wave database had answers and no tallies: start-up counted them.
    expect([before.question_tallies, after.question_tallies! > 0]).toEqual([0, true]);
  });

  it("db:copy covers every table of the schema", () => {
    const tables = Object.values(sqliteSchema)
      .filter((value) => is(value, SQLiteTable))
      .map((table) => getTableName(table as SQLiteTable));
    expect([...COPY_ORDER].sort()).toEqual([...tables, "lesson_search"].sort());
  });

  it("db:copy moves every row of every table into PostgreSQL, values intact", async () => {
    const result = await copy(targetUrl);
    expect(result.out).toContain("every count matches");
    expect(result.code).toBe(0);

    const sqlite = new Database(file, { readonly: true });
    const postgres = new pg.Client({ connectionString: targetUrl });
    await postgres.connect();
    try {
      const sourceCounts = countRows(sqlite);
      for (const table of COPY_ORDER) {
        const { rows } = await postgres.query(`select count(*)::int as n from "${table}"`);
        expect({ table, rows: rows[0].n }).toEqual({ table, rows: sourceCounts[table] });
      }
      const user = sqlite
        .prepare("select id, email, active, created_at from users where email = 'rep@example.com'")
        .get() as Record<string, unknown>;
      const copied = (await postgres.query("select id, email, active, created_at from users where id = $1", [user.id]))
        .rows[0];
      expect(copied).toEqual({ id: user.id, email: "rep@example.com", active: true, created_at: user.created_at });

      const lesson = sqlite.prepare("select id, stages, tags from lessons order by id limit 1").get() as {
        id: string;
        stages: string;
        tags: string;
      };
      const copiedLesson = (await postgres.query("select stages, tags from lessons where id = $1", [lesson.id]))
        .rows[0];
      expect(copiedLesson).toEqual({ stages: JSON.parse(lesson.stages), tags: JSON.parse(lesson.tags) });

      const session = sqlite.prepare("select id, secret_hash from sessions limit 1").get() as
        { id: string; secret_hash: Buffer } | undefined;
      if (session)
        expect(
          (await postgres.query("select secret_hash from sessions where id = $1", [session.id])).rows[0].secret_hash,
        ).toEqual(session.secret_hash);

      const week = sqlite
        .prepare("select user_id, day, week, seconds_learned from daily_activity order by day desc, user_id limit 1")
        .get() as Record<string, unknown>;
      const copiedWeek = (
        await postgres.query("select week, seconds_learned from daily_activity where user_id = $1 and day = $2", [
          week.user_id,
          week.day,
        ])
      ).rows[0];
      expect(copiedWeek).toEqual({ week: week.week, seconds_learned: week.seconds_learned });

      const search = await postgres.query(
        "select lesson_id from lesson_search where document @@ to_tsquery('english', 'question')",
      );
      expect(search.rows.length).toBeGreaterThan(0);
    } finally {
      sqlite.close();
      await postgres.end();
    }
  });

  it("db:copy refuses a target that already has data, and changes nothing there", async () => {
    const again = await copy(targetUrl);
    expect(again.code).not.toBe(0);
    expect(again.out).toContain("already has rows in organizations");
    const postgres = new pg.Client({ connectionString: targetUrl });
    await postgres.connect();
    const { rows } = await postgres.query("select count(*)::int as n from organizations");
    await postgres.end();
    expect(rows[0].n).toBe(1);
  });

  it("db:copy says what is wrong with a target it cannot reach", async () => {
    const unreachable = await copy("postgres://postgres@127.0.0.1:1/flywheel");
    expect(unreachable.code).not.toBe(0);
    expect(unreachable.out).toMatch(
      /Could not migrate postgres:\/\/postgres@127\.0\.0\.1:1\/flywheel: .*Cannot reach the PostgreSQL server/,
    );
  });
});

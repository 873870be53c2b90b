// Migrates one template database per run and loads the built-in library into it (compiled once
// per run, not once per server a test starts); each test file gets its own copy (per-file.ts).
// FLYWHEEL_TEST_ENGINE=postgres runs the same files on PostgreSQL (a migrated template database,
// one copy per test file). Either way a throw-away PostgreSQL server is started here (or
// TEST_DATABASE_URL's server is used), because moving a SQLite file into PostgreSQL is tested too.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createDatabase, dropDatabase, startPostgres } from "../../scripts/postgres/throwaway.mjs";

export default async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flywheel-test-"));
  process.env.FLYWHEEL_TEST_DIR = dir;
  const server = process.env.TEST_DATABASE_URL ? undefined : await startPostgres({ label: "flywheel-test" });
  const base = process.env.TEST_DATABASE_URL ?? server!.url;
  process.env.FLYWHEEL_TEST_POSTGRES = base;
  let template: string;

  if (process.env.FLYWHEEL_TEST_ENGINE === "postgres") {
    template = `flywheel_template_${process.pid}`;
    const url = await createDatabase(base, template);
    prepareTemplate({ DATABASE_URL: url });
    // The engine is chosen from DATABASE_URL when the app's modules load in each test worker;
    // per-file.ts points it at the file's own copy before the first query.
    process.env.DATABASE_URL = url;
  } else {
    template = path.join(dir, "template.db");
    prepareTemplate({ DATABASE_PATH: template });
    const sqlite = new Database(template);
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    sqlite.close();
  }
  process.env.FLYWHEEL_TEST_TEMPLATE = template;

  return async () => {
    if (process.env.FLYWHEEL_TEST_ENGINE === "postgres") await dropDatabase(base, template).catch(() => {});
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

// In a child process: this one must keep no connection to the template (PostgreSQL copies a
// template only while nobody is connected to it).
function prepareTemplate(env: Record<string, string>) {
  for (const script of ["scripts/migrate.ts", "scripts/content-sync.ts"])
    execFileSync(process.execPath, ["--import", "tsx", script], {
      env: { ...process.env, ...env, LOG_LEVEL: "silent" },
      stdio: ["ignore", "ignore", "inherit"],
    });
}

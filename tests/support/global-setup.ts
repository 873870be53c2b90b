// Migrates one template database per run; each test file gets its own copy (per-file.ts).
// FLYWHEEL_TEST_ENGINE=postgres runs the same files on PostgreSQL: a throw-away server started
// here (or TEST_DATABASE_URL's), a migrated template database, one copy of it per test file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatabase, dropDatabase, startPostgres } from "../../scripts/postgres/throwaway.mjs";

export default async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flywheel-test-"));
  process.env.FLYWHEEL_TEST_DIR = dir;
  if (process.env.FLYWHEEL_TEST_ENGINE === "postgres") return setupPostgres(dir);

  process.env.FLYWHEEL_TEST_TEMPLATE = path.join(dir, "template.db");
  await migrateIn({ DATABASE_PATH: process.env.FLYWHEEL_TEST_TEMPLATE });
  const sqlite = (await import("better-sqlite3")).default(process.env.FLYWHEEL_TEST_TEMPLATE);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.close();
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

async function setupPostgres(dir: string) {
  const server = process.env.TEST_DATABASE_URL ? undefined : await startPostgres({ label: "flywheel-test" });
  const base = process.env.TEST_DATABASE_URL ?? server!.url;
  const template = `flywheel_template_${process.pid}`;
  const url = await createDatabase(base, template);
  await migrateIn({ DATABASE_URL: url });
  process.env.DATABASE_URL = url;
  process.env.FLYWHEEL_TEST_TEMPLATE = template;
  process.env.FLYWHEEL_TEST_POSTGRES = base;
  return async () => {
    await dropDatabase(base, template).catch(() => {});
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

// Migrations run in a child process: the engine is chosen when the app's modules load, and
// this process must not keep a connection to the template (PostgreSQL copies only idle ones).
async function migrateIn(env: Record<string, string>) {
  const { execFileSync } = await import("node:child_process");
  execFileSync(process.execPath, ["--import", "tsx", "scripts/migrate.ts"], { env: { ...process.env, ...env, LOG_LEVEL: "silent" }, stdio: "inherit" });
}

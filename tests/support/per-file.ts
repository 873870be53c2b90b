// Each test file works on its own copy of the migrated template: a real SQLite file, or a real
// PostgreSQL database made from the template database (FLYWHEEL_TEST_ENGINE=postgres).
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/postgres/throwaway.mjs";
import { closeDatabase } from "../../app/db/connection.server";

const template = process.env.FLYWHEEL_TEST_TEMPLATE!;
const name = `f_${process.pid}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
const postgres = process.env.FLYWHEEL_TEST_ENGINE === "postgres" ? process.env.FLYWHEEL_TEST_POSTGRES : undefined;
if (postgres) {
  process.env.DATABASE_URL = await createDatabase(postgres, name, template);
} else {
  const file = path.join(process.env.FLYWHEEL_TEST_DIR!, `${name}.db`);
  fs.copyFileSync(template, file);
  process.env.DATABASE_PATH = file;
}

// Spoken role-play replies a test uploads stay in the run's temp folder, whatever the engine.
process.env.RECORDINGS_DIR = path.join(process.env.FLYWHEEL_TEST_DIR!, `${name}-recordings`);

// console.error in a test is a failure: it means something went wrong that no assertion saw.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args));
});
afterEach(() => {
  vi.restoreAllMocks();
  if (errors.length)
    throw new Error(`console.error was called: ${errors.map((e) => e.map(String).join(" ")).join("\n")}`);
});
afterAll(async () => {
  await closeDatabase();
  if (postgres) await dropDatabase(postgres, name);
});

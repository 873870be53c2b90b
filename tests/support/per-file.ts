// Each test file works on its own copy of the migrated template: real SQLite, no sharing.
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { closeDatabase } from "../../app/db/connection.server";

const template = process.env.FLYWHEEL_TEST_TEMPLATE!;
const file = path.join(process.env.FLYWHEEL_TEST_DIR!, `${process.pid}-${crypto.randomUUID()}.db`);
fs.copyFileSync(template, file);
process.env.DATABASE_PATH = file;

// console.error in a test is a failure: it means something went wrong that no assertion saw.
let errors: unknown[][] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errors.push(args));
});
afterEach(() => {
  vi.restoreAllMocks();
  if (errors.length) throw new Error(`console.error was called: ${errors.map((e) => e.map(String).join(" ")).join("\n")}`);
});
afterAll(() => closeDatabase());

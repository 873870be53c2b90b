// Migrates one template database per run; each test file gets its own copy (per-file.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { closeDatabase, migrateDatabase, openDatabase } from "../../app/db/connection.server";

export default function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flywheel-test-"));
  const template = path.join(dir, "template.db");
  const database = openDatabase(template);
  migrateDatabase(database);
  database.$client.pragma("wal_checkpoint(TRUNCATE)");
  database.$client.close();
  closeDatabase();
  process.env.FLYWHEEL_TEST_TEMPLATE = template;
  process.env.FLYWHEEL_TEST_DIR = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

// The one place that opens the SQLite file. Feature modules import `db()`; routes never do.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

let current: Db | undefined;

export function databasePath(): string {
  return path.resolve(process.env.DATABASE_PATH ?? "./data/flywheel.db");
}

/** Opens a database file with the pragmas every Flywheel process relies on. */
export function openDatabase(file: string): Db {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Scores must survive a power cut: NORMAL can lose the last commits on an OS crash.
  sqlite.pragma("synchronous = FULL");
  return drizzle(sqlite, { schema }) as Db;
}

export function db(): Db {
  current ??= openDatabase(databasePath());
  return current;
}

export function migrateDatabase(database: Db = db()): void {
  migrate(database, { migrationsFolder: path.resolve(process.env.MIGRATIONS_DIR ?? "drizzle") });
}

/** For tests and scripts that switch files within one process. */
export function closeDatabase(): void {
  current?.$client.close();
  current = undefined;
}

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
  cacheStatements(sqlite);
  const database = drizzle(sqlite, { schema }) as Db;
  // Writers take the write lock when they begin. A deferred transaction that reads first and
  // then writes can fail with SQLITE_BUSY when another process wrote in between; an immediate
  // one waits its turn (busy_timeout) instead.
  const transaction = database.transaction.bind(database);
  database.transaction = ((work, config) => transaction(work, { behavior: "immediate", ...config })) as typeof database.transaction;
  return database;
}

export const STATEMENT_CACHE_SIZE = 2000;

/**
 * drizzle prepares every query it runs; compiling the same SQL again on every request cost a
 * tenth of a page's CPU. Compiled statements are kept by their SQL text (least recently used
 * out first). A reused statement is reset to return objects, whatever mode its last user set.
 */
function cacheStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
      if (statement.reader) statement.raw(false);
    } else {
      statement = compile(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
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

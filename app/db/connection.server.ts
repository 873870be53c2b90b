// The one place that opens the SQLite file. Feature modules import `db()`; routes never do.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
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

export type Transaction = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * A write transaction whose commit does not wait for the disk (synchronous = NORMAL): a power
 * cut or an operating-system crash may lose it, a crash of the app cannot, and the next
 * ordinary commit makes it durable too. Only for records that are cheap to lose, such as a
 * lesson being opened; answers, completions and reviews keep FULL (decision 007).
 */
export function transactionWithoutSync<T>(work: (tx: Transaction) => T): T {
  const database = db();
  // Inside another transaction the setting cannot change: the outer commit decides.
  if (database.$client.inTransaction) return database.transaction(work);
  database.$client.pragma("synchronous = NORMAL");
  try {
    return database.transaction(work);
  } finally {
    database.$client.pragma("synchronous = FULL");
  }
}

/**
 * A query built once per open database and run many times with `sql.placeholder` values. For
 * the few queries every page runs: building their SQL cost more than running it (decision 007).
 */
export function prepared<T>(build: (database: Db) => T): () => T {
  let built: { database: Db; query: T } | undefined;
  return () => {
    const database = db();
    if (built?.database !== database) built = { database, query: build(database) };
    return built.query;
  };
}

/**
 * A placeholder for a prepared query whose value is already in the driver's form (a time as
 * milliseconds, a boolean as 0/1, JSON as text). It skips the column's encoder, which would
 * store a null boolean as 0 and a null JSON value as the text "null".
 */
export const driverParam = (name: string) => sql`${sql.placeholder(name)}`;

/**
 * A list for `inArray(column, jsonListParam(name))` in a prepared query, passed as a JSON array
 * (`JSON.stringify(ids)`): the SQL text stays the same whatever the list's length.
 */
export const jsonListParam = (name: string) => sql`(select value from json_each(${sql.placeholder(name)}))`;

export function migrateDatabase(database: Db = db()): void {
  migrate(database, { migrationsFolder: path.resolve(process.env.MIGRATIONS_DIR ?? "drizzle") });
}

/** For tests and scripts that switch files within one process. */
export function closeDatabase(): void {
  current?.$client.close();
  current = undefined;
}

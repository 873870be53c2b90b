// The one place that opens the database. Feature modules take a handle (the shared database or
// an open transaction) as their first argument; routes get the shared one from `db()` and never
// see a driver. DATABASE_URL=postgres://… runs on PostgreSQL, otherwise on the SQLite file.
import path from "node:path";
import type { SQL } from "drizzle-orm";
import { ENGINE, type EngineName } from "./engine";
import type { Handle, Transaction } from "./handle";
import { DatabaseUnavailable } from "./errors";
import { openPostgres, type PostgresEngine } from "./postgres.server";
import { openSqlite, SERVING_BUSY_MS, STARTUP_BUSY_MS, type SqliteEngine } from "./sqlite.server";

export type { Handle, Transaction } from "./handle";
export { DatabaseUnavailable, TransactionMisuse } from "./errors";
export { isUnreachable as databaseUnavailable } from "./postgres.server";

type Engine = SqliteEngine | PostgresEngine;

let current: Engine | undefined;

export function databasePath(): string {
  return path.resolve(process.env.DATABASE_PATH ?? "./data/flywheel.db");
}

export function engineName(): EngineName {
  return ENGINE;
}

/** Connections each process keeps to PostgreSQL (DATABASE_POOL_SIZE, default 10). */
export function poolSize(): number {
  const size = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return Number.isInteger(size) && size > 0 ? size : 10;
}

/** Why the database could not be opened or migrated, in one line for whoever starts the server. */
export class DatabaseStartupError extends Error {}

function engine(): Engine {
  current ??= open();
  return current;
}

function open(): Engine {
  const url = process.env.DATABASE_URL;
  if (ENGINE === "postgres") return openPostgres(url!, poolSize());
  if (url)
    throw new DatabaseStartupError(
      `DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for the SQLite file); it starts with "${url.split(":")[0]}:".`,
    );
  try {
    return openSqlite(databasePath());
  } catch (error) {
    throw new DatabaseStartupError(
      `Cannot open the SQLite file ${databasePath()} (DATABASE_PATH): ${(error as Error).message}. Check that its folder is writable.`,
    );
  }
}

/** The shared database handle. */
export function db(): Handle {
  return engine().shared;
}

/**
 * Runs a server's start-up work (migrating, syncing the library, loading the demo) before it
 * serves: on SQLite, waiting out the other servers' start-up on the same file instead of failing
 * with "database is locked" (see STARTUP_BUSY_MS). PostgreSQL's locks wait anyway.
 */
export async function duringStartup<T>(work: () => Promise<T>): Promise<T> {
  const open = engine();
  if (open.name !== "sqlite") return work();
  open.client.pragma(`busy_timeout = ${STARTUP_BUSY_MS}`);
  try {
    return await work();
  } finally {
    open.client.pragma(`busy_timeout = ${SERVING_BUSY_MS}`);
  }
}

/** The SQLite connection itself, for the few tools that work on the file (tests, the bench loader). */
export function sqliteClient() {
  const open = engine();
  if (open.name !== "sqlite") throw new Error("sqliteClient() is only for the SQLite engine");
  return open.client;
}

/** The PostgreSQL pool itself, for the same few tools. */
export function postgresPool() {
  const open = engine();
  if (open.name !== "postgres") throw new Error("postgresPool() is only for the PostgreSQL engine");
  return open.client;
}

type Committed = { afterCommit: (() => unknown)[] };
const committing = new WeakMap<object, Committed>();

/**
 * Runs `work` in one transaction and passes it the transaction's handle, which everything inside
 * must use. Called with a handle that is already a transaction, it runs inside that one.
 * `durable: false` lets the commit skip waiting for the disk: only for records that are cheap to
 * lose, such as a lesson being opened (decision 007).
 */
export async function transaction<T>(
  handle: Handle,
  work: (tx: Transaction) => Promise<T>,
  options: { durable?: boolean } = {},
): Promise<T> {
  const open = engine();
  if (open.isTransaction(handle)) return work(handle as Transaction);
  const state: Committed = { afterCommit: [] };
  const result = await open.transaction(async (tx) => {
    state.afterCommit = [];
    committing.set(tx, state);
    try {
      return await work(tx as Transaction);
    } finally {
      committing.delete(tx);
    }
  }, options.durable ?? true);
  for (const run of state.afterCommit) await run();
  return result;
}

/**
 * Runs `effect` once the work on `handle` is committed: at once outside a transaction, after
 * the commit inside one, and never when it rolls back. For what leaves the process (mail).
 */
export async function afterCommit(handle: Handle, effect: () => unknown): Promise<void> {
  const state = committing.get(handle);
  if (state) state.afterCommit.push(effect);
  else await effect();
}

/** Rows of a hand-written query (from the dialect module), as objects named by its columns. */
export function rows<T>(handle: Handle, query: SQL): Promise<T[]> {
  return engine().rows<T>(handle, query);
}

/** Runs a hand-written statement (from the dialect module) that returns no rows. */
export async function runSql(handle: Handle, query: SQL): Promise<void> {
  await engine().run(handle, query);
}

/** The first row of a query's result, or undefined. */
export async function first<T>(query: PromiseLike<T[]>): Promise<T | undefined> {
  const found = await query;
  return found[0];
}

/** How many rows an insert, update or delete without `returning` changed, on either engine. */
export function changedRows(result: unknown): number {
  return (result as { rowCount?: number | null }).rowCount ?? 0;
}

/**
 * A query built once per handle and run many times with `sql.placeholder` values. For the few
 * queries every page runs: building their SQL cost more than running it (decision 007).
 */
export function prepared<P>(
  name: string,
  build: (database: Handle) => { prepare(name: string): P },
): (database: Handle) => P {
  const built = new WeakMap<Handle, P>();
  return (database) => {
    let query = built.get(database);
    if (!query) built.set(database, (query = build(database).prepare(name)));
    return query;
  };
}

export async function migrateDatabase(): Promise<void> {
  const folder = path.resolve(process.env.MIGRATIONS_DIR ?? path.join("drizzle", ENGINE));
  const opened = engine();
  try {
    await opened.ping();
  } catch (error) {
    throw new DatabaseStartupError(describeConnectionFailure(error));
  }
  try {
    await opened.migrate(folder);
  } catch (error) {
    const reason =
      (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    throw new DatabaseStartupError(
      `A database migration in ${folder} failed, so none of the pending ones was applied: ${reason.split("\n")[0]}`,
    );
  }
}

function describeConnectionFailure(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const code = (cause as { code?: string }).code ?? "";
  const target = ENGINE === "postgres" ? redactedUrl(process.env.DATABASE_URL!) : databasePath();
  if (code === "28P01" || code === "28000")
    return `PostgreSQL refused the user or password in DATABASE_URL (${target}).`;
  if (code === "3D000")
    return `The database named in DATABASE_URL (${target}) does not exist: create it first (createdb).`;
  if (
    ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH"].includes(code) ||
    error instanceof DatabaseUnavailable
  ) {
    return `Cannot reach the PostgreSQL server in DATABASE_URL (${target}): check that it is running and that the host and port are right.`;
  }
  return `Cannot use the database ${target}: ${(cause as Error).message ?? String(cause)}`;
}

function redactedUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:…@");
}

/** Answers when the database answers a trivial query; throws otherwise. */
export async function pingDatabase(): Promise<void> {
  await engine().ping();
}

/** For tests and scripts that switch databases within one process. */
export async function closeDatabase(): Promise<void> {
  const open = current;
  current = undefined;
  await open?.close();
}

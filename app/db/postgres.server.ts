// PostgreSQL through node-postgres: a pool per process, serializable transactions retried on a
// serialization failure (so concurrent writes behave as SQLite's one-writer-at-a-time does),
// and a lost server reported as DatabaseUnavailable, which pages answer with 503 (decision 010).
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { DatabaseUnavailable, TransactionMisuse } from "./errors";
import type { Handle } from "./handle";
import * as schema from "./schema.pg";

// int8 (counts, epoch milliseconds) and numeric (sums, averages) arrive as numbers, as on SQLite.
// Set for the whole process: drizzle hands node-postgres its own parsers for every query, which
// fall back to these global ones, so a pool-level setting would be ignored.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

// Enough for a burst of transactions on one hot row (a sign-in counter) to get through in turn.
const RETRIES = 30;
const MIGRATION_LOCK = 7_210_001;
// SQLSTATE classes of a server that went away or cannot be reached; 40001/40P01 are retried.
const UNREACHABLE = /^(08|57P0[123]|53300)/;
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);

// drizzle wraps a driver's error in its own (DrizzleQueryError) and keeps the original as `cause`.
function driverCode(error: unknown): string {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: unknown };
  if (typeof code === "string") return code;
  return cause && cause !== error ? driverCode(cause) : "";
}

export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof DatabaseUnavailable) return true;
  if (error.cause && isUnreachable(error.cause)) return true;
  const code = driverCode(error);
  return (
    UNREACHABLE.test(code) ||
    NETWORK.has(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
      error.message,
    )
  );
}

function unavailable(error: unknown): never {
  if (isUnreachable(error)) throw new DatabaseUnavailable("The database server cannot be reached.", { cause: error });
  throw error;
}

// A unique key that another transaction took meanwhile: in a serializable transaction that looked
// for the key first, PostgreSQL usually reports a serialization failure, but not always, and its
// manual advises retrying unique and exclusion violations too. Seen with one submission id posted
// twice at once through two workers (answers-http). A few tries: the retry finds the other's row
// and takes the "already stored" path; a key that really exists fails the same way again.
const UNIQUE_RETRIES = 3;

function retryable(error: unknown, attempt: number): boolean {
  const code = driverCode(error);
  if (code === "40001" || code === "40P01") return true;
  return (code === "23505" || code === "23P01") && attempt < UNIQUE_RETRIES;
}

const FINISHED = {
  query: () =>
    Promise.reject(
      new TransactionMisuse(
        "A transaction's handle was used outside its transaction (after it ended, or from other code).",
      ),
    ),
};

export type PostgresEngine = ReturnType<typeof openPostgres>;

export function openPostgres(url: string, poolSize: number) {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // A request waits at most this long for a connection or for a query, never forever.
    connectionTimeoutMillis: 5_000,
    query_timeout: 30_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits an error; the pool drops it and makes a new one.
  pool.on("error", () => {});
  // The shared handle's queries go through pool.query, a transaction's through its own client:
  // a query on the shared handle from inside a transaction is a mistake (it would not see the
  // transaction's writes, and could wait on its locks), so it fails as it does on SQLite.
  const inside = new AsyncLocalStorage<true>();
  const poolQuery = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as { query: unknown }).query = (...args: unknown[]) => {
    if (inside.getStore()) {
      return Promise.reject(
        new TransactionMisuse(
          "A query ran on the shared database handle inside a transaction: pass it the transaction (tx) instead.",
        ),
      );
    }
    return poolQuery(...args);
  };
  wrapQueries(pool);
  // pool.query() itself calls connect with a callback: only the promise form (drizzle's) is wrapped.
  const connect = pool.connect.bind(pool) as (callback?: unknown) => Promise<pg.PoolClient> | void;
  (pool as { connect: unknown }).connect = (callback?: unknown) => {
    if (callback) return connect(callback);
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      wrapQueries(client);
      return client;
    }, unavailable);
  };

  const database: NodePgDatabase<typeof schema> = drizzle(pool, { schema });
  const transactions = new WeakSet<object>();

  return {
    name: "postgres" as const,
    shared: database as unknown as Handle,
    client: pool,

    isTransaction: (handle: Handle) => transactions.has(handle),

    async transaction<T>(work: (tx: Handle) => Promise<T>, durable: boolean): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        let opened: object | undefined;
        try {
          return await database.transaction(
            (tx) =>
              inside.run(true, async () => {
                opened = tx;
                transactions.add(tx);
                // Only for records that are cheap to lose (decision 007): the commit does not wait for the disk.
                if (!durable) await tx.execute(sql`set local synchronous_commit = off`);
                return work(tx as unknown as Handle);
              }),
            { isolationLevel: "serializable" },
          );
        } catch (error) {
          if (!retryable(error, attempt) || attempt >= RETRIES) throw error;
          await new Promise((wake) => setTimeout(wake, Math.random() * Math.min(100, 2 ** attempt)));
        } finally {
          // The connection went back to the pool: a handle kept past its transaction must not reach it.
          if (opened) (opened as { session: { client: unknown } }).session.client = FINISHED;
        }
      }
    },

    async rows<T>(handle: Handle, query: SQL): Promise<T[]> {
      const result = await (handle as unknown as NodePgDatabase<typeof schema>).execute(query);
      return result.rows as T[];
    },

    async run(handle: Handle, query: SQL): Promise<void> {
      await (handle as unknown as NodePgDatabase<typeof schema>).execute(query);
    },

    async migrate(folder: string): Promise<void> {
      // One transaction for every pending migration, so a failure leaves nothing half-applied;
      // servers starting together take turns on an advisory lock and the later ones find nothing to do.
      const holder = await pool.connect();
      try {
        await holder.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
        await migrate(database, { migrationsFolder: folder });
      } finally {
        await holder.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
        holder.release();
      }
    },

    async ping(): Promise<void> {
      await pool.query("select 1");
    },

    async close(): Promise<void> {
      await pool.end();
    },
  };
}

const wrapped = new WeakSet<object>();

function wrapQueries(target: pg.Pool | pg.PoolClient): void {
  if (wrapped.has(target)) return;
  wrapped.add(target);
  const query = target.query.bind(target) as (...args: unknown[]) => Promise<unknown> | void;
  (target as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
    const result = query(withStatementName(config, rest[0]), ...rest);
    return result instanceof Promise ? result.catch(unavailable) : result;
  };
}

// Every parameterised query runs as a named statement (decision 018): each connection parses it
// once, and after a few runs PostgreSQL keeps its plan, where an unnamed statement is parsed and
// planned on every run (most of the server's work for the small queries pages send). The name
// is a digest of the text, so the same text always has the same name. Lists written out as one
// parameter per item make a text per length: past MAX_PARAMETERS, or once MAX_STATEMENTS texts
// are named (each connection keeps its statements until it closes), a query runs unnamed.
const MAX_STATEMENTS = 1_000;
const MAX_PARAMETERS = 64;
const statementNames = new Map<string, string>();

export function withStatementName(config: unknown, values: unknown): unknown {
  if (typeof config !== "object" || config === null) return config;
  const { text, name, values: own } = config as { text?: unknown; name?: unknown; values?: unknown };
  const list = Array.isArray(values) ? values : own;
  const count = Array.isArray(list) ? list.length : 0;
  if (name || typeof text !== "string" || count === 0 || count > MAX_PARAMETERS) return config;
  let statement = statementNames.get(text);
  if (statement === undefined) {
    if (statementNames.size >= MAX_STATEMENTS) return config;
    statement = `q_${createHash("sha256").update(text).digest("base64url").slice(0, 24)}`;
    statementNames.set(text, statement);
  }
  return { ...config, name: statement };
}

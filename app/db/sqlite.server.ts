// SQLite through better-sqlite3, behind drizzle's asynchronous SQLite interface, so feature code
// awaits its queries as it does on PostgreSQL. How a transaction stays private while other
// requests' code runs between its statements is decision 010.
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/sqlite-proxy";
import { drizzle as drizzleSync } from "drizzle-orm/better-sqlite3";
import { migrate as migrateSync } from "drizzle-orm/better-sqlite3/migrator";
import type { SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { TransactionMisuse } from "./errors";
import type { Handle } from "./handle";
import * as schema from "./schema.sqlite";

export const STATEMENT_CACHE_SIZE = 2000;

type Method = "run" | "all" | "get" | "values";
type Token = object;

/**
 * One transaction at a time per process, handed over in arrival order. Statements from outside
 * the transaction wait here (asynchronously) instead of running inside it, and no connection of
 * this process ever busy-waits on a lock this thread holds: there is only the one connection.
 */
class Gate {
  holder: Token | null = null;
  private queue: { token: Token; enter: () => void }[] = [];

  enter(token: Token): Promise<void> {
    if (!this.holder) {
      this.holder = token;
      return Promise.resolve();
    }
    return new Promise((enter) => this.queue.push({ token, enter }));
  }

  leave(): void {
    const next = this.queue.shift();
    this.holder = next?.token ?? null;
    next?.enter();
  }
}

export type SqliteEngine = ReturnType<typeof openSqlite>;

/**
 * How long a statement waits for another process's write lock. While serving, a wait blocks
 * this process's event loop, so it is short; at start-up nothing else is waiting on this
 * process, and servers started together take turns migrating, syncing and seeding, which on a
 * busy machine takes far longer than that.
 */
export const SERVING_BUSY_MS = 5_000;
export const STARTUP_BUSY_MS = 180_000;

/** Opens a database file with the pragmas every Flywheel process relies on. */
export function openSqlite(file: string) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // First: even switching to WAL waits for a lock when another process is writing.
  sqlite.pragma(`busy_timeout = ${SERVING_BUSY_MS}`);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  // Scores must survive a power cut: NORMAL can lose the last commits on an OS crash.
  sqlite.pragma("synchronous = FULL");
  cacheStatements(sqlite);

  const gate = new Gate();
  const inside = new AsyncLocalStorage<Token>();
  const outsideStatement = new (class {})();

  function execute(source: string, params: unknown[], method: Method) {
    const statement = sqlite.prepare(source);
    if (method === "run" || !statement.reader) {
      const info = statement.run(...params);
      return { rows: [], rowCount: info.changes };
    }
    statement.raw(true);
    return method === "get"
      ? { rows: statement.get(...params) as unknown[] }
      : { rows: statement.all(...params) as unknown[] };
  }

  // Statements on the shared handle: at once when no transaction is open, else after it.
  async function runOutside<T>(work: () => T): Promise<T> {
    if (!gate.holder) return work();
    if (inside.getStore() === gate.holder) {
      throw new TransactionMisuse(
        "A query ran on the shared database handle inside a transaction: pass it the transaction (tx) instead.",
      );
    }
    await gate.enter(outsideStatement);
    try {
      return work();
    } finally {
      gate.leave();
    }
  }

  // Statements on the transaction's handle: only inside that transaction's own code.
  function runInside<T>(work: () => T): T {
    if (!gate.holder || inside.getStore() !== gate.holder) {
      throw new TransactionMisuse(
        "A transaction's handle was used outside its transaction (after it ended, or from other code).",
      );
    }
    return work();
  }

  /**
   * Enters the gate holding the database's write lock (BEGIN IMMEDIATE: a deferred transaction
   * that reads first and writes later can fail with SQLITE_BUSY when another process wrote in
   * between). While another process holds the lock, this one waits asynchronously, out of the
   * gate, so its event loop serves other requests and its reads run meanwhile; SQLite's own busy
   * handler would sleep on the thread in growing steps (1, 2, 5, 10, 15 ms …), blocking both.
   */
  async function beginImmediate(token: Token, durable: boolean): Promise<void> {
    // The wait for another process starts at its first refusal: time queued behind this
    // process's own transactions is not counted against it.
    let deadline = Infinity;
    for (let attempt = 0; ; attempt++) {
      await gate.enter(token);
      const waitMs = sqlite.pragma("busy_timeout", { simple: true }) as number;
      try {
        // (SQLite refuses to change the safety level inside a transaction: set before BEGIN.)
        if (!durable) sqlite.pragma("synchronous = NORMAL");
        sqlite.pragma("busy_timeout = 0");
        sqlite.exec("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        if (!durable) sqlite.pragma("synchronous = FULL");
        // better-sqlite3 names extended codes too (SQLITE_BUSY_RECOVERY, …).
        const busy = String((error as { code?: unknown }).code ?? "").startsWith("SQLITE_BUSY");
        deadline = Math.min(deadline, Date.now() + waitMs);
        if (!busy || Date.now() >= deadline) throw error;
      } finally {
        sqlite.pragma(`busy_timeout = ${waitMs}`);
        // Leaves the gate unless BEGIN succeeded (the transaction then holds it until its end).
        if (!sqlite.inTransaction) gate.leave();
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(attempt + 1, 10)));
    }
  }

  const shared = drizzle((source, params, method) => runOutside(() => execute(source, params, method)), {
    schema,
  }) as unknown as Handle;
  const tx = drizzle(async (source, params, method) => runInside(() => execute(source, params, method)), {
    schema,
  }) as unknown as Handle;
  const dialect = new SQLiteAsyncDialect();

  return {
    name: "sqlite" as const,
    shared,
    client: sqlite,

    isTransaction: (handle: Handle) => handle === tx,

    async transaction<T>(work: (tx: Handle) => Promise<T>, durable: boolean): Promise<T> {
      const token: Token = {};
      await beginImmediate(token, durable);
      try {
        return await inside.run(token, async () => {
          try {
            const result = await work(tx);
            sqlite.exec("COMMIT");
            return result;
          } catch (error) {
            if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
            throw error;
          } finally {
            if (!durable) sqlite.pragma("synchronous = FULL");
          }
        });
      } finally {
        gate.leave();
      }
    },

    /** Rows of a hand-written query, as objects named by its columns. */
    async rows<T>(handle: Handle, query: SQL): Promise<T[]> {
      const { sql: source, params } = dialect.sqlToQuery(query);
      const read = () =>
        sqlite
          .prepare(source)
          .raw(false)
          .all(...params) as T[];
      return handle === tx ? runInside(read) : runOutside(read);
    },

    async run(handle: Handle, query: SQL): Promise<void> {
      await handle.run(query);
    },

    async migrate(folder: string): Promise<void> {
      // drizzle's synchronous migrator: it reads what is applied and applies the rest in one transaction.
      migrateSync(drizzleSync(sqlite), { migrationsFolder: folder });
    },

    async ping(): Promise<void> {
      await runOutside(() => sqlite.prepare("select 1").get());
    },

    async close(): Promise<void> {
      sqlite.close();
    },
  };
}

/**
 * drizzle prepares every query it runs; compiling the same SQL again on every request cost a
 * tenth of a page's CPU. Compiled statements are kept by their SQL text (least recently used
 * out first).
 */
function cacheStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
    } else {
      statement = compile(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

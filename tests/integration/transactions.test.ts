// The transaction design of decision 010, on whichever engine the suite runs: a transaction's
// work stays private while other code runs between its statements, concurrent transactions
// neither fail nor lose updates, and the shared handle cannot be used from inside one.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, first, transaction, TransactionMisuse } from "~/db/connection.server";
import { throttles } from "~/db/schema";

const counter = (key: string) =>
  first(db().select({ count: throttles.count }).from(throttles).where(eq(throttles.key, key)));
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("transactions", () => {
  it("another request's query never sees a transaction's uncommitted writes, even while the transaction waits", async () => {
    let paused!: () => void;
    const reachedPause = new Promise<void>((resolve) => (paused = resolve));
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    const rolledBack = transaction(db(), async (tx) => {
      await tx.insert(throttles).values({ key: "dirty", windowStart: 1, count: 7 });
      paused();
      await resumed;
      throw new Error("changed my mind");
    });
    await reachedPause;
    const seenMeanwhile = counter("dirty");
    await tick();
    resume();
    await expect(rolledBack).rejects.toThrow("changed my mind");
    expect(await seenMeanwhile).toBeUndefined();
    expect(await counter("dirty")).toBeUndefined();
  });

  it("transactions started together each run alone: none fails and no update is lost", async () => {
    await db().insert(throttles).values({ key: "shared", windowStart: 1, count: 0 });
    const increments = Array.from({ length: 25 }, () =>
      transaction(db(), async (tx) => {
        const row = await first(
          tx.select({ count: throttles.count }).from(throttles).where(eq(throttles.key, "shared")),
        );
        await tick();
        await tx
          .update(throttles)
          .set({ count: row!.count + 1 })
          .where(eq(throttles.key, "shared"));
      }),
    );
    const outcomes = await Promise.allSettled(increments);
    expect(outcomes.filter((o) => o.status === "rejected")).toEqual([]);
    expect(await counter("shared")).toEqual({ count: 25 });
  });

  it("while another connection holds the lock a transaction needs, this process keeps serving, and the transaction runs once it is free", async () => {
    await db().insert(throttles).values({ key: "held", windowStart: 1, count: 0 });
    // Another connection (another server process, say) takes the lock and keeps it for a while.
    const other = await otherConnectionHolding("held");
    const waiting = transaction(db(), async (tx) => {
      await tx.update(throttles).set({ count: 1 }).where(eq(throttles.key, "held"));
    });
    // Meanwhile this process answers other requests at once: its thread is not asleep in a wait
    // for the lock, and a read does not queue behind the waiting transaction.
    await tick();
    const read = await Promise.race([
      counter("held"),
      new Promise((resolve) => setTimeout(() => resolve("stuck"), 1_000)),
    ]);
    expect(read).toEqual({ count: 0 });
    await other.release();
    await waiting;
    expect(await counter("held")).toEqual({ count: 1 });
  });

  it("two transactions that look for a key and, finding none, insert it at once: one inserts, the other finds it", async () => {
    // Both look first, then wait (up to a moment: on SQLite the second cannot start until the
    // first ends) for the other to have looked too, then insert: the race of one submission
    // posted twice at once through two workers.
    let looked = 0;
    const bothLooked = () =>
      new Promise<void>((resolve) => {
        const started = Date.now();
        const check = () => (looked >= 2 || Date.now() - started > 300 ? resolve() : setTimeout(check, 5));
        check();
      });
    const insertOnce = () =>
      transaction(db(), async (tx) => {
        const found = await first(tx.select().from(throttles).where(eq(throttles.key, "raced")));
        looked++;
        if (found) return "found";
        await bothLooked();
        await tx.insert(throttles).values({ key: "raced", windowStart: 1, count: 1 });
        return "inserted";
      });
    const outcomes = await Promise.all([insertOnce(), insertOnce()]);
    expect(outcomes.sort()).toEqual(["found", "inserted"]);
    expect(await counter("raced")).toEqual({ count: 1 });
  });

  it("a query on the shared handle from inside a transaction is refused, and the transaction rolls back", async () => {
    const misuse = transaction(db(), async (tx) => {
      await tx.insert(throttles).values({ key: "misused", windowStart: 1, count: 1 });
      await db().select().from(throttles);
    });
    // drizzle reports the failed query and keeps the reason as its cause.
    await expect(misuse).rejects.toMatchObject({ cause: expect.any(TransactionMisuse) });
    expect(await counter("misused")).toBeUndefined();
  });

  it("a transaction's handle cannot be used once the transaction is over", async () => {
    let kept: Parameters<Parameters<typeof transaction>[1]>[0] | undefined;
    await transaction(db(), async (tx) => {
      kept = tx;
    });
    await expect(kept!.insert(throttles).values({ key: "late", windowStart: 1, count: 1 })).rejects.toMatchObject({
      cause: expect.any(TransactionMisuse),
    });
    expect(await counter("late")).toBeUndefined();
  });
});

/**
 * A second connection to this test file's database, holding the lock an update of the throttle
 * `key` needs: SQLite's write lock (BEGIN IMMEDIATE), or on PostgreSQL the row's (FOR UPDATE).
 */
async function otherConnectionHolding(key: string): Promise<{ release: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const pg = (await import("pg")).default;
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query("begin");
    await client.query("select count from throttles where key = $1 for update", [key]);
    return {
      release: async () => {
        await client.query("commit");
        await client.end();
      },
    };
  }
  const Database = (await import("better-sqlite3")).default;
  const connection = new Database(process.env.DATABASE_PATH!);
  connection.exec("BEGIN IMMEDIATE");
  return {
    release: async () => {
      connection.exec("COMMIT");
      connection.close();
    },
  };
}

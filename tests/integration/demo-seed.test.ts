import fs from "node:fs";
import path from "node:path";
import { eq, gt } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, db, engineName, first } from "~/db/connection.server";
import { attempts, boosts, organizations, statements, users } from "~/db/schema";
import { dayIn } from "~/shared/days";
import { syncLibrary } from "~/features/content/sync.server";
import { seedDemoOrganization } from "~/features/demo/seed.server";
import { boostSummary, openTodaysBoost } from "~/features/reinforcement/boost.server";
import { createDatabase, dropDatabase } from "../../scripts/postgres/throwaway.mjs";

/** Runs `body` on a copy of the migrated template of its own, so the demo can be seeded afresh. */
async function onFreshDatabase(name: string, body: () => Promise<void>) {
  let env: Record<string, string>;
  let drop = async () => {};
  if (engineName() === "postgres") {
    const server = process.env.FLYWHEEL_TEST_POSTGRES!;
    const database = `${name}_${process.pid}_${crypto.randomUUID().replaceAll("-", "").slice(0, 8)}`;
    env = { DATABASE_URL: await createDatabase(server, database, process.env.FLYWHEEL_TEST_TEMPLATE!) };
    drop = () => dropDatabase(server, database);
  } else {
    const file = path.join(process.env.FLYWHEEL_TEST_DIR!, `${name}-${crypto.randomUUID()}.db`);
    fs.copyFileSync(process.env.FLYWHEEL_TEST_TEMPLATE!, file);
    env = { DATABASE_PATH: file };
  }
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  await closeDatabase();
  Object.assign(process.env, env);
  try {
    await body();
  } finally {
    await closeDatabase();
    Object.assign(process.env, saved);
    await drop();
  }
}

async function learner(email: string) {
  const row = (await first(
    db()
      .select({ id: users.id, orgId: users.orgId, timezone: organizations.timezone })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(eq(users.email, email))
      .limit(1),
  ))!;
  return row;
}

// The demo organization is in New York: late evening there is already tomorrow in UTC, and
// 00:01 is the first minute of a day with nothing done in it yet.
const MOMENTS = [
  "2026-12-03T04:59:00Z", // Wed Dec 2, 23:59 in New York
  "2026-12-03T05:01:00Z", // Thu Dec 3, 00:01
  "2026-12-07T02:00:00Z", // Sun Dec 6, 21:00
];

describe("the demo organization, seeded at any hour", () => {
  for (const moment of MOMENTS) {
    it(`ends its history before today in New York and gives the main rep a boost (seeded at ${moment})`, async () => {
      const now = new Date(moment);
      await onFreshDatabase("demo", async () => {
        await syncLibrary(db());
        expect(await seedDemoOrganization(db(), now)).not.toBeNull();
        const rep = await learner("rep@example.com");
        const today = dayIn(rep.timezone, now);

        // Nothing in the past history happened today, or later than the moment it was seeded.
        expect(await db().select({ day: boosts.day }).from(boosts).where(eq(boosts.day, today))).toEqual([]);
        expect(await db().select({ id: attempts.id }).from(attempts).where(gt(attempts.createdAt, now))).toEqual([]);
        const learning = await db()
          .select({ timestamp: statements.timestamp })
          .from(statements)
          .where(eq(statements.actorId, rep.id));
        for (const s of learning) expect(dayIn(rep.timezone, s.timestamp) < today).toBe(true);

        // The rep most visitors try first has questions due, more than one boost holds.
        // The demo gives boosts 1 minute: three questions at the default pace, and three more from the
        // minutes the rep saved in the week before (decision 023); more are waiting.
        const summary = await boostSummary(db(), rep, 1, now);
        expect(summary).toMatchObject({ state: "open", due: 6, answered: 0 });
        if (summary.state === "open") expect(summary.waiting).toBeGreaterThan(0);
        const boost = await openTodaysBoost(db(), rep, now);
        expect(boost.state).toBe("open");

        // A champion who boosted every active day has not done today's boost already.
        const priya = await learner("priya.raman@example.com");
        expect((await boostSummary(db(), priya, 1, now)).state).not.toBe("done");
      });
    }, 120_000);
  }
});

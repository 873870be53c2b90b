// The forecast for managers (docs/metrics.md, "Recall in 30 days") on a fixture: two teams, reps
// with and without a boost habit; today's snapshot holds each rep's forecast as defined, and the
// dashboard shows it per team and skill next to recall now.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { boosts, cards, organizations, retentionSnapshots } from "~/db/schema";
import { addDays, dayIn } from "~/shared/days";
import { insightsDashboard } from "~/features/insights/dashboard.server";
import { boostHabit, expectedRecall } from "~/features/reinforcement/forecast";
import { refreshTodaysSnapshots } from "~/features/reinforcement/snapshots.server";
import { completeLesson, orgLessons } from "../support/learning";
import { makeOrg, makeTeam, makeUser } from "../support/people";

const DAY = 86_400_000;
const NOW = new Date("2027-04-14T15:00:00Z");
const TODAY = dayIn("UTC", NOW);

async function fixture() {
  const org = await makeOrg();
  const manager = await makeUser(org.id, ["manager"]);
  const [steady, idle, south] = await Promise.all([1, 2, 3].map(() => makeUser(org.id, ["rep"])));
  await makeTeam(org.id, "North", [
    { userId: manager.id, role: "manager" },
    { userId: steady!.id, role: "member" },
    { userId: idle!.id, role: "member" },
  ]);
  await makeTeam(org.id, "South", [
    { userId: manager.id, role: "manager" },
    { userId: south!.id, role: "member" },
  ]);
  const lessons = await orgLessons(org.id, 2);
  const learner = (u: { id: string }) => ({ id: u.id, orgId: org.id, timezone: "UTC" });
  // Everyone learned both lessons 40 and 12 days ago; one question of the first wrong.
  for (const rep of [steady!, idle!, south!]) {
    await completeLesson(learner(rep), lessons[0]!, new Date(NOW.getTime() - 40 * DAY), ["q1"]);
    await completeLesson(learner(rep), lessons[1]!, new Date(NOW.getTime() - 12 * DAY));
  }
  // The steady rep finished a boost on 14 of the last 28 days; the others on none.
  for (let d = 1; d <= 28; d += 2)
    await db()
      .insert(boosts)
      .values({
        id: newId(),
        orgId: org.id,
        userId: steady!.id,
        day: addDays(TODAY, -d),
        cardIds: [],
        answered: [],
        startedAt: new Date(NOW.getTime() - d * DAY),
        finishedAt: new Date(NOW.getTime() - d * DAY + 60_000),
      });
  return { org, manager, steady: steady!, idle: idle!, south: south! };
}

/** The definition, card by card, from the cards themselves. */
async function forecastOf(userId: string, habit: number): Promise<number> {
  const mine = await db().select().from(cards).where(eq(cards.userId, userId));
  const values = mine.map((c) => expectedRecall(c, NOW, habit, { desiredRetention: 0.9, parameters: null }));
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe("recall in 30 days", () => {
  it("is written into today's snapshot per rep and skill, as docs/metrics.md defines it", async () => {
    const { org, steady, idle } = await fixture();
    await db().update(organizations).set({ timezone: "UTC" }).where(eq(organizations.id, org.id));
    await refreshTodaysSnapshots(db(), NOW);
    const row = async (userId: string) =>
      (
        await db()
          .select()
          .from(retentionSnapshots)
          .where(and(eq(retentionSnapshots.userId, userId), eq(retentionSnapshots.day, TODAY)))
      )[0]!;
    const steadyRow = await row(steady.id);
    const idleRow = await row(idle.id);
    // 14 finished boosts in 28 days; the first card is 40 days old.
    expect(boostHabit(14, 40)).toBe(0.5);
    expect(steadyRow.forecastRetrievability).toBeCloseTo(await forecastOf(steady.id, 0.5), 9);
    expect(idleRow.forecastRetrievability).toBeCloseTo(await forecastOf(idle.id, 0), 9);
    // Without a habit, recall only fades; with one, the due cards come back up.
    expect(idleRow.forecastRetrievability!).toBeLessThan(idleRow.meanRetrievability);
    expect(steadyRow.forecastRetrievability!).toBeGreaterThan(idleRow.forecastRetrievability! + 0.1);
  });

  it("is on the manager's dashboard per team and skill, next to recall now", async () => {
    const { org, manager, steady, idle, south } = await fixture();
    await db().update(organizations).set({ timezone: "UTC" }).where(eq(organizations.id, org.id));
    await refreshTodaysSnapshots(db(), NOW);
    const dashboard = await insightsDashboard(
      db(),
      { id: manager.id, orgId: org.id, roles: ["manager"], timezone: "UTC" },
      { team: null, period: "4w" },
      NOW,
    );
    expect(dashboard.forecastByTeam).toBe(true);
    const table = dashboard.tables.forecast;
    expect(table.columns).toEqual(["Team", "Skill", "Recall now (%)", "In 30 days (%)", "Change (points)"]);
    const snapshot = async (userId: string) =>
      (
        await db()
          .select()
          .from(retentionSnapshots)
          .where(and(eq(retentionSnapshots.userId, userId), eq(retentionSnapshots.day, TODAY)))
      )[0]!;
    const [a, b, c] = await Promise.all([snapshot(steady.id), snapshot(idle.id), snapshot(south.id)]);
    const pct = (v: number) => Math.round(v * 1000) / 10;
    const north = {
      now: (a.meanRetrievability * a.cards + b.meanRetrievability * b.cards) / (a.cards + b.cards),
      in30: (a.forecastRetrievability! * a.cards + b.forecastRetrievability! * b.cards) / (a.cards + b.cards),
    };
    expect(table.rows).toEqual([
      ["North", "questioning", pct(north.now), pct(north.in30), Math.round((north.in30 - north.now) * 1000) / 10],
      [
        "South",
        "questioning",
        pct(c.meanRetrievability),
        pct(c.forecastRetrievability!),
        Math.round((c.forecastRetrievability! - c.meanRetrievability) * 1000) / 10,
      ],
    ]);
  });
});

// Daily retention snapshots per rep and skill, computed from each card's latest review at a
// moment in time, so dashboards chart retention without touching the cards; today's snapshot also
// carries the recall forecast 30 days ahead (forecast.ts).
import { and, eq, gt, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { first, rows, transaction, type Handle } from "~/db/connection.server";
import { countRows, jsonRecords } from "~/db/dialect";
import { boosts, cards, lessons, organizations, retentionSnapshots } from "~/db/schema";
import { addDays, DAY_MS, dayIn } from "~/shared/days";
import { boostHabit, expectedRecall, HABIT_DAYS } from "./forecast";
import { MASTERED_STABILITY_DAYS, retrievabilitySql, type Scheduling } from "./fsrs.server";

/**
 * Writes (or rewrites) one organization's snapshot for `day`, as the cards stood at `at`, and
 * returns how many rows it wrote or changed. One row per rep, skill and day (the primary key):
 * servers refreshing the same day at the same time each upsert, never fail on the key, and a
 * second run with the same figures changes nothing. Rows go in key order, so two runs take
 * their row locks in the same order and cannot deadlock on PostgreSQL.
 */
export async function snapshotRetention(db: Handle, orgId: string, day: string, at: Date): Promise<number> {
  const org = await first(
    db
      .select({ r: organizations.desiredRetention, parameters: organizations.fsrsParameters })
      .from(organizations)
      .where(eq(organizations.id, orgId))
      .limit(1),
  );
  const target = org?.r ?? 0.9;
  // The card's own stability once `at` is past its last review: the review log keeps what the
  // weights of the time made of each answer, the card what the weights in force make of its
  // history (decision 024 reschedules cards, never the log).
  const stability = sql`(case when c.last_review <= ${at.getTime()} then c.stability else rl.stability end)`;
  const r = retrievabilitySql(stability, sql`rl.reviewed_at`, at.getTime(), org?.parameters ?? null);
  const written = await rows<{ user_id: string }>(
    db,
    sql`
    insert into retention_snapshots (org_id, user_id, skill, day, cards, mean_retrievability, at_risk, mastered)
    select c.org_id, c.user_id, l.skill, cast(${day} as text), count(*), avg(${r}),
           sum(case when ${r} < ${target} then 1 else 0 end),
           sum(case when ${stability} >= ${MASTERED_STABILITY_DAYS} then 1 else 0 end)
    from cards c
    join lessons l on l.id = c.lesson_id
    join review_logs rl on rl.id = (
      select r2.id from review_logs r2 where r2.card_id = c.id and r2.reviewed_at <= ${at.getTime()} order by r2.reviewed_at desc limit 1
    )
    where c.org_id = ${orgId}
    group by c.org_id, c.user_id, l.skill
    order by c.user_id, l.skill
    on conflict (user_id, skill, day) do update
      set org_id = excluded.org_id, cards = excluded.cards, mean_retrievability = excluded.mean_retrievability,
          at_risk = excluded.at_risk, mastered = excluded.mastered
      where retention_snapshots.org_id <> excluded.org_id or retention_snapshots.cards <> excluded.cards
         or retention_snapshots.mean_retrievability <> excluded.mean_retrievability
         or retention_snapshots.at_risk <> excluded.at_risk or retention_snapshots.mastered <> excluded.mastered
    returning user_id`,
  );
  return written.length;
}

/** Rewrites today's snapshot of every organization, as the cards stand now, with its forecast. */
export async function refreshTodaysSnapshots(db: Handle, now: Date): Promise<void> {
  for (const org of await db.select({ id: organizations.id, timezone: organizations.timezone }).from(organizations)) {
    const day = dayIn(org.timezone, now);
    await snapshotRetention(db, org.id, day, now);
    await forecastRetention(db, org.id, day, now);
  }
}

/** Reps whose forecast is computed together: their cards are read in one query. */
const FORECAST_REPS = 100;

/**
 * Writes into the organization's snapshot of `day` each rep's and skill's mean recall expected 30
 * days after `now` if the rep keeps their boost habit (docs/metrics.md), and returns how many rows
 * it changed. Cards are read for a hundred reps at a time, so no single query holds the database
 * long.
 */
export async function forecastRetention(db: Handle, orgId: string, day: string, now: Date): Promise<number> {
  const org = await first(
    db
      .select({ desiredRetention: organizations.desiredRetention, parameters: organizations.fsrsParameters })
      .from(organizations)
      .where(eq(organizations.id, orgId))
      .limit(1),
  );
  if (!org) return 0;
  const scheduling: Scheduling = org;
  const [keys, finished] = await Promise.all([
    db
      .selectDistinct({ userId: retentionSnapshots.userId })
      .from(retentionSnapshots)
      .where(and(eq(retentionSnapshots.orgId, orgId), eq(retentionSnapshots.day, day))),
    db
      .select({ userId: boosts.userId, n: countRows() })
      .from(boosts)
      .where(
        and(
          eq(boosts.orgId, orgId),
          gt(boosts.day, addDays(day, -HABIT_DAYS)),
          lte(boosts.day, day),
          isNotNull(boosts.finishedAt),
        ),
      )
      .groupBy(boosts.userId),
  ]);
  const finishedBy = new Map(finished.map((f) => [f.userId, f.n]));
  let changed = 0;
  for (let from = 0; from < keys.length; from += FORECAST_REPS) {
    const reps = keys.slice(from, from + FORECAST_REPS).map((k) => k.userId);
    const repCards = await db
      .select({
        userId: cards.userId,
        skill: lessons.skill,
        createdAt: cards.createdAt,
        due: cards.due,
        stability: cards.stability,
        difficulty: cards.difficulty,
        scheduledDays: cards.scheduledDays,
        learningSteps: cards.learningSteps,
        reps: cards.reps,
        lapses: cards.lapses,
        state: cards.state,
        lastReview: cards.lastReview,
      })
      .from(cards)
      .innerJoin(lessons, eq(lessons.id, cards.lessonId))
      .where(and(inArray(cards.userId, reps), isNotNull(cards.lastReview)));
    const firstCard = new Map<string, number>();
    for (const c of repCards)
      firstCard.set(c.userId, Math.min(firstCard.get(c.userId) ?? Infinity, c.createdAt.getTime()));
    const sums = new Map<string, { userId: string; skill: string; total: number; cards: number }>();
    for (const c of repCards) {
      const habit = boostHabit(finishedBy.get(c.userId) ?? 0, (now.getTime() - firstCard.get(c.userId)!) / DAY_MS);
      const key = `${c.userId}|${c.skill}`;
      const sum = sums.get(key) ?? { userId: c.userId, skill: c.skill, total: 0, cards: 0 };
      sum.total += expectedRecall(c, now, habit, scheduling);
      sum.cards++;
      sums.set(key, sum);
    }
    if (sums.size === 0) continue;
    // In one order for every process, and in a transaction of its own: schedulers on several
    // servers write the same rows at once, and PostgreSQL retries a transaction that lost such a
    // race (a deadlock or a serialization failure) where a lone statement would fail the run.
    const forecasts = [...sums.values()]
      .map((s) => ({ user_id: s.userId, skill: s.skill, forecast: s.total / s.cards }))
      .sort((a, b) => a.user_id.localeCompare(b.user_id) || a.skill.localeCompare(b.skill));
    const values = jsonRecords(forecasts, { user_id: "text", skill: "text", forecast: "real" }, "v");
    const written = await transaction(db, (tx) =>
      rows<{ userId: string }>(
        tx,
        sql`update retention_snapshots set forecast_retrievability = v.forecast
          from ${values}
          where retention_snapshots.user_id = v.user_id and retention_snapshots.skill = v.skill
            and retention_snapshots.day = ${day} and retention_snapshots.org_id = ${orgId}
            and (retention_snapshots.forecast_retrievability is null
                 or retention_snapshots.forecast_retrievability <> v.forecast)
          returning retention_snapshots.user_id as "userId"`,
      ),
    );
    changed += written.length;
  }
  return changed;
}

// Daily retention snapshots per rep and skill, computed from each card's latest review at a
// moment in time, so dashboards chart retention without touching the cards.
import { eq, sql } from "drizzle-orm";
import { first, rows, type Handle } from "~/db/connection.server";
import { organizations } from "~/db/schema";
import { dayIn } from "~/shared/days";
import { MASTERED_STABILITY_DAYS, retrievabilitySql } from "./fsrs.server";

/**
 * Writes (or rewrites) one organization's snapshot for `day`, as the cards stood at `at`, and
 * returns how many rows it wrote or changed. One row per rep, skill and day (the primary key):
 * servers refreshing the same day at the same time each upsert, never fail on the key, and a
 * second run with the same figures changes nothing. Rows go in key order, so two runs take
 * their row locks in the same order and cannot deadlock on PostgreSQL.
 */
export async function snapshotRetention(db: Handle, orgId: string, day: string, at: Date): Promise<number> {
  const target =
    (
      await first(
        db
          .select({ r: organizations.desiredRetention })
          .from(organizations)
          .where(eq(organizations.id, orgId))
          .limit(1),
      )
    )?.r ?? 0.9;
  const r = retrievabilitySql(sql`rl.stability`, sql`rl.reviewed_at`, at.getTime());
  const written = await rows<{ user_id: string }>(
    db,
    sql`
    insert into retention_snapshots (org_id, user_id, skill, day, cards, mean_retrievability, at_risk, mastered)
    select c.org_id, c.user_id, l.skill, cast(${day} as text), count(*), avg(${r}),
           sum(case when ${r} < ${target} then 1 else 0 end),
           sum(case when rl.stability >= ${MASTERED_STABILITY_DAYS} then 1 else 0 end)
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

/** Rewrites today's snapshot of every organization, as the cards stand now. */
export async function refreshTodaysSnapshots(db: Handle, now: Date): Promise<void> {
  for (const org of await db.select({ id: organizations.id, timezone: organizations.timezone }).from(organizations)) {
    await snapshotRetention(db, org.id, dayIn(org.timezone, now), now);
  }
}

// Daily retention snapshots per rep and skill, computed from each card's latest review at a
// moment in time, so dashboards chart retention without touching the cards.
import { eq, sql } from "drizzle-orm";
import { db } from "~/db/connection.server";
import { organizations } from "~/db/schema";
import { dayIn } from "~/features/activity/days";
import { MASTERED_STABILITY_DAYS, retrievabilitySql } from "./fsrs.server";

/** Writes (or rewrites) one organization's snapshot for `day`, as the cards stood at `at`. */
export function snapshotRetention(orgId: string, day: string, at: Date): number {
  const target = db().select({ r: organizations.desiredRetention }).from(organizations).where(eq(organizations.id, orgId)).get()?.r ?? 0.9;
  const r = retrievabilitySql(sql`rl.stability`, sql`rl.reviewed_at`, at.getTime());
  const result = db().run(sql`
    insert or replace into retention_snapshots (org_id, user_id, skill, day, cards, mean_retrievability, at_risk, mastered)
    select c.org_id, c.user_id, l.skill, ${day}, count(*), avg(${r}),
           sum(case when ${r} < ${target} then 1 else 0 end),
           sum(case when rl.stability >= ${MASTERED_STABILITY_DAYS} then 1 else 0 end)
    from cards c
    join lessons l on l.id = c.lesson_id
    join review_logs rl on rl.id = (
      select r2.id from review_logs r2 where r2.card_id = c.id and r2.reviewed_at <= ${at.getTime()} order by r2.reviewed_at desc limit 1
    )
    where c.org_id = ${orgId}
    group by c.user_id, l.skill`);
  return result.changes;
}

/** Rewrites today's snapshot of every organization, as the cards stand now. */
export function refreshTodaysSnapshots(now: Date): void {
  for (const org of db().select({ id: organizations.id, timezone: organizations.timezone }).from(organizations).all()) {
    snapshotRetention(org.id, dayIn(org.timezone, now), now);
  }
}

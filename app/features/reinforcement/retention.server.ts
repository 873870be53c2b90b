// Retention per rep and skill, from the FSRS cards: how likely the rep is to recall each
// answer now, how many cards are below the target, and how many are mastered.
import { and, eq, inArray, sql } from "drizzle-orm";
import { first, type Handle } from "~/db/connection.server";
import { countRows } from "~/db/dialect";
import { cards, lessons, organizations, users } from "~/db/schema";
import { MASTERED_STABILITY_DAYS, retrievabilitySql } from "./fsrs.server";

export type Retention = {
  userId: string;
  skill: string;
  cards: number;
  meanRetrievability: number;
  atRisk: number;
  mastered: number;
};

/**
 * For one rep or many of one organization (a team): one row per rep and skill, on the
 * organization's forgetting curve (its trained weights, or FSRS's defaults).
 */
export async function retentionBySkill(db: Handle, userIds: string[], target: number, now: Date): Promise<Retention[]> {
  if (userIds.length === 0) return [];
  const org = await first(
    db
      .select({ parameters: organizations.fsrsParameters })
      .from(users)
      .innerJoin(organizations, eq(organizations.id, users.orgId))
      .where(eq(users.id, userIds[0]!))
      .limit(1),
  );
  const r = retrievabilitySql(cards.stability, cards.lastReview, now.getTime(), org?.parameters ?? null);
  return db
    .select({
      userId: cards.userId,
      skill: lessons.skill,
      cards: countRows(),
      meanRetrievability: sql<number>`avg(${r})`.mapWith(Number),
      // Sums are bigints on PostgreSQL, which drizzle's driver hands over as text.
      atRisk: sql<number>`sum(case when ${r} < ${target} then 1 else 0 end)`.mapWith(Number),
      mastered: sql<number>`sum(case when ${cards.stability} >= ${MASTERED_STABILITY_DAYS} then 1 else 0 end)`.mapWith(
        Number,
      ),
    })
    .from(cards)
    .innerJoin(lessons, eq(lessons.id, cards.lessonId))
    .where(and(inArray(cards.userId, userIds), sql`${cards.lastReview} is not null`))
    .groupBy(cards.userId, lessons.skill);
}

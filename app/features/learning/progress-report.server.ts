// The rep's own progress: per skill, lessons completed and first-attempt accuracy with its
// trend; recent activity; and the streak of active days in the organization's time zone.
import { and, asc, desc, eq, gt, gte, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Handle } from "~/db/connection.server";
import { countRows, oneIf } from "~/db/dialect";
import {
  attempts,
  cards,
  dailyActivity,
  LIBRARY_OWNER,
  lessonProgress,
  lessons,
  statements,
  vacations,
} from "~/db/schema";
import { addDays, DAY_MS, dayIn, streakLength } from "~/shared/days";
import { VERB_LABELS } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";

/** The days a rep was on hold, which a streak passes over without breaking. */
async function vacationDays(db: Handle, userId: string, sinceDay: string): Promise<Set<string>> {
  const rows = await db
    .select({ startDay: vacations.startDay, endDay: vacations.endDay })
    .from(vacations)
    .where(and(eq(vacations.userId, userId), gt(vacations.endDay, sinceDay)));
  const days = new Set<string>();
  for (const v of rows) for (let d = v.startDay; d < v.endDay; d = addDays(d, 1)) days.add(d);
  return days;
}

export const TREND_WINDOW_DAYS = 28;
/** A trend compares two windows only when each holds at least this many first answers. */
export const TREND_MIN_ANSWERS = 5;
/** A change smaller than this many points reads as steady. */
export const TREND_STEADY_POINTS = 5;

export type SkillProgress = {
  skill: string;
  lessonsCompleted: number;
  lessonsTotal: number;
  firstAttempts: number;
  accuracy: number | null;
  /**
   * First-try accuracy of the last 28 days minus the 28 before (`change`), when each window holds
   * at least TREND_MIN_ANSWERS first answers; how many each holds either way.
   */
  trend: { change: number | null; recent: number; earlier: number };
};

export async function skillProgress(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  now = new Date(),
): Promise<SkillProgress[]> {
  const totals = await db
    .select({ skill: lessons.skill, total: countRows() })
    .from(lessons)
    .where(
      and(
        isNull(lessons.archivedAt),
        isNotNull(lessons.currentVersionId),
        or(eq(lessons.owner, LIBRARY_OWNER), eq(lessons.owner, user.orgId)),
      ),
    )
    .groupBy(lessons.skill);
  const completed = await db
    .select({ skill: lessons.skill, n: countRows() })
    .from(lessonProgress)
    .innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
    .where(and(eq(lessonProgress.userId, user.id), sql`${lessonProgress.completedAt} is not null`))
    .groupBy(lessons.skill);
  const recentStart = now.getTime() - TREND_WINDOW_DAYS * DAY_MS;
  const earlierStart = recentStart - TREND_WINDOW_DAYS * DAY_MS;
  const recent = sql`${attempts.createdAt} >= ${recentStart}`;
  const earlier = sql`${attempts.createdAt} >= ${earlierStart} and ${attempts.createdAt} < ${recentStart}`;
  const accuracy = await db
    .select({
      skill: lessons.skill,
      n: countRows(),
      right: sql<number>`sum(${oneIf(attempts.correct)})`,
      recentN: sql<number>`sum(${oneIf(recent)})`,
      recentRight: sql<number>`sum(${oneIf(sql`${recent} and ${attempts.correct}`)})`,
      earlierN: sql<number>`sum(${oneIf(earlier)})`,
      earlierRight: sql<number>`sum(${oneIf(sql`${earlier} and ${attempts.correct}`)})`,
    })
    .from(attempts)
    .innerJoin(lessons, eq(lessons.id, attempts.lessonId))
    .where(and(eq(attempts.userId, user.id), eq(attempts.first, true)))
    .groupBy(lessons.skill);
  return totals
    .map(({ skill, total }) => {
      const a = accuracy.find((x) => x.skill === skill);
      const recentN = a?.recentN ?? 0;
      const earlierN = a?.earlierN ?? 0;
      const trend = {
        change:
          a && recentN >= TREND_MIN_ANSWERS && earlierN >= TREND_MIN_ANSWERS
            ? a.recentRight / recentN - a.earlierRight / earlierN
            : null,
        recent: recentN,
        earlier: earlierN,
      };
      return {
        skill,
        lessonsTotal: total,
        lessonsCompleted: completed.find((c) => c.skill === skill)?.n ?? 0,
        firstAttempts: a?.n ?? 0,
        accuracy: a && a.n > 0 ? a.right / a.n : null,
        trend,
      };
    })
    .sort((x, y) => x.skill.localeCompare(y.skill));
}

export type ActivityItem = {
  verb: string;
  object: string;
  objectType: string;
  score: number | null;
  success: boolean | null;
  at: Date;
};

export async function recentActivity(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  limit = 12,
): Promise<ActivityItem[]> {
  const found = await db
    .select({
      verb: statements.verb,
      object: statements.objectName,
      objectType: statements.objectType,
      score: statements.resultScore,
      success: statements.resultSuccess,
      at: statements.timestamp,
    })
    .from(statements)
    .where(and(eq(statements.actorId, user.id), eq(statements.orgId, user.orgId)))
    .orderBy(desc(statements.timestamp))
    .limit(limit);
  // A boost's stored name carries its day ("Daily boost 2026-12-04"): the list shows the day as a date beside it.
  return found.map((s) => ({
    ...s,
    verb: VERB_LABELS[s.verb] ?? s.verb,
    object: s.objectType === "boost" ? "the daily boost" : s.object,
  }));
}

export async function currentStreak(
  db: Handle,
  user: Pick<SessionUser, "id" | "timezone">,
  now = new Date(),
): Promise<number> {
  const since = dayIn(user.timezone, new Date(now.getTime() - 400 * DAY_MS));
  // Read together: on PostgreSQL the two round trips overlap (decision 010).
  const [days, vacation] = await Promise.all([
    db
      .select({ day: dailyActivity.day })
      .from(dailyActivity)
      .where(and(eq(dailyActivity.userId, user.id), gte(dailyActivity.day, since))),
    vacationDays(db, user.id, since),
  ]);
  return streakLength(new Set(days.map((d) => d.day)), dayIn(user.timezone, now), vacation);
}

export type LessonDone = {
  title: string;
  /** The lesson's questions, and how many the rep got right on their first answer. */
  questions: number;
  rightFirstTime: number;
  /** The cards the lesson gave the rep's boosts, and when the first comes back. */
  cards: number;
  firstDue: Date | null;
};

/**
 * What a rep did in a lesson they completed, for the short note shown once when they finish it:
 * the first-answer score and when its questions come back. Null when they have not completed it.
 */
export async function lessonDone(
  db: Handle,
  user: Pick<SessionUser, "id">,
  lesson: { id: string; title: string },
): Promise<LessonDone | null> {
  const [progress, firstAnswers, lessonCards] = await Promise.all([
    db
      .select({ completedAt: lessonProgress.completedAt })
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, lesson.id)))
      .limit(1),
    db
      .select({ key: attempts.questionKey, correct: attempts.correct })
      .from(attempts)
      .where(and(eq(attempts.userId, user.id), eq(attempts.lessonId, lesson.id), eq(attempts.context, "lesson")))
      .orderBy(asc(attempts.createdAt)),
    db
      .select({ due: cards.due })
      .from(cards)
      .where(and(eq(cards.userId, user.id), eq(cards.lessonId, lesson.id))),
  ]);
  if (!progress[0]?.completedAt) return null;
  const first = new Map<string, boolean>();
  for (const a of firstAnswers) if (!first.has(a.key)) first.set(a.key, a.correct);
  const dues = lessonCards.map((c) => c.due.getTime());
  return {
    title: lesson.title,
    questions: first.size,
    rightFirstTime: [...first.values()].filter(Boolean).length,
    cards: lessonCards.length,
    firstDue: dues.length ? new Date(Math.min(...dues)) : null,
  };
}

// The rep's own progress: per skill, lessons completed and first-attempt accuracy with its
// trend; recent activity; and the streak of active days in the organization's time zone.
import { and, desc, eq, gte, isNull, or, sql } from "drizzle-orm";
import { db } from "~/db/connection.server";
import { attempts, dailyActivity, LIBRARY_OWNER, lessonProgress, lessons, statements } from "~/db/schema";
import { DAY_MS, dayIn, streakLength } from "~/features/activity/days";
import { VERB_LABELS } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { vacationDays } from "~/features/reinforcement/reminders.server";

export const TREND_WINDOW_DAYS = 28;

export type SkillProgress = {
  skill: string;
  lessonsCompleted: number;
  lessonsTotal: number;
  firstAttempts: number;
  accuracy: number | null;
  /** Accuracy of the last 28 days minus the 28 before, when both have answers. */
  trend: number | null;
};

export function skillProgress(user: Pick<SessionUser, "id" | "orgId">, now = new Date()): SkillProgress[] {
  const totals = db()
    .select({ skill: lessons.skill, total: sql<number>`count(*)` })
    .from(lessons)
    .where(and(isNull(lessons.archivedAt), or(eq(lessons.owner, LIBRARY_OWNER), eq(lessons.owner, user.orgId))))
    .groupBy(lessons.skill)
    .all();
  const completed = db()
    .select({ skill: lessons.skill, n: sql<number>`count(*)` })
    .from(lessonProgress)
    .innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
    .where(and(eq(lessonProgress.userId, user.id), sql`${lessonProgress.completedAt} is not null`))
    .groupBy(lessons.skill)
    .all();
  const recentStart = now.getTime() - TREND_WINDOW_DAYS * DAY_MS;
  const earlierStart = recentStart - TREND_WINDOW_DAYS * DAY_MS;
  const accuracy = db()
    .select({
      skill: lessons.skill,
      n: sql<number>`count(*)`,
      right: sql<number>`sum(${attempts.correct})`,
      recentN: sql<number>`sum(case when ${attempts.createdAt} >= ${recentStart} then 1 else 0 end)`,
      recentRight: sql<number>`sum(case when ${attempts.createdAt} >= ${recentStart} then ${attempts.correct} else 0 end)`,
      earlierN: sql<number>`sum(case when ${attempts.createdAt} >= ${earlierStart} and ${attempts.createdAt} < ${recentStart} then 1 else 0 end)`,
      earlierRight: sql<number>`sum(case when ${attempts.createdAt} >= ${earlierStart} and ${attempts.createdAt} < ${recentStart} then ${attempts.correct} else 0 end)`,
    })
    .from(attempts)
    .innerJoin(lessons, eq(lessons.id, attempts.lessonId))
    .where(and(eq(attempts.userId, user.id), eq(attempts.first, true)))
    .groupBy(lessons.skill)
    .all();
  return totals
    .map(({ skill, total }) => {
      const a = accuracy.find((x) => x.skill === skill);
      const trend = a && a.recentN > 0 && a.earlierN > 0 ? a.recentRight / a.recentN - a.earlierRight / a.earlierN : null;
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

export type ActivityItem = { verb: string; object: string; objectType: string; score: number | null; success: boolean | null; at: Date };

export function recentActivity(user: Pick<SessionUser, "id" | "orgId">, limit = 12): ActivityItem[] {
  return db()
    .select({ verb: statements.verb, object: statements.objectName, objectType: statements.objectType, score: statements.resultScore, success: statements.resultSuccess, at: statements.timestamp })
    .from(statements)
    .where(and(eq(statements.actorId, user.id), eq(statements.orgId, user.orgId)))
    .orderBy(desc(statements.timestamp))
    .limit(limit)
    .all()
    .map((s) => ({ ...s, verb: VERB_LABELS[s.verb] ?? s.verb }));
}

export function currentStreak(user: Pick<SessionUser, "id" | "timezone">, now = new Date()): number {
  const since = dayIn(user.timezone, new Date(now.getTime() - 400 * DAY_MS));
  const days = db()
    .select({ day: dailyActivity.day })
    .from(dailyActivity)
    .where(and(eq(dailyActivity.userId, user.id), gte(dailyActivity.day, since)))
    .all();
  return streakLength(new Set(days.map((d) => d.day)), dayIn(user.timezone, now), vacationDays(user.id, since));
}

// What reps say about a lesson: one rating per rep and lesson (useful or not, and an optional
// comment), changed by rating again. Trainers and admins read them per lesson, in their own
// organization only, with the rep's name.
import { and, asc, desc, eq, gte } from "drizzle-orm";
import { z } from "zod";
import { first, type Handle } from "~/db/connection.server";
import { inList } from "~/db/dialect";
import { lessonRatings, users } from "~/db/schema";
import { MAX_COMMENT } from "./rating-form";

export const ratingSchema = z.object({
  intent: z.literal("rate"),
  useful: z.enum(["yes", "no"], { error: "Say whether the lesson was useful." }),
  comment: z
    .string()
    .trim()
    .max(MAX_COMMENT, { error: `Keep the comment under ${MAX_COMMENT} characters.` })
    .optional(),
});

type Rater = { id: string; orgId: string };

/** Saves the rep's rating of the lesson, replacing the one they gave before. */
export async function rateLesson(
  db: Handle,
  user: Rater,
  lessonId: string,
  rating: { useful: boolean; comment: string | null },
  now: Date,
): Promise<void> {
  const values = { useful: rating.useful, comment: rating.comment || null, ratedAt: now };
  await db
    .insert(lessonRatings)
    .values({ orgId: user.orgId, userId: user.id, lessonId, ...values })
    .onConflictDoUpdate({ target: [lessonRatings.userId, lessonRatings.lessonId], set: values });
}

export async function myRating(
  db: Handle,
  user: Rater,
  lessonId: string,
): Promise<{ useful: boolean; comment: string | null } | null> {
  return (
    (await first(
      db
        .select({ useful: lessonRatings.useful, comment: lessonRatings.comment })
        .from(lessonRatings)
        .where(and(eq(lessonRatings.userId, user.id), eq(lessonRatings.lessonId, lessonId)))
        .limit(1),
    )) ?? null
  );
}

export type LessonRating = {
  lessonId: string;
  useful: boolean;
  comment: string | null;
  repName: string;
  ratedAt: Date;
};

/** The organization's ratings given in the period by reps in scope, newest first. */
export async function ratingsInScope(
  db: Handle,
  scope: { orgId: string; from: Date; repIds: string[] | null },
): Promise<LessonRating[]> {
  return db
    .select({
      lessonId: lessonRatings.lessonId,
      useful: lessonRatings.useful,
      comment: lessonRatings.comment,
      repName: users.name,
      ratedAt: lessonRatings.ratedAt,
    })
    .from(lessonRatings)
    .innerJoin(users, and(eq(users.id, lessonRatings.userId), eq(users.orgId, scope.orgId)))
    .where(
      and(
        eq(lessonRatings.orgId, scope.orgId),
        gte(lessonRatings.ratedAt, scope.from),
        ...(scope.repIds ? [inList(lessonRatings.userId, scope.repIds)] : []),
      ),
    )
    .orderBy(desc(lessonRatings.ratedAt), asc(users.name));
}

// Cards are born when a rep completes a lesson: one per question, and the rep's first answer
// in the lesson counts as its first review (right → Good, wrong → Again).
import { and, asc, eq } from "drizzle-orm";
import { first, type Transaction } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { attempts, cards, lessons, organizations, questions, reviewLogs } from "~/db/schema";
import { Rating, review } from "./fsrs.server";

/** Runs inside the transaction that completes the lesson (learning/answers.server.ts). */
export async function createCardsForLesson(
  tx: Transaction,
  user: { id: string; orgId: string },
  lessonId: string,
  now: Date,
): Promise<number> {
  const scheduling = (await first(
    tx
      .select({ desiredRetention: organizations.desiredRetention, parameters: organizations.fsrsParameters })
      .from(organizations)
      .where(eq(organizations.id, user.orgId))
      .limit(1),
  ))!;
  const current = await tx
    .select({ key: questions.key })
    .from(questions)
    .innerJoin(
      lessons,
      and(eq(lessons.id, questions.lessonId), eq(lessons.currentVersionId, questions.lessonVersionId)),
    )
    .where(eq(questions.lessonId, lessonId))
    .orderBy(asc(questions.position));
  let created = 0;
  for (const { key } of current) {
    const firstAnswer = await first(
      tx
        .select({ id: attempts.id, correct: attempts.correct, createdAt: attempts.createdAt })
        .from(attempts)
        .where(
          and(
            eq(attempts.userId, user.id),
            eq(attempts.lessonId, lessonId),
            eq(attempts.questionKey, key),
            eq(attempts.first, true),
          ),
        )
        .limit(1),
    );
    const at = firstAnswer?.createdAt ?? now;
    const card = review(
      null,
      firstAnswer?.correct === false ? Rating.Again : Rating.Good,
      at,
      scheduling.desiredRetention,
      scheduling.parameters,
    );
    const id = newId();
    const inserted = await first(
      tx
        .insert(cards)
        .values({ id, orgId: user.orgId, userId: user.id, lessonId, questionKey: key, ...card, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: cards.id }),
    );
    if (!inserted) continue;
    created++;
    await logReview(tx, {
      orgId: user.orgId,
      userId: user.id,
      cardId: id,
      attemptId: firstAnswer?.id ?? null,
      rating: firstAnswer?.correct === false ? Rating.Again : Rating.Good,
      card,
      due: at,
      reviewedAt: at,
    });
  }
  return created;
}

/** One line of a card's review log: the rating given and the card's state after it. */
export async function logReview(
  tx: Transaction,
  review: {
    orgId: string;
    userId: string;
    cardId: string;
    attemptId: string | null;
    rating: number;
    card: { state: number; stability: number; difficulty: number; scheduledDays: number };
    due: Date;
    reviewedAt: Date;
  },
): Promise<void> {
  const { card, ...row } = review;
  await tx.insert(reviewLogs).values({
    id: newId(),
    ...row,
    state: card.state,
    stability: card.stability,
    difficulty: card.difficulty,
    scheduledDays: card.scheduledDays,
  });
}

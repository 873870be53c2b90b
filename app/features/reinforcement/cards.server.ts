// Cards are born when a rep completes a lesson: one per question, and the rep's first answer
// in the lesson counts as its first review (right → Good, wrong → Again).
import { and, asc, eq } from "drizzle-orm";
import type { db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { attempts, cards, lessons, organizations, questions, reviewLogs } from "~/db/schema";
import { Rating, review } from "./fsrs.server";

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

export function createCardsForLesson(tx: Tx, user: { id: string; orgId: string }, lessonId: string, now: Date): number {
  const retention = tx.select({ r: organizations.desiredRetention }).from(organizations).where(eq(organizations.id, user.orgId)).get()!.r;
  const current = tx
    .select({ key: questions.key })
    .from(questions)
    .innerJoin(lessons, and(eq(lessons.id, questions.lessonId), eq(lessons.currentVersionId, questions.lessonVersionId)))
    .where(eq(questions.lessonId, lessonId))
    .orderBy(asc(questions.position))
    .all();
  let created = 0;
  for (const { key } of current) {
    const first = tx
      .select({ id: attempts.id, correct: attempts.correct, createdAt: attempts.createdAt })
      .from(attempts)
      .where(and(eq(attempts.userId, user.id), eq(attempts.lessonId, lessonId), eq(attempts.questionKey, key), eq(attempts.first, true)))
      .get();
    const at = first?.createdAt ?? now;
    const card = review(null, first?.correct === false ? Rating.Again : Rating.Good, at, retention);
    const id = newId();
    const inserted = tx
      .insert(cards)
      .values({ id, orgId: user.orgId, userId: user.id, lessonId, questionKey: key, ...card, createdAt: now })
      .onConflictDoNothing()
      .returning({ id: cards.id })
      .get();
    if (!inserted) continue;
    created++;
    tx.insert(reviewLogs)
      .values({
        id: newId(),
        orgId: user.orgId,
        userId: user.id,
        cardId: id,
        attemptId: first?.id ?? null,
        rating: first?.correct === false ? Rating.Again : Rating.Good,
        state: card.state,
        stability: card.stability,
        difficulty: card.difficulty,
        scheduledDays: card.scheduledDays,
        due: at,
        reviewedAt: at,
      })
      .run();
  }
  return created;
}

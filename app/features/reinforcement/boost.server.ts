// The daily boost: up to N due cards, least likely remembered (most overdue) first. Every
// function takes its clock as a parameter, so tests can move time forward.
import { and, asc, count, desc, eq, gt, lte } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { attempts, boosts, cards, lessons, vacations } from "~/db/schema";
import { dayIn, previousDay } from "~/features/activity/days";
import { recordStatement } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { answerQuestion, feedbackFor, findCurrentQuestion } from "~/features/learning/answers.server";
import { organizationSettings } from "~/features/people/organizations.server";
import { Refusal } from "~/features/refusal";
import type { QuizResult } from "~/lesson-kit/lesson-state";
import { logReview } from "./cards.server";
import { Rating, retrievability, review, type StoredCard } from "./fsrs.server";

type Learner = Pick<SessionUser, "id" | "orgId" | "timezone">;

export async function activeVacation(db: Handle, userId: string, day: string): Promise<{ endDay: string } | null> {
  return (
    (await first(
      db
        .select({ endDay: vacations.endDay })
        .from(vacations)
        .where(and(eq(vacations.userId, userId), lte(vacations.startDay, day), gt(vacations.endDay, day)))
        .limit(1),
    )) ?? null
  );
}

/** Cards due at `now`, least likely remembered first (which is also the most overdue first). */
export async function dueCards(db: Handle, userId: string, now: Date, limit: number) {
  const candidates = await db
    .select({
      id: cards.id,
      lessonId: cards.lessonId,
      questionKey: cards.questionKey,
      due: cards.due,
      stability: cards.stability,
      lastReview: cards.lastReview,
    })
    .from(cards)
    .where(and(eq(cards.userId, userId), lte(cards.due, now)))
    .orderBy(asc(cards.due))
    .limit(500);
  return candidates
    .map((c) => ({ ...c, retrievability: retrievability(c, now) }))
    .sort((a, b) => a.retrievability - b.retrievability || a.due.getTime() - b.due.getTime())
    .slice(0, limit);
}

export async function dueCount(db: Handle, userId: string, now: Date): Promise<number> {
  const due = await first(
    db
      .select({ n: count() })
      .from(cards)
      .where(and(eq(cards.userId, userId), lte(cards.due, now))),
  );
  return due!.n;
}

export type BoostCard = {
  cardId: string;
  lessonTitle: string;
  prompt: string;
  kind: "single" | "multiple";
  choices: Array<{ id: string; text: string }>;
};
export type BoostView =
  | { state: "vacation"; until: string }
  | { state: "empty"; nextDue: Date | null }
  | { state: "open"; boostId: string; total: number; answered: number; current: BoostCard }
  | ({ state: "done"; total: number } & NextQuestions);

/** After today's boost: due questions that did not fit in it, and when the next one comes back. */
export type NextQuestions = { waiting: number; nextDue: Date | null };

async function nextQuestions(db: Handle, userId: string, now: Date): Promise<NextQuestions> {
  return { waiting: await dueCount(db, userId, now), nextDue: await nextDueDate(db, userId) };
}

async function nextDueDate(db: Handle, userId: string): Promise<Date | null> {
  return (
    (
      await first(
        db.select({ due: cards.due }).from(cards).where(eq(cards.userId, userId)).orderBy(asc(cards.due)).limit(1),
      )
    )?.due ?? null
  );
}

/** A rep's boost of one day, if it was opened (inside a transaction: pass the transaction). */
async function boostOf(db: Handle, userId: string, day: string) {
  return first(
    db
      .select()
      .from(boosts)
      .where(and(eq(boosts.userId, userId), eq(boosts.day, day)))
      .limit(1),
  );
}

/**
 * Yesterday's boost when it was started (a question answered) and not finished: a boost that
 * runs past the organization's midnight is finished before today's is chosen
 * (docs/decisions/013-a-boost-belongs-to-its-day.md).
 */
async function unfinishedBoostOfYesterday(db: Handle, userId: string, day: string) {
  const boost = await boostOf(db, userId, previousDay(day));
  return boost && !boost.finishedAt && boost.answered.length > 0 ? boost : undefined;
}

type StoredBoost = NonNullable<Awaited<ReturnType<typeof boostOf>>>;

/** A boost's first question not yet answered (skipping retired ones), or null when none is left. */
async function nextInBoost(db: Handle, userId: string, boost: StoredBoost): Promise<BoostView | null> {
  if (boost.finishedAt) return null;
  for (const cardId of boost.cardIds) {
    if (boost.answered.includes(cardId)) continue;
    const current = await boostCard(db, userId, cardId);
    if (current)
      return {
        state: "open",
        boostId: boost.id,
        total: boost.cardIds.length,
        answered: boost.answered.length,
        current,
      };
  }
  return null;
}

/**
 * Today's boost: chosen when first opened and kept for the day, so the set does not shift.
 * Requests (or servers) that open it at the same moment may each choose cards, but the unique
 * (user, day) index keeps only the first insert, and every one of them reads that stored row.
 */
export async function openTodaysBoost(db: Handle, user: Learner, now: Date): Promise<BoostView> {
  const settings = await organizationSettings(db, user.orgId);
  const day = dayIn(user.timezone, now);
  const vacation = await activeVacation(db, user.id, day);
  if (vacation) return { state: "vacation", until: vacation.endDay };
  let boost = await boostOf(db, user.id, day);
  if (!boost) {
    const yesterdays = await unfinishedBoostOfYesterday(db, user.id, day);
    const continued = yesterdays ? await nextInBoost(db, user.id, yesterdays) : null;
    if (continued) return continued;
    const chosen = await dueCards(db, user.id, now, settings.boostSize);
    if (chosen.length === 0) return { state: "empty", nextDue: await nextDueDate(db, user.id) };
    await db
      .insert(boosts)
      .values({
        id: newId(),
        orgId: user.orgId,
        userId: user.id,
        day,
        cardIds: chosen.map((c) => c.id),
        answered: [],
        startedAt: now,
      })
      .onConflictDoNothing();
    boost = (await boostOf(db, user.id, day))!;
  }
  return (
    (await nextInBoost(db, user.id, boost)) ?? {
      state: "done",
      total: boost.cardIds.length,
      ...(await nextQuestions(db, user.id, now)),
    }
  );
}

async function boostCard(db: Handle, userId: string, cardId: string): Promise<BoostCard | null> {
  const card = await first(
    db
      .select({ lessonId: cards.lessonId, key: cards.questionKey, lessonTitle: lessons.title })
      .from(cards)
      .innerJoin(lessons, eq(lessons.id, cards.lessonId))
      .where(and(eq(cards.id, cardId), eq(cards.userId, userId)))
      .limit(1),
  );
  if (!card) return null;
  const question = await findCurrentQuestion(db, card.lessonId, card.key);
  if (!question) return null;
  return {
    cardId,
    lessonTitle: card.lessonTitle,
    prompt: question.prompt,
    kind: question.kind,
    choices: question.choices.map(({ id, text }) => ({ id, text })),
  };
}

export type BoostSummary =
  | { state: "vacation"; until: string }
  | { state: "empty"; nextDue: Date | null }
  | { state: "open"; due: number; answered: number }
  | ({ state: "done" } & NextQuestions);

/** What Today shows of the boost, without choosing the cards (only /boost does that, and writes). */
export async function boostSummary(db: Handle, user: Learner, boostSize: number, now: Date): Promise<BoostSummary> {
  const day = dayIn(user.timezone, now);
  const vacation = await activeVacation(db, user.id, day);
  if (vacation) return { state: "vacation", until: vacation.endDay };
  const boost = (await boostOf(db, user.id, day)) ?? (await unfinishedBoostOfYesterday(db, user.id, day));
  if (boost)
    return boost.finishedAt
      ? { state: "done", ...(await nextQuestions(db, user.id, now)) }
      : { state: "open", due: boost.cardIds.length, answered: boost.answered.length };
  const due = Math.min(boostSize, await dueCount(db, user.id, now));
  return due > 0 ? { state: "open", due, answered: 0 } : { state: "empty", nextDue: await nextDueDate(db, user.id) };
}

export type Confidence = "guessed" | "knew" | "easy";

/** Right answers rate Good, or Hard when guessed and Easy when it was easy; wrong ones Again. */
export function ratingFor(correct: boolean, confidence: Confidence) {
  if (!correct) return Rating.Again;
  return confidence === "guessed" ? Rating.Hard : confidence === "easy" ? Rating.Easy : Rating.Good;
}

export type BoostAnswer = { result: QuizResult; comesBack: Date; finished: boolean };

export async function answerBoostCard(
  db: Handle,
  input: {
    user: Learner;
    /** The boost the question was shown in: it decides which boost the answer counts for, whatever the day is now. */
    boostId: string;
    cardId: string;
    chosen: string[];
    confidence: Confidence;
    submissionId: string;
    now: Date;
  },
): Promise<BoostAnswer> {
  const { user, now } = input;
  const settings = await organizationSettings(db, user.orgId);
  return transaction(db, async (tx) => {
    const boost = await first(
      tx
        .select()
        .from(boosts)
        .where(and(eq(boosts.id, input.boostId), eq(boosts.userId, user.id), eq(boosts.orgId, user.orgId)))
        .limit(1),
    );
    if (!boost || !boost.cardIds.includes(input.cardId))
      throw new Refusal("That question is not in your boost. Open the boost again.", 404);
    const card = await first(
      tx
        .select()
        .from(cards)
        .where(and(eq(cards.id, input.cardId), eq(cards.userId, user.id)))
        .limit(1),
    );
    if (!card) throw new Refusal("That question is not in your boost. Open the boost again.", 404);
    const question = await findCurrentQuestion(tx, card.lessonId, card.questionKey);
    if (!question) throw new Refusal("That question has been retired from its lesson. Go on to the next one.", 409);
    const lesson = (await first(
      tx.select({ title: lessons.title }).from(lessons).where(eq(lessons.id, card.lessonId)).limit(1),
    ))!;

    // answerQuestion runs inside this transaction (given one, it opens none of its own).
    const outcome = await answerQuestion(tx, {
      user,
      question,
      lessonTitle: lesson.title,
      chosen: input.chosen,
      submissionId: input.submissionId,
      context: "boost",
      now,
    });
    if (!outcome.stored || boost.answered.includes(card.id)) {
      // A repeated submission: the card was already reviewed for it.
      return { result: outcome.result, comesBack: card.due, finished: boost.finishedAt !== null };
    }
    const grade = ratingFor(outcome.result.correct, input.confidence);
    const next = review(card as StoredCard, grade, now, settings.desiredRetention);
    await tx.update(cards).set(next).where(eq(cards.id, card.id));
    await logReview(tx, {
      orgId: user.orgId,
      userId: user.id,
      cardId: card.id,
      attemptId: outcome.attemptId,
      rating: grade,
      card: next,
      due: card.due,
      reviewedAt: now,
    });
    const answered = [...boost.answered, card.id];
    const finished = boost.cardIds.every((id) => answered.includes(id));
    await tx
      .update(boosts)
      .set({ answered, finishedAt: finished ? now : null })
      .where(eq(boosts.id, boost.id));
    if (finished) {
      await recordStatement(
        tx,
        {
          orgId: user.orgId,
          timezone: user.timezone,
          actorId: user.id,
          verb: "boosted",
          object: { type: "boost", id: boost.id, name: `Daily boost ${boost.day}` },
          result: { success: true, durationMs: now.getTime() - boost.startedAt.getTime() },
          timestamp: now,
        },
        { boostsCompleted: 1 },
      );
    }
    return { result: outcome.result, comesBack: next.due, finished };
  });
}

/** What the rep answered last in a boost for this card, to show its feedback after a redirect. */
export async function lastBoostFeedback(
  db: Handle,
  userId: string,
  cardId: string,
): Promise<{
  prompt: string;
  choices: Array<{ id: string; text: string }>;
  result: QuizResult;
  comesBack: Date;
} | null> {
  const card = await first(
    db
      .select()
      .from(cards)
      .where(and(eq(cards.id, cardId), eq(cards.userId, userId)))
      .limit(1),
  );
  if (!card) return null;
  const question = await findCurrentQuestion(db, card.lessonId, card.questionKey);
  const attempt = await first(
    db
      .select({ chosen: attempts.chosen, correct: attempts.correct, score: attempts.score })
      .from(attempts)
      .where(
        and(
          eq(attempts.userId, userId),
          eq(attempts.lessonId, card.lessonId),
          eq(attempts.questionKey, card.questionKey),
          eq(attempts.context, "boost"),
        ),
      )
      .orderBy(desc(attempts.createdAt))
      .limit(1),
  );
  if (!question || !attempt) return null;
  return {
    prompt: question.prompt,
    choices: question.choices.map(({ id, text }) => ({ id, text })),
    result: feedbackFor(question, attempt.chosen, attempt),
    comesBack: card.due,
  };
}

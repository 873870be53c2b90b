// Answering a question of the daily boost: the answer is recorded like any other (answerQuestion,
// context "boost") and its card is rescheduled. It lives in learning, beside the other answers,
// so that learning depends on reinforcement (cards, the schedule) and never the other way.
import { and, desc, eq } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { attempts, boosts, cards, lessons } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { findCurrentQuestion } from "~/features/content/questions.server";
import { organizationSettings } from "~/features/people/organizations.server";
import { answerLinkQuestion, claimAnswerLink, usableAnswerLink } from "~/features/reinforcement/answer-links.server";
import { answerTime } from "~/features/reinforcement/boost-size";
import { logReview } from "~/features/reinforcement/cards.server";
import { Rating, review, type StoredCard } from "~/features/reinforcement/fsrs.server";
import type { QuizResult } from "~/lesson-kit/lesson-state";
import { Refusal } from "~/features/refusal";
import { answerQuestion, feedbackFor } from "./answers.server";

type Learner = Pick<SessionUser, "id" | "orgId" | "timezone">;

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
    const next = review(card as StoredCard, grade, now, settings.desiredRetention, settings.parameters);
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
    // The rep's pace (decision 023): this answer's time since its question was shown, unless it
    // was interrupted.
    const took = answerTime(boost.lastAnswerAt ?? boost.startedAt, now);
    await tx
      .update(boosts)
      .set({
        answered,
        finishedAt: finished ? now : null,
        lastAnswerAt: now,
        answeringMs: boost.answeringMs + (took ?? 0),
        timedAnswers: boost.timedAnswers + (took === null ? 0 : 1),
      })
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

export type LinkAnswer = BoostAnswer & {
  prompt: string;
  choices: Array<{ id: string; text: string }>;
  /** The rep's organization's, for saying when the question comes back. */
  timezone: string;
};

/**
 * An answer from a digest's one-tap link (decision 030): the link is checked and claimed, and the
 * answer recorded by answerBoostCard, all in one transaction, so it is stored once or not at all.
 * A tap says which choice, not how sure: a right answer rates as "I know this" (Good).
 */
export async function answerFromLink(
  db: Handle,
  input: { token: string; chosen: string[]; now: Date },
): Promise<LinkAnswer> {
  return transaction(db, async (tx) => {
    const link = await usableAnswerLink(tx, input.token, input.now);
    const question = await answerLinkQuestion(tx, link);
    if (!(await claimAnswerLink(tx, link, input.now)))
      throw new Refusal(
        "This link has already been used: your answer was recorded once. Sign in to go on with your boost.",
        409,
      );
    const answer = await answerBoostCard(tx, {
      user: link.rep,
      boostId: link.boostId,
      cardId: link.cardId,
      chosen: input.chosen,
      confidence: "knew",
      submissionId: `link-${link.tokenHash.slice(0, 40)}`,
      now: input.now,
    });
    return { ...answer, prompt: question.prompt, choices: question.choices, timezone: link.rep.timezone };
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

// The daily boost: the due cards, least likely remembered (most overdue) first, as many as fit in
// the organization's minutes at the rep's pace (boost-size.ts, decision 023). Every function takes
// its clock as a parameter, so tests can move time forward. Answering a boost question is in
// learning/boost-answers.server.ts, with the other answers.
import { and, asc, count, desc, eq, gt, gte, inArray, lt, lte } from "drizzle-orm";
import { first, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { boosts, cards, lessons, reviewLogs, vacations } from "~/db/schema";
import { addDays, dayIn, previousDay } from "~/shared/days";
import type { SessionUser } from "~/features/auth/sessions.server";
import { findCurrentQuestion } from "~/features/content/questions.server";
import { organizationSettings } from "~/features/people/organizations.server";
import {
  boostCapacity,
  PACE_BOOSTS,
  PACE_DAYS,
  paceFrom,
  planBoost,
  SAVING_DAYS,
  savedQuestions,
  type Pace,
} from "./boost-size";
import { Rating, retrievability } from "./fsrs.server";

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

/**
 * How many questions today's boost may hold: the organization's minutes a day at the rep's pace
 * (measured on their latest boosts), plus what recent days saved (boost-size.ts says how).
 */
export async function boostAllowance(
  db: Handle,
  userId: string,
  budgetMinutes: number,
  today: string,
): Promise<{ pace: Pace; daily: number; capacity: number }> {
  const recent = await db
    .select({
      day: boosts.day,
      answeringMs: boosts.answeringMs,
      timedAnswers: boosts.timedAnswers,
      answered: boosts.answered,
    })
    .from(boosts)
    .where(and(eq(boosts.userId, userId), gte(boosts.day, addDays(today, -PACE_DAYS)), lt(boosts.day, today)))
    .orderBy(desc(boosts.day))
    .limit(PACE_BOOSTS);
  const pace = paceFrom(recent);
  const daily = boostCapacity(budgetMinutes, pace);
  const answeredOn = new Map(recent.map((b) => [b.day, b.answered.length]));
  const previousDays = Array.from({ length: SAVING_DAYS }, (_, i) => addDays(today, i - SAVING_DAYS));
  const saved = savedQuestions(
    daily,
    previousDays.map((day) => answeredOn.get(day) ?? 0),
  );
  return { pace, daily, capacity: daily + saved };
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
  | ({ state: "open"; boostId: string; total: number; answered: number; current: BoostCard } & Backlog)
  | ({ state: "done"; total: number; right: number } & NextQuestions);

/**
 * Due questions beyond those left in the boost, and how many more days of boosts of this size
 * they take (0 when none wait).
 */
export type Backlog = { waiting: number; moreDays: number };

function backlogBeyond(dueNow: number, leftInBoost: number, boostSize: number): Backlog {
  const waiting = Math.max(0, dueNow - leftInBoost);
  return { waiting, moreDays: waiting === 0 ? 0 : Math.ceil(waiting / Math.max(1, boostSize)) };
}

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
async function nextInBoost(db: Handle, userId: string, boost: StoredBoost, now: Date): Promise<BoostView | null> {
  if (boost.finishedAt) return null;
  for (const cardId of boost.cardIds) {
    if (boost.answered.includes(cardId)) continue;
    const current = await boostCard(db, userId, cardId);
    if (current) {
      const left = boost.cardIds.length - boost.answered.length;
      return {
        state: "open",
        boostId: boost.id,
        total: boost.cardIds.length,
        answered: boost.answered.length,
        current,
        ...backlogBeyond(await dueCount(db, userId, now), left, boost.cardIds.length),
      };
    }
  }
  return null;
}

/**
 * Today's boost: chosen when first opened and kept for the day, so the set does not shift. It
 * holds every due card up to what fits in the organization's minutes at the rep's pace, least
 * likely remembered first. Requests (or servers) that open it at the same moment may each choose
 * cards, but the unique (user, day) index keeps only the first insert, and every one of them
 * reads that stored row (decision 013).
 */
export async function openTodaysBoost(db: Handle, user: Learner, now: Date): Promise<BoostView> {
  const settings = await organizationSettings(db, user.orgId);
  const day = dayIn(user.timezone, now);
  const vacation = await activeVacation(db, user.id, day);
  if (vacation) return { state: "vacation", until: vacation.endDay };
  let boost = await boostOf(db, user.id, day);
  if (!boost) {
    const yesterdays = await unfinishedBoostOfYesterday(db, user.id, day);
    const continued = yesterdays ? await nextInBoost(db, user.id, yesterdays, now) : null;
    if (continued) return continued;
    const { capacity } = await boostAllowance(db, user.id, settings.boostMinutes, day);
    const chosen = await dueCards(db, user.id, now, capacity);
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
    (await nextInBoost(db, user.id, boost, now)) ?? {
      state: "done",
      total: boost.cardIds.length,
      right: await rightInBoost(db, boost),
      ...(await nextQuestions(db, user.id, now)),
    }
  );
}

/**
 * How many of a finished boost's questions the rep got right: each card's review while the boost
 * was open, anything but "Again" (a wrong answer). Said once, at the end of the boost.
 */
async function rightInBoost(db: Handle, boost: StoredBoost): Promise<number> {
  if (!boost.finishedAt || boost.cardIds.length === 0) return 0;
  const logs = await db
    .select({ cardId: reviewLogs.cardId, rating: reviewLogs.rating, reviewedAt: reviewLogs.reviewedAt })
    .from(reviewLogs)
    .where(
      and(
        eq(reviewLogs.userId, boost.userId),
        inArray(reviewLogs.cardId, boost.cardIds),
        gte(reviewLogs.reviewedAt, boost.startedAt),
        lte(reviewLogs.reviewedAt, boost.finishedAt),
      ),
    )
    .orderBy(asc(reviewLogs.reviewedAt));
  const firstRating = new Map<string, number>();
  for (const log of logs) if (!firstRating.has(log.cardId)) firstRating.set(log.cardId, log.rating);
  return [...firstRating.values()].filter((rating) => rating !== Rating.Again).length;
}

export async function boostCard(db: Handle, userId: string, cardId: string): Promise<BoostCard | null> {
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
  | ({ state: "open"; due: number; answered: number; minutes: number } & Backlog)
  | ({ state: "done" } & NextQuestions);

/**
 * What Today shows of the boost, without choosing the cards (only /boost does that, and writes):
 * the same size /boost would choose now, how long it takes at the rep's pace, and what waits.
 */
export async function boostSummary(db: Handle, user: Learner, budgetMinutes: number, now: Date): Promise<BoostSummary> {
  const day = dayIn(user.timezone, now);
  // Started together although a vacation or today's boost makes the later ones moot: on
  // PostgreSQL each is a round trip, and Today waited for them one after another (decision 010).
  const [vacation, todays, yesterdays, dueNow, { pace, daily, capacity }] = await Promise.all([
    activeVacation(db, user.id, day),
    boostOf(db, user.id, day),
    unfinishedBoostOfYesterday(db, user.id, day),
    dueCount(db, user.id, now),
    boostAllowance(db, user.id, budgetMinutes, day),
  ]);
  if (vacation) return { state: "vacation", until: vacation.endDay };
  const boost = todays ?? yesterdays;
  if (boost?.finishedAt) return { state: "done", ...(await nextQuestions(db, user.id, now)) };
  if (boost) {
    const left = boost.cardIds.length - boost.answered.length;
    return {
      state: "open",
      due: boost.cardIds.length,
      answered: boost.answered.length,
      minutes: Math.max(1, Math.round((left * pace.secondsPerQuestion) / 60)),
      ...backlogBeyond(dueNow, left, boost.cardIds.length),
    };
  }
  const plan = planBoost(dueNow, capacity, pace);
  return plan.size > 0
    ? {
        state: "open",
        due: plan.size,
        answered: 0,
        minutes: plan.minutes,
        ...backlogBeyond(dueNow, plan.size, daily),
      }
    : { state: "empty", nextDue: await nextDueDate(db, user.id) };
}

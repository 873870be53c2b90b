// How many questions today's boost holds (decision 023): every card that is due, up to what fits
// in the organization's minutes a day at the rep's own pace. What does not fit waits for the next
// days, least likely remembered first, so a rep back from a hold or a long absence works through
// a backlog a few minutes a day instead of facing all of it at once. Pure: no database, no clock;
// the product and `npm run simulate` size boosts with these same functions.

/** The pace assumed until a rep has answered enough boost questions to measure their own. */
export const DEFAULT_SECONDS_PER_QUESTION = 20;
/** Timed answers a rep's own pace needs before it replaces the default. */
export const MIN_TIMED_ANSWERS = 10;
/** An answer that took longer than this was interrupted (a call, a meeting): not counted. */
export const LONGEST_TIMED_ANSWER_MS = 120_000;
/** The pace is read from the rep's latest boosts: at most this many, of the last PACE_DAYS days. */
export const PACE_BOOSTS = 14;
export const PACE_DAYS = 30;
/** A measured pace is held within these bounds (seconds a question). */
export const FASTEST_PACE_S = 5;
export const SLOWEST_PACE_S = 60;

export const BOOST_MINUTES_MIN = 1;
export const BOOST_MINUTES_MAX = 15;
export const DEFAULT_BOOST_MINUTES = 3;

export type Pace = {
  secondsPerQuestion: number;
  /** True when measured from the rep's own answers, false while the default stands in. */
  measured: boolean;
  /** The timed answers it was measured from. */
  answers: number;
};

/** A rep's pace from their recent boosts' answer times (summed milliseconds and answers timed). */
export function paceFrom(boosts: ReadonlyArray<{ answeringMs: number; timedAnswers: number }>): Pace {
  const answers = boosts.reduce((n, b) => n + b.timedAnswers, 0);
  if (answers < MIN_TIMED_ANSWERS)
    return { secondsPerQuestion: DEFAULT_SECONDS_PER_QUESTION, measured: false, answers };
  const seconds = boosts.reduce((ms, b) => ms + b.answeringMs, 0) / answers / 1000;
  return {
    secondsPerQuestion: Math.min(SLOWEST_PACE_S, Math.max(FASTEST_PACE_S, seconds)),
    measured: true,
    answers,
  };
}

/**
 * The time an answer took, to add to the rep's pace: from when its question was shown (the boost
 * opened, or the answer before) to the answer. Null when it cannot be trusted: too long (an
 * interruption), or not after the moment it is measured from.
 */
export function answerTime(shownAt: Date, answeredAt: Date): number | null {
  const ms = answeredAt.getTime() - shownAt.getTime();
  return ms > 0 && ms <= LONGEST_TIMED_ANSWER_MS ? ms : null;
}

/** How many questions fit in one day's minutes at this pace; always at least one. */
export function boostCapacity(budgetMinutes: number, pace: Pick<Pace, "secondsPerQuestion">): number {
  return Math.max(1, Math.floor((budgetMinutes * 60) / pace.secondsPerQuestion));
}

export type BoostPlan = {
  /** Questions in today's boost. */
  size: number;
  /** Due questions that do not fit today: they wait for the next boosts. */
  waiting: number;
  /** Boosts it takes to work through today's backlog at this size, today's included (0 when nothing is due). */
  daysToClear: number;
  /** The boost's expected length, in whole minutes (at least 1 when there is a question). */
  minutes: number;
};

/** Today's boost for a backlog of due cards: all of them, up to the capacity; the rest waits. */
export function planBoost(backlog: number, capacity: number, pace: Pick<Pace, "secondsPerQuestion">): BoostPlan {
  const size = Math.max(0, Math.min(backlog, capacity));
  return {
    size,
    waiting: Math.max(0, backlog - size),
    daysToClear: size === 0 ? 0 : Math.ceil(backlog / capacity),
    minutes: size === 0 ? 0 : Math.max(1, Math.round((size * pace.secondsPerQuestion) / 60)),
  };
}

/**
 * The order a boost takes due cards in: least likely remembered first. FSRS's recall falls as
 * elapsed time ÷ stability grows, whatever the weights, so this order needs no weights; ties go
 * to the card due first.
 */
export function leastRecalledFirst<T extends { stability: number; lastReview: Date | null; due: Date }>(
  cards: T[],
  now: Date,
): T[] {
  const nowMs = now.getTime();
  return cards
    .map((card) => ({
      card,
      strain: !card.lastReview || card.stability <= 0 ? Infinity : (nowMs - card.lastReview.getTime()) / card.stability,
      due: card.due.getTime(),
    }))
    .sort((a, b) => b.strain - a.strain || a.due - b.due)
    .map((entry) => entry.card);
}

/** Days back over which minutes not used are saved for later boosts. */
export const SAVING_DAYS = 7;

/**
 * Questions saved from days that did not use their minutes (a weekend, a skipped day, a short
 * boost), at most one day's worth: each of the last SAVING_DAYS days, oldest first, adds what it
 * did not use and takes what it used beyond its own share. So a boost is at most twice the
 * daily minutes, and over any run of days the boosts take no more than the minutes a day allow.
 */
export function savedQuestions(dailyCapacity: number, answeredOnPreviousDays: readonly number[]): number {
  let saved = 0;
  for (const answered of answeredOnPreviousDays)
    saved = Math.min(dailyCapacity, Math.max(0, saved + dailyCapacity - answered));
  return saved;
}

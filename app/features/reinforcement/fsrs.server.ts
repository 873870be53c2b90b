// FSRS through ts-fsrs: one scheduler per desired retention, and the forgetting curve that
// every retention figure in Flywheel is computed with (here and, as SQL, in the dashboards).
import {
  computeDecayFactor,
  createEmptyCard,
  default_w,
  forgetting_curve,
  fsrs,
  Rating,
  type Card,
  type FSRS,
  type Grade,
} from "ts-fsrs";
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { greatest, power } from "~/db/dialect";
import { DAY_MS } from "~/shared/days";

export { Rating };
export const MASTERED_STABILITY_DAYS = 90;

const schedulers = new Map<number, FSRS>();

/** Daily boosts work in days: no same-day learning steps, and no random fuzz in the intervals. */
export function schedulerFor(desiredRetention: number): FSRS {
  let scheduler = schedulers.get(desiredRetention);
  if (!scheduler) {
    scheduler = fsrs({ request_retention: desiredRetention, enable_short_term: false, enable_fuzz: false });
    schedulers.set(desiredRetention, scheduler);
  }
  return scheduler;
}

export type StoredCard = {
  due: Date;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  state: number;
  lastReview: Date | null;
};

export function toFsrsCard(card: StoredCard): Card {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    elapsed_days: 0,
    scheduled_days: card.scheduledDays,
    learning_steps: card.learningSteps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    last_review: card.lastReview ?? undefined,
  };
}

export function fromFsrsCard(card: Card): StoredCard {
  return {
    due: card.due,
    stability: card.stability,
    difficulty: card.difficulty,
    scheduledDays: card.scheduled_days,
    learningSteps: card.learning_steps,
    reps: card.reps,
    lapses: card.lapses,
    state: card.state,
    lastReview: card.last_review ?? null,
  };
}

/** Schedules a review: returns the card's next state. The clock is a parameter. */
export function review(card: StoredCard | null, grade: Grade, at: Date, desiredRetention: number): StoredCard {
  const start = card ? toFsrsCard(card) : createEmptyCard(at);
  return fromFsrsCard(schedulerFor(desiredRetention).next(start, at, grade).card);
}

const { decay, factor } = computeDecayFactor(default_w);

/** The probability that the rep recalls the card at `now` (1 right after a review). */
export function retrievability(card: Pick<StoredCard, "stability" | "lastReview">, now: Date): number {
  if (!card.lastReview || card.stability <= 0) return 0;
  const days = Math.max(0, (now.getTime() - card.lastReview.getTime()) / DAY_MS);
  return forgetting_curve(default_w, days, card.stability);
}

/**
 * The same curve as SQL, for aggregates over many cards (columns in milliseconds). The elapsed
 * time is cast to double precision before it is divided (both engines read that type name as a
 * float): on PostgreSQL the times are bigints, and bigint / bigint would drop the fraction.
 */
export function retrievabilitySql(stability: SQLWrapper, lastReview: SQLWrapper, nowMs: number): SQL {
  const days = sql`cast(${nowMs} - ${lastReview} as double precision) / ${DAY_MS}`;
  return power(sql`1 + ${factor} * ${greatest(0, days)} / ${stability}`, decay);
}

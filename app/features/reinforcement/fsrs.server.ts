// FSRS through ts-fsrs: one scheduler per desired retention and set of parameters (FSRS-6's
// defaults, or the organization's trained ones: decision 024), and the forgetting curve that every
// retention figure in Flywheel is computed with (here and, as SQL, in the dashboards).
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

/** FSRS-6's 21 weights. */
export type Weights = readonly number[];
export const DEFAULT_WEIGHTS: Weights = default_w;

/** How an organization is scheduled: its desired retention and its weights (null: FSRS-6's defaults). */
export type Scheduling = { desiredRetention: number; parameters: Weights | null };

/** The weights in force: the organization's trained ones, or FSRS-6's defaults. */
export function weightsOf(parameters: Weights | null | undefined): Weights {
  return parameters && parameters.length === DEFAULT_WEIGHTS.length ? parameters : DEFAULT_WEIGHTS;
}

const schedulers = new Map<string, FSRS>();
// The same weights array is usually passed again and again (a simulation, a training's replay):
// found by identity, its schedulers skip building the lookup key.
const byArray = new WeakMap<Weights, Map<number, FSRS>>();

/** Daily boosts work in days: no same-day learning steps, and no random fuzz in the intervals. */
export function schedulerFor(desiredRetention: number, parameters: Weights | null = null): FSRS {
  const w = weightsOf(parameters);
  let known = byArray.get(w);
  let scheduler = known?.get(desiredRetention);
  if (scheduler) return scheduler;
  const key = w === DEFAULT_WEIGHTS ? String(desiredRetention) : `${desiredRetention}|${w.join(",")}`;
  scheduler = schedulers.get(key);
  if (!scheduler) {
    scheduler = fsrs({ w, request_retention: desiredRetention, enable_short_term: false, enable_fuzz: false });
    // A few organizations and retentions per process; a bound keeps a long-lived server's map small.
    if (schedulers.size >= 200) schedulers.delete(schedulers.keys().next().value!);
    schedulers.set(key, scheduler);
  }
  if (!known) byArray.set(w, (known = new Map()));
  known.set(desiredRetention, scheduler);
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

/**
 * Schedules a review: returns the card's next state. The clock is a parameter; without
 * `parameters` the card is scheduled with FSRS-6's defaults.
 */
export function review(
  card: StoredCard | null,
  grade: Grade,
  at: Date,
  desiredRetention: number,
  parameters: Weights | null = null,
): StoredCard {
  const start = card ? toFsrsCard(card) : createEmptyCard(at);
  return fromFsrsCard(schedulerFor(desiredRetention, parameters).next(start, at, grade).card);
}

/**
 * Replays a card's reviews (ratings and times, oldest first) with the given weights: the state
 * the card would be in had it always been scheduled with them. Used when an organization's
 * weights change; the review log itself is never rewritten.
 */
export function replay(
  reviews: ReadonlyArray<{ rating: number; at: Date }>,
  desiredRetention: number,
  parameters: Weights | null,
): StoredCard | null {
  let card: StoredCard | null = null;
  for (const r of reviews) {
    if (r.rating < Rating.Again || r.rating > Rating.Easy) continue;
    card = review(card, r.rating as Grade, r.at, desiredRetention, parameters);
  }
  return card;
}

/** The probability that the rep recalls the card at `now` (1 right after a review). */
export function retrievability(
  card: Pick<StoredCard, "stability" | "lastReview">,
  now: Date,
  parameters: Weights | null = null,
): number {
  if (!card.lastReview || card.stability <= 0) return 0;
  const days = Math.max(0, (now.getTime() - card.lastReview.getTime()) / DAY_MS);
  return forgetting_curve(weightsOf(parameters), days, card.stability);
}

/**
 * The same curve as SQL, for aggregates over many cards (columns in milliseconds). The elapsed
 * time is cast to double precision before it is divided (both engines read that type name as a
 * float): on PostgreSQL the times are bigints, and bigint / bigint would drop the fraction.
 */
export function retrievabilitySql(
  stability: SQLWrapper,
  lastReview: SQLWrapper,
  nowMs: number,
  parameters: Weights | null = null,
): SQL {
  const { decay, factor } = computeDecayFactor(weightsOf(parameters));
  const days = sql`cast(${nowMs} - ${lastReview} as double precision) / ${DAY_MS}`;
  return power(sql`1 + ${factor} * ${greatest(0, days)} / ${stability}`, decay);
}

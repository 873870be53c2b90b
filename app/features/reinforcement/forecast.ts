// Recall 30 days from now if the rep keeps their boost habit (docs/metrics.md, "Recall in 30
// days"): the figure that lets a manager see decay before it happens. Pure, with the product's own
// scheduling (fsrs.server.ts); the snapshot job computes it per rep and skill (snapshots.server.ts).
import { DAY_MS } from "~/shared/days";
import { Rating, retrievability, review, type Scheduling, type StoredCard } from "./fsrs.server";

export const FORECAST_DAYS = 30;
/** The boost habit is read over this many days (fewer for a rep whose first card is younger). */
export const HABIT_DAYS = 28;
/** Reviews followed per card within the 30 days; later ones are left out (the forecast errs low). */
const FOLLOWED_REVIEWS = 8;

/**
 * A rep's boost habit: the share of their days with a finished boost, over the last HABIT_DAYS
 * days or since their first card if that is more recent (0–1).
 */
export function boostHabit(finishedBoosts: number, daysSinceFirstCard: number): number {
  const days = Math.max(1, Math.min(HABIT_DAYS, Math.floor(daysSinceFirstCard) + 1));
  return Math.min(1, Math.max(0, finishedBoosts / days));
}

/**
 * The chance the rep recalls the card `horizonDays` from `now`, if on each day they finish a boost
 * with chance `habit` and every boost takes every due card. A card not due before the horizon just
 * decays. A due card is reviewed on the first boost day from its due day on, which comes after
 * (1 − habit) ÷ habit days on average (the day the forecast uses), and with the chance that a boost
 * comes at all before the horizon. At its next review it is remembered with its recall on that day
 * and then follows FSRS's schedule after Good, or forgotten and follows it after Again; the reviews
 * after that one (up to eight in all) are taken as remembered, the card's relearning or upkeep.
 */
export function expectedRecall(
  card: StoredCard,
  now: Date,
  habit: number,
  scheduling: Scheduling,
  horizonDays = FORECAST_DAYS,
): number {
  const end = new Date(now.getTime() + horizonDays * DAY_MS);
  return follow(card, now, end, habit, scheduling, FOLLOWED_REVIEWS, true);
}

function follow(
  card: StoredCard,
  from: Date,
  end: Date,
  habit: number,
  scheduling: Scheduling,
  reviewsLeft: number,
  branches: boolean,
): number {
  const atEnd = retrievability(card, end, scheduling.parameters);
  if (reviewsLeft === 0 || habit <= 0 || !card.lastReview || card.due.getTime() >= end.getTime()) return atEnd;
  const dueAt = Math.max(card.due.getTime(), from.getTime());
  // Boost days from the due day to the horizon's day, the due day included.
  const chances = Math.floor((end.getTime() - dueAt) / DAY_MS) + 1;
  const reviewed = 1 - Math.pow(1 - habit, chances);
  const delay = Math.min(chances - 1, Math.round((1 - habit) / habit));
  const at = new Date(dueAt + delay * DAY_MS);
  const next = (grade: typeof Rating.Good | typeof Rating.Again) =>
    follow(
      review(card, grade, at, scheduling.desiredRetention, scheduling.parameters),
      at,
      end,
      habit,
      scheduling,
      reviewsLeft - 1,
      false,
    );
  const recall = branches ? retrievability(card, at, scheduling.parameters) : 1;
  const afterReview = recall * next(Rating.Good) + (recall < 1 ? (1 - recall) * next(Rating.Again) : 0);
  return reviewed * afterReview + (1 - reviewed) * atEnd;
}

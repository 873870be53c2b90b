// Recall in 30 days at the rep's boost habit (docs/metrics.md), on cards whose figures are
// worked out from the definition.
import { describe, expect, it } from "vitest";
import { boostHabit, expectedRecall } from "~/features/reinforcement/forecast";
import { Rating, retrievability, review, type Scheduling } from "~/features/reinforcement/fsrs.server";

const DAY = 86_400_000;
const NOW = new Date("2027-05-03T12:00:00Z");
const DEFAULTS: Scheduling = { desiredRetention: 0.9, parameters: null };
const in30 = new Date(NOW.getTime() + 30 * DAY);

/** A card first reviewed `daysAgo` days ago, then `reviews − 1` times more on its due days, all Good and all before now. */
function cardReviewed(daysAgo: number, reviews = 1) {
  let at = new Date(NOW.getTime() - daysAgo * DAY);
  let card = review(null, Rating.Good, at, 0.9);
  for (let i = 1; i < reviews; i++) {
    at = new Date(card.due.getTime());
    card = review(card, Rating.Good, at, 0.9);
  }
  expect(at.getTime()).toBeLessThanOrEqual(NOW.getTime());
  return card;
}

describe("the boost habit", () => {
  it("is the share of the last 28 days with a finished boost, or of the days since the first card", () => {
    expect(boostHabit(14, 100)).toBe(0.5);
    expect(boostHabit(28, 400)).toBe(1);
    expect(boostHabit(5, 9)).toBe(0.5);
    expect(boostHabit(0, 0)).toBe(0);
  });
});

describe("recall in 30 days", () => {
  it("without a boost habit is the card's recall 30 days on", () => {
    const card = cardReviewed(2);
    expect(expectedRecall(card, NOW, 0, DEFAULTS)).toBeCloseTo(retrievability(card, in30), 12);
  });

  it("for a card not due within 30 days is its recall 30 days on, whatever the habit", () => {
    const card = cardReviewed(20, 3);
    expect(card.due.getTime()).toBeGreaterThan(in30.getTime());
    expect(expectedRecall(card, NOW, 1, DEFAULTS)).toBeCloseTo(retrievability(card, in30), 12);
  });

  it("for a card due in the window follows the definition: reviewed on the first boost day, remembered with its recall then", () => {
    // Due in about 26 days: reviewed then (habit 1, no delay); after Good it is not due again before day 30.
    const card = cardReviewed(47, 3);
    const dueIn = (card.due.getTime() - NOW.getTime()) / DAY;
    expect(dueIn).toBeGreaterThan(20);
    expect(dueIn).toBeLessThan(30);
    const at = card.due;
    const recall = retrievability(card, at);
    const good = review(card, Rating.Good, at, 0.9);
    const again = review(card, Rating.Again, at, 0.9);
    expect(good.due.getTime()).toBeGreaterThanOrEqual(in30.getTime());
    // Forgotten, it is relearned: each later review on its due day, taken as remembered.
    let relearned = again;
    while (relearned.due.getTime() < in30.getTime()) relearned = review(relearned, Rating.Good, relearned.due, 0.9);
    const expected = recall * retrievability(good, in30) + (1 - recall) * retrievability(relearned, in30);
    expect(expectedRecall(card, NOW, 1, DEFAULTS)).toBeCloseTo(expected, 6);
    // And it is higher than letting the card fade.
    expect(expectedRecall(card, NOW, 1, DEFAULTS)).toBeGreaterThan(retrievability(card, in30));
  });

  it("is far higher with a boost habit than without, for an overdue card", () => {
    const overdue = cardReviewed(40);
    expect(overdue.due.getTime()).toBeLessThan(NOW.getTime());
    const [none, ...withHabit] = [0, 0.2, 0.5, 1].map((habit) => expectedRecall(overdue, NOW, habit, DEFAULTS));
    expect(none).toBeCloseTo(retrievability(overdue, in30), 12);
    expect(none).toBeLessThan(0.65);
    // Reviewed almost surely at any of these habits, then kept up: where in its schedule the card
    // stands on day 30 decides the last points (a later first review earns FSRS a longer interval).
    for (const value of withHabit) {
      expect(value).toBeGreaterThan(0.88);
      expect(value).toBeLessThan(0.95);
    }
  });
});

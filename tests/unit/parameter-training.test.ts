// The keep-or-discard rule for an organization's trained FSRS weights (decisions 024, 028): the
// rule on its own, the measures it reads (training-worker.mjs's evaluate) on a card worked out by
// hand, and the real optimizer on review histories built to make the trained weights better, or
// worse, than the ones in use on the most recent reviews.
import type { Grade } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { DEFAULT_WEIGHTS, Rating, retrievability, review, type StoredCard } from "~/features/reinforcement/fsrs.server";
import { evaluate, trainAndEvaluate, trainingItems } from "~/features/reinforcement/training-worker.mjs";
import {
  historyShortfall,
  judgeTrainedParameters,
  MIN_TRAINING_REPS,
  MIN_TRAINING_REVIEWS,
  splitTime,
} from "~/features/reinforcement/training-rules";

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);

describe("the keep-or-discard rule", () => {
  it("keeps trained weights only with a lower log loss and an RMSE no higher", () => {
    expect(judgeTrainedParameters({ logLoss: 0.35, rmse: 0.06 }, { logLoss: 0.32, rmse: 0.03 }, 2000)).toEqual({
      keep: true,
      reason:
        "Kept: on the most recent 2,000 reviews, the trained parameters predicted recall better than the ones in use (log loss 0.320 against 0.350, RMSE 3.0 against 6.0 points).",
    });
    const worse = judgeTrainedParameters({ logLoss: 0.32, rmse: 0.03 }, { logLoss: 0.35, rmse: 0.06 }, 2000);
    expect(worse.keep).toBe(false);
    expect(worse.reason).toMatch(/^Discarded: .* worse on both measures .* The current ones stay\.$/);
    expect(judgeTrainedParameters({ logLoss: 0.33, rmse: 0.03 }, { logLoss: 0.32, rmse: 0.04 }, 500)).toMatchObject({
      keep: false,
      reason: expect.stringContaining("worse on RMSE"),
    });
    expect(judgeTrainedParameters({ logLoss: 0.33, rmse: 0.03 }, { logLoss: 0.33, rmse: 0.02 }, 500)).toMatchObject({
      keep: false,
      reason: expect.stringContaining("no better on log loss"),
    });
    expect(judgeTrainedParameters({ logLoss: 0.33, rmse: 0.03 }, { logLoss: NaN, rmse: 0.02 }, 500).keep).toBe(false);
  });

  it("needs 1,000 repeat reviews from 20 reps, and says how far an organization is from it", () => {
    expect([MIN_TRAINING_REVIEWS, MIN_TRAINING_REPS]).toEqual([1000, 20]);
    expect(historyShortfall(1000, 20)).toBeNull();
    expect(historyShortfall(999, 40)).toBe(
      "Not enough history yet: 999 repeat reviews from 40 reps; training needs 1,000 from 20. Until then the organization keeps FSRS's default parameters.",
    );
    expect(historyShortfall(5000, 19)).toMatch(/from 19 reps/);
  });

  it("holds out the most recent fifth of repeat reviews", () => {
    const times = Array.from({ length: 100 }, (_, i) => START + (99 - i) * DAY);
    const at = splitTime(times);
    expect(times.filter((t) => t >= at)).toHaveLength(20);
  });
});

describe("the measures", () => {
  // One card through the product's own scheduler: Good, Again, Hard, Easy, Good, Again, then a
  // Good and a same-day Again. Every branch of FSRS's stability update is taken on the way.
  const ratings = [
    Rating.Good,
    Rating.Again,
    Rating.Hard,
    Rating.Easy,
    Rating.Good,
    Rating.Again,
    Rating.Good,
    Rating.Again,
  ];
  const gaps = [0, 3, 1, 6, 20, 45, 9, 0];
  const at: number[] = [];
  for (const gap of gaps) at.push((at.at(-1) ?? START) + gap * DAY);
  const card = {
    ratings: Uint8Array.from(ratings),
    days: Int32Array.from(at, (t) => Math.floor(t / DAY)),
    times: Float64Array.from(at),
    cardStarts: Uint32Array.from([0, ratings.length]),
  };
  let scheduled: StoredCard | null = null;
  for (let i = 0; i < 6; i++) scheduled = review(scheduled, ratings[i] as Grade, new Date(at[i]!), 0.9);
  /** What fsrs.server.ts says the rep's recall was at the seventh answer, nine days on. */
  const recall = retrievability(scheduled!, new Date(at[6]!));

  it("score the held-out answers with the recall the product's scheduler predicts", () => {
    // Held out from the seventh answer: the seventh is scored (right: −ln R, and an RMSE of 1 − R);
    // the eighth, on the same day, is not (with same-day steps off FSRS predicts a recall of 1).
    const fit = evaluate(DEFAULT_WEIGHTS, card, at[6]!);
    expect(fit.reviews).toBe(1);
    expect(fit.logLoss).toBeCloseTo(-Math.log(recall), 6);
    expect(fit.rmse).toBeCloseTo(1 - recall, 6);
    expect(recall).toBeGreaterThan(0.5);
    expect(recall).toBeLessThan(0.99);
  });

  it("train on the answers before the split only, one item per repeat answer", () => {
    expect(trainingItems(card, at[6]!)).toHaveLength(5);
    expect(
      trainingItems(card, at[6]!)
        .at(-1)!
        .reviews.map((r) => [r.rating, r.deltaT]),
    ).toEqual(ratings.slice(0, 6).map((rating, i) => [rating, gaps[i]]));
    expect(evaluate(DEFAULT_WEIGHTS, card, at[7]! + 1)).toEqual({ logLoss: NaN, rmse: NaN, reviews: 0 });
  });

  it("weigh each kind of review by its count, and judge a miss against its recall", () => {
    // Two cards with the same history but for the seventh answer: one right, one missed. Same bin,
    // so the RMSE is |R − ½|; the log loss is the mean of −ln R and −ln(1 − R).
    const missed = Uint8Array.from(ratings);
    missed[6] = Rating.Again;
    const two = {
      ratings: Uint8Array.from([...ratings, ...missed]),
      days: Int32Array.from([...card.days, ...card.days]),
      times: Float64Array.from([...at, ...at]),
      cardStarts: Uint32Array.from([0, ratings.length, 2 * ratings.length]),
    };
    const fit = evaluate(DEFAULT_WEIGHTS, two, at[6]!);
    expect(fit.reviews).toBe(2);
    expect(fit.logLoss).toBeCloseTo((-Math.log(recall) - Math.log(1 - recall)) / 2, 6);
    expect(fit.rmse).toBeCloseTo(Math.abs(recall - 0.5), 6);
  });
});

/**
 * Review histories of `cards` cards over `days` days, answered right with the chance
 * `recall(card, at)` (a seeded generator) and scheduled by FSRS with default weights: the shape
 * training.server.ts hands to the worker.
 */
function histories(cards: number, days: number, recall: (card: StoredCard, at: Date) => number) {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const ratings: number[] = [];
  const times: number[] = [];
  const dayNumbers: number[] = [];
  const cardStarts: number[] = [];
  const repeatTimes: number[] = [];
  for (let c = 0; c < cards; c++) {
    cardStarts.push(ratings.length);
    let at = new Date(START + (c % 30) * DAY);
    let card = review(null, Rating.Good, at, 0.9);
    const push = (rating: number, when: Date, repeat: boolean) => {
      ratings.push(rating);
      times.push(when.getTime());
      dayNumbers.push(Math.floor(when.getTime() / DAY));
      if (repeat) repeatTimes.push(when.getTime());
    };
    push(Rating.Good, at, false);
    for (;;) {
      at = new Date(card.due.getTime() + Math.floor(random() * 3) * DAY);
      if (at.getTime() > START + days * DAY) break;
      const rating = random() < recall(card, at) ? Rating.Good : Rating.Again;
      push(rating, at, true);
      card = review(card, rating, at, 0.9);
    }
  }
  cardStarts.push(ratings.length);
  return {
    input: {
      ratings: Uint8Array.from(ratings),
      days: Int32Array.from(dayNumbers),
      times: Float64Array.from(times),
      cardStarts: Uint32Array.from(cardStarts),
      splitAt: splitTime(repeatTimes),
      current: [...DEFAULT_WEIGHTS],
    },
    splitAt: splitTime(repeatTimes),
  };
}

describe("training on an organization's reviews", () => {
  it("keeps weights that fit reps who forget faster than FSRS's defaults expect", async () => {
    // Recall is FSRS's own at a quarter of the stability: the defaults are too hopeful throughout.
    const { input } = histories(1500, 200, (card, at) =>
      retrievability({ ...card, stability: card.stability / 4 }, at),
    );
    const result = await trainAndEvaluate(input);
    expect(result.parameters).toHaveLength(21);
    const verdict = judgeTrainedParameters(result.current, result.trained, result.testItems);
    expect(result.trained.logLoss).toBeLessThan(result.current.logLoss);
    expect(verdict.keep).toBe(true);
  }, 60_000);

  it("discards weights trained on a past that the most recent reviews no longer look like", async () => {
    // Before the split reps forgot almost everything; since then they recall as FSRS's defaults
    // expect. The trained weights learn the old forgetting and predict the recent reviews worse.
    const probe = histories(1500, 200, () => 0);
    const { input } = histories(1500, 200, (card, at) =>
      at.getTime() < probe.splitAt ? 0.05 : retrievability(card, at),
    );
    const result = await trainAndEvaluate(input);
    const verdict = judgeTrainedParameters(result.current, result.trained, result.testItems);
    expect(result.trained.logLoss).toBeGreaterThan(result.current.logLoss);
    expect(verdict.keep).toBe(false);
    expect(verdict.reason).toMatch(/^Discarded: /);
  }, 60_000);
});

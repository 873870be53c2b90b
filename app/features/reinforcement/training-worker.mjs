// Trains FSRS-6 weights on an organization's review histories and measures them against the
// weights in use on the most recent reviews (decisions 024 and 028). It runs in a worker thread
// started by training.server.ts, so the seconds of CPU it takes never hold up a request; it is
// plain JavaScript so that the production build can copy it beside the server bundle
// (vite.config.ts). Only numbers come in and go out: it knows nothing of the database.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { computeParameters, FSRSBindingItem, FSRSBindingReview } from "@open-spaced-repetition/binding";
import { FSRSAlgorithm, generatorParameters } from "ts-fsrs";

/**
 * @typedef {object} Histories
 * @property {Uint8Array} ratings      every review's rating (1–4), card after card, oldest first
 * @property {Int32Array} days         the organization's calendar day of each review (a day number)
 * @property {Float64Array} times      each review's time (epoch ms)
 * @property {Uint32Array} cardStarts  where each card's reviews start; one more entry, the end
 *
 * @typedef {Histories & { splitAt: number, current: number[] }} TrainingInput
 *   `splitAt`: repeat reviews from this time on are held out to test; `current`: the weights in use
 *
 * @typedef {{ logLoss: number, rmse: number, reviews: number }} Fit
 * @typedef {{ parameters: number[], trainItems: number, testItems: number, current: Fit, trained: Fit }} TrainingResult
 */

/**
 * The optimizer's training items: one per repeat review before `splitAt`, the card's reviews up
 * to and including it (days since the one before each, 0 for the first).
 * @param {Histories} h
 * @param {number} splitAt
 */
export function trainingItems(h, splitAt) {
  const { ratings, days, times, cardStarts } = h;
  /** @type {FSRSBindingItem[]} */
  const items = [];
  for (let c = 0; c + 1 < cardStarts.length; c++) {
    const start = cardStarts[c];
    const end = cardStarts[c + 1];
    /** @type {FSRSBindingReview[]} */
    const reviews = [];
    for (let i = start; i < end && times[i] < splitAt; i++) {
      reviews.push(new FSRSBindingReview(ratings[i], i === start ? 0 : Math.max(0, days[i] - days[i - 1])));
      if (i > start) items.push(new FSRSBindingItem(reviews.slice()));
    }
  }
  return items;
}

// RMSE bins: a repeat review's kind is its gap (powers of two, in days), how many reviews the card
// had before it and how many of those were misses. They depend on the reviews alone, so the
// weights in use and the trained ones are judged on the same bins.
const GAP_BINS = 12;
const COUNT_BINS = 6;
const LAPSE_BINS = 4;
const binOf = (/** @type {number} */ gap, /** @type {number} */ before, /** @type {number} */ lapses) =>
  (Math.min(Math.floor(Math.log2(gap)), GAP_BINS - 1) * COUNT_BINS + Math.min(before - 1, COUNT_BINS - 1)) *
    LAPSE_BINS +
  Math.min(lapses, LAPSE_BINS - 1);
/** Predictions are held inside this margin so that a confident miss costs a finite amount. */
const P_MIN = 1e-4;

/**
 * How well the weights `w` predict the repeat reviews from `splitAt` on, each card replayed through
 * ts-fsrs exactly as fsrs.server.ts schedules it (no same-day steps): the mean log loss, and the
 * RMSE between predicted and actual recall over the bins, weighted by their reviews. A repeat
 * review on the same calendar day as the one before is not scored: with same-day steps off FSRS
 * predicts a recall of 1 for it whatever the weights.
 * @param {ArrayLike<number>} w
 * @param {Histories} h
 * @param {number} splitAt
 * @returns {Fit}
 */
export function evaluate(w, h, splitAt) {
  const { ratings, days, times, cardStarts } = h;
  const algorithm = new FSRSAlgorithm(generatorParameters({ w: Array.from(w), enable_short_term: false }));
  const bins = new Float64Array(GAP_BINS * COUNT_BINS * LAPSE_BINS * 3);
  let loss = 0;
  let count = 0;
  for (let c = 0; c + 1 < cardStarts.length; c++) {
    const start = cardStarts[c];
    const end = cardStarts[c + 1];
    if (times[end - 1] < splitAt) continue;
    /** @type {{ stability: number, difficulty: number } | null} */
    let state = null;
    let lapses = 0;
    for (let i = start; i < end; i++) {
      const gap = i === start ? 0 : Math.max(0, days[i] - days[i - 1]);
      const g = ratings[i];
      if (state && gap > 0 && times[i] >= splitAt) {
        const p = Math.min(Math.max(algorithm.forgetting_curve(gap, state.stability), P_MIN), 1 - P_MIN);
        const y = g > 1 ? 1 : 0;
        loss -= y ? Math.log(p) : Math.log(1 - p);
        count++;
        const b = binOf(gap, i - start, lapses) * 3;
        bins[b] += p;
        bins[b + 1] += y;
        bins[b + 2]++;
      }
      state = algorithm.next_state(state, gap, /** @type {import("ts-fsrs").Grade} */ (g));
      if (g === 1) lapses++;
    }
  }
  let squares = 0;
  for (let b = 0; b < bins.length; b += 3) {
    const n = bins[b + 2];
    if (n > 0) squares += (bins[b] - bins[b + 1]) ** 2 / n;
  }
  return count === 0
    ? { logLoss: NaN, rmse: NaN, reviews: 0 }
    : { logLoss: loss / count, rmse: Math.sqrt(squares / count), reviews: count };
}

/**
 * Trains on the older reviews, then predicts the held-out recent ones with both sets of weights.
 * @param {TrainingInput} input
 * @returns {Promise<TrainingResult>}
 */
export async function trainAndEvaluate(input) {
  const train = trainingItems(input, input.splitAt);
  // Boosts work in days: no same-day learning steps (fsrs.server.ts schedules the same way).
  const parameters = Array.from(await computeParameters(train, { enableShortTerm: false, numRelearningSteps: 0 }));
  const current = evaluate(input.current, input, input.splitAt);
  return {
    parameters,
    trainItems: train.length,
    testItems: current.reviews,
    current,
    trained: evaluate(parameters, input, input.splitAt),
  };
}

if (!isMainThread && workerData?.role === "flywheel-parameter-training") {
  trainAndEvaluate(workerData.input).then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (error) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
}

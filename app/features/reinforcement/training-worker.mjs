// Trains FSRS-6 weights on an organization's review histories and measures them against the
// weights in use on the most recent reviews (decision 024). It runs in a worker thread started by
// training.server.ts, so the minutes of CPU it may take never hold up a request; it is plain
// JavaScript so that the production build can copy it beside the server bundle (vite.config.ts).
// Only numbers come in and go out: it knows nothing of the database.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { computeParameters, FSRSBinding, FSRSBindingItem, FSRSBindingReview } from "@open-spaced-repetition/binding";

/**
 * @typedef {object} TrainingInput
 * @property {Uint8Array} ratings      every review's rating (1–4), card after card, oldest first
 * @property {Int32Array} days         the organization's calendar day of each review (a day number)
 * @property {Float64Array} times      each review's time (epoch ms)
 * @property {Uint32Array} cardStarts  where each card's reviews start; one more entry, the end
 * @property {number} splitAt          repeat reviews from this time on are held out to test
 * @property {number[]} current        the weights in use
 *
 * @typedef {{ logLoss: number, rmse: number }} Fit
 * @typedef {{ parameters: number[], trainItems: number, testItems: number, current: Fit, trained: Fit }} TrainingResult
 */

/**
 * One FSRS item per repeat review: the card's reviews up to and including it (days since the one
 * before each, 0 for the first). Items whose last review is from `splitAt` on are the test set.
 * @param {TrainingInput} input
 */
export function itemsFrom(input) {
  const { ratings, days, times, cardStarts, splitAt } = input;
  /** @type {FSRSBindingItem[]} */
  const train = [];
  /** @type {FSRSBindingItem[]} */
  const test = [];
  for (let c = 0; c + 1 < cardStarts.length; c++) {
    const start = cardStarts[c];
    const end = cardStarts[c + 1];
    const reviews = [];
    for (let i = start; i < end; i++)
      reviews.push(new FSRSBindingReview(ratings[i], i === start ? 0 : Math.max(0, days[i] - days[i - 1])));
    for (let i = start + 1; i < end; i++) {
      const item = new FSRSBindingItem(reviews.slice(0, i - start + 1));
      (times[i] >= splitAt ? test : train).push(item);
    }
  }
  return { train, test };
}

/**
 * Trains on the older reviews, then predicts the held-out recent ones with both sets of weights.
 * @param {TrainingInput} input
 * @returns {Promise<TrainingResult>}
 */
export async function trainAndEvaluate(input) {
  const { train, test } = itemsFrom(input);
  // Boosts work in days: no same-day learning steps (fsrs.server.ts schedules the same way).
  const parameters = await computeParameters(train, { enableShortTerm: false, numRelearningSteps: 0 });
  const fit = (/** @type {number[]} */ weights) => {
    const { logLoss, rmseBins } = new FSRSBinding(weights).evaluate(test);
    return { logLoss, rmse: rmseBins };
  };
  return {
    parameters: Array.from(parameters),
    trainItems: train.length,
    testItems: test.length,
    current: fit(input.current),
    trained: fit(Array.from(parameters)),
  };
}

if (!isMainThread && workerData?.role === "flywheel-parameter-training") {
  trainAndEvaluate(workerData.input).then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (error) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
}

// When an organization's FSRS weights may be trained, on what, and whether the trained ones are
// kept (decision 024). Pure: the training itself runs in a worker thread (training-worker.mjs),
// and training.server.ts reads the reviews and stores the outcome.

/** Repeat reviews (a card's second or later answer) an organization needs before it is trained... */
export const MIN_TRAINING_REVIEWS = 1_000;
/** ...from at least this many reps, so that a few people's habits do not make the curve. */
export const MIN_TRAINING_REPS = 20;
/** The most recent share of repeat reviews held out to judge the trained weights against the current ones. */
export const TEST_SHARE = 0.2;
/** A training still "running" after this long was cut short (its server stopped): it no longer blocks another. */
export const TRAINING_STALE_MS = 30 * 60_000;

/** How well weights predicted the held-out reviews: log loss, and RMSE over bins (a probability, 0–1). */
export type Fit = { logLoss: number; rmse: number };

const count = (n: number) => n.toLocaleString("en-US");

/** Why an organization's history is too small to train on, or null when it is enough. */
export function historyShortfall(reviews: number, reps: number): string | null {
  if (reviews >= MIN_TRAINING_REVIEWS && reps >= MIN_TRAINING_REPS) return null;
  return (
    `Not enough history yet: ${count(reviews)} repeat review${reviews === 1 ? "" : "s"} from ${count(reps)} ` +
    `rep${reps === 1 ? "" : "s"}; training needs ${count(MIN_TRAINING_REVIEWS)} from ${MIN_TRAINING_REPS}. ` +
    "Until then the organization keeps FSRS's default parameters."
  );
}

/**
 * The moment that splits repeat reviews in time: those before it train, those from it on (the
 * most recent TEST_SHARE) test. `times` are the repeat reviews' times, in any order.
 */
export function splitTime(times: ArrayLike<number>): number {
  const sorted = Float64Array.from(times).sort();
  if (sorted.length === 0) return Infinity;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - TEST_SHARE)))]!;
}

const loss = (v: number) => v.toFixed(3);
const points = (v: number) => (v * 100).toFixed(1);

/**
 * Keep the trained weights only if they predicted the held-out reviews better than the weights
 * in use: lower log loss, and an RMSE no higher. Anything else keeps the current ones, and says why.
 */
export function judgeTrainedParameters(
  current: Fit,
  trained: Fit,
  testReviews: number,
): { keep: boolean; reason: string } {
  const on = `on the most recent ${count(testReviews)} review${testReviews === 1 ? "" : "s"}`;
  const figures =
    `log loss ${loss(trained.logLoss)} against ${loss(current.logLoss)}, ` +
    `RMSE ${points(trained.rmse)} against ${points(current.rmse)} points`;
  if (![trained.logLoss, trained.rmse].every(Number.isFinite))
    return { keep: false, reason: "Discarded: the training produced no usable parameters. The current ones stay." };
  if (trained.logLoss < current.logLoss && trained.rmse <= current.rmse)
    return {
      keep: true,
      reason: `Kept: ${on}, the trained parameters predicted recall better than the ones in use (${figures}).`,
    };
  const worse =
    trained.logLoss >= current.logLoss && trained.rmse > current.rmse
      ? "worse on both measures"
      : trained.logLoss >= current.logLoss
        ? "no better on log loss"
        : "worse on RMSE";
  return {
    keep: false,
    reason: `Discarded: ${on}, the trained parameters predicted recall ${worse} than the ones in use (${figures}). The current ones stay.`,
  };
}

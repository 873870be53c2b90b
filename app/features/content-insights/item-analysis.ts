// Item analysis: the arithmetic behind /content/insights, on tallies already summed (./tallies).
// Pure functions, so each figure is checked on a hand-worked fixture
// (tests/unit/item-analysis.test.ts); the definitions are in docs/metrics.md under "Content" and
// the thresholds in decision 037.
import type { StoredChoice } from "~/db/model";
import { correctIsLongest } from "~/features/content/rules/length-cue";
import { RECALL_AFTER, type ItemTally, type QuestionCounts } from "./tallies";

/** The question as the lesson's chosen version (or its latest) words it. */
export type QuestionText = {
  key: string;
  kind: "single" | "multiple";
  prompt: string;
  choices: StoredChoice[];
  /** Not in the lesson's current version: its figures stand, but nothing is left to fix, so no flag. */
  retired?: boolean;
};

// The thresholds, each shown on the page beside its flag (decision 037 says why these).
export const TOO_EASY = 0.9;
export const TOO_HARD = 0.3;
export const LOW_DISCRIMINATION = 0.2;
export const RARE_DISTRACTOR = 0.05;
/** A figure of first answers is judged (and discrimination shown) from this many reps up. */
export const MIN_REPS = 30;
/** "Forgotten fast": boost recall this far (or more) below first-attempt facility. */
export const FORGOTTEN_GAP = 0.2;
/** A recall bucket counts from this many boost answers up. */
export const MIN_BOOST_ANSWERS = 10;

export type Flag = {
  kind: "too-easy" | "too-hard" | "low-discrimination" | "rare-distractor" | "length-cue" | "forgotten-fast";
  reason: string;
};

export type ItemFigures = {
  key: string;
  kind: "single" | "multiple";
  prompt: string;
  answers: number;
  facility: number | null;
  /** Null below MIN_REPS reps, or when nobody (or everybody) got it right, or the rest never varies. */
  discrimination: number | null;
  /** Share of first answers that picked each choice. */
  picks: Array<{ id: string; text: string; correct: boolean; rate: number }>;
  /** Multiple-answer items: how many first answers earned each score (0–1, two decimals). */
  partialCredit: Array<{ score: number; answers: number }>;
  /** Recall in boosts [7, 30), [30, 90) and 90+ days after the card was made; null under MIN_BOOST_ANSWERS. */
  recall: Array<{ after: number; answers: number; rate: number | null }>;
  /** Not in the lesson's current version (never flagged). */
  retired: boolean;
  flags: Flag[];
};

const round = (value: number, places = 3) => Math.round(value * 10 ** places) / 10 ** places;
const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/**
 * The point-biserial correlation of an item (right 1, wrong 0) with the rest score (the share of
 * the rep's other first answers in the lesson that were right), from the tallies' sums over the
 * reps who have a rest score: r = (M₁ − M₀) ÷ s · √(p·q), s the population standard deviation of
 * the rest scores. Null when everyone (or no one) is right, or the rest scores never vary.
 */
export function pointBiserial(sums: QuestionCounts): number | null {
  const { pairs: n, rightPairs: right } = sums;
  if (n === 0 || right === 0 || right === n) return null;
  const m = sums.restSum / n;
  const variance = sums.restSquares / n - m * m;
  // The sums are kept by adding and taking away fractions: a variance this small is none.
  if (variance < 1e-9) return null;
  const meanRight = sums.rightRestSum / right;
  const meanWrong = (sums.restSum - sums.rightRestSum) / (n - right);
  const p = right / n;
  return ((meanRight - meanWrong) / Math.sqrt(variance)) * Math.sqrt(p * (1 - p));
}

/** Every question of one lesson, from its tallies (first answers and boost answers) in the period. */
export function analyzeLessonItems(questions: QuestionText[], tallies: Map<string, ItemTally>): ItemFigures[] {
  // The length cue is judged on the questions reps still get.
  const single = questions.filter((q) => q.kind === "single" && !q.retired);
  const cued = single.filter((q) => correctIsLongest({ ...q, position: 0 }));
  const lengthCue = cued.length * 2 > single.length;

  return questions.map((q) => {
    const tally = tallies.get(q.key);
    const n = tally?.answers ?? 0;
    const facility = n ? tally!.correct / n : null;
    const discrimination = tally && tally.pairs >= MIN_REPS ? pointBiserial(tally) : null;
    const picks = q.choices.map((c) => ({
      id: c.id,
      text: c.text,
      correct: c.correct,
      rate: n ? (tally!.picks.get(c.id) ?? 0) / n : 0,
    }));
    const partialCredit =
      q.kind === "multiple" && tally
        ? [...tally.credits]
            .map(([credit, count]) => ({ score: credit / 100, answers: count }))
            .sort((a, b) => a.score - b.score)
        : [];
    const recall = RECALL_AFTER.map((after) => {
      const bucket = tally?.recall.get(after) ?? { answers: 0, correct: 0 };
      return {
        after,
        answers: bucket.answers,
        rate: bucket.answers >= MIN_BOOST_ANSWERS ? bucket.correct / bucket.answers : null,
      };
    });
    const figures = {
      key: q.key,
      kind: q.kind,
      prompt: q.prompt,
      answers: n,
      facility,
      discrimination,
      picks,
      partialCredit,
      recall,
    };
    const flags = q.retired ? [] : itemFlags(figures, lengthCue && cued.includes(q), cued.length, single.length);
    return { ...figures, retired: q.retired === true, flags };
  });
}

/** The flags of one question, each with the figure and threshold that raised it. */
export function itemFlags(
  item: Omit<ItemFigures, "flags" | "retired">,
  lengthCued: boolean,
  cued: number,
  singles: number,
): Flag[] {
  const flags: Flag[] = [];
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  if (lengthCued)
    flags.push({
      kind: "length-cue",
      reason: `The right answer is the longest choice here and in ${cued - 1} more of the lesson's ${singles} single-answer questions (flagged above half).`,
    });
  if (item.answers < MIN_REPS || item.facility === null) return flags;
  if (item.facility > TOO_EASY)
    flags.push({
      kind: "too-easy",
      reason: `Facility ${pct(item.facility)} is above ${pct(TOO_EASY)}: almost everyone gets it right first time.`,
    });
  if (item.facility < TOO_HARD)
    flags.push({
      kind: "too-hard",
      reason: `Facility ${pct(item.facility)} is below ${pct(TOO_HARD)}: most reps get it wrong first time.`,
    });
  if (item.discrimination !== null && item.discrimination < LOW_DISCRIMINATION)
    flags.push({
      kind: "low-discrimination",
      reason: `Discrimination ${item.discrimination.toFixed(2)} is below ${LOW_DISCRIMINATION}: reps who do well on the rest of the lesson do not do better here.`,
    });
  for (const pick of item.picks.filter((p) => !p.correct && p.rate < RARE_DISTRACTOR))
    flags.push({
      kind: "rare-distractor",
      reason: `“${pick.text}” is picked by ${pct(pick.rate)} of first answers, under ${pct(RARE_DISTRACTOR)}: it distracts nobody.`,
    });
  const early = item.recall.find((r) => r.rate !== null && r.after < 90);
  if (early && early.rate! <= item.facility - FORGOTTEN_GAP)
    flags.push({
      kind: "forgotten-fast",
      reason: `Recall in boosts ${early.after}+ days on is ${pct(early.rate!)}, ${Math.round((item.facility - early.rate!) * 100)} points below first-attempt facility ${pct(item.facility)} (flagged at ${Math.round(FORGOTTEN_GAP * 100)} or more).`,
    });
  return flags;
}

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A lesson's starts in the period, counted by the database: how many reps started and finished
 * it, and the one or two middle values of the finishers' seconds (their median's operands).
 */
export type LessonStarts = { started: number; finished: number; middleSeconds: number[] };

export type LessonFigures = {
  started: number;
  finished: number;
  completionRate: number | null;
  medianMinutes: number | null;
  /** The question at which most reps who started and did not finish stopped (their first unanswered). */
  stoppedAt: { key: string; reps: number } | null;
};

/**
 * A lesson's funnel. `keys`: the lesson's questions in order; `answeredKeys`: the keys each rep
 * who started and has not finished has answered (reps who answered nothing are not in it). A rep
 * who did not finish stopped at the first question they have not answered.
 */
export function lessonFigures(
  starts: LessonStarts,
  keys: string[],
  answeredKeys: Map<string, Set<string>>,
): LessonFigures {
  const stops = new Map<string, number>();
  // Those who answered nothing stopped at the first question.
  const silent = starts.started - starts.finished - answeredKeys.size;
  if (keys.length && silent > 0) stops.set(keys[0]!, silent);
  for (const answered of answeredKeys.values()) {
    const at = keys.find((k) => !answered.has(k));
    if (at) stops.set(at, (stops.get(at) ?? 0) + 1);
  }
  // The most reps; between equals, the earlier question.
  let stoppedAt: LessonFigures["stoppedAt"] = null;
  for (const key of keys) {
    const reps = stops.get(key) ?? 0;
    if (reps > 0 && (!stoppedAt || reps > stoppedAt.reps)) stoppedAt = { key, reps };
  }
  const minutes = median(starts.middleSeconds.map((s) => s / 60));
  return {
    started: starts.started,
    finished: starts.finished,
    completionRate: starts.started ? starts.finished / starts.started : null,
    medianMinutes: minutes === null ? null : round(minutes, 1),
    stoppedAt,
  };
}

/** The middle value of a histogram's values, or the two middle ones for an even count. */
export function middleValues(histogram: Array<{ seconds: number; reps: number }>): number[] {
  const sorted = [...histogram].sort((a, b) => a.seconds - b.seconds);
  const total = sorted.reduce((sum, h) => sum + h.reps, 0);
  if (total === 0) return [];
  // 1-based positions of the middle: (n + 1) / 2 for odd n; n / 2 and n / 2 + 1 for even.
  const wanted = total % 2 ? [(total + 1) / 2] : [total / 2, total / 2 + 1];
  const picked: number[] = [];
  let seen = 0;
  for (const h of sorted) {
    const last = seen + h.reps;
    for (const position of wanted) if (position > seen && position <= last) picked.push(h.seconds);
    seen = last;
  }
  return picked;
}

/** A reviewed role-play's levels (1–5) per criterion, by its manager and, if given, by the rep. */
export type ReviewedRolePlay = { manager: Record<string, number>; self: Record<string, number> | null };

export type CriterionFigures = {
  id: string;
  name: string;
  /** How many manager reviews gave each level, 1 to 5. */
  levels: number[];
  reviews: number;
  /** Mean of (self − manager) in points (a level counts 20), over reviews with a self-assessment. */
  calibrationGap: number | null;
  selfAssessed: number;
};

export function criterionFigures(
  criteria: Array<{ id: string; name: string }>,
  reviewed: ReviewedRolePlay[],
): CriterionFigures[] {
  return criteria.map((c) => {
    const levels = [0, 0, 0, 0, 0];
    const gaps: number[] = [];
    for (const r of reviewed) {
      const level = r.manager[c.id];
      if (level === undefined) continue;
      if (level >= 1 && level <= 5) levels[level - 1]! += 1;
      const self = r.self?.[c.id];
      if (self !== undefined) gaps.push((self - level) * 20);
    }
    return {
      id: c.id,
      name: c.name,
      levels,
      reviews: levels.reduce((s, v) => s + v, 0),
      calibrationGap: gaps.length ? round(mean(gaps), 1) : null,
      selfAssessed: gaps.length,
    };
  });
}

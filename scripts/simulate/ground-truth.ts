// The simulated reps' memory: the "truth" every schedule is judged against in `npm run simulate`.
// It is deliberately not FSRS (docs/efficacy.md): a power-law forgetting curve with its own
// exponent, a half-life per rep and question that depends on the rep's ability and the question's
// difficulty, and a spacing effect (an answer remembered at lower recall strengthens memory more).
// No schedule sees these numbers; each sees only whether an answer was right.

export const TRUTH = {
  /** c in p(t) = (1 + k·t/h)^(−c), k = 2^(1/c) − 1 so that p(h) = ½: h is the half-life. */
  decayExponent: 0.6,
  /** Half-life in days after a lesson, for an average rep and question answered right. */
  initialHalfLife: 30,
  /** Half-life after a lesson whose question was answered wrong (the explanation was read), as a share. */
  wrongFirstShare: 0.5,
  /** Spread (standard deviation, natural log) of rep ability a and question difficulty δ: memory scales with e^(a − δ). */
  abilitySd: 0.3,
  difficultySd: 0.5,
  /** Chance of the lesson's first answer being right: logistic(firstAnswerBase + a − δ). */
  firstAnswerBase: 1.5,
  /** A remembered answer multiplies the half-life by 1 + G·(1 − p)^γ·e^((a − δ)/2)·(h / 30)^(−s). */
  growth: 8.8,
  growthExponent: 0.77,
  saturation: 0.15,
  /** A forgotten answer (then read) leaves this share of the half-life, and at least minHalfLife·e^(a − δ). */
  lapseShare: 0.3,
  minHalfLife: 2,
} as const;

const K = Math.pow(2, 1 / TRUTH.decayExponent) - 1;

/** The chance of recalling an answer `elapsedDays` after it was last seen, with half-life `halfLife`. */
export function recallProbability(halfLife: number, elapsedDays: number): number {
  return Math.pow(1 + (K * Math.max(0, elapsedDays)) / halfLife, -TRUTH.decayExponent);
}

/** The chance that the lesson's own question is answered right, just after reading the lesson. */
export function firstAnswerChance(ability: number, difficulty: number): number {
  return 1 / (1 + Math.exp(-(TRUTH.firstAnswerBase + ability - difficulty)));
}

/** The half-life right after the lesson. */
export function initialHalfLife(ability: number, difficulty: number, firstRight: boolean): number {
  return TRUTH.initialHalfLife * Math.exp(ability - difficulty) * (firstRight ? 1 : TRUTH.wrongFirstShare);
}

/** The half-life after a review at recall `p` that was remembered (`right`) or not. */
export function halfLifeAfter(
  halfLife: number,
  p: number,
  right: boolean,
  ability: number,
  difficulty: number,
): number {
  const strength = Math.exp(ability - difficulty);
  if (!right) return Math.max(TRUTH.minHalfLife * strength, TRUTH.lapseShare * halfLife);
  const spacing = Math.pow(1 - p, TRUTH.growthExponent);
  const saturation = Math.pow(halfLife / 30, -TRUTH.saturation);
  return halfLife * (1 + TRUTH.growth * spacing * Math.sqrt(strength) * saturation);
}

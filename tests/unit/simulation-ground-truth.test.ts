// `npm run simulate`'s ground truth (scripts/simulate/ground-truth.ts) does what docs/efficacy.md
// says it does: its forgetting curve is the stated formula, and its memory grows as stated.
import { describe, expect, it } from "vitest";
import {
  firstAnswerChance,
  halfLifeAfter,
  initialHalfLife,
  recallProbability,
  TRUTH,
} from "../../scripts/simulate/ground-truth";
import { generator, makeReps } from "../../scripts/simulate/simulate";

describe("the simulated reps' forgetting curve", () => {
  it("is p(t) = (1 + k·t/h)^(−c) with c = 0.6 and k = 2^(1/c) − 1, so h is the half-life", () => {
    expect(TRUTH.decayExponent).toBe(0.6);
    const k = Math.pow(2, 1 / 0.6) - 1;
    for (const h of [2, 30, 400])
      for (const t of [0, 0.5, 1, 3, 10, 30, 90, 365])
        expect(recallProbability(h, t)).toBeCloseTo(Math.pow(1 + (k * t) / h, -0.6), 12);
    expect(recallProbability(30, 30)).toBeCloseTo(0.5, 12);
    expect(recallProbability(30, 0)).toBe(1);
  });

  it("falls as time passes, more slowly for a longer half-life, and never below zero", () => {
    const days = [0, 1, 2, 5, 10, 20, 60, 180];
    const short = days.map((t) => recallProbability(10, t));
    const long = days.map((t) => recallProbability(60, t));
    for (let i = 1; i < days.length; i++) {
      expect(short[i]).toBeLessThan(short[i - 1]!);
      expect(long[i]).toBeGreaterThan(short[i]!);
      expect(short[i]).toBeGreaterThan(0);
    }
  });

  it("is not FSRS's: at the time FSRS-6's default curve is at 0.5, this one is far lower", () => {
    // FSRS-6's default curve (decay 0.1542) halves only after about 90 times the 90 % interval.
    const t90 = ((Math.pow(0.9, -1 / 0.6) - 1) / (Math.pow(2, 1 / 0.6) - 1)) * 30;
    expect(recallProbability(30, t90)).toBeCloseTo(0.9, 10);
    expect(recallProbability(30, 90 * t90)).toBeLessThan(0.3);
  });
});

describe("the simulated reps' memory", () => {
  it("starts at 30 days' half-life after a lesson answered right, half that after a wrong answer", () => {
    expect(initialHalfLife(0, 0, true)).toBe(30);
    expect(initialHalfLife(0, 0, false)).toBe(15);
    expect(initialHalfLife(0.3, -0.2, true)).toBeCloseTo(30 * Math.exp(0.5), 12);
    expect(firstAnswerChance(0, 0)).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 12);
  });

  it("grows more from an answer remembered at lower recall (the spacing effect), as the formula says", () => {
    const at = (p: number) => halfLifeAfter(30, p, true, 0, 0);
    expect(at(0.9)).toBeCloseTo(30 * (1 + 8.8 * Math.pow(0.1, 0.77)), 10);
    expect(at(0.7)).toBeGreaterThan(at(0.9));
    expect(at(0.9)).toBeGreaterThan(at(0.99));
    // A strong memory grows more slowly.
    expect(halfLifeAfter(300, 0.9, true, 0, 0) / 300).toBeLessThan(at(0.9) / 30);
  });

  it("keeps 30 % of the half-life after a forgotten answer, and at least 2 days", () => {
    expect(halfLifeAfter(30, 0.6, false, 0, 0)).toBeCloseTo(9, 12);
    expect(halfLifeAfter(3, 0.6, false, 0, 0)).toBe(2);
  });
});

describe("the simulated population", () => {
  it("is the same for the same seed", () => {
    expect(makeReps(5, 7).map((r) => r.pace)).toEqual(makeReps(5, 7).map((r) => r.pace));
    const a = generator(42);
    const b = generator(42);
    expect([a.next(), a.next(), a.normal()]).toEqual([b.next(), b.next(), b.normal()]);
  });
});

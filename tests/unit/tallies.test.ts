// The item tallies' two ways of counting agree: what each new first answer adds (kept in the
// answer's transaction) sums to what the rep's answers make when counted at once (a rebuild, a
// team's view), whatever the order the questions were answered in.
import { describe, expect, it } from "vitest";
import {
  addUp,
  firstAnswerRows,
  newFirstAnswerRows,
  recallBucket,
  type FirstAnswerRows,
  type Mark,
} from "~/features/content-insights/tallies";

const mark = (key: string, correct: boolean, week = "2026-11-30"): Mark => ({
  key,
  versionId: "v1",
  week,
  chosen: [correct ? "c1" : "c2"],
  correct,
  score: correct ? 1 : 0,
});

/** The rows of answers given one at a time, each with the rep's earlier ones. */
function oneByOne(marks: Mark[]): FirstAnswerRows {
  const all: FirstAnswerRows = { questions: [], choices: [], credits: [] };
  marks.forEach((m, i) => {
    const rows = newFirstAnswerRows(marks.slice(0, i), m);
    all.questions.push(...rows.questions);
    all.choices.push(...rows.choices);
    all.credits.push(...rows.credits);
  });
  return all;
}

const summed = (rows: FirstAnswerRows) => addUp({ ...rows, recall: [] });

describe("item tallies", () => {
  it("a second answer gives the first its rest score and takes its own from the first", () => {
    // First q1 ✓: counted, no rest yet. Then q2 ✗: q2's rest is q1 (1); q1's rest becomes q2 (0).
    const [q1] = newFirstAnswerRows([], mark("q1", true)).questions;
    expect(q1).toMatchObject({ answers: 1, correct: 1, pairs: 0, restSum: 0 });
    const second = newFirstAnswerRows([mark("q1", true)], mark("q2", false)).questions;
    expect(second).toEqual([
      expect.objectContaining({ key: "q1", answers: 0, pairs: 1, rightPairs: 1, restSum: 0, rightRestSum: 0 }),
      expect.objectContaining({
        key: "q2",
        answers: 1,
        correct: 0,
        pairs: 1,
        rightPairs: 0,
        restSum: 1,
        restSquares: 1,
      }),
    ]);
    // A third, q3 ✓: q1's rest 0 → ½, q2's 1 → 1 (q1 and q3 right), q3's own ½.
    const third = newFirstAnswerRows([mark("q1", true), mark("q2", false)], mark("q3", true)).questions;
    expect(third.map((r) => [r.key, r.restSum, r.rightRestSum])).toEqual([
      ["q1", 0.5, 0.5],
      ["q3", 0.5, 0.5],
    ]);
  });

  it("answers added one at a time sum to the same tallies as counted at once, in any order", () => {
    // Six questions, answered by a rep in a random order over two weeks, for 200 reps.
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const reps = Array.from({ length: 200 }, () => {
      const keys = ["q1", "q2", "q3", "q4", "q5", "q6"]
        .sort(() => random() - 0.5)
        .slice(0, 1 + Math.floor(random() * 6));
      return keys.map((key, i) => mark(key, random() < 0.6, i < 3 ? "2026-11-23" : "2026-11-30"));
    });
    const atOnce = summed(merge(reps.map(firstAnswerRows)));
    const incremental = summed(merge(reps.map(oneByOne)));
    expect([...incremental.keys()].sort()).toEqual([...atOnce.keys()].sort());
    for (const [key, tally] of atOnce) {
      const other = incremental.get(key)!;
      for (const c of ["answers", "correct", "pairs", "rightPairs"] as const)
        expect(other[c], `${key} ${c}`).toBe(tally[c]);
      for (const c of ["restSum", "restSquares", "rightRestSum"] as const)
        expect(other[c], `${key} ${c}`).toBeCloseTo(tally[c], 9);
      expect(other.picks).toEqual(tally.picks);
      expect(other.credits).toEqual(tally.credits);
    }
  });

  it("boost answers count from 7, 30 and 90 days after the card", () => {
    expect([0, 6, 7, 29, 30, 89, 90, 400].map(recallBucket)).toEqual([null, null, 7, 7, 30, 30, 90, 90]);
  });
});

function merge(list: FirstAnswerRows[]): FirstAnswerRows {
  return {
    questions: list.flatMap((r) => r.questions),
    choices: list.flatMap((r) => r.choices),
    credits: list.flatMap((r) => r.credits),
  };
}

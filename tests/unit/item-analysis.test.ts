// Item analysis on hand-worked fixtures: each figure's arithmetic is written out beside it.
import { describe, expect, it } from "vitest";
import {
  analyzeLessonItems,
  criterionFigures,
  lessonFigures,
  median,
  middleValues,
  pointBiserial,
  type QuestionText,
} from "~/features/content-insights/item-analysis";
import { questionRows, tallyAnswers, type Mark } from "~/features/content-insights/tallies";

type FirstAnswer = Mark & { userId: string };
type BoostAnswer = { key: string; week: string; correct: boolean; daysSinceCard: number };
const WEEK = "2026-11-30";

const choice = (id: string, text: string, correct = false) => ({ id, text, correct, explanation: "" });

// Three single-answer questions; the right answer is the longest choice in q1 and q2 (2 of 3).
const QUESTIONS: QuestionText[] = [
  {
    key: "q1",
    kind: "single",
    prompt: "One?",
    choices: [choice("c1", "the longest answer", true), choice("c2", "short"), choice("c3", "tiny")],
  },
  {
    key: "q2",
    kind: "single",
    prompt: "Two?",
    choices: [choice("c1", "the longest answer", true), choice("c2", "short")],
  },
  {
    key: "q3",
    kind: "single",
    prompt: "Three?",
    choices: [choice("c1", "ok", true), choice("c2", "a longer wrong one")],
  },
];

/**
 * 40 reps in four groups of ten (✓ right, ✗ wrong):
 *   A: q1 ✓ q2 ✓ q3 ✓    B: q1 ✓ q2 ✓ q3 ✗    C: q1 ✗ q2 ✓ q3 ✗    D: q1 ✗ q2 ✗ q3 ✗
 * Wrong answers to q1: C picks c2; D: nine pick c2 and one picks c3.
 */
function fortyReps(): FirstAnswer[] {
  const groups: Array<[string, boolean[]]> = [
    ["A", [true, true, true]],
    ["B", [true, true, false]],
    ["C", [false, true, false]],
    ["D", [false, false, false]],
  ];
  return groups.flatMap(([group, right]) =>
    Array.from({ length: 10 }, (_, i) =>
      ["q1", "q2", "q3"].map((key, q) => ({
        userId: `${group}${i}`,
        key,
        versionId: "v1",
        week: WEEK,
        chosen: [right[q] ? "c1" : key === "q1" && group === "D" && i === 0 ? "c3" : "c2"],
        correct: right[q]!,
        score: right[q] ? 1 : 0,
      })),
    ).flat(),
  );
}

describe("item analysis", () => {
  const boosts: BoostAnswer[] = [
    // q2 ten days after the card: 4 of 10 right. Forty days after: 9 answers, under the 10 needed.
    ...Array.from({ length: 10 }, (_, i) => ({ key: "q2", week: WEEK, correct: i < 4, daysSinceCard: 10 })),
    ...Array.from({ length: 9 }, () => ({ key: "q2", week: WEEK, correct: true, daysSinceCard: 40 })),
    // q1 a hundred days after the card: 9 of 12 right; 120 days after counts in the same bucket.
    ...Array.from({ length: 11 }, (_, i) => ({ key: "q1", week: WEEK, correct: i < 8, daysSinceCard: 100 })),
    { key: "q1", week: WEEK, correct: true, daysSinceCard: 120 },
  ];
  const [q1, q2, q3] = analyzeLessonItems(QUESTIONS, tallyAnswers(fortyReps(), boosts));

  it("facility is the share of first answers that are right", () => {
    // q1: A+B = 20 of 40 = 0.5; q2: A+B+C = 30 of 40 = 0.75; q3: A = 10 of 40 = 0.25.
    expect([q1!.facility, q2!.facility, q3!.facility]).toEqual([0.5, 0.75, 0.25]);
    expect(q1!.answers).toBe(40);
  });

  it("discrimination is the point-biserial correlation with the rest of the lesson", () => {
    // q1: rest = mean of q2, q3: A 1, B 0.5, C 0.5, D 0. Right (A, B): M1 = 0.75; wrong (C, D): M0 = 0.25.
    // All rests: mean 0.5, variance (10·0.25 + 20·0 + 10·0.25) / 40 = 0.125, s = 0.35355.
    // p = 0.5: r = (0.75 − 0.25) / 0.35355 · √(0.5·0.5) = 1.41421 · 0.5 = 0.70711.
    expect(q1!.discrimination).toBeCloseTo(0.70711, 4);
    // q2: rest = mean of q1, q3: A 1, B 0.5, C 0, D 0. Right (A, B, C): M1 = 0.5; wrong (D): M0 = 0.
    // Mean 15/40 = 0.375; variance (10·0.625² + 10·0.125² + 20·0.375²) / 40 = 6.875 / 40 = 0.171875,
    // s = 0.41458. p = 0.75: r = 0.5 / 0.41458 · √0.1875 = 1.20605 · 0.43301 = 0.52223.
    expect(q2!.discrimination).toBeCloseTo(0.52223, 4);
    // q3: rest = mean of q1, q2: A 1, B 1, C 0.5, D 0. Right (A): M1 = 1; wrong: M0 = (10 + 5) / 30 = 0.5.
    // Mean 0.625, variance 6.875 / 40, s = 0.41458; p = 0.25: r = 0.5 / 0.41458 · 0.43301 = 0.52223.
    expect(q3!.discrimination).toBeCloseTo(0.52223, 4);
  });

  it("choice pick rates are shares of first answers", () => {
    // q1: c1 by A+B = 20/40; c2 by C (10) + nine of D = 19/40; c3 by one rep = 1/40.
    expect(q1!.picks.map((p) => p.rate)).toEqual([0.5, 0.475, 0.025]);
  });

  it("recall in boosts is counted per bucket of days since the card, from ten answers", () => {
    // q2: [7, 30): 4 of 10 = 0.4. [30, 90): 9 answers, too few. 90+: none.
    expect(q2!.recall).toEqual([
      { after: 7, answers: 10, rate: 0.4 },
      { after: 30, answers: 9, rate: null },
      { after: 90, answers: 0, rate: null },
    ]);
    // q1: 90+: 8 of 11 at 100 days and 1 of 1 at 120 = 9 of 12 = 0.75; above facility 0.5, no flag.
    expect(q1!.recall).toEqual([
      { after: 7, answers: 0, rate: null },
      { after: 30, answers: 0, rate: null },
      { after: 90, answers: 12, rate: 0.75 },
    ]);
  });

  it("each flag carries its reason and threshold", () => {
    // q1: length cue (right answer longest in 2 of 3 single-answer questions, more than half) and
    // c3 picked by 2.5% < 5%. q2: length cue, and recall 0.4 is 35 points below facility 0.75 (≥ 20).
    // q3: facility 0.25 < 0.3.
    expect(q1!.flags.map((f) => f.kind)).toEqual(["length-cue", "rare-distractor"]);
    expect(q1!.flags[1]!.reason).toMatch(/“tiny” is picked by 3% of first answers, under 5%/);
    expect(q2!.flags.map((f) => f.kind)).toEqual(["length-cue", "forgotten-fast"]);
    expect(q2!.flags[1]!.reason).toMatch(/40%, 35 points below first-attempt facility 75% \(flagged at 20 or more\)/);
    expect(q3!.flags.map((f) => f.kind)).toEqual(["too-hard"]);
    expect(q3!.flags[0]!.reason).toMatch(/Facility 25% is below 30%/);
  });

  it("a question the current version dropped keeps its figures, is never flagged and leaves the length cue", () => {
    // q1 retired: of the two single-answer questions left, the right answer is longest in q2 only,
    // 1 of 2, not more than half: no length cue. q1's rare distractor is not flagged either.
    const retired = QUESTIONS.map((q) => (q.key === "q1" ? { ...q, retired: true } : q));
    const [r1, r2] = analyzeLessonItems(retired, tallyAnswers(fortyReps(), boosts));
    expect(r1!.facility).toBe(q1!.facility);
    expect(r1!.retired).toBe(true);
    expect(r1!.flags).toEqual([]);
    expect(r2!.flags.map((f) => f.kind)).toEqual(["forgotten-fast"]);
  });

  it("multiple-answer items get a partial-credit distribution; a negative discrimination is flagged", () => {
    const questions: QuestionText[] = [
      {
        key: "m",
        kind: "multiple",
        prompt: "Which two?",
        choices: [choice("a", "A", true), choice("b", "B", true), choice("c", "C")],
      },
      { key: "s", kind: "single", prompt: "Single?", choices: [choice("x", "X", true), choice("y", "Y")] },
    ];
    // 30 reps: ten pick a+b (score 1) and then miss s; ten pick a (0.5) and ten a+c (0), both get s right.
    const picks: Array<[string[], number]> = [
      [["a", "b"], 1],
      [["a"], 0.5],
      [["a", "c"], 0],
    ];
    const answers: FirstAnswer[] = picks.flatMap(([chosen, score], g) =>
      Array.from({ length: 10 }, (_, i) => [
        { userId: `r${g}-${i}`, key: "m", versionId: "v", week: WEEK, chosen, correct: score === 1, score },
        {
          userId: `r${g}-${i}`,
          key: "s",
          versionId: "v",
          week: WEEK,
          chosen: [score === 1 ? "y" : "x"],
          correct: score !== 1,
          score: score === 1 ? 0 : 1,
        },
      ]).flat(),
    );
    const [m] = analyzeLessonItems(questions, tallyAnswers(answers, []));
    expect(m!.partialCredit).toEqual([
      { score: 0, answers: 10 },
      { score: 0.5, answers: 10 },
      { score: 1, answers: 10 },
    ]);
    // a by all 30, b by 10, c by 10.
    expect(m!.picks.map((p) => p.rate)).toEqual([1, 1 / 3, 1 / 3]);
    // Right (10 reps): rest 0; wrong (20): rest 1. Mean 2/3, s = √(2/9) = 0.4714; p = 1/3, √(pq) = 0.4714.
    // r = (0 − 1) / 0.4714 · 0.4714 = −1.
    expect(m!.discrimination).toBeCloseTo(-1, 6);
    expect(m!.flags.map((f) => f.kind)).toEqual(["low-discrimination"]);
    // With 29 reps discrimination is not shown, and no figure of first answers is judged.
    const [fewer] = analyzeLessonItems(questions, tallyAnswers(answers.slice(2), []));
    expect(fewer!.answers).toBe(29);
    expect(fewer!.discrimination).toBeNull();
    expect(fewer!.flags).toEqual([]);
  });

  it("a question nearly everyone gets right is flagged too easy", () => {
    const questions: QuestionText[] = [
      { key: "e", kind: "single", prompt: "Easy?", choices: [choice("x", "Ok", true), choice("y", "Nope")] },
    ];
    // 40 reps, 37 right: facility 37 / 40 = 0.925 > 0.9. Pick rates: x 0.925, y 0.075 (not rare: ≥ 0.05).
    const answers: FirstAnswer[] = Array.from({ length: 40 }, (_, i) => ({
      userId: `e${i}`,
      key: "e",
      versionId: "v",
      week: WEEK,
      chosen: [i < 37 ? "x" : "y"],
      correct: i < 37,
      score: i < 37 ? 1 : 0,
    }));
    const [easy] = analyzeLessonItems(questions, tallyAnswers(answers, []));
    expect(easy!.facility).toBe(0.925);
    expect(easy!.flags.map((f) => f.kind)).toEqual(["too-easy"]);
    expect(easy!.flags[0]!.reason).toMatch(/Facility 93% is above 90%/);
  });

  it("pointBiserial has no value when everyone (or no one) is right", () => {
    const mark = (key: string, correct: boolean): Mark => ({
      key,
      versionId: "v",
      week: WEEK,
      chosen: [],
      correct,
      score: correct ? 1 : 0,
    });
    // Two reps, both right on "a" (rests 1 and 0): no one wrong, no correlation.
    const [right] = questionRows([mark("a", true), mark("b", true)]);
    const [alsoRight] = questionRows([mark("a", true), mark("b", false)]);
    const sum = { ...right! };
    for (const c of ["answers", "correct", "pairs", "rightPairs", "restSum", "restSquares", "rightRestSum"] as const)
      sum[c] += alsoRight![c];
    expect(pointBiserial(sum)).toBeNull();
    expect(pointBiserial({ ...sum, pairs: 0, rightPairs: 0, restSum: 0, restSquares: 0, rightRestSum: 0 })).toBeNull();
  });
});

describe("lesson and role-play figures", () => {
  it("a lesson's funnel: started, finished, completion, median minutes, where reps stopped", () => {
    // Five reps started; three finished in 4, 6 and 11 minutes: completion 3/5 = 0.6, and the
    // database hands over the middle finisher's 360 seconds: median 6 minutes.
    // Of the two who did not, r4 answered q1 (stopped at q2) and r5 nothing (stopped at q1):
    // one each, and between equals the earlier question, q1.
    const starts = { started: 5, finished: 3, middleSeconds: [360] };
    const answered = new Map([["r4", new Set(["q1"])]]);
    expect(lessonFigures(starts, ["q1", "q2", "q3"], answered)).toEqual({
      started: 5,
      finished: 3,
      completionRate: 0.6,
      medianMinutes: 6,
      stoppedAt: { key: "q1", reps: 1 },
    });
    // A sixth who also answered q1 makes q2 the most common stop (2 reps); a fourth finisher
    // (say 8 minutes) makes the median the mean of the middle two, (6 + 8) ÷ 2 = 7.
    answered.set("r6", new Set(["q1"]));
    expect(lessonFigures({ started: 7, finished: 4, middleSeconds: [360, 480] }, ["q1", "q2", "q3"], answered)).toEqual(
      {
        started: 7,
        finished: 4,
        completionRate: 4 / 7,
        medianMinutes: 7,
        stoppedAt: { key: "q2", reps: 2 },
      },
    );
    // A rep who answered every question and has not finished stopped nowhere; nobody finished: no median.
    expect(
      lessonFigures({ started: 1, finished: 0, middleSeconds: [] }, ["q1"], new Map([["r7", new Set(["q1"])]])),
    ).toEqual({ started: 1, finished: 0, completionRate: 0, medianMinutes: null, stoppedAt: null });
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // The median's operands from a histogram of seconds, as the database counts them: five
    // finishers (180 twice, 360, 540, 720) → the 3rd, 360; six (720 twice) → the 3rd and 4th.
    const h = (pairs: Array<[number, number]>) => pairs.map(([seconds, reps]) => ({ seconds, reps }));
    expect(
      middleValues(
        h([
          [720, 1],
          [180, 2],
          [540, 1],
          [360, 1],
        ]),
      ),
    ).toEqual([360]);
    expect(
      middleValues(
        h([
          [180, 2],
          [360, 1],
          [540, 1],
          [720, 2],
        ]),
      ),
    ).toEqual([360, 540]);
    expect(middleValues(h([[300, 4]]))).toEqual([300, 300]);
    expect(middleValues([])).toEqual([]);
  });

  it("role-play criteria: manager levels counted 1–5 and the calibration gap in points", () => {
    // Three reviews of "open": manager 2, 4, 4; self 4, 4 and none. Gaps (4−2)·20 = 40 and 0: mean 20.
    const figures = criterionFigures(
      [{ id: "open", name: "Opening" }],
      [
        { manager: { open: 2 }, self: { open: 4 } },
        { manager: { open: 4 }, self: { open: 4 } },
        { manager: { open: 4 }, self: null },
      ],
    );
    expect(figures).toEqual([
      { id: "open", name: "Opening", levels: [0, 1, 0, 2, 0], reviews: 3, calibrationGap: 20, selfAssessed: 2 },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import type { StoredTurn } from "~/db/model";
import {
  bestPathPoints,
  branchingScore,
  rubricScore,
  validateRubricScores,
} from "~/features/practice/roleplay-scoring.server";

const reply = (id: string, points: number, next: string | null) => ({ id, text: id, points, feedback: "", next });
// start → (r1: 1 pt → weak) or (r2: 3 pts → good); weak → 1 or 2; good → 4 or 0.
const turns: StoredTurn[] = [
  { id: "start", buyer: "", hint: null, replies: [reply("r1", 1, "weak"), reply("r2", 3, "good")] },
  { id: "weak", buyer: "", hint: null, replies: [reply("r1", 1, null), reply("r2", 2, null)] },
  { id: "good", buyer: "", hint: null, replies: [reply("r1", 4, null), reply("r2", 0, null)] },
];

describe("branching role-plays", () => {
  it("the best path is the one that earns the most points from the first turn", () => {
    expect(bestPathPoints(turns)).toBe(7);
  });

  it("scores points earned over the best path's points", () => {
    expect(
      branchingScore(turns, [
        { turnId: "start", replyId: "r2", points: 3 },
        { turnId: "good", replyId: "r1", points: 4 },
      ]),
    ).toBe(100);
    expect(
      branchingScore(turns, [
        { turnId: "start", replyId: "r1", points: 1 },
        { turnId: "weak", replyId: "r2", points: 2 },
      ]),
    ).toBeCloseTo(42.9, 1);
    expect(
      branchingScore(turns, [
        { turnId: "start", replyId: "r2", points: 3 },
        { turnId: "good", replyId: "r2", points: 0 },
      ]),
    ).toBeCloseTo(42.9, 1);
  });
});

describe("rubric scores", () => {
  const rubric = [
    { id: "a", name: "A", weight: 50, levels: [] },
    { id: "b", name: "B", weight: 30, levels: [] },
    { id: "c", name: "C", weight: 20, levels: [] },
  ];

  it("are the weighted mean of the levels on 0–100 (level × 20)", () => {
    expect(rubricScore(rubric, { a: 5, b: 5, c: 5 })).toBe(100);
    expect(rubricScore(rubric, { a: 1, b: 1, c: 1 })).toBe(20);
    // 0.5 × 80 + 0.3 × 60 + 0.2 × 100 = 40 + 18 + 20
    expect(rubricScore(rubric, { a: 4, b: 3, c: 5 })).toBe(78);
  });

  it("need a level from 1 to 5 for every criterion", () => {
    expect(() => validateRubricScores(rubric, { a: 4, b: 3 })).toThrow(/Score “C” from 1 to 5/);
    expect(() => validateRubricScores(rubric, { a: 4, b: 3, c: 6 })).toThrow(/from 1 to 5/);
    expect(validateRubricScores(rubric, { a: 4, b: 3, c: 2, extra: 1 })).toEqual({ a: 4, b: 3, c: 2 });
  });

  it("read criterion ids as own keys only: an id every object inherits scores nothing", () => {
    const inherited = [
      { id: "constructor", name: "Ctor", weight: 50, levels: [] },
      { id: "__proto__", name: "Proto", weight: 50, levels: [] },
    ];
    expect(rubricScore(inherited, {})).toBe(0);
    expect(() => validateRubricScores(inherited, {})).toThrow(/Score “Ctor” from 1 to 5/);
    // A form or stored JSON can carry "__proto__" as a plain key; it stays a key.
    const scores = JSON.parse('{"constructor": 4, "__proto__": 2}') as Record<string, number>;
    const clean = validateRubricScores(inherited, scores);
    expect(Object.hasOwn(clean, "__proto__") && clean["__proto__"]).toBe(2);
    expect(rubricScore(inherited, clean)).toBe(60);
  });
});

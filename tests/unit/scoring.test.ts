import { describe, expect, it } from "vitest";
import { scoreAnswer } from "~/features/learning/scoring";

const choice = (id: string, correct: boolean) => ({ id, text: id, correct, explanation: "" });
const single = [choice("c1", false), choice("c2", true), choice("c3", false)];
const multiple = [choice("c1", true), choice("c2", true), choice("c3", false), choice("c4", true), choice("c5", false)];

describe("scoring", () => {
  it("a single-answer question is right only with the right choice", () => {
    expect(scoreAnswer("single", single, ["c2"])).toEqual({ score: 1, correct: true });
    expect(scoreAnswer("single", single, ["c1"])).toEqual({ score: 0, correct: false });
    expect(scoreAnswer("single", single, ["c2", "c1"])).toEqual({ score: 0, correct: false });
  });

  it("a multiple-answer question earns correct picks minus wrong picks over the correct choices", () => {
    expect(scoreAnswer("multiple", multiple, ["c1", "c2", "c4"])).toEqual({ score: 1, correct: true });
    expect(scoreAnswer("multiple", multiple, ["c1", "c2"]).score).toBeCloseTo(2 / 3);
    expect(scoreAnswer("multiple", multiple, ["c1", "c2", "c4", "c5"]).score).toBeCloseTo(2 / 3);
    expect(scoreAnswer("multiple", multiple, ["c1", "c3"]).score).toBe(0);
    expect(scoreAnswer("multiple", multiple, ["c1", "c2", "c4", "c5"]).correct).toBe(false);
  });

  it("never scores below zero", () => {
    expect(scoreAnswer("multiple", multiple, ["c3", "c5"])).toEqual({ score: 0, correct: false });
    expect(scoreAnswer("multiple", multiple, ["c1", "c3", "c5"]).score).toBe(0);
  });
});

import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeReply } from "~/features/practice/technique";

type Labelled = { text: string; kind: "open" | "closed" };
const labelled = JSON.parse(fs.readFileSync("tests/fixtures/question-kinds.json", "utf8")) as Labelled[];

describe("open and closed questions", () => {
  it("the labelled set is large enough and balanced", () => {
    expect(labelled.length).toBeGreaterThanOrEqual(80);
    expect(labelled.filter((l) => l.kind === "open").length).toBeGreaterThan(30);
    expect(labelled.filter((l) => l.kind === "closed").length).toBeGreaterThan(30);
  });

  it("classifies at least 90% of the labelled sales utterances right", () => {
    const wrong = labelled.filter((item) => {
      const found = analyzeReply(item.text).questions;
      return found.length !== 1 || found[0]!.kind !== item.kind;
    });
    const accuracy = 1 - wrong.length / labelled.length;
    expect(accuracy, `misclassified:\n${wrong.map((w) => `${w.kind}: ${w.text}`).join("\n")}`).toBeGreaterThanOrEqual(
      0.9,
    );
  });
});

describe("technique feedback", () => {
  it("finds requests without a question mark", () => {
    const { questions } = analyzeReply("Thanks for that. Walk me through what happens when a delivery is late.");
    expect(questions).toEqual([
      { text: "Walk me through what happens when a delivery is late.", kind: "open", leading: false },
    ]);
  });

  it("flags stacked questions", () => {
    const result = analyzeReply("How do you handle onboarding today? Who owns it? And is there budget?");
    expect(result.questions).toHaveLength(3);
    expect(result.stacked).toBe(true);
    expect(result.tips.join(" ")).toMatch(/3 questions in one breath/);
  });

  it("flags leading questions", () => {
    const result = analyzeReply("Wouldn't you agree that faster onboarding would help your team?");
    expect(result.leading).toHaveLength(1);
    expect(result.tips[0]).toMatch(/steers the buyer/);
  });

  it("notices a reply that talks more than it asks", () => {
    const result = analyzeReply(
      "We are the leading platform in this space with more than three hundred customers. Our onboarding takes two weeks and our support team answers in minutes. Does that sound good?",
    );
    expect(result.talksMoreThanAsks).toBe(true);
    expect(result.questions.map((q) => q.kind)).toEqual(["closed"]);
  });

  it("notices reflecting and summarizing", () => {
    const result = analyzeReply(
      "It sounds like the late shipments are costing you weekend overtime. So if I understand, the real issue is the handover? What happens at that handover today?",
    );
    expect(result.listening.length).toBeGreaterThanOrEqual(2);
    expect(result.questions.at(-1)!.kind).toBe("open");
  });

  it("gives two or three concrete tips", () => {
    for (const reply of [
      "Do you have budget?",
      "Tell me more about that.",
      "",
      "It sounds like timing matters. What's driving it?",
    ]) {
      const { tips } = analyzeReply(reply);
      expect(tips.length).toBeGreaterThanOrEqual(2);
      expect(tips.length).toBeLessThanOrEqual(3);
    }
  });
});

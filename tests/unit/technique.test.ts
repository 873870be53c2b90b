import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { analyzeReply, sentences } from "~/features/practice/technique";

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
    expect(result.tips.join(" ")).toMatch(/3 questions in one go/);
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
});

// Buyer turns and replies from the library's open role-plays (content/listening/06-roleplay-listening.mdx
// and content/prospecting/05-roleplay-cold-call.mdx), written as reps write them.
const INES_T1 =
  "Before we start, I should say it's been a rough month. The queue hit 40 minutes last Monday, two of my team leads have handed in their notice, and my boss keeps asking me why complaints are up.";
const INES_T3 =
  "Honestly, I'm not sure now is the right time. And your price is higher than the other two vendors we're talking to.";
const GREG_T1 = "Greg Tanaka. I've got about two minutes before a meeting. Who is this and what's it about?";
const GREG_T2 = "Look, just send me an e-mail and I'll take a look when I can.";

/** Every “quoted” stretch of a tip, which must come from the reply or the buyer's turn. */
const quoted = (tip: string) => [...tip.matchAll(/“([^”]+)”/g)].map((m) => m[1]!);
const normal = (text: string) => text.replace(/[’]/g, "'").replace(/\s+/g, " ").toLowerCase();

function expectGrounded(reply: string, buyer: string | undefined, tips: string[]) {
  for (const tip of tips)
    for (const quote of quoted(tip)) {
      const from = normal(quote.replace(/…$/, ""));
      expect(
        normal(reply).includes(from) || (buyer !== undefined && normal(buyer).includes(from)),
        `“${quote}” in “${tip}” is neither the rep's words nor the buyer's`,
      ).toBe(true);
    }
}

describe("technique tips come from the reply and the buyer's turn, or are not given", () => {
  const replies: Array<[string, string]> = [
    [
      INES_T1,
      "That sounds like a brutal month, with the queue at 40 minutes and two team leads leaving. What's weighing on you most?",
    ],
    [INES_T1, "I'm sorry to hear that. Our platform cuts queue times by a third. Shall I show you how?"],
    [INES_T3, "Which of those two matters more to you, the timing or the price?"],
    [INES_T3, "We're more expensive because we're better. Our routing is the best on the market."],
    [
      GREG_T1,
      "Hi Greg, it's Sam from Callsight. You've posted fifteen support roles this month. How are you getting new agents up to speed?",
    ],
    [GREG_T2, "Happy to. What would make it worth opening for you?"],
    [
      GREG_T2,
      "Sure, I can do that. We work with lots of support teams like yours. Our scoring covers every ticket and call. Team leads love it because they stop reading everything by hand. We also integrate with every help desk. Would Thursday work for a demo?",
    ],
  ];

  it("never quotes anything the rep did not write or the buyer did not say", () => {
    for (const [buyer, reply] of replies) expectGrounded(reply, buyer, analyzeReply(reply, buyer).tips);
  });

  it("never invents a fact: no overtime, delays or weekends that nobody mentioned", () => {
    for (const [buyer, reply] of replies)
      for (const tip of analyzeReply(reply, buyer).tips) expect(tip).not.toMatch(/overtime|delays|weekend/i);
  });

  it("never tells a two-sentence reply it talked a lot", () => {
    for (const [buyer, reply] of replies.filter(([, r]) => sentences(r).length <= 2)) {
      const result = analyzeReply(reply, buyer);
      expect(result.talksMoreThanAsks, reply).toBe(false);
      expect(result.tips.join(" "), reply).not.toMatch(/talked|talk a lot|explanation/i);
    }
    const twoLong = analyzeReply(
      "We are the leading platform in this space with more than three hundred customers and support teams in forty countries. Our onboarding takes two weeks and our support team answers every ticket in minutes, day or night.",
      INES_T1,
    );
    expect(twoLong.talksMoreThanAsks).toBe(false);
  });

  it("a pitch of several sentences before the question is told so, with its own numbers", () => {
    const [buyer, reply] = replies[6]!;
    const result = analyzeReply(reply, buyer);
    expect(result.talksMoreThanAsks).toBe(true);
    expect(result.tips.join(" ")).toMatch(/5 sentences \(\d+ words\) before your question/);
  });

  it("a reply that reflects the buyer's own words is not told to show it listened", () => {
    const [buyer, reply] = replies[0]!;
    const result = analyzeReply(reply, buyer);
    expect(result.listening.length).toBeGreaterThan(0);
    expect(result.tips.join(" ")).not.toMatch(/show you heard/i);
  });

  it("a reply that skips what the buyer said is pointed at the buyer's own words", () => {
    const [buyer, reply] = replies[1]!;
    const { tips } = analyzeReply(reply, buyer);
    const tip = tips.find((t) => /heard/.test(t));
    expect(tip).toBeDefined();
    expect(quoted(tip!).some((q) => normal(buyer).includes(normal(q)))).toBe(true);
  });

  it("a reply with no question says so, and names something the buyer said to ask about", () => {
    const { tips } = analyzeReply(
      "We're more expensive because we're better. Our routing is the best on the market.",
      INES_T3,
    );
    expect(tips[0]).toMatch(/^You didn't ask anything\./);
    expect(quoted(tips[0]!).length).toBeGreaterThan(0);
  });

  it("without the buyer's turn, no tip about what the buyer said", () => {
    const { tips } = analyzeReply("We're more expensive because we're better. Our routing is the best on the market.");
    expect(tips.join(" ")).not.toMatch(/heard|buyer said/i);
    expectGrounded(
      "We're more expensive because we're better. Our routing is the best on the market.",
      undefined,
      tips,
    );
  });

  it("a recorded reply with no text gets no tips", () => {
    expect(analyzeReply("", INES_T1).tips).toEqual([]);
  });

  it("a good reply may get no tip at all rather than a filler", () => {
    const [buyer, reply] = replies[2]!;
    // Asking which of two objections matters is the lesson's own advice: a choice, not a lazy closed question.
    expect(analyzeReply(reply, buyer).tips).toEqual([]);
    const reflected = analyzeReply(replies[0]![1], replies[0]![0]);
    expect(reflected.tips).toEqual([]);
  });

  it("a next step asked with a day and a time is not told it can be answered in a word", () => {
    const { tips } = analyzeReply(
      "That makes sense. Can we book twenty minutes on Thursday at 8:30 with your two team leads?",
      GREG_T2,
    );
    expect(tips.join(" ")).not.toMatch(/answered in a word/);
    expect(analyzeReply("Do you have budget for this?", INES_T3).tips.join(" ")).toMatch(
      /“Do you have budget for this\?” can be answered in a word/,
    );
  });
});

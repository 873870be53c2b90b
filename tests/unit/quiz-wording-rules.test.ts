// The quiz-wording rules item analysis keeps pointing at, each alone on a small lesson.
import { describe, expect, it } from "vitest";
import { parseLesson } from "~/features/content/analyze.server";
import { isJsx, lessonContext, type ExtractedQuestion } from "~/features/content/rules/context";
import { checkLengthCue } from "~/features/content/rules/length-cue";
import { extractQuiz } from "~/features/content/rules/quiz";
import { checkStemCues, unemphasizedNegatives, wordsOnlyTheAnswerRepeats } from "~/features/content/rules/stem-cues";

/** A lesson of quizzes, each `[prompt, [choice text, correct][]]`, analysed by extractQuiz. */
function lesson(quizzes: Array<[string, Array<[string, boolean]>]>) {
  const source = quizzes
    .map(
      ([prompt, choices], i) =>
        `<Quiz id="q${i + 1}" prompt="${prompt}">\n${choices.map(([text, right]) => `<Choice${right ? " correct" : ""} explanation="e">${text}</Choice>`).join("\n")}\n</Quiz>\n`,
    )
    .join("\n");
  const tree = parseLesson(source);
  const ctx = lessonContext("lesson.mdx");
  for (const node of tree.children) if (isJsx(node) && node.name === "Quiz") extractQuiz(node, ctx);
  return { tree, ctx };
}
const question = (prompt: string, choices: Array<[string, boolean]>): ExtractedQuestion => ({
  key: "q",
  kind: "single",
  prompt,
  position: 0,
  choices: choices.map(([text, correct], i) => ({ id: `c${i + 1}`, text, correct, explanation: "" })),
});

describe("quiz wording rules", () => {
  it("the length cue warns when the right answer is the longest in most single-answer quizzes", () => {
    // Longest and right in q1 and q2, not in q3: 2 of 3 is more than half.
    const { tree, ctx } = lesson([
      [
        "First?",
        [
          ["the long right answer", true],
          ["short", false],
        ],
      ],
      [
        "Second?",
        [
          ["the long right answer", true],
          ["short", false],
        ],
      ],
      [
        "Third?",
        [
          ["ok", true],
          ["a long wrong answer", false],
        ],
      ],
    ]);
    checkLengthCue(tree, ctx);
    expect(ctx.result.warnings).toEqual([]);
    expect(ctx.result.advice.map((w) => [w.line, w.message])).toEqual([
      [
        1,
        expect.stringMatching(
          /^In 2 of this lesson's 3 single-answer quizzes the correct choice is the longest \(q1, q2\)/,
        ),
      ],
    ]);
    // One of two is not "most".
    const half = lesson([
      [
        "First?",
        [
          ["the long right answer", true],
          ["short", false],
        ],
      ],
      [
        "Third?",
        [
          ["ok", true],
          ["a long wrong answer", false],
        ],
      ],
    ]);
    checkLengthCue(half.tree, half.ctx);
    expect(half.ctx.result.advice).toEqual([]);
  });

  it("“all/none of the above” stays an error, not advice", () => {
    const { ctx } = lesson([
      [
        "Which opener works?",
        [
          ["None of the above", true],
          ["A pitch", false],
        ],
      ],
    ]);
    expect(ctx.errors.map((e) => e.message)).toEqual([
      "Quiz “q1” uses “None of the above”. Write a real option instead of “all/none of the above”.",
    ]);
    expect(ctx.result.advice).toEqual([]);
  });

  it("a negative prompt is advised to be written in capitals; quoted speech and capitals pass", () => {
    expect(unemphasizedNegatives("Which of these is not a buying signal?")).toEqual(["not"]);
    expect(unemphasizedNegatives("Which of these is NOT a buying signal?")).toEqual([]);
    expect(unemphasizedNegatives("The buyer says “we never sign in Q4”. What next?")).toEqual([]);
    expect(unemphasizedNegatives("All of these help, Except which one?")).toEqual(["Except"]);
    const { tree, ctx } = lesson([
      [
        "Which is not a good opener?",
        [
          ["A question", true],
          ["A pitch", false],
        ],
      ],
    ]);
    checkStemCues(tree, ctx);
    expect(ctx.result.advice.map((a) => a.message)).toEqual([
      "Quiz “q1” asks with “not”, which a rep reading fast misses. Write it in capitals (NOT), or ask the question the positive way.",
    ]);
    // Advice, not a warning or an error: the lesson passes every check.
    expect(ctx.result.warnings).toEqual([]);
    expect(ctx.errors).toEqual([]);
  });

  it("a right choice that alone repeats the prompt's words is advised against", () => {
    // "budget" is in the prompt and only the right choice: a rep can match words.
    expect(
      wordsOnlyTheAnswerRepeats(
        question("The buyer mentions their budget review. What do you ask?", [
          ["When does the budget review close?", true],
          ["Can I send a deck?", false],
        ]),
      ),
    ).toEqual(["budget", "review"]);
    // A wrong choice repeating them too gives nothing away.
    expect(
      wordsOnlyTheAnswerRepeats(
        question("The buyer mentions their budget review. What do you ask?", [
          ["When does the budget review close?", true],
          ["Shall I cut the price before the budget review?", false],
        ]),
      ),
    ).toEqual([]);
    // Nothing repeated: nothing to say; multiple-answer questions are left alone.
    expect(
      wordsOnlyTheAnswerRepeats(
        question("Pick one.", [
          ["Listen first", true],
          ["Pitch", false],
        ]),
      ),
    ).toEqual([]);
    expect(
      wordsOnlyTheAnswerRepeats({
        ...question("Budget?", [
          ["budget", true],
          ["other", false],
        ]),
        kind: "multiple",
      }),
    ).toEqual([]);
    const { tree, ctx } = lesson([
      [
        "Their budget review is next week. What now?",
        [
          ["Ask about the budget review", true],
          ["Send a deck", false],
        ],
      ],
    ]);
    checkStemCues(tree, ctx);
    expect(ctx.result.advice.map((a) => [a.line, a.message])).toEqual([
      [1, expect.stringMatching(/^In quiz “q1” only the right choice repeats the prompt's words \(budget, review\)/)],
    ]);
  });
});

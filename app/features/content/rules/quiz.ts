// Rule: a <Quiz> has a unique slug id, 2 to 6 <Choice>s with the right number of correct ones,
// and real options; its question and answer key are extracted for the database.
import type { StoredChoice } from "~/db/schema";
import { checkElement } from "./components";
import { checkId } from "./ids";
import { attr, isJsx, text, words, type AnyNode, type JsxElement, type LessonContext } from "./context";

export function extractQuiz(quiz: JsxElement, ctx: LessonContext): void {
  const key = attr(quiz, "id") ?? "";
  const prompt = attr(quiz, "prompt") ?? "";
  const kind = attr(quiz, "multiple") === null ? "multiple" : "single";
  checkId(quiz, "Quiz", key, "timing-question", ctx);
  if (key && ctx.questionKeys.has(key))
    ctx.report(quiz, `Another quiz in this lesson already has id="${key}". Give each quiz its own id.`);
  ctx.questionKeys.add(key);
  const choices = quizChoices(quiz, ctx);
  checkChoices(quiz, key, kind, choices, ctx);
  // A rep reads the prompt and every choice, and after answering every explanation.
  ctx.readWords += words(prompt) + choices.reduce((n, c) => n + words(c.text) + words(c.explanation), 0);
  ctx.result.questions.push({ key, kind, prompt, choices, position: ctx.result.questions.length });
}

/** The <Choice>s, numbered c1, c2… as the compiler numbers them; anything else inside is refused. */
function quizChoices(quiz: JsxElement, ctx: LessonContext): StoredChoice[] {
  const choices: StoredChoice[] = [];
  for (const child of quiz.children as AnyNode[]) {
    const inner = child.type === "paragraph" ? (child.children as AnyNode[]) : [child];
    for (const node of inner) {
      if (isJsx(node)) {
        if (node.name !== "Choice") {
          ctx.report(node, `Only <Choice> elements belong inside <Quiz>; <${node.name}> does not.`);
          continue;
        }
        checkElement(node, ["Quiz"], ctx);
        for (const grandchild of node.children as AnyNode[]) ctx.checkNested(grandchild);
        choices.push({
          id: `c${choices.length + 1}`,
          text: text(node).trim(),
          correct: attr(node, "correct") === null,
          explanation: attr(node, "explanation") ?? "",
        });
      } else if (node.type === "text" && node.value.trim() === "") {
        continue;
      } else {
        ctx.checkNested(node);
        if (text(node).trim())
          ctx.report(
            node,
            'Put the question in the quiz\'s prompt="…" and each answer in a <Choice>; loose text inside <Quiz> is not shown.',
          );
      }
    }
  }
  return choices;
}

function checkChoices(
  quiz: JsxElement,
  key: string,
  kind: "single" | "multiple",
  choices: StoredChoice[],
  ctx: LessonContext,
): void {
  if (choices.length < 2 || choices.length > 6)
    ctx.report(quiz, `Quiz “${key}” has ${choices.length} choice(s); give it 2 to 6.`);
  const correct = choices.filter((c) => c.correct).length;
  if (kind === "single" && correct !== 1)
    ctx.report(
      quiz,
      `Quiz “${key}” has ${correct} correct choices. A single-answer quiz has exactly one; add \`multiple\` to the Quiz if several are right.`,
    );
  if (kind === "multiple" && correct < 2)
    ctx.report(
      quiz,
      `Quiz “${key}” is multiple-answer but has ${correct} correct choice(s); mark at least two, or remove \`multiple\`.`,
    );
  for (const [i, choice] of choices.entries()) {
    if (!choice.text) ctx.report(quiz, `Choice ${i + 1} of quiz “${key}” has no text.`);
    if (/\b(all|none) of the above\b/i.test(choice.text))
      ctx.report(quiz, `Quiz “${key}” uses “${choice.text}”. Write a real option instead of “all/none of the above”.`);
  }
}

// Rule: the right answer is not given away by its length. When the correct choice is the longest
// in most of a lesson's single-answer quizzes, a rep learns to pick the longest answer instead of
// thinking; so it may be the longest (by characters) in at most half of them.
import type { Root } from "mdast";
import { attr, isJsx, type AnyNode, type ExtractedQuestion, type LessonContext } from "./context";

/** True when the single-answer question's correct choice is longer than every other choice. */
export function correctIsLongest(question: ExtractedQuestion): boolean {
  const right = question.choices.find((c) => c.correct);
  if (question.kind !== "single" || !right) return false;
  return question.choices.every((c) => c === right || c.text.length < right.text.length);
}

export function checkLengthCue(tree: Root, ctx: LessonContext): void {
  const single = ctx.result.questions.filter((q) => q.kind === "single");
  const cued = single.filter(correctIsLongest);
  if (cued.length * 2 <= single.length) return;
  const allowed = Math.floor(single.length / 2);
  ctx.advise(
    quizNode(tree, cued[0]!.key),
    `In ${cued.length} of this lesson's ${single.length} single-answer quizzes the correct choice is the longest (${cued.map((q) => q.key).join(", ")}), so picking the longest answer passes. Let it be the longest in at most ${allowed}: tighten the right answer, or write wrong ones as full as a real rep's mistake.`,
  );
}

/** The <Quiz> with the given id, to report a finding at its line. */
export function quizNode(node: AnyNode, key: string): AnyNode | undefined {
  if (isJsx(node) && node.name === "Quiz" && attr(node, "id") === key) return node;
  if ("children" in node)
    for (const child of node.children as AnyNode[]) {
      const found = quizNode(child, key);
      if (found) return found;
    }
  return undefined;
}

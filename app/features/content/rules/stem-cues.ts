// Rules: a quiz's wording gives nothing away and hides nothing. A negative in the prompt ("Which
// is NOT…") is read past by a rep in a hurry unless it stands out; and a right answer that
// alone repeats the prompt's words can be picked by matching words instead of knowing. Both are
// advice, never failures: a lesson with them still works, and a scenario's quoted words or a
// shared term can trip them without harm (decision 037).
import type { Root } from "mdast";
import { quizNode } from "./length-cue";
import type { ExtractedQuestion, LessonContext } from "./context";

const NEGATIVES = /\b(not|except|never|none|least|false)\b/gi;
// What someone in the scenario says (“…” or "…") is their wording, not the question's.
const QUOTED = /“[^”]*”|"[^"]*"/g;

/**
 * The question's negative words that are not written in capitals (the prompt is plain text, so
 * capitals are its emphasis), quoted speech left out.
 */
export function unemphasizedNegatives(prompt: string): string[] {
  return [...prompt.replace(QUOTED, " ").matchAll(NEGATIVES)]
    .map((m) => m[0])
    .filter((word) => word !== word.toUpperCase());
}

// Words too common to give an answer away.
const COMMON = new Set(
  "about after again also because been before being could does doing each from have having into more most much other over same should some such than that their them then there these they this those through under very what when where which while will with would your".split(
    " ",
  ),
);

/** A text's content words (five letters or more, not common ones), lower-cased, a plural -s dropped. */
function contentWords(text: string): Set<string> {
  return new Set(
    (text.toLowerCase().match(/\b[a-z][a-z-]{4,}\b(?!')/g) ?? [])
      .filter((w) => !COMMON.has(w))
      .map((w) => w.replace(/(?<!s)s$/, "")),
  );
}

/** The prompt's words that the single-answer question's right choice repeats and no wrong choice does. */
export function wordsOnlyTheAnswerRepeats(question: ExtractedQuestion): string[] {
  const right = question.choices.find((c) => c.correct);
  if (question.kind !== "single" || !right) return [];
  const stem = contentWords(question.prompt);
  const inWrong = new Set(question.choices.filter((c) => !c.correct).flatMap((c) => [...contentWords(c.text)]));
  const echoed = [...contentWords(right.text)].filter((w) => stem.has(w));
  return echoed.length && echoed.every((w) => !inWrong.has(w)) && ![...inWrong].some((w) => stem.has(w)) ? echoed : [];
}

export function checkStemCues(tree: Root, ctx: LessonContext): void {
  for (const question of ctx.result.questions) {
    const negatives = unemphasizedNegatives(question.prompt);
    if (negatives.length)
      ctx.advise(
        quizNode(tree, question.key),
        `Quiz “${question.key}” asks with “${negatives[0]}”, which a rep reading fast misses. Write it in capitals (${negatives[0]!.toUpperCase()}), or ask the question the positive way.`,
      );
    const echoed = wordsOnlyTheAnswerRepeats(question);
    if (echoed.length)
      ctx.advise(
        quizNode(tree, question.key),
        `In quiz “${question.key}” only the right choice repeats the prompt's words (${echoed.join(", ")}), so matching words finds it. Reword it, or let a wrong choice use them too.`,
      );
  }
}

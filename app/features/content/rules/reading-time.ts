// Rule: a lesson takes MAX_READING_MINUTES or less, by an honest estimate of everything a rep
// reads: the prose and code blocks, every quiz prompt, choice and explanation (a rep reads the
// explanations after answering), and each role-play's setting and longest path with its replies
// and feedback, plus thinking time for every turn of an open role-play. The counts come from the
// other rules; the estimate is the analysis's `readingMinutes`, which `minutes` must cover.
import type { Root } from "mdast";
import { words, type LessonContext } from "./context";

// Adults read non-fiction silently at about 238 words a minute (Brysbaert, 2019).
export const READING_WORDS_PER_MINUTE = 238;
/** What a rep needs to think before answering one buyer turn of an open role-play in two or three sentences. */
export const OPEN_TURN_THINKING_SECONDS = 30;
export const MAX_READING_MINUTES = 7;

/** Code is read symbol by symbol: it counts as its words or one word per six characters, whichever is more. */
export function codeReadingWords(code: string): number {
  return Math.max(words(code), Math.ceil(code.length / 6));
}

/** Whole minutes, rounded up: reading `readWords` at 238 a minute, and thinking over `openTurns`. */
export function estimatedMinutes(readWords: number, openTurns: number): number {
  const seconds = (readWords * 60) / READING_WORDS_PER_MINUTE + openTurns * OPEN_TURN_THINKING_SECONDS;
  return Math.ceil(seconds / 60);
}

export function checkReadingTime(tree: Root, ctx: LessonContext): void {
  const { result } = ctx;
  result.bodyText = ctx.prose.join(" ").replace(/\s+/g, " ").trim();
  result.wordCount = words(result.bodyText);
  result.readingWords = ctx.readWords;
  result.readingMinutes = estimatedMinutes(ctx.readWords, ctx.openTurns);
  if (result.readingMinutes > MAX_READING_MINUTES) {
    ctx.report(
      tree.children[0],
      `The lesson takes about ${result.readingMinutes} minutes to read and work through (${describeEstimate(ctx)}); keep it to ${MAX_READING_MINUTES} minutes or split it into two lessons.`,
    );
  }
}

/** “1,234 words to read, and 4 open turns to think over”: what the estimate was made of. */
export function describeEstimate(ctx: LessonContext): string {
  const read = `${ctx.readWords.toLocaleString("en-US")} words to read, explanations and feedback included`;
  return ctx.openTurns ? `${read}, and ${ctx.openTurns} open role-play turns to think over` : read;
}

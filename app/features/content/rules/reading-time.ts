// Rule: a lesson reads in MAX_READING_MINUTES or less, counting its prose, quiz prompts and
// choices, code blocks and the longest path through each role-play (the counts come from the
// other rules).
import type { Root } from "mdast";
import { words, type LessonContext } from "./context";

// Adults read non-fiction silently at about 238 words a minute (Brysbaert, 2019).
export const READING_WORDS_PER_MINUTE = 238;
export const MAX_READING_MINUTES = 7;

/** Code is read symbol by symbol: it counts as its words or one word per six characters, whichever is more. */
export function codeReadingWords(code: string): number {
  return Math.max(words(code), Math.ceil(code.length / 6));
}

export function checkReadingTime(tree: Root, ctx: LessonContext): void {
  const { result } = ctx;
  result.bodyText = ctx.prose.join(" ").replace(/\s+/g, " ").trim();
  result.wordCount = words(result.bodyText);
  result.readingMinutes = Math.ceil(ctx.readWords / READING_WORDS_PER_MINUTE);
  if (result.readingMinutes > MAX_READING_MINUTES) {
    ctx.report(
      tree.children[0],
      `The lesson takes about ${result.readingMinutes} minutes to read (${ctx.readWords} words); keep it to ${MAX_READING_MINUTES} minutes or split it into two lessons.`,
    );
  }
}

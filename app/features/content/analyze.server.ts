// Reads one lesson's MDX: enforces the safe subset and the lesson kit's rules, and extracts
// what the database keeps (questions with their keys, role-plays, key points, search text).
// Every problem is reported with its line and column and what to write instead; nothing is
// silently dropped. Each rule lives in ./rules; this module parses the lesson and walks its
// tree, handing each node to the rules that concern it.
import type { Root } from "mdast";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { checkElement } from "./rules/components";
import {
  attr,
  isJsx,
  lessonContext,
  words,
  type AnalyzedLesson,
  type AnyNode,
  type LessonContext,
} from "./rules/context";
import { checkEmailSpelling } from "./rules/email-spelling";
import { checkFrontmatter } from "./rules/frontmatter";
import { checkSectionHeadings } from "./rules/headings";
import { extractKeyPoints, requireKeyPoint } from "./rules/key-points";
import { checkLengthCue } from "./rules/length-cue";
import { checkSourceLimits, checkTreeDepth } from "./rules/limits";
import { checkMinutes } from "./rules/minutes";
import { notePersona } from "./rules/persona-names";
import { extractQuiz } from "./rules/quiz";
import { checkReadingTime, codeReadingWords } from "./rules/reading-time";
import { extractRolePlay } from "./rules/roleplay";
import { checkRoleplayTitle } from "./rules/roleplay-title";
import { checkLink, linkDefinitions, refuseCode } from "./rules/safe-subset";
import { checkStageCount } from "./rules/stages";
import { checkStemCues } from "./rules/stem-cues";
import { lessonMediaOrigins } from "./media-origins.server";

export type {
  AnalyzedLesson,
  ContentError,
  ExtractedQuestion,
  ExtractedRolePlay,
  LessonContext,
  LessonPersona,
} from "./rules/context";
export { componentChildren } from "./rules/context";
export { checkPersonaNames } from "./rules/persona-names";
export { MAX_READING_MINUTES, READING_WORDS_PER_MINUTE } from "./rules/reading-time";
export { isAllowedMediaUrl, isSafeUrl, linkDefinitions, urlScheme } from "./rules/safe-subset";

const parser = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter).use(remarkGfm);

export function parseLesson(source: string): Root {
  return parser.parse(source);
}

/**
 * `mediaOrigins`: where media may load from besides Flywheel itself (LESSON_MEDIA_ORIGINS by
 * default). `builtIn`: the lesson belongs to the built-in library, which keeps to 5 minutes.
 */
export function analyzeLesson(
  file: string,
  source: string,
  {
    mediaOrigins = lessonMediaOrigins(),
    builtIn = false,
  }: { mediaOrigins?: readonly string[]; builtIn?: boolean } = {},
): AnalyzedLesson {
  const ctx = lessonContext(file, (node) => walk(node, ["(inline)"], false, ctx), mediaOrigins, builtIn);
  if (!checkSourceLimits(source, ctx)) return ctx.result;

  let tree: Root;
  try {
    tree = parseLesson(source);
  } catch (error) {
    const place = error as { line?: number; column?: number; reason?: string; message?: string };
    ctx.errors.push({
      file,
      line: place.line ?? 1,
      column: place.column ?? 1,
      message: `This is not valid MDX: ${place.reason ?? place.message}. Check for an unclosed tag, a stray “<” (write &lt;) or a “{” (write \\{).`,
    });
    return ctx.result;
  }
  if (!checkTreeDepth(tree, ctx)) return ctx.result;
  ctx.definitions = linkDefinitions(tree);

  try {
    checkFrontmatter(tree, ctx);
    for (const child of tree.children) walk(child, [], true, ctx);
    checkReadingTime(tree, ctx);
    requireKeyPoint(tree, ctx);
    // The library's conventions: warnings, which content:check treats as failures for content/.
    checkSectionHeadings(tree, ctx);
    // Quiz-writing advice (the length cue, the stem cues): printed, never a failure (decision 037).
    checkLengthCue(tree, ctx);
    checkStemCues(tree, ctx);
    checkMinutes(tree, ctx);
    checkStageCount(tree, ctx);
    checkEmailSpelling(tree, ctx);
  } catch (error) {
    // A rule that fails is a bug in the checker, but it must fail this lesson only: the library
    // check, content sync and start-up carry on with the other lessons.
    ctx.report(
      undefined,
      `The checker could not read this lesson (${(error as Error).message}). Please report it; the lesson is skipped.`,
    );
  }
  return ctx.result;
}

/**
 * Hands every node to the rules that concern it. `parents` are the enclosing components' names;
 * `counted` is false inside content whose words a rule counts itself.
 */
function walk(node: AnyNode, parents: string[], counted: boolean, ctx: LessonContext): void {
  if (refuseCode(node, ctx)) return;
  checkLink(node, ctx);

  if (isJsx(node)) {
    if (!checkElement(node, parents, ctx)) return;
    if (node.name === "Quiz") return extractQuiz(node, ctx);
    if (node.name === "RolePlay") {
      checkRoleplayTitle(node, ctx);
      return extractRolePlay(node, ctx);
    }
    if (node.name === "KeyPoint") extractKeyPoints(node, ctx);
    if (node.name === "Buyer" || node.name === "Rep") notePersona(node, attr(node, "name"), ctx);
  } else if (counted && (node.type === "text" || node.type === "inlineCode")) {
    ctx.prose.push(node.value);
    ctx.readWords += words(node.value);
  } else if (counted && node.type === "code") {
    ctx.prose.push(node.value);
    ctx.readWords += codeReadingWords(node.value);
  }

  if ("children" in node) {
    const nextParents = isJsx(node) ? [...parents, node.name!] : parents;
    for (const child of node.children as AnyNode[]) walk(child, nextParents, counted, ctx);
  }
}

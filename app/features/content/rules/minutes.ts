// Rule: a lesson's `minutes` is honest. It is at least the estimate (see reading-time.ts), and a
// lesson of the built-in library takes 5 minutes or less: a rep between two calls has no more.
import type { Root } from "mdast";
import type { LessonContext } from "./context";
import { describeEstimate } from "./reading-time";

export const MAX_LIBRARY_MINUTES = 5;

export function checkMinutes(tree: Root, ctx: LessonContext): void {
  const frontmatter = ctx.result.frontmatter;
  const yamlNode = tree.children.find((n) => n.type === "yaml");
  const estimate = ctx.result.readingMinutes;
  if (frontmatter && frontmatter.minutes < estimate)
    ctx.warn(
      yamlNode,
      `minutes: ${frontmatter.minutes} is less than the lesson takes: about ${estimate} (${describeEstimate(ctx)}). Write minutes: ${estimate}, or shorten the lesson.`,
    );
  if (ctx.builtIn && estimate > MAX_LIBRARY_MINUTES)
    ctx.warn(
      yamlNode,
      `A lesson of the built-in library takes ${MAX_LIBRARY_MINUTES} minutes or less; this one takes about ${estimate} (${describeEstimate(ctx)}). Trim it or split it in two; don't relabel it.`,
    );
}

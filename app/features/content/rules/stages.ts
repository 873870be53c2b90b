// Rule: a lesson names the one or two stages of the deal where a rep would use it tomorrow. Call
// prep picks lessons by stage; a lesson tagged with five stages crowds out the ones written for
// that moment.
import type { Root } from "mdast";
import type { LessonContext } from "./context";

export const MAX_STAGES = 2;

export function checkStageCount(tree: Root, ctx: LessonContext): void {
  const stages = ctx.result.frontmatter?.stages ?? [];
  if (stages.length > MAX_STAGES)
    ctx.warn(
      tree.children.find((n) => n.type === "yaml"),
      `The lesson lists ${stages.length} stages (${stages.join(", ")}). Keep the one or two where a rep would use it tomorrow, the main one first: call prep shows lessons by stage.`,
    );
}

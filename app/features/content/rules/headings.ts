// Rule: every lesson that teaches (any lesson without a role-play) has the same three sections,
// so a rep knows where to look on a phone between calls: the scenario the lesson is built on,
// the mistakes reps make, and what to say tomorrow. Other headings are free.
import type { Root } from "mdast";
import { text, type AnyNode, type LessonContext } from "./context";

export const REQUIRED_HEADINGS = ["The scenario", "Mistakes reps make", "Say this tomorrow"] as const;

export function checkSectionHeadings(tree: Root, ctx: LessonContext): void {
  if (ctx.result.roleplays.length > 0) return;
  const present = new Set(
    (tree.children as AnyNode[])
      .filter((n) => n.type === "heading" && n.depth === 2)
      .map((n) => text(n).replace(/\s+/g, " ").trim()),
  );
  const missing = REQUIRED_HEADINGS.filter((h) => !present.has(h));
  if (missing.length)
    ctx.warn(
      tree.children.find((n) => n.type !== "yaml") ?? tree.children[0],
      `Add the section heading${missing.length > 1 ? "s" : ""} ${missing.map((h) => `“## ${h}”`).join(", ")}: every lesson without a role-play has “## The scenario”, “## Mistakes reps make” and “## Say this tomorrow”, written exactly so.`,
    );
}

// Rule: a lesson ends with a <KeyPoint> summary; its points are extracted for reinforcement.
import type { Root } from "mdast";
import type { AnyNode, JsxElement, LessonContext } from "./context";
import { text } from "./context";

export function extractKeyPoints(node: JsxElement, ctx: LessonContext): void {
  for (const child of node.children as AnyNode[]) {
    if (child.type === "list") for (const item of child.children) ctx.result.keyPoints.push(text(item).trim());
    else if (child.type === "paragraph") ctx.result.keyPoints.push(text(child).trim());
  }
}

export function requireKeyPoint(tree: Root, ctx: LessonContext): void {
  if (ctx.result.keyPoints.length === 0)
    ctx.report(tree.children[0], "Every lesson ends with a <KeyPoint> summary of what to remember.");
}

// Rule: one spelling, “e-mail”, in everything a rep reads: prose, headings, quiz and role-play
// text, dialogue names and the lesson's title, summary and objective. The interface spells it the
// same way. Code, URLs and ids are not prose and are left alone.
import type { Root } from "mdast";
import { isJsx, type AnyNode, type LessonContext } from "./context";

const WRONG_SPELLING = /\bemail(?:s|ed|ing)?\b/i;
/** Attributes that are addresses, ids or numbers, not text a rep reads. */
const NOT_PROSE = new Set(["id", "next", "src", "captions", "poster", "kind", "mode", "points", "weight", "score"]);

export function misspelledEmail(value: string): string | undefined {
  return WRONG_SPELLING.exec(value)?.[0];
}

export function checkEmailSpelling(tree: Root, ctx: LessonContext): void {
  const flag = (node: AnyNode | undefined, value: string, where: string) => {
    const word = misspelledEmail(value);
    if (word)
      ctx.warn(
        node,
        `Write “e-mail” rather than “${word}” ${where}: the library and the app spell it one way (content/README.md, One voice).`,
      );
  };
  const frontmatter = ctx.result.frontmatter;
  if (frontmatter) {
    const yamlNode = tree.children.find((n) => n.type === "yaml");
    for (const field of ["title", "summary", "objective"] as const)
      flag(yamlNode, frontmatter[field], `in the frontmatter's ${field}`);
  }
  const visit = (node: AnyNode) => {
    if (node.type === "text") flag(node, node.value, "in the text");
    if (isJsx(node))
      for (const a of node.attributes)
        if (a.type === "mdxJsxAttribute" && typeof a.value === "string" && !NOT_PROSE.has(a.name))
          flag(node, a.value, `in ${a.name}="…" of <${node.name}>`);
    if ("children" in node) for (const child of node.children as AnyNode[]) visit(child);
  };
  visit(tree);
}

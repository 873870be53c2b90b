// Rules that bound how much work one lesson file can cause. The Markdown parser's cost grows
// faster than the file where things nest: mdast-util-from-markdown's prepareList re-reads every
// event of a list once per enclosing list (cubic in depth for an indented list), and nested
// emphasis and nested components are quadratic or worse in micromark. Those limits are checked
// on the source, in one linear pass, before the parser sees it; the tree's depth is checked
// before any rule recurses into it.
import type { Root } from "mdast";
import type { AnyNode, LessonContext } from "./context";

/** Five times the largest lesson in the library; 7 minutes of reading is about 10 KB. */
export const MAX_LESSON_BYTES = 64 * 1024;
/** Lists and quotes inside one another, on one line. */
export const MAX_CONTAINER_NESTING = 16;
/** Components (`<Name …>`) in one lesson; a full role-play uses about 60. */
export const MAX_COMPONENTS = 400;
/** Emphasis and link delimiters (`*`, `_`, `[`) in one paragraph. */
export const MAX_DELIMITERS_PER_PARAGRAPH = 200;
/** Depth of the parsed tree: a role-play's rubric level is 7 deep, a four-level list 10. */
export const MAX_TREE_DEPTH = 48;

const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)/;

/** Lists and quotes a line opens or continues: its markers, plus two columns of indent per level. */
export function lineNesting(line: string): number {
  let indent = 0;
  let i = 0;
  for (; i < line.length && (line[i] === " " || line[i] === "\t"); i++) indent += line[i] === "\t" ? 4 : 1;
  let markers = 0;
  for (;;) {
    while (line[i] === " " || line[i] === "\t") i++;
    if (line[i] === ">") {
      markers++;
      i++;
      continue;
    }
    const marker = LIST_MARKER.exec(line.slice(i, i + 11));
    if (!marker) break;
    markers++;
    i += marker[0].length;
  }
  return markers + Math.floor(indent / 2);
}

/** Checked before parsing; false when the source must not be parsed at all. */
export function checkSourceLimits(source: string, ctx: LessonContext): boolean {
  const bytes = Buffer.byteLength(source, "utf8");
  if (bytes > MAX_LESSON_BYTES) {
    ctx.report(
      undefined,
      `The lesson file is ${Math.ceil(bytes / 1024)} KB; a lesson may be at most ${MAX_LESSON_BYTES / 1024} KB. Split it into two lessons, and put large media in files linked from Video or Audio.`,
    );
    return false;
  }
  let ok = true;
  let components = 0;
  let delimiters = 0;
  let paragraphStart = 1;
  const lines = source.split(/\r\n|\r|\n/);
  for (const [index, line] of lines.entries()) {
    const at = { position: { start: { line: index + 1, column: 1 } } };
    if (line.trim() === "") {
      delimiters = 0;
      paragraphStart = index + 2;
      continue;
    }
    const nesting = lineNesting(line);
    if (nesting > MAX_CONTAINER_NESTING) {
      ctx.report(
        at,
        `Lists or quotes are nested about ${nesting} levels deep here; keep nesting to ${MAX_CONTAINER_NESTING} levels or fewer.`,
      );
      return false;
    }
    for (let i = 0; i < line.length; i++) {
      const c = line[i];
      if (c === "*" || c === "_" || c === "[") delimiters++;
      else if (c === "<" && /[A-Za-z]/.test(line[i + 1] ?? "")) components++;
    }
    if (ok && delimiters > MAX_DELIMITERS_PER_PARAGRAPH) {
      ctx.report(
        { position: { start: { line: paragraphStart, column: 1 } } },
        `This paragraph has more than ${MAX_DELIMITERS_PER_PARAGRAPH} emphasis or link marks (*, _, [); split it, or escape literal ones as \\* \\_ \\[.`,
      );
      ok = false;
    }
    if (ok && components > MAX_COMPONENTS) {
      ctx.report(
        at,
        `The lesson uses more than ${MAX_COMPONENTS} components; split it into two lessons (write &lt; for a literal “<”).`,
      );
      ok = false;
    }
  }
  return ok;
}

/** Checked after parsing, without recursion; false when the tree is too deep to walk. */
export function checkTreeDepth(tree: Root, ctx: LessonContext): boolean {
  const stack: Array<[AnyNode, number]> = [[tree, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) {
      ctx.report(
        node,
        `Elements are nested more than ${MAX_TREE_DEPTH} levels deep here (components, lists or emphasis inside one another); flatten the structure.`,
      );
      return false;
    }
    if ("children" in node) for (const child of node.children as AnyNode[]) stack.push([child, depth + 1]);
  }
  return true;
}

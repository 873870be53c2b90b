// Rules: nothing in a lesson runs code — no import/export, no {expressions}, no raw HTML — and
// every link and image uses a safe scheme. Internal links are collected for the library check.
import type { AnyNode, LessonContext } from "./context";

/** Lower-cased, with the characters browsers ignore inside URLs removed, so `JaVa\tScript:` is caught. */
export function urlScheme(url: string): string | null {
  // Browsers drop ASCII tab and newlines anywhere in a URL, and leading C0 controls and spaces.
  // The class keeps printable ASCII and everything above DEL, so controls, space and DEL go.
  const cleaned = url.replace(/[^\x21-\x7e\u0080-\uffff]/g, "").toLowerCase();
  const match = /^([a-z][a-z0-9+.-]*):/.exec(cleaned);
  return match ? match[1]! : null;
}

export function isSafeUrl(url: string): boolean {
  const scheme = urlScheme(url);
  return scheme === null || scheme === "http" || scheme === "https" || scheme === "mailto";
}

/** Reports code in any form; true when the node was code (and must not be looked into). */
export function refuseCode(node: AnyNode, ctx: LessonContext): boolean {
  switch (node.type) {
    case "mdxjsEsm":
      ctx.report(
        node,
        "`import` and `export` are not allowed in lessons: they run code. Use the lesson-kit components, which need no import.",
      );
      return true;
    case "mdxFlowExpression":
    case "mdxTextExpression":
      ctx.report(
        node,
        "Curly braces `{…}` are code in MDX and are not allowed. Write the text itself, or escape a literal brace as `\\{`.",
      );
      return true;
    case "html":
      ctx.report(node, "Raw HTML is not allowed in lessons. Use Markdown or a lesson-kit component.");
      return true;
    default:
      return false;
  }
}

/** Links, images and link definitions: a safe scheme, and internal links remembered. */
export function checkLink(node: AnyNode, ctx: LessonContext): void {
  if (node.type !== "link" && node.type !== "image" && node.type !== "definition") return;
  if (!isSafeUrl(node.url)) {
    ctx.report(
      node,
      `The link “${node.url}” uses the scheme “${urlScheme(node.url)}:”, which lessons may not use. Use an https:// address, a mailto: address or a path such as /learn/questioning/open-and-closed.`,
    );
  } else if (node.url.startsWith("/learn/")) {
    ctx.result.internalLinks.push({
      url: node.url,
      line: node.position?.start.line ?? 1,
      column: node.position?.start.column ?? 1,
    });
  }
}

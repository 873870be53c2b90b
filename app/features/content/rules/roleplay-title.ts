// Rule: a role-play is titled with the buyer's own words in typographic quotes, such as
// “Twelve percent from every vendor”, so a rep recognises the moment it rehearses.
import type { JsxElement, LessonContext } from "./context";
import { attr } from "./context";

export function checkRoleplayTitle(node: JsxElement, ctx: LessonContext): void {
  const title = (attr(node, "title") ?? "").trim();
  if (title && !/^“[^“”]+”$/.test(title))
    ctx.warn(
      node,
      `Title the role-play with the buyer's own words in typographic quotes, like title="“Twelve percent from every vendor”"; “${title}” is not in that form.`,
    );
}

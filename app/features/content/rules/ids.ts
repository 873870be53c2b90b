// Rule: every id a lesson gives (quizzes, role-plays, turns, criteria) is a short slug. Ids
// become database keys, form field names and keys of objects on the server and in the browser,
// so none may be a name every object already has (`__proto__` is not a slug; `constructor` is
// refused by name).
import { SLUG } from "../frontmatter";
import type { JsxElement, LessonContext } from "./context";

export const MAX_ID_LENGTH = 64;

export function isSafeId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && SLUG.test(id) && !(id in Object.prototype);
}

/** Reports an unsafe id; `example` is shown as what to write instead. */
export function checkId(node: JsxElement, what: string, id: string, example: string, ctx: LessonContext): void {
  if (!id || isSafeId(id)) return;
  if (id in Object.prototype)
    ctx.report(node, `${what} id “${id}” is a reserved word; choose another, like id="${example}".`);
  else
    ctx.report(
      node,
      `${what} id “${id}” must be lower-case words joined by hyphens, at most ${MAX_ID_LENGTH} characters, like id="${example}".`,
    );
}

// Rules: every component is on the lesson kit's allow-list, sits where the kit says, and carries
// only the kit's attributes, each a literal of the right kind.
import type { MdxJsxAttribute, MdxJsxExpressionAttribute } from "mdast-util-mdx-jsx";
import { kitAttribute, kitComponent, LESSON_KIT } from "~/lesson-kit/allow-list";
import { attr, type JsxElement, type LessonContext } from "./context";
import { mediaUrlProblem } from "./safe-subset";

/** Checks the component's name, place and attributes; false when it must not be looked into. */
export function checkElement(node: JsxElement, parents: string[], ctx: LessonContext): boolean {
  const name = node.name;
  if (!name) {
    ctx.report(node, "Fragments `<>…</>` are not part of the lesson kit. Remove them; Markdown needs no wrapper.");
    return false;
  }
  const lower = name.toLowerCase();
  if (lower === "script" || lower === "iframe" || lower === "style" || lower === "object" || lower === "embed") {
    ctx.report(
      node,
      `<${name}> is not allowed in lessons: it can run code or change the page. Use Markdown, or Video and Audio for media.`,
    );
    return false;
  }
  const rule = kitComponent(name);
  if (!rule) {
    ctx.report(
      node,
      `<${name}> is not a lesson-kit component. Use Markdown or one of: ${Object.keys(LESSON_KIT)
        .filter((n) => !LESSON_KIT[n]!.parents)
        .join(", ")}.`,
    );
    return false;
  }
  if (rule.parents) {
    const parent = parents[parents.length - 1];
    if (!parent || !rule.parents.includes(parent))
      ctx.report(node, `<${name}> belongs directly inside <${rule.parents.join("> or <")}>.`);
  }
  for (const attribute of node.attributes) checkAttribute(node, name, attribute, ctx);
  for (const [attrName, attrRule] of Object.entries(rule.attributes)) {
    if (
      attrRule.required &&
      attr(node, attrName) === undefined &&
      !node.attributes.some((a) => a.type === "mdxJsxAttribute" && a.name === attrName)
    ) {
      ctx.report(node, `<${name}> needs a ${attrName}="…" attribute.`);
    }
  }
  return true;
}

export function checkAttribute(
  node: JsxElement,
  name: string,
  attribute: MdxJsxAttribute | MdxJsxExpressionAttribute,
  ctx: LessonContext,
): void {
  if (attribute.type === "mdxJsxExpressionAttribute") {
    ctx.report(
      attribute.position ? attribute : node,
      `Spread attributes like \`{...props}\` are code and are not allowed on <${name}>. Write each attribute as name="value".`,
    );
    return;
  }
  const where = attribute.position ? attribute : node;
  if (/^on/i.test(attribute.name)) {
    ctx.report(where, `Event handlers such as ${attribute.name} are not allowed: they run code. Remove the attribute.`);
    return;
  }
  const component = kitComponent(name)!;
  const rule = kitAttribute(component, attribute.name);
  if (!rule) {
    const known = Object.keys(component.attributes);
    ctx.report(
      where,
      `<${name}> has no attribute “${attribute.name}”.${known.length ? ` Use: ${known.join(", ")}.` : " It takes no attributes."}`,
    );
    return;
  }
  const value = attribute.value;
  if (value !== null && typeof value === "object") {
    ctx.report(
      where,
      `The value of ${attribute.name} on <${name}> is an expression \`{…}\`, which is code. Write a literal: ${attribute.name}="…".`,
    );
    return;
  }
  if (rule.boolean) {
    if (value !== null)
      ctx.report(
        where,
        `${attribute.name} on <${name}> is a yes/no flag: write it bare, as \`${attribute.name}\`, with no value.`,
      );
    return;
  }
  if (typeof value !== "string") {
    ctx.report(where, `${attribute.name} on <${name}> needs a value: ${attribute.name}="…".`);
    return;
  }
  if (rule.oneOf && !rule.oneOf.includes(value))
    ctx.report(where, `${attribute.name}="${value}" on <${name}> must be one of: ${rule.oneOf.join(", ")}.`);
  if (rule.integer) {
    const [min, max] = rule.integer;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      ctx.report(
        where,
        `${attribute.name} on <${name}> must be a whole number from ${min} to ${max}, like ${attribute.name}="${min}".`,
      );
  }
  const problem = rule.media ? mediaUrlProblem(value, ctx.mediaOrigins) : null;
  if (problem) ctx.report(where, `${attribute.name} on <${name}>: ${problem}`);
}

// Rule: the lesson opens with YAML frontmatter that matches the lesson schema. The compiler's
// frontmatter reader (gray-matter inside mdx-bundler) is given parseFrontmatterYaml too, so the
// checker and the compiler accept exactly the same frontmatter.
import type { Root } from "mdast";
import { parseDocument } from "yaml";
import { describeZodIssues, lessonFrontmatterSchema } from "../frontmatter";
import type { LessonContext } from "./context";

export class FrontmatterSyntaxError extends Error {}

/**
 * Plain YAML data only: any error, and any warning (an unknown tag such as `!!js/function`,
 * which a YAML reader may otherwise turn into code or quietly into a string), is refused.
 */
export function parseFrontmatterYaml(source: string): unknown {
  const doc = parseDocument(source, { schema: "core", uniqueKeys: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const tag = /Unresolved tag: (\S+)/.exec(problem.message);
    throw new FrontmatterSyntaxError(
      tag
        ? `the tag ${tag[1]!.replace(/^tag:yaml\.org,2002:/, "!!")} is not allowed; write plain text, numbers and lists`
        : problem.message.split("\n")[0]!,
    );
  }
  return doc.toJS({ maxAliasCount: 20 });
}

export function checkFrontmatter(tree: Root, ctx: LessonContext): void {
  const yamlNode = tree.children.find((n) => n.type === "yaml");
  if (!yamlNode || yamlNode.type !== "yaml") {
    ctx.report(
      tree.children[0],
      "The lesson has no frontmatter. Start the file with a --- block holding title, summary, objective, skill, stages, minutes, level and tags.",
    );
    return;
  }
  let data: unknown;
  try {
    data = parseFrontmatterYaml(yamlNode.value);
  } catch (error) {
    ctx.report(yamlNode, `The frontmatter is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (data !== undefined) {
    const parsed = lessonFrontmatterSchema.safeParse(data);
    if (parsed.success) ctx.result.frontmatter = parsed.data;
    else for (const issue of describeZodIssues(parsed.error)) ctx.report(yamlNode, `Frontmatter ${issue}`);
  }
}

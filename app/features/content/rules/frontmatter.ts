// Rule: the lesson opens with YAML frontmatter that matches the lesson schema.
import type { Root } from "mdast";
import { parse as parseYaml } from "yaml";
import { describeZodIssues, lessonFrontmatterSchema } from "../frontmatter";
import type { LessonContext } from "./context";

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
    data = parseYaml(yamlNode.value);
  } catch (error) {
    ctx.report(yamlNode, `The frontmatter is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (data !== undefined) {
    const parsed = lessonFrontmatterSchema.safeParse(data);
    if (parsed.success) ctx.result.frontmatter = parsed.data;
    else for (const issue of describeZodIssues(parsed.error)) ctx.report(yamlNode, `Frontmatter ${issue}`);
  }
}

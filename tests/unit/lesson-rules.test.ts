// Each lesson rule runs alone on a parsed tree and a fresh context.
import { describe, expect, it } from "vitest";
import { parseLesson } from "~/features/content/analyze.server";
import { componentChildren, isJsx, lessonContext, type JsxElement } from "~/features/content/rules/context";
import { checkFrontmatter } from "~/features/content/rules/frontmatter";
import { extractQuiz } from "~/features/content/rules/quiz";
import { checkBranches, roleplayReadingWords } from "~/features/content/rules/roleplay";
import { checkLink } from "~/features/content/rules/safe-subset";
import { lessonFrontmatter } from "../support/content";

const firstComponent = (source: string) => parseLesson(source).children.find(isJsx) as JsxElement;

describe("lesson rules, one at a time", () => {
  it("checkFrontmatter reads valid frontmatter and reports a schema problem on the --- block", () => {
    const ok = lessonContext("a.mdx");
    checkFrontmatter(parseLesson(lessonFrontmatter("Fine title")), ok);
    expect(ok.errors).toEqual([]);
    expect(ok.result.frontmatter?.title).toBe("Fine title");

    const bad = lessonContext("b.mdx");
    checkFrontmatter(parseLesson(lessonFrontmatter("Fine title").replace("minutes: 3", "minutes: 30")), bad);
    expect(bad.errors).toEqual([
      { file: "b.mdx", line: 1, column: 1, message: expect.stringMatching(/^Frontmatter minutes/) },
    ]);
  });

  it("extractQuiz extracts the choices and reports a quiz with no correct answer", () => {
    const ctx = lessonContext("q.mdx");
    extractQuiz(
      firstComponent(
        '<Quiz id="q" prompt="Which?">\n<Choice explanation="a">A</Choice>\n<Choice explanation="b">B</Choice>\n</Quiz>\n',
      ),
      ctx,
    );
    expect(ctx.result.questions[0]!.choices.map((c) => c.id)).toEqual(["c1", "c2"]);
    expect(ctx.errors.map((e) => e.message)).toEqual([expect.stringMatching(/has 0 correct choices/)]);
  });

  it("checkBranches finds a turn no path reaches", () => {
    const ctx = lessonContext("r.mdx");
    const turns = [
      { id: "a", buyer: "Hi", hint: null, replies: [{ id: "r1", text: "x", points: 1, feedback: "", next: null }] },
      { id: "b", buyer: "Lost", hint: null, replies: [] },
    ];
    checkBranches(firstComponent("<RolePlay />\n"), "r", turns, new Map(), ctx);
    expect(ctx.errors.map((e) => e.message)).toEqual(["Turn “b” cannot be reached from the first turn."]);
    expect(roleplayReadingWords(turns)).toBe(2);
  });

  it("checkLink refuses a javascript: link and remembers an internal one", () => {
    const ctx = lessonContext("l.mdx");
    const paragraph = parseLesson("[a](javascript:x) [b](/learn/m/l)\n").children[0]!;
    for (const link of "children" in paragraph ? paragraph.children : []) checkLink(link, ctx);
    expect(ctx.errors.map((e) => e.message)).toEqual([expect.stringMatching(/scheme “javascript:”/)]);
    expect(ctx.result.internalLinks.map((l) => l.url)).toEqual(["/learn/m/l"]);
  });

  it("componentChildren looks through the paragraph MDX wraps inline components in", () => {
    const quiz = firstComponent('<Quiz id="q" prompt="p">\n<Choice explanation="e">A</Choice>\n</Quiz>\n');
    expect(componentChildren(quiz).map((c) => c.name)).toEqual(["Choice"]);
  });
});

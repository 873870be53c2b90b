import { describe, expect, it } from "vitest";
import { analyzeLesson, isSafeUrl } from "~/features/content/analyze.server";
import { CompileTimedOut, compileLesson, compileWithin, limitLabel } from "~/features/content/compile.server";
import { lessonFrontmatter } from "../support/content";

const FRONTMATTER = lessonFrontmatter("A test lesson");

const KEYPOINT = `
<KeyPoint>

- Remember this.

</KeyPoint>
`;

/** The lesson body starts on line 11 (after 10 lines of frontmatter). */
function lesson(body: string, mediaOrigins: readonly string[] = []) {
  return analyzeLesson("content/test/01-test.mdx", FRONTMATTER + body + KEYPOINT, { mediaOrigins });
}

function onlyError(body: string, mediaOrigins: readonly string[] = []) {
  const { errors } = lesson(body, mediaOrigins);
  expect(errors, JSON.stringify(errors)).toHaveLength(1);
  return errors[0]!;
}

describe("the safe subset rejects, with line and column", () => {
  it("import", () => {
    const e = onlyError("Intro text.\n\nimport x from 'fs'\n");
    expect([e.line, e.column]).toEqual([13, 1]);
    expect(e.message).toMatch(/import.*not allowed/);
  });

  it("export", () => {
    const e = onlyError("export const answer = 42\n");
    expect([e.line, e.column]).toEqual([11, 1]);
    expect(e.message).toMatch(/`import` and `export` are not allowed/);
  });

  it("a flow expression", () => {
    const e = onlyError("Some text.\n\n{process.env.SECRET}\n");
    expect([e.line, e.column]).toEqual([13, 1]);
    expect(e.message).toMatch(/Curly braces/);
    expect(e.message).toMatch(/escape/);
  });

  it("a text expression", () => {
    const e = onlyError("Your quota is {1 + 1} deals.\n");
    expect([e.line, e.column]).toEqual([11, 15]);
  });

  it("an attribute whose value is an expression", () => {
    const e = onlyError('<Callout title={"x"}>\n\nHi\n\n</Callout>\n');
    expect([e.line, e.column]).toEqual([11, 10]);
    expect(e.message).toMatch(/expression/);
    expect(e.message).toMatch(/title="…"/);
  });

  it("a spread attribute", () => {
    const e = onlyError("<Callout {...props}>\n\nHi\n\n</Callout>\n");
    expect([e.line, e.column]).toEqual([11, 10]);
    expect(e.message).toMatch(/Spread attributes/);
  });

  it("a component that is not on the allow-list", () => {
    const e = onlyError('Text first.\n\n<Chart data="x" />\n');
    expect([e.line, e.column]).toEqual([13, 1]);
    expect(e.message).toMatch(/<Chart> is not a lesson-kit component/);
    expect(e.message).toMatch(/Callout/);
  });

  it("script, iframe and style", () => {
    for (const tag of ["script", "iframe", "style"]) {
      const e = onlyError(`<${tag}>x</${tag}>\n`);
      expect([e.line, e.column]).toEqual([11, 1]);
      expect(e.message).toContain(`<${tag}> is not allowed`);
    }
  });

  it("an event-handler attribute", () => {
    const e = onlyError('<Callout onClick="alert(1)">\n\nHi\n\n</Callout>\n');
    expect([e.line, e.column]).toEqual([11, 10]);
    expect(e.message).toMatch(/Event handlers/);
  });

  it("an attribute the component does not have", () => {
    const e = onlyError('<Callout colour="red">\n\nHi\n\n</Callout>\n');
    expect(e.message).toMatch(/has no attribute “colour”/);
  });
});

describe("URLs", () => {
  it.each([
    ["[x](javascript:alert(1))", 11, 1],
    ["[x](JaVaScRiPt:alert(1))", 11, 1],
    ["[x](&#106;avascript:alert(1))", 11, 1],
    ["[x](&#x6A;ava&#x09;script:alert(1))", 11, 1],
    ["Look: ![x](javascript:alert(1))", 11, 7],
    ["[x][ref]\n\n[ref]: vbscript:msgbox", 13, 1],
    ["[x](data:text/html,hi)", 11, 1],
  ])("rejects %s", (body, line, column) => {
    const e = onlyError(`${body}\n`);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toMatch(/scheme/);
  });

  it("rejects javascript: in media attributes, in any case or entity-encoded", () => {
    for (const src of [
      "javascript:alert(1)",
      "JAVASCRIPT:alert(1)",
      "&#106;avascript:alert(1)",
      " java\tscript:alert(1)",
    ]) {
      const e = onlyError(`<Video src="${src}" title="t" captions="/c.vtt" />\n`, ["https://media.acme.example"]);
      expect(e.message).toMatch(/scheme/);
    }
  });

  it("accepts https, mailto and relative paths", () => {
    for (const url of [
      "https://example.com/a",
      "http://example.com",
      "mailto:coach@example.com",
      "/learn/questioning",
      "#top",
      "clip.mp4",
    ]) {
      expect(isSafeUrl(url), url).toBe(true);
    }
    expect(lesson("[a](https://example.com) [b](mailto:a@b.co) [c](/learn/x/y)\n").errors).toEqual([]);
  });
});

describe("lesson media (images, video, audio, captions) load only from Flywheel or an allowed origin", () => {
  const ALLOWED = ["https://media.acme.example"];

  it("accepts paths on Flywheel itself, and an allowed origin", () => {
    expect(lesson("![A diagram](/media/diagram.png) ![Another](media/other.png)\n").errors).toEqual([]);
    expect(
      lesson(
        '![A diagram](https://media.acme.example/diagram.png)\n\n<Video src="https://media.acme.example/clip.mp4" poster="/media/poster.png" captions="https://media.acme.example/clip.vtt" title="t" />\n',
        ALLOWED,
      ).errors,
    ).toEqual([]);
  });

  it.each([
    ["![x](https://tracker.example/pixel.png)", "https://tracker.example"],
    ["![x](//tracker.example/pixel.png)", "https://tracker.example"],
    ["![x](/\\tracker.example/pixel.png)", "https://tracker.example"],
    ["![x](http://media.acme.example/pixel.png)", "http://media.acme.example"],
    ["![x](https://media.acme.example.tracker.example/pixel.png)", "https://media.acme.example.tracker.example"],
    ["![x](https://media.acme.example:8443/pixel.png)", "https://media.acme.example:8443"],
  ])("refuses %s, naming the origin and the setting", (body, origin) => {
    const e = onlyError(`Look: ${body}\n`, ALLOWED);
    expect([e.line, e.column]).toEqual([11, 7]);
    expect(e.message).toContain(`is loaded from ${origin}.`);
    expect(e.message).toContain("LESSON_MEDIA_ORIGINS (now: https://media.acme.example)");
  });

  it("refuses an image from any other https host when none is allowed, even through a reference", () => {
    expect(onlyError("![x](https://images.example/a.png)\n").message).toMatch(/none is allowed now/);
    const e = onlyError("Text.\n\n![x][pic]\n\n[pic]: https://tracker.example/pixel.png\n");
    expect([e.line, e.column, e.message]).toEqual([
      13,
      1,
      expect.stringContaining("loaded from https://tracker.example"),
    ]);
    // The same definition used by a link is a link: any https host.
    expect(lesson("[a page][pic]\n\n[pic]: https://tracker.example/page\n").errors).toEqual([]);
  });

  it("refuses video, poster, captions and audio from another host", () => {
    for (const element of [
      '<Video src="https://videos.example/clip.mp4" captions="/c.vtt" title="t" />',
      '<Video src="/clip.mp4" poster="https://tracker.example/p.png" captions="/c.vtt" title="t" />',
      '<Video src="/clip.mp4" captions="https://tracker.example/c.vtt" title="t" />',
      '<Audio src="https://tracker.example/a.ogg" title="t">\n\nTranscript.\n\n</Audio>',
    ]) {
      const e = onlyError(`${element}\n`, ALLOWED);
      expect(e.message, element).toMatch(/is loaded from https:\/\/(videos|tracker)\.example\. Lessons load images/);
    }
  });

  it("the compiler refuses the same, as the last line of defence", async () => {
    await expect(compileLesson(FRONTMATTER + "![x](https://tracker.example/p.png)\n")).rejects.toThrow(/not allowed/);
    await expect(compileLesson(FRONTMATTER + "![x][p]\n\n[p]: //tracker.example/p.png\n")).rejects.toThrow(
      /not allowed/,
    );
    await expect(
      compileLesson(FRONTMATTER + '<Audio src="https://tracker.example/a.ogg" title="t" />\n', {
        mediaOrigins: ALLOWED,
      }),
    ).rejects.toThrow(/not allowed/);
    await expect(
      compileLesson(FRONTMATTER + "![x](https://media.acme.example/p.png) ![y](/media/y.png)\n", {
        mediaOrigins: ALLOWED,
      }),
    ).resolves.toContain("https://media.acme.example/p.png");
  });
});

describe("quizzes", () => {
  it("extracts prompt, choices, the correct ones and every explanation", () => {
    const result = lesson(
      '<Quiz id="q1" prompt="Which?">\n<Choice explanation="No, because A.">A</Choice>\n<Choice correct explanation="Yes, because B.">B</Choice>\n</Quiz>\n',
    );
    expect(result.errors).toEqual([]);
    expect(result.questions).toEqual([
      {
        key: "q1",
        kind: "single",
        prompt: "Which?",
        position: 0,
        choices: [
          { id: "c1", text: "A", correct: false, explanation: "No, because A." },
          { id: "c2", text: "B", correct: true, explanation: "Yes, because B." },
        ],
      },
    ]);
  });

  it("refuses a single-answer quiz with two correct choices, and a duplicate id", () => {
    const { errors } = lesson(
      '<Quiz id="q1" prompt="Which?">\n<Choice correct explanation="a">A</Choice>\n<Choice correct explanation="b">B</Choice>\n</Quiz>\n\n<Quiz id="q1" prompt="Again?">\n<Choice correct explanation="a">A</Choice>\n<Choice explanation="b">B</Choice>\n</Quiz>\n',
    );
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/has 2 correct choices/),
      expect.stringMatching(/already has id="q1"/),
    ]);
  });

  it("the compiled code carries no correctness and no explanations", async () => {
    const source =
      FRONTMATTER +
      '<Quiz id="q1" prompt="Which?">\n<Choice explanation="WRONG-WHY">A</Choice>\n<Choice correct explanation="RIGHT-WHY">B</Choice>\n</Quiz>\n' +
      KEYPOINT;
    const code = await compileLesson(source);
    expect(code).not.toMatch(/correct/i);
    expect(code).not.toContain("WRONG-WHY");
    expect(code).not.toContain("RIGHT-WHY");
    expect(code).not.toMatch(/explanation/);
    expect(code).toContain('"c2"');
  });
});

describe("role-plays", () => {
  const rubric = (weights: number[]) =>
    `<Rubric>\n${weights
      .map(
        (w, i) =>
          `<Criterion id="k${i}" name="K${i}" weight="${w}">\n${[1, 2, 3, 4, 5].map((s) => `<Level score="${s}">L${s}</Level>`).join("\n")}\n</Criterion>`,
      )
      .join("\n")}\n</Rubric>`;

  it("checks that rubric weights add up to 100", () => {
    const { errors } = lesson(
      `<RolePlay id="r" mode="open" title="T" persona="P" situation="S" goal="G">\n<Turn id="t1" buyer="Hello."/>\n${rubric([50, 30, 10])}\n</RolePlay>\n`,
    );
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/add up to 90/)]);
  });

  it("finds replies that lead nowhere and branches that loop", () => {
    const { errors } = lesson(
      `<RolePlay id="r" mode="branching" title="T" persona="P" situation="S" goal="G">\n<Turn id="a" buyer="One.">\n<Reply points="1" feedback="f" next="b">x</Reply>\n<Reply points="2" feedback="f" next="nowhere">y</Reply>\n</Turn>\n<Turn id="b" buyer="Two.">\n<Reply points="1" feedback="f" next="a">x</Reply>\n<Reply points="2" feedback="f">y</Reply>\n</Turn>\n${rubric([40, 30, 30])}\n</RolePlay>\n`,
    );
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/next="nowhere"/),
      expect.stringMatching(/loop/),
    ]);
  });

  it("the compiled code carries no points, feedback or branches", async () => {
    const source =
      FRONTMATTER +
      `<RolePlay id="r" mode="branching" title="T" persona="P" situation="S" goal="G">\n<Turn id="a" buyer="One.">\n<Reply points="7" feedback="SECRET-FEEDBACK" next="b">x</Reply>\n<Reply points="2" feedback="f">y</Reply>\n</Turn>\n<Turn id="b" buyer="Two.">\n<Reply points="1" feedback="f">x</Reply>\n<Reply points="2" feedback="f">y</Reply>\n</Turn>\n${rubric([40, 30, 30])}\n</RolePlay>\n` +
      KEYPOINT;
    expect(analyzeLesson("x.mdx", source).errors).toEqual([]);
    const code = await compileLesson(source);
    expect(code).not.toContain("SECRET-FEEDBACK");
    expect(code).not.toMatch(/points|feedback|next:/);
  });
});

describe("the compiler's last line of defence", () => {
  it("refuses to compile forbidden constructs even when the analyzer was skipped", async () => {
    await expect(compileLesson(FRONTMATTER + "{1+1}\n")).rejects.toThrow();
    await expect(compileLesson(FRONTMATTER + "[x](javascript:alert(1))\n")).rejects.toThrow();
    await expect(compileLesson(FRONTMATTER + "<Chart />\n")).rejects.toThrow();
  });
});

describe("a hostile lesson gets a clear error, never a crash or a long wait", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty"])(
    "a component named %s is an unknown component",
    (name) => {
      const e = onlyError(`Text.\n\n<${name} />\n`);
      expect([e.line, e.column]).toEqual([13, 1]);
      expect(e.message).toMatch(new RegExp(`^<${name}> is not a lesson-kit component`));
    },
  );

  it("an attribute named constructor or __proto__ is an unknown attribute", () => {
    for (const name of ["constructor", "__proto__"]) {
      const e = onlyError(`<Callout ${name}="x">\n\nHi\n\n</Callout>\n`);
      expect(e.message).toMatch(new RegExp(`<Callout> has no attribute “${name}”`));
    }
  });

  it("the compiler refuses a component named constructor", async () => {
    await expect(compileLesson(FRONTMATTER + "<constructor />\n" + KEYPOINT)).rejects.toThrow(/refused/);
  });

  it("5,000 nested Callouts are refused by size, quickly", () => {
    const started = performance.now();
    const e = onlyError("<Callout>\n".repeat(5000) + "Deep.\n" + "</Callout>\n".repeat(5000));
    expect(e.message).toMatch(/a lesson may be at most 64 KB/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("60 nested Callouts (small enough to parse) are refused for their depth", () => {
    const e = onlyError("<Callout>\n\n".repeat(60) + "Deep.\n\n" + "</Callout>\n\n".repeat(60));
    expect(e.message).toMatch(/nested more than 48 levels deep/);
  });

  it("an 800-level nested list is refused at its 17th level, in well under a second", () => {
    const list = Array.from({ length: 800 }, (_, i) => `${"  ".repeat(i)}- level ${i + 1}`).join("\n") + "\n";
    const started = performance.now();
    const { errors } = analyzeLesson("content/test/01-test.mdx", FRONTMATTER + list + KEYPOINT);
    expect(performance.now() - started).toBeLessThan(1000);
    // Larger than 64 KB; the depth limit alone also refuses a smaller one.
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/at most 64 KB/)]);
    const e = onlyError(list.split("\n").slice(0, 100).join("\n") + "\n");
    expect(e.line).toBe(11 + 16);
    expect(e.message).toMatch(/nested about 17 levels deep here; keep nesting to 16/);
  });

  it("a paragraph of thousands of nested emphasis marks is refused before parsing", () => {
    const started = performance.now();
    const e = onlyError("*a ".repeat(5000) + "x" + " a*".repeat(5000) + "\n");
    expect(e.message).toMatch(/more than 200 emphasis or link marks/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("ids are short slugs that name nothing every object already has", () => {
  const rubric = (firstId: string) =>
    `<Rubric>\n${[firstId, "k1", "k2"]
      .map(
        (id, i) =>
          `<Criterion id="${id}" name="K${i}" weight="${i === 0 ? 40 : 30}">\n${[1, 2, 3, 4, 5].map((s) => `<Level score="${s}">L${s}</Level>`).join("\n")}\n</Criterion>`,
      )
      .join("\n")}\n</Rubric>`;
  const openRoleplay = (turnId: string, criterionId: string) =>
    `<RolePlay id="r" mode="open" title="T" persona="P" situation="S" goal="G">\n<Turn id="${turnId}" buyer="Hello."/>\n${rubric(criterionId)}\n</RolePlay>\n`;

  it("a criterion id of __proto__ is refused", () => {
    const e = onlyError(openRoleplay("t1", "__proto__"));
    expect(e.message).toMatch(/Criterion id “__proto__” is a reserved word/);
  });

  it("a turn id of constructor is refused", () => {
    const e = onlyError(openRoleplay("constructor", "k0"));
    expect(e.message).toMatch(/Turn id “constructor” is a reserved word/);
  });

  it("quiz and role-play ids of constructor, with spaces or over 64 characters are refused", () => {
    const quiz = (id: string) =>
      `<Quiz id="${id}" prompt="Which?">\n<Choice explanation="a">A</Choice>\n<Choice correct explanation="b">B</Choice>\n</Quiz>\n`;
    expect(onlyError(quiz("constructor")).message).toMatch(/Quiz id “constructor” is a reserved word/);
    expect(onlyError(quiz("two words")).message).toMatch(/lower-case words joined by hyphens, at most 64/);
    expect(onlyError(quiz("a".repeat(65))).message).toMatch(/at most 64 characters/);
    expect(lesson(quiz("a".repeat(64))).errors).toEqual([]);
    expect(onlyError(openRoleplay("t1", "Bad_Id")).message).toMatch(/Criterion id “Bad_Id” must be lower-case/);
  });
});

describe("code blocks count", () => {
  it("a 7.8 MB fenced code block is refused", () => {
    const e = onlyError("```\n" + "x = 1;\n".repeat(1_120_000) + "```\n");
    expect(e.message).toMatch(/The lesson file is \d+ KB; a lesson may be at most 64 KB/);
  });

  it("toward the reading time, by their words or characters", () => {
    const e = onlyError("```\n" + "const value = compute(input);\n".repeat(400) + "```\n");
    expect(e.message).toMatch(/takes about \d+ minutes to read/);
  });
});

describe("frontmatter is read by one parser, in the checker and the compiler", () => {
  const withTitle = (title: string) => FRONTMATTER.replace("title: A test lesson", `title: ${title}`);

  it("a !!js/function tag is refused by the checker with a clear message", () => {
    const source = withTitle('!!js/function "function () { return 1 }"') + "Text.\n" + KEYPOINT;
    const { errors } = analyzeLesson("x.mdx", source);
    expect(errors.map((e) => e.message)).toEqual([
      "The frontmatter is not valid YAML: the tag !!js/function is not allowed; write plain text, numbers and lists",
    ]);
  });

  it("the compiler refuses the same frontmatter, and never evaluates ---js frontmatter", async () => {
    await expect(compileLesson(withTitle('!!js/function "f"') + KEYPOINT)).rejects.toThrow(/!!js\/function/);
    const probe = globalThis as { flywheelFrontmatterRan?: boolean };
    await expect(
      compileLesson('---js\n{ title: (globalThis.flywheelFrontmatterRan = true, "x") }\n---\n' + KEYPOINT),
    ).rejects.toThrow(/not YAML/);
    expect(probe.flywheelFrontmatterRan).toBeUndefined();
    expect(lesson("Fine.\n").errors).toEqual([]);
    await expect(compileLesson(FRONTMATTER + KEYPOINT)).resolves.toContain("A test lesson");
  });
});

describe("images need alt text, and an organization's uploaded images stay in its own lessons (decision 032)", () => {
  const uploaded = `/content/images/${"0123456789abcdef".repeat(2)}.png`;

  it("refuses an image without alt text, at its line, through a reference too", () => {
    const e = onlyError(`Look:\n\n![](${uploaded})\n`);
    expect([e.line, e.column]).toEqual([13, 1]);
    expect(e.message).toMatch(/^This image has no alt text\. Say in the brackets what it shows/);
    expect(onlyError("![ ][pic]\n\n[pic]: /media/diagram.png\n").message).toMatch(/no alt text/);
  });

  it("accepts an uploaded image in an organization's lesson, by the name the Images page gives", () => {
    expect(lesson(`![The pipeline chart](${uploaded})\n`).errors).toEqual([]);
    expect(onlyError("![The pipeline chart](/content/images/chart.png)\n").message).toMatch(
      /is not the address of an uploaded image/,
    );
  });

  it("refuses an uploaded image in the built-in library, which every organization reads", () => {
    const { errors } = analyzeLesson(
      "content/test/01-test.mdx",
      `${FRONTMATTER}![The chart](${uploaded})\n${KEYPOINT}`,
      {
        builtIn: true,
        mediaOrigins: [],
      },
    );
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/which the built-in library cannot use/)]);
  });
});

describe("a trainer's compile has a time limit", () => {
  const source = `${FRONTMATTER}Some words for the reader.\n`;
  it("gives up past the limit with CompileTimedOut, and compiles within it", async () => {
    await expect(compileWithin(source, 1)).rejects.toBeInstanceOf(CompileTimedOut);
    await expect(compileWithin(source, 60_000)).resolves.toContain("Some words for the reader.");
    expect([limitLabel(1), limitLabel(4000), limitLabel(2500)]).toEqual(["1 ms", "4 s", "2.5 s"]);
  });
});

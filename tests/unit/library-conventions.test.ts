// The library's conventions (decision 022): each rule on a small lesson that keeps every other
// convention, once where it must stay quiet and once where it must speak. They are warnings: the
// lesson still loads; `content:check` fails on them for the built-in library.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeLesson, checkPersonaNames } from "~/features/content/analyze.server";
import { checkLibrary } from "~/features/content/check.server";
import { estimatedMinutes } from "~/features/content/rules/reading-time";
import { lessonFrontmatter, makeContentDir } from "../support/content";

const SECTIONS = `## The scenario

Nora sells freight software to a dairy.

## Mistakes reps make

- Pitching too early.

## Say this tomorrow

- “Walk me through it.”
`;

const KEYPOINT = `
<KeyPoint>

- Ask before you pitch.

</KeyPoint>
`;

type Quiz = { id: string; choices: Array<[text: string, correct: boolean]>; explanation?: string };
const quiz = ({ id, choices, explanation = "Because." }: Quiz) =>
  `<Quiz id="${id}" prompt="What now?">\n${choices
    .map(([text, correct]) => `<Choice${correct ? " correct" : ""} explanation="${explanation}">${text}</Choice>`)
    .join("\n")}\n</Quiz>\n`;

/** A lesson that keeps every convention, with `body` in place of its sections. */
function lesson(body = SECTIONS, { frontmatter = lessonFrontmatter("A test lesson"), builtIn = false } = {}) {
  return analyzeLesson("content/test/01-test.mdx", `${frontmatter}\n${body}\n${KEYPOINT}`, { builtIn });
}

const messages = (analysis: { warnings: Array<{ message: string }> }) => analysis.warnings.map((w) => w.message);

describe("a lesson that keeps the conventions", () => {
  it("has no warnings and no errors", () => {
    const analysis = lesson(
      SECTIONS +
        quiz({
          id: "one",
          choices: [
            ["Ask what slowed the last order.", true],
            ["Show him the routing screen straight away.", false],
          ],
        }),
    );
    expect(analysis.errors).toEqual([]);
    expect(analysis.warnings).toEqual([]);
  });
});

describe("section headings", () => {
  it("a lesson without “## Mistakes reps make” is flagged, and still loads", () => {
    const analysis = lesson(SECTIONS.replace("## Mistakes reps make", "## Common mistakes"));
    expect(analysis.errors).toEqual([]);
    expect(messages(analysis)).toEqual([expect.stringContaining("“## Mistakes reps make”")]);
  });

  it("the heading must be written exactly, as a second-level heading", () => {
    expect(messages(lesson(SECTIONS.replace("## Say this tomorrow", "### Say this tomorrow")))).toEqual([
      expect.stringContaining("“## Say this tomorrow”"),
    ]);
  });

  it("a role-play lesson needs none of them", () => {
    const roleplay = `<RolePlay id="call" mode="open" title="“We use a spreadsheet”" persona="Ivo Brandl, ops lead" situation="A first call." goal="Find the problem.">
<Turn id="t1" buyer="We use a spreadsheet." />
<Rubric>
${["a", "b", "c"]
  .map(
    (id) =>
      `<Criterion id="${id}" name="${id}" weight="${id === "a" ? 34 : 33}">\n${[1, 2, 3, 4, 5].map((s) => `<Level score="${s}">L${s}</Level>`).join("\n")}\n</Criterion>`,
  )
  .join("\n")}
</Rubric>
</RolePlay>
`;
    const analysis = lesson(`Practise the call.\n\n${roleplay}`);
    expect(analysis.errors).toEqual([]);
    expect(analysis.warnings).toEqual([]);
  });
});

describe("the length cue", () => {
  const long = (id: string) =>
    quiz({
      id,
      choices: [
        ["Ask what made the last order late, then wait for the answer.", true],
        ["Pitch.", false],
      ],
    });
  const short = (id: string) =>
    quiz({
      id,
      choices: [
        ["Wait.", true],
        ["Explain the price again in more detail.", false],
      ],
    });

  // Quiz-writing advice, not a convention: printed by content:check, never a failure (decision 037).
  const advice = (analysis: { advice: Array<{ message: string }> }) => analysis.advice.map((w) => w.message);

  it("the correct choice longest in 2 of 2 single-answer quizzes is flagged as advice, naming them", () => {
    const analysis = lesson(SECTIONS + long("first") + long("second"));
    expect(analysis.warnings).toEqual([]);
    const found = advice(analysis);
    expect(found).toEqual([expect.stringMatching(/In 2 of this lesson's 2 single-answer quizzes.*\(first, second\)/)]);
  });

  it("longest in half of them is allowed, and so is a tie for longest", () => {
    expect(lesson(SECTIONS + long("first") + short("second")).advice).toEqual([]);
    const tie = quiz({
      id: "tie",
      choices: [
        ["Ask first.", true],
        ["Pitch now.", false],
      ],
    });
    expect(lesson(SECTIONS + tie + long("other")).advice).toEqual([]);
  });

  it("multiple-answer quizzes are not counted", () => {
    const multiple = `<Quiz id="many" multiple prompt="Which?">\n<Choice correct explanation="e">Ask what happened on the last late order.</Choice>\n<Choice correct explanation="e">Ask who felt it most.</Choice>\n<Choice explanation="e">Pitch.</Choice>\n</Quiz>\n`;
    expect(lesson(SECTIONS + multiple + long("one") + short("two")).advice).toEqual([]);
  });

  it("the built-in library keeps it all the same: in no lesson is the right answer the longest in most quizzes", () => {
    const cued = checkLibrary().advice.filter((a) => a.message.includes("the correct choice is the longest"));
    expect(cued.map((a) => `${a.file}:${a.line}`)).toEqual([]);
  });
});

describe("minutes", () => {
  const words = (n: number) => `${Array.from({ length: n }, () => "word").join(" ")}\n`;

  it("the estimate is every word read at 238 a minute, plus 30 seconds per open role-play turn", () => {
    expect(estimatedMinutes(238, 0)).toBe(1);
    expect(estimatedMinutes(239, 0)).toBe(2);
    expect(estimatedMinutes(238, 2)).toBe(2);
    expect(estimatedMinutes(119, 1)).toBe(1);
  });

  it("counts every explanation a rep reads after answering", () => {
    const quizzes = (explanation: string) =>
      quiz({
        id: "q",
        explanation,
        choices: [
          ["Ask.", true],
          ["Tell.", false],
        ],
      });
    const plain = lesson(SECTIONS + quizzes("Short."));
    const explained = lesson(SECTIONS + quizzes(words(50).trim()));
    expect(explained.readingWords - plain.readingWords).toBe(2 * 49);
  });

  it("frontmatter minutes below the estimate is flagged", () => {
    const analysis = lesson(SECTIONS + words(800)); // about 3.4 minutes: an estimate of 4
    expect(analysis.readingMinutes).toBe(4);
    expect(messages(analysis)).toEqual([expect.stringMatching(/^minutes: 3 is less than the lesson takes: about 4/)]);
  });

  it("a built-in lesson above 5 minutes is flagged; a trainer's may take up to 7", () => {
    const frontmatter = lessonFrontmatter("A test lesson").replace("minutes: 3", "minutes: 6");
    const body = SECTIONS + words(1300);
    expect(lesson(body, { frontmatter }).warnings).toEqual([]);
    expect(messages(lesson(body, { frontmatter, builtIn: true }))).toEqual([
      expect.stringMatching(/built-in library takes 5 minutes or less; this one takes about 6/),
    ]);
  });

  it("above 7 minutes stays an error for every lesson", () => {
    const frontmatter = lessonFrontmatter("A test lesson").replace("minutes: 3", "minutes: 7");
    expect(lesson(SECTIONS + words(1800), { frontmatter }).errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/takes about 8 minutes to read/) }),
    ]);
  });
});

describe("stages", () => {
  it("more than two stages is flagged; two are fine", () => {
    const stages = (list: string) =>
      lessonFrontmatter("A test lesson").replace("stages: [discovery]", `stages: [${list}]`);
    expect(lesson(SECTIONS, { frontmatter: stages("discovery, qualification") }).warnings).toEqual([]);
    expect(messages(lesson(SECTIONS, { frontmatter: stages("discovery, qualification, closing") }))).toEqual([
      expect.stringMatching(/lists 3 stages/),
    ]);
  });
});

describe("e-mail spelling", () => {
  it("“email” in the text, in a quiz explanation or in the title is flagged; “e-mail” is not", () => {
    expect(lesson(`${SECTIONS}\nSend the e-mail the same day.\n`).warnings).toEqual([]);
    expect(messages(lesson(`${SECTIONS}\nSend the email the same day.\n`))).toEqual([
      expect.stringContaining("rather than “email” in the text"),
    ]);
    const explained = quiz({
      id: "q",
      explanation: "Emails get skimmed.",
      choices: [
        ["Call.", true],
        ["Write.", false],
      ],
    });
    expect(messages(lesson(SECTIONS + explained))).toEqual([
      expect.stringContaining("rather than “Emails” in explanation"),
      expect.stringContaining("rather than “Emails” in explanation"),
    ]);
    const titled = lessonFrontmatter("Emailing a stranger");
    expect(messages(lesson(SECTIONS, { frontmatter: titled }))).toEqual([
      expect.stringContaining("in the frontmatter's title"),
    ]);
  });

  it("addresses and code are not prose", () => {
    expect(
      lesson(`${SECTIONS}\nWrite to [the team](mailto:team@example.com) or run \`send(email)\`.\n`).warnings,
    ).toEqual([]);
  });
});

describe("role-play titles", () => {
  it("a title that is not the buyer's words in typographic quotes is flagged", () => {
    const roleplay = (title: string) =>
      analyzeLesson(
        "r.mdx",
        `${lessonFrontmatter("R")}\nPlay it.\n\n<RolePlay id="r" mode="branching" title="${title}" persona="Ivo Brandl, ops lead" situation="s" goal="g">\n<Turn id="a" buyer="Hi.">\n<Reply points="1" feedback="f">Hello.</Reply>\n<Reply points="0" feedback="f">Bye.</Reply>\n</Turn>\n</RolePlay>\n${KEYPOINT}`,
      );
    const titleWarnings = (title: string) => messages(roleplay(title)).filter((m) => /Title the role-play/.test(m));
    expect(titleWarnings("“We use a spreadsheet”")).toEqual([]);
    expect(titleWarnings("First call with Aquaflow")).toHaveLength(1);
  });
});

describe("persona names", () => {
  const personas = (...names: string[]) => names.map((name, i) => ({ name, line: i + 1, column: 1 }));

  it("a name in two modules is flagged once, where it is reused", () => {
    const found = checkPersonaNames([
      { module: "listening", lessons: [{ file: "a.mdx", personas: personas("Helen Brandt") }] },
      { module: "negotiation", lessons: [{ file: "b.mdx", personas: personas("Helen", "Helen", "Omar") }] },
    ]);
    expect(found).toEqual([
      expect.objectContaining({ file: "b.mdx", line: 1, message: expect.stringMatching(/^“Helen”/) }),
    ]);
  });

  it("the same person across one module's lessons, titles and descriptions are not flagged", () => {
    expect(
      checkPersonaNames([
        { module: "listening", lessons: [{ file: "a.mdx", personas: personas("Dr. Okafor", "Helen") }] },
        { module: "listening", lessons: [{ file: "b.mdx", personas: personas("Helen") }] },
        {
          module: "negotiation",
          lessons: [{ file: "c.mdx", personas: personas("Dr. Ruiz", "The Head of IT at a bank") }],
        },
      ]),
    ).toEqual([]);
  });

  it("the library check reports it from role-play personas and dialogue speakers", () => {
    const body = (speaker: string) =>
      `${lessonFrontmatter("A test lesson")}\n${SECTIONS}\n<Dialogue>\n<Buyer name="${speaker}, CFO">Hello.</Buyer>\n</Dialogue>\n${KEYPOINT}`;
    const dir = makeContentDir({ "01-one.mdx": body("Marit") }, "alpha");
    fs.mkdirSync(path.join(dir, "beta"));
    fs.copyFileSync(path.join(dir, "alpha", "module.json"), path.join(dir, "beta", "module.json"));
    fs.writeFileSync(path.join(dir, "beta", "01-two.mdx"), body("Marit"));
    const check = checkLibrary(dir, { builtIn: false });
    expect(check.errors).toEqual([]);
    expect(check.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^“Marit” \(Marit\) already names/)]);
  });
});

describe("npm run content:check", () => {
  const check = (lessons: Record<string, string>) => {
    const dir = makeContentDir(lessons);
    const run = spawnSync(process.execPath, ["--import", "tsx", "scripts/content-check.ts", "--dir", dir], {
      encoding: "utf8",
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };
  const rightIsLongest = (id: string) =>
    quiz({
      id,
      choices: [
        ["Ask what made the last order late, then wait for the answer.", true],
        ["Pitch.", false],
      ],
    });

  it("prints quiz-wording advice (the length cue) as a warning and passes", () => {
    const { status, output } = check({
      "01-test.mdx": `${lessonFrontmatter("A test lesson")}\n${SECTIONS}\n${rightIsLongest("first")}\n${rightIsLongest("second")}\n${KEYPOINT}`,
    });
    expect(output).toMatch(
      /In 2 of this lesson's 2 single-answer quizzes the correct choice is the longest .*\(warning: quiz wording\)/,
    );
    expect(status).toBe(0);
  });

  it("fails on a library convention (a lesson without its sections)", () => {
    const { status, output } = check({
      "01-test.mdx": `${lessonFrontmatter("A test lesson")}\nJust some words.\n${KEYPOINT}`,
    });
    expect(output).toContain("(library convention)");
    expect(status).toBe(1);
  });
});

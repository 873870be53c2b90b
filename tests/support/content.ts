// A throw-away content folder for tests: one module, lessons written from templates.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A valid frontmatter block (ten lines, ending in a newline). */
export function lessonFrontmatter(title: string): string {
  return `---
title: ${title}
summary: A lesson written by a test to exercise the pipeline.
objective: Prove that the content pipeline does what it says.
skill: questioning
stages: [discovery]
minutes: 3
level: foundation
tags: [test]
---
`;
}

export function lessonSource(
  title: string,
  quizzes: Array<{ id: string; multiple?: boolean; choices: Array<[text: string, correct: boolean]> }> = [],
  extra = "",
) {
  const quizText = quizzes
    .map(
      (q) =>
        `<Quiz id="${q.id}" prompt="Question ${q.id}?"${q.multiple ? " multiple" : ""}>\n${q.choices
          .map(
            ([text, correct]) =>
              `<Choice${correct ? " correct" : ""} explanation="Because ${text} is ${correct ? "right" : "wrong"}.">${text}</Choice>`,
          )
          .join("\n")}\n</Quiz>`,
    )
    .join("\n\n");
  return `${lessonFrontmatter(title)}
Some words about ${title} for the reader. ${extra}

${quizText}

<KeyPoint>

- Remember ${title}.

</KeyPoint>
`;
}

/** A content folder with no modules: synced as the built-in library, it archives every built-in lesson. */
export function emptyContentDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "flywheel-content-"));
}

export function makeContentDir(lessons: Record<string, string>, module = "testing"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flywheel-content-"));
  fs.mkdirSync(path.join(dir, module));
  fs.writeFileSync(
    path.join(dir, module, "module.json"),
    JSON.stringify({ title: "Testing module", summary: "A module that tests write.", skill: "questioning", order: 1 }),
  );
  for (const [file, source] of Object.entries(lessons)) fs.writeFileSync(path.join(dir, module, file), source);
  return dir;
}

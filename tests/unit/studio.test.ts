// The studio's pure parts: every insert-menu skeleton is a valid lesson-kit component as the
// analyzer reads it, the line diff pairs what changed, a draft's lines are the body's own, and a
// content-insights flag opens the editor at its question.
import { describe, expect, it } from "vitest";
import { LIBRARY_OWNER } from "~/db/model";
import { editorLinkFor } from "~/features/content-insights/editor-link";
import { composeSource, emptyFields, placeProblem, questionLine, splitSource } from "~/features/studio/draft-source";
import { checkDraft } from "~/features/studio/drafts.server";
import { lineDiff } from "~/features/studio/line-diff";
import { SKELETONS } from "~/features/studio/skeletons";

const fields = {
  ...emptyFields("Skeletons in a lesson", "questioning"),
  summary: "Every component the insert menu offers, in one lesson.",
  objective: "Check that the insert menu writes valid components.",
};

describe("the insert menu", () => {
  for (const skeleton of SKELETONS)
    it(`inserts a valid ${skeleton.label}`, () => {
      const keyPoint = skeleton.label === "KeyPoint" ? "" : "\n<KeyPoint>\n\n- One thing.\n\n</KeyPoint>\n";
      const body = `A sentence for the reader before the component.\n\n${skeleton.text(1)}${keyPoint}`;
      const check = checkDraft(fields, body);
      expect(check.problems).toEqual([]);
    });
});

describe("a draft's file", () => {
  it("places an analyzer error on the body's own line, and a frontmatter one on the details", () => {
    const body =
      'Line one for the reader.\n\n<Quiz id="q" prompt="A question?">\n  <Choice>Only one</Choice>\n</Quiz>\n';
    const check = checkDraft({ ...fields, summary: "short" }, body);
    expect(check.problems.some((p) => p.where === "frontmatter" && p.message.includes("summary"))).toBe(true);
    expect(check.problems.some((p) => p.where === "body" && p.line >= 3 && p.line <= 4)).toBe(true);
    expect(placeProblem({ line: 11, column: 2, message: "x" })).toEqual({
      where: "body",
      line: 1,
      column: 2,
      message: "x",
    });
  });

  it("splits a published source back into the same fields and body", () => {
    const source = composeSource(fields, "Body text.\n");
    const { fields: back, body } = splitSource(source, { ...fields, stages: fields.stages, minutes: 3, tags: [] });
    expect(body).toBe("Body text.\n");
    expect(back.title).toBe(fields.title);
    expect(back.minutes).toBe("3");
  });
});

describe("the line diff", () => {
  it("keeps equal lines side by side and pairs a changed line with its replacement", () => {
    const rows = lineDiff("a\nb\nc\nd", "a\nB\nc\nd\ne");
    expect(rows).toEqual([
      { kind: "same", left: "a", right: "a", leftLine: 1, rightLine: 1 },
      { kind: "changed", left: "b", right: "B", leftLine: 2, rightLine: 2 },
      { kind: "same", left: "c", right: "c", leftLine: 3, rightLine: 3 },
      { kind: "same", left: "d", right: "d", leftLine: 4, rightLine: 4 },
      { kind: "changed", left: null, right: "e", leftLine: null, rightLine: 5 },
    ]);
  });

  it("sets aside the lines both versions begin and end with, and pairs what lies between past the table's size", () => {
    // 64 KB of short lines each way: a full table would be 32,000 × 32,000 cells (4 GB).
    const before = ["title", ...Array.from({ length: 32_000 }, (_, i) => `${i % 7}`), "end"].join("\n");
    const after = ["title", ...Array.from({ length: 32_000 }, (_, i) => `${i % 5}`), "end"].join("\n");
    const rows = lineDiff(before, after);
    expect(rows[0]).toEqual({ kind: "same", left: "title", right: "title", leftLine: 1, rightLine: 1 });
    expect(rows.at(-1)).toEqual({ kind: "same", left: "end", right: "end", leftLine: 32_002, rightLine: 32_002 });
    // The title and 0–4 are the same in both; from line 7 on, line for line ("5" beside "0"), then "end".
    expect(rows).toHaveLength(32_002);
    expect(rows[5]).toEqual({ kind: "same", left: "4", right: "4", leftLine: 6, rightLine: 6 });
    expect(rows[6]).toEqual({ kind: "changed", left: "5", right: "0", leftLine: 7, rightLine: 7 });
  });

  it("shows a removed line with nothing beside it", () => {
    expect(lineDiff("a\nb", "b")).toEqual([
      { kind: "changed", left: "a", right: null, leftLine: 1, rightLine: null },
      { kind: "same", left: "b", right: "b", leftLine: 2, rightLine: 1 },
    ]);
  });
});

describe("a content-insights flag's link to the question", () => {
  it("opens an organization's lesson in the editor at the question, and a built-in one where it can be copied", () => {
    expect(editorLinkFor({ lessonId: "abc123", owner: "org1", key: "q-2" })).toBe(
      "/content/lessons/abc123?question=q-2",
    );
    expect(editorLinkFor({ lessonId: "abc123", owner: LIBRARY_OWNER, key: "q-2" })).toBe(
      "/content?lesson=abc123&question=q-2#library-lesson-abc123",
    );
  });

  it("finds the line where the quiz or role-play with that id starts", () => {
    const body = [
      "Intro.",
      "",
      '<Quiz id="q1" prompt="First?">',
      '<Choice correct explanation="Yes.">Yes</Choice>',
      "</Quiz>",
      "",
      "<RolePlay",
      '  title="Call"',
      "  id='rp.1'",
      ">",
    ].join("\n");
    expect(questionLine(body, "q1")).toBe(3);
    expect(questionLine(body, "rp.1")).toBe(7);
    // A dot in an id is a dot, not any character.
    expect(questionLine(body, "rpx1")).toBeNull();
    expect(questionLine(body, "q9")).toBeNull();
  });
});

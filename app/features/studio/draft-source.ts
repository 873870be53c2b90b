// A studio draft is kept as its frontmatter fields and its MDX body, as the trainer typed them
// (even when invalid: nothing typed is lost). The analyzer and the compiler read one MDX file,
// composed here; an error's line is mapped back to the body's line or to the frontmatter.
import { LEVELS, SKILLS, STAGES } from "~/features/content/frontmatter";

export const MAX_DRAFT_BYTES = 200 * 1024;

/** The frontmatter as the editor's fields hold it: text, and the stages ticked. */
export type DraftFields = {
  title: string;
  summary: string;
  objective: string;
  skill: string;
  stages: string[];
  level: string;
  minutes: string;
  tags: string;
};

export const FIELD_NAMES = ["title", "summary", "objective", "skill", "stages", "level", "minutes", "tags"] as const;

export function emptyFields(title: string, skill: string): DraftFields {
  return {
    title,
    summary: "",
    objective: "",
    skill: SKILLS.includes(skill as (typeof SKILLS)[number]) ? skill : "questioning",
    stages: [STAGES[1]],
    level: LEVELS[0],
    minutes: "3",
    tags: "",
  };
}

/** Fields from a stored frontmatter object (a published version's, or a draft's). */
export function fieldsFrom(stored: Record<string, unknown>): DraftFields {
  const text = (v: unknown) => (v === undefined || v === null ? "" : Array.isArray(v) ? v.join(", ") : String(v));
  return {
    title: text(stored.title),
    summary: text(stored.summary),
    objective: text(stored.objective),
    skill: text(stored.skill),
    stages: Array.isArray(stored.stages) ? stored.stages.map(String) : [],
    level: text(stored.level),
    minutes: text(stored.minutes),
    tags: text(stored.tags),
  };
}

const FRONTMATTER_LINES = FIELD_NAMES.length + 2;

/** The lesson file the pipeline reads: YAML frontmatter from the fields (JSON scalars are YAML), then the body. */
export function composeSource(fields: DraftFields, body: string): string {
  const minutes = /^\d{1,2}$/.test(fields.minutes.trim()) ? fields.minutes.trim() : JSON.stringify(fields.minutes);
  const tags = fields.tags
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const lines = [
    "---",
    `title: ${JSON.stringify(fields.title)}`,
    `summary: ${JSON.stringify(fields.summary)}`,
    `objective: ${JSON.stringify(fields.objective)}`,
    `skill: ${JSON.stringify(fields.skill)}`,
    `stages: ${JSON.stringify(fields.stages)}`,
    `minutes: ${minutes}`,
    `level: ${JSON.stringify(fields.level)}`,
    `tags: ${JSON.stringify(tags)}`,
    "---",
  ];
  return `${lines.join("\n")}\n${body}`;
}

/** Splits a stored lesson file (a published version's source) back into fields and body. */
export function splitSource(
  source: string,
  frontmatter: Record<string, unknown>,
): { fields: DraftFields; body: string } {
  const match = /^---\r?\n[\s\S]*?\r?\n---\r?\n?/.exec(source);
  return { fields: fieldsFrom(frontmatter), body: match ? source.slice(match[0].length) : source };
}

export type DraftProblem = { where: "frontmatter" | "body"; line: number; column: number; message: string };

/** An analyzer finding on the composed file, placed on the body's own lines (or the frontmatter fields). */
export function placeProblem(problem: { line: number; column: number; message: string }): DraftProblem {
  if (problem.line <= FRONTMATTER_LINES) return { where: "frontmatter", line: 0, column: 0, message: problem.message };
  return { where: "body", line: problem.line - FRONTMATTER_LINES, column: problem.column, message: problem.message };
}

export function describeProblem(p: DraftProblem): string {
  return p.where === "frontmatter" ? `Lesson details: ${p.message}` : `Line ${p.line}:${p.column}: ${p.message}`;
}

/**
 * The line of the body where the quiz or role-play with this `id` starts (1 is the first), or null:
 * where the editor opens when content insights sends the trainer to fix a question.
 */
export function questionLine(body: string, key: string): number | null {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const opening = new RegExp(`<(Quiz|RolePlay)\\b[^>]*\\bid=["']${escaped}["']`);
  const index = body.search(opening);
  return index < 0 ? null : body.slice(0, index).split("\n").length;
}

/**
 * An answered question a publish changes under its reps: dropped (or re-keyed), or its right
 * answer changed. `answers`: how many reps have answered it.
 */
export type AnsweredChange = { key: string; prompt: string; answers: number; change: "dropped" | "right-answer" };

/** What a confirm form carries for each change it showed ("first-question:dropped"). */
export const confirmationOf = (q: Pick<AnsweredChange, "key" | "change">) => `${q.key}:${q.change}`;

import { z } from "zod";

export const SKILLS = [
  "prospecting",
  "questioning",
  "listening",
  "qualifying",
  "presenting",
  "negotiation",
  "closing",
] as const;
export const STAGES = [
  "prospecting",
  "discovery",
  "qualification",
  "demo",
  "proposal",
  "negotiation",
  "closing",
  "account-management",
] as const;
export const LEVELS = ["foundation", "intermediate", "advanced"] as const;

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Skills are extensible: any slug is accepted, and the ones above are the built-in library's.
const skill = z
  .string()
  .regex(SLUG, { error: "Use a skill slug such as questioning, listening, negotiation or prospecting." });

export const lessonFrontmatterSchema = z.strictObject({
  title: z.string().trim().min(3).max(90),
  summary: z.string().trim().min(10).max(200),
  objective: z.string().trim().min(10).max(200),
  skill,
  stages: z.array(z.enum(STAGES, { error: `Use stages from: ${STAGES.join(", ")}.` })).min(1),
  minutes: z.number().int().min(1).max(7),
  level: z.enum(LEVELS, { error: `Use a level from: ${LEVELS.join(", ")}.` }),
  tags: z.array(z.string().regex(SLUG, { error: "Tags are lower-case words joined by hyphens." })).default([]),
});
export type LessonFrontmatter = z.infer<typeof lessonFrontmatterSchema>;

export const moduleMetaSchema = z.strictObject({
  title: z.string().trim().min(3).max(80),
  summary: z.string().trim().min(10).max(240),
  skill,
  order: z.number().int().min(0),
});
export type ModuleMeta = z.infer<typeof moduleMetaSchema>;

export function describeZodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
}

// The editor's form: the frontmatter fields as typed (the analyzer judges them, so a half-written
// summary is saved, not refused) and the body, each with a size cap so no field is unbounded.
import { z } from "zod";
import { formList } from "~/features/forms";
import { MAX_DRAFT_BYTES } from "./draft-source";

const short = (what: string, max: number) =>
  z
    .string()
    .max(max, { error: `Keep ${what} to ${max} characters.` })
    .default("")
    .transform((v) => v.trim());

export const draftFormSchema = z.object({
  title: short("the title", 200),
  summary: short("the summary", 400),
  objective: short("the objective", 400),
  skill: short("the skill", 60),
  stages: formList(z.string().max(40, { error: "That stage does not exist." })).refine((v) => v.length <= 10, {
    error: "Pick at most 10 stages.",
  }),
  level: short("the level", 40),
  minutes: short("the minutes", 4),
  tags: short("the tags", 400),
  body: z
    .string({ error: "The lesson text is missing." })
    .refine((v) => new TextEncoder().encode(v).length <= MAX_DRAFT_BYTES, {
      error: `A draft may be at most ${MAX_DRAFT_BYTES / 1024} KB. Split it into two lessons.`,
    })
    .transform((v) => v.replace(/\r\n/g, "\n")),
  revision: z.coerce
    .number({ error: "The form is out of date. Reload the page." })
    .int()
    .min(0, { error: "The form is out of date. Reload the page." }),
});

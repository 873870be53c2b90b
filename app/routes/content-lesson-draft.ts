import { data } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-lesson-draft";
import { requireUser } from "~/features/auth/require-user.server";
import { firstMessage, parseForm, readForm } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { draftFormSchema } from "~/features/studio/draft-form";
import { checkDraft, saveDraft } from "~/features/studio/drafts.server";
import { ownLesson } from "~/features/studio/studio.server";

const intentSchema = z.object({ intent: z.enum(["check", "autosave"], { error: "Check or autosave the draft." }) });

/** The editor's background requests: the analyzer's problems as the trainer types, and autosave. JSON only. */
export async function action(args: Route.ActionArgs) {
  const trainer = requireUser(args, "content");
  const form = await readForm(args.request);
  const intent = parseForm(form, intentSchema);
  const parsed = parseForm(form, draftFormSchema);
  if (!intent.ok) return data({ message: firstMessage(intent.errors) }, { status: 400 });
  if (!parsed.ok) return data({ message: firstMessage(parsed.errors) }, { status: 400 });
  const { revision, body, ...fields } = parsed.data;
  try {
    if (intent.data.intent === "check") {
      await ownLesson(db(), trainer.orgId, args.params.lessonId);
      const check = checkDraft(fields, body);
      return { problems: check.problems, estimatedMinutes: check.estimatedMinutes, minutesLow: check.minutesLow };
    }
    const saved = await saveDraft(db(), trainer, args.params.lessonId, { fields, body, revision }, new Date());
    if (saved.ok) return { revision: saved.revision };
    return data({ by: saved.theirs.updatedByName, revision: saved.theirs.revision }, { status: 409 });
  } catch (error) {
    if (error instanceof Refusal) return data({ message: error.message }, { status: error.status });
    throw error;
  }
}

export function loader() {
  return data({ message: "Post the draft to check or save it." }, { status: 405 });
}

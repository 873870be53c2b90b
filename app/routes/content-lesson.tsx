import { Fragment } from "react";
import { data, Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-lesson";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { invalid, readForm, parseForm, refused } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { draftFormSchema } from "~/features/studio/draft-form";
import {
  confirmationOf,
  FIELD_NAMES,
  describeProblem,
  questionLine,
  type AnsweredChange,
  type DraftFields,
} from "~/features/studio/draft-source";
import { checkDraft, openDraft, publishDraft, saveDraft } from "~/features/studio/drafts.server";
import { momentLabel } from "~/shared/date-formats";
import { FormMessage, ResultMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { DraftEditor } from "~/features/studio/editor";

/** What the conflict page calls each lesson detail, and how it writes one. */
const FIELD_LABELS: Record<(typeof FIELD_NAMES)[number], string> = {
  title: "Title",
  summary: "Summary",
  objective: "Objective",
  skill: "Skill",
  stages: "Stages",
  level: "Level",
  minutes: "Minutes",
  tags: "Tags",
};
const fieldText = (value: string | string[]) => (Array.isArray(value) ? value.join(", ") : value);

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.draft.fields.title || "Lesson"} · Content · Flywheel` },
];

async function open(args: Route.LoaderArgs | Route.ActionArgs) {
  const trainer = requireUser(args, "content");
  try {
    return { trainer, ...(await openDraft(db(), trainer, args.params.lessonId, new Date())) };
  } catch (error) {
    if (error instanceof Refusal && error.status === 404) throw notFound(error.message);
    throw error;
  }
}

export async function loader(args: Route.LoaderArgs) {
  const { trainer, lesson, draft } = await open(args);
  const check = checkDraft(draft.fields, draft.body);
  const url = new URL(args.request.url);
  // From a content-insights flag: the editor opens at that question.
  const question = url.searchParams.get("question");
  const focusLine = question ? questionLine(draft.body, question) : null;
  return {
    lesson,
    draft: {
      fields: draft.fields,
      body: draft.body,
      revision: draft.revision,
      changed: draft.revision > draft.publishedRevision,
      savedBy: draft.updatedByName,
      savedOn: momentLabel(draft.updatedAt, trainer.timezone, new Date()),
    },
    problems: check.problems.map(describeProblem),
    lint: check.problems,
    warnings: check.warnings.map(describeProblem),
    estimatedMinutes: check.estimatedMinutes,
    focusLine,
    notice: url.searchParams.get("published")
      ? "Published. Reps see this version now."
      : url.searchParams.get("saved")
        ? "Draft saved."
        : question
          ? focusLine
            ? `The question “${question}” starts on line ${focusLine} of the lesson text.`
            : `The question “${question}” is not in this draft any more.`
          : null,
  };
}

const intentSchema = z.object({
  intent: z.enum(["save", "preview", "publish"], { error: "That is not something this page can do." }),
  // The changes to answered questions the trainer was shown and confirmed (confirmationOf, space-separated).
  confirm: z
    .string()
    .max(4000)
    .regex(/^[A-Za-z0-9_: -]*$/, { error: "The page is out of date. Reload it." })
    .optional(),
});

type Conflict = {
  theirs: { fields: DraftFields; body: string; by: string | null; revision: number };
  yours: { fields: DraftFields; body: string };
};
type EditorDetail = {
  conflict?: Conflict;
  confirm?: AnsweredChange[];
  problems?: string[];
  yours?: { fields: DraftFields; body: string; revision: number };
};

export async function action(args: Route.ActionArgs) {
  const { trainer, lesson } = await open(args);
  const form = await readForm(args.request);
  const intent = parseForm(form, intentSchema);
  const parsed = parseForm(form, draftFormSchema);
  if (!intent.ok) return invalid(intent.errors, { oneMessage: true });
  if (!parsed.ok) return invalid(parsed.errors, { oneMessage: true });
  const { revision, body, ...fields } = parsed.data;
  const now = new Date();
  const here = `/content/lessons/${lesson.id}`;
  try {
    const saved = await saveDraft(db(), trainer, lesson.id, { fields, body, revision }, now);
    if (!saved.ok) {
      const detail: EditorDetail = {
        conflict: {
          theirs: {
            fields: saved.theirs.fields,
            body: saved.theirs.body,
            by: saved.theirs.updatedByName,
            revision: saved.theirs.revision,
          },
          yours: saved.yours,
        },
      };
      return data(
        {
          ok: false,
          message: null,
          formError: `${saved.theirs.updatedByName ?? "Someone"} saved this lesson while you were editing it. Nothing was lost: merge their text and yours below, then save.`,
          fieldErrors: {},
          detail,
        },
        { status: 409 },
      );
    }
    if (intent.data.intent === "save") return redirect(`${here}?saved=1`, 303);
    if (intent.data.intent === "preview") return redirect(`${here}/preview`, 303);
    const published = await publishDraft(
      db(),
      trainer,
      lesson.id,
      { revision: saved.revision, confirmed: (intent.data.confirm ?? "").split(" ").filter(Boolean) },
      now,
    );
    if (published.ok) return redirect(`${here}?published=1`, 303);
    const yours = { fields, body, revision: saved.revision };
    if ("confirm" in published)
      return data(
        {
          ok: false,
          message: null,
          formError:
            "Reps have answered questions that this version drops, gives a new id or gives a different right answer. A dropped question's answers stay with the old version and it is no longer asked or reviewed; a changed one keeps its answers and review cards, which now hold reps to the new answer. Publish anyway?",
          fieldErrors: {},
          detail: { confirm: published.confirm, yours } satisfies EditorDetail,
        },
        { status: 409 },
      );
    return data(
      {
        ok: false,
        message: null,
        formError: "The draft is saved, but it cannot be published until these problems are fixed.",
        fieldErrors: {},
        detail: { problems: published.problems.map(describeProblem), yours } satisfies EditorDetail,
      },
      { status: 422 },
    );
  } catch (error) {
    if (error instanceof Refusal) return refused(error, { oneMessage: true });
    throw error;
  }
}

export default function LessonEditor() {
  const { lesson, draft, problems, lint, warnings, estimatedMinutes, notice, focusLine } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const detail = result && "detail" in result ? (result.detail as EditorDetail | undefined) : undefined;
  const conflict = detail?.conflict;
  const shownProblems = detail?.problems ?? problems;
  // After a refused save the form holds what the trainer sent, never the older stored text.
  const start = conflict
    ? { ...conflict.yours, revision: conflict.theirs.revision }
    : (detail?.yours ?? { fields: draft.fields, body: draft.body, revision: draft.revision });
  return (
    <div>
      <PageHeader title={draft.fields.title || "Untitled lesson"}>
        In <strong>{lesson.moduleTitle}</strong> ·{" "}
        {lesson.currentVersionId ? (draft.changed ? "changed since publishing" : "published") : "never published"} ·
        last saved {draft.savedOn}
        {draft.savedBy ? ` by ${draft.savedBy}` : ""} ·{" "}
        <Link to={`/content/lessons/${lesson.id}/history`} className="underline">
          History
        </Link>{" "}
        ·{" "}
        <Link to="/content" className="underline">
          All content
        </Link>
      </PageHeader>
      {notice && !result ? <FormMessage tone="success">{notice}</FormMessage> : null}
      <ResultMessage result={result} />
      {conflict ? (
        <section aria-labelledby="theirs-heading" className="card mt-4">
          <h2 id="theirs-heading" className="font-semibold">
            Their version ({conflict.theirs.by ?? "another trainer"}, saved after you opened the lesson)
          </h2>
          <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm" data-testid="their-details">
            {FIELD_NAMES.map((name) => {
              const theirs = fieldText(conflict.theirs.fields[name]);
              const yours = fieldText(conflict.yours.fields[name]);
              return (
                <Fragment key={name}>
                  <dt className="font-medium text-slate-700">{FIELD_LABELS[name]}</dt>
                  <dd>
                    {theirs || "(empty)"}
                    {theirs === yours ? null : <strong> · yours: {yours || "(empty)"}</strong>}
                  </dd>
                </Fragment>
              );
            })}
          </dl>
          <label htmlFor="theirs-body" className="label mt-2">
            Their text (read only: copy what you want to keep into yours)
          </label>
          <textarea
            id="theirs-body"
            readOnly
            className="field h-64 font-mono text-sm"
            defaultValue={conflict.theirs.body}
          />
        </section>
      ) : null}
      {detail?.confirm ? (
        <FormMessage tone="info">
          <ul className="list-disc pl-5">
            {detail.confirm.map((q) => (
              <li key={q.key}>
                “{q.prompt}” (id {q.key}): answered by {q.answers} rep{q.answers === 1 ? "" : "s"},{" "}
                {q.change === "dropped" ? "dropped or given a new id" : "its right answer changes"}
              </li>
            ))}
          </ul>
        </FormMessage>
      ) : null}
      {shownProblems.length ? (
        <section aria-labelledby="problems-heading" className="mt-4 rounded-lg border border-red-200 bg-red-50 p-3">
          <h2 id="problems-heading" className="font-semibold text-red-900">
            {shownProblems.length} problem{shownProblems.length === 1 ? "" : "s"} to fix before publishing
          </h2>
          <ul className="mt-1 list-disc pl-5 text-sm text-red-900" data-testid="problems">
            {shownProblems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {warnings.length ? (
        <details className="mt-3 text-sm text-slate-700">
          <summary>
            {warnings.length} suggestion{warnings.length === 1 ? "" : "s"} from the library's conventions and quiz
            statistics
          </summary>
          <ul className="list-disc pl-5">
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <Form method="post" className="mt-4" key={`${start.revision}-${conflict ? "conflict" : "draft"}`}>
        {detail?.confirm ? (
          <input type="hidden" name="confirm" value={detail.confirm.map(confirmationOf).join(" ")} />
        ) : null}
        <DraftEditor
          lessonId={lesson.id}
          fields={start.fields}
          body={start.body}
          revision={start.revision}
          lint={conflict ? [] : lint}
          focusLine={focusLine}
          estimatedMinutes={estimatedMinutes}
        />
        <div className="mt-4 flex flex-wrap gap-2">
          <button type="submit" name="intent" value="save" className="btn">
            {conflict ? "Save my merged text" : "Save draft"}
          </button>
          <button type="submit" name="intent" value="preview" className="btn-secondary">
            Save and preview
          </button>
          <button type="submit" name="intent" value="publish" className="btn-secondary">
            {detail?.confirm ? "Publish anyway" : "Publish"}
          </button>
        </div>
      </Form>
    </div>
  );
}

import { Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import { randomToken } from "~/db/ids";
import type { Route } from "./+types/content";
import { requireUser } from "~/features/auth/require-user.server";
import { SKILLS } from "~/features/content/frontmatter";
import { submitOnce } from "~/features/form-submissions.server";
import { handleForm, submissionField } from "~/features/forms";
import {
  archiveLesson,
  archiveModule,
  unarchiveLesson,
  unarchiveModule,
  copyLibraryLesson,
  copyLibraryModule,
  createLesson,
  createModule,
  moveLesson,
  moveModule,
  renameModule,
  studioShelves,
  type LessonState,
} from "~/features/studio/studio.server";
import { NEW_MODULE } from "~/features/studio/copy-target";
import { Field, ResultMessage, SlugSelect } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { SmallForm } from "~/ui/small-form";

export const meta: Route.MetaFunction = () => [{ title: "Content · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const trainer = requireUser(args, "content");
  const { own, library } = await studioShelves(db(), trainer.orgId);
  // From a content-insights flag on a built-in lesson: its copy opens in the editor at that question.
  const url = new URL(args.request.url);
  const question = url.searchParams.get("question") ?? "";
  const flagged = /^[A-Za-z0-9._-]{1,80}$/.test(question) ? { lesson: url.searchParams.get("lesson"), question } : null;
  return { own, library, flagged, submission: randomToken(12) };
}

const id = z.string({ error: "That item is missing. Reload the page." }).regex(/^[A-Za-z0-9_-]{1,40}$/, {
  error: "That item does not exist.",
});
const title = z
  .string({ error: "Give it a title." })
  .trim()
  .min(3, { error: "Use at least 3 characters for the title." })
  .max(80, { error: "Use at most 80 characters for the title." });
const direction = z.enum(["up", "down"], { error: "Move it up or down." });

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("create-module"),
      title,
      summary: z
        .string({ error: "Say in a sentence what the module teaches." })
        .trim()
        .min(10, { error: "Say in a sentence (10 characters or more) what the module teaches." })
        .max(240, { error: "Keep the summary to 240 characters." }),
      skill: z.enum(SKILLS, { error: "Pick the skill the module trains." }),
      submission: submissionField,
    }),
    z.object({ intent: z.literal("create-lesson"), module: id, title, submission: submissionField }),
    z.object({ intent: z.literal("rename-module"), module: id, title }),
    z.object({ intent: z.literal("move-module"), module: id, direction }),
    z.object({ intent: z.literal("archive-module"), module: id }),
    z.object({ intent: z.literal("move-lesson"), lesson: id, direction }),
    z.object({ intent: z.literal("archive-lesson"), lesson: id }),
    z.object({ intent: z.literal("unarchive-module"), module: id }),
    z.object({ intent: z.literal("unarchive-lesson"), lesson: id }),
    z.object({ intent: z.literal("copy-module"), module: id, submission: submissionField }),
    z.object({
      intent: z.literal("copy-lesson"),
      lesson: id,
      into: z
        .string({ error: "Pick one of your modules to copy the lesson into." })
        .pipe(z.union([z.literal(NEW_MODULE), id])),
      question: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,80}$/)
        .optional(),
      submission: submissionField,
    }),
  ],
  { error: "That is not something this page can do." },
);

export async function action(args: Route.ActionArgs) {
  const trainer = requireUser(args, "content");
  return handleForm(
    args.request,
    schema,
    async (input) => {
      const now = new Date();
      switch (input.intent) {
        case "create-module": {
          const { id } = await submitOnce(db(), trainer, input.submission, now, (tx) =>
            createModule(tx, trainer, input, now),
          );
          return redirect(`/content#module-${id}`, 303);
        }
        case "create-lesson": {
          const { id } = await submitOnce(db(), trainer, input.submission, now, (tx) =>
            createLesson(tx, trainer, input.module, input.title, now),
          );
          return redirect(`/content/lessons/${id}`, 303);
        }
        case "copy-module": {
          const { id } = await submitOnce(db(), trainer, input.submission, now, (tx) =>
            copyLibraryModule(tx, trainer, input.module, now),
          );
          return redirect(`/content#module-${id}`, 303);
        }
        case "copy-lesson": {
          const { id } = await submitOnce(db(), trainer, input.submission, now, (tx) =>
            copyLibraryLesson(tx, trainer, input.lesson, input.into, now),
          );
          const at = input.question ? `?${new URLSearchParams({ question: input.question })}` : "";
          return redirect(`/content/lessons/${id}${at}`, 303);
        }
        case "rename-module":
          await renameModule(db(), trainer.orgId, input.module, input.title);
          return redirect(`/content#module-${input.module}`, 303);
        case "move-module":
          await moveModule(db(), trainer.orgId, input.module, input.direction);
          return redirect(`/content#module-${input.module}`, 303);
        case "archive-module":
          await archiveModule(db(), trainer, input.module, now);
          return redirect(`/content#module-${input.module}`, 303);
        case "move-lesson":
          await moveLesson(db(), trainer.orgId, input.lesson, input.direction);
          return redirect(`/content#lesson-${input.lesson}`, 303);
        case "archive-lesson":
          await archiveLesson(db(), trainer, input.lesson, now);
          return redirect(`/content#lesson-${input.lesson}`, 303);
        case "unarchive-module":
          await unarchiveModule(db(), trainer, input.module, now);
          return redirect(`/content#module-${input.module}`, 303);
        case "unarchive-lesson":
          await unarchiveLesson(db(), trainer, input.lesson, now);
          return redirect(`/content#lesson-${input.lesson}`, 303);
      }
    },
    { oneMessage: true },
  );
}

const STATE_LABELS: Record<LessonState, { label: string; style: string }> = {
  draft: { label: "Draft, not published", style: "bg-amber-100 text-amber-900" },
  published: { label: "Published", style: "bg-green-100 text-green-900" },
  changed: { label: "Changed since publishing", style: "bg-brand-100 text-brand-900" },
  archived: { label: "Archived", style: "bg-slate-200 text-slate-800" },
};

export default function Content() {
  const { own, library, flagged, submission } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const choices = own.filter((m) => !m.archived);
  return (
    <div>
      <PageHeader title="Content">
        Your organization's own modules and lessons, and the built-in library beside them. Reps see a lesson once you
        publish it.
      </PageHeader>
      <nav aria-label="More for trainers" className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <Link className="underline" to="/content/insights">
          Which lessons and questions work
        </Link>
        <Link className="underline" to="/content/import">
          Import a module (.zip)
        </Link>
        <Link className="underline" to="/content/images">
          Images
        </Link>
      </nav>
      <ResultMessage result={result} />
      <div className="mt-4 grid gap-6 lg:grid-cols-[3fr_2fr]">
        <section aria-labelledby="own-heading" className="flex flex-col gap-4">
          <h2 id="own-heading" className="text-lg font-semibold">
            Your organization's modules
          </h2>
          {own.length === 0 ? (
            <p className="card text-slate-700">
              Nothing of your own yet. Create a module below, or copy one from the library to start from.
            </p>
          ) : null}
          {own.map((m, i) => (
            <article key={m.id} id={`module-${m.id}`} className="card" aria-labelledby={`module-${m.id}-title`}>
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div>
                  <h3 id={`module-${m.id}-title`} className="text-base font-semibold">
                    {m.title}{" "}
                    {m.archived ? <span className="text-sm font-normal text-slate-600">(archived)</span> : null}
                  </h3>
                  <p className="text-sm text-slate-600">{m.summary}</p>
                </div>
                {m.archived ? (
                  <SmallForm intent="unarchive-module" fields={{ module: m.id }} label={`Bring back ${m.title}`}>
                    Bring back
                  </SmallForm>
                ) : (
                  <div className="flex gap-1">
                    {i > 0 ? (
                      <SmallForm
                        intent="move-module"
                        fields={{ module: m.id, direction: "up" }}
                        label={`Move ${m.title} up`}
                      >
                        ↑
                      </SmallForm>
                    ) : null}
                    {i < own.length - 1 ? (
                      <SmallForm
                        intent="move-module"
                        fields={{ module: m.id, direction: "down" }}
                        label={`Move ${m.title} down`}
                      >
                        ↓
                      </SmallForm>
                    ) : null}
                    <SmallForm intent="archive-module" fields={{ module: m.id }} label={`Archive ${m.title}`}>
                      Archive
                    </SmallForm>
                    <a
                      className="btn-secondary px-2 py-1 text-sm"
                      href={`/content/modules/${m.id}/export.zip`}
                      aria-label={`Export ${m.title} as a .zip`}
                      download
                    >
                      Export
                    </a>
                  </div>
                )}
              </div>
              <ul className="mt-3 flex flex-col gap-2">
                {m.lessons.map((l, j) => (
                  <li key={l.id} id={`lesson-${l.id}`} className="flex flex-wrap items-center justify-between gap-2">
                    <span className="flex flex-wrap items-center gap-2">
                      <Link to={`/content/lessons/${l.id}`} className="font-medium underline">
                        {l.title}
                      </Link>
                      <span className={`rounded px-2 py-0.5 text-xs ${STATE_LABELS[l.state].style}`}>
                        {STATE_LABELS[l.state].label}
                      </span>
                    </span>
                    {m.archived ? null : l.state === "archived" ? (
                      <SmallForm intent="unarchive-lesson" fields={{ lesson: l.id }} label={`Bring back ${l.title}`}>
                        Bring back
                      </SmallForm>
                    ) : (
                      <span className="flex gap-1">
                        {j > 0 ? (
                          <SmallForm
                            intent="move-lesson"
                            fields={{ lesson: l.id, direction: "up" }}
                            label={`Move ${l.title} up`}
                          >
                            ↑
                          </SmallForm>
                        ) : null}
                        {j < m.lessons.length - 1 ? (
                          <SmallForm
                            intent="move-lesson"
                            fields={{ lesson: l.id, direction: "down" }}
                            label={`Move ${l.title} down`}
                          >
                            ↓
                          </SmallForm>
                        ) : null}
                        <SmallForm intent="archive-lesson" fields={{ lesson: l.id }} label={`Archive ${l.title}`}>
                          Archive
                        </SmallForm>
                      </span>
                    )}
                  </li>
                ))}
              </ul>
              {m.archived ? null : (
                <div className="mt-4 grid gap-3 sm:grid-cols-2">
                  <Form method="post" className="flex flex-col gap-2">
                    <input type="hidden" name="intent" value="create-lesson" />
                    <input type="hidden" name="module" value={m.id} />
                    <input type="hidden" name="submission" value={`${submission}-l${i}`} />
                    <Field id={`new-lesson-${m.id}`} label="New lesson title" name="title" required minLength={3} />
                    <button type="submit" className="btn">
                      Add lesson
                    </button>
                  </Form>
                  <Form method="post" className="flex flex-col gap-2">
                    <input type="hidden" name="intent" value="rename-module" />
                    <input type="hidden" name="module" value={m.id} />
                    <Field id={`rename-${m.id}`} label="Module title" name="title" defaultValue={m.title} required />
                    <button type="submit" className="btn-secondary">
                      Rename module
                    </button>
                  </Form>
                </div>
              )}
            </article>
          ))}
          <Form method="post" className="card flex flex-col gap-3" aria-labelledby="new-module-heading">
            <h3 id="new-module-heading" className="font-semibold">
              New module
            </h3>
            <input type="hidden" name="intent" value="create-module" />
            <input type="hidden" name="submission" value={submission} />
            <Field label="Title" name="title" id="new-module-title" required minLength={3} />
            <Field label="Summary" name="summary" id="new-module-summary" required minLength={10} />
            <SlugSelect
              id="new-module-skill"
              name="skill"
              label="Skill"
              options={SKILLS}
              value="questioning"
              emptyLabel="Pick a skill"
              required
            />
            <button type="submit" className="btn self-start">
              Create module
            </button>
          </Form>
        </section>
        <section aria-labelledby="library-heading" className="flex flex-col gap-4">
          <h2 id="library-heading" className="text-lg font-semibold">
            Built-in library
          </h2>
          <p className="text-sm text-slate-700">
            Copy a module or a lesson to make your own edited version. The library keeps its updates; your copy is yours
            and does not change with it.
          </p>
          {library.map((m, i) => (
            <article key={m.id} className="card" aria-labelledby={`library-${m.id}`}>
              <div className="flex flex-wrap items-start justify-between gap-2">
                <h3 id={`library-${m.id}`} className="font-semibold">
                  <Link to={`/learn/${m.slug}`} className="underline">
                    {m.title}
                  </Link>
                </h3>
                <Form method="post">
                  <input type="hidden" name="intent" value="copy-module" />
                  <input type="hidden" name="module" value={m.id} />
                  <input type="hidden" name="submission" value={`${submission}-m${i}`} />
                  <button
                    type="submit"
                    className="btn-secondary px-2 py-1 text-sm"
                    aria-label={`Copy ${m.title} to my organization`}
                  >
                    Copy to my organization
                  </button>
                </Form>
              </div>
              <ul className="mt-2 flex flex-col gap-2 text-sm">
                {m.lessons.map((l, j) => (
                  <li
                    key={l.id}
                    id={`library-lesson-${l.id}`}
                    className="flex flex-wrap items-center justify-between gap-2 target:rounded target:bg-amber-50"
                  >
                    <Link to={`/learn/${m.slug}/${l.slug}`}>{l.title}</Link>
                    <Form method="post" className="flex items-center gap-1">
                      <input type="hidden" name="intent" value="copy-lesson" />
                      <input type="hidden" name="lesson" value={l.id} />
                      {flagged?.lesson === l.id ? (
                        <input type="hidden" name="question" value={flagged.question} />
                      ) : null}
                      <input type="hidden" name="submission" value={`${submission}-c${i}-${j}`} />
                      <label className="sr-only" htmlFor={`into-${l.id}`}>
                        Copy {l.title} into
                      </label>
                      <select id={`into-${l.id}`} name="into" className="field py-1 text-sm">
                        {choices.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.title}
                          </option>
                        ))}
                        <option value={NEW_MODULE}>A new module: {m.title}</option>
                      </select>
                      <button type="submit" className="btn-secondary px-2 py-1 text-sm" aria-label={`Copy ${l.title}`}>
                        Copy
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            </article>
          ))}
        </section>
      </div>
    </div>
  );
}

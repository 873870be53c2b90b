import { Link, redirect, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/content-preview";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { failed, parseForm, readForm } from "~/features/forms";
import { Refusal } from "~/features/refusal";
import { describeProblem } from "~/features/studio/draft-source";
import { previewCode, previewDraft } from "~/features/studio/drafts.server";
import {
  playQuery,
  PREVIEW_REPLY_CHARS,
  quizResults,
  readPlay,
  roleplayPreviews,
} from "~/features/studio/preview-play.server";
import { ensurePreviewOnServer } from "~/features/studio/preview-lessons.server";
import { loadLessonCode } from "~/lesson-kit/lesson-component";
import { LessonBody } from "~/lesson-kit/lesson-body";
import { LessonStateContext } from "~/lesson-kit/lesson-state";
import { FormMessage } from "~/ui/form";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `Preview: ${data?.title ?? "lesson"} · Flywheel` }];

async function preview(args: Route.LoaderArgs | Route.ActionArgs) {
  const trainer = requireUser(args, "content");
  try {
    return { trainer, preview: await previewDraft(db(), trainer, args.params.lessonId, new Date()) };
  } catch (error) {
    if (error instanceof Refusal && error.status === 404) throw notFound(error.message);
    throw error;
  }
}

function codeUrl(lessonId: string, hash: string) {
  return `/content/lessons/${lessonId}/preview-code/${hash}.js`;
}

export async function loader(args: Route.LoaderArgs) {
  let outcome;
  try {
    outcome = await preview(args);
  } catch (error) {
    // Too slow to compile, or refused by the compiler: said on the page, with the way back.
    if (error instanceof Refusal) return { ...empty(args), compileError: error.message };
    throw error;
  }
  const { trainer, preview: p } = outcome;
  const url = new URL(args.request.url);
  const lessonId = args.params.lessonId;
  const play = readPlay(url);
  const phone = url.searchParams.get("width") === "phone";
  if (p.hash)
    await ensurePreviewOnServer(p.hash, async () => (await previewCode(db(), trainer.orgId, lessonId, p.hash!))!);
  return {
    lessonId,
    title: p.draft.fields.title,
    objective: p.draft.fields.objective,
    minutes: p.draft.fields.minutes,
    hash: p.hash,
    codeUrl: p.hash ? codeUrl(lessonId, p.hash) : null,
    problems: p.problems.map(describeProblem),
    estimatedMinutes: p.estimatedMinutes,
    minutesLow: p.minutesLow,
    results: quizResults(p.analysis.questions, play),
    roleplays: roleplayPreviews(p.analysis.roleplays, play),
    phone,
    action: `${url.pathname}${playQuery(play, phone ? { width: "phone" } : {})}`,
    widthLinks: {
      phone: `${url.pathname}${playQuery(play, { width: "phone" })}`,
      desktop: `${url.pathname}${playQuery(play)}`,
    },
    compileError: null as string | null,
  };
}

function empty(args: Route.LoaderArgs) {
  const lessonId = args.params.lessonId;
  return {
    lessonId,
    title: "",
    objective: "",
    minutes: "",
    hash: null as string | null,
    codeUrl: null as string | null,
    problems: [] as string[],
    estimatedMinutes: 0,
    minutesLow: false,
    results: {} as ReturnType<typeof quizResults>,
    roleplays: {} as ReturnType<typeof roleplayPreviews>,
    phone: false,
    action: `/content/lessons/${lessonId}/preview`,
    widthLinks: { phone: "", desktop: "" },
  };
}

const playSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("answer"),
      question: z.string().regex(/^[a-z0-9-]{1,80}$/, { error: "That question does not exist." }),
      choice: z.preprocess(
        (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
        z
          .array(z.string().regex(/^c\d{1,2}$/, { error: "That answer is not one of the choices." }))
          .min(1, { error: "Pick an answer." })
          .max(6),
      ),
    }),
    z.object({
      intent: z.literal("roleplay-choose"),
      roleplay: z.string().regex(/^[a-z0-9-]{1,80}$/, { error: "That role-play does not exist." }),
      reply: z.string({ error: "Pick a reply." }).regex(/^r\d{1,2}$/, { error: "Pick one of the replies." }),
    }),
    z.object({
      intent: z.literal("roleplay-reply"),
      roleplay: z.string().regex(/^[a-z0-9-]{1,80}$/, { error: "That role-play does not exist." }),
      turn: z.string().regex(/^[a-z0-9-]{1,80}$/, { error: "That turn does not exist." }),
    }),
    z.object({
      intent: z.literal("roleplay-restart"),
      roleplay: z.string().regex(/^[a-z0-9-]{1,80}$/, { error: "That role-play does not exist." }),
    }),
  ],
  { error: "In the preview you can answer quizzes and play role-plays; nothing is recorded." },
);

/** Plays the preview: the new state goes into the URL; nothing is stored, for anyone. */
export async function action(args: Route.ActionArgs) {
  await preview(args);
  const url = new URL(args.request.url);
  const form = await readForm(args.request);
  const parsed = parseForm(form, playSchema);
  if (!parsed.ok) return failed(Object.values(parsed.errors)[0] ?? "Check the form.", 400);
  const play = readPlay(url);
  const input = parsed.data;
  if (input.intent === "answer") play.answers.set(input.question, input.choice);
  else if (input.intent === "roleplay-choose")
    play.paths.set(input.roleplay, [...(play.paths.get(input.roleplay) ?? []), input.reply]);
  else if (input.intent === "roleplay-reply") {
    const text = String(form.get(`reply-${input.turn}`) ?? "").trim();
    if (!text)
      return failed(
        `Write a reply to try the next turn. The preview keeps what you write (its first ${PREVIEW_REPLY_CHARS} characters), not recordings.`,
        400,
      );
    play.replies.set(input.roleplay, [...(play.replies.get(input.roleplay) ?? []), [input.turn, text]]);
  } else {
    play.paths.delete(input.roleplay);
    play.replies.delete(input.roleplay);
  }
  const width: Record<string, string> = url.searchParams.get("width") === "phone" ? { width: "phone" } : {};
  return redirect(`${url.pathname}${playQuery(play, width)}`, 303);
}

export async function clientLoader({ serverLoader }: Route.ClientLoaderArgs) {
  const data = await serverLoader();
  if (data.hash && data.codeUrl) await loadLessonCode(data.hash, data.codeUrl);
  return data;
}

export default function LessonPreview() {
  const d = useLoaderData<typeof loader>();
  const back = `/content/lessons/${d.lessonId}`;
  return (
    <div>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2 rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        <p>
          <strong>Preview of your draft.</strong> Answers here are not recorded.{" "}
          <Link to={back} className="underline">
            Back to the editor
          </Link>
        </p>
        {d.hash ? (
          <nav aria-label="Preview width" className="flex gap-2">
            <Link to={d.widthLinks.phone} aria-current={d.phone ? "page" : undefined} className="underline">
              Phone width
            </Link>
            <Link to={d.widthLinks.desktop} aria-current={d.phone ? undefined : "page"} className="underline">
              Desktop width
            </Link>
          </nav>
        ) : null}
      </div>
      {d.compileError ? <FormMessage>{d.compileError}</FormMessage> : null}
      {d.problems.length ? (
        <section aria-labelledby="preview-problems" className="rounded-lg border border-red-200 bg-red-50 p-3">
          <h1 id="preview-problems" className="font-semibold text-red-900">
            Fix these problems to preview the lesson
          </h1>
          <ul className="mt-1 list-disc pl-5 text-sm text-red-900">
            {d.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.minutesLow ? (
        <p className="mb-3 text-sm font-semibold text-amber-800">
          It takes about {d.estimatedMinutes} minutes to read and answer, more than the {d.minutes} minutes it says.
        </p>
      ) : null}
      {d.hash && d.codeUrl ? (
        <div
          data-testid="preview-frame"
          className={d.phone ? "mx-auto w-full max-w-[375px] rounded-2xl border-4 border-slate-800 p-3" : ""}
        >
          <article className="mx-auto max-w-2xl">
            <h1 className="text-2xl font-bold leading-tight sm:text-3xl">{d.title}</h1>
            <p className="mt-3 rounded-lg bg-brand-50 px-4 py-3 text-brand-900">
              <strong>You'll be able to:</strong> {d.objective}
            </p>
            <LessonStateContext.Provider
              value={{ action: d.action, results: d.results, roleplays: d.roleplays, submission: "preview-only" }}
            >
              <LessonBody hash={d.hash} src={d.codeUrl} />
            </LessonStateContext.Provider>
          </article>
        </div>
      ) : null}
    </div>
  );
}

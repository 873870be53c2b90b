import { Form, Link, redirect, useActionData, useLoaderData, useNavigation } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/learn-lesson";
import { randomToken } from "~/db/ids";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { findLessonPage, lessonVersionCode } from "~/features/content/catalog.server";
import { loadLessonCode } from "~/lesson-kit/lesson-component";
import { ensureLessonOnServer } from "~/features/content/lesson-component.server";
import { findCurrentQuestion } from "~/features/content/questions.server";
import { syncLibrary } from "~/features/content/sync.server";
import { failed, invalid, parseForm, readForm, refused, succeeded } from "~/features/forms";
import { answerQuestion, finishLesson, lessonResults } from "~/features/learning/answers.server";
import { lessonStatus, recordLessonOpened } from "~/features/learning/progress.server";
import { isOfflineCopy } from "~/features/offline/offline-pages.server";
import { answerOrQueue, keepPageWhileQueued } from "~/features/offline/answer-queue";
import { currentStreak, lessonDone } from "~/features/learning/progress-report.server";
import { handleRoleplayForm, ROLEPLAY_INTENTS } from "~/features/practice/lesson-actions.server";
import { roleplayViews } from "~/features/practice/roleplay-views.server";
import { Refusal } from "~/features/refusal";
import { myRating, rateLesson, ratingSchema } from "~/features/content-insights/ratings.server";
import { LessonRatingForm } from "~/features/content-insights/rating-form";
import { LessonStateContext } from "~/lesson-kit/lesson-state";
import { FormMessage } from "~/ui/form";
import { LessonBody } from "~/lesson-kit/lesson-body";
import { LessonDoneNote } from "~/ui/lesson-done";
import { LessonStatusBadge } from "~/ui/progress";
import { dayOfLabel } from "~/shared/date-formats";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.lesson.title ?? "Lesson"} · Flywheel` }];

async function requireLesson(args: Route.LoaderArgs | Route.ActionArgs) {
  const user = requireUser(args);
  const page = await findLessonPage(db(), user, args.params.module, args.params.lesson);
  if (!page) throw notFound("We couldn't find that lesson. It may have been renamed or retired.");
  return { user, page };
}

export async function loader(args: Route.LoaderArgs) {
  // Under `npm run dev` an edited lesson file shows on reload; production compiles at start only.
  if (process.env.NODE_ENV === "development") await syncLibrary(db());
  const { user, page } = await requireLesson(args);
  await ensureLessonOnServer(page.lesson.hash, () => lessonVersionCode(db(), page.lesson.versionId));
  // Independent of each other: on PostgreSQL their round trips overlap. A copy the phone saves for
  // offline reading is not the rep opening the lesson.
  const canRate = user.roles.includes("rep");
  const [status, results, roleplays, rating] = await Promise.all([
    isOfflineCopy(args.request)
      ? lessonStatus(db(), user, page.lesson.id)
      : recordLessonOpened(db(), user, {
          id: page.lesson.id,
          title: page.lesson.title,
          versionId: page.lesson.versionId,
        }),
    lessonResults(db(), user, page.lesson.id),
    roleplayViews(db(), user, page.lesson.id),
    canRate ? myRating(db(), user, page.lesson.id) : null,
  ]);
  const { versionId: _version, ...lesson } = page.lesson;
  const url = new URL(args.request.url);
  const now = new Date();
  return {
    ...page,
    lesson,
    status,
    action: url.pathname,
    results,
    roleplays,
    finished: await finishedNote(user, page.module.slug, url.searchParams.get("finished"), now),
    now,
    timezone: user.timezone,
    practiseAgain: url.searchParams.get("practise"),
    canRate,
    rating,
    rated: url.searchParams.has("rated"),
    lastAnswered: url.searchParams.get("answered"),
    // Each rendering of a question carries a fresh submission id: a double-submitted form is stored once.
    submission: randomToken(12),
  };
}

/** The note about the lesson just finished (?finished=slug): the rep's own lesson in this module, completed. */
async function finishedNote(user: ReturnType<typeof requireUser>, moduleSlug: string, slug: string | null, now: Date) {
  if (!slug || !/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  const finished = await findLessonPage(db(), user, moduleSlug, slug);
  if (!finished) return null;
  const [done, streak] = await Promise.all([lessonDone(db(), user, finished.lesson), currentStreak(db(), user, now)]);
  return done ? { done, streak } : null;
}

const answerSchema = z.object({
  intent: z.literal("answer"),
  question: z
    .string({ error: "Say which question you are answering." })
    .regex(/^[a-z0-9-]{1,80}$/, { error: "That question does not exist." }),
  choice: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string().regex(/^c\d{1,2}$/, { error: "That answer is not one of the choices." })).max(6),
  ),
  submission: z
    .string({ error: "The form is out of date. Reload the page." })
    .regex(/^[a-z0-9-]{8,120}$/, { error: "The form is out of date. Reload the page." }),
  js: z.literal("1").optional(),
});
const finishSchema = z.object({ intent: z.literal("finish") });
const actionSchema = z.discriminatedUnion("intent", [answerSchema, finishSchema], {
  error: "That is not something this page can do.",
});

/** Which part of the lesson page an answer is about: a question, a role-play, or the finish. */
type LessonDetail = {
  question?: string | null;
  roleplay?: string | null;
  unanswered?: Awaited<ReturnType<typeof finishLesson>>["unanswered"];
  rating?: boolean;
};

// Not handleForm: the page carries two families of forms (role-plays and questions), and an
// error is shown beside the question or role-play it is about.
export async function action(args: Route.ActionArgs) {
  const { user, page } = await requireLesson(args);
  const form = await readForm(args.request);
  if (ROLEPLAY_INTENTS.includes(String(form.get("intent")))) {
    const outcome = await handleRoleplayForm(db(), user, page.lesson, form);
    if (!outcome.ok)
      return failed<LessonDetail>(outcome.error, outcome.status, { detail: { roleplay: outcome.roleplay } });
    throw redirect(`/learn/${page.module.slug}/${page.lesson.slug}#roleplay-${outcome.roleplay}`, 303);
  }
  if (form.get("intent") === "rate") {
    if (!user.roles.includes("rep")) return failed<LessonDetail>("Only reps rate lessons.", 403);
    const rating = parseForm(form, ratingSchema);
    if (!rating.ok) return invalid<LessonDetail>(rating.errors, { oneMessage: true, detail: { rating: true } });
    await rateLesson(
      db(),
      user,
      page.lesson.id,
      { useful: rating.data.useful === "yes", comment: rating.data.comment ?? null },
      new Date(),
    );
    throw redirect(`/learn/${page.module.slug}/${page.lesson.slug}?rated=1#lesson-rating`, 303);
  }
  const parsed = parseForm(form, actionSchema);
  if (!parsed.ok) {
    const question = typeof form.get("question") === "string" ? String(form.get("question")) : null;
    return invalid<LessonDetail>(parsed.errors, { oneMessage: true, detail: { question } });
  }
  const input = parsed.data;
  const here = `/learn/${page.module.slug}/${page.lesson.slug}`;

  if (input.intent === "finish") {
    const outcome = await finishLesson(db(), user, page.lesson.id, page.lesson.title, new Date());
    if (outcome.completed) {
      // The page the rep lands on says once what they did (lessonDone); not again for a lesson done long ago.
      const told = outcome.newly ? `?finished=${page.lesson.slug}` : "";
      throw redirect(
        page.next ? `/learn/${page.module.slug}/${page.next.slug}${told}` : `/learn/${page.module.slug}${told}`,
        303,
      );
    }
    return succeeded<LessonDetail>(null, { unanswered: outcome.unanswered });
  }

  const about = { detail: { question: input.question } };
  const question = await findCurrentQuestion(db(), page.lesson.id, input.question);
  if (!question)
    return failed<LessonDetail>("That question is not in this lesson any more. Reload the page.", 404, about);
  try {
    await answerQuestion(db(), {
      user,
      question,
      lessonTitle: page.lesson.title,
      chosen: input.choice,
      submissionId: `${input.submission}-${input.question}`,
      context: "lesson",
    });
  } catch (error) {
    if (error instanceof Refusal) return refused<LessonDetail>(error, about);
    throw error;
  }
  // Without JavaScript the browser follows this back to the question and its feedback.
  if (!input.js) throw redirect(`${here}?answered=${input.question}#quiz-${input.question}`, 303);
  return succeeded<LessonDetail>(null, { question: input.question });
}

/** A quiz answer that cannot reach the server is kept on the phone and sent when it is back online. */
export async function clientAction({ request, serverAction }: Route.ClientActionArgs) {
  return answerOrQueue(request, serverAction, (form) => form.get("intent") === "answer");
}

export const shouldRevalidate = keepPageWhileQueued;

export async function clientLoader({ serverLoader }: Route.ClientLoaderArgs) {
  const data = await serverLoader();
  await loadLessonCode(data.lesson.hash);
  return data;
}

export default function LessonReader() {
  const {
    module,
    lesson,
    position,
    total,
    previous,
    next,
    action: postTo,
    results,
    roleplays,
    practiseAgain,
    lastAnswered,
    submission,
    status,
    finished,
    now,
    timezone,
    canRate,
    rating,
    rated,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const finishing = useNavigation().formData?.get("intent") === "finish";
  return (
    <article className="mx-auto max-w-2xl">
      {finished ? (
        <LessonDoneNote
          done={finished.done}
          streak={finished.streak}
          now={now}
          timezone={timezone}
          dismiss={`/learn/${module.slug}/${lesson.slug}`}
        />
      ) : null}
      <nav
        aria-label="Lesson position"
        className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600"
      >
        <Link to={`/learn/${module.slug}`}>{module.title}</Link>
        <span aria-hidden="true">·</span>
        <span>
          {position} of {total}
        </span>
        <span aria-hidden="true">·</span>
        <span>{lesson.minutes} min</span>
        <LessonStatusBadge status={status} />
      </nav>
      <h1 className="text-2xl font-bold leading-tight sm:text-3xl">{lesson.title}</h1>
      {lesson.author && lesson.publishedAt ? (
        <p className="mt-1 text-sm text-slate-600" data-testid="lesson-credit">
          By {lesson.author} · this version published{" "}
          {dayOfLabel(new Date(lesson.publishedAt), timezone, new Date(now))}
        </p>
      ) : null}
      <p className="mt-3 rounded-lg bg-brand-50 px-4 py-3 text-brand-900">
        <strong>You'll be able to:</strong> {lesson.objective}
      </p>
      <LessonStateContext.Provider
        value={{
          action: postTo,
          results,
          roleplays,
          practiseAgain,
          lastAnswered,
          submission,
          error: actionData?.detail?.question
            ? { question: actionData.detail.question, message: actionData.formError }
            : null,
          roleplayError: actionData?.detail?.roleplay
            ? { roleplay: actionData.detail.roleplay, message: actionData.formError }
            : null,
        }}
      >
        <LessonBody hash={lesson.hash} />
      </LessonStateContext.Provider>
      <footer className="mt-10 border-t border-slate-200 pt-6">
        {actionData?.detail?.unanswered?.length ? (
          <FormMessage tone="info">
            Almost there: answer{" "}
            {actionData.detail.unanswered.length === 1
              ? "this question"
              : `these ${actionData.detail.unanswered.length} questions`}{" "}
            to complete the lesson.
            <ul className="mt-1 list-disc pl-5">
              {actionData.detail.unanswered.map((q) => (
                <li key={q.key}>
                  <a href={`#quiz-${q.key}`}>{q.prompt}</a>
                </li>
              ))}
            </ul>
          </FormMessage>
        ) : null}
        {canRate ? (
          <LessonRatingForm
            rating={rating}
            saved={rated}
            error={actionData?.detail?.rating ? (actionData.formError ?? null) : null}
          />
        ) : null}
        <nav aria-label="Previous and next lesson" className="mt-4 flex flex-col gap-3 sm:flex-row sm:justify-between">
          {previous ? (
            <Link to={`/learn/${module.slug}/${previous.slug}`} className="btn-secondary">
              ← {previous.title}
            </Link>
          ) : (
            <span />
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="finish" />
            <button type="submit" className="btn w-full" disabled={finishing}>
              {status === "completed"
                ? next
                  ? `Next: ${next.title} →`
                  : `Back to ${module.title}`
                : next
                  ? "Finish and continue →"
                  : "Finish the module"}
            </button>
          </Form>
        </nav>
      </footer>
    </article>
  );
}

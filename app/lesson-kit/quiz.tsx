import { createContext, useContext, useId, useState, type ReactNode } from "react";
import { useFetcher } from "react-router";
import { isQueuedAnswer } from "~/shared/offline";
import { QueuedAnswerNote } from "~/ui/queued-answer";
import { useHydrated } from "~/ui/use-hydrated";
import { useLessonState, type QuizResult } from "./lesson-state";

type QuizContextValue = { quizId: string; multiple: boolean; result: QuizResult | undefined; name: string };
const QuizContext = createContext<QuizContextValue | null>(null);

/**
 * A question inside a lesson. The browser knows only the prompt and the choices; the server
 * scores the answer and only then sends back what was right and why.
 */
export function Quiz({
  id,
  prompt,
  multiple,
  children,
}: {
  id: string;
  prompt: string;
  multiple?: boolean | string;
  children?: ReactNode;
}) {
  const state = useLessonState();
  const fetcher = useFetcher();
  const hydrated = useHydrated();
  // Quiz ids come from the lesson: an own property only, never an inherited member.
  const result = Object.hasOwn(state.results, id) ? state.results[id] : undefined;
  const [retrying, setRetrying] = useState(false);
  const name = useId();
  const isMultiple = multiple !== undefined && multiple !== false;
  const showResult = result && !retrying;
  const busy = fetcher.state !== "idle";
  // Answered offline: kept on the phone until the server can be reached (app/features/offline).
  const queued = isQueuedAnswer(fetcher.data);
  const fetchError =
    fetcher.data && typeof fetcher.data === "object" && "formError" in fetcher.data
      ? (fetcher.data.formError as string | null)
      : null;
  const error = fetchError ?? (state.error?.question === id ? state.error.message : null);
  const headingId = `quiz-${id}-prompt`;

  return (
    <section
      id={`quiz-${id}`}
      className="my-6 scroll-mt-20 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
      aria-labelledby={headingId}
    >
      <p className="mb-1 text-xs font-bold uppercase tracking-wide text-brand-700">
        Check yourself{isMultiple ? " · pick all that apply" : ""}
      </p>
      <h3 id={headingId} className="!mt-0 mb-3 text-base font-semibold leading-snug">
        {prompt}
      </h3>
      <QuizContext.Provider value={{ quizId: id, multiple: isMultiple, result: showResult ? result : undefined, name }}>
        <fetcher.Form method="post" action={state.action} preventScrollReset onSubmit={() => setRetrying(false)}>
          <input type="hidden" name="intent" value="answer" />
          <input type="hidden" name="question" value={id} />
          <input type="hidden" name="submission" value={state.submission} />
          {hydrated ? <input type="hidden" name="js" value="1" /> : null}
          <fieldset disabled={busy || Boolean(showResult) || queued}>
            <legend className="sr-only">{prompt}</legend>
            <div className="flex flex-col gap-2">{children}</div>
          </fieldset>
          {error && !showResult ? (
            <p role="alert" className="field-error">
              {error}
            </p>
          ) : null}
          {showResult ? (
            <Feedback result={result} onRetry={() => setRetrying(true)} focus={state.lastAnswered === id} />
          ) : queued ? (
            <QueuedAnswerNote />
          ) : (
            <button type="submit" className="btn mt-3" disabled={busy}>
              {busy ? "Checking…" : "Check answer"}
            </button>
          )}
        </fetcher.Form>
      </QuizContext.Provider>
    </section>
  );
}

function Feedback({ result, onRetry, focus }: { result: QuizResult; onRetry: () => void; focus: boolean }) {
  const verdict = result.correct
    ? "Right."
    : result.score > 0
      ? `Partly right: ${Math.round(result.score * 100)}%.`
      : "Not quite.";
  return (
    // eslint-disable-next-line jsx-a11y/no-autofocus -- only the verdict the user just asked for; it moves focus to the result, also without JavaScript after the page reloads
    <div role="status" className="mt-3" tabIndex={focus ? -1 : undefined} autoFocus={focus}>
      <p className={`font-semibold ${result.correct ? "text-emerald-800" : "text-red-800"}`}>{verdict}</p>
      {result.earlierVersion ? (
        <p className="mt-1 text-sm text-slate-700">
          You answered this on an earlier version of the lesson; the question may have changed since.
        </p>
      ) : null}
      {/* A right answer has nothing left to try, unless it was given on an earlier version. */}
      {result.correct && !result.earlierVersion ? null : (
        <button type="button" className="btn-secondary mt-2 text-sm" onClick={onRetry}>
          {result.earlierVersion ? "Answer it again" : "Try again"}
        </button>
      )}
    </div>
  );
}

export function Choice({ value, children }: { value?: string; children?: ReactNode }) {
  const quiz = useContext(QuizContext);
  if (!quiz || !value) return null;
  const { result, multiple, name } = quiz;
  const chosen = result?.chosen.includes(value) ?? false;
  const isRight = result?.correctChoices.includes(value) ?? false;
  const explanation = result && Object.hasOwn(result.explanations, value) ? result.explanations[value] : undefined;
  const tone = !result
    ? "border-slate-200 hover:border-brand-600"
    : isRight
      ? "border-emerald-400 bg-emerald-50"
      : chosen
        ? "border-red-300 bg-red-50"
        : "border-slate-200 opacity-80";
  return (
    <label className={`flex cursor-pointer items-start gap-3 rounded-lg border p-3 ${tone}`}>
      <input
        type={multiple ? "checkbox" : "radio"}
        name="choice"
        value={value}
        defaultChecked={chosen}
        key={`${name}-${chosen}`}
        required={!multiple}
        className="mt-1 size-4 shrink-0 accent-brand-600"
      />
      <span className="flex-1">
        <span className="block">{children}</span>
        {result && (isRight || chosen) ? (
          <span className={`mt-1 block text-sm ${isRight ? "text-emerald-900" : "text-red-900"}`}>
            <strong>{isRight ? (chosen ? "Your pick, and right. " : "The right answer. ") : "Your pick. "}</strong>
            {explanation}
          </span>
        ) : null}
      </span>
    </label>
  );
}

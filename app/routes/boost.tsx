import { Form, Link, redirect, useActionData, useLoaderData, useNavigation } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/boost";
import { randomToken } from "~/db/ids";
import { requireUser } from "~/features/auth/require-user.server";
import { handleForm } from "~/features/forms";
import { answerOrQueue, keepPageWhileQueued } from "~/features/offline/answer-queue";
import { answerBoostCard, lastBoostFeedback } from "~/features/learning/boost-answers.server";
import { currentStreak } from "~/features/learning/progress-report.server";
import { openTodaysBoost } from "~/features/reinforcement/boost.server";
import { FormMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";
import { waitingBeyondText } from "~/ui/backlog";
import { AnswerFeedback } from "~/ui/answer-feedback";
import { ChoicePicker } from "~/ui/choice-picker";
import { QueuedAnswerNote } from "~/ui/queued-answer";
import { isQueuedAnswer } from "~/shared/offline";
import { comesBackText, nextBoostText } from "~/ui/dates";
import { dayLabel } from "~/shared/date-formats";
import { dayIn } from "~/shared/days";

export const meta: Route.MetaFunction = () => [{ title: "Daily boost · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "practice");
  const now = new Date();
  const reviewed = new URL(args.request.url).searchParams.get("reviewed");
  const feedback = reviewed ? await lastBoostFeedback(db(), user.id, reviewed) : null;
  const boost = await openTodaysBoost(db(), user, now);
  return {
    boost,
    // Said at the end of a boost, with its score and what comes back when.
    streak: boost.state === "done" ? await currentStreak(db(), user, now) : null,
    feedback,
    submission: randomToken(12),
    now,
    timezone: user.timezone,
  };
}

const answerSchema = z.object({
  boost: z
    .string({ error: "The form is out of date. Reload the page." })
    .regex(/^[a-z0-9]{10,40}$/, { error: "The form is out of date. Reload the page." }),
  card: z
    .string({ error: "The form is out of date. Reload the page." })
    .regex(/^[a-z0-9]{10,40}$/, { error: "The form is out of date. Reload the page." }),
  choice: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string().regex(/^c\d{1,2}$/, { error: "That answer is not one of the choices." })).max(6),
  ),
  // Nothing is chosen for the rep: how sure they were is theirs to say.
  confidence: z.enum(["guessed", "knew", "easy"], { error: "Say how sure you were." }),
  submission: z
    .string({ error: "The form is out of date. Reload the page." })
    .regex(/^[a-z0-9]{8,60}$/, { error: "The form is out of date. Reload the page." }),
});

export async function action(args: Route.ActionArgs) {
  const user = requireUser(args, "practice");
  return handleForm(
    args.request,
    answerSchema,
    async (input) => {
      await answerBoostCard(db(), {
        user,
        boostId: input.boost,
        cardId: input.card,
        chosen: input.choice,
        confidence: input.confidence,
        submissionId: `${input.submission}-${input.card}`,
        now: new Date(),
      });
      throw redirect(`/boost?reviewed=${input.card}`, 303);
    },
    { oneMessage: true },
  );
}

/** An answer that cannot reach the server is kept on the phone and sent when it is back online. */
export async function clientAction({ request, serverAction }: Route.ClientActionArgs) {
  return answerOrQueue(request, serverAction);
}

export const shouldRevalidate = keepPageWhileQueued;

type BoostPage = ReturnType<typeof useLoaderData<typeof loader>>;
type BoostIn<S extends BoostPage["boost"]["state"]> = Extract<BoostPage["boost"], { state: S }>;
type When = { now: BoostPage["now"]; timezone: string };

export default function Boost() {
  const { boost, streak, feedback, submission, now, timezone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";

  if (feedback) {
    return (
      <div className="mx-auto max-w-xl">
        <PageHeader title="Daily boost" />
        <AnswerFeedback feedback={feedback} now={now} timezone={timezone}>
          <Link to="/boost" className="btn mt-4">
            {boost.state === "open" ? "Next question" : "Finish"}
          </Link>
        </AnswerFeedback>
      </div>
    );
  }

  return (
    <div className="mx-auto max-w-xl">
      <PageHeader title="Daily boost">
        A few questions from lessons you've done, just as you're about to forget them.
      </PageHeader>
      {boost.state === "vacation" ? (
        <VacationHold until={dayLabel(boost.until, dayIn(timezone, new Date(now)))} />
      ) : null}
      {boost.state === "empty" ? <NothingDue nextDue={boost.nextDue} now={now} timezone={timezone} /> : null}
      {boost.state === "done" ? (
        <DoneForToday boost={boost} streak={streak ?? 0} now={now} timezone={timezone} />
      ) : null}
      {isQueuedAnswer(actionData) ? (
        <div className="card">
          <QueuedAnswerNote />
        </div>
      ) : boost.state === "open" ? (
        <QuestionForm boost={boost} submission={submission} busy={busy} error={actionData?.formError ?? undefined} />
      ) : null}
    </div>
  );
}

function VacationHold({ until }: { until: string }) {
  return (
    <p className="card">
      You're on a vacation hold until you're back on {until}. Your questions will be waiting, on the same schedule.{" "}
      <Link to="/account/reminders">Change the hold</Link>
    </p>
  );
}

function NothingDue({ nextDue, now, timezone }: { nextDue: BoostIn<"empty">["nextDue"] } & When) {
  return (
    <div className="card">
      <p className="text-lg font-semibold">Nothing due right now.</p>
      <p className="mt-1 text-slate-700">
        {nextDue
          ? comesBackText(nextDue, now, timezone, "Your next question")
          : "Finish a lesson and its questions join your boosts."}
      </p>
      <Link to="/library" className="btn mt-4">
        Find a lesson
      </Link>
    </div>
  );
}

/** The end of the day's boost: what was done (the score), the streak, and what comes back when. */
function DoneForToday({ boost, streak, now, timezone }: { boost: BoostIn<"done">; streak: number } & When) {
  return (
    <section className="card" aria-labelledby="done-heading">
      <h2 id="done-heading" className="text-lg font-semibold">
        Done for today: {boost.total} question{boost.total === 1 ? "" : "s"} reviewed, {boost.right} right.
      </h2>
      <ul className="mt-2 flex flex-col gap-1 text-slate-700">
        <li>
          {streak > 1 ? (
            <>
              You're on a <strong>{streak}-day</strong> streak.
            </>
          ) : streak === 1 ? (
            "That's day one of a streak: come back tomorrow to keep it going."
          ) : (
            "A lesson or a boost tomorrow starts a streak."
          )}
        </li>
        <li>
          {nextBoostText(boost, now, timezone) ??
            "Nothing else is due: finish a lesson and its questions join your boosts."}
        </li>
      </ul>
      <Link to="/today" className="btn mt-4">
        Back to Today
      </Link>
    </section>
  );
}

function QuestionForm({
  boost,
  submission,
  busy,
  error,
}: {
  boost: BoostIn<"open">;
  submission: string;
  busy: boolean;
  error?: string;
}) {
  return (
    <Form method="post" className="card">
      <p className="text-sm text-slate-600">
        Question {boost.answered + 1} of {boost.total} · from “{boost.current.lessonTitle}”
      </p>
      {boost.answered === 0 && boost.waiting > 0 ? (
        <p className="mt-1 text-sm text-slate-600">{waitingBeyondText(boost)}</p>
      ) : null}
      <ChoicePicker question={boost.current} busy={busy} />
      <ConfidencePicker busy={busy} />
      <input type="hidden" name="boost" value={boost.boostId} />
      <input type="hidden" name="card" value={boost.current.cardId} />
      <input type="hidden" name="submission" value={submission} />
      {error ? (
        <div className="mt-3">
          <FormMessage>{error}</FormMessage>
        </div>
      ) : null}
      <button type="submit" className="btn mt-4 w-full sm:w-auto" disabled={busy}>
        {busy ? "Checking…" : "Check"}
      </button>
    </Form>
  );
}

// None is preselected: how sure the rep was is theirs to say, and the action asks for one.
function ConfidencePicker({ busy }: { busy: boolean }) {
  return (
    <fieldset className="mt-4" disabled={busy}>
      <legend className="text-sm font-medium text-slate-700">How sure are you?</legend>
      <div className="mt-1 flex flex-wrap gap-2 text-sm">
        {(
          [
            ["guessed", "I'm guessing"],
            ["knew", "I know this"],
            ["easy", "That's easy"],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="flex items-center gap-1 rounded-full border border-slate-300 px-3 py-1">
            <input type="radio" name="confidence" value={value} required className="accent-brand-600" /> {text}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

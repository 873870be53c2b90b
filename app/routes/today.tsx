import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/today";
import { requireUser } from "~/features/auth/require-user.server";
import { lessonToContinue } from "~/features/content/catalog.server";
import { currentStreak } from "~/features/learning/progress-report.server";
import { assignmentsForRep } from "~/features/coaching/assignments.server";
import { unreadNotifications } from "~/features/practice/notifications.server";
import { organizationSettings } from "~/features/people/organizations.server";
import { boostSummary } from "~/features/reinforcement/boost.server";
import { waitingBeyondText } from "~/ui/backlog";
import { comesBackText, nextBoostText } from "~/ui/dates";
import { dayLabel } from "~/shared/date-formats";
import { dayIn } from "~/shared/days";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Today · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "today");
  const now = new Date();
  // Independent reads, started together: on PostgreSQL their round trips overlap.
  const [boost, next, streak, notifications, assignments] = await Promise.all([
    organizationSettings(db(), user.orgId).then((settings) => boostSummary(db(), user, settings.boostMinutes, now)),
    lessonToContinue(db(), user),
    currentStreak(db(), user, now),
    unreadNotifications(db(), user.id),
    assignmentsForRep(db(), user, now),
  ]);
  return {
    firstName: user.name.split(" ")[0],
    boost,
    next,
    streak,
    notifications,
    assignments: assignments.filter((a) => a.status !== "completed"),
    now,
    timezone: user.timezone,
  };
}

export default function Today() {
  const { firstName, boost, next, streak, notifications, assignments, now, timezone } = useLoaderData<typeof loader>();
  const today = dayIn(timezone, new Date(now));
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader title="Today">
        Good to see you, {firstName}.{" "}
        {streak > 0 ? (
          <span>
            You're on a <strong>{streak}-day</strong> streak.
          </span>
        ) : (
          "Three minutes today starts a streak."
        )}
      </PageHeader>

      {notifications.length > 0 ? (
        <section aria-label="New for you" className="mb-4 flex flex-col gap-2">
          {notifications.map((n) => (
            <Link
              key={n.id}
              to={n.link}
              className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-2 text-amber-950"
            >
              {n.title}
            </Link>
          ))}
        </section>
      ) : null}

      <section aria-labelledby="boost-heading" className="card mb-4 border-l-4 border-l-brand-600">
        <h2 id="boost-heading" className="text-lg font-semibold">
          Daily boost
        </h2>
        {boost.state === "open" ? (
          <>
            <p className="mt-1 text-slate-700">
              {boost.due - boost.answered} question{boost.due - boost.answered === 1 ? "" : "s"} due · about{" "}
              {boost.minutes} minute{boost.minutes === 1 ? "" : "s"}
            </p>
            {boost.waiting > 0 ? <p className="mt-1 text-sm text-slate-600">{waitingBeyondText(boost)}</p> : null}
            <Link to="/boost" className="btn mt-3">
              {boost.answered > 0 ? "Continue your boost" : "Start your boost"}
            </Link>
          </>
        ) : null}
        {boost.state === "done" ? (
          <p className="mt-1 text-emerald-800">Done for today. Nice work. {nextBoostText(boost, now, timezone)}</p>
        ) : null}
        {boost.state === "empty" ? (
          <p className="mt-1 text-slate-700">
            {boost.nextDue
              ? `Nothing due. ${comesBackText(boost.nextDue, now, timezone, "Your next question")}`
              : "Finish a lesson and its questions will come back here to keep them fresh."}
          </p>
        ) : null}
        {boost.state === "vacation" ? (
          <p className="mt-1 text-slate-700">
            On hold until you're back on {dayLabel(boost.until, today)}. <Link to="/account/reminders">Change</Link>
          </p>
        ) : null}
      </section>

      {assignments.length > 0 ? (
        <section aria-labelledby="assignments-heading" className="card mb-4">
          <h2 id="assignments-heading" className="text-lg font-semibold">
            Assigned to you
          </h2>
          <ul className="mt-2 flex flex-col gap-2">
            {assignments.map((a) => (
              <li key={a.id} className="flex flex-wrap items-baseline justify-between gap-2">
                <Link to={a.link} className="font-medium">
                  {a.title}
                </Link>
                <span className={`text-sm ${a.status === "overdue" ? "font-semibold text-red-800" : "text-slate-600"}`}>
                  {a.status === "overdue" ? "Overdue" : a.status === "in_progress" ? "In progress" : "Not started"} ·
                  due {dayLabel(a.dueDay, today)}
                </span>
                {a.note ? <p className="w-full text-sm text-slate-600">“{a.note}”</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {next ? (
        <section aria-labelledby="continue-heading" className="card mb-4">
          <h2 id="continue-heading" className="text-lg font-semibold">
            {next.started ? "Pick up where you left off" : "Your next lesson"}
          </h2>
          <p className="mt-1">
            <Link to={`/learn/${next.moduleSlug}/${next.slug}`} className="font-medium">
              {next.title}
            </Link>{" "}
            <span className="text-slate-600">· {next.minutes} min</span>
          </p>
        </section>
      ) : null}

      <section aria-labelledby="prep-heading" className="card">
        <h2 id="prep-heading" className="text-lg font-semibold">
          Call coming up?
        </h2>
        <p className="mt-1 text-slate-700">Get the key points for the conversation ahead in five minutes.</p>
        <Link to="/prep" className="btn-secondary mt-3">
          Prep for a call
        </Link>
      </section>
    </div>
  );
}

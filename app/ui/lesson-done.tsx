import { Link } from "react-router";
import { comesBackText } from "./dates";

/** What the loader hands over about a lesson just completed (features/learning lessonDone). */
export type LessonDoneView = {
  title: string;
  questions: number;
  rightFirstTime: number;
  cards: number;
  firstDue: Date | string | null;
};

/**
 * The short note shown once after finishing a lesson, on the page the rep lands on next: what was
 * done (the first-answer score), the streak, and when its questions come back. Not a dialog: it
 * sits above the page, and "Dismiss" (a plain link) takes it away.
 */
export function LessonDoneNote({
  done,
  streak,
  moduleDone,
  now,
  timezone,
  dismiss,
}: {
  done: LessonDoneView;
  streak: number;
  moduleDone?: string | null;
  now: Date | string;
  timezone: string;
  dismiss: string;
}) {
  return (
    <section
      role="status"
      aria-labelledby="lesson-done-heading"
      className="mb-6 rounded-xl border border-emerald-300 bg-emerald-50 px-4 py-3 text-emerald-950"
    >
      <div className="flex items-start justify-between gap-3">
        <h2 id="lesson-done-heading" className="font-semibold">
          Lesson done: “{done.title}”{moduleDone ? `, and with it “${moduleDone}”` : ""}.
        </h2>
        <Link to={dismiss} className="shrink-0 text-sm" preventScrollReset>
          Dismiss
        </Link>
      </div>
      <ul className="mt-1 flex flex-col gap-0.5 text-sm">
        {done.questions > 0 ? (
          <li>
            {done.rightFirstTime} of {done.questions} question{done.questions === 1 ? "" : "s"} right on your first
            answer.
          </li>
        ) : null}
        {streak > 0 ? <li>{streak === 1 ? "Day one of a streak." : `You're on a ${streak}-day streak.`}</li> : null}
        {done.cards > 0 && done.firstDue ? (
          <li>
            {done.cards === 1 ? "Its question joins" : `Its ${done.cards} questions join`} your daily boost.{" "}
            {comesBackText(done.firstDue, now, timezone, done.cards === 1 ? "It" : "The first")}
          </li>
        ) : null}
      </ul>
    </section>
  );
}

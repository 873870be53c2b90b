import { Link } from "react-router";
import { hourLabel } from "~/shared/date-formats";

/** What the checklist reads (features/people/onboarding.server.ts fills it from the database). */
export type OnboardingState = {
  /** People in the organization (the admin included) and invitations not accepted yet. */
  people: number;
  waitingInvitations: number;
  teams: number;
  /** Teams with at least one member. */
  teamsWithReps: number;
  assignments: number;
  /** The digest hour, once an admin has saved the settings; null until then. */
  digestHour: number | null;
  timezone: string;
};

type Step = { title: string; done: boolean; text: string; link: { to: string; label: string } | null };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A new organization's first steps, each ticked from real data and linking to where it is done.
 * `canAssign`: the viewer may open Coaching (a manager); otherwise the step says who assigns.
 */
export function OnboardingChecklist({ state, canAssign }: { state: OnboardingState; canAssign: boolean }) {
  const steps: Step[] = [
    {
      title: "Invite your people",
      done: state.people > 1 || state.waitingInvitations > 0,
      text:
        state.people > 1 || state.waitingInvitations > 0
          ? `${plural(state.people, "person", "people")} here` +
            (state.waitingInvitations ? `, ${plural(state.waitingInvitations, "invitation")} waiting.` : ".")
          : "Invite reps and managers by e-mail: each gets a link to join. A manager invited to a team manages it.",
      link: { to: "/admin/users", label: "Invite people" },
    },
    {
      title: "Make a team and put its reps in it",
      done: state.teamsWithReps > 0,
      text:
        state.teamsWithReps > 0
          ? `${plural(state.teamsWithReps, "team")} with reps.`
          : state.teams > 0
            ? "Your teams have no reps yet: open a team and tick its members."
            : "Teams are how managers follow and assign work to their reps.",
      link: { to: "/admin/teams", label: state.teams > 0 ? "Open your teams" : "Make a team" },
    },
    {
      title: "Assign a first module",
      done: state.assignments > 0,
      text:
        state.assignments > 0
          ? `${plural(state.assignments, "assignment")} made.`
          : canAssign
            ? "Give your team a module with a due date: reps find it on Today."
            : "A team's manager gives it a module with a due date from Coaching; reps find it on Today.",
      link: canAssign ? { to: "/coach/assignments", label: "Assign a module" } : null,
    },
    {
      title: "Set the digest hour",
      done: state.digestHour !== null,
      text:
        state.digestHour !== null
          ? `The daily digest goes out from ${hourLabel(state.digestHour)} (${state.timezone}).`
          : "Choose when reps get their daily reminder, and check your time zone.",
      link: { to: "/admin/settings", label: "Open settings" },
    },
  ];
  const done = steps.filter((s) => s.done).length;
  return (
    <section aria-labelledby="onboarding-heading" className="card mb-6 border-l-4 border-l-brand-600">
      <h2 id="onboarding-heading" className="text-lg font-semibold">
        Getting started
      </h2>
      <p className="text-sm text-slate-600">
        {done === steps.length
          ? "All four done: your organization is set up."
          : `${done} of ${steps.length} done. Each step is ticked as soon as it is done.`}
      </p>
      <ol className="mt-3 flex flex-col gap-3">
        {steps.map((step) => (
          <li key={step.title} className="flex gap-3">
            <span
              aria-hidden="true"
              className={`mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-sm font-bold ${
                step.done ? "bg-emerald-600 text-white" : "border-2 border-slate-300 text-transparent"
              }`}
            >
              ✓
            </span>
            <div className="min-w-0">
              <p className="font-medium">
                <span className="sr-only">{step.done ? "Done: " : "To do: "}</span>
                {step.title}
              </p>
              <p className="text-sm text-slate-700">{step.text}</p>
              {step.link && !step.done ? (
                <Link to={step.link.to} className="mt-1 inline-block text-sm font-medium">
                  {step.link.label} →
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

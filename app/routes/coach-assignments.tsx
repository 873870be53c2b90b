import { Form, Link, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/coach-assignments";
import { randomToken } from "~/db/ids";
import { addDays, dayIn } from "~/shared/days";
import { dayLabel } from "~/shared/date-formats";
import { requireUser } from "~/features/auth/require-user.server";
import {
  assignableTargets,
  assignmentTable,
  cancelAssignment,
  changeDueDay,
  createAssignment,
  recentlyCancelled,
  restoreAssignment,
  targetValue,
  UNDO_CANCEL_DAYS,
} from "~/features/coaching/assignments.server";
import { submitOnce } from "~/features/form-submissions.server";
import { handleForm, MAX_DAYS_AHEAD, submissionField, succeeded, uniqueList } from "~/features/forms";
import { listTeams, managedTeamIds, repsManagedBy } from "~/features/people/teams.server";
import { listPeople } from "~/features/people/users.server";
import { ResultMessage } from "~/ui/form";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = () => [{ title: "Assignments · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const manager = requireUser(args, "coaching");
  const now = new Date();
  const teamIds = await managedTeamIds(db(), manager.orgId, manager.id);
  const repIds = await repsManagedBy(db(), manager.orgId, manager.id);
  return {
    targets: (await assignableTargets(db(), manager.orgId)).map((t) => ({ value: targetValue(t), title: t.title })),
    teams: (await listTeams(db(), manager.orgId)).filter((t) => teamIds.includes(t.id)),
    reps: (await listPeople(db(), manager.orgId))
      .filter((p) => repIds.includes(p.id))
      .map((p) => ({
        id: p.id,
        name: p.name,
        // The manager's teams the rep is a member of: the picker groups reps by the first.
        teams: p.teams.filter((t) => t.role === "member" && teamIds.includes(t.id)).map((t) => t.name),
      })),
    assignments: await assignmentTable(db(), manager.orgId, repIds, now, manager.timezone, teamIds),
    cancelled: await recentlyCancelled(db(), manager, now),
    undoDays: UNDO_CANCEL_DAYS,
    isAdmin: manager.roles.includes("admin"),
    today: dayIn(manager.timezone, now),
    lastDueDay: addDays(dayIn(manager.timezone, now), MAX_DAYS_AHEAD),
    // A fresh key per rendering: the same form sent twice creates one assignment.
    submission: randomToken(12),
  };
}

// The day itself (a calendar day, not in the past) is checked by the feature, for create and change alike.
const day = z.string({ error: "Pick a due date." }).max(40, { error: "Pick a due date." });
// A manager's scope may be a whole organization; the cap keeps one insert within every engine's parameter limit.
export const MAX_ASSIGNED_REPS = 5000;
const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("create"),
      target: z.string({ error: "Pick what to assign." }).min(1, { error: "Pick what to assign." }),
      teamId: z
        .string()
        .optional()
        .transform((v) => v || null),
      repIds: uniqueList(z.string().regex(/^[a-z0-9]{10,40}$/), MAX_ASSIGNED_REPS, "reps"),
      dueDay: day,
      note: z.string().trim().max(500, { error: "Keep the note under 500 characters." }).default(""),
      submission: submissionField,
    }),
    z.object({ intent: z.literal("due"), assignmentId: z.string().min(1), dueDay: day }),
    z.object({ intent: z.literal("cancel"), assignmentId: z.string().min(1) }),
    z.object({ intent: z.literal("restore"), assignmentId: z.string().min(1) }),
  ],
  { error: "That is not something this page can do." },
);

export async function action(args: Route.ActionArgs) {
  const manager = requireUser(args, "coaching");
  return handleForm(
    args.request,
    schema,
    async (input) => {
      const now = new Date();
      if (input.intent === "create") {
        await submitOnce(db(), manager, input.submission, now, (tx) => createAssignment(tx, manager, input, now));
        return succeeded("Assigned. Your reps see it on their Today page.");
      }
      if (input.intent === "due") {
        await changeDueDay(db(), manager, input.assignmentId, input.dueDay, now);
        return succeeded("Due date changed.");
      }
      if (input.intent === "restore") {
        const title = await restoreAssignment(db(), manager, input.assignmentId);
        return succeeded(`${title} is back, with the same reps and due date.`);
      }
      await cancelAssignment(db(), manager, input.assignmentId, now);
      return succeeded("Assignment cancelled. Its reps no longer see it.", { undo: input.assignmentId });
    },
    { oneMessage: true },
  );
}

const STATUS_LABEL = {
  not_started: "not started",
  in_progress: "in progress",
  completed: "completed",
  overdue: "overdue",
} as const;

export default function Assignments() {
  const { targets, teams, reps, assignments, cancelled, undoDays, isAdmin, today, lastDueDay, submission } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const undo = result?.ok && result.detail && "undo" in result.detail ? result.detail.undo : null;
  if (teams.length === 0)
    return (
      <div>
        <PageHeader title="Assignments">
          Give a lesson, a module or a role-play to your reps with a due date.
        </PageHeader>
        <section className="card" aria-labelledby="no-team-heading">
          <h2 id="no-team-heading" className="text-lg font-semibold">
            You don't manage a team yet
          </h2>
          <p className="mt-1 text-slate-700">
            Assignments go to the reps of the teams you manage, so there is nobody to assign to yet.
          </p>
          <p className="mt-2">
            {isAdmin ? (
              <>
                <Link className="underline" to="/admin/teams">
                  Open a team
                </Link>{" "}
                and tick yourself (or another manager) under Managers.
              </>
            ) : (
              "Ask your Flywheel admin to make you a team's manager."
            )}
          </p>
        </section>
      </div>
    );
  return (
    <div>
      <PageHeader title="Assignments">Give a lesson, a module or a role-play to your reps with a due date.</PageHeader>
      <div className="flex flex-wrap items-center gap-2">
        <ResultMessage result={result} />
        {undo ? (
          <Form method="post">
            <input type="hidden" name="intent" value="restore" />
            <input type="hidden" name="assignmentId" value={undo} />
            <button type="submit" className="btn-secondary text-sm">
              Undo
            </button>
          </Form>
        ) : null}
      </div>
      {reps.length === 0 ? (
        <p className="card mt-4 text-slate-700">
          Your {teams.length === 1 ? "team has" : "teams have"} no reps yet. You can still assign to a team: reps who
          join it later get it, with as long as the team had.{" "}
          {isAdmin ? (
            <Link className="underline" to="/admin/teams">
              Add reps to a team
            </Link>
          ) : (
            "Your admin adds reps to teams."
          )}
        </p>
      ) : null}
      <Form method="post" className="card my-4 grid gap-4 md:grid-cols-2">
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="submission" value={submission} />
        <div className="md:col-span-2">
          <label htmlFor="assign-target" className="label">
            What
          </label>
          <select id="assign-target" name="target" className="field" required>
            <option value="">Choose a module, lesson or role-play…</option>
            {targets.map((t) => (
              <option key={t.value} value={t.value}>
                {t.title}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="assign-team" className="label">
            To a whole team
          </label>
          <select id="assign-team" name="teamId" className="field" aria-describedby="assign-team-hint">
            <option value="">No team: pick reps below</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name} (reps who join later get it too)
              </option>
            ))}
          </select>
          <p id="assign-team-hint" className="mt-1 text-sm text-slate-600">
            A rep who joins later has as long from joining as the team had from today.
          </p>
        </div>
        <div>
          <label htmlFor="assign-due" className="label">
            Due
          </label>
          <input id="assign-due" name="dueDay" type="date" min={today} max={lastDueDay} required className="field" />
        </div>
        <fieldset className="md:col-span-2">
          <legend className="label">Or to these reps</legend>
          {repsByTeam(reps).map(([team, members]) => (
            <div key={team} className="mb-2">
              <p className="text-sm font-semibold text-slate-700">{team}</p>
              <div className="grid grid-cols-1 gap-1 sm:grid-cols-2 md:grid-cols-3">
                {members.map((r) => (
                  <label key={r.id} className="flex items-center gap-2 text-sm">
                    <input type="checkbox" name="repIds" value={r.id} className="accent-brand-600" /> {r.name}
                    {r.teams.length > 1 ? (
                      <span className="text-slate-600">(also {r.teams.slice(1).join(", ")})</span>
                    ) : null}
                  </label>
                ))}
              </div>
            </div>
          ))}
        </fieldset>
        <div className="md:col-span-2">
          <label htmlFor="assign-note" className="label">
            Note (optional)
          </label>
          <input
            id="assign-note"
            name="note"
            maxLength={500}
            className="field"
            placeholder="e.g. Before our pricing workshop on Friday"
          />
        </div>
        <button type="submit" className="btn justify-self-start">
          Assign
        </button>
      </Form>
      {assignments.length === 0 ? (
        <p className="card text-slate-700">
          No assignments yet. Pick a module above, a team and a due date: your reps see it on their Today page and you
          follow it here.
        </p>
      ) : null}
      <ul className="flex flex-col gap-3">
        {assignments.map((a) => (
          <li key={a.id} className="card">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h2 className="font-semibold">{a.title}</h2>
              <span className="text-sm text-slate-600">
                {a.team ?? "individual reps"} · due {dayLabel(a.dueDay, today)}
              </span>
            </div>
            {a.note ? <p className="text-sm text-slate-700">“{a.note}”</p> : null}
            <p className="mt-1 text-sm">
              {a.completed} of {a.recipients} completed
              {a.overdue ? <span className="text-red-800"> · {a.overdue} overdue</span> : null}
            </p>
            <details className="mt-1 text-sm">
              <summary className="cursor-pointer">Reps</summary>
              <ul className="mt-1">
                {a.reps.map((r) => (
                  <li key={r.id}>
                    {r.name}: {STATUS_LABEL[r.status]}
                    {r.dueDay !== a.dueDay ? ` (joined the team later: due ${dayLabel(r.dueDay, today)})` : ""}
                  </li>
                ))}
              </ul>
            </details>
            <div className="mt-2 flex flex-wrap gap-2">
              <Form method="post" className="flex items-end gap-2">
                <input type="hidden" name="intent" value="due" />
                <input type="hidden" name="assignmentId" value={a.id} />
                <label className="text-sm">
                  <span className="sr-only">New due date for {a.title}</span>
                  <input
                    type="date"
                    name="dueDay"
                    defaultValue={a.dueDay}
                    min={today}
                    max={lastDueDay}
                    className="field py-1"
                  />
                </label>
                <button type="submit" className="btn-secondary text-sm">
                  Change due date
                </button>
              </Form>
              {/* A cancel asks first (a disclosure: no script needed), and can be undone. */}
              <details className="text-sm">
                <summary className="btn-secondary cursor-pointer list-none text-sm">Cancel…</summary>
                <Form method="post" className="mt-2 flex flex-wrap items-center gap-2">
                  <input type="hidden" name="intent" value="cancel" />
                  <input type="hidden" name="assignmentId" value={a.id} />
                  <span>Its reps stop seeing it; you can restore it for {undoDays} days.</span>
                  <button type="submit" className="btn-danger text-sm">
                    Cancel “{a.title}”
                  </button>
                </Form>
              </details>
            </div>
          </li>
        ))}
      </ul>
      {cancelled.length > 0 ? (
        <section aria-labelledby="cancelled-heading" className="mt-6">
          <h2 id="cancelled-heading" className="mb-2 text-lg font-semibold">
            Cancelled in the last {undoDays} days
          </h2>
          <ul className="flex flex-col gap-2">
            {cancelled.map((c) => (
              <li key={c.id} className="card flex flex-wrap items-center justify-between gap-2">
                <span>
                  {c.title} · was due {dayLabel(c.dueDay, today)}
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="assignmentId" value={c.id} />
                  <button type="submit" className="btn-secondary text-sm">
                    Restore
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** Reps under their first team's name (teams in name order, reps in name order within each). */
function repsByTeam<R extends { name: string; teams: string[] }>(reps: R[]): Array<[string, R[]]> {
  const groups = new Map<string, R[]>();
  for (const rep of reps) {
    const team = rep.teams[0] ?? "No team";
    groups.set(team, [...(groups.get(team) ?? []), rep]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

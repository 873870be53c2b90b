import { Form, Link, useActionData, useLoaderData } from "react-router";
import { z } from "zod";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/insights-rep";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { mayEnter } from "~/features/auth/access";
import {
  assignableTargets,
  assignmentsForRep,
  createAssignment,
  targetValue,
} from "~/features/coaching/assignments.server";
import { lastNudge, managedRep, MAX_NUDGE_CHARS, nudgeRep } from "~/features/coaching/nudges.server";
import { submitOnce } from "~/features/form-submissions.server";
import { handleForm, MAX_DAYS_AHEAD, submissionField, succeeded } from "~/features/forms";
import { repsManagedBy } from "~/features/people/teams.server";
import { randomToken } from "~/db/ids";
import { dayLabel, momentLabel } from "~/shared/date-formats";
import { addDays, dayIn } from "~/shared/days";
import { ResultMessage } from "~/ui/form";
import { insightsScope } from "~/features/insights/scope.server";
import { recentActivity, skillProgress } from "~/features/learning/progress-report.server";
import { organizationSettings } from "~/features/people/organizations.server";
import { getPerson } from "~/features/people/users.server";
import { roleplayScoresBySkill } from "~/features/practice/roleplay-scoring.server";
import { retentionBySkill } from "~/features/reinforcement/retention.server";
import { RowTable } from "~/ui/data-table";
import { percent, slugLabel } from "~/ui/format";
import { PageHeader } from "~/ui/page";

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.rep.name ?? "Rep"} · Insights · Flywheel` }];

export async function loader(args: Route.LoaderArgs) {
  const viewer = requireUser(args, "insights");
  const scope = await insightsScope(db(), viewer, null);
  if (!scope.repIds.includes(args.params.repId)) throw notFound("That rep is not in your teams.");
  const person = (await getPerson(db(), viewer.orgId, args.params.repId))!;
  const settings = await organizationSettings(db(), viewer.orgId);
  const rep = { id: person.id, orgId: viewer.orgId, timezone: settings.timezone };
  const now = new Date();
  // A manager of the rep's teams can act from here: nudge them, or assign them something.
  const canAct =
    mayEnter(viewer.roles, "coaching") &&
    person.active &&
    (await repsManagedBy(db(), viewer.orgId, viewer.id)).includes(person.id);
  const today = dayIn(settings.timezone, now);
  return {
    rep: {
      id: person.id,
      name: person.name,
      firstName: person.name.split(" ")[0]!,
      email: person.email,
      teams: person.teams.filter((t) => t.role === "member").map((t) => t.name),
    },
    skills: await skillProgress(db(), rep, now),
    retention: await retentionBySkill(db(), [rep.id], settings.desiredRetention, now),
    roleplays: await roleplayScoresBySkill(db(), [rep.id]),
    assignments: await assignmentsForRep(db(), rep, now),
    timeline: await recentActivity(db(), rep, 25),
    lastNudge: await lastNudge(db(), viewer.orgId, person.id),
    act: canAct
      ? {
          targets: (await assignableTargets(db(), viewer.orgId)).map((t) => ({
            value: targetValue(t),
            title: t.title,
          })),
          today,
          lastDueDay: addDays(today, MAX_DAYS_AHEAD),
          maxMessage: MAX_NUDGE_CHARS,
          // A fresh key per rendering: the same nudge or assignment sent twice is sent once.
          submission: randomToken(12),
        }
      : null,
    now,
    timezone: settings.timezone,
  };
}

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("nudge"),
      message: z
        .string({ error: "Write the message to send." })
        .trim()
        .min(1, { error: "Write the message to send." })
        .max(MAX_NUDGE_CHARS, { error: `Keep the message under ${MAX_NUDGE_CHARS} characters.` }),
      submission: submissionField,
    }),
    z.object({
      intent: z.literal("assign"),
      target: z.string({ error: "Pick what to assign." }).min(1, { error: "Pick what to assign." }).max(200),
      // The day itself (a calendar day, not in the past) is checked by createAssignment.
      dueDay: z.string({ error: "Pick a due date." }).max(40, { error: "Pick a due date." }),
      note: z.string().trim().max(500, { error: "Keep the note under 500 characters." }).default(""),
      submission: submissionField,
    }),
  ],
  { error: "That is not something this page can do." },
);

export async function action(args: Route.ActionArgs) {
  const manager = requireUser(args, "coaching");
  return handleForm(args.request, schema, async (input) => {
    const now = new Date();
    const rep = await managedRep(db(), manager, args.params.repId);
    if (input.intent === "nudge") {
      await submitOnce(db(), manager, input.submission, now, (tx) => nudgeRep(tx, manager, rep.id, input.message, now));
      return succeeded(`Nudge sent to ${rep.name}. It is in the outbox if no mail server is set up.`);
    }
    const { submission, intent: _intent, ...assignment } = input;
    await submitOnce(db(), manager, submission, now, (tx) =>
      createAssignment(tx, manager, { ...assignment, teamId: null, repIds: [rep.id] }, now),
    );
    return succeeded(`Assigned to ${rep.name}: they see it on their Today page and got an e-mail about it.`);
  });
}

const STATUS = {
  not_started: "Not started",
  in_progress: "In progress",
  completed: "Completed",
  overdue: "Overdue",
} as const;

export default function RepDrillDown() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const today = dayIn(d.timezone, new Date(d.now));
  return (
    <div>
      <p className="text-sm">
        <Link to="/insights">← Insights</Link>
      </p>
      <PageHeader title={d.rep.name}>
        {d.rep.email} · {d.rep.teams.join(", ") || "no team"}
      </PageHeader>
      {d.act ? (
        <>
          <div className="mb-4">
            <ResultMessage result={result} />
          </div>
          <div className="mb-6 grid grid-cols-1 gap-4 lg:grid-cols-2">
            <NudgeForm d={d} act={d.act} error={result?.fieldErrors.message} />
            <AssignForm d={d} act={d.act} errors={result?.fieldErrors ?? {}} />
          </div>
        </>
      ) : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <section className="card" aria-labelledby="skills-heading">
          <h2 id="skills-heading" className="mb-2 font-semibold">
            Skills
          </h2>
          <RowTable
            columns={["Skill", "Lessons", "First-try accuracy", "Recall now"]}
            rows={d.skills.map((s) => {
              const r = d.retention.find((x) => x.skill === s.skill);
              return {
                key: s.skill,
                label: slugLabel(s.skill),
                cells: [
                  `${s.lessonsCompleted} of ${s.lessonsTotal}`,
                  percent(s.accuracy),
                  r ? `${percent(r.meanRetrievability)} (${r.atRisk} at risk)` : "—",
                ],
              };
            })}
          />
        </section>
        <section className="card" aria-labelledby="scores-heading">
          <h2 id="scores-heading" className="mb-2 font-semibold">
            Role-play scores
          </h2>
          {d.roleplays.length === 0 ? <p className="text-sm text-slate-600">No scored role-plays yet.</p> : null}
          <ul className="text-sm">
            {d.roleplays.map((r) => (
              <li key={r.skill}>
                {slugLabel(r.skill)}: first {Math.round(r.first)}, best {Math.round(r.best)}, latest{" "}
                {Math.round(r.latest)} (lift {Math.round(r.lift)})
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="assign-heading">
          <h2 id="assign-heading" className="mb-2 font-semibold">
            Assignments
          </h2>
          {d.assignments.length === 0 ? <p className="text-sm text-slate-600">None.</p> : null}
          <ul className="text-sm">
            {d.assignments.map((a) => (
              <li key={a.id} className="flex justify-between gap-2 border-t border-slate-100 py-1">
                <span>{a.title}</span>
                <span className={a.status === "overdue" ? "text-red-800" : "text-slate-700"}>
                  {STATUS[a.status]} · due {dayLabel(a.dueDay, today)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="timeline-heading">
          <h2 id="timeline-heading" className="mb-2 font-semibold">
            Timeline
          </h2>
          <ol className="text-sm">
            {d.timeline.map((t, i) => (
              <li key={i} className="flex justify-between gap-2 border-t border-slate-100 py-1">
                <span>
                  {t.verb} {t.object}
                </span>
                <time dateTime={new Date(t.at).toISOString()} className="shrink-0 text-slate-500">
                  {momentLabel(new Date(t.at), d.timezone, new Date(d.now))}
                </time>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}

type DrillDown = ReturnType<typeof useLoaderData<typeof loader>>;
type Act = NonNullable<DrillDown["act"]>;

/** A message to the rep by e-mail, at most one a day (whoever sends it); the last one is said. */
function NudgeForm({ d, act, error }: { d: DrillDown; act: Act; error?: string }) {
  return (
    <section className="card" aria-labelledby="nudge-heading">
      <h2 id="nudge-heading" className="font-semibold">
        Nudge {d.rep.firstName}
      </h2>
      <p className="text-sm text-slate-600">
        {d.lastNudge
          ? `Last nudged ${momentLabel(new Date(d.lastNudge.at), d.timezone, new Date(d.now))} by ${d.lastNudge.by}. `
          : ""}
        An e-mail with your message and a link to their Today page; one a day at most.
      </p>
      <Form method="post" className="mt-2 flex flex-col gap-2">
        <input type="hidden" name="intent" value="nudge" />
        <input type="hidden" name="submission" value={act.submission} />
        <label htmlFor="nudge-message" className="label">
          Message
        </label>
        <textarea
          id="nudge-message"
          name="message"
          rows={3}
          maxLength={act.maxMessage}
          required
          className="field"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "nudge-message-error" : undefined}
          placeholder={`e.g. ${d.rep.firstName}, ten minutes on today's boost before your calls?`}
        />
        {error ? (
          <p id="nudge-message-error" className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn self-start">
          Send nudge
        </button>
      </Form>
    </section>
  );
}

/** Assigning to this rep alone, with the assignments feature (the rep is mailed as from Coaching). */
function AssignForm({ d, act, errors }: { d: DrillDown; act: Act; errors: Record<string, string | undefined> }) {
  return (
    <section className="card" aria-labelledby="assign-to-heading">
      <h2 id="assign-to-heading" className="font-semibold">
        Assign to {d.rep.firstName}
      </h2>
      <Form method="post" className="mt-2 grid gap-2 sm:grid-cols-2">
        <input type="hidden" name="intent" value="assign" />
        <input type="hidden" name="submission" value={act.submission} />
        <div className="sm:col-span-2">
          <label htmlFor="assign-target" className="label">
            What
          </label>
          <select id="assign-target" name="target" className="field" required>
            <option value="">Choose a module, lesson or role-play…</option>
            {act.targets.map((t) => (
              <option key={t.value} value={t.value}>
                {t.title}
              </option>
            ))}
          </select>
          {errors.target ? <p className="field-error">{errors.target}</p> : null}
        </div>
        <div>
          <label htmlFor="assign-due" className="label">
            Due
          </label>
          <input
            id="assign-due"
            name="dueDay"
            type="date"
            min={act.today}
            max={act.lastDueDay}
            required
            className="field"
          />
          {errors.dueDay ? <p className="field-error">{errors.dueDay}</p> : null}
        </div>
        <div>
          <label htmlFor="assign-note" className="label">
            Note (optional)
          </label>
          <input id="assign-note" name="note" maxLength={500} className="field" />
        </div>
        <button type="submit" className="btn justify-self-start">
          Assign
        </button>
      </Form>
    </section>
  );
}

import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/insights-rep";
import { notFound, requireUser } from "~/features/auth/require-user.server";
import { assignmentsForRep } from "~/features/coaching/assignments.server";
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
  return {
    rep: {
      name: person.name,
      email: person.email,
      teams: person.teams.filter((t) => t.role === "member").map((t) => t.name),
    },
    skills: await skillProgress(db(), rep, now),
    retention: await retentionBySkill(db(), [rep.id], settings.desiredRetention, now),
    roleplays: await roleplayScoresBySkill(db(), [rep.id]),
    assignments: await assignmentsForRep(db(), rep, now),
    timeline: await recentActivity(db(), rep, 25),
    timezone: settings.timezone,
  };
}

const STATUS = {
  not_started: "Not started",
  in_progress: "In progress",
  completed: "Completed",
  overdue: "Overdue",
} as const;

export default function RepDrillDown() {
  const d = useLoaderData<typeof loader>();
  return (
    <div>
      <p className="text-sm">
        <Link to="/insights">← Insights</Link>
      </p>
      <PageHeader title={d.rep.name}>
        {d.rep.email} · {d.rep.teams.join(", ") || "no team"}
      </PageHeader>
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
                  `${s.lessonsCompleted}/${s.lessonsTotal}`,
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
                  {STATUS[a.status]} · due {a.dueDay}
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
                <time className="shrink-0 text-slate-500">
                  {new Date(t.at).toLocaleDateString("en-US", { timeZone: d.timezone, month: "short", day: "numeric" })}
                </time>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}

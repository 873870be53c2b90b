import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/progress";
import { requireUser } from "~/features/auth/require-user.server";
import {
  currentStreak,
  recentActivity,
  skillProgress,
  TREND_MIN_ANSWERS,
  TREND_STEADY_POINTS,
  TREND_WINDOW_DAYS,
  type SkillProgress,
} from "~/features/learning/progress-report.server";
import { RowTable } from "~/ui/data-table";
import { ScrollArea } from "~/ui/scroll-area";
import { percent, slugLabel } from "~/ui/format";
import { organizationSettings } from "~/features/people/organizations.server";
import { roleplayScoresBySkill } from "~/features/practice/roleplay-scoring.server";
import { mySubmissions } from "~/features/practice/roleplay-views.server";
import { retentionBySkill } from "~/features/reinforcement/retention.server";
import { PageHeader } from "~/ui/page";
import { momentLabel } from "~/shared/date-formats";

export const meta: Route.MetaFunction = () => [{ title: "Progress · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "progress");
  const now = new Date();
  const target = (await organizationSettings(db(), user.orgId)).desiredRetention;
  return {
    skills: await skillProgress(db(), user, now),
    retention: await retentionBySkill(db(), [user.id], target, now),
    target,
    activity: await recentActivity(db(), user),
    roleplayScores: await roleplayScoresBySkill(db(), [user.id]),
    submissions: await mySubmissions(db(), user),
    streak: await currentStreak(db(), user, now),
    timezone: user.timezone,
    now,
    trendDays: TREND_WINDOW_DAYS,
    trendMin: TREND_MIN_ANSWERS,
    trendSteady: TREND_STEADY_POINTS,
  };
}

function Trend({ trend, min, steady }: { trend: SkillProgress["trend"]; min: number; steady: number }) {
  if (trend.change === null) {
    // Say what is missing: the windows' answers so far, against the stated minimum.
    const short = trend.earlier < min ? "earlier" : "recent";
    const have = short === "earlier" ? trend.earlier : trend.recent;
    return (
      <span className="text-slate-600">
        not yet: {have} of {min} {short} answers
      </span>
    );
  }
  const points = Math.round(trend.change * 100);
  if (Math.abs(points) < steady) return <span className="text-slate-700">steady</span>;
  return (
    <span className={points > 0 ? "text-emerald-800" : "text-red-800"}>
      <span aria-hidden="true">{points > 0 ? "▲" : "▼"}</span> {points > 0 ? "up" : "down"} {Math.abs(points)} points
    </span>
  );
}

export default function Progress() {
  const {
    skills,
    retention,
    target,
    activity,
    roleplayScores,
    submissions,
    streak,
    timezone,
    now,
    trendDays,
    trendMin,
    trendSteady,
  } = useLoaderData<typeof loader>();
  return (
    <div>
      <PageHeader title="Your progress">What you've learned and how well it's sticking.</PageHeader>
      <p className="card mb-6 text-lg">
        <strong className="text-2xl">{streak}</strong> day{streak === 1 ? "" : "s"} in a row{" "}
        <span className="text-base text-slate-600">
          {streak === 0 ? "— one short lesson or boost today starts a new streak." : "— keep it going today."}
        </span>
      </p>
      <section aria-labelledby="skills-heading" className="mb-8">
        <h2 id="skills-heading" className="mb-3 text-lg font-semibold">
          By skill
        </h2>
        <div className="card">
          <ScrollArea label="Your skills">
            <RowTable
              columns={["Skill", "Lessons completed", "First-try accuracy", "Trend"]}
              rows={skills.map((s) => ({
                key: s.skill,
                label: slugLabel(s.skill),
                cells: [
                  `${s.lessonsCompleted} of ${s.lessonsTotal}`,
                  s.accuracy === null ? "—" : `${percent(s.accuracy)} of ${s.firstAttempts}`,
                  <Trend trend={s.trend} min={trendMin} steady={trendSteady} />,
                ],
              }))}
            />
          </ScrollArea>
          <p className="mt-3 text-xs text-slate-600">
            First-try accuracy counts only your first answer to each question. The trend compares the last {trendDays}{" "}
            days with the {trendDays} before, once each has at least {trendMin} first answers; a change of less than{" "}
            {trendSteady} points is steady.
          </p>
        </div>
      </section>
      <section aria-labelledby="retention-heading" className="mb-8">
        <h2 id="retention-heading" className="mb-3 text-lg font-semibold">
          What's sticking
        </h2>
        {retention.length === 0 ? (
          <p className="card text-slate-700">
            Finish a lesson and its questions start coming back in your daily boost. Their retention shows here.
          </p>
        ) : (
          <div className="card">
            <ScrollArea label="What's sticking, by skill">
              <RowTable
                columns={["Skill", "Recall now", "At risk", "Mastered"]}
                rows={retention.map((r) => ({
                  key: r.skill,
                  label: slugLabel(r.skill),
                  cells: [percent(r.meanRetrievability), `${r.atRisk} of ${r.cards}`, r.mastered],
                }))}
              />
            </ScrollArea>
            <p className="mt-3 text-xs text-slate-600">
              Recall now is the estimated chance you'd answer each question right today (FSRS). At risk: below your
              team's target of {percent(target)}. Mastered: you'd still remember it in three months.
            </p>
          </div>
        )}
      </section>
      <section aria-labelledby="roleplay-heading" className="mb-8">
        <h2 id="roleplay-heading" className="mb-3 text-lg font-semibold">
          Role-plays
        </h2>
        {submissions.length === 0 ? (
          <p className="card text-slate-700">Each module ends with a role-play. Try one to see your scores here.</p>
        ) : null}
        {roleplayScores.length > 0 ? (
          <div className="card mb-3">
            <ScrollArea label="Role-play scores by skill">
              <RowTable
                columns={["Skill", "First", "Best", "Latest", "Lift"]}
                rows={roleplayScores.map((r) => ({
                  key: r.skill,
                  label: slugLabel(r.skill),
                  cells: [
                    Math.round(r.first),
                    Math.round(r.best),
                    Math.round(r.latest),
                    r.lift > 0 ? `+${Math.round(r.lift)}` : "0",
                  ],
                }))}
              />
            </ScrollArea>
            <p className="mt-2 text-xs text-slate-600">
              Scores on 0–100: your manager's score once reviewed, else the branching path's. Lift is best minus first.
            </p>
          </div>
        ) : null}
        {submissions.length > 0 ? (
          <ul className="card divide-y divide-slate-100 text-sm">
            {submissions.map((s) => (
              <li key={s.id} className="flex flex-wrap justify-between gap-2 py-2">
                <Link to={`/practice/submissions/${s.id}`}>{s.title}</Link>
                <span className="text-slate-600">
                  {s.status === "reviewed"
                    ? `Manager ${Math.round(s.managerScore ?? 0)} · you ${s.selfScore === null ? "—" : Math.round(s.selfScore)}`
                    : s.autoScore !== null
                      ? `Scored ${Math.round(s.autoScore)}`
                      : "Waiting for review"}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section aria-labelledby="activity-heading">
        <h2 id="activity-heading" className="mb-3 text-lg font-semibold">
          Recent activity
        </h2>
        {activity.length === 0 ? (
          <p className="card text-slate-700">Nothing yet. Open a lesson from the library to start.</p>
        ) : null}
        <ol className="card divide-y divide-slate-100">
          {activity.map((a, i) => (
            <li key={i} className="flex flex-wrap items-baseline justify-between gap-2 py-2 text-sm">
              <span>
                <strong>{a.verb}</strong> {a.object}
                {a.success === true && a.objectType === "question" ? (
                  <span className="ml-1 text-emerald-800">✓</span>
                ) : null}
                {a.success === false && a.objectType === "question" ? (
                  <span className="ml-1 text-red-800">✗</span>
                ) : null}
              </span>
              <time dateTime={new Date(a.at).toISOString()} className="text-slate-500">
                {momentLabel(new Date(a.at), timezone, new Date(now))}
              </time>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

import type { ReactNode } from "react";
import { Link, useLoaderData } from "react-router";
import { db } from "~/db/connection.server";
import type { Route } from "./+types/insights";
import { mayEnter } from "~/features/auth/access";
import { requireUser } from "~/features/auth/require-user.server";
import { insightsDashboard, parseInsightsFilter } from "~/features/insights/dashboard.server";
import { onboardingChecklist } from "~/features/people/onboarding.server";
import { BarChart, heatColor, LineChart } from "~/ui/charts";
import { ChartTable, DataTable, HowCounted } from "~/ui/data-table";
import { percent, slugLabel } from "~/ui/format";
import { OnboardingChecklist } from "~/ui/onboarding-checklist";
import { PageHeader } from "~/ui/page";
import { TeamPeriodFilter } from "~/ui/team-period-filter";
import { dayLabel, timeLabel } from "~/shared/date-formats";
import { dayIn } from "~/shared/days";

export const meta: Route.MetaFunction = () => [{ title: "Insights · Flywheel" }];

export async function loader(args: Route.LoaderArgs) {
  const user = requireUser(args, "insights");
  const url = new URL(args.request.url);
  const now = new Date();
  const [{ tables, ...dashboard }, onboarding] = await Promise.all([
    insightsDashboard(db(), user, parseInsightsFilter(url), now),
    // An admin whose organization is not set up yet sees what to do next above the figures.
    user.roles.includes("admin") ? onboardingChecklist(db(), user.orgId) : null,
  ]);
  // The full at-risk list, the per-rep heat map and the per-team forecast of a large scope are downloads only.
  const { "at-risk": _all, "heatmap-reps": _reps, "forecast-teams": _teams, ...shown } = tables;
  return {
    ...dashboard,
    tables: shown,
    onboarding: onboarding && !onboarding.complete ? onboarding : null,
    isAdmin: user.roles.includes("admin"),
    canAssign: mayEnter(user.roles, "coaching"),
    today: dayIn(user.timezone, now),
  };
}

type Dashboard = ReturnType<typeof useLoaderData<typeof loader>>;
type Props = { d: Dashboard; csv: (name: string) => string };

export default function Insights() {
  const d = useLoaderData<typeof loader>();
  const query = new URLSearchParams({
    ...(d.scope.teamId ? { team: d.scope.teamId } : {}),
    period: d.period,
  }).toString();
  const csv = (name: string) => `/insights/export/${name}.csv?${query}`;
  const onboarding = d.onboarding ? <OnboardingChecklist state={d.onboarding} canAssign={d.canAssign} /> : null;
  if (d.scope.reps === 0)
    return (
      <div>
        <ScopeHeader d={d} />
        {onboarding}
        {d.scope.teams.length > 1 || d.scope.teamId ? <ScopeFilter d={d} /> : null}
        <NoRepsYet d={d} />
      </div>
    );
  if (nothingRecorded(d))
    return (
      <div>
        <ScopeHeader d={d} />
        {onboarding}
        <ScopeFilter d={d} />
        <NothingRecordedYet d={d} />
        {d.atRiskCount > 0 ? <RepsAtRisk d={d} csv={csv} /> : null}
      </div>
    );
  // The first screen of a laptop holds what a manager reads in ten seconds: the figures at a
  // glance and who is slipping. The charts and their tables (behind "Show table") follow.
  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-x-6">
        <ScopeHeader d={d} />
        <ScopeFilter d={d} inline />
      </div>
      {onboarding}
      <AtAGlance d={d} />
      <RepsAtRisk d={d} csv={csv} />
      <CardGroup title="Adoption">
        <WeeklyActiveReps d={d} csv={csv} />
        <MinutesLearned d={d} csv={csv} />
        <AssignmentDecay d={d} csv={csv} />
      </CardGroup>
      <CardGroup title="Reinforcement">
        <RecallPerSkill d={d} csv={csv} />
        <RecallHeatMap d={d} csv={csv} />
        <RecallForecast d={d} csv={csv} />
      </CardGroup>
      <h2 className="mb-3 text-2xl font-bold">Assignments</h2>
      <AssignmentFunnel d={d} csv={csv} />
      <CardGroup title="Practice">
        <CriterionScores d={d} csv={csv} />
        <RepScores d={d} csv={csv} />
        <WaitingForReview d={d} />
      </CardGroup>
    </div>
  );
}

/** No learning of any kind in the scope and period: every chart would be empty. */
function nothingRecorded(d: Dashboard): boolean {
  return (
    d.weekly.every((w) => w.active === 0) &&
    d.boost.started === 0 &&
    d.retention.length === 0 &&
    d.funnel.assigned === 0 &&
    d.practice.waitingCount === 0 &&
    d.tables["practice-reps"].rows.length === 0
  );
}

/** A scope without reps: nothing to chart, and what to do about it, by who is looking. */
function NoRepsYet({ d }: { d: Dashboard }) {
  const team = d.scope.teamId ? d.scope.teams.find((t) => t.id === d.scope.teamId)?.name : null;
  return (
    <section className="card" aria-labelledby="no-reps-heading">
      <h2 id="no-reps-heading" className="text-lg font-semibold">
        {team ? `${team} has no reps yet` : d.scope.wholeOrg ? "No reps yet" : "Your teams have no reps yet"}
      </h2>
      <p className="mt-1 text-slate-700">
        Insights show how your reps learn and practise: who is active, what they remember, who is slipping. They fill in
        once reps are in a team and open their first lessons.
      </p>
      <p className="mt-2">
        {d.isAdmin ? (
          <>
            <Link className="underline" to="/admin/users">
              Invite reps
            </Link>{" "}
            or{" "}
            <Link className="underline" to="/admin/teams">
              add people to a team
            </Link>
            .
          </>
        ) : (
          "Ask your Flywheel admin to add your reps to your team."
        )}
      </p>
    </section>
  );
}

/** Reps, but no learning recorded yet: say what fills the figures instead of drawing empty charts. */
function NothingRecordedYet({ d }: { d: Dashboard }) {
  return (
    <section className="card mb-6" aria-labelledby="quiet-heading">
      <h2 id="quiet-heading" className="text-lg font-semibold">
        No learning recorded yet
      </h2>
      <p className="mt-1 text-slate-700">
        {d.scope.reps === 1 ? "Your rep has" : `Your ${d.scope.reps} reps have`} not opened a lesson, answered a
        question or finished a boost in the last {d.period.replace("w", " weeks")}. The charts appear as soon as they
        do.
      </p>
      <p className="mt-2">
        {d.canAssign ? (
          <>
            <Link className="underline" to="/coach/assignments">
              Assign a first module
            </Link>{" "}
            with a due date: it is on their Today page the next time they open Flywheel.
          </>
        ) : (
          "A team's manager can assign them a first module from Coaching."
        )}
      </p>
    </section>
  );
}

/** One figure's card: its heading names the section (for screen readers too); wide spans both columns. */
function FigureCard({
  id,
  title,
  wide,
  children,
}: {
  id: string;
  title: ReactNode;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <section className={wide ? "card lg:col-span-2" : "card"} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="font-semibold">
        {title}
      </h3>
      {children}
    </section>
  );
}

/** A titled group of cards, two to a row on wide screens. */
function CardGroup({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <h2 className="mb-3 text-2xl font-bold">{title}</h2>
      <div className="mb-6 grid grid-cols-1 gap-4 lg:grid-cols-2">{children}</div>
    </>
  );
}

function ScopeHeader({ d }: { d: Dashboard }) {
  return (
    <PageHeader title="Insights">
      {d.scope.wholeOrg
        ? "The whole organization"
        : d.scope.teamId
          ? d.scope.teams.find((t) => t.id === d.scope.teamId)?.name
          : "Your teams"}{" "}
      · {d.scope.reps} reps · figures as of {timeLabel(new Date(d.asOf), d.timezone)}
    </PageHeader>
  );
}

/** The team and period to show; beside the heading on the full dashboard (inline), a card elsewhere. */
function ScopeFilter({ d, inline = false }: { d: Dashboard; inline?: boolean }) {
  return (
    <TeamPeriodFilter
      id="insights"
      teams={d.scope.teams}
      teamId={d.scope.teamId}
      period={d.period}
      allTeams={`All ${d.scope.wholeOrg || d.scope.teams.length > 1 ? "teams" : "my teams"}`}
      className={inline ? "mb-6" : "card mb-6"}
    />
  );
}

/**
 * The five figures a manager reads first, each linking to its detail below: active reps this week,
 * boosts finished, skills under the recall target, overdue assignments, role-plays waiting for review.
 */
function AtAGlance({ d }: { d: Dashboard }) {
  const week = d.weekly.at(-1);
  const latestWeek = d.retention.reduce((latest, r) => (r.week > latest ? r.week : latest), "");
  const latest = d.retention.filter((r) => r.week === latestWeek);
  const below = latest.filter((r) => r.retention < d.target).length;
  const figures: Array<{ label: string; value: string; detail: string; href: string; alert?: boolean }> = [
    {
      label: "Active this week",
      value: week ? `${week.active} of ${week.reps}` : "—",
      detail: `${percent(d.sustained.percent)} active 3 of 4 weeks`,
      href: "#weekly-heading",
    },
    {
      label: "Boosts finished",
      value: percent(d.boost.percent),
      detail: `${d.boost.finished} of ${d.boost.started} started`,
      href: "#retention-heading",
    },
    {
      label: "Skills below target",
      value: latest.length ? `${below} of ${latest.length}` : "—",
      detail: `recall target ${percent(d.target)}`,
      href: "#retention-heading",
      alert: below > 0,
    },
    {
      label: "Assignments overdue",
      value: String(d.funnel.overdue),
      detail: `of ${d.funnel.assigned} rep-assignments`,
      href: "#assignments-heading",
      alert: d.funnel.overdue > 0,
    },
    {
      label: "Waiting for review",
      value: String(d.practice.waitingCount),
      detail: d.practice.waitingCount ? "role-plays to score" : "nothing to score",
      href: "#waiting-heading",
    },
  ];
  return (
    <section aria-labelledby="glance-heading" className="mb-4">
      <h2 id="glance-heading" className="sr-only">
        At a glance
      </h2>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        {figures.map((f) => (
          <li key={f.label}>
            <a
              href={f.href}
              className={`card block h-full !p-3 no-underline hover:border-brand-600 ${f.alert ? "border-l-4 border-l-amber-500" : ""}`}
            >
              <span className="block text-sm text-slate-700">{f.label}</span>
              <span className="block text-2xl font-bold text-slate-900">{f.value}</span>
              <span className="block text-xs text-slate-600">{f.detail}</span>
            </a>
          </li>
        ))}
      </ul>
      <HowCounted>
        Active: opened or completed a lesson, answered a question, finished a boost or submitted a role-play this week
        (Monday to Sunday, in the organization's time zone). A boost is finished when every question in it is answered;
        boosts started in the period. Skills under the target: each skill's mean recall in the latest weekly snapshot
        against the team's target. Overdue: rep-assignments past their due day and not completed. Waiting: open
        role-plays submitted and not yet reviewed.
      </HowCounted>
    </section>
  );
}

function RepsAtRisk({ d, csv }: Props) {
  if (d.atRiskCount === 0)
    return (
      <section aria-labelledby="risk-heading" className="card mb-6 border-l-4 border-l-emerald-600">
        <h2 id="risk-heading" className="text-xl font-semibold">
          Who's slipping: nobody right now
        </h2>
        <p className="text-slate-700">
          No rep has overdue work, two quiet weeks or recall below the target ({percent(d.target)}).
        </p>
      </section>
    );
  return (
    <section aria-labelledby="risk-heading" className="card mb-6 border-l-4 border-l-red-600">
      <h2 id="risk-heading" className="text-xl font-semibold">
        Who's slipping: {d.atRiskCount} rep{d.atRiskCount === 1 ? "" : "s"} at risk
      </h2>
      <p className="mb-2 text-slate-700">
        The most urgent first; open a rep to see what they did, nudge them or assign them something.
        {d.atRiskCount > d.atRiskIds.length ? ` ${d.atRiskCount - d.atRiskIds.length} more in the CSV.` : ""}
      </p>
      <DataTable
        today={d.today}
        table={d.tables["at-risk-page"]}
        csvHref={csv("at-risk")}
        // Each rep's e-mail is on their page and in the download; here it would wrap every row in two.
        hide={["E-mail"]}
        cell={(value, r, c) => (c === 0 ? <Link to={`/insights/reps/${d.atRiskIds[r]}`}>{value}</Link> : undefined)}
      />
      <HowCounted>
        A rep is at risk when an assignment is past its due day and not finished, when they have not answered, opened or
        completed anything for 14 days or more, or when their mean recall across all their cards is below the team's
        target ({percent(d.target)}). The most urgent come first: 3 points for each overdue assignment and 1 more per
        week late (up to 4 more); 2 points for two weeks away and 1 more per further week (up to 6), or 4 if they have
        never practiced; 1 point for each 5 points of recall below the target.
      </HowCounted>
    </section>
  );
}

function WeeklyActiveReps({ d, csv }: Props) {
  return (
    <FigureCard id="weekly" title="Weekly active reps">
      <p className="text-sm text-slate-700">
        Sustained adoption: <strong>{percent(d.sustained.percent)}</strong> ({d.sustained.sustained} of{" "}
        {d.sustained.reps} reps active in at least 3 of the last 4 weeks).
      </p>
      <LineChart
        label="Share of reps active each week"
        xs={d.weekly.map((w) => w.week)}
        series={[{ name: "Active reps", points: d.weekly.map((w) => ({ x: w.week, y: w.percent })) }]}
      />
      <ChartTable today={d.today} table={d.tables["weekly-active"]} csvHref={csv("weekly-active")} />
      <HowCounted>
        A rep is active in a week (Monday to Sunday, in the organization's time zone) if they opened or completed a
        lesson, answered a question, finished a boost or submitted a role-play. Sustained: active in 3 or more of the
        last 4 weeks, this week included.
      </HowCounted>
    </FigureCard>
  );
}

function MinutesLearned({ d, csv }: Props) {
  return (
    <FigureCard id="minutes" title="Minutes learned per rep per week">
      <BarChart
        label="Minutes learned per rep per week"
        bars={d.minutes.map((m) => ({ x: m.week, y: Math.round(m.minutes * 10) / 10 }))}
      />
      <ChartTable today={d.today} table={d.tables.minutes} csvHref={csv("minutes")} />
      <HowCounted>
        The time from opening to completing each lesson (capped at four times its estimated minutes), summed per week
        and divided by the number of reps in scope.
      </HowCounted>
    </FigureCard>
  );
}

function AssignmentDecay({ d, csv }: Props) {
  return (
    <FigureCard id="decay" title="After an assignment starts" wide>
      <LineChart
        label="Share of assigned reps active in weeks 1 to 8 after the assignment"
        xs={d.decay.map((x) => String(x.week))}
        xLabel={(x) => `wk ${x}`}
        series={[{ name: "Active", points: d.decay.map((x) => ({ x: String(x.week), y: x.percent })) }]}
      />
      <ChartTable today={d.today} table={d.tables.decay} csvHref={csv("decay")} />
      <HowCounted>
        For every assignment, the share of its reps who were active in each of the 8 weeks after it was made, pooled
        over all assignments old enough to have that week. A steep fall means the team stops when the assignment ends.
      </HowCounted>
    </FigureCard>
  );
}

function RecallPerSkill({ d, csv }: Props) {
  const weeks = d.minutes.map((m) => m.week);
  const bySkill = d.skills.map((skill) => ({
    name: slugLabel(skill),
    points: d.retention.filter((r) => r.skill === skill).map((r) => ({ x: r.week, y: r.retention })),
  }));
  return (
    <FigureCard id="retention" title="Recall per skill over time" wide>
      {bySkill.length ? (
        <LineChart label="Mean recall per skill by week" xs={weeks} series={bySkill} target={d.target} />
      ) : null}
      <ChartTable today={d.today} table={d.tables.retention} csvHref={csv("retention")} />
      <HowCounted>
        Recall is FSRS's estimate of the chance a rep answers a question right now, from when they last reviewed it and
        how stable it is. Averaged over the daily snapshots of each week, weighted by cards.
      </HowCounted>
    </FigureCard>
  );
}

function RecallHeatMap({ d, csv }: Props) {
  return (
    <FigureCard
      id="heat"
      title={
        <>
          {d.tables.heatmap.title}{" "}
          {d.heat.day ? (
            <span className="text-sm font-normal text-slate-600">(snapshot of {dayLabel(d.heat.day, d.today)})</span>
          ) : null}
        </>
      }
      wide
    >
      {d.heat.byTeam ? (
        <p className="text-sm text-slate-700">
          With {d.scope.reps} reps, one row per team. Pick a team above for its reps, or{" "}
          <a href={csv("heatmap-reps")}>download every rep's row</a>.
        </p>
      ) : null}
      <DataTable
        today={d.today}
        table={d.tables.heatmap}
        csvHref={csv("heatmap")}
        cell={(value, r, c) =>
          c === 0 ? (
            d.heat.byTeam ? (
              <Link to={`/insights?team=${d.heat.rowIds[r]}&period=${d.period}`}>{value}</Link>
            ) : (
              <Link to={`/insights/reps/${d.heat.rowIds[r]}`}>{value}</Link>
            )
          ) : value === "" ? (
            <span className="text-slate-400">—</span>
          ) : (
            <span
              className="inline-block min-w-12 rounded px-2 py-0.5 text-center"
              style={{ background: heatColor(Number(value) / 100, d.target) }}
            >
              {value}%
            </span>
          )
        }
      />
      <HowCounted>
        Each cell is a rep's mean recall over their cards in that skill. Red: well below the target; amber: just below;
        green: at or above the target of {percent(d.target)}.
      </HowCounted>
    </FigureCard>
  );
}

function RecallForecast({ d, csv }: Props) {
  return (
    <FigureCard
      id="forecast"
      title={
        <>
          Recall now and in 30 days{" "}
          {d.heat.day ? (
            <span className="text-sm font-normal text-slate-600">(snapshot of {dayLabel(d.heat.day, d.today)})</span>
          ) : null}
        </>
      }
      wide
    >
      {d.forecastByTeam ? null : (
        <p className="text-sm text-slate-700">
          Per skill for all {d.scope.teams.length} teams. Pick a team above for its own rows, or{" "}
          <a href={csv("forecast-teams")}>download every team's rows</a>.
        </p>
      )}
      <DataTable today={d.today} table={d.tables.forecast} csvHref={csv("forecast")} />
      <HowCounted>
        Recall in 30 days is what each card's recall is expected to be then if the rep keeps the boost habit of their
        last 28 days (the share of days they finished a boost): a card that comes due is reviewed on their next boost
        day, is remembered with its recall on that day (relearned if not) and is then scheduled again by FSRS; a card
        not due before then just fades. Averaged over cards like recall now. A fall of more than a few points means the
        habit is not enough to hold what the team learned.
      </HowCounted>
    </FigureCard>
  );
}

function AssignmentFunnel({ d, csv }: Props) {
  return (
    <section className="card mb-6" aria-labelledby="assignments-heading">
      <h3 id="assignments-heading" className="sr-only">
        Assignment funnel
      </h3>
      <ol className="mb-3 flex flex-wrap gap-3" aria-label="Assignment funnel">
        {(
          [
            ["Assigned", d.funnel.assigned],
            ["Started", d.funnel.started],
            ["Completed", d.funnel.completed],
            ["Overdue", d.funnel.overdue],
          ] as const
        ).map(([label, value]) => (
          <li
            key={label}
            className={`rounded-lg px-4 py-2 ${label === "Overdue" ? "bg-red-50 text-red-900" : "bg-slate-100"}`}
          >
            <span className="block text-2xl font-bold">{value}</span>
            <span className="text-sm">{label}</span>
          </li>
        ))}
      </ol>
      <ChartTable today={d.today} table={d.tables.assignments} csvHref={csv("assignments")} />
      <p className="mt-2 text-sm">
        <Link to="/coach/assignments">Assign or change assignments →</Link>
      </p>
      <HowCounted>
        Counts are rep-assignments. Started: the rep opened the lesson (or any lesson of the module, or the role-play's
        lesson). Completed: lesson completed, every lesson of the module completed, or the role-play submitted. Overdue:
        not completed after the due date.
      </HowCounted>
    </section>
  );
}

function CriterionScores({ d, csv }: Props) {
  return (
    <FigureCard id="criteria" title="Scores per rubric criterion">
      <DataTable today={d.today} table={d.tables["practice-criteria"]} csvHref={csv("practice-criteria")} />
      <HowCounted>Managers' reviews in the period; each criterion's level 1–5 counts as 20–100.</HowCounted>
    </FigureCard>
  );
}

function RepScores({ d, csv }: Props) {
  return (
    <FigureCard id="practice-reps" title="Scores per rep">
      <p className="text-sm text-slate-700">
        Calibration gap (self − manager):{" "}
        <strong>
          {d.practice.calibrationGap === null
            ? "no reviewed self-assessments yet"
            : `${d.practice.calibrationGap > 0 ? "+" : ""}${Math.round(d.practice.calibrationGap)} points`}
        </strong>
        {d.practice.calibrated ? ` over ${d.practice.calibrated} reviews` : ""}
      </p>
      <DataTable today={d.today} table={d.tables["practice-reps"]} csvHref={csv("practice-reps")} />
      <HowCounted>
        A submission's score is its manager review (0–100) or, for branching role-plays not reviewed, the share of the
        best path's points. The calibration gap averages self-score minus manager score: above zero, reps rate
        themselves higher than you do.
      </HowCounted>
    </FigureCard>
  );
}

function WaitingForReview({ d }: { d: Dashboard }) {
  return (
    <FigureCard id="waiting" title={<>Waiting for review: {d.practice.waitingCount}</>} wide>
      <ul className="mt-2 divide-y divide-slate-100 text-sm">
        {d.practice.waiting.map((w) => (
          <li key={w.id} className="flex justify-between gap-2 py-1.5">
            <span>
              {w.name}: {w.title}
            </span>
            <span className={w.ageHours >= 48 ? "text-red-800" : "text-slate-600"}>
              {w.ageHours < 48 ? `${w.ageHours} h` : `${Math.floor(w.ageHours / 24)} days`}
            </span>
          </li>
        ))}
      </ul>
    </FigureCard>
  );
}

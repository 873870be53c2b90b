// Everything /insights shows, for one scope and period. The page and the CSV exports both read
// the tables built here, so a download always matches what is on screen.
import type { Handle } from "~/db/connection.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { dayIn } from "~/shared/days";
import { toCsvText } from "~/shared/csv";
import { viewCache, VIEW_TTL_MS } from "~/shared/view-cache.server";
import { assignmentsReaching, assignmentTable } from "~/features/coaching/assignments.server";
import { organizationSettings } from "~/features/people/organizations.server";
import {
  assignmentDecayCurve,
  boostCompletion,
  minutesPerRepPerWeek,
  practiceSummary,
  recallForecast,
  recentWeeks,
  repStandings,
  retentionHeatMap,
  retentionOverTime,
  sustainedAdoption,
  weeklyActiveReps,
  whoIsSlipping,
  type ForecastRow,
} from "./metrics.server";
import { insightsScope } from "./scope.server";

export const PERIODS = { "4w": 4, "12w": 12, "26w": 26 } as const;
export const HEAT_MAP_REP_LIMIT = 60;
// Beyond this many teams the page shows the forecast per skill for the whole scope; the download has every team.
export const FORECAST_TEAM_LIMIT = 8;
// "Who's slipping" shows the most urgent few; the download lists every rep at risk.
export const AT_RISK_ON_PAGE = 5;
export type Period = keyof typeof PERIODS;

export function parseInsightsFilter(url: URL): { team: string | null; period: Period } {
  const period = url.searchParams.get("period");
  const team = url.searchParams.get("team");
  return {
    team: team && /^[a-z0-9]{10,40}$/.test(team) ? team : team ? "invalid" : null,
    period: period && period in PERIODS ? (period as Period) : "12w",
  };
}

export type Table = { title: string; columns: string[]; rows: Array<Array<string | number>> };

const pct = (value: number) => Math.round(value * 1000) / 10;

// A computed dashboard is kept for a short while per scope and period (../../shared/view-cache.server).
export const DASHBOARD_TTL_MS = VIEW_TTL_MS;
type Dashboard = Awaited<ReturnType<typeof computeDashboard>>;
const dashboards = viewCache<Dashboard>();

export async function insightsDashboard(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "roles" | "timezone">,
  filter: { team: string | null; period: Period },
  now: Date,
) {
  // Authorization first, every time: the cache is keyed by the scope it allows.
  const scope = await insightsScope(db, user, filter.team);
  const key = `${scope.orgId}|${scope.wholeOrg ? "org" : [...scope.teamIds].sort().join(",")}|${filter.period}`;
  return dashboards(key, now, () => computeDashboard(db, scope, filter, now));
}

type Scope = Awaited<ReturnType<typeof insightsScope>>;
type Filter = { team: string | null; period: Period };
type Figures = Awaited<ReturnType<typeof readFigures>>;

async function computeDashboard(db: Handle, scope: Scope, filter: Filter, now: Date) {
  const figures = await readFigures(db, scope, filter, now);
  const { settings, today, weekly, sustained, minutes, decay, boost, retention, heat, atRisk, practice } = figures;
  const contact = contacts(figures.standings);
  const forecast = await recallForecast(db, scope, heat.cells);
  const heatMap = retentionHeatMapTables(scope, heat, retention, forecast, contact);
  const tables = {
    ...atRiskTables(atRisk),
    ...adoptionTables(weekly, minutes, decay),
    retention: {
      title: "Recall per skill over time",
      columns: ["Week starting", "Skill", "Mean recall (%)"],
      rows: retention.map((r) => [r.week, r.skill, pct(r.retention)]),
    },
    ...heatMap.tables,
    ...forecastTables(forecast, heat.cells, scope.teamIds.length > FORECAST_TEAM_LIMIT),
    ...assignmentTables(figures.assignmentsTable),
    ...practiceTables(practice, contact),
  } satisfies Record<string, Table>;

  return {
    asOf: now,
    timezone: settings.timezone,
    scope: { teams: scope.teams, teamId: scope.teamId, wholeOrg: scope.wholeOrg, reps: scope.repIds.length },
    atRiskCount: atRisk.length,
    atRiskIds: atRisk.slice(0, AT_RISK_ON_PAGE).map((r) => r.userId),
    period: filter.period,
    today,
    target: settings.desiredRetention,
    weekly,
    sustained,
    minutes,
    decay,
    boost,
    retention,
    skills: heatMap.skills,
    heat: { day: heat.day, byTeam: heatMap.byTeam, rowIds: heatMap.rowIds },
    forecastByTeam: scope.teamIds.length <= FORECAST_TEAM_LIMIT,
    funnel: assignmentFunnel(figures.assignmentsTable),
    practice: {
      calibrationGap: practice.calibrationGap,
      calibrated: practice.calibrated,
      waiting: practice.waiting.slice(0, 50),
      waitingCount: practice.waiting.length,
    },
    tables,
  };
}

/** Every figure the dashboard shows, read for the scope's days in the organization's time zone. */
async function readFigures(db: Handle, scope: Scope, filter: Filter, now: Date) {
  const settings = await organizationSettings(db, scope.orgId);
  const today = dayIn(settings.timezone, now);
  const weeks = PERIODS[filter.period];
  const since = recentWeeks(today, weeks)[0]!;

  // The figures are independent reads (decay and the assignment table share one list of
  // recipients): started together, their round trips overlap on PostgreSQL.
  const reachingNow = assignmentsReaching(db, scope.orgId, scope.repIds, scope.wholeOrg ? undefined : scope.teamIds);
  const [weekly, sustained, minutes, decay, boost, retention, heat, standings, assignmentsTable, practice] =
    await Promise.all([
      weeklyActiveReps(db, scope, today, Math.max(12, weeks)),
      sustainedAdoption(db, scope, today),
      minutesPerRepPerWeek(db, scope, today, weeks),
      reachingNow.then((reaching) => assignmentDecayCurve(db, scope, settings.timezone, now, reaching)),
      boostCompletion(db, scope, since),
      retentionOverTime(db, scope, today, weeks),
      retentionHeatMap(db, scope, today),
      repStandings(db, scope, today),
      reachingNow.then((reaching) =>
        assignmentTable(db, scope.orgId, scope.repIds, now, settings.timezone, undefined, reaching),
      ),
      practiceSummary(db, scope, since, now),
    ]);
  const overdue = assignmentsTable.flatMap((a) =>
    a.reps.filter((r) => r.status === "overdue").map((r) => ({ userId: r.id, title: a.title, dueDay: r.dueDay })),
  );
  const atRisk = whoIsSlipping(standings, overdue, today, settings.desiredRetention);
  return {
    settings,
    today,
    weekly,
    sustained,
    minutes,
    decay,
    boost,
    retention,
    heat,
    atRisk,
    standings,
    assignmentsTable,
    practice,
  };
}

/**
 * The recall heat map's skills (columns), its rows and their ids, and its two tables. A team's
 * row is its recall now from the forecast rows (each team's card-weighted recall per skill).
 */
function retentionHeatMapTables(
  scope: Scope,
  heat: Figures["heat"],
  retention: Figures["retention"],
  forecast: ForecastRow[],
  contact: Contact,
) {
  const skills = [...new Set(heat.cells.map((c) => c.skill).concat(retention.map((r) => r.skill)))].sort();
  const repsInHeat = [...new Map(heat.cells.map((c) => [c.userId, c.name])).entries()];
  const cell = new Map(heat.cells.map((c) => [`${c.userId}|${c.skill}`, c.retention]));
  // Beyond a few teams' worth of reps, a row per rep is no longer readable: the page shows a
  // row per team, and the per-rep map is a download.
  const byTeam = scope.repIds.length > HEAT_MAP_REP_LIMIT;
  const teamCells = byTeam ? forecast : [];
  const teamRows = [...new Map(teamCells.map((c) => [c.teamId, c.team])).entries()];
  const teamCell = new Map(teamCells.map((c) => [`${c.teamId}|${c.skill}`, c.now]));
  const skillCells = (values: Map<string, number>, id: string) =>
    skills.map((s) => (values.has(`${id}|${s}`) ? pct(values.get(`${id}|${s}`)!) : ""));
  const repHeatMap: Table = {
    title: "Recall per rep and skill",
    columns: ["Rep", ...skills],
    rows: repsInHeat.map(([userId, name]) => [name, ...skillCells(cell, userId)]),
  };
  // The download of every rep's row also says who they are and where to reach them.
  const repHeatMapDownload: Table = {
    ...repHeatMap,
    columns: [...repHeatMap.columns, "Team", "E-mail"],
    rows: repsInHeat.map(([userId], i) => [...repHeatMap.rows[i]!, ...contact(userId)]),
  };
  return {
    skills,
    byTeam,
    rowIds: byTeam ? teamRows.map(([id]) => id) : repsInHeat.map(([id]) => id),
    tables: {
      heatmap: byTeam
        ? {
            title: "Recall per team and skill",
            columns: ["Team", ...skills],
            rows: teamRows.map(([teamId, name]) => [name, ...skillCells(teamCell, teamId)]),
          }
        : repHeatMap,
      "heatmap-reps": repHeatMapDownload,
    },
  };
}

/**
 * Recall now and in 30 days per team and skill (the download), and what the page shows: the same,
 * or per skill over the whole scope when it spans many teams.
 */
function forecastTables(rows: ForecastRow[], cells: Figures["heat"]["cells"], wide: boolean) {
  const columns = ["Team", "Skill", "Recall now (%)", "In 30 days (%)", "Change (points)"];
  const line = (now: number, in30: number | null) => [
    pct(now),
    in30 === null ? "" : pct(in30),
    in30 === null ? "" : Math.round((in30 - now) * 1000) / 10,
  ];
  const perTeam: Table = {
    title: "Recall now and in 30 days per team and skill",
    columns,
    rows: rows.map((r) => [r.team, r.skill, ...line(r.now, r.in30)]),
  };
  if (!wide) return { forecast: { ...perTeam, title: "Recall now and in 30 days" }, "forecast-teams": perTeam };
  const bySkill = new Map<string, { now: number; cards: number; in30: number; forecastCards: number }>();
  for (const c of cells) {
    const s = bySkill.get(c.skill) ?? { now: 0, cards: 0, in30: 0, forecastCards: 0 };
    s.now += c.retention * c.cards;
    s.cards += c.cards;
    if (c.forecast !== null) {
      s.in30 += c.forecast * c.cards;
      s.forecastCards += c.cards;
    }
    bySkill.set(c.skill, s);
  }
  return {
    forecast: {
      title: "Recall now and in 30 days",
      columns: ["Skill", ...columns.slice(2)],
      rows: [...bySkill.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([skill, s]) => [skill, ...line(s.now / s.cards, s.forecastCards ? s.in30 / s.forecastCards : null)]),
    },
    "forecast-teams": perTeam,
  } satisfies Record<string, Table>;
}

function atRiskTables(atRisk: Figures["atRisk"]) {
  const atRiskRows = atRisk.map((r) => [
    r.name,
    r.reasons.join("; "),
    r.retention === null ? "" : pct(r.retention),
    r.lastActive ?? "never",
    r.teams.join(", "),
    r.email,
  ]);
  const atRiskColumns = ["Rep", "Why", "Recall now (%)", "Last active", "Team", "E-mail"];
  return {
    "at-risk": { title: "Reps at risk", columns: atRiskColumns, rows: atRiskRows },
    // The page lists the first of them; the download above has all.
    "at-risk-page": { title: "Reps at risk", columns: atRiskColumns, rows: atRiskRows.slice(0, AT_RISK_ON_PAGE) },
  } satisfies Record<string, Table>;
}

function adoptionTables(weekly: Figures["weekly"], minutes: Figures["minutes"], decay: Figures["decay"]) {
  return {
    "weekly-active": {
      title: "Weekly active reps",
      columns: ["Week starting", "Active reps", "Reps", "Active (%)"],
      rows: weekly.map((w) => [w.week, w.active, w.reps, pct(w.percent)]),
    },
    minutes: {
      title: "Minutes learned per rep per week",
      columns: ["Week starting", "Minutes per rep"],
      rows: minutes.map((m) => [m.week, Math.round(m.minutes * 10) / 10]),
    },
    decay: {
      title: "Activity after an assignment starts",
      columns: ["Week after assignment", "Active (%)", "Rep-weeks counted"],
      rows: decay.map((d) => [d.week, pct(d.percent), d.reps]),
    },
  } satisfies Record<string, Table>;
}

function assignmentTables(assignmentsTable: Figures["assignmentsTable"]) {
  return {
    assignments: {
      title: "Assignments",
      columns: ["Assignment", "Team", "Due", "Reps", "Not started", "In progress", "Completed", "Overdue"],
      rows: assignmentsTable.map((a) => [
        a.title,
        a.team ?? "individual reps",
        a.dueDay,
        a.recipients,
        a.notStarted,
        a.inProgress,
        a.completed,
        a.overdue,
      ]),
    },
  } satisfies Record<string, Table>;
}

/** A rep's teams and e-mail, for the per-rep downloads (a manager writes to them from there). */
type Contact = (userId: string) => [team: string, email: string];

function contacts(standings: Figures["standings"]): Contact {
  const byId = new Map(standings.map((s) => [s.userId, s]));
  return (userId) => {
    const rep = byId.get(userId);
    return [rep?.teams.join(", ") ?? "", rep?.email ?? ""];
  };
}

function practiceTables(practice: Figures["practice"], contact: Contact) {
  return {
    "practice-criteria": {
      title: "Role-play scores per rubric criterion",
      columns: ["Role-play", "Criterion", "Mean score (0–100)", "Reviews"],
      rows: practice.criteria.map((c) => [c.roleplay, c.criterion, Math.round(c.mean), c.reviews]),
    },
    "practice-reps": {
      title: "Role-play scores per rep",
      columns: ["Rep", "Submissions", "Mean score (0–100)", "Team", "E-mail"],
      rows: practice.reps.map((r) => [
        r.name,
        r.submissions,
        r.meanScore === null ? "" : Math.round(r.meanScore),
        ...contact(r.userId),
      ]),
    },
  } satisfies Record<string, Table>;
}

/** Rep-assignments at each stage, summed over the assignments in scope. */
function assignmentFunnel(assignmentsTable: Figures["assignmentsTable"]) {
  return assignmentsTable.reduce(
    (f, a) => ({
      assigned: f.assigned + a.recipients,
      started: f.started + a.inProgress + a.completed,
      completed: f.completed + a.completed,
      overdue: f.overdue + a.overdue,
    }),
    { assigned: 0, started: 0, completed: 0, overdue: 0 },
  );
}

export type TableName = keyof Awaited<ReturnType<typeof insightsDashboard>>["tables"];

export function toCsv(table: Table): string {
  return toCsvText([table.columns, ...table.rows]);
}

// The manager dashboards' numbers. Every function takes the scope from insightsScope and reads
// roll-ups (daily_activity, retention_snapshots, boosts) or indexed tables, never the raw
// activity log. Definitions are in docs/metrics.md and on the page.
import { and, asc, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import { first, rows, type Handle } from "~/db/connection.server";
import { countRows, daysBetween, jsonListTable, jsonRecords, withoutIndex } from "~/db/dialect";
import {
  boosts,
  dailyActivity,
  retentionSnapshots,
  roleplays,
  roleplaySubmissions,
  teamMembers,
  teams,
  users,
} from "~/db/schema";
import { addDays, dayIn, daysBetween as daysBetweenDays, weekOf } from "~/shared/days";
import { dayLabel } from "~/shared/date-formats";
import { assignmentsReaching, type ReachingAssignments } from "~/features/coaching/assignments.server";
import { inOrg, inScope, type InsightsScope } from "./scope.server";

/** The last `count` weeks, oldest first, ending with the current (partial) week. */
export function recentWeeks(today: string, count: number): string[] {
  const current = weekOf(today);
  return Array.from({ length: count }, (_, i) => addDays(current, -7 * (count - 1 - i)));
}

/**
 * Daily roll-ups from one day to another, bounded for the index each scope should use: the
 * whole organization by week (its org/week index; the exact day bounds are written `+day` so
 * they do not steer the plan), a team by day (its reps' (user, day) keys). Left to choose,
 * SQLite skip-scanned every rep's keys for the whole organization (3 → 11 ms for sustained
 * adoption) and, without the day bound, read each team rep's whole history.
 */
function daysBetweenInScope(scope: InsightsScope, from: string, to: string): SQL[] {
  if (!scope.wholeOrg) return [gte(dailyActivity.day, from), lte(dailyActivity.day, to)];
  return [
    gte(dailyActivity.week, weekOf(from)),
    sql`${withoutIndex(dailyActivity.day)} >= ${from}`,
    sql`${withoutIndex(dailyActivity.day)} <= ${to}`,
  ];
}

export type WeeklyActive = { week: string; active: number; reps: number; percent: number };

/** Share of the reps in scope with any learning activity in each week. */
export async function weeklyActiveReps(
  db: Handle,
  scope: InsightsScope,
  today: string,
  weeks = 12,
): Promise<WeeklyActive[]> {
  const list = recentWeeks(today, weeks);
  const rows = await db
    .select({ week: sql<string>`${dailyActivity.week}`, active: sql<number>`count(distinct ${dailyActivity.userId})` })
    .from(dailyActivity)
    .where(
      and(
        inOrg(dailyActivity.orgId, scope),
        ...daysBetweenInScope(scope, list[0]!, today),
        inScope(dailyActivity.userId, scope, { learnerRows: true }),
      ),
    )
    .groupBy(dailyActivity.week);
  const reps = scope.repIds.length;
  return list.map((week) => {
    const active = rows.find((r) => r.week === week)?.active ?? 0;
    return { week, active, reps, percent: reps ? active / reps : 0 };
  });
}

/** Reps active in at least 3 of the last 4 weeks (the current week included). */
export async function sustainedAdoption(
  db: Handle,
  scope: InsightsScope,
  today: string,
): Promise<{ sustained: number; reps: number; percent: number }> {
  const weeks = recentWeeks(today, 4);
  // The subquery is named: PostgreSQL (before 16) requires it.
  const row = await first(
    rows<{ n: number }>(
      db,
      sql`
    select count(*) as n from (
      select ${dailyActivity.userId} from ${dailyActivity}
      where ${inOrg(dailyActivity.orgId, scope)} and ${and(...daysBetweenInScope(scope, weeks[0]!, today))} and ${inScope(dailyActivity.userId, scope, { learnerRows: true })}
      group by ${dailyActivity.userId}
      having count(distinct ${dailyActivity.week}) >= 3
    ) as sustained_reps`,
    ),
  );
  const reps = scope.repIds.length;
  return { sustained: row?.n ?? 0, reps, percent: reps ? (row?.n ?? 0) / reps : 0 };
}

/** Minutes of completed lessons per rep in scope, per week. */
export async function minutesPerRepPerWeek(
  db: Handle,
  scope: InsightsScope,
  today: string,
  weeks = 12,
): Promise<Array<{ week: string; minutes: number }>> {
  const list = recentWeeks(today, weeks);
  const rows = await db
    .select({ week: sql<string>`${dailyActivity.week}`, seconds: sql<number>`sum(${dailyActivity.secondsLearned})` })
    .from(dailyActivity)
    .where(
      and(
        inOrg(dailyActivity.orgId, scope),
        ...daysBetweenInScope(scope, list[0]!, today),
        inScope(dailyActivity.userId, scope, { learnerRows: true }),
      ),
    )
    .groupBy(dailyActivity.week);
  const reps = Math.max(1, scope.repIds.length);
  return list.map((week) => ({ week, minutes: (rows.find((r) => r.week === week)?.seconds ?? 0) / 60 / reps }));
}

/**
 * The decay curve after an assignment starts: for weeks 1–8 after each assignment was made,
 * the share of its reps (in scope) active that week; pooled over the assignments old enough.
 * One read for every assignment: each (assignment, rep) pair with the assignment's window goes
 * to the database as one JSON parameter, joined to the daily activity by rep and day.
 */
export async function assignmentDecayCurve(
  db: Handle,
  scope: InsightsScope,
  timezone: string,
  now: Date,
  reaching?: ReachingAssignments,
): Promise<Array<{ week: number; percent: number; reps: number }>> {
  const { list, recipients } =
    reaching ?? (await assignmentsReaching(db, scope.orgId, scope.repIds, scope.wholeOrg ? undefined : scope.teamIds));
  const inScopeSet = new Set(scope.repIds);
  const today = dayIn(timezone, now);
  const totals = Array.from({ length: 8 }, () => ({ active: 0, reps: 0 }));
  const pairs: Array<{ a: string; user_id: string; first_day: string; last_day: string }> = [];
  for (const a of list) {
    const reps = (recipients.get(a.id) ?? []).filter((r) => inScopeSet.has(r));
    if (reps.length === 0) continue;
    const start = dayIn(timezone, a.createdAt);
    const windowEnd = addDays(start, 8 * 7 - 1);
    const end = windowEnd < today ? windowEnd : today;
    for (const userId of reps) pairs.push({ a: a.id, user_id: userId, first_day: start, last_day: end });
    for (let k = 0; k < 8; k++) {
      if (addDays(start, 7 * k) > today) break;
      totals[k]!.reps += reps.length;
    }
  }
  if (pairs.length > 0) {
    const t = jsonRecords(pairs, { a: "text", user_id: "text", first_day: "text", last_day: "text" }, "t");
    // k = 0 is week 1: a rep active on several days of a week counts once (grouped first by
    // assignment, rep and week, by hash, rather than sorted for count(distinct …)). Grouped by
    // the output column: PostgreSQL does not see the expression written out again as the same one.
    const found = await rows<{ a: string; k: number | string; active: number | string }>(
      db,
      sql`select w.a as a, w.k as k, count(*) as active
          from (select t.a as a, t.user_id as u, ${daysBetween(sql`t.first_day`, sql`d.day`)} / 7 as k
                from ${t}
                join ${dailyActivity} d on d.user_id = t.user_id and d.day >= t.first_day and d.day <= t.last_day
                group by t.a, t.user_id, k) w
          group by w.a, w.k`,
    );
    for (const r of found) {
      const k = Number(r.k);
      if (k >= 0 && k < 8) totals[k]!.active += Number(r.active);
    }
  }
  return totals.map((t, i) => ({ week: i + 1, percent: t.reps ? t.active / t.reps : 0, reps: t.reps }));
}

/** Boosts finished over boosts started, in the period. */
export async function boostCompletion(
  db: Handle,
  scope: InsightsScope,
  sinceDay: string,
): Promise<{ started: number; finished: number; percent: number }> {
  const row = await first(
    db
      .select({
        started: countRows(),
        finished: sql<number>`sum(case when ${boosts.finishedAt} is not null then 1 else 0 end)`,
      })
      .from(boosts)
      .where(
        and(
          inOrg(boosts.orgId, scope),
          gte(boosts.day, sinceDay),
          inScope(boosts.userId, scope, { learnerRows: true }),
        ),
      ),
  );
  const started = row?.started ?? 0;
  const finished = row?.finished ?? 0;
  return { started, finished, percent: started ? finished / started : 0 };
}

/** Mean recall per skill, week by week, from the daily retention snapshots. */
export async function retentionOverTime(
  db: Handle,
  scope: InsightsScope,
  today: string,
  weeks = 12,
): Promise<Array<{ week: string; skill: string; retention: number }>> {
  const list = recentWeeks(today, weeks);
  // One snapshot per week, its latest: reading every daily snapshot would grow seven times over.
  // Each week's latest day is one step down the org/day index.
  const latest = await latestSnapshotDays(
    db,
    scope,
    list.map((week) => ({ from: week, until: addDays(week, 6) < today ? addDays(week, 6) : today })),
  );
  if (latest.length === 0) return [];
  const rows = await db
    .select({
      day: retentionSnapshots.day,
      skill: retentionSnapshots.skill,
      retention: sql<number>`sum(${retentionSnapshots.meanRetrievability} * ${retentionSnapshots.cards}) / sum(${retentionSnapshots.cards})`,
    })
    .from(retentionSnapshots)
    .where(
      and(
        inOrg(retentionSnapshots.orgId, scope),
        inArray(retentionSnapshots.day, latest),
        inScope(retentionSnapshots.userId, scope, { learnerRows: true }),
      ),
    )
    .groupBy(retentionSnapshots.day, retentionSnapshots.skill);
  return rows
    .map((r) => ({ week: weekOf(r.day), skill: r.skill, retention: r.retention }))
    .sort((a, b) => a.week.localeCompare(b.week) || a.skill.localeCompare(b.skill));
}

export type HeatCell = {
  userId: string;
  name: string;
  skill: string;
  retention: number;
  cards: number;
  atRisk: number;
  /** Recall expected in 30 days at the rep's boost habit (null on a snapshot without it). */
  forecast: number | null;
};

/** The latest snapshot day of each range, in one round trip: one step down the org/day index per range. */
async function latestSnapshotDays(
  db: Handle,
  scope: InsightsScope,
  ranges: Array<{ from: string; until: string }>,
): Promise<string[]> {
  const latestIn = ({ from, until }: { from: string; until: string }) =>
    sql`(select max(${retentionSnapshots.day}) from ${retentionSnapshots} where ${retentionSnapshots.orgId} = ${scope.orgId} and ${retentionSnapshots.day} >= ${from} and ${retentionSnapshots.day} <= ${until})`;
  const columns = ranges.map((range, i) => sql`${latestIn(range)} as ${sql.raw(`d${i}`)}`);
  const [row] = await rows<Record<string, string | null>>(db, sql`select ${sql.join(columns, sql`, `)}`);
  return ranges.map((_, i) => row?.[`d${i}`] ?? null).filter((day): day is string => day !== null);
}

/** The organization's latest snapshot day up to `until` (and from `from`): one step down the org/day index. */
async function latestSnapshotDay(
  db: Handle,
  scope: InsightsScope,
  until: string,
  from?: string,
): Promise<string | null> {
  const row = await first(
    db
      .select({ day: sql<string | null>`max(${retentionSnapshots.day})` })
      .from(retentionSnapshots)
      .where(
        and(
          eq(retentionSnapshots.orgId, scope.orgId),
          from ? gte(retentionSnapshots.day, from) : undefined,
          lte(retentionSnapshots.day, until),
        ),
      ),
  );
  return row?.day ?? null;
}

/** Each rep's recall per skill from the latest snapshot: the rep × skill heat map. */
export async function retentionHeatMap(
  db: Handle,
  scope: InsightsScope,
  today: string,
): Promise<{ day: string | null; cells: HeatCell[] }> {
  const day = await latestSnapshotDay(db, scope, today);
  if (!day) return { day, cells: [] };
  const cells = await db
    .select({
      userId: retentionSnapshots.userId,
      name: users.name,
      skill: retentionSnapshots.skill,
      retention: retentionSnapshots.meanRetrievability,
      cards: retentionSnapshots.cards,
      atRisk: retentionSnapshots.atRisk,
      forecast: retentionSnapshots.forecastRetrievability,
    })
    .from(retentionSnapshots)
    .innerJoin(users, eq(users.id, retentionSnapshots.userId))
    .where(
      and(
        inOrg(retentionSnapshots.orgId, scope),
        eq(retentionSnapshots.day, day),
        inScope(retentionSnapshots.userId, scope, { learnerRows: true }),
      ),
    )
    .orderBy(asc(users.name));
  return { day, cells };
}

export const INACTIVE_DAYS = 14;

/** What "Who's slipping" knows of one rep: recall in the latest snapshot and the last day of learning. */
export type RepStanding = {
  userId: string;
  name: string;
  email: string;
  /** The teams the rep is a member of, by name. */
  teams: string[];
  retention: number | null;
  lastActive: string | null;
};

/** An assignment a rep has not finished by its due day. */
export type OverdueWork = { userId: string; title: string; dueDay: string };

export type AtRisk = RepStanding & { reasons: string[]; severity: number };

/** Every rep in scope with their card-weighted recall in the latest snapshot and their last day of learning. */
export async function repStandings(db: Handle, scope: InsightsScope, today: string): Promise<RepStanding[]> {
  if (scope.repIds.length === 0) return [];
  const cutoffDay = addDays(today, -INACTIVE_DAYS);
  // Independent reads, started together (their round trips overlap on PostgreSQL).
  const [retention, recentRows, people] = await Promise.all([
    latestSnapshotDay(db, scope, today).then((day) =>
      day
        ? db
            .select({
              userId: retentionSnapshots.userId,
              r: sql<number>`sum(${retentionSnapshots.meanRetrievability} * ${retentionSnapshots.cards}) / sum(${retentionSnapshots.cards})`,
            })
            .from(retentionSnapshots)
            .where(
              and(
                inOrg(retentionSnapshots.orgId, scope),
                eq(retentionSnapshots.day, day),
                inScope(retentionSnapshots.userId, scope, { learnerRows: true }),
              ),
            )
            .groupBy(retentionSnapshots.userId)
        : [],
    ),
    db
      .select({ userId: dailyActivity.userId, day: sql<string>`max(${dailyActivity.day})` })
      .from(dailyActivity)
      .where(
        and(
          inOrg(dailyActivity.orgId, scope),
          ...daysBetweenInScope(scope, addDays(cutoffDay, 1), today),
          inScope(dailyActivity.userId, scope, { learnerRows: true }),
        ),
      )
      .groupBy(dailyActivity.userId),
    // Each rep with the teams they are a member of: a row per team (one without a team, once).
    db
      .select({ id: users.id, name: users.name, email: users.email, team: teams.name })
      .from(users)
      .leftJoin(
        teamMembers,
        and(eq(teamMembers.userId, users.id), eq(teamMembers.orgId, scope.orgId), eq(teamMembers.role, "member")),
      )
      .leftJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(and(eq(users.orgId, scope.orgId), inScope(users.id, scope)))
      .orderBy(asc(teams.name)),
  ]);
  const recentDays = new Map(recentRows.map((r) => [r.userId, r.day]));
  // Only reps quiet for 14 days need their last day: one query, an index lookup per rep.
  const quiet = scope.repIds.filter((id) => !recentDays.has(id));
  const last = quiet.length
    ? await rows<{ userId: string; day: string | null }>(
        db,
        sql`select value as "userId",
              (select max(${dailyActivity.day}) from ${dailyActivity} where ${dailyActivity.userId} = value) as "day"
            from ${jsonListTable(quiet)}`,
      )
    : [];
  const person = new Map(people.map((p) => [p.id, p]));
  const teamsOf = new Map<string, string[]>();
  for (const p of people) if (p.team !== null) teamsOf.set(p.id, [...(teamsOf.get(p.id) ?? []), p.team]);
  const recall = new Map(retention.map((x) => [x.userId, x.r]));
  const lastDay = new Map(last.flatMap((x) => (x.day ? [[x.userId, x.day] as const] : [])));
  return scope.repIds.map((userId) => ({
    userId,
    name: person.get(userId)?.name ?? "?",
    email: person.get(userId)?.email ?? "",
    teams: teamsOf.get(userId) ?? [],
    retention: recall.get(userId) ?? null,
    lastActive: recentDays.get(userId) ?? lastDay.get(userId) ?? null,
  }));
}

/**
 * The reps at risk, most severe first (docs/metrics.md, "Severity"): overdue assignments weigh
 * most, then days without learning, then recall under the target.
 */
export function whoIsSlipping(
  standings: RepStanding[],
  overdue: OverdueWork[],
  today: string,
  target: number,
): AtRisk[] {
  const overdueOf = new Map<string, OverdueWork[]>();
  for (const work of overdue) overdueOf.set(work.userId, [...(overdueOf.get(work.userId) ?? []), work]);
  const out: AtRisk[] = [];
  for (const rep of standings) {
    const reasons: string[] = [];
    let severity = 0;
    for (const work of (overdueOf.get(rep.userId) ?? []).sort((a, b) => a.dueDay.localeCompare(b.dueDay))) {
      const late = daysBetweenDays(work.dueDay, today);
      severity += 3 + Math.min(4, Math.floor(late / 7));
      reasons.push(`"${work.title}" overdue by ${late} day${late === 1 ? "" : "s"}`);
    }
    if (!rep.lastActive) {
      severity += 4;
      reasons.push("has never practiced");
    } else {
      const quiet = daysBetweenDays(rep.lastActive, today);
      if (quiet >= INACTIVE_DAYS) {
        severity += Math.min(6, 2 + Math.floor((quiet - INACTIVE_DAYS) / 7));
        reasons.push(`no learning for ${quiet} days (last on ${dayLabel(rep.lastActive, today)})`);
      }
    }
    if (rep.retention !== null && rep.retention < target) {
      severity += Math.ceil(Math.round((target - rep.retention) * 1000) / 50);
      reasons.push(`recall ${Math.round(rep.retention * 100)}%, below the ${Math.round(target * 100)}% target`);
    }
    if (reasons.length) out.push({ ...rep, reasons, severity });
  }
  return out.sort((a, b) => b.severity - a.severity || a.name.localeCompare(b.name));
}

/** Reps at risk (whoIsSlipping) read from the database, for one scope. */
export async function repsAtRisk(
  db: Handle,
  scope: InsightsScope,
  today: string,
  target: number,
  overdue: OverdueWork[] = [],
): Promise<AtRisk[]> {
  return whoIsSlipping(await repStandings(db, scope, today), overdue, today, target);
}

export type PracticeSummary = {
  criteria: Array<{ roleplay: string; criterion: string; mean: number; reviews: number }>;
  reps: Array<{ userId: string; name: string; submissions: number; meanScore: number | null }>;
  waiting: Array<{ id: string; name: string; title: string; ageHours: number }>;
  calibrationGap: number | null;
  calibrated: number;
};

/** Role-play scores per rubric criterion and per rep, what waits for review, and the calibration gap. */
export async function practiceSummary(
  db: Handle,
  scope: InsightsScope,
  sinceDay: string,
  now: Date,
): Promise<PracticeSummary> {
  if (scope.repIds.length === 0) return { criteria: [], reps: [], waiting: [], calibrationGap: null, calibrated: 0 };
  const since = Date.parse(`${sinceDay}T00:00:00Z`);
  const rows = await db
    .select({
      id: roleplaySubmissions.id,
      userId: roleplaySubmissions.userId,
      name: users.name,
      title: roleplays.title,
      rubric: roleplays.rubric,
      status: roleplaySubmissions.status,
      mode: roleplaySubmissions.mode,
      managerScores: roleplaySubmissions.managerScores,
      managerScore: roleplaySubmissions.managerScore,
      autoScore: roleplaySubmissions.autoScore,
      selfScore: roleplaySubmissions.selfScore,
      submittedAt: roleplaySubmissions.submittedAt,
    })
    .from(roleplaySubmissions)
    .innerJoin(users, eq(users.id, roleplaySubmissions.userId))
    .innerJoin(roleplays, eq(roleplays.id, roleplaySubmissions.roleplayId))
    .where(
      and(
        eq(roleplaySubmissions.orgId, scope.orgId),
        inArray(roleplaySubmissions.status, ["submitted", "reviewed"]),
        inScope(roleplaySubmissions.userId, scope),
      ),
    );
  const criteria = new Map<string, { roleplay: string; criterion: string; total: number; reviews: number }>();
  const reps = new Map<string, { userId: string; name: string; submissions: number; total: number; scored: number }>();
  let gapTotal = 0;
  let calibrated = 0;
  for (const s of rows) {
    const recent = (s.submittedAt?.getTime() ?? 0) >= since;
    if (recent) {
      const rep = reps.get(s.userId) ?? { userId: s.userId, name: s.name, submissions: 0, total: 0, scored: 0 };
      rep.submissions++;
      const score = s.managerScore ?? s.autoScore;
      if (score !== null) {
        rep.total += score;
        rep.scored++;
      }
      reps.set(s.userId, rep);
      for (const c of s.rubric) {
        const level = s.managerScores?.[c.id];
        if (!level) continue;
        const key = `${s.title}\u0000${c.name}`;
        const entry = criteria.get(key) ?? { roleplay: s.title, criterion: c.name, total: 0, reviews: 0 };
        entry.total += level * 20;
        entry.reviews++;
        criteria.set(key, entry);
      }
      if (s.selfScore !== null && s.managerScore !== null) {
        gapTotal += s.selfScore - s.managerScore;
        calibrated++;
      }
    }
  }
  return {
    criteria: [...criteria.values()].map((c) => ({
      roleplay: c.roleplay,
      criterion: c.criterion,
      mean: c.total / c.reviews,
      reviews: c.reviews,
    })),
    reps: [...reps.values()]
      .map((r) => ({
        userId: r.userId,
        name: r.name,
        submissions: r.submissions,
        meanScore: r.scored ? r.total / r.scored : null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    waiting: rows
      .filter((s) => s.status === "submitted" && s.mode === "open" && s.submittedAt)
      .map((s) => ({
        id: s.id,
        name: s.name,
        title: s.title,
        ageHours: Math.floor((now.getTime() - s.submittedAt!.getTime()) / 3_600_000),
      }))
      .sort((a, b) => b.ageHours - a.ageHours),
    calibrationGap: calibrated ? gapTotal / calibrated : null,
    calibrated,
  };
}

export type ForecastRow = {
  teamId: string;
  team: string;
  skill: string;
  now: number;
  in30: number | null;
  cards: number;
};

/**
 * Recall now and expected in 30 days (docs/metrics.md, "Recall in 30 days") per team and skill,
 * card-weighted over the reps' cells of the latest snapshot; a rep in two teams counts in both.
 */
export async function recallForecast(db: Handle, scope: InsightsScope, cells: HeatCell[]): Promise<ForecastRow[]> {
  if (cells.length === 0 || scope.teamIds.length === 0) return [];
  const memberships = await db
    .select({ userId: teamMembers.userId, teamId: teams.id, team: teams.name })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(
      and(
        eq(teamMembers.orgId, scope.orgId),
        eq(teamMembers.role, "member"),
        inArray(teamMembers.teamId, scope.teamIds),
      ),
    );
  const teamsOf = new Map<string, Array<{ teamId: string; team: string }>>();
  for (const m of memberships)
    teamsOf.set(m.userId, [...(teamsOf.get(m.userId) ?? []), { teamId: m.teamId, team: m.team }]);
  const sums = new Map<
    string,
    { teamId: string; team: string; skill: string; now: number; cards: number; in30: number; forecastCards: number }
  >();
  for (const cell of cells) {
    for (const t of teamsOf.get(cell.userId) ?? []) {
      const key = `${t.teamId}|${cell.skill}`;
      const sum = sums.get(key) ?? { ...t, skill: cell.skill, now: 0, cards: 0, in30: 0, forecastCards: 0 };
      sum.now += cell.retention * cell.cards;
      sum.cards += cell.cards;
      if (cell.forecast !== null) {
        sum.in30 += cell.forecast * cell.cards;
        sum.forecastCards += cell.cards;
      }
      sums.set(key, sum);
    }
  }
  return [...sums.values()]
    .map((s) => ({
      teamId: s.teamId,
      team: s.team,
      skill: s.skill,
      now: s.now / s.cards,
      in30: s.forecastCards ? s.in30 / s.forecastCards : null,
      cards: s.cards,
    }))
    .sort((a, b) => a.team.localeCompare(b.team) || a.skill.localeCompare(b.skill));
}

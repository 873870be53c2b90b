// Each dashboard metric on a small fixture, against values worked out by hand.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  closeDatabase,
  db,
  engineName,
  postgresPool,
  rows,
  runSql,
  sqliteClient,
  transaction,
} from "~/db/connection.server";
import { newId } from "~/db/ids";
import { assignments, boosts, dailyActivity, organizations, retentionSnapshots } from "~/db/schema";
import { weekOf } from "~/shared/days";
import {
  assignmentDecayCurve,
  boostCompletion,
  minutesPerRepPerWeek,
  repsAtRisk,
  sustainedAdoption,
  weeklyActiveReps,
} from "~/features/insights/metrics.server";
import { insightsScope } from "~/features/insights/scope.server";
import { DASHBOARD_TTL_MS, insightsDashboard } from "~/features/insights/dashboard.server";
import { contentInsights, lessonItemInsights } from "~/features/content-insights/content-insights.server";
import { completeLesson, orgLessons } from "../support/learning";
import { makeOrg, makeTeam, makeUser } from "../support/people";

const TODAY = "2026-06-17"; // a Wednesday
const NOW = new Date("2026-06-17T15:00:00Z");

async function fixture() {
  const org = await makeOrg();
  await db().update(organizations).set({ timezone: "UTC", desiredRetention: 0.9 }).where(eq(organizations.id, org.id));
  const manager = await makeUser(org.id, ["manager"]);
  const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => makeUser(org.id, ["rep"])));
  const team = await makeTeam(org.id, "Team", [
    { userId: manager.id, role: "manager" },
    ...[a!, b!, c!, d!].map((r) => ({ userId: r.id, role: "member" as const })),
  ]);
  const active = (userId: string, day: string, secondsLearned = 0) =>
    db().insert(dailyActivity).values({ orgId: org.id, userId, day, statements: 1, secondsLearned });
  // A: every week. B: two weeks. C: three weeks. D: never.
  for (const day of ["2026-06-16", "2026-06-09", "2026-06-02", "2026-05-26"])
    await active(a!.id, day, day === "2026-06-16" ? 600 : 0);
  for (const day of ["2026-06-10", "2026-06-03"]) await active(b!.id, day);
  for (const day of ["2026-06-15", "2026-06-08", "2026-05-25"]) await active(c!.id, day);
  const snapshot = (userId: string, mean: number) =>
    db()
      .insert(retentionSnapshots)
      .values({
        orgId: org.id,
        userId,
        skill: "questioning",
        day: TODAY,
        cards: 10,
        meanRetrievability: mean,
        atRisk: mean < 0.9 ? 5 : 0,
        mastered: 0,
      });
  await snapshot(a!.id, 0.95);
  await snapshot(b!.id, 0.8);
  for (const [userId, day, finished] of [
    [a!.id, "2026-06-10", true],
    [a!.id, "2026-06-11", true],
    [b!.id, "2026-06-12", false],
  ] as const) {
    await db()
      .insert(boosts)
      .values({
        id: newId(),
        orgId: org.id,
        userId,
        day,
        cardIds: [],
        answered: [],
        startedAt: NOW,
        finishedAt: finished ? NOW : null,
      });
  }
  await db()
    .insert(assignments)
    .values({
      id: newId(),
      orgId: org.id,
      createdBy: manager.id,
      kind: "module",
      targetId: "m",
      title: "Module",
      teamId: team.id,
      dueDay: "2026-06-30",
      createdAt: new Date("2026-05-25T09:00:00Z"),
    });
  return {
    org,
    manager: { ...manager, roles: ["manager" as const], timezone: "UTC" },
    reps: { a: a!, b: b!, c: c!, d: d! },
  };
}

describe("insights metrics", () => {
  it("weeks start on Monday", () => {
    expect(weekOf("2026-06-17")).toBe("2026-06-15");
    expect(weekOf("2026-06-15")).toBe("2026-06-15");
    expect(weekOf("2026-06-14")).toBe("2026-06-08");
  });

  it("weekly active reps and sustained adoption", async () => {
    const { manager } = await fixture();
    const scope = await insightsScope(db(), manager, null);
    const weekly = await weeklyActiveReps(db(), scope, TODAY, 4);
    expect(weekly.map((w) => [w.week, w.active, w.reps])).toEqual([
      ["2026-05-25", 2, 4],
      ["2026-06-01", 2, 4],
      ["2026-06-08", 3, 4],
      ["2026-06-15", 2, 4],
    ]);
    expect(weekly[2]!.percent).toBe(0.75);
    expect(await sustainedAdoption(db(), scope, TODAY)).toEqual({ sustained: 2, reps: 4, percent: 0.5 });
  });

  it("minutes learned per rep per week", async () => {
    const { manager } = await fixture();
    const minutes = await minutesPerRepPerWeek(db(), await insightsScope(db(), manager, null), TODAY, 2);
    expect(minutes).toEqual([
      { week: "2026-06-08", minutes: 0 },
      { week: "2026-06-15", minutes: 2.5 },
    ]);
  });

  it("the decay curve after an assignment starts", async () => {
    const { manager } = await fixture();
    const curve = await assignmentDecayCurve(db(), await insightsScope(db(), manager, null), "UTC", NOW);
    expect(curve.slice(0, 4).map((w) => w.percent)).toEqual([0.5, 0.5, 0.75, 0.5]);
    expect(curve[4]).toEqual({ week: 5, percent: 0, reps: 0 });
  });

  it("boost completion", async () => {
    const { manager } = await fixture();
    const result = await boostCompletion(db(), await insightsScope(db(), manager, null), "2026-06-01");
    expect(result.started).toBe(3);
    expect(result.finished).toBe(2);
    expect(result.percent).toBeCloseTo(2 / 3);
  });

  it("reps at risk, with the reason", async () => {
    const { manager, reps } = await fixture();
    const risk = await repsAtRisk(db(), await insightsScope(db(), manager, null), TODAY, 0.9);
    const byId = Object.fromEntries(risk.map((r) => [r.userId, r.reasons]));
    expect(Object.keys(byId).sort()).toEqual([reps.b.id, reps.d.id].sort());
    expect(byId[reps.b.id]).toEqual(["recall 80%, below the 90% target"]);
    expect(byId[reps.d.id]).toEqual(["has never practiced"]);
    // 14 days without activity counts too.
    const later = await repsAtRisk(db(), await insightsScope(db(), manager, null), "2026-07-01", 0.9);
    expect(later.find((r) => r.userId === reps.c.id)?.reasons).toEqual([
      "no learning for 16 days (last on Mon, Jun 15)",
    ]);
  });

  it("who's slipping counts overdue assignments and lists the most severe first", async () => {
    const { manager, reps } = await fixture();
    // A month after the module was due (2026-06-30), nobody has finished it.
    const dashboard = await insightsDashboard(
      db(),
      manager,
      { team: null, period: "4w" },
      new Date("2026-07-31T12:00:00Z"),
    );
    const why = dashboard.tables["at-risk"].rows.map((row) => row[1]);
    expect(why).toHaveLength(4);
    for (const reasons of why) expect(reasons).toContain('"Module" overdue by 31 days');
    // B: overdue (7) + 51 days away (6) + recall 10 points under the target (2) = 15, the most;
    // D: overdue (7) + never practiced (4) = 11, the least; A and C have 13 each.
    expect(dashboard.atRiskIds[0]).toBe(reps.b.id);
    expect(dashboard.atRiskIds.at(-1)).toBe(reps.d.id);
    expect(dashboard.atRiskCount).toBe(4);
  });

  it("requests for a view being computed wait for that computation instead of starting their own", async () => {
    const { manager } = await fixture();
    const view = () => insightsDashboard(db(), manager, { team: null, period: "4w" }, NOW);
    const [first, second, third] = await Promise.all([view(), view(), view()]);
    // One computation answers all three: the same object, not three equal ones.
    expect(second).toBe(first);
    expect(third).toBe(first);
    // Past the time it is kept for, a view is computed again.
    const later = await insightsDashboard(
      db(),
      manager,
      { team: null, period: "4w" },
      new Date(NOW.getTime() + DASHBOARD_TTL_MS),
    );
    expect(later).not.toBe(first);
    expect(later.atRiskCount).toBe(first.atRiskCount);
  });

  it("no dashboard query scans the activity log", async () => {
    const { manager, org } = await fixture();
    const admin = { ...(await makeUser(org.id, ["admin"])), roles: ["admin" as const], timezone: "UTC" };
    const sqlitePlans = await expectNoLargeTableScans(async () => {
      await insightsDashboard(db(), { ...manager, roles: ["manager"] }, { team: null, period: "12w" }, NOW);
      await insightsDashboard(db(), admin, { team: null, period: "26w" }, NOW);
    });
    for (const { source, lines } of sqlitePlans) {
      expect(lines.join("\n"), source).not.toMatch(/SCAN statements\b/);
      // No scan of the roll-up at all, not even of an index: every read is a bounded search.
      expect(lines.join("\n"), source).not.toMatch(/SCAN daily_activity\b/);
      // A search by rep needs a lower day bound too, unless it asks for one rep's latest day.
      for (const line of lines.filter((l) => /SEARCH daily_activity .*\(user_id=\?/.test(l))) {
        if (!/max\(/.test(source)) expect(line, source).toMatch(/day>\?/);
      }
    }
  });

  it("no content insights query scans the attempts, cards or submissions", async () => {
    const { org } = await fixture();
    const trainer = { ...(await makeUser(org.id, ["trainer"])), timezone: "UTC" };
    const team = await makeTeam(org.id, "Content team", [{ userId: trainer.id, role: "member" }]);
    const [lesson] = await orgLessons(org.id, 1, 2);
    await completeLesson(
      { id: trainer.id, orgId: org.id, timezone: "UTC" },
      lesson!,
      new Date(NOW.getTime() - 86_400_000),
    );
    const sqlitePlans = await expectNoLargeTableScans(async () => {
      await contentInsights(db(), trainer, { team: null, period: "26w" }, NOW);
      await contentInsights(db(), trainer, { team: team.id, period: "4w" }, NOW);
      await lessonItemInsights(
        db(),
        trainer,
        lesson!.id,
        { team: null, period: "12w", version: lesson!.versionId },
        NOW,
      );
      await lessonItemInsights(db(), trainer, lesson!.id, { team: team.id, period: "26w", version: null }, NOW);
      // The answer path's tally reads and writes (a rep's first answers, kept in the tallies).
      const rep = await makeUser(org.id, ["rep"]);
      await completeLesson(
        { id: rep.id, orgId: org.id, timezone: "UTC" },
        lesson!,
        new Date(NOW.getTime() - 3_600_000),
      );
    });
    for (const { source, lines } of sqlitePlans)
      expect(lines.join("\n"), source).not.toMatch(
        /SCAN (attempts|cards|roleplay_submissions|lesson_progress|lesson_ratings|question_tallies|choice_tallies|credit_tallies|recall_tallies)\b/,
      );
    // The whole organization’s question figures are its tallies of the period's weeks (decision 039).
    if (engineName() === "sqlite")
      for (const table of ["question_tallies", "choice_tallies", "credit_tallies", "recall_tallies"])
        expect(
          sqlitePlans.some((p) =>
            p.lines.some((l) =>
              new RegExp(`SEARCH ${table} USING INDEX sqlite_autoindex_${table}_1 \\(org_id=\\? AND week>\\?\\)`).test(
                l,
              ),
            ),
          ),
          table,
        ).toBe(true);
  });
});

/**
 * Runs `queries` on a fresh connection and checks each select it sends. PostgreSQL: its plan
 * with sequential scans priced out, in which no large table may still be scanned (it has no
 * index to use). SQLite: the plans are returned for the caller's own checks.
 */
async function expectNoLargeTableScans(
  queries: () => Promise<void>,
): Promise<Array<{ source: string; lines: string[] }>> {
  // A fresh connection: queries prepared once per connection are built (and seen) again.
  await closeDatabase();
  if (engineName() === "postgres") {
    const pool = postgresPool();
    const original = pool.query;
    const seen: Array<{ text: string; params: unknown[] }> = [];
    (pool as { query: unknown }).query = (...args: unknown[]) => {
      const [config, values] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
      seen.push(
        typeof config === "string"
          ? { text: config, params: values ?? [] }
          : { text: config.text, params: values ?? config.values ?? [] },
      );
      return (original as (...args: unknown[]) => unknown)(...args);
    };
    try {
      await queries();
    } finally {
      pool.query = original;
    }
    expect(seen.length).toBeGreaterThan(2);
    for (const { text, params } of seen.filter((q) => /^\s*select/i.test(q.text))) {
      const explained = await transaction(db(), async (tx) => {
        await runSql(tx, sql`set local enable_seqscan = off`);
        return rows<{ "QUERY PLAN": unknown }>(tx, sql.raw(`explain (format json) ${withLiterals(text, params)}`));
      });
      const plan = explained[0]!["QUERY PLAN"];
      const [root] = (typeof plan === "string" ? JSON.parse(plan) : plan) as Array<{ Plan: PlanNode }>;
      expect(seqScansOfLargeTables(root!.Plan), text).toEqual([]);
    }
    return [];
  }
  const client = sqliteClient();
  const original = client.prepare.bind(client);
  const seen: string[] = [];
  client.prepare = ((source: string) => {
    seen.push(source);
    return original(source);
  }) as typeof client.prepare;
  try {
    await queries();
  } finally {
    client.prepare = original;
  }
  expect(seen.length).toBeGreaterThan(2);
  return seen
    .filter((s) => /^\s*select/i.test(s))
    .map((source) => {
      const params = (source.match(/\?/g) ?? []).map(() => null);
      const plan = original(`explain query plan ${source}`).all(...params) as Array<{ detail: string }>;
      return { source, lines: plan.map((p) => p.detail) };
    });
}

// ---------------------------------------------------------------- PostgreSQL query plans

/** The tables that grow with use: a query may never read one of them from end to end. */
const LARGE_TABLES = new Set([
  "daily_activity",
  "statements",
  "attempts",
  "cards",
  "review_logs",
  "boosts",
  "retention_snapshots",
  "lesson_progress",
  "roleplay_submissions",
  "lesson_ratings",
  "question_tallies",
  "choice_tallies",
  "credit_tallies",
  "recall_tallies",
]);

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

function seqScansOfLargeTables(node: PlanNode): string[] {
  const here =
    node["Node Type"] === "Seq Scan" && LARGE_TABLES.has(node["Relation Name"] ?? "")
      ? [`Seq Scan on ${node["Relation Name"]}`]
      : [];
  return here.concat((node.Plans ?? []).flatMap(seqScansOfLargeTables));
}

/**
 * The query with its $n parameters written in, for EXPLAIN only (PostgreSQL 15 cannot plan a
 * query whose parameters have no values). node-postgres sends every parameter as text of no
 * declared type, and a quoted literal is typed by the server from where it stands in the same
 * way, so the plan is the one the query gets with these values.
 */
function withLiterals(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => {
    const value = params[Number(n) - 1];
    if (value === null || value === undefined) return "null";
    if (
      typeof value === "string" ||
      typeof value === "number" ||
      typeof value === "bigint" ||
      typeof value === "boolean"
    ) {
      return `'${String(value).replaceAll("'", "''")}'`;
    }
    throw new Error(`A parameter of a kind this test does not write in: ${JSON.stringify(value)}`);
  });
}

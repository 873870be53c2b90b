// Each dashboard metric on a small fixture, against values worked out by hand.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { assignments, boosts, dailyActivity, organizations, retentionSnapshots } from "~/db/schema";
import { weekOf } from "~/features/activity/days";
import { assignmentDecayCurve, boostCompletion, minutesPerRepPerWeek, repsAtRisk, sustainedAdoption, weeklyActiveReps } from "~/features/insights/metrics.server";
import { insightsScope } from "~/features/insights/scope.server";
import { insightsDashboard } from "~/features/insights/dashboard.server";
import { makeOrg, makeTeam, makeUser } from "../support/people";

const TODAY = "2026-06-17"; // a Wednesday
const NOW = new Date("2026-06-17T15:00:00Z");

async function fixture() {
  const org = await makeOrg();
  db().update(organizations).set({ timezone: "UTC", desiredRetention: 0.9 }).where(eq(organizations.id, org.id)).run();
  const manager = await makeUser(org.id, ["manager"]);
  const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => makeUser(org.id, ["rep"])));
  const team = makeTeam(org.id, "Team", [
    { userId: manager.id, role: "manager" },
    ...[a!, b!, c!, d!].map((r) => ({ userId: r.id, role: "member" as const })),
  ]);
  const active = (userId: string, day: string, secondsLearned = 0) => db().insert(dailyActivity).values({ orgId: org.id, userId, day, statements: 1, secondsLearned }).run();
  // A: every week. B: two weeks. C: three weeks. D: never.
  for (const day of ["2026-06-16", "2026-06-09", "2026-06-02", "2026-05-26"]) active(a!.id, day, day === "2026-06-16" ? 600 : 0);
  for (const day of ["2026-06-10", "2026-06-03"]) active(b!.id, day);
  for (const day of ["2026-06-15", "2026-06-08", "2026-05-25"]) active(c!.id, day);
  const snapshot = (userId: string, mean: number) =>
    db().insert(retentionSnapshots).values({ orgId: org.id, userId, skill: "questioning", day: TODAY, cards: 10, meanRetrievability: mean, atRisk: mean < 0.9 ? 5 : 0, mastered: 0 }).run();
  snapshot(a!.id, 0.95);
  snapshot(b!.id, 0.8);
  for (const [userId, day, finished] of [[a!.id, "2026-06-10", true], [a!.id, "2026-06-11", true], [b!.id, "2026-06-12", false]] as const) {
    db().insert(boosts).values({ id: newId(), orgId: org.id, userId, day, cardIds: [], answered: [], startedAt: NOW, finishedAt: finished ? NOW : null }).run();
  }
  db().insert(assignments).values({ id: newId(), orgId: org.id, createdBy: manager.id, kind: "module", targetId: "m", title: "Module", teamId: team.id, dueDay: "2026-06-30", createdAt: new Date("2026-05-25T09:00:00Z") }).run();
  return { org, manager: { ...manager, roles: ["manager" as const], timezone: "UTC" }, reps: { a: a!, b: b!, c: c!, d: d! } };
}

describe("insights metrics", () => {
  it("weeks start on Monday", () => {
    expect(weekOf("2026-06-17")).toBe("2026-06-15");
    expect(weekOf("2026-06-15")).toBe("2026-06-15");
    expect(weekOf("2026-06-14")).toBe("2026-06-08");
  });

  it("weekly active reps and sustained adoption", async () => {
    const { manager } = await fixture();
    const scope = insightsScope(manager, null);
    const weekly = weeklyActiveReps(scope, TODAY, 4);
    expect(weekly.map((w) => [w.week, w.active, w.reps])).toEqual([
      ["2026-05-25", 2, 4],
      ["2026-06-01", 2, 4],
      ["2026-06-08", 3, 4],
      ["2026-06-15", 2, 4],
    ]);
    expect(weekly[2]!.percent).toBe(0.75);
    expect(sustainedAdoption(scope, TODAY)).toEqual({ sustained: 2, reps: 4, percent: 0.5 });
  });

  it("minutes learned per rep per week", async () => {
    const { manager } = await fixture();
    const minutes = minutesPerRepPerWeek(insightsScope(manager, null), TODAY, 2);
    expect(minutes).toEqual([
      { week: "2026-06-08", minutes: 0 },
      { week: "2026-06-15", minutes: 2.5 },
    ]);
  });

  it("the decay curve after an assignment starts", async () => {
    const { manager } = await fixture();
    const curve = assignmentDecayCurve(insightsScope(manager, null), "UTC", NOW);
    expect(curve.slice(0, 4).map((w) => w.percent)).toEqual([0.5, 0.5, 0.75, 0.5]);
    expect(curve[4]).toEqual({ week: 5, percent: 0, reps: 0 });
  });

  it("boost completion", async () => {
    const { manager } = await fixture();
    const result = boostCompletion(insightsScope(manager, null), "2026-06-01");
    expect(result.started).toBe(3);
    expect(result.finished).toBe(2);
    expect(result.percent).toBeCloseTo(2 / 3);
  });

  it("reps at risk, with the reason", async () => {
    const { manager, reps } = await fixture();
    const risk = repsAtRisk(insightsScope(manager, null), TODAY, 0.9);
    const byId = Object.fromEntries(risk.map((r) => [r.userId, r.reasons]));
    expect(Object.keys(byId).sort()).toEqual([reps.b.id, reps.d.id].sort());
    expect(byId[reps.b.id]).toEqual(["recall 80%, below the 90% target"]);
    expect(byId[reps.d.id]).toEqual(["has never practiced"]);
    // 14 days without activity counts too.
    const later = repsAtRisk(insightsScope(manager, null), "2026-07-01", 0.9);
    expect(later.find((r) => r.userId === reps.c.id)?.reasons).toEqual(["inactive since 2026-06-15"]);
  });

  it("no dashboard query scans the activity log", async () => {
    const { manager, org } = await fixture();
    const admin = { ...(await makeUser(org.id, ["admin"])), roles: ["admin" as const], timezone: "UTC" };
    // A fresh connection: queries prepared once per connection are built (and seen) again.
    closeDatabase();
    const client = db().$client;
    const original = client.prepare.bind(client);
    const seen: string[] = [];
    client.prepare = ((source: string) => {
      seen.push(source);
      return original(source);
    }) as typeof client.prepare;
    try {
      insightsDashboard({ ...manager, roles: ["manager"] }, { team: null, period: "12w" }, NOW);
      insightsDashboard(admin, { team: null, period: "26w" }, NOW);
    } finally {
      client.prepare = original;
    }
    expect(seen.length).toBeGreaterThan(5);
    for (const source of seen.filter((s) => /^\s*select/i.test(s))) {
      const params = (source.match(/\?/g) ?? []).map(() => null);
      const plan = original(`explain query plan ${source}`).all(...params) as Array<{ detail: string }>;
      const lines = plan.map((p) => p.detail);
      expect(lines.join("\n"), source).not.toMatch(/SCAN statements\b/);
      // No scan of the roll-up at all, not even of an index: every read is a bounded search.
      expect(lines.join("\n"), source).not.toMatch(/SCAN daily_activity\b/);
      // A search by rep needs a lower day bound too, unless it asks for one rep's latest day.
      for (const line of lines.filter((l) => /SEARCH daily_activity .*\(user_id=\?/.test(l))) {
        if (!/max\(/.test(source)) expect(line, source).toMatch(/day>\?/);
      }
    }
  });
});

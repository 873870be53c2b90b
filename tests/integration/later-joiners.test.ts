// What a rep who joins a team owes of the assignments made to it before they joined (decision
// 019): as long after joining as the team had, never less than the team. Every day here comes
// from an injected `now`, and every joining time is written by the test.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { assignmentReps, assignments, teamMembers } from "~/db/schema";
import {
  assignmentsDueSoon,
  assignmentsForRep,
  assignmentTable,
  laterJoinerDueDay,
} from "~/features/coaching/assignments.server";
import { insightsDashboard } from "~/features/insights/dashboard.server";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, type TestServer } from "../support/server";

const MADE = new Date("2026-06-01T10:00:00Z"); // the assignment, due 14 days later
const DUE = "2026-06-15";
const JOINED = new Date("2026-07-01T09:00:00Z"); // the later joiner
const TZ = "UTC";

async function fixture() {
  const org = await makeOrg();
  const manager = await makeUser(org.id, ["manager"]);
  const [early, late, named] = await Promise.all([1, 2, 3].map(() => makeUser(org.id, ["rep"])));
  const team = await makeTeam(org.id, "Team", [
    { userId: manager.id, role: "manager" },
    { userId: early!.id, role: "member" },
  ]);
  const assignmentId = newId();
  await db().insert(assignments).values({
    id: assignmentId,
    orgId: org.id,
    createdBy: manager.id,
    kind: "lesson",
    // A lesson nobody has opened: what it is does not matter here, only who owes it by when.
    targetId: newId(),
    title: "Handling price objections",
    teamId: team.id,
    dueDay: DUE,
    createdAt: MADE,
  });
  // `named` was picked by name when it was made, and joins the team later too.
  await db().insert(assignmentReps).values({ assignmentId, userId: named!.id, orgId: org.id });
  for (const rep of [late!, named!])
    await db()
      .insert(teamMembers)
      .values({ orgId: org.id, teamId: team.id, userId: rep.id, role: "member", joinedAt: JOINED });
  const rep = (user: { id: string }) => ({ id: user.id, orgId: org.id, timezone: TZ });
  return { org, manager, team, early: early!, late: late!, named: named!, rep };
}

describe("a rep who joins a team after an assignment to it was made", () => {
  it("owes it as many days after joining as the team had, not already overdue", async () => {
    const { late, early, named, rep } = await fixture();
    const now = new Date("2026-07-03T12:00:00Z");
    expect(await assignmentsForRep(db(), rep(late), now)).toMatchObject([
      { dueDay: "2026-07-15", status: "not_started" },
    ]);
    expect(await assignmentsForRep(db(), rep(early), now)).toMatchObject([{ dueDay: DUE, status: "overdue" }]);
    // Picked by name when it was made: the team's due day, whenever they joined the team.
    expect(await assignmentsForRep(db(), rep(named), now)).toMatchObject([{ dueDay: DUE, status: "overdue" }]);
    // Past their own due day, they are overdue like anyone.
    expect(await assignmentsForRep(db(), rep(late), new Date("2026-07-16T12:00:00Z"))).toMatchObject([
      { dueDay: "2026-07-15", status: "overdue" },
    ]);
  });

  it("the manager's table shows each rep's own due day and counts only the truly overdue", async () => {
    const { org, manager, team, late, early, named } = await fixture();
    const now = new Date("2026-07-03T12:00:00Z");
    const [row] = await assignmentTable(db(), org.id, [early.id, late.id, named.id], now, TZ, [team.id]);
    expect(row).toMatchObject({ dueDay: DUE, recipients: 3, overdue: 2, notStarted: 1 });
    expect(row!.reps.find((r) => r.id === late.id)).toMatchObject({ status: "not_started", dueDay: "2026-07-15" });
    expect(row!.reps.find((r) => r.id === early.id)).toMatchObject({ status: "overdue", dueDay: DUE });

    const dashboard = await insightsDashboard(
      db(),
      { ...manager, roles: ["manager"], timezone: TZ },
      { team: null, period: "4w" },
      now,
    );
    // Who's slipping names what is overdue for whom: never the later joiner's assignment.
    const why = new Map(dashboard.tables["at-risk"].rows.map((r) => [String(r[0]), String(r[1])]));
    expect(why.get(early.name)).toContain("Handling price objections");
    expect(why.get(late.name) ?? "").not.toContain("Handling price objections");
    expect(dashboard.funnel.overdue).toBe(2);
  });

  it("the digest reminds them as their own due day comes near, not on the team's", async () => {
    const { org, late, early } = await fixture();
    const soon = await assignmentsDueSoon(db(), org.id, [early.id, late.id], "2026-07-03", "2026-07-05");
    expect(soon.get(late.id) ?? []).toEqual([]);
    expect(soon.get(early.id)).toMatchObject([{ dueDay: DUE, status: "overdue" }]);
    const later = await assignmentsDueSoon(db(), org.id, [late.id], "2026-07-13", "2026-07-15");
    expect(later.get(late.id)).toMatchObject([{ dueDay: "2026-07-15", status: "not_started" }]);
  });

  it("the rule: the later of the team's due day and joining day plus the team's lead time", () => {
    const made = { createdAt: MADE, dueDay: DUE };
    expect(laterJoinerDueDay(made, JOINED, TZ)).toBe("2026-07-15");
    // Joined before the due day with more lead left than the team had: still the team's day.
    expect(laterJoinerDueDay(made, new Date("2026-06-02T08:00:00Z"), TZ)).toBe("2026-06-16");
    expect(laterJoinerDueDay({ createdAt: MADE, dueDay: "2026-06-01" }, JOINED, TZ)).toBe("2026-07-01");
    // Days are the organization's: 23:30 on 30 June in New York is 1 July in UTC.
    expect(laterJoinerDueDay(made, new Date("2026-07-01T03:30:00Z"), "America/New_York")).toBe("2026-07-14");
  });
});

describe("moving people between teams keeps when they joined", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ FLYWHEEL_DEMO: "0" });
  });
  afterAll(() => server?.stop());

  it("saving a person's teams adds and removes only what changed", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin"]);
    const rep = await makeUser(org.id, ["rep"]);
    const first = await makeTeam(org.id, "First", [{ userId: rep.id, role: "member" }]);
    const second = await makeTeam(org.id, "Second");
    const joinedAt = async (teamId: string) =>
      (
        await db()
          .select({ joinedAt: teamMembers.joinedAt })
          .from(teamMembers)
          .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, rep.id)))
      )[0]?.joinedAt;
    const before = await joinedAt(first.id);
    const client = new Client(server.url);
    await client.login(admin.email, TEST_PASSWORD);
    const saved = await client.post(`/admin/users/${rep.id}`, { intent: "teams", teamIds: [first.id, second.id] });
    expect(saved.status).toBe(200);
    expect(await joinedAt(first.id)).toEqual(before);
    expect(await joinedAt(second.id)).toBeInstanceOf(Date);
  });
});

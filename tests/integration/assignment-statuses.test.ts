// Each rep's status for each kind of assignment, as the assignment table and the dashboards read
// it: all of an organization's assignments in four reads (statusesOf), whichever kind they are.
// A lesson: opened is in progress, completed is done. A module: any of its lessons opened is in
// progress, the module's completion is done. A role-play: its lesson opened or a submission under
// way is in progress, a submission handed in is done. Not done by the due day is overdue.
import { and, asc, eq, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { newId } from "~/db/ids";
import {
  assignments,
  dailyActivity,
  lessonProgress,
  lessons,
  LIBRARY_OWNER,
  moduleCompletions,
  roleplays,
  roleplaySubmissions,
} from "~/db/schema";
import { assignmentTable } from "~/features/coaching/assignments.server";
import { assignmentDecayCurve } from "~/features/insights/metrics.server";
import { insightsScope } from "~/features/insights/scope.server";
import { makeOrg, makeTeam, makeUser } from "../support/people";

const MADE = new Date("2026-03-02T09:00:00Z"); // a Monday
const NOW = new Date("2026-03-20T12:00:00Z");

/** A library role-play, and a library module that does not hold its lesson (with its lessons in order). */
async function libraryPieces() {
  const rolePlay = (await first(
    db()
      .select({
        lessonId: roleplays.lessonId,
        moduleId: lessons.moduleId,
        key: roleplays.key,
        id: roleplays.id,
        versionId: roleplays.lessonVersionId,
      })
      .from(roleplays)
      .innerJoin(lessons, eq(lessons.id, roleplays.lessonId))
      .where(and(eq(lessons.owner, LIBRARY_OWNER), eq(roleplays.mode, "branching")))
      .orderBy(asc(roleplays.id))
      .limit(1),
  ))!;
  const other = (await first(
    db()
      .select({ moduleId: lessons.moduleId })
      .from(lessons)
      .where(and(eq(lessons.owner, LIBRARY_OWNER), ne(lessons.moduleId, rolePlay.moduleId)))
      .limit(1),
  ))!;
  const inModule = await db()
    .select({ id: lessons.id })
    .from(lessons)
    .where(eq(lessons.moduleId, other.moduleId))
    .orderBy(asc(lessons.position));
  return { rolePlay, moduleId: other.moduleId, moduleLessonIds: inModule.map((l) => l.id) };
}

describe("assignment statuses, every kind in one pass", () => {
  it("reads lesson, module and role-play assignments for every rep, and counts overdue from the due day", async () => {
    const org = await makeOrg();
    const manager = await makeUser(org.id, ["manager"]);
    const reps = await Promise.all(["Ada", "Ben", "Cy", "Di"].map((n) => makeUser(org.id, ["rep"], undefined, n)));
    const [ada, ben, cy, di] = reps as [(typeof reps)[0], (typeof reps)[0], (typeof reps)[0], (typeof reps)[0]];
    const team = await makeTeam(org.id, "Team", [
      { userId: manager.id, role: "manager" },
      ...reps.map((r) => ({ userId: r.id, role: "member" as const })),
    ]);
    const { rolePlay, moduleId, moduleLessonIds } = await libraryPieces();
    expect(moduleLessonIds.length).toBeGreaterThan(1);
    const assign = async (kind: "lesson" | "module" | "roleplay", targetId: string, dueDay: string, key?: string) => {
      const id = newId();
      await db()
        .insert(assignments)
        .values({
          id,
          orgId: org.id,
          createdBy: manager.id,
          kind,
          targetId,
          roleplayKey: key ?? null,
          title: `${kind} ${dueDay}`,
          teamId: team.id,
          dueDay,
          createdAt: MADE,
        });
      return id;
    };
    const lessonId = moduleLessonIds[1]!;
    const lessonA = await assign("lesson", lessonId, "2026-03-27");
    const moduleA = await assign("module", moduleId, "2026-03-27");
    const rolePlayA = await assign("roleplay", rolePlay.lessonId, "2026-03-27", rolePlay.key);
    const overdueA = await assign("lesson", lessonId, "2026-03-13");

    const progress = (userId: string, lesson: string, completed: boolean) =>
      db()
        .insert(lessonProgress)
        .values({
          orgId: org.id,
          userId,
          lessonId: lesson,
          startedVersionId: rolePlay.versionId,
          startedAt: MADE,
          lastSeenAt: MADE,
          completedAt: completed ? MADE : null,
        })
        .onConflictDoNothing();
    const submission = (userId: string, status: "in_progress" | "submitted") =>
      db().insert(roleplaySubmissions).values({
        id: newId(),
        orgId: org.id,
        userId,
        roleplayId: rolePlay.id,
        lessonId: rolePlay.lessonId,
        lessonVersionId: rolePlay.versionId,
        roleplayKey: rolePlay.key,
        mode: "branching",
        status,
        path: [],
        replies: [],
        createdAt: MADE,
      });
    // Ada: the lesson done (so both lesson assignments), the module's first lesson opened, a
    // role-play under way. Ben: the lesson opened, the module completed, a role-play handed in.
    // Cy: only the role-play's lesson opened. Di: nothing.
    await progress(ada.id, lessonId, true);
    await progress(ada.id, moduleLessonIds[0]!, false);
    await submission(ada.id, "in_progress");
    await progress(ben.id, lessonId, false);
    await db().insert(moduleCompletions).values({ orgId: org.id, userId: ben.id, moduleId, completedAt: MADE });
    await submission(ben.id, "submitted");
    await progress(cy.id, rolePlay.lessonId, false);

    const table = await assignmentTable(db(), org.id, [ada.id, ben.id, cy.id, di.id], NOW, "UTC");
    const statuses = (id: string) =>
      Object.fromEntries(table.find((a) => a.id === id)!.reps.map((r) => [r.name, r.status]));
    expect(statuses(lessonA)).toEqual({ Ada: "completed", Ben: "in_progress", Cy: "not_started", Di: "not_started" });
    // Cy opened the role-play's lesson, which is in another module.
    expect(statuses(moduleA)).toEqual({ Ada: "in_progress", Ben: "completed", Cy: "not_started", Di: "not_started" });
    expect(statuses(rolePlayA)).toEqual({ Ada: "in_progress", Ben: "completed", Cy: "in_progress", Di: "not_started" });
    expect(statuses(overdueA)).toEqual({ Ada: "completed", Ben: "overdue", Cy: "overdue", Di: "overdue" });
    expect(table.find((a) => a.id === overdueA)).toMatchObject({ recipients: 4, completed: 1, overdue: 3 });

    // The decay curve over the same four assignments: weeks 1–3 have begun by the 20th.
    await db()
      .insert(dailyActivity)
      .values(
        [
          [ada.id, "2026-03-03"],
          [ada.id, "2026-03-04"],
          [ben.id, "2026-03-10"],
          [cy.id, "2026-03-19"],
          // Before the assignments were made: not in any week after them.
          [di.id, "2026-03-01"],
        ].map(([userId, day]) => ({ orgId: org.id, userId: userId!, day: day!, statements: 1 })),
      );
    const scope = await insightsScope(db(), { id: manager.id, orgId: org.id, roles: ["manager"] }, null);
    const curve = await assignmentDecayCurve(db(), scope, "UTC", NOW);
    // Each assignment reaches 4 reps, 16 in all per week. Week 1: Ada (twice, counted once);
    // week 2: Ben; week 3: Cy — in each of the four assignments.
    expect(curve.slice(0, 4)).toEqual([
      { week: 1, percent: 4 / 16, reps: 16 },
      { week: 2, percent: 4 / 16, reps: 16 },
      { week: 3, percent: 4 / 16, reps: 16 },
      { week: 4, percent: 0, reps: 0 },
    ]);
  });
});

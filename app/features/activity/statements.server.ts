// The activity log: every learning action appended as an xAPI-shaped statement, and the
// per-rep daily roll-up updated in the same transaction so dashboards never scan the log.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { dailyActivity, statements, teamMembers } from "~/db/schema";
import { dayIn } from "./days";

// ADL verb IRIs where one exists; Flywheel's own URNs where none does.
export const VERBS = {
  opened: "http://adlnet.gov/expapi/verbs/experienced",
  completed: "http://adlnet.gov/expapi/verbs/completed",
  answered: "http://adlnet.gov/expapi/verbs/answered",
  submitted: "http://activitystrea.ms/schema/1.0/submit",
  reviewed: "urn:flywheel:verbs:reviewed",
  assigned: "urn:flywheel:verbs:assigned",
  boosted: "urn:flywheel:verbs:finished-boost",
} as const;
export type Verb = keyof typeof VERBS;

export const VERB_LABELS: Record<string, string> = {
  [VERBS.opened]: "Opened",
  [VERBS.completed]: "Completed",
  [VERBS.answered]: "Answered",
  [VERBS.submitted]: "Submitted",
  [VERBS.reviewed]: "Reviewed",
  [VERBS.assigned]: "Assigned",
  [VERBS.boosted]: "Finished a boost",
};

export type RollupCounters = Partial<{
  lessonsOpened: number;
  lessonsCompleted: number;
  modulesCompleted: number;
  questionsAnswered: number;
  questionsCorrect: number;
  secondsLearned: number;
  boostsCompleted: number;
  roleplaysSubmitted: number;
}>;

export type Statement = {
  orgId: string;
  timezone: string;
  actorId: string;
  verb: Verb;
  object: { type: "lesson" | "module" | "question" | "roleplay" | "assignment" | "boost"; id: string; name: string };
  result?: { score?: number; success?: boolean; durationMs?: number };
  context?: Record<string, string | number | boolean>;
  timestamp: Date;
};

/** Appends a statement and counts it into the actor's day. Call inside the action's transaction. */
export function recordStatement(tx: Pick<Db, "select" | "insert">, statement: Statement, counters: RollupCounters = {}): void {
  const team = tx
    .select({ teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(and(eq(teamMembers.userId, statement.actorId), eq(teamMembers.role, "member")))
    .limit(1)
    .get();
  tx.insert(statements)
    .values({
      id: newId(),
      orgId: statement.orgId,
      actorId: statement.actorId,
      verb: VERBS[statement.verb],
      objectType: statement.object.type,
      objectId: statement.object.id,
      objectName: statement.object.name,
      resultScore: statement.result?.score ?? null,
      resultSuccess: statement.result?.success ?? null,
      resultDurationMs: statement.result?.durationMs ?? null,
      teamId: team?.teamId ?? null,
      context: statement.context ?? null,
      timestamp: statement.timestamp,
    })
    .run();
  // The roll-up counts learning: a manager's reviews and assignments stay in the log only.
  if (statement.verb === "reviewed" || statement.verb === "assigned") return;
  const day = dayIn(statement.timezone, statement.timestamp);
  const add = (column: keyof RollupCounters) => counters[column] ?? 0;
  tx.insert(dailyActivity)
    .values({ orgId: statement.orgId, userId: statement.actorId, day, statements: 1, ...counters })
    .onConflictDoUpdate({
      target: [dailyActivity.userId, dailyActivity.day],
      set: {
        statements: sql`${dailyActivity.statements} + 1`,
        lessonsOpened: sql`${dailyActivity.lessonsOpened} + ${add("lessonsOpened")}`,
        lessonsCompleted: sql`${dailyActivity.lessonsCompleted} + ${add("lessonsCompleted")}`,
        modulesCompleted: sql`${dailyActivity.modulesCompleted} + ${add("modulesCompleted")}`,
        questionsAnswered: sql`${dailyActivity.questionsAnswered} + ${add("questionsAnswered")}`,
        questionsCorrect: sql`${dailyActivity.questionsCorrect} + ${add("questionsCorrect")}`,
        secondsLearned: sql`${dailyActivity.secondsLearned} + ${add("secondsLearned")}`,
        boostsCompleted: sql`${dailyActivity.boostsCompleted} + ${add("boostsCompleted")}`,
        roleplaysSubmitted: sql`${dailyActivity.roleplaysSubmitted} + ${add("roleplaysSubmitted")}`,
      },
    })
    .run();
}

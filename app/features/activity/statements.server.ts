// The activity log: every learning action appended as an xAPI-shaped statement, and the
// per-rep daily roll-up updated in the same transaction so dashboards never scan the log.
import { sql } from "drizzle-orm";
import { prepared, type Transaction } from "~/db/connection.server";
import { driverParam } from "~/db/dialect";
import { newId } from "~/db/ids";
import { dailyActivity, statements, teamMembers } from "~/db/schema";
import { dayIn } from "~/shared/days";

// ADL verb IRIs where one exists; Flywheel's own URNs where none does.
export const VERBS = {
  opened: "http://adlnet.gov/expapi/verbs/experienced",
  completed: "http://adlnet.gov/expapi/verbs/completed",
  answered: "http://adlnet.gov/expapi/verbs/answered",
  submitted: "http://activitystrea.ms/schema/1.0/submit",
  reviewed: "urn:flywheel:verbs:reviewed",
  assigned: "urn:flywheel:verbs:assigned",
  boosted: "urn:flywheel:verbs:finished-boost",
  // The studio's: a trainer's work on the organization's own content.
  authored: "http://activitystrea.ms/schema/1.0/author",
  published: "urn:flywheel:verbs:published",
  restored: "urn:flywheel:verbs:restored",
  archived: "http://activitystrea.ms/schema/1.0/archive",
  unarchived: "urn:flywheel:verbs:unarchived",
} as const;
/** Verbs that are not learning: they stay in the log and are not counted into the actor's day. */
const NOT_LEARNING: ReadonlySet<Verb> = new Set([
  "reviewed",
  "assigned",
  "authored",
  "published",
  "restored",
  "archived",
  "unarchived",
]);
export type Verb = keyof typeof VERBS;

export const VERB_LABELS: Record<string, string> = {
  [VERBS.opened]: "Opened",
  [VERBS.completed]: "Completed",
  [VERBS.answered]: "Answered",
  [VERBS.submitted]: "Submitted",
  [VERBS.reviewed]: "Reviewed",
  [VERBS.assigned]: "Assigned",
  [VERBS.boosted]: "Finished a boost",
  [VERBS.authored]: "Created",
  [VERBS.published]: "Published",
  [VERBS.restored]: "Restored",
  [VERBS.archived]: "Archived",
  [VERBS.unarchived]: "Brought back from the archive",
};

/** The daily roll-up's counters, which an action adds to its actor's day. */
const COUNTERS = [
  "lessonsOpened",
  "lessonsCompleted",
  "modulesCompleted",
  "questionsAnswered",
  "questionsCorrect",
  "secondsLearned",
  "boostsCompleted",
  "roleplaysSubmitted",
] as const;
export type RollupCounters = Partial<Record<(typeof COUNTERS)[number], number>>;

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

// Every learning action runs these two, so they are built once per handle (decision 007).
const insertStatement = prepared("activity_insert_statement", (database) =>
  database.insert(statements).values({
    id: driverParam("id"),
    orgId: driverParam("orgId"),
    actorId: driverParam("actorId"),
    verb: driverParam("verb"),
    objectType: driverParam("objectType"),
    objectId: driverParam("objectId"),
    objectName: driverParam("objectName"),
    resultScore: driverParam("resultScore"),
    resultSuccess: driverParam("resultSuccess"),
    resultDurationMs: driverParam("resultDurationMs"),
    // The actor's team as it is now, looked up in the insert itself: one round trip fewer on
    // PostgreSQL for every learning action.
    teamId: sql`(select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${sql.placeholder("actorId")} and ${teamMembers.role} = 'member' limit 1)`,
    context: driverParam("context"),
    timestamp: driverParam("timestamp"),
  }),
);
const countIntoDay = prepared("activity_count_into_day", (database) =>
  database
    .insert(dailyActivity)
    .values({
      orgId: driverParam("orgId"),
      userId: driverParam("userId"),
      day: driverParam("day"),
      statements: 1,
      ...Object.fromEntries(COUNTERS.map((c) => [c, driverParam(c)])),
    })
    .onConflictDoUpdate({
      target: [dailyActivity.userId, dailyActivity.day],
      set: {
        statements: sql`${dailyActivity.statements} + 1`,
        ...Object.fromEntries(
          COUNTERS.map((c) => [c, sql`${dailyActivity[c]} + excluded.${sql.identifier(dailyActivity[c].name)}`]),
        ),
      },
    }),
);

/**
 * Appends a statement and counts it into the actor's day. The first argument is the action's
 * transaction, asked for so that no caller records outside one: the prepared statements run on
 * it, so they commit or roll back with it.
 */
export async function recordStatement(
  tx: Transaction,
  statement: Statement,
  counters: RollupCounters = {},
): Promise<void> {
  const { result } = statement;
  await insertStatement(tx).execute({
    id: newId(),
    orgId: statement.orgId,
    actorId: statement.actorId,
    verb: VERBS[statement.verb],
    objectType: statement.object.type,
    objectId: statement.object.id,
    objectName: statement.object.name,
    resultScore: result?.score ?? null,
    resultSuccess: result?.success === undefined ? null : result.success ? 1 : 0,
    resultDurationMs: result?.durationMs ?? null,
    context: statement.context ? JSON.stringify(statement.context) : null,
    timestamp: statement.timestamp.getTime(),
  });
  // The roll-up counts learning: a manager's reviews and assignments stay in the log only.
  if (NOT_LEARNING.has(statement.verb)) return;
  const day = dayIn(statement.timezone, statement.timestamp);
  await countIntoDay(tx).execute({
    orgId: statement.orgId,
    userId: statement.actorId,
    day,
    ...Object.fromEntries(COUNTERS.map((c) => [c, counters[c] ?? 0])),
  });
}

// What a rep sees of role-plays: the current role-play of a lesson, their latest attempt at
// each, one submission in full and the list of their submissions.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { first, prepared, type Handle } from "~/db/connection.server";
import { lessons, recordings, roleplays, roleplaySubmissions } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { markSubmissionNoticesRead } from "./notifications.server";
import type { RoleplayView } from "~/lesson-kit/lesson-state";
import { analyzeReply } from "./technique";

export type RoleplayRow = typeof roleplays.$inferSelect;

export async function findCurrentRoleplay(db: Handle, lessonId: string, key: string): Promise<RoleplayRow | null> {
  const row = await first(
    db
      .select({ roleplay: roleplays })
      .from(roleplays)
      .innerJoin(
        lessons,
        and(eq(lessons.id, roleplays.lessonId), eq(lessons.currentVersionId, roleplays.lessonVersionId)),
      )
      .where(and(eq(roleplays.lessonId, lessonId), eq(roleplays.key, key)))
      .limit(1),
  );
  return row?.roleplay ?? null;
}

/** What the rep sees of each role-play in a lesson: only their own latest attempt. */
// A lesson page runs these on every view: built once (decision 007).
const currentRoleplays = prepared("practice_current_roleplays", (database) =>
  database
    .select({ roleplay: roleplays })
    .from(roleplays)
    .innerJoin(
      lessons,
      and(eq(lessons.id, roleplays.lessonId), eq(lessons.currentVersionId, roleplays.lessonVersionId)),
    )
    .where(eq(roleplays.lessonId, sql.placeholder("lessonId"))),
);
const latestSubmission = prepared("practice_latest_submission", (database) =>
  database
    .select()
    .from(roleplaySubmissions)
    .where(
      and(
        eq(roleplaySubmissions.userId, sql.placeholder("userId")),
        eq(roleplaySubmissions.lessonId, sql.placeholder("lessonId")),
        eq(roleplaySubmissions.roleplayKey, sql.placeholder("roleplayKey")),
      ),
    )
    .orderBy(desc(roleplaySubmissions.createdAt))
    .limit(1),
);

export async function roleplayViews(
  db: Handle,
  user: Pick<SessionUser, "id">,
  lessonId: string,
): Promise<Record<string, RoleplayView>> {
  const current = (await currentRoleplays(db).execute({ lessonId })).map((r) => r.roleplay);
  // Each role-play's latest attempt is read at once: on PostgreSQL the round trips overlap.
  const latest = await Promise.all(
    current.map((rp) => first(latestSubmission(db).execute({ userId: user.id, lessonId, roleplayKey: rp.key }))),
  );
  return Object.fromEntries(current.map((rp, i) => [rp.key, viewOf(rp, latest[i] ?? null)]));
}

/** The first buyer turn of an open role-play without a reply yet, or null when every turn has one. */
export function nextOpenTurn(rp: Pick<RoleplayRow, "turns">, replies: ReadonlyArray<{ turnId: string }>) {
  return rp.turns.find((t) => !replies.some((r) => r.turnId === t.id)) ?? null;
}

export function viewOf(rp: RoleplayRow, submission: typeof roleplaySubmissions.$inferSelect | null): RoleplayView {
  const turns = new Map(rp.turns.map((t) => [t.id, t]));
  const steps = (submission?.path ?? []).map((step) => {
    const reply = turns.get(step.turnId)?.replies.find((r) => r.id === step.replyId);
    return { ...step, feedback: reply?.feedback ?? "" };
  });
  let currentTurn: string | null = null;
  if (rp.mode === "branching") {
    if (!submission || submission.status !== "in_progress") currentTurn = submission ? null : (rp.turns[0]?.id ?? null);
    else {
      const last = submission.path.at(-1);
      currentTurn = last
        ? (turns.get(last.turnId)?.replies.find((r) => r.id === last.replyId)?.next ?? null)
        : (rp.turns[0]?.id ?? null);
    }
  } else if (!submission || submission.status === "in_progress") {
    // An open role-play is shown one buyer turn at a time: the first without a reply.
    currentTurn = nextOpenTurn(rp, submission?.replies ?? [])?.id ?? null;
  }
  return {
    submissionId: submission?.id ?? null,
    status: submission?.status ?? "new",
    mode: rp.mode,
    steps,
    currentTurn,
    score: submission?.managerScore ?? submission?.autoScore ?? null,
    replies: (submission?.replies ?? []).map((r) => ({
      ...r,
      analysis: analyzeReply(r.text, turns.get(r.turnId)?.buyer),
    })),
    rubric: rp.rubric,
    selfScores: submission?.selfScores ?? null,
    selfScore: submission?.selfScore ?? null,
    managerScores: submission?.managerScores ?? null,
    managerScore: submission?.managerScore ?? null,
    managerComment: submission?.managerComment ?? null,
  };
}

/** The rep's own submission, with the manager's and their own scores side by side. */
export async function ownSubmission(db: Handle, user: Pick<SessionUser, "id" | "orgId">, submissionId: string) {
  const row = await first(
    db
      .select({ submission: roleplaySubmissions, roleplay: roleplays, lessonSlug: lessons.slug })
      .from(roleplaySubmissions)
      .innerJoin(roleplays, eq(roleplays.id, roleplaySubmissions.roleplayId))
      .innerJoin(lessons, eq(lessons.id, roleplaySubmissions.lessonId))
      .where(
        and(
          eq(roleplaySubmissions.id, submissionId),
          eq(roleplaySubmissions.userId, user.id),
          eq(roleplaySubmissions.orgId, user.orgId),
        ),
      )
      .limit(1),
  );
  if (!row) return null;
  const [recorded] = await Promise.all([
    db
      .select({ id: recordings.id })
      .from(recordings)
      .where(and(eq(recordings.submissionId, submissionId), eq(recordings.userId, user.id))),
    markSubmissionNoticesRead(db, user.id, submissionId),
  ]);
  const ids = new Set(recorded.map((r) => r.id));
  return {
    ...viewOf(row.roleplay, row.submission),
    // The rep's own replies under the buyer's lines, with their recordings.
    exchanges: row.submission.replies.map((r) => ({
      turnId: r.turnId,
      text: r.text,
      buyer: row.roleplay.turns.find((t) => t.id === r.turnId)?.buyer ?? "",
      recording: r.recordingId && ids.has(r.recordingId) ? { id: r.recordingId } : null,
    })),
    title: row.roleplay.title,
    submittedAt: row.submission.submittedAt,
    reviewedAt: row.submission.reviewedAt,
  };
}

export async function mySubmissions(db: Handle, user: Pick<SessionUser, "id" | "orgId">) {
  return db
    .select({
      id: roleplaySubmissions.id,
      title: roleplays.title,
      status: roleplaySubmissions.status,
      selfScore: roleplaySubmissions.selfScore,
      managerScore: roleplaySubmissions.managerScore,
      autoScore: roleplaySubmissions.autoScore,
      submittedAt: roleplaySubmissions.submittedAt,
    })
    .from(roleplaySubmissions)
    .innerJoin(roleplays, eq(roleplays.id, roleplaySubmissions.roleplayId))
    .where(
      and(
        eq(roleplaySubmissions.userId, user.id),
        eq(roleplaySubmissions.orgId, user.orgId),
        inArray(roleplaySubmissions.status, ["submitted", "reviewed"]),
      ),
    )
    .orderBy(desc(roleplaySubmissions.submittedAt))
    .limit(10);
}

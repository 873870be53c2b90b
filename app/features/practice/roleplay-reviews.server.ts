// A manager's review of role-plays: the queue of open ones waiting from their teams' reps, one
// submission to review, and the review itself (scores, comment, notice and mail to the rep).
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { recordings, roleplays, roleplaySubmissions, users, type OpenReply } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { repsManagedBy } from "~/features/people/teams.server";
import { tellRepOfReview } from "./notifications.server";
import { Refusal } from "~/features/refusal";
import { rubricScore, validateRubricScores } from "./roleplay-scoring.server";
import type { StepView, TechniqueFeedback } from "~/lesson-kit/lesson-state";
import { viewOf, type RoleplayRow } from "./roleplay-views.server";
import { analyzeReply } from "./technique";

export type QueueItem = {
  id: string;
  repName: string;
  title: string;
  mode: "branching" | "open";
  /** Replies the rep recorded (the rest, if any, were typed). */
  recorded: number;
  submittedAt: Date;
  ageHours: number;
};

/** Open role-plays waiting for review from the reps of the manager's teams, oldest first. (Branching ones score themselves.) */
export async function reviewQueue(
  db: Handle,
  manager: Pick<SessionUser, "id" | "orgId">,
  now: Date,
): Promise<QueueItem[]> {
  const reps = await repsManagedBy(db, manager.orgId, manager.id);
  if (reps.length === 0) return [];
  return (
    await db
      .select({
        id: roleplaySubmissions.id,
        repName: users.name,
        title: roleplays.title,
        mode: roleplaySubmissions.mode,
        recorded:
          sql<number>`(select count(*) from ${recordings} where ${recordings.submissionId} = ${roleplaySubmissions.id})`.mapWith(
            Number,
          ),
        submittedAt: roleplaySubmissions.submittedAt,
      })
      .from(roleplaySubmissions)
      .innerJoin(users, eq(users.id, roleplaySubmissions.userId))
      .innerJoin(roleplays, eq(roleplays.id, roleplaySubmissions.roleplayId))
      .where(
        and(
          eq(roleplaySubmissions.orgId, manager.orgId),
          eq(roleplaySubmissions.status, "submitted"),
          eq(roleplaySubmissions.mode, "open"),
          inArray(roleplaySubmissions.userId, reps),
        ),
      )
      .orderBy(asc(roleplaySubmissions.submittedAt))
  ).map((s) => ({
    ...s,
    submittedAt: s.submittedAt!,
    ageHours: Math.max(0, Math.floor((now.getTime() - s.submittedAt!.getTime()) / 3_600_000)),
  }));
}

export type SubmissionDetail = {
  id: string;
  rep: { id: string; name: string };
  status: "in_progress" | "submitted" | "reviewed";
  roleplay: Pick<RoleplayRow, "title" | "persona" | "situation" | "goal" | "mode" | "rubric" | "turns">;
  steps: StepView[];
  replies: Array<
    OpenReply & { analysis: TechniqueFeedback; buyer: string; recording: { id: string; contentType: string } | null }
  >;
  autoScore: number | null;
  selfScores: Record<string, number> | null;
  selfScore: number | null;
  managerScores: Record<string, number> | null;
  managerScore: number | null;
  managerComment: string | null;
  submittedAt: Date | null;
};

/** A submission the manager may review: their own teams' reps only; anything else is not found. */
export async function submissionForReview(
  db: Handle,
  manager: Pick<SessionUser, "id" | "orgId">,
  submissionId: string,
): Promise<SubmissionDetail | null> {
  const row = await first(
    db
      .select({ submission: roleplaySubmissions, repName: users.name, roleplay: roleplays })
      .from(roleplaySubmissions)
      .innerJoin(users, eq(users.id, roleplaySubmissions.userId))
      .innerJoin(roleplays, eq(roleplays.id, roleplaySubmissions.roleplayId))
      .where(and(eq(roleplaySubmissions.id, submissionId), eq(roleplaySubmissions.orgId, manager.orgId)))
      .limit(1),
  );
  if (
    !row ||
    row.submission.status === "in_progress" ||
    !(await repsManagedBy(db, manager.orgId, manager.id)).includes(row.submission.userId)
  )
    return null;
  const { submission: s, roleplay: rp } = row;
  const recs = await db
    .select({ id: recordings.id, contentType: recordings.contentType })
    .from(recordings)
    .where(eq(recordings.submissionId, s.id));
  return {
    id: s.id,
    rep: { id: s.userId, name: row.repName },
    status: s.status,
    roleplay: {
      title: rp.title,
      persona: rp.persona,
      situation: rp.situation,
      goal: rp.goal,
      mode: rp.mode,
      rubric: rp.rubric,
      turns: rp.turns,
    },
    steps: viewOf(rp, s).steps,
    replies: s.replies.map((r) => {
      const buyer = rp.turns.find((t) => t.id === r.turnId)?.buyer ?? "";
      return {
        ...r,
        analysis: analyzeReply(r.text, buyer || undefined),
        buyer,
        recording: recs.find((rec) => rec.id === r.recordingId) ?? null,
      };
    }),
    autoScore: s.autoScore,
    selfScores: s.selfScores,
    selfScore: s.selfScore,
    managerScores: s.managerScores,
    managerScore: s.managerScore,
    managerComment: s.managerComment,
    submittedAt: s.submittedAt,
  };
}

export async function reviewSubmission(
  db: Handle,
  manager: Pick<SessionUser, "id" | "orgId" | "timezone" | "name">,
  submissionId: string,
  scores: Record<string, number>,
  comment: string,
  now: Date,
): Promise<void> {
  const detail = await submissionForReview(db, manager, submissionId);
  if (!detail) throw new Refusal("We couldn't find that submission among your teams' reps.", 404);
  const clean = validateRubricScores(detail.roleplay.rubric, scores);
  const score = rubricScore(detail.roleplay.rubric, clean);
  const rep = (await first(
    db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, detail.rep.id)).limit(1),
  ))!;
  await transaction(db, async (tx) => {
    await tx
      .update(roleplaySubmissions)
      .set({
        status: "reviewed",
        managerScores: clean,
        managerScore: score,
        managerComment: comment,
        reviewerId: manager.id,
        reviewedAt: now,
      })
      .where(eq(roleplaySubmissions.id, submissionId));
    await recordStatement(tx, {
      orgId: manager.orgId,
      timezone: manager.timezone,
      actorId: manager.id,
      verb: "reviewed",
      object: { type: "roleplay", id: submissionId, name: detail.roleplay.title },
      result: { score: score / 100 },
      context: { rep: detail.rep.id },
      timestamp: now,
    });
    await tellRepOfReview(
      tx,
      {
        manager,
        rep: { id: detail.rep.id, ...rep },
        submissionId,
        title: detail.roleplay.title,
        score,
        comment,
      },
      now,
    );
  });
}

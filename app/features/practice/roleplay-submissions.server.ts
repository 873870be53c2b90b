// A rep's attempts at role-plays: a branching reply at a time, a fresh start, an open
// role-play's written or recorded replies, and the self-assessment on the rubric.
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import { first, transaction, type Handle, type Transaction } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { recordings, roleplays, roleplaySubmissions, type OpenReply } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { Refusal } from "~/features/refusal";
import { branchingScore, rubricScore, validateRubricScores } from "./roleplay-scoring.server";
import type { RoleplayView } from "~/lesson-kit/lesson-state";
import { findCurrentRoleplay, nextOpenTurn, viewOf, type RoleplayRow } from "./roleplay-views.server";

type Learner = Pick<SessionUser, "id" | "orgId" | "timezone">;

export const MAX_REPLY_CHARS = 2000;

async function logSubmitted(
  tx: Transaction,
  user: Learner,
  rp: RoleplayRow,
  lessonTitle: string,
  score: number | null,
  at: Date,
): Promise<void> {
  await recordStatement(
    tx,
    {
      orgId: user.orgId,
      timezone: user.timezone,
      actorId: user.id,
      verb: "submitted",
      object: { type: "roleplay", id: `${rp.lessonId}#${rp.key}`, name: rp.title || lessonTitle },
      result: score === null ? undefined : { score: score / 100 },
      context: { mode: rp.mode, lesson: rp.lessonId },
      timestamp: at,
    },
    { roleplaysSubmitted: 1 },
  );
}

/** A role-play attempt that has not taken a turn yet, as it is stored (branching; an open one sets its mode). */
function newBranchingAttempt(
  user: Learner,
  rp: RoleplayRow,
  lessonId: string,
  key: string,
  now: Date,
): typeof roleplaySubmissions.$inferSelect {
  return {
    id: newId(),
    orgId: user.orgId,
    userId: user.id,
    roleplayId: rp.id,
    lessonId,
    lessonVersionId: rp.lessonVersionId,
    roleplayKey: key,
    mode: "branching",
    status: "in_progress",
    path: [],
    replies: [],
    autoScore: null,
    selfScores: null,
    selfScore: null,
    managerScores: null,
    managerScore: null,
    managerComment: null,
    reviewerId: null,
    createdAt: now,
    submittedAt: null,
    reviewedAt: null,
  };
}

/** The rep's attempt in progress at one role-play of a lesson (at most one). */
function inProgress(user: Learner, lessonId: string, key: string) {
  return and(
    eq(roleplaySubmissions.userId, user.id),
    eq(roleplaySubmissions.lessonId, lessonId),
    eq(roleplaySubmissions.roleplayKey, key),
    eq(roleplaySubmissions.status, "in_progress"),
  );
}

/** A branching role-play: the rep picks a reply on the current turn. */
export async function chooseReply(
  db: Handle,
  user: Learner,
  lessonId: string,
  lessonTitle: string,
  key: string,
  replyId: string,
  now: Date,
): Promise<RoleplayView> {
  const rp = await findCurrentRoleplay(db, lessonId, key);
  if (!rp || rp.mode !== "branching")
    throw new Refusal("That role-play is not in this lesson any more. Reload the page.", 404);
  return transaction(db, async (tx) => {
    let submission = await first(
      tx
        .select()
        .from(roleplaySubmissions)
        .where(inProgress(user, lessonId, key))
        .limit(1),
    );
    if (!submission) {
      submission = newBranchingAttempt(user, rp, lessonId, key, now);
      await tx.insert(roleplaySubmissions).values(submission);
    }
    const view = viewOf(rp, submission);
    const turn = rp.turns.find((t) => t.id === view.currentTurn);
    const reply = turn?.replies.find((r) => r.id === replyId);
    if (!turn || !reply) throw new Refusal("That reply is not one of this turn's choices. Reload the page.", 400);
    const path = [...submission.path, { turnId: turn.id, replyId: reply.id, points: reply.points }];
    const done = reply.next === null;
    const autoScore = done ? branchingScore(rp.turns, path) : null;
    await tx
      .update(roleplaySubmissions)
      .set({ path, status: done ? "submitted" : "in_progress", autoScore, submittedAt: done ? now : null })
      .where(eq(roleplaySubmissions.id, submission.id));
    if (done) await logSubmitted(tx, user, rp, lessonTitle, autoScore, now);
    return viewOf(rp, {
      ...submission,
      path,
      status: done ? "submitted" : "in_progress",
      autoScore,
      submittedAt: done ? now : null,
    });
  });
}

/**
 * Drops the attempt in progress (finished attempts stay in the history). Recordings of an open
 * attempt's replies so far are let go first: unattached, the clean-up deletes them a day after upload.
 */
export async function restartRoleplay(db: Handle, user: Learner, lessonId: string, key: string): Promise<void> {
  await transaction(db, async (tx) => {
    const dropped = tx
      .select({ id: roleplaySubmissions.id })
      .from(roleplaySubmissions)
      .where(inProgress(user, lessonId, key));
    await tx
      .update(recordings)
      .set({ submissionId: null })
      .where(and(eq(recordings.userId, user.id), inArray(recordings.submissionId, dropped)));
    await tx.delete(roleplaySubmissions).where(inProgress(user, lessonId, key));
  });
}

export async function startFresh(db: Handle, user: Learner, lessonId: string, key: string, now: Date): Promise<void> {
  const rp = await findCurrentRoleplay(db, lessonId, key);
  if (!rp) throw new Refusal("That role-play is not in this lesson any more. Reload the page.", 404);
  await restartRoleplay(db, user, lessonId, key);
  if (rp.mode === "branching") {
    await db.insert(roleplaySubmissions).values(newBranchingAttempt(user, rp, lessonId, key, now));
  }
}

/** A reply's text and recording, checked: something said, and not too long. */
function checkedReply(
  turn: { id: string; buyer: string },
  given: { text: string; recordingId: string | null } | undefined,
): OpenReply {
  const text = given?.text.trim() ?? "";
  if (!text && !given?.recordingId)
    throw new Refusal(
      `Write (or record) your reply to “${turn.buyer.slice(0, 60)}${turn.buyer.length > 60 ? "…" : ""}”.`,
      400,
    );
  if (text.length > MAX_REPLY_CHARS) throw new Refusal(`Keep each reply under ${MAX_REPLY_CHARS} characters.`, 400);
  return { turnId: turn.id, text, recordingId: given?.recordingId ?? null };
}

/**
 * Attaches the rep's own unattached recordings to a submission; refuses (and so rolls back) when
 * one is attached elsewhere or was deleted as an orphan a moment ago.
 */
async function attachRecordings(tx: Transaction, user: Learner, submissionId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  const attached = await tx
    .update(recordings)
    .set({ submissionId })
    .where(and(inArray(recordings.id, ids), eq(recordings.userId, user.id), isNull(recordings.submissionId)))
    .returning({ id: recordings.id });
  if (attached.length !== new Set(ids).size)
    throw new Refusal("A recording could not be attached. Record it again.", 400);
}

/**
 * An open role-play, one buyer turn at a time (decision 025): the rep's reply to the turn they were
 * shown is kept on their attempt in progress, and the next turn comes; the reply to the last turn
 * submits it for review. A reply to any other turn (a stale page) is refused and changes nothing.
 * Returns the attempt's id.
 */
export async function replyToTurn(
  db: Handle,
  user: Learner,
  lessonId: string,
  lessonTitle: string,
  key: string,
  turnId: string,
  given: { text: string; recordingId: string | null },
  now: Date,
): Promise<string> {
  const rp = await findCurrentRoleplay(db, lessonId, key);
  if (!rp || rp.mode !== "open")
    throw new Refusal("That role-play is not in this lesson any more. Reload the page.", 404);
  return transaction(db, async (tx) => {
    let attempt = await first(
      tx
        .select()
        .from(roleplaySubmissions)
        .where(inProgress(user, lessonId, key))
        .limit(1),
    );
    // An attempt begun on an earlier version of the lesson cannot be continued on this one's turns.
    if (attempt && attempt.roleplayId !== rp.id) {
      await restartRoleplay(tx, user, lessonId, key);
      attempt = undefined;
    }
    const expected = nextOpenTurn(rp, attempt?.replies ?? []);
    if (!expected || expected.id !== turnId)
      throw new Refusal("You have answered that turn already. Reload the page to carry on from where you are.", 409);
    const reply = checkedReply(expected, given);
    if (!attempt) {
      attempt = {
        ...newBranchingAttempt(user, rp, lessonId, key, now),
        mode: "open",
      };
      await tx.insert(roleplaySubmissions).values(attempt);
    }
    const replies = [...attempt.replies, reply];
    const done = nextOpenTurn(rp, replies) === null;
    await tx
      .update(roleplaySubmissions)
      .set({ replies, status: done ? "submitted" : "in_progress", submittedAt: done ? now : null })
      .where(eq(roleplaySubmissions.id, attempt.id));
    await attachRecordings(tx, user, attempt.id, reply.recordingId ? [reply.recordingId] : []);
    if (done) await logSubmitted(tx, user, rp, lessonTitle, null, now);
    return attempt.id;
  });
}

/** An open role-play: a written reply (and optionally a recording) for every buyer turn, at once. */
export async function submitOpenRoleplay(
  db: Handle,
  user: Learner,
  lessonId: string,
  lessonTitle: string,
  key: string,
  input: Record<string, { text: string; recordingId: string | null }>,
  now: Date,
): Promise<string> {
  const rp = await findCurrentRoleplay(db, lessonId, key);
  if (!rp || rp.mode !== "open")
    throw new Refusal("That role-play is not in this lesson any more. Reload the page.", 404);
  const replies: OpenReply[] = rp.turns.map((turn) =>
    checkedReply(turn, Object.hasOwn(input, turn.id) ? input[turn.id] : undefined),
  );
  const recordingIds = replies.map((r) => r.recordingId).filter((id): id is string => id !== null);
  const id = newId();
  await transaction(db, async (tx) => {
    await tx.insert(roleplaySubmissions).values({
      id,
      orgId: user.orgId,
      userId: user.id,
      roleplayId: rp.id,
      lessonId,
      lessonVersionId: rp.lessonVersionId,
      roleplayKey: key,
      mode: "open",
      status: "submitted",
      path: [],
      replies,
      createdAt: now,
      submittedAt: now,
    });
    await attachRecordings(tx, user, id, recordingIds);
    await logSubmitted(tx, user, rp, lessonTitle, null, now);
  });
  return id;
}

/** The rep scores themselves on the rubric after submitting. */
export async function selfAssess(
  db: Handle,
  user: Learner,
  lessonId: string,
  key: string,
  scores: Record<string, number>,
): Promise<void> {
  const submission = await first(
    db
      .select({
        id: roleplaySubmissions.id,
        roleplayId: roleplaySubmissions.roleplayId,
        status: roleplaySubmissions.status,
      })
      .from(roleplaySubmissions)
      .where(
        and(
          eq(roleplaySubmissions.userId, user.id),
          eq(roleplaySubmissions.lessonId, lessonId),
          eq(roleplaySubmissions.roleplayKey, key),
        ),
      )
      .orderBy(desc(roleplaySubmissions.createdAt))
      .limit(1),
  );
  if (!submission || submission.status === "in_progress")
    throw new Refusal("Finish the role-play before you score yourself.", 409);
  const rubric = (await first(
    db.select({ rubric: roleplays.rubric }).from(roleplays).where(eq(roleplays.id, submission.roleplayId)).limit(1),
  ))!.rubric;
  const clean = validateRubricScores(rubric, scores);
  await db
    .update(roleplaySubmissions)
    .set({ selfScores: clean, selfScore: rubricScore(rubric, clean) })
    .where(eq(roleplaySubmissions.id, submission.id));
}

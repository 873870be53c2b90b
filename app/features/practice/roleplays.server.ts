// Role-play practice: branching role-plays scored by the points of the chosen path, open ones
// reviewed by a manager with the rubric, self-assessment, and scores per rep and skill.
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { first, prepared, transaction, type Handle, type Transaction } from "~/db/connection.server";
import { newId } from "~/db/ids";
import {
  lessons,
  notifications,
  recordings,
  roleplays,
  roleplaySubmissions,
  users,
  type BranchStep,
  type OpenReply,
  type StoredCriterion,
  type StoredTurn,
} from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import { queueMail } from "~/features/mail/mailer.server";
import { appUrl } from "~/features/ops/app-origin.server";
import { repsManagedBy } from "~/features/people/teams.server";
import { Refusal } from "~/features/refusal";
import { analyzeReply, type TechniqueFeedback } from "./technique";

type Learner = Pick<SessionUser, "id" | "orgId" | "timezone">;

export const MAX_REPLY_CHARS = 2000;

/** A title in quotation marks, unless the trainer already wrote it as a quotation. */
const quoted = (title: string) => (/^[“"]/.test(title) ? title : `“${title}”`);

/** The most points a rep can earn: the best path from the first turn. */
export function bestPathPoints(turns: StoredTurn[]): number {
  const byId = new Map(turns.map((t) => [t.id, t]));
  const memo = new Map<string, number>();
  const best = (id: string, depth: number): number => {
    if (memo.has(id)) return memo.get(id)!;
    const turn = byId.get(id);
    if (!turn || depth > turns.length) return 0;
    const value = Math.max(0, ...turn.replies.map((r) => r.points + (r.next ? best(r.next, depth + 1) : 0)));
    memo.set(id, value);
    return value;
  };
  return turns[0] ? best(turns[0].id, 0) : 0;
}

/** Points earned over the best path's points, on 0–100. */
export function branchingScore(turns: StoredTurn[], path: BranchStep[]): number {
  const best = bestPathPoints(turns);
  const earned = path.reduce((sum, step) => sum + step.points, 0);
  return best > 0 ? Math.round((earned / best) * 1000) / 10 : 0;
}

/** A rubric's weighted mean on 0–100: each criterion's level (1–5) counts as level × 20. */
export function rubricScore(rubric: StoredCriterion[], scores: Record<string, number>): number {
  const total = rubric.reduce((sum, c) => sum + c.weight, 0);
  const weighted = rubric.reduce((sum, c) => sum + c.weight * (ownScore(scores, c.id) ?? 0) * 20, 0);
  return Math.round((weighted / total) * 10) / 10;
}

// Criterion and turn ids come from lessons and the keys of these records from forms: read as
// own properties only, so no id ever finds a member every object inherits.
function ownScore(scores: Record<string, number>, id: string): number | undefined {
  return Object.hasOwn(scores, id) ? scores[id] : undefined;
}

export function validateRubricScores(
  rubric: StoredCriterion[],
  scores: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    rubric.map((criterion) => {
      const value = ownScore(scores, criterion.id);
      if (!Number.isInteger(value) || value! < 1 || value! > 5)
        throw new Refusal(`Score “${criterion.name}” from 1 to 5.`, 400);
      return [criterion.id, value!];
    }),
  );
}

type RoleplayRow = typeof roleplays.$inferSelect;

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

export type StepView = { turnId: string; replyId: string; feedback: string; points: number };
export type RoleplayView = {
  submissionId: string | null;
  status: "new" | "in_progress" | "submitted" | "reviewed";
  mode: "branching" | "open";
  steps: StepView[];
  currentTurn: string | null;
  score: number | null;
  replies: Array<OpenReply & { analysis: TechniqueFeedback }>;
  rubric: StoredCriterion[];
  selfScores: Record<string, number> | null;
  selfScore: number | null;
  managerScores: Record<string, number> | null;
  managerScore: number | null;
  managerComment: string | null;
};

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
  const views: Record<string, RoleplayView> = {};
  for (const rp of current) {
    const latest = await first(latestSubmission(db).execute({ userId: user.id, lessonId, roleplayKey: rp.key }));
    views[rp.key] = viewOf(rp, latest ?? null);
  }
  return views;
}

function viewOf(rp: RoleplayRow, submission: typeof roleplaySubmissions.$inferSelect | null): RoleplayView {
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
  }
  return {
    submissionId: submission?.id ?? null,
    status: submission?.status ?? "new",
    mode: rp.mode,
    steps,
    currentTurn,
    score: submission?.managerScore ?? submission?.autoScore ?? null,
    replies: (submission?.replies ?? []).map((r) => ({ ...r, analysis: analyzeReply(r.text) })),
    rubric: rp.rubric,
    selfScores: submission?.selfScores ?? null,
    selfScore: submission?.selfScore ?? null,
    managerScores: submission?.managerScores ?? null,
    managerScore: submission?.managerScore ?? null,
    managerComment: submission?.managerComment ?? null,
  };
}

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
        .where(
          and(
            eq(roleplaySubmissions.userId, user.id),
            eq(roleplaySubmissions.lessonId, lessonId),
            eq(roleplaySubmissions.roleplayKey, key),
            eq(roleplaySubmissions.status, "in_progress"),
          ),
        )
        .limit(1),
    );
    if (!submission) {
      submission = {
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

/** Starts a branching role-play over (the finished attempt stays in the history). */
export async function restartRoleplay(db: Handle, user: Learner, lessonId: string, key: string): Promise<void> {
  await db
    .delete(roleplaySubmissions)
    .where(
      and(
        eq(roleplaySubmissions.userId, user.id),
        eq(roleplaySubmissions.lessonId, lessonId),
        eq(roleplaySubmissions.roleplayKey, key),
        eq(roleplaySubmissions.status, "in_progress"),
      ),
    );
}

export async function startFresh(db: Handle, user: Learner, lessonId: string, key: string, now: Date): Promise<void> {
  const rp = await findCurrentRoleplay(db, lessonId, key);
  if (!rp) throw new Refusal("That role-play is not in this lesson any more. Reload the page.", 404);
  await restartRoleplay(db, user, lessonId, key);
  if (rp.mode === "branching") {
    await db.insert(roleplaySubmissions).values({
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
      createdAt: now,
    });
  }
}

/** An open role-play: a written reply (and optionally a recording) for every buyer turn. */
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
  const replies: OpenReply[] = rp.turns.map((turn) => {
    const given = Object.hasOwn(input, turn.id) ? input[turn.id] : undefined;
    const text = given?.text.trim() ?? "";
    if (!text && !given?.recordingId)
      throw new Refusal(
        `Write (or record) your reply to “${turn.buyer.slice(0, 60)}${turn.buyer.length > 60 ? "…" : ""}”.`,
        400,
      );
    if (text.length > MAX_REPLY_CHARS) throw new Refusal(`Keep each reply under ${MAX_REPLY_CHARS} characters.`, 400);
    return { turnId: turn.id, text, recordingId: given?.recordingId ?? null };
  });
  const recordingIds = replies.map((r) => r.recordingId).filter((id): id is string => id !== null);
  const id = newId();
  await transaction(db, async (tx) => {
    if (recordingIds.length) {
      const mine = await tx
        .select({ id: recordings.id })
        .from(recordings)
        .where(
          and(inArray(recordings.id, recordingIds), eq(recordings.userId, user.id), isNull(recordings.submissionId)),
        );
      if (mine.length !== new Set(recordingIds).size)
        throw new Refusal("A recording could not be attached. Record it again.", 400);
    }
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
    if (recordingIds.length)
      await tx.update(recordings).set({ submissionId: id }).where(inArray(recordings.id, recordingIds));
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

// ---------------------------------------------------------------------------- coaching

export type QueueItem = {
  id: string;
  repName: string;
  title: string;
  mode: "branching" | "open";
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
    replies: s.replies.map((r) => ({
      ...r,
      analysis: analyzeReply(r.text),
      buyer: rp.turns.find((t) => t.id === r.turnId)?.buyer ?? "",
      recording: recs.find((rec) => rec.id === r.recordingId) ?? null,
    })),
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
  const link = `/practice/submissions/${submissionId}`;
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
    await tx.insert(notifications).values({
      id: newId(),
      orgId: manager.orgId,
      userId: detail.rep.id,
      title: `${manager.name} reviewed your role-play ${quoted(detail.roleplay.title)}: ${Math.round(score)}/100`,
      link,
      createdAt: now,
    });
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
    // Written in the transaction; sent once it commits.
    await queueMail(tx, {
      orgId: manager.orgId,
      to: rep.email,
      subject: `Your role-play was reviewed: ${Math.round(score)}/100`,
      text: [
        `Hi ${rep.name.split(" ")[0]},`,
        "",
        `${manager.name} reviewed your role-play ${quoted(detail.roleplay.title)}.`,
        "",
        comment ? `“${comment}”` : "",
        "",
        `See the scores and comments: ${appUrl(link)}`,
      ].join("\n"),
    });
  });
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
  await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, user.id),
        eq(notifications.link, `/practice/submissions/${submissionId}`),
        isNull(notifications.readAt),
      ),
    );
  return {
    ...viewOf(row.roleplay, row.submission),
    title: row.roleplay.title,
    submittedAt: row.submission.submittedAt,
    reviewedAt: row.submission.reviewedAt,
  };
}

export async function unreadNotifications(db: Handle, userId: string) {
  return db
    .select({
      id: notifications.id,
      title: notifications.title,
      link: notifications.link,
      createdAt: notifications.createdAt,
    })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .orderBy(desc(notifications.createdAt))
    .limit(5);
}

export type RoleplayScores = {
  userId: string;
  skill: string;
  attempts: number;
  first: number;
  best: number;
  latest: number;
  lift: number;
};

/**
 * Role-play scores per rep and skill. A submission's score is the manager's when reviewed,
 * else the branching path's; open role-plays count once reviewed.
 */
export async function roleplayScoresBySkill(db: Handle, userIds: string[]): Promise<RoleplayScores[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .select({
      userId: roleplaySubmissions.userId,
      skill: lessons.skill,
      manager: roleplaySubmissions.managerScore,
      auto: roleplaySubmissions.autoScore,
      at: roleplaySubmissions.submittedAt,
    })
    .from(roleplaySubmissions)
    .innerJoin(lessons, eq(lessons.id, roleplaySubmissions.lessonId))
    .where(
      and(inArray(roleplaySubmissions.userId, userIds), inArray(roleplaySubmissions.status, ["submitted", "reviewed"])),
    )
    .orderBy(asc(roleplaySubmissions.submittedAt));
  const groups = new Map<string, number[]>();
  for (const row of rows) {
    const score = row.manager ?? row.auto;
    if (score === null) continue;
    const key = `${row.userId}\u0000${row.skill}`;
    groups.set(key, [...(groups.get(key) ?? []), score]);
  }
  return [...groups].map(([key, scores]) => {
    const [userId, skill] = key.split("\u0000") as [string, string];
    const first = scores[0]!;
    const best = Math.max(...scores);
    return { userId, skill, attempts: scores.length, first, best, latest: scores.at(-1)!, lift: best - first };
  });
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

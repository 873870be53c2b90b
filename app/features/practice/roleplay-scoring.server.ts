// How a role-play is scored: the branching path's points, the rubric's weighted levels, and the
// scores per rep and skill that the progress and insights pages show.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Handle } from "~/db/connection.server";
import { lessons, roleplaySubmissions, type BranchStep, type StoredCriterion, type StoredTurn } from "~/db/schema";
import { Refusal } from "~/features/refusal";

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

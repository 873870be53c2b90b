import type { StoredChoice } from "~/db/model";

export type Score = { score: number; correct: boolean };

/**
 * The one place a question is scored. Single answer: right or wrong. Multiple answer: correct
 * picks minus wrong picks, over the number of correct choices, never below zero.
 */
export function scoreAnswer(
  kind: "single" | "multiple",
  choices: readonly StoredChoice[],
  chosen: readonly string[],
): Score {
  const picked = new Set(chosen);
  const rightIds = choices.filter((c) => c.correct).map((c) => c.id);
  if (kind === "single") {
    const correct = picked.size === 1 && rightIds.includes(chosen[0]!);
    return { score: correct ? 1 : 0, correct };
  }
  const hits = rightIds.filter((id) => picked.has(id)).length;
  const misses = [...picked].filter((id) => !rightIds.includes(id)).length;
  const score = Math.max(0, (hits - misses) / rightIds.length);
  return { score, correct: score === 1 };
}

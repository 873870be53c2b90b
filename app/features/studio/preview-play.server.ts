// A preview is played without recording anything: the answers and role-play paths so far travel
// in the preview's own URL (?answers=…&paths=…), and each view is worked out from them and the
// draft's extracted questions. Nothing is written; a reload replays the same state.
import type { ExtractedQuestion, ExtractedRolePlay } from "~/features/content/analyze.server";
import { feedbackFor } from "~/features/learning/answers.server";
import { scoreAnswer } from "~/features/learning/scoring";
import { branchingScore } from "~/features/practice/roleplay-scoring.server";
import type { QuizResult, RoleplayView } from "~/lesson-kit/lesson-state";

export type Play = { answers: Map<string, string[]>; paths: Map<string, string[]> };

const KEY = /^[a-z0-9-]{1,80}$/;

function readPairs(value: string | null, item: RegExp): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const part of (value ?? "").split(";").slice(0, 100)) {
    const [key, list] = part.split(":");
    if (!key || !KEY.test(key) || list === undefined) continue;
    const items = list.split(".").filter((v) => item.test(v));
    found.set(key, items.slice(0, 50));
  }
  return found;
}

export function readPlay(url: URL): Play {
  return {
    answers: readPairs(url.searchParams.get("answers"), /^c\d{1,2}$/),
    paths: readPairs(url.searchParams.get("paths"), /^r\d{1,2}$/),
  };
}

export function playQuery(play: Play, extra: Record<string, string> = {}): string {
  const write = (m: Map<string, string[]>) => [...m].map(([k, v]) => `${k}:${v.join(".")}`).join(";");
  const params = new URLSearchParams(extra);
  if (play.answers.size) params.set("answers", write(play.answers));
  if (play.paths.size) params.set("paths", write(play.paths));
  const query = params.toString();
  return query ? `?${query}` : "";
}

export function quizResults(questions: ExtractedQuestion[], play: Play): Record<string, QuizResult> {
  const results: Record<string, QuizResult> = {};
  for (const q of questions) {
    const chosen = play.answers.get(q.key);
    if (!chosen) continue;
    results[q.key] = feedbackFor(q, chosen, scoreAnswer(q.kind, q.choices, chosen));
  }
  return results;
}

/** Each role-play as the rep would see it after the replies in the URL (open ones at their first turn). */
export function roleplayPreviews(roleplays: ExtractedRolePlay[], play: Play): Record<string, RoleplayView> {
  return Object.fromEntries(
    roleplays.map((rp) => {
      const turns = new Map(rp.turns.map((t) => [t.id, t]));
      const steps: RoleplayView["steps"] = [];
      let current: string | null = rp.turns[0]?.id ?? null;
      if (rp.mode === "branching") {
        for (const replyId of play.paths.get(rp.key) ?? []) {
          const reply = current ? turns.get(current)?.replies.find((r) => r.id === replyId) : undefined;
          if (!reply || !current) break;
          steps.push({ turnId: current, replyId, points: reply.points, feedback: reply.feedback });
          current = reply.next;
        }
      }
      const finished = rp.mode === "branching" && steps.length > 0 && current === null;
      const view: RoleplayView = {
        submissionId: null,
        status: finished ? "submitted" : steps.length ? "in_progress" : "new",
        mode: rp.mode,
        steps,
        currentTurn: current,
        score: finished ? branchingScore(rp.turns, steps) : null,
        replies: [],
        rubric: rp.rubric,
        selfScores: null,
        selfScore: null,
        managerScores: null,
        managerScore: null,
        managerComment: null,
      };
      return [rp.key, view];
    }),
  );
}

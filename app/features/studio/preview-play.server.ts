// A preview is played without recording anything: the answers, branching role-play paths and
// open role-play replies so far travel in the preview's own URL (?answers=…&paths=…&replies=…),
// and each view is worked out from them and the draft's extracted questions. Nothing is written;
// a reload replays the same state.
import type { ExtractedQuestion, ExtractedRolePlay } from "~/features/content/analyze.server";
import { feedbackFor } from "~/features/learning/answers.server";
import { scoreAnswer } from "~/features/learning/scoring";
import { branchingScore } from "~/features/practice/roleplay-scoring.server";
import { analyzeReply } from "~/features/practice/technique";
import type { QuizResult, RoleplayView } from "~/lesson-kit/lesson-state";

/** An open role-play's written replies so far, per role-play: [turn id, text]. */
type Replies = Map<string, Array<[string, string]>>;
export type Play = { answers: Map<string, string[]>; paths: Map<string, string[]>; replies: Replies };

const KEY = /^[a-z0-9-]{1,80}$/;
/** A reply in the preview keeps this many characters: the URL carries them, and a request line has a limit. */
export const PREVIEW_REPLY_CHARS = 300;

function readReplies(value: string | null): Replies {
  const found: Replies = new Map();
  let parsed: unknown;
  try {
    parsed = JSON.parse(value ?? "{}");
  } catch {
    return found;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return found;
  for (const [key, list] of Object.entries(parsed).slice(0, 20)) {
    if (!KEY.test(key) || !Array.isArray(list)) continue;
    const replies = list
      .filter(
        (r): r is [string, string] =>
          Array.isArray(r) && typeof r[0] === "string" && KEY.test(r[0]) && typeof r[1] === "string",
      )
      .slice(0, 20)
      .map(([turn, text]): [string, string] => [turn, text.slice(0, PREVIEW_REPLY_CHARS)]);
    found.set(key, replies);
  }
  return found;
}

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
    replies: readReplies(url.searchParams.get("replies")),
  };
}

export function playQuery(play: Play, extra: Record<string, string> = {}): string {
  const write = (m: Map<string, string[]>) => [...m].map(([k, v]) => `${k}:${v.join(".")}`).join(";");
  const params = new URLSearchParams(extra);
  if (play.answers.size) params.set("answers", write(play.answers));
  if (play.paths.size) params.set("paths", write(play.paths));
  if (play.replies.size) params.set("replies", JSON.stringify(Object.fromEntries(play.replies)));
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

/**
 * Each role-play as the rep would see it after the replies in the URL: a branching one along its
 * chosen path, an open one with its written replies (and their automatic notes) up to the next
 * turn, handed in after the last.
 */
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
      const replies: RoleplayView["replies"] = [];
      if (rp.mode === "open") {
        // In turn order, each answering the turn in front of the rep: a stale or altered URL stops there.
        for (const [turnId, text] of play.replies.get(rp.key) ?? []) {
          const turn = current ? turns.get(current) : undefined;
          if (!turn || turn.id !== turnId) break;
          replies.push({ turnId, text, recordingId: null, analysis: analyzeReply(text, turn.buyer) });
          current = rp.turns[rp.turns.indexOf(turn) + 1]?.id ?? null;
        }
      }
      const finished =
        (rp.mode === "branching" && steps.length > 0 && current === null) ||
        (rp.mode === "open" && replies.length > 0 && current === null);
      const view: RoleplayView = {
        submissionId: null,
        status: finished ? "submitted" : steps.length || replies.length ? "in_progress" : "new",
        mode: rp.mode,
        steps,
        currentTurn: current,
        score: finished && rp.mode === "branching" ? branchingScore(rp.turns, steps) : null,
        replies,
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

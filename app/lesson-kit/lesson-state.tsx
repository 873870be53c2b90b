import { createContext, useContext } from "react";
import type { OpenReply, StoredCriterion } from "~/db/model";

/** What the page knows about this rep and this lesson, for the kit components inside it. */
export type QuizResult = {
  chosen: string[];
  correct: boolean;
  score: number;
  /** Only after the rep answered: which choices were right, and why each chosen one is or isn't. */
  correctChoices: string[];
  explanations: Record<string, string>;
  /** The answer was given on an earlier version of the lesson (a trainer has republished it since). */
  earlierVersion?: boolean;
};

// What the server hands the kit about role-plays. The shapes live here, beside QuizResult, so
// the kit reads them without importing the practice feature that fills them.

/** Automatic technique feedback on an open reply (features/practice/technique.ts computes it). */
export type QuestionKind = "open" | "closed";
export type FoundQuestion = { text: string; kind: QuestionKind; leading: boolean };
export type TechniqueFeedback = {
  questions: FoundQuestion[];
  openCount: number;
  closedCount: number;
  leading: string[];
  stacked: boolean;
  talkWords: number;
  askWords: number;
  talksMoreThanAsks: boolean;
  listening: string[];
  tips: string[];
};

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

export type LessonState = {
  /** Where quiz answers are posted (the lesson's own URL). */
  action: string;
  results: Record<string, QuizResult>;
  /** The quiz a no-JS answer just returned to, to focus its feedback. */
  lastAnswered?: string | null;
  /** Prefix of this rendering's submission ids (one per question). */
  submission: string;
  /** A refused answer, shown under its question. */
  error?: { question: string; message: string | null } | null;
  /** The rep's latest attempt at each role-play in the lesson (their own only). */
  roleplays?: Record<string, RoleplayView>;
  /** A role-play the rep asked to practice again (shows an empty form). */
  practiseAgain?: string | null;
  roleplayError?: { roleplay: string; message: string | null } | null;
};

export const LessonStateContext = createContext<LessonState>({ action: "", results: {}, submission: "" });

export function useLessonState(): LessonState {
  return useContext(LessonStateContext);
}

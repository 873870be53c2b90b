import { createContext, useContext } from "react";
import type { RoleplayView } from "~/features/practice/roleplay-views.server";

/** What the page knows about this rep and this lesson, for the kit components inside it. */
export type QuizResult = {
  chosen: string[];
  correct: boolean;
  score: number;
  /** Only after the rep answered: which choices were right, and why each chosen one is or isn't. */
  correctChoices: string[];
  explanations: Record<string, string>;
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

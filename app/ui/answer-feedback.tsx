import type { ReactNode } from "react";
import { comesBackText } from "./dates";

/** What the server says about a scored answer (the kit's QuizResult, as far as feedback reads it). */
export type ScoredAnswer = {
  chosen: string[];
  correct: boolean;
  score: number;
  correctChoices: string[];
  explanations: Record<string, string>;
};

export type AnswerFeedbackView = {
  prompt: string;
  choices: Array<{ id: string; text: string }>;
  result: ScoredAnswer;
  comesBack: Date | string;
};

/**
 * How a boost answer went: right or not, the picks that matter with why, and when the question
 * comes back. One card for /boost and for an answer given from a digest's link; `children` is
 * what to do next.
 */
export function AnswerFeedback({
  feedback,
  now,
  timezone,
  children,
}: {
  feedback: AnswerFeedbackView;
  now: Date | string;
  timezone: string;
  children: ReactNode;
}) {
  const { result } = feedback;
  return (
    <section className="card" aria-labelledby="feedback-heading">
      <h2 id="feedback-heading" className={`text-xl font-bold ${result.correct ? "text-emerald-800" : "text-red-800"}`}>
        {result.correct
          ? "Right."
          : result.score > 0
            ? `Partly right: ${Math.round(result.score * 100)}%.`
            : "Not quite."}
      </h2>
      <p className="mt-2 font-medium">{feedback.prompt}</p>
      <ul className="mt-3 flex flex-col gap-2">
        {feedback.choices
          .filter((c) => result.chosen.includes(c.id) || result.correctChoices.includes(c.id))
          .map((c) => (
            <li
              key={c.id}
              className={`rounded-lg border p-3 ${result.correctChoices.includes(c.id) ? "border-emerald-400 bg-emerald-50" : "border-red-300 bg-red-50"}`}
            >
              <p>
                <strong>
                  {result.correctChoices.includes(c.id)
                    ? result.chosen.includes(c.id)
                      ? "Your pick, and right: "
                      : "The right answer: "
                    : "Your pick: "}
                </strong>
                {c.text}
              </p>
              <p className="mt-1 text-sm">{result.explanations[c.id]}</p>
            </li>
          ))}
      </ul>
      <p className="mt-4 text-slate-700">{comesBackText(feedback.comesBack, now, timezone)}</p>
      {children}
    </section>
  );
}

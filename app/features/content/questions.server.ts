// The questions of a lesson as its current version defines them (extracted by the compiler).
import { and, eq } from "drizzle-orm";
import { first, type Handle } from "~/db/connection.server";
import { lessons, questions, type StoredChoice } from "~/db/schema";

export type CurrentQuestion = {
  id: string;
  lessonId: string;
  lessonVersionId: string;
  key: string;
  kind: "single" | "multiple";
  prompt: string;
  choices: StoredChoice[];
};

/** A question of the lesson's current version, by its key. */
export async function findCurrentQuestion(db: Handle, lessonId: string, key: string): Promise<CurrentQuestion | null> {
  return (
    (await first(
      db
        .select({
          id: questions.id,
          lessonId: questions.lessonId,
          lessonVersionId: questions.lessonVersionId,
          key: questions.key,
          kind: questions.kind,
          prompt: questions.prompt,
          choices: questions.choices,
        })
        .from(questions)
        .innerJoin(
          lessons,
          and(eq(lessons.id, questions.lessonId), eq(lessons.currentVersionId, questions.lessonVersionId)),
        )
        .where(and(eq(questions.lessonId, lessonId), eq(questions.key, key)))
        .limit(1),
    )) ?? null
  );
}

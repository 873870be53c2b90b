// A rep's learning made through the app's own feature functions, at a chosen time: lessons of
// the organization's own (synced from a throw-away folder) opened, answered and completed, so
// that their questions become cards due when FSRS says.
import { and, eq } from "drizzle-orm";
import { db, first } from "../../app/db/connection.server";
import { lessons } from "../../app/db/schema";
import { findCurrentQuestion } from "../../app/features/content/questions.server";
import { syncLibrary } from "../../app/features/content/sync.server";
import { answerQuestion, finishLesson } from "../../app/features/learning/answers.server";
import { recordLessonOpened } from "../../app/features/learning/progress.server";
import { lessonSource, makeContentDir } from "./content";

type Learner = { id: string; orgId: string; timezone: string };
export type TestLesson = { id: string; title: string; versionId: string; keys: string[] };

/** `count` lessons of `questions` two-choice questions each ("c1" is right), owned by the organization. */
export async function orgLessons(orgId: string, count: number, questions = 4): Promise<TestLesson[]> {
  const keys = Array.from({ length: questions }, (_, i) => `q${i}`);
  const files = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `0${i + 1}-lesson-${i + 1}.mdx`,
      lessonSource(
        `Lesson ${i + 1}`,
        keys.map((id) => ({ id, choices: [["right", true] as [string, boolean], ["wrong", false]] })),
      ),
    ]),
  );
  await syncLibrary(db(), { dir: makeContentDir(files), owner: orgId });
  const found: TestLesson[] = [];
  for (let i = 0; i < count; i++) found.push({ ...(await orgLesson(orgId, `lesson-${i + 1}`)), keys });
  return found;
}

/** The organization's lesson of that slug, as its current version is published. */
export async function orgLesson(
  orgId: string,
  slug: string,
): Promise<{ id: string; title: string; versionId: string }> {
  const lesson = (await first(
    db()
      .select({ id: lessons.id, title: lessons.title, versionId: lessons.currentVersionId })
      .from(lessons)
      .where(and(eq(lessons.owner, orgId), eq(lessons.slug, slug)))
      .limit(1),
  ))!;
  return { ...lesson, versionId: lesson.versionId! };
}

/**
 * The rep opens the lesson at `at`, answers each question `minutesApart` minutes apart (wrong for
 * `wrongKeys`) and completes it as long again after the last: (questions + 1) × minutesApart minutes.
 */
export async function completeLesson(
  user: Learner,
  lesson: TestLesson,
  at: Date,
  wrongKeys: string[] = [],
  minutesApart = 1,
) {
  const step = minutesApart * 60_000;
  await recordLessonOpened(db(), user, lesson, at);
  for (const [i, key] of lesson.keys.entries()) {
    const question = (await findCurrentQuestion(db(), lesson.id, key))!;
    await answerQuestion(db(), {
      user,
      question,
      lessonTitle: lesson.title,
      chosen: [wrongKeys.includes(key) ? "c2" : "c1"],
      submissionId: `${lesson.id}-${key}-${at.getTime()}`,
      context: "lesson",
      now: new Date(at.getTime() + (i + 1) * step),
    });
  }
  await finishLesson(db(), user, lesson.id, lesson.title, new Date(at.getTime() + (lesson.keys.length + 1) * step));
}

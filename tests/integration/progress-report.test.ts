import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { lessons } from "~/db/schema";
import { syncLibrary } from "~/features/content/sync.server";
import { findCurrentQuestion } from "~/features/content/questions.server";
import { answerQuestion, finishLesson } from "~/features/learning/answers.server";
import { recordLessonOpened } from "~/features/learning/progress.server";
import { currentStreak, recentActivity, skillProgress } from "~/features/learning/progress-report.server";
import { emptyContentDir, lessonSource, makeContentDir } from "../support/content";
import { makeOrg, makeUser } from "../support/people";

const DAY = 86_400_000;
const quizzes = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"].map((id) => ({
  id,
  choices: [
    ["right", true],
    ["wrong", false],
  ] as Array<[string, boolean]>,
}));

describe("the rep's progress report", () => {
  it("counts first attempts only, compares the last 28 days with the 28 before, and counts the streak in the org's zone", async () => {
    const org = await makeOrg();
    // The organization's library is its own one lesson: the built-in ones are archived.
    await syncLibrary(db(), { dir: emptyContentDir() });
    await syncLibrary(db(), { dir: makeContentDir({ "01-one.mdx": lessonSource("One", quizzes) }), owner: org.id });
    const lesson = (await first(
      db()
        .select()
        .from(lessons)
        .where(and(eq(lessons.owner, org.id), eq(lessons.slug, "one")))
        .limit(1),
    ))!;
    const user = { ...(await makeUser(org.id, ["rep"])), timezone: "America/New_York" };
    const now = new Date("2026-05-20T15:00:00Z");
    const answer = async (key: string, right: boolean, at: Date, n: number) =>
      answerQuestion(db(), {
        user,
        question: (await findCurrentQuestion(db(), lesson.id, key))!,
        lessonTitle: "One",
        chosen: [right ? "c1" : "c2"],
        submissionId: `sub-${n}`,
        context: "lesson",
        now: at,
      });

    const earlier = new Date(now.getTime() - 40 * DAY);
    const trendOf = async () => (await skillProgress(db(), user, now)).find((s) => s.skill === "questioning")!.trend;
    await recordLessonOpened(db(), user, { id: lesson.id, title: "One", versionId: lesson.currentVersionId! }, earlier);
    // The earlier window: five first tries, two right (40%).
    for (const [i, key] of ["a", "b", "c", "d", "e"].entries()) await answer(key, i < 2, earlier, i + 1);
    await answer("c", true, new Date(now.getTime() - 39 * DAY), 6); // a retry: not counted
    // The recent window: first tries, all right. Four are not enough to compare (nor to say "down").
    for (const [i, key] of ["f", "g", "h", "i"].entries())
      await answer(key, true, new Date(now.getTime() - 2 * DAY), i + 7);
    expect(await trendOf()).toEqual({ change: null, recent: 4, earlier: 5 });
    await answer("j", true, new Date(now.getTime() - 1 * DAY), 11);
    await finishLesson(db(), user, lesson.id, "One", new Date(now.getTime() - 1 * DAY + 60_000));

    const [questioning] = (await skillProgress(db(), user, now)).filter((s) => s.skill === "questioning");
    // First attempts: 2 of 5 earlier, 5 of 5 recent → 7 of 10; the trend is +60 points.
    expect(questioning).toMatchObject({ lessonsCompleted: 1, lessonsTotal: 1, firstAttempts: 10, accuracy: 0.7 });
    expect(questioning!.trend.change).toBeCloseTo(0.6);
    expect(questioning!.trend).toMatchObject({ recent: 5, earlier: 5 });

    // Active on the 18th and 19th (New York days); today (the 20th) not yet: a streak of 2.
    expect(await currentStreak(db(), user, now)).toBe(2);
    // Finishing the only lesson also completed its module, at the same moment.
    const latest = (await recentActivity(db(), user)).slice(0, 2);
    expect(latest.map((a) => `${a.verb} ${a.object}`).sort()).toEqual(["Completed One", "Completed Testing module"]);
  });
});

// Answering a question: validated, scored on the server, stored once per submission, logged,
// and (inside a lesson) checked for lesson and module completion.
import { and, asc, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { first, prepared, transaction, type Handle, type Transaction } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { attempts, lessonProgress, lessons, moduleCompletions, modules, questions } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import { tallyBoostAnswer, tallyFirstAnswer } from "~/features/content-insights/tallies.server";
import type { SessionUser } from "~/features/auth/sessions.server";
import type { CurrentQuestion } from "~/features/content/questions.server";
import type { QuizResult } from "~/lesson-kit/lesson-state";
import { createCardsForLesson } from "~/features/reinforcement/cards.server";
import { Refusal } from "~/features/refusal";
import { scoreAnswer } from "./scoring";

type Learner = Pick<SessionUser, "id" | "orgId" | "timezone">;

export function feedbackFor(
  question: Pick<CurrentQuestion, "choices">,
  chosen: string[],
  score: { correct: boolean; score: number },
): QuizResult {
  const explanations: Record<string, string> = {};
  const correctChoices = question.choices.filter((c) => c.correct).map((c) => c.id);
  for (const c of question.choices) if (chosen.includes(c.id) || c.correct) explanations[c.id] = c.explanation;
  return { chosen, correct: score.correct, score: score.score, correctChoices, explanations };
}

export type AnswerInput = {
  user: Learner;
  question: CurrentQuestion;
  lessonTitle: string;
  chosen: string[];
  submissionId: string;
  context: "lesson" | "boost" | "prep";
  now?: Date;
};

export type AnswerOutcome = {
  attemptId: string;
  result: QuizResult;
  stored: boolean;
  lessonCompleted: boolean;
  moduleCompleted: boolean;
};

export async function answerQuestion(db: Handle, input: AnswerInput): Promise<AnswerOutcome> {
  const { user, question, chosen } = input;
  const now = input.now ?? new Date();
  const valid = new Set(question.choices.map((c) => c.id));
  const unique = [...new Set(chosen)];
  if (unique.length === 0) throw new Refusal("Pick an answer first.", 400);
  if (unique.some((id) => !valid.has(id)))
    throw new Refusal("That answer is not one of this question's choices. Reload the page and try again.", 400);
  if (question.kind === "single" && unique.length > 1) throw new Refusal("Pick one answer.", 400);
  const score = scoreAnswer(question.kind, question.choices, unique);

  return transaction(db, async (tx) => {
    const duplicate = await first(
      tx
        .select({ id: attempts.id, chosen: attempts.chosen, correct: attempts.correct, score: attempts.score })
        .from(attempts)
        .where(and(eq(attempts.userId, user.id), eq(attempts.submissionId, input.submissionId)))
        .limit(1),
    );
    if (duplicate) {
      return {
        attemptId: duplicate.id,
        result: feedbackFor(question, duplicate.chosen, duplicate),
        stored: false,
        lessonCompleted: false,
        moduleCompleted: false,
      };
    }
    const earlier = await first(
      tx
        .select({ id: attempts.id })
        .from(attempts)
        .where(
          and(
            eq(attempts.userId, user.id),
            eq(attempts.lessonId, question.lessonId),
            eq(attempts.questionKey, question.key),
          ),
        )
        .limit(1),
    );
    const attemptId = newId();
    await tx.insert(attempts).values({
      id: attemptId,
      orgId: user.orgId,
      userId: user.id,
      questionId: question.id,
      lessonId: question.lessonId,
      lessonVersionId: question.lessonVersionId,
      questionKey: question.key,
      chosen: unique,
      correct: score.correct,
      score: score.score,
      first: !earlier,
      context: input.context,
      submissionId: input.submissionId,
      createdAt: now,
    });
    // The item tallies /content/insights reads (decision 039), kept with the answer.
    if (!earlier)
      await tallyFirstAnswer(tx, user, question.lessonId, {
        key: question.key,
        versionId: question.lessonVersionId,
        chosen: unique,
        correct: score.correct,
        score: score.score,
        at: now,
      });
    if (input.context === "boost")
      await tallyBoostAnswer(tx, user, question.lessonId, { key: question.key, correct: score.correct, at: now });
    await recordStatement(
      tx,
      {
        orgId: user.orgId,
        timezone: user.timezone,
        actorId: user.id,
        verb: "answered",
        object: { type: "question", id: `${question.lessonId}#${question.key}`, name: question.prompt.slice(0, 200) },
        result: { score: score.score, success: score.correct },
        context: { lesson: question.lessonId, via: input.context, first: !earlier },
        timestamp: now,
      },
      { questionsAnswered: 1, questionsCorrect: score.correct ? 1 : 0 },
    );
    const completion =
      input.context === "lesson"
        ? await completeIfDone(tx, user, question.lessonId, input.lessonTitle, now)
        : { lessonCompleted: false, moduleCompleted: false };
    return { attemptId, result: feedbackFor(question, unique, score), stored: true, ...completion };
  });
}

/** Keys of the current version's questions that the rep has not answered yet (in order). */
async function unansweredQuestions(tx: Transaction, userId: string, lessonId: string) {
  const all = await tx
    .select({ key: questions.key, prompt: questions.prompt })
    .from(questions)
    .innerJoin(
      lessons,
      and(eq(lessons.id, questions.lessonId), eq(lessons.currentVersionId, questions.lessonVersionId)),
    )
    .where(eq(questions.lessonId, lessonId))
    .orderBy(asc(questions.position));
  const answered = new Set(
    (
      await tx
        .select({ key: attempts.questionKey })
        .from(attempts)
        .where(and(eq(attempts.userId, userId), eq(attempts.lessonId, lessonId)))
    ).map((a) => a.key),
  );
  return all.filter((q) => !answered.has(q.key));
}

/**
 * A lesson is complete when the rep has reached its end and answered all its questions; it is
 * recorded once. Time spent is the time from opening to completing, capped, because a tab left
 * open over lunch is not learning.
 */
async function completeIfDone(
  tx: Transaction,
  user: Learner,
  lessonId: string,
  lessonTitle: string,
  now: Date,
): Promise<{ lessonCompleted: boolean; moduleCompleted: boolean }> {
  const progress = await first(
    tx
      .select({
        startedAt: lessonProgress.startedAt,
        reachedEndAt: lessonProgress.reachedEndAt,
        completedAt: lessonProgress.completedAt,
      })
      .from(lessonProgress)
      .where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, lessonId)))
      .limit(1),
  );
  if (!progress || progress.completedAt || !progress.reachedEndAt)
    return { lessonCompleted: false, moduleCompleted: false };
  if ((await unansweredQuestions(tx, user.id, lessonId)).length > 0)
    return { lessonCompleted: false, moduleCompleted: false };

  const lesson = (await first(
    tx
      .select({ moduleId: lessons.moduleId, minutes: lessons.minutes })
      .from(lessons)
      .where(eq(lessons.id, lessonId))
      .limit(1),
  ))!;
  const cap = lesson.minutes * 4 * 60;
  const seconds = Math.max(1, Math.min(cap, Math.round((now.getTime() - progress.startedAt.getTime()) / 1000)));
  await tx
    .update(lessonProgress)
    .set({ completedAt: now, secondsSpent: seconds })
    .where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, lessonId)));
  await createCardsForLesson(tx, user, lessonId, now);
  await recordStatement(
    tx,
    {
      orgId: user.orgId,
      timezone: user.timezone,
      actorId: user.id,
      verb: "completed",
      object: { type: "lesson", id: lessonId, name: lessonTitle },
      result: { success: true, durationMs: seconds * 1000 },
      timestamp: now,
    },
    { lessonsCompleted: 1, secondsLearned: seconds },
  );

  const remaining = await first(
    tx
      .select({ id: lessons.id })
      .from(lessons)
      .leftJoin(lessonProgress, and(eq(lessonProgress.lessonId, lessons.id), eq(lessonProgress.userId, user.id)))
      .where(
        and(
          eq(lessons.moduleId, lesson.moduleId),
          isNull(lessons.archivedAt),
          isNotNull(lessons.currentVersionId),
          isNull(lessonProgress.completedAt),
        ),
      )
      .limit(1),
  );
  if (remaining) return { lessonCompleted: true, moduleCompleted: false };
  const inserted = await first(
    tx
      .insert(moduleCompletions)
      .values({ orgId: user.orgId, userId: user.id, moduleId: lesson.moduleId, completedAt: now })
      .onConflictDoNothing()
      .returning(),
  );
  if (!inserted) return { lessonCompleted: true, moduleCompleted: false };
  const module = (await first(
    tx.select({ title: modules.title }).from(modules).where(eq(modules.id, lesson.moduleId)).limit(1),
  ))!;
  await recordStatement(
    tx,
    {
      orgId: user.orgId,
      timezone: user.timezone,
      actorId: user.id,
      verb: "completed",
      object: { type: "module", id: lesson.moduleId, name: module.title },
      result: { success: true },
      timestamp: now,
    },
    { modulesCompleted: 1 },
  );
  return { lessonCompleted: true, moduleCompleted: true };
}

const JUST_COMPLETED_MS = 15 * 60_000;

export type FinishOutcome = {
  completed: boolean;
  /** Completed by this finish (not before): the rep is then told what they did, once. */
  newly?: boolean;
  unanswered: Array<{ key: string; prompt: string }>;
};

/** The rep reached the end of the lesson (the button at its foot). */
export async function finishLesson(
  db: Handle,
  user: Learner,
  lessonId: string,
  lessonTitle: string,
  now = new Date(),
): Promise<FinishOutcome> {
  return transaction(db, async (tx) => {
    await tx
      .update(lessonProgress)
      .set({ reachedEndAt: sql`coalesce(${lessonProgress.reachedEndAt}, ${now.getTime()})` })
      .where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, lessonId)));
    const unanswered = await unansweredQuestions(tx, user.id, lessonId);
    if (unanswered.length) return { completed: false, unanswered };
    const already = await first(
      tx
        .select({ completedAt: lessonProgress.completedAt })
        .from(lessonProgress)
        .where(and(eq(lessonProgress.userId, user.id), eq(lessonProgress.lessonId, lessonId)))
        .limit(1),
    );
    // Completed a moment ago by its last answer (after an earlier "finish" that found it unanswered): still news.
    if (already?.completedAt)
      return {
        completed: true,
        newly: now.getTime() - already.completedAt.getTime() < JUST_COMPLETED_MS,
        unanswered: [],
      };
    const { lessonCompleted } = await completeIfDone(tx, user, lessonId, lessonTitle, now);
    return { completed: lessonCompleted, newly: lessonCompleted, unanswered: [] };
  });
}

/** What the rep last answered to each question of a lesson, with the feedback they earned. */
// A lesson page runs both on every view: built once (decision 007).
const currentQuestions = prepared("answers_current_questions", (database) =>
  database
    .select({ key: questions.key, choices: questions.choices, versionId: questions.lessonVersionId })
    .from(questions)
    .innerJoin(
      lessons,
      and(eq(lessons.id, questions.lessonId), eq(lessons.currentVersionId, questions.lessonVersionId)),
    )
    .where(eq(questions.lessonId, sql.placeholder("lessonId"))),
);
const lessonAttempts = prepared("answers_lesson_attempts", (database) =>
  database
    .select({
      key: attempts.questionKey,
      chosen: attempts.chosen,
      correct: attempts.correct,
      score: attempts.score,
      versionId: attempts.lessonVersionId,
    })
    .from(attempts)
    .where(and(eq(attempts.userId, sql.placeholder("userId")), eq(attempts.lessonId, sql.placeholder("lessonId"))))
    .orderBy(desc(attempts.createdAt)),
);

export async function lessonResults(
  db: Handle,
  user: Pick<SessionUser, "id">,
  lessonId: string,
): Promise<Record<string, QuizResult>> {
  // Read together: on PostgreSQL the two round trips overlap (decision 010).
  const [current, latest] = await Promise.all([
    currentQuestions(db).execute({ lessonId }),
    lessonAttempts(db).execute({ userId: user.id, lessonId }),
  ]);
  const results: Record<string, QuizResult> = {};
  for (const attempt of latest) {
    if (Object.hasOwn(results, attempt.key)) continue;
    const question = current.find((q) => q.key === attempt.key);
    if (!question) continue; // a question the lesson no longer asks
    const known = new Set(question.choices.map((c) => c.id));
    // An answer given on an older version only counts if its choices still exist.
    if (!attempt.chosen.every((id) => known.has(id))) continue;
    const result = feedbackFor(question, attempt.chosen, attempt);
    // Given on an earlier version of the lesson: shown as it was scored then, and said so.
    results[attempt.key] = attempt.versionId === question.versionId ? result : { ...result, earlierVersion: true };
  }
  return results;
}

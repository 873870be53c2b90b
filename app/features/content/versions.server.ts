// The one way a compiled lesson becomes its lesson's current version: the library sync (from
// content/) and the studio's publish both write through here, so questions, role-plays, key
// points and the search index are extracted and stored the same way for both.
import { and, eq } from "drizzle-orm";
import { first, runSql, type Handle, type Transaction } from "~/db/connection.server";
import { indexLessonText } from "~/db/dialect";
import { newId } from "~/db/ids";
import { lessons, lessonVersions, questions, roleplays } from "~/db/schema";
import type { AnalyzedLesson } from "./analyze.server";
import type { LessonFrontmatter } from "./frontmatter";

/** A lesson's row fields that come from its frontmatter. */
export function lessonMetadata(fm: LessonFrontmatter) {
  return {
    title: fm.title,
    summary: fm.summary,
    objective: fm.objective,
    skill: fm.skill,
    stages: fm.stages,
    minutes: fm.minutes,
    level: fm.level,
    tags: fm.tags,
  };
}

/** A version of the lesson with exactly this source (by hash), if one was ever stored. */
export async function versionWithHash(db: Handle, lessonId: string, hash: string): Promise<string | null> {
  const row = await first(
    db
      .select({ id: lessonVersions.id })
      .from(lessonVersions)
      .where(and(eq(lessonVersions.lessonId, lessonId), eq(lessonVersions.hash, hash)))
      .limit(1),
  );
  return row?.id ?? null;
}

export type NewVersion = {
  lessonId: string;
  owner: string;
  hash: string;
  source: string;
  /** Compiled with every answer key removed (compileLesson). */
  code: string;
  analysis: AnalyzedLesson & { frontmatter: LessonFrontmatter };
  authorId?: string | null;
  createdAt?: Date;
};

/** Stores a new version with its questions and role-plays; the lesson is not pointed at it yet. */
export async function insertLessonVersion(tx: Transaction | Handle, version: NewVersion): Promise<string> {
  const { analysis, lessonId } = version;
  const versionId = newId();
  await tx.insert(lessonVersions).values({
    id: versionId,
    lessonId,
    hash: version.hash,
    source: version.source,
    code: version.code,
    frontmatter: analysis.frontmatter,
    bodyText: analysis.bodyText,
    keyPoints: analysis.keyPoints,
    wordCount: analysis.wordCount,
    authorId: version.authorId ?? null,
    ...(version.createdAt ? { createdAt: version.createdAt } : {}),
  });
  if (analysis.questions.length) {
    await tx.insert(questions).values(
      analysis.questions.map((q) => ({
        id: newId(),
        lessonVersionId: versionId,
        lessonId,
        key: q.key,
        kind: q.kind,
        prompt: q.prompt,
        choices: q.choices,
        position: q.position,
      })),
    );
  }
  if (analysis.roleplays.length) {
    await tx
      .insert(roleplays)
      .values(analysis.roleplays.map((r) => ({ id: newId(), lessonVersionId: versionId, lessonId, ...r })));
  }
  return versionId;
}

/**
 * Makes a version the lesson's current one: the lesson's row takes its frontmatter and the search
 * index its text. Reps see it on their next request.
 */
export async function makeVersionCurrent(
  tx: Transaction | Handle,
  lesson: { id: string; owner: string },
  versionId: string,
  fm: LessonFrontmatter,
  bodyText: string,
  extra: { position?: number } = {},
): Promise<void> {
  await tx
    .update(lessons)
    .set({ ...lessonMetadata(fm), ...extra, archivedAt: null, currentVersionId: versionId })
    .where(eq(lessons.id, lesson.id));
  for (const statement of indexLessonText({
    lessonId: lesson.id,
    owner: lesson.owner,
    title: fm.title,
    summary: fm.summary,
    body: bodyText,
  }))
    await runSql(tx, statement);
}

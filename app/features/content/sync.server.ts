// Loads the library on disk into the database by content hash. An unchanged lesson is not
// recompiled; a changed one gets a new version (old attempts keep pointing at theirs); a
// removed one is archived with its history kept.
import { and, eq, inArray, isNull, notInArray, sql } from "drizzle-orm";
import { db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { LIBRARY_OWNER, lessons, lessonVersions, modules, questions, roleplays } from "~/db/schema";
import { log } from "~/features/ops/log.server";
import { checkLibrary, formatContentError, type CheckedLesson } from "./check.server";
import { compileLesson, lessonHash } from "./compile.server";

export type SyncReport = { compiled: number; unchanged: number; archived: number; skipped: number };

export async function syncLibrary(options: { dir?: string; owner?: string; now?: Date } = {}): Promise<SyncReport> {
  const owner = options.owner ?? LIBRARY_OWNER;
  const now = options.now ?? new Date();
  const check = checkLibrary(options.dir);
  const broken = new Set(check.errors.map((e) => e.file));
  for (const error of check.errors) log.warn({ file: error.file }, `content: ${formatContentError(error)}`);

  const report: SyncReport = { compiled: 0, unchanged: 0, archived: 0, skipped: 0 };
  const keptModuleIds: string[] = [];
  const keptLessonIds: string[] = [];

  for (const folder of check.modules) {
    if (!folder.meta) {
      report.skipped += folder.checked.length;
      continue;
    }
    const moduleId = upsertModule(owner, folder.slug, folder.meta);
    keptModuleIds.push(moduleId);
    for (const lesson of folder.checked) {
      if (broken.has(lesson.file) || !lesson.analysis.frontmatter) {
        report.skipped++;
        // A lesson that stopped compiling keeps its last good version rather than vanishing.
        const existing = findLesson(moduleId, lesson.slug);
        if (existing) keptLessonIds.push(existing.id);
        continue;
      }
      let outcome: { lessonId: string; compiled: boolean };
      try {
        outcome = await syncLesson(owner, moduleId, lesson);
      } catch (error) {
        log.error({ file: lesson.file, reason: (error as Error).message.split("\n").slice(-1)[0] }, "content: the lesson did not compile; its last good version stays");
        report.skipped++;
        const existing = findLesson(moduleId, lesson.slug);
        if (existing) keptLessonIds.push(existing.id);
        continue;
      }
      keptLessonIds.push(outcome.lessonId);
      if (outcome.compiled) report.compiled++;
      else report.unchanged++;
    }
  }

  db().transaction((tx) => {
    const gone = tx
      .select({ id: lessons.id })
      .from(lessons)
      .where(and(eq(lessons.owner, owner), isNull(lessons.archivedAt), keptLessonIds.length ? notInArray(lessons.id, keptLessonIds) : undefined))
      .all()
      .map((r) => r.id);
    if (gone.length) {
      tx.update(lessons).set({ archivedAt: now }).where(inArray(lessons.id, gone)).run();
      tx.run(sql`delete from lesson_search where lesson_id in ${gone}`);
      report.archived = gone.length;
    }
    tx.update(modules)
      .set({ archivedAt: now })
      .where(and(eq(modules.owner, owner), isNull(modules.archivedAt), keptModuleIds.length ? notInArray(modules.id, keptModuleIds) : undefined))
      .run();
  });

  log.info(report, `content sync: compiled ${report.compiled}, unchanged ${report.unchanged}, archived ${report.archived}, skipped ${report.skipped}`);
  return report;
}

function upsertModule(owner: string, slug: string, meta: { title: string; summary: string; skill: string; order: number }): string {
  const existing = db().select({ id: modules.id }).from(modules).where(and(eq(modules.owner, owner), eq(modules.slug, slug))).get();
  const values = { title: meta.title, summary: meta.summary, skill: meta.skill, position: meta.order, archivedAt: null };
  if (existing) {
    db().update(modules).set(values).where(eq(modules.id, existing.id)).run();
    return existing.id;
  }
  const id = newId();
  db().insert(modules).values({ id, owner, slug, ...values }).run();
  return id;
}

function findLesson(moduleId: string, slug: string) {
  return db()
    .select({ id: lessons.id, currentVersionId: lessons.currentVersionId, hash: lessonVersions.hash })
    .from(lessons)
    .leftJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .where(and(eq(lessons.moduleId, moduleId), eq(lessons.slug, slug)))
    .get();
}

async function syncLesson(owner: string, moduleId: string, lesson: CheckedLesson): Promise<{ lessonId: string; compiled: boolean }> {
  const { analysis } = lesson;
  const fm = analysis.frontmatter!;
  const hash = lessonHash(lesson.source);
  const existing = findLesson(moduleId, lesson.slug);
  const metadata = {
    position: lesson.position,
    title: fm.title,
    summary: fm.summary,
    objective: fm.objective,
    skill: fm.skill,
    stages: fm.stages,
    minutes: fm.minutes,
    level: fm.level,
    tags: fm.tags,
    archivedAt: null,
  };

  // Same source as the current version, or as an earlier one (a revert): nothing to compile.
  const knownVersion = existing
    ? existing.hash === hash
      ? { id: existing.currentVersionId! }
      : db().select({ id: lessonVersions.id }).from(lessonVersions).where(and(eq(lessonVersions.lessonId, existing.id), eq(lessonVersions.hash, hash))).get()
    : undefined;

  const compiledCode = knownVersion ? null : await compileLesson(lesson.source);
  const lessonId = existing?.id ?? newId();

  db().transaction((tx) => {
    if (!existing) tx.insert(lessons).values({ id: lessonId, moduleId, owner, slug: lesson.slug, ...metadata }).run();
    let versionId = knownVersion?.id;
    if (!versionId) {
      versionId = newId();
      tx.insert(lessonVersions)
        .values({
          id: versionId,
          lessonId,
          hash,
          source: lesson.source,
          code: compiledCode!,
          frontmatter: fm,
          bodyText: analysis.bodyText,
          keyPoints: analysis.keyPoints,
          wordCount: analysis.wordCount,
        })
        .run();
      if (analysis.questions.length) {
        tx.insert(questions)
          .values(analysis.questions.map((q) => ({ id: newId(), lessonVersionId: versionId!, lessonId, key: q.key, kind: q.kind, prompt: q.prompt, choices: q.choices, position: q.position })))
          .run();
      }
      if (analysis.roleplays.length) {
        tx.insert(roleplays)
          .values(analysis.roleplays.map((r) => ({ id: newId(), lessonVersionId: versionId!, lessonId, ...r })))
          .run();
      }
    }
    tx.update(lessons).set({ ...metadata, currentVersionId: versionId }).where(eq(lessons.id, lessonId)).run();
    tx.run(sql`delete from lesson_search where lesson_id = ${lessonId}`);
    tx.run(sql`insert into lesson_search (lesson_id, owner, title, summary, body) values (${lessonId}, ${owner}, ${fm.title}, ${fm.summary}, ${analysis.bodyText})`);
  });
  return { lessonId, compiled: compiledCode !== null };
}

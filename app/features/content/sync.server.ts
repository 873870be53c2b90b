// Loads the library on disk into the database by content hash. An unchanged lesson is not
// recompiled; a changed one gets a new version (old attempts keep pointing at theirs); a
// removed one is archived with its history kept.
import { and, eq, inArray, isNull, notInArray } from "drizzle-orm";
import { first, runSql, transaction, type Handle, type Transaction } from "~/db/connection.server";
import { unindexLessons } from "~/db/dialect";
import { newId } from "~/db/ids";
import { LIBRARY_OWNER, lessons, lessonVersions, modules } from "~/db/schema";
import { log } from "~/shared/log.server";
import { checkLibrary, formatContentError, type CheckedLesson } from "./check.server";
import { compileLesson, compileWithin, lessonHash } from "./compile.server";
import { readLibrary, type ModuleFolder } from "./library-files.server";
import { insertLessonVersion, lessonMetadata, makeVersionCurrent, versionWithHash } from "./versions.server";

export type SyncReport = { compiled: number; unchanged: number; archived: number; skipped: number };

export async function syncLibrary(
  db: Handle,
  options: { dir?: string; owner?: string; now?: Date } = {},
): Promise<SyncReport> {
  const owner = options.owner ?? LIBRARY_OWNER;
  const now = options.now ?? new Date();
  const unchanged = await syncedAlready(db, owner, readLibrary(options.dir));
  if (unchanged !== null) return logged({ compiled: 0, unchanged, archived: 0, skipped: 0 });
  const check = checkLibrary(options.dir, { builtIn: owner === LIBRARY_OWNER });
  // Only errors keep a lesson out; the conventions' warnings are content:check's (and, for an
  // organization's lessons, the studio's) to show.
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
    const moduleId = await upsertModule(db, owner, folder.slug, folder.meta);
    keptModuleIds.push(moduleId);
    for (const lesson of folder.checked) {
      if (broken.has(lesson.file) || !lesson.analysis.frontmatter) {
        report.skipped++;
        // A lesson that stopped compiling keeps its last good version rather than vanishing.
        const existing = await findLesson(db, moduleId, lesson.slug);
        if (existing) keptLessonIds.push(existing.id);
        continue;
      }
      let outcome: { lessonId: string; compiled: boolean };
      try {
        outcome = await publishLesson(db, owner, moduleId, lesson);
      } catch (error) {
        log.error(
          { file: lesson.file, reason: (error as Error).message.split("\n").slice(-1)[0] },
          "content: the lesson did not compile; its last good version stays",
        );
        report.skipped++;
        const existing = await findLesson(db, moduleId, lesson.slug);
        if (existing) keptLessonIds.push(existing.id);
        continue;
      }
      keptLessonIds.push(outcome.lessonId);
      if (outcome.compiled) report.compiled++;
      else report.unchanged++;
    }
  }

  await transaction(db, async (tx) => {
    const gone = (
      await tx
        .select({ id: lessons.id })
        .from(lessons)
        .where(
          and(
            eq(lessons.owner, owner),
            isNull(lessons.archivedAt),
            keptLessonIds.length ? notInArray(lessons.id, keptLessonIds) : undefined,
          ),
        )
    ).map((r) => r.id);
    if (gone.length) {
      await tx.update(lessons).set({ archivedAt: now }).where(inArray(lessons.id, gone));
      await runSql(tx, unindexLessons(gone));
      report.archived = gone.length;
    }
    await tx
      .update(modules)
      .set({ archivedAt: now })
      .where(
        and(
          eq(modules.owner, owner),
          isNull(modules.archivedAt),
          keptModuleIds.length ? notInArray(modules.id, keptModuleIds) : undefined,
        ),
      );
  });

  return logged(report);
}

/** One line per sync, whichever way it went (npm run bench reads its "compiled" count). */
function logged(report: SyncReport): SyncReport {
  log.info(
    report,
    `content sync: compiled ${report.compiled}, unchanged ${report.unchanged}, archived ${report.archived}, skipped ${report.skipped}`,
  );
  return report;
}

/**
 * The number of lessons when the database already holds exactly these files: every module live
 * with its module.json, every lesson live at its position with this source as its current
 * version, and nothing else live for the owner. Null otherwise (or when a file has a problem to
 * report), and the full sync runs. Every server start syncs; on an unchanged library this reads
 * the files and two tables instead of analysing every lesson again (about a second of CPU).
 */
async function syncedAlready(
  db: Handle,
  owner: string,
  files: { modules: ModuleFolder[]; errors: unknown[] },
): Promise<number | null> {
  if (files.errors.length > 0 || files.modules.some((m) => m.meta === null)) return null;
  const [liveModules, liveLessons] = await Promise.all([
    db
      .select({
        slug: modules.slug,
        title: modules.title,
        summary: modules.summary,
        skill: modules.skill,
        position: modules.position,
      })
      .from(modules)
      .where(and(eq(modules.owner, owner), isNull(modules.archivedAt))),
    db
      .select({ module: modules.slug, slug: lessons.slug, position: lessons.position, hash: lessonVersions.hash })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .leftJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
      .where(and(eq(lessons.owner, owner), isNull(lessons.archivedAt), isNull(modules.archivedAt))),
  ]);
  const wantedModules = files.modules.map((m) =>
    [m.slug, m.meta!.title, m.meta!.summary, m.meta!.skill, m.meta!.order].join("\n"),
  );
  const heldModules = liveModules.map((m) => [m.slug, m.title, m.summary, m.skill, m.position].join("\n"));
  const wantedLessons = files.modules.flatMap((m) =>
    m.lessons.map((l) => [m.slug, l.slug, l.position, lessonHash(l.source)].join("\n")),
  );
  const heldLessons = liveLessons.map((l) => [l.module, l.slug, l.position, l.hash].join("\n"));
  const same = (a: string[], b: string[]) => {
    const [x, y] = [[...a].sort(), [...b].sort()];
    return x.length === y.length && x.every((item, i) => item === y[i]);
  };
  return same(wantedModules, heldModules) && same(wantedLessons, heldLessons) ? wantedLessons.length : null;
}

// One statement, so servers syncing the same library at the same time agree on the module's id.
async function upsertModule(
  db: Handle,
  owner: string,
  slug: string,
  meta: { title: string; summary: string; skill: string; order: number },
): Promise<string> {
  const values = {
    title: meta.title,
    summary: meta.summary,
    skill: meta.skill,
    position: meta.order,
    archivedAt: null,
  };
  const [row] = await db
    .insert(modules)
    .values({ id: newId(), owner, slug, ...values })
    .onConflictDoUpdate({ target: [modules.owner, modules.slug], set: values })
    .returning({ id: modules.id });
  return row!.id;
}

function findLesson(db: Handle, moduleId: string, slug: string) {
  return first(
    db
      .select({ id: lessons.id, currentVersionId: lessons.currentVersionId, hash: lessonVersions.hash })
      .from(lessons)
      .leftJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
      .where(and(eq(lessons.moduleId, moduleId), eq(lessons.slug, slug)))
      .limit(1),
  );
}

/** What publishing needs of a checked lesson: its place, its source and the analyzer's reading of it. */
export type PublishableLesson = Pick<CheckedLesson, "slug" | "position" | "source" | "analysis">;
/** A lesson ready to be written: `code` is null when a version with its hash already exists. */
export type CompiledLesson = { lesson: PublishableLesson; hash: string; code: string | null };

/**
 * Publishing, step one, outside any transaction (a transaction never waits on esbuild): compiles
 * the lesson unless the lesson in `moduleId` (none for a module not created yet) already has a
 * version of the same source (the current one, or an earlier one: a revert).
 */
export async function compileForPublishing(
  db: Handle,
  moduleId: string | null,
  lesson: PublishableLesson,
  /** A trainer's lesson is given up on past this (CompileTimedOut); the library's own never is. */
  { timeLimitMs }: { timeLimitMs?: number } = {},
): Promise<CompiledLesson> {
  const hash = lessonHash(lesson.source);
  const existing = moduleId ? await findLesson(db, moduleId, lesson.slug) : undefined;
  const known = existing
    ? existing.hash === hash
      ? existing.currentVersionId
      : await versionWithHash(db, existing.id, hash)
    : null;
  const compile = () => (timeLimitMs ? compileWithin(lesson.source, timeLimitMs) : compileLesson(lesson.source));
  return { lesson, hash, code: known ? null : await compile() };
}

/**
 * Publishing, step two, inside the caller's transaction: the lesson (created if new) gets the
 * compiled version as its current one, with its questions and role-plays extracted and its text
 * indexed for search. The one way a lesson is published, for the library sync and for an
 * organization's own lessons alike.
 */
export async function writeLessonVersion(
  tx: Transaction,
  owner: string,
  moduleId: string,
  { lesson, hash, code }: CompiledLesson,
  /** Who published it (a trainer's import); none for the library's sync. */
  authorId: string | null = null,
): Promise<{ lessonId: string; versionId: string }> {
  const { analysis } = lesson;
  const fm = analysis.frontmatter;
  if (!fm) throw new Error(`writeLessonVersion: the lesson “${lesson.slug}” has no valid frontmatter`);
  // Decided again inside the transaction: another server may have synced the same file since.
  const current = await findLesson(tx, moduleId, lesson.slug);
  const lessonId = current?.id ?? newId();
  if (!current)
    await tx
      .insert(lessons)
      .values({ id: lessonId, moduleId, owner, slug: lesson.slug, position: lesson.position, ...lessonMetadata(fm) });
  const known =
    current?.hash === hash ? current.currentVersionId! : current ? await versionWithHash(tx, lessonId, hash) : null;
  // Compiled whenever no version had this hash; versions are never deleted, so one found before
  // the transaction is found again inside it.
  if (!known && code === null) throw new Error(`writeLessonVersion: no compiled code for “${lesson.slug}”`);
  const versionId =
    known ??
    (await insertLessonVersion(tx, {
      lessonId,
      owner,
      hash,
      source: lesson.source,
      code: code!,
      analysis: { ...analysis, frontmatter: fm },
      authorId,
    }));
  await makeVersionCurrent(tx, { id: lessonId, owner }, versionId, fm, analysis.bodyText, {
    position: lesson.position,
  });
  return { lessonId, versionId };
}

/** Publishes one checked lesson of `owner` in `moduleId`: compiled if its source is new, then written. */
export async function publishLesson(
  db: Handle,
  owner: string,
  moduleId: string,
  lesson: PublishableLesson,
): Promise<{ lessonId: string; compiled: boolean }> {
  const compiled = await compileForPublishing(db, moduleId, lesson);
  const { lessonId } = await transaction(db, (tx) => writeLessonVersion(tx, owner, moduleId, compiled));
  return { lessonId, compiled: compiled.code !== null };
}

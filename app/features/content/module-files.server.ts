// An organization's module in and out as a .zip in the folder format of content/ (decision 032).
// Export: each lesson's current published source. Import: the zip is read with its limits, then
// checked exactly as content/ is (checkModules: module.json, frontmatter, the safe subset, the
// lesson kit, links), and only a zip without a single error is published, through the library
// sync's own steps (compileForPublishing, then writeLessonVersion), in one transaction.
import { and, asc, eq, inArray, isNotNull, isNull, or } from "drizzle-orm";
import { first, transaction, type Handle } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { LIBRARY_OWNER, lessons, lessonVersions, modules } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import { Refusal } from "~/features/refusal";
import type { ContentError } from "./analyze.server";
import { checkModules, type CheckedLesson } from "./check.server";
import { CompileTimedOut, compileTimeLimitMs, limitLabel } from "./compile.server";
import { SLUG } from "./frontmatter";
import { readModuleFolder } from "./library-files.server";
import { MAX_MODULE_ZIP_BYTES, readModuleZip, writeModuleZip } from "./module-zip.server";
import { compileForPublishing, writeLessonVersion, type CompiledLesson } from "./sync.server";

/** The zip of one of the organization's modules, or null when it has no such module. */
export async function exportModule(
  db: Handle,
  orgId: string,
  moduleId: string,
): Promise<{ fileName: string; bytes: Uint8Array<ArrayBuffer> } | null> {
  const module = await first(
    db
      .select({
        slug: modules.slug,
        title: modules.title,
        summary: modules.summary,
        skill: modules.skill,
        order: modules.position,
      })
      .from(modules)
      .where(and(eq(modules.id, moduleId), eq(modules.owner, orgId)))
      .limit(1),
  );
  if (!module) return null;
  const published = await db
    .select({ slug: lessons.slug, source: lessonVersions.source })
    .from(lessons)
    .innerJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .where(and(eq(lessons.moduleId, moduleId), eq(lessons.owner, orgId), isNull(lessons.archivedAt)))
    .orderBy(asc(lessons.position), asc(lessons.slug));
  if (published.length === 0)
    throw new Refusal(
      "This module has no published lessons yet, so there is nothing to export. Publish a lesson first.",
      409,
    );
  const { slug, ...meta } = module;
  const bytes = writeModuleZip({
    slug,
    files: [
      { name: "module.json", text: `${JSON.stringify(meta, null, 2)}\n` },
      // Numbered in their order, so the import gives them the same order.
      ...published.map((l, i) => ({ name: `${String(i + 1).padStart(2, "0")}-${l.slug}.mdx`, text: l.source })),
    ],
  });
  return { fileName: `${slug}.zip`, bytes };
}

export type ImportOutcome =
  | { ok: true; moduleId: string; slug: string; title: string; lessons: number; warnings: ContentError[] }
  | {
      ok: false;
      errors: ContentError[];
      /** The module's slug is already one of the organization's: the import offers `suggestion` instead. */
      slugTaken: { slug: string; title: string; suggestion: string } | null;
    };

const refusedWith = (errors: ContentError[]): ImportOutcome => ({ ok: false, errors, slugTaken: null });

/**
 * Imports a module zip for the organization. Nothing is written unless the whole zip is free of
 * errors; a module whose slug the organization already uses is refused, with a free slug offered
 * (`slug` imports it under another one).
 */
export async function importModule(
  db: Handle,
  importer: { id: string; orgId: string; timezone: string },
  zip: Uint8Array,
  { slug: chosenSlug }: { slug?: string } = {},
): Promise<ImportOutcome> {
  if (zip.length > MAX_MODULE_ZIP_BYTES) throw tooLargeZip();
  const read = readModuleZip(zip);
  if (read.errors.length || !read.slug) return refusedWith(read.errors);
  const slug = chosenSlug || read.slug;
  if (!SLUG.test(slug))
    throw new Refusal(
      "Write the module's address as lower-case words joined by hyphens, like objection-handling.",
      400,
      "slug",
    );

  const folder = readModuleFolder(read.slug, read.slug, read.files);
  // Checked under the slug it will have, so links to its own lessons are checked where they will point.
  const module = { ...folder.module, slug, lessons: folder.module.lessons.map((l) => ({ ...l, moduleSlug: slug })) };
  const check = checkModules([module], folder.errors, {
    builtIn: false,
    knownLinks: await visibleLessonPaths(db, importer.orgId),
  });
  const checked = check.modules[0]!;
  const taken = await moduleWithSlug(db, importer.orgId, slug);
  if (check.errors.length || !checked.meta || taken)
    return {
      ok: false,
      errors: check.errors,
      slugTaken: taken ? { slug, title: taken.title, suggestion: await freeSlug(db, importer.orgId, slug) } : null,
    };

  const compiled: CompiledLesson[] = [];
  for (const lesson of checked.checked) compiled.push(await compileChecked(db, lesson));
  const meta = checked.meta;
  const moduleId = newId();
  await transaction(db, async (tx) => {
    const [created] = await tx
      .insert(modules)
      .values({
        id: moduleId,
        owner: importer.orgId,
        slug,
        title: meta.title,
        summary: meta.summary,
        skill: meta.skill,
        position: meta.order,
      })
      .onConflictDoNothing({ target: [modules.owner, modules.slug] })
      .returning({ id: modules.id });
    // Someone created a module of that slug since the check: nothing of this import stays.
    if (!created)
      throw new Refusal(
        `Your organization now has a module “${slug}”. Choose another address and import again.`,
        409,
        "slug",
      );
    // Recorded as the studio records them: the module created, each lesson published by the importer.
    const now = new Date();
    const record = (verb: "authored" | "published", object: { type: "module" | "lesson"; id: string; name: string }) =>
      recordStatement(tx, {
        orgId: importer.orgId,
        timezone: importer.timezone,
        actorId: importer.id,
        verb,
        object,
        context: { via: "import" },
        timestamp: now,
      });
    await record("authored", { type: "module", id: moduleId, name: meta.title });
    for (const lesson of compiled) {
      const { lessonId } = await writeLessonVersion(tx, importer.orgId, moduleId, lesson, importer.id);
      await record("published", { type: "lesson", id: lessonId, name: lesson.lesson.analysis.frontmatter!.title });
    }
  });
  return { ok: true, moduleId, slug, title: meta.title, lessons: compiled.length, warnings: check.warnings };
}

export const tooLargeZip = () =>
  new Refusal(
    `That file is larger than ${MAX_MODULE_ZIP_BYTES / 1024 / 1024} MB. A module's lessons are text: check what else is in the zip.`,
    413,
    "file",
  );

async function compileChecked(db: Handle, lesson: CheckedLesson): Promise<CompiledLesson> {
  try {
    return await compileForPublishing(db, null, lesson, { timeLimitMs: compileTimeLimitMs() });
  } catch (error) {
    if (error instanceof CompileTimedOut)
      throw new Refusal(
        `${lesson.file} took longer than ${limitLabel(error.limitMs)} to compile. Shorten it or split it into two lessons. Nothing was imported.`,
        422,
      );
    // The checker passed it, so this is the compiler's last line of defence speaking.
    const reason = (error as Error).message.split("\n").slice(-1)[0];
    throw new Refusal(`${lesson.file} could not be compiled (${reason}). Nothing was imported.`, 422);
  }
}

/** The lesson and module paths a lesson of the organization may link to: the library's and its own. */
async function visibleLessonPaths(db: Handle, orgId: string): Promise<string[]> {
  const visible = await db
    .select({ id: modules.id, slug: modules.slug })
    .from(modules)
    .where(and(or(eq(modules.owner, LIBRARY_OWNER), eq(modules.owner, orgId)), isNull(modules.archivedAt)));
  if (visible.length === 0) return [];
  const found = await db
    .select({ moduleId: lessons.moduleId, slug: lessons.slug })
    .from(lessons)
    .where(
      and(
        inArray(
          lessons.moduleId,
          visible.map((m) => m.id),
        ),
        isNull(lessons.archivedAt),
        isNotNull(lessons.currentVersionId),
      ),
    );
  const slugOf = new Map(visible.map((m) => [m.id, m.slug]));
  return [...visible.map((m) => `/learn/${m.slug}`), ...found.map((l) => `/learn/${slugOf.get(l.moduleId)}/${l.slug}`)];
}

function moduleWithSlug(db: Handle, orgId: string, slug: string) {
  return first(
    db
      .select({ id: modules.id, title: modules.title })
      .from(modules)
      .where(and(eq(modules.owner, orgId), eq(modules.slug, slug)))
      .limit(1),
  );
}

/** The first of slug-2, slug-3, … the organization does not use. */
async function freeSlug(db: Handle, orgId: string, slug: string): Promise<string> {
  const used = new Set(
    (await db.select({ slug: modules.slug }).from(modules).where(eq(modules.owner, orgId))).map((m) => m.slug),
  );
  for (let n = 2; ; n++) if (!used.has(`${slug}-${n}`)) return `${slug}-${n}`;
}

// The studio's shelves: an organization's own modules and lessons (owner = its id) with their
// state, the built-in library beside them, and the changes a trainer makes to the shelves
// (create, rename, reorder, archive and bring back, copy from the library). Every lookup is by the trainer's
// organization: an id of another organization's content is not found.
import { and, asc, eq, isNull, ne, or, sql } from "drizzle-orm";
import { first, runSql, transaction, type Handle, type Transaction } from "~/db/connection.server";
import { unindexLessons } from "~/db/dialect";
import { newId } from "~/db/ids";
import { LIBRARY_OWNER, lessonDrafts, lessons, lessonVersions, modules } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import { analyzeLesson } from "~/features/content/analyze.server";
import { SLUG, type LessonFrontmatter } from "~/features/content/frontmatter";
import { makeVersionCurrent } from "~/features/content/versions.server";
import { Refusal } from "~/features/refusal";
import { emptyFields, splitSource } from "./draft-source";
import { NEW_MODULE } from "./copy-target";

export type Trainer = { id: string; orgId: string; timezone: string };

export type LessonState = "draft" | "published" | "changed" | "archived";

export type ShelfLesson = { id: string; slug: string; title: string; state: LessonState };
export type ShelfModule = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  archived: boolean;
  lessons: ShelfLesson[];
};

export const NOT_FOUND = "We could not find that in your organization's content.";

function stateOf(row: {
  archivedAt: Date | null;
  currentVersionId: string | null;
  revision: number | null;
  publishedRevision: number | null;
}): LessonState {
  if (row.archivedAt) return "archived";
  if (!row.currentVersionId) return "draft";
  return row.revision !== null && row.revision > (row.publishedRevision ?? 0) ? "changed" : "published";
}

/** The shelves of one owner (an organization, or the library) in their order: two queries. */
async function shelves(db: Handle, owner: string, withArchived: boolean): Promise<ShelfModule[]> {
  const moduleRows = await db
    .select({
      id: modules.id,
      slug: modules.slug,
      title: modules.title,
      summary: modules.summary,
      archivedAt: modules.archivedAt,
    })
    .from(modules)
    .where(and(eq(modules.owner, owner), withArchived ? undefined : isNull(modules.archivedAt)))
    .orderBy(asc(modules.position), asc(modules.title));
  if (moduleRows.length === 0) return [];
  const lessonRows = await db
    .select({
      id: lessons.id,
      moduleId: lessons.moduleId,
      slug: lessons.slug,
      title: lessons.title,
      archivedAt: lessons.archivedAt,
      currentVersionId: lessons.currentVersionId,
      revision: lessonDrafts.revision,
      publishedRevision: lessonDrafts.publishedRevision,
    })
    .from(lessons)
    .leftJoin(lessonDrafts, eq(lessonDrafts.lessonId, lessons.id))
    .where(and(eq(lessons.owner, owner), withArchived ? undefined : isNull(lessons.archivedAt)))
    .orderBy(asc(lessons.position), asc(lessons.title));
  return moduleRows.map((m) => ({
    id: m.id,
    slug: m.slug,
    title: m.title,
    summary: m.summary,
    archived: m.archivedAt !== null,
    lessons: lessonRows
      .filter((l) => l.moduleId === m.id)
      .map((l) => ({ id: l.id, slug: l.slug, title: l.title, state: stateOf(l) })),
  }));
}

export async function studioShelves(db: Handle, orgId: string) {
  const [own, library] = await Promise.all([shelves(db, orgId, true), shelves(db, LIBRARY_OWNER, false)]);
  return { own, library };
}

/** A slug from a title, free among the library's and this organization's (lessons: the module's). */
function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return SLUG.test(slug) ? slug : "untitled";
}

function freeSlug(wanted: string, taken: Set<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
}

async function moduleSlugs(db: Handle, orgId: string): Promise<Set<string>> {
  // The library's too: /learn/<slug> would otherwise show one module in place of the other.
  const rows = await db
    .select({ slug: modules.slug })
    .from(modules)
    .where(or(eq(modules.owner, orgId), eq(modules.owner, LIBRARY_OWNER)));
  return new Set(rows.map((r) => r.slug));
}

/** One of the organization's own modules, or a Refusal (404). */
export async function ownModule(db: Handle, orgId: string, moduleId: string) {
  const found = await first(
    db
      .select({
        id: modules.id,
        slug: modules.slug,
        title: modules.title,
        skill: modules.skill,
        position: modules.position,
        archivedAt: modules.archivedAt,
      })
      .from(modules)
      .where(and(eq(modules.id, moduleId), eq(modules.owner, orgId)))
      .limit(1),
  );
  if (!found) throw new Refusal(NOT_FOUND, 404);
  return found;
}

/** One of the organization's own lessons with its module, or a Refusal (404). */
export async function ownLesson(db: Handle, orgId: string, lessonId: string) {
  const found = await first(
    db
      .select({
        id: lessons.id,
        slug: lessons.slug,
        title: lessons.title,
        position: lessons.position,
        moduleId: lessons.moduleId,
        moduleSlug: modules.slug,
        moduleTitle: modules.title,
        currentVersionId: lessons.currentVersionId,
        archivedAt: lessons.archivedAt,
      })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(and(eq(lessons.id, lessonId), eq(lessons.owner, orgId)))
      .limit(1),
  );
  if (!found) throw new Refusal(NOT_FOUND, 404);
  return found;
}

function created(
  tx: Transaction,
  trainer: Trainer,
  object: { type: "lesson" | "module"; id: string; name: string },
  now: Date,
) {
  return recordStatement(tx, {
    orgId: trainer.orgId,
    timezone: trainer.timezone,
    actorId: trainer.id,
    verb: "authored",
    object,
    timestamp: now,
  });
}

export async function createModule(
  db: Handle,
  trainer: Trainer,
  input: { title: string; summary: string; skill: string },
  now: Date,
): Promise<string> {
  const slug = freeSlug(slugify(input.title), await moduleSlugs(db, trainer.orgId));
  return transaction(db, (tx) => insertModuleLast(tx, trainer, { slug, ...input }, now));
}

/** A new module of the trainer's organization, placed after its others, with its "created" statement. */
async function insertModuleLast(
  tx: Transaction,
  trainer: Trainer,
  module: { slug: string; title: string; summary: string; skill: string },
  now: Date,
): Promise<string> {
  const [last] = await tx
    .select({ position: sql<number>`coalesce(max(${modules.position}), 0)`.mapWith(Number) })
    .from(modules)
    .where(eq(modules.owner, trainer.orgId));
  const id = newId();
  await tx.insert(modules).values({
    id,
    owner: trainer.orgId,
    slug: module.slug,
    title: module.title,
    summary: module.summary,
    skill: module.skill,
    position: (last?.position ?? 0) + 1,
    createdAt: now,
  });
  await created(tx, trainer, { type: "module", id, name: module.title }, now);
  return id;
}

const STARTER_BODY = `## Why it matters

Write the lesson here: one idea, told to a rep between calls.

<KeyPoint>

- The one thing to remember.

</KeyPoint>
`;

async function insertLessonWithDraft(
  tx: Transaction,
  trainer: Trainer,
  module: { id: string; skill: string },
  draft: { title: string; fields: ReturnType<typeof emptyFields>; body: string },
  now: Date,
): Promise<string> {
  const taken = await tx.select({ slug: lessons.slug }).from(lessons).where(eq(lessons.moduleId, module.id));
  const [last] = await tx
    .select({ position: sql<number>`coalesce(max(${lessons.position}), 0)`.mapWith(Number) })
    .from(lessons)
    .where(eq(lessons.moduleId, module.id));
  const id = newId();
  // The row holds what lists show until the first publish; reps see only lessons with a version.
  await tx.insert(lessons).values({
    id,
    moduleId: module.id,
    owner: trainer.orgId,
    slug: freeSlug(slugify(draft.title), new Set(taken.map((t) => t.slug))),
    position: (last?.position ?? 0) + 1,
    title: draft.title,
    summary: "",
    objective: "",
    skill: module.skill,
    stages: [],
    minutes: 3,
    level: "foundation",
    tags: [],
    createdAt: now,
  });
  await tx.insert(lessonDrafts).values({
    lessonId: id,
    orgId: trainer.orgId,
    body: draft.body,
    frontmatter: draft.fields,
    revision: 1,
    publishedRevision: 0,
    updatedBy: trainer.id,
    updatedAt: now,
  });
  await created(tx, trainer, { type: "lesson", id, name: draft.title }, now);
  return id;
}

export async function createLesson(
  db: Handle,
  trainer: Trainer,
  moduleId: string,
  title: string,
  now: Date,
): Promise<string> {
  const module = await ownModule(db, trainer.orgId, moduleId);
  return transaction(db, (tx) =>
    insertLessonWithDraft(
      tx,
      trainer,
      module,
      { title, fields: emptyFields(title, module.skill), body: STARTER_BODY },
      now,
    ),
  );
}

export async function renameModule(db: Handle, orgId: string, moduleId: string, title: string): Promise<void> {
  await ownModule(db, orgId, moduleId);
  await db
    .update(modules)
    .set({ title })
    .where(and(eq(modules.id, moduleId), eq(modules.owner, orgId)));
}

/** Swaps a module with its neighbour above or below. */
export async function moveModule(db: Handle, orgId: string, moduleId: string, direction: "up" | "down") {
  await ownModule(db, orgId, moduleId);
  await transaction(db, async (tx) => {
    const all = await tx
      .select({ id: modules.id, position: modules.position })
      .from(modules)
      .where(eq(modules.owner, orgId))
      .orderBy(asc(modules.position), asc(modules.title));
    await swap(all, moduleId, direction, (id, position) =>
      tx.update(modules).set({ position }).where(eq(modules.id, id)),
    );
  });
}

export async function moveLesson(db: Handle, orgId: string, lessonId: string, direction: "up" | "down") {
  const lesson = await ownLesson(db, orgId, lessonId);
  await transaction(db, async (tx) => {
    const all = await tx
      .select({ id: lessons.id, position: lessons.position })
      .from(lessons)
      .where(eq(lessons.moduleId, lesson.moduleId))
      .orderBy(asc(lessons.position), asc(lessons.title));
    await swap(all, lessonId, direction, (id, position) =>
      tx.update(lessons).set({ position }).where(eq(lessons.id, id)),
    );
  });
}

/** Renumbers the list 1..n with the item moved one place: positions stay distinct whatever they were. */
async function swap(
  list: Array<{ id: string; position: number }>,
  id: string,
  direction: "up" | "down",
  set: (id: string, position: number) => PromiseLike<unknown>,
) {
  const ids = list.map((r) => r.id);
  const i = ids.indexOf(id);
  const j = direction === "up" ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= ids.length) return;
  [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  for (const [index, rowId] of ids.entries()) {
    const before = list.find((r) => r.id === rowId)!.position;
    if (before !== index + 1) await set(rowId, index + 1);
  }
}

function archived(
  tx: Transaction,
  trainer: Trainer,
  object: { type: "lesson" | "module"; id: string; name: string },
  now: Date,
  verb: "archived" | "unarchived" = "archived",
) {
  return recordStatement(tx, {
    orgId: trainer.orgId,
    timezone: trainer.timezone,
    actorId: trainer.id,
    verb,
    object,
    timestamp: now,
  });
}

/** Archived content leaves the reps' library, search and prep; its attempts and history stay. */
export async function archiveModule(db: Handle, trainer: Trainer, moduleId: string, now: Date) {
  const module = await ownModule(db, trainer.orgId, moduleId);
  if (module.archivedAt) return;
  await transaction(db, async (tx) => {
    await tx.update(modules).set({ archivedAt: now }).where(eq(modules.id, module.id));
    await archived(tx, trainer, { type: "module", id: module.id, name: module.title }, now);
  });
}

export async function archiveLesson(db: Handle, trainer: Trainer, lessonId: string, now: Date) {
  const lesson = await ownLesson(db, trainer.orgId, lessonId);
  if (lesson.archivedAt) return;
  await transaction(db, async (tx) => {
    await tx.update(lessons).set({ archivedAt: now }).where(eq(lessons.id, lesson.id));
    await runSql(tx, unindexLessons([lesson.id]));
    await archived(tx, trainer, { type: "lesson", id: lesson.id, name: lesson.title }, now);
  });
}

/** An archived module back on the shelves: its lessons (those not archived one by one) reach reps again. */
export async function unarchiveModule(db: Handle, trainer: Trainer, moduleId: string, now: Date) {
  const module = await ownModule(db, trainer.orgId, moduleId);
  if (!module.archivedAt) return;
  await transaction(db, async (tx) => {
    await tx.update(modules).set({ archivedAt: null }).where(eq(modules.id, module.id));
    await archived(tx, trainer, { type: "module", id: module.id, name: module.title }, now, "unarchived");
  });
}

/**
 * An archived lesson back in its module: its published version (if it has one) is the current one
 * again, in search too; a draft stays a draft. Its module must not be archived.
 */
export async function unarchiveLesson(db: Handle, trainer: Trainer, lessonId: string, now: Date) {
  const lesson = await ownLesson(db, trainer.orgId, lessonId);
  if (!lesson.archivedAt) return;
  const module = await ownModule(db, trainer.orgId, lesson.moduleId);
  if (module.archivedAt)
    throw new Refusal(`“${module.title}” is archived: bring the module back first, then its lessons.`, 409);
  const version = lesson.currentVersionId
    ? await first(
        db
          .select({ source: lessonVersions.source })
          .from(lessonVersions)
          .where(eq(lessonVersions.id, lesson.currentVersionId))
          .limit(1),
      )
    : undefined;
  await transaction(db, async (tx) => {
    if (version && lesson.currentVersionId) {
      const analysis = analyzeLesson("lesson.mdx", version.source, { builtIn: false });
      await makeVersionCurrent(
        tx,
        { id: lesson.id, owner: trainer.orgId },
        lesson.currentVersionId,
        analysis.frontmatter as LessonFrontmatter,
        analysis.bodyText,
      );
    } else await tx.update(lessons).set({ archivedAt: null }).where(eq(lessons.id, lesson.id));
    await archived(tx, trainer, { type: "lesson", id: lesson.id, name: lesson.title }, now, "unarchived");
  });
}

/** The built-in lessons (one, or a module's) with their current source, for a copy. */
async function libraryLessons(db: Handle, where: { lessonId?: string; moduleId?: string }) {
  return db
    .select({
      id: lessons.id,
      title: lessons.title,
      moduleId: lessons.moduleId,
      source: lessonVersions.source,
      frontmatter: lessonVersions.frontmatter,
    })
    .from(lessons)
    .innerJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .where(
      and(
        eq(lessons.owner, LIBRARY_OWNER),
        isNull(lessons.archivedAt),
        where.lessonId ? eq(lessons.id, where.lessonId) : undefined,
        where.moduleId ? eq(lessons.moduleId, where.moduleId) : undefined,
      ),
    )
    .orderBy(asc(lessons.position));
}

/**
 * "Copy to my organization": new lessons owned by the organization whose drafts hold the
 * library's current text. The copy is the organization's to edit and publish; it never syncs
 * from content/ again, and the original keeps syncing (decision 031).
 */
export async function copyLibraryModule(db: Handle, trainer: Trainer, libraryModuleId: string, now: Date) {
  const original = await libraryModule(db, libraryModuleId);
  const sources = await libraryLessons(db, { moduleId: libraryModuleId });
  return transaction(db, async (tx) => {
    const module = await moduleLike(tx, trainer, original, now);
    for (const lesson of sources) await copyLessonInto(tx, trainer, module, lesson, now);
    return module.id;
  });
}

export async function copyLibraryLesson(
  db: Handle,
  trainer: Trainer,
  libraryLessonId: string,
  intoModuleId: string,
  now: Date,
) {
  const [lesson] = await libraryLessons(db, { lessonId: libraryLessonId });
  if (!lesson) throw new Refusal("That library lesson does not exist.", 404);
  const original = intoModuleId === NEW_MODULE ? await libraryModule(db, lesson.moduleId) : null;
  const into = original ? null : await ownModule(db, trainer.orgId, intoModuleId);
  return transaction(db, async (tx) =>
    copyLessonInto(tx, trainer, into ?? (await moduleLike(tx, trainer, original!, now)), lesson, now),
  );
}

/** A library module's details, for a copy. */
async function libraryModule(db: Handle, moduleId: string) {
  const original = await first(
    db
      .select({ slug: modules.slug, title: modules.title, summary: modules.summary, skill: modules.skill })
      .from(modules)
      .where(and(eq(modules.id, moduleId), eq(modules.owner, LIBRARY_OWNER), isNull(modules.archivedAt))),
  );
  if (!original) throw new Refusal("That library module does not exist.", 404);
  return original;
}

/** A new module of the organization named as a library module (its slug + "-copy", made free), last in order. */
async function moduleLike(
  tx: Transaction,
  trainer: Trainer,
  original: Awaited<ReturnType<typeof libraryModule>>,
  now: Date,
): Promise<{ id: string; skill: string }> {
  const slug = freeSlug(`${original.slug}-copy`, await moduleSlugs(tx, trainer.orgId));
  return { id: await insertModuleLast(tx, trainer, { ...original, slug }, now), skill: original.skill };
}

/** A library lesson's current text as a new draft lesson of the organization's module. */
function copyLessonInto(
  tx: Transaction,
  trainer: Trainer,
  module: { id: string; skill: string },
  lesson: Awaited<ReturnType<typeof libraryLessons>>[number],
  now: Date,
) {
  const { fields, body } = splitSource(lesson.source, lesson.frontmatter);
  return insertLessonWithDraft(tx, trainer, module, { title: lesson.title, fields, body }, now);
}

/** The organization's modules that a lesson may be copied into. */
export async function moduleChoices(db: Handle, orgId: string) {
  return db
    .select({ id: modules.id, title: modules.title })
    .from(modules)
    .where(and(eq(modules.owner, orgId), isNull(modules.archivedAt), ne(modules.owner, LIBRARY_OWNER)))
    .orderBy(asc(modules.position));
}

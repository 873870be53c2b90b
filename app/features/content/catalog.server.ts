// What a signed-in person may read: the built-in library and their organization's own modules.
import { and, asc, desc, eq, inArray, isNull, notExists, or, sql, type Placeholder } from "drizzle-orm";
import { db, prepared } from "~/db/connection.server";
import { LIBRARY_OWNER, lessonProgress, lessons, lessonVersions, modules } from "~/db/schema";
import { MARK_END, MARK_START } from "./marks";

export type Reader = { id: string; orgId: string };

const visibleTo = (orgId: string | Placeholder) => or(eq(modules.owner, LIBRARY_OWNER), eq(modules.owner, orgId));

export type LessonStatus = "new" | "started" | "completed";

export type CatalogLesson = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  skill: string;
  stages: string[];
  minutes: number;
  level: string;
  status: LessonStatus;
};

export type CatalogModule = {
  id: string;
  slug: string;
  title: string;
  summary: string;
  skill: string;
  lessons: CatalogLesson[];
  completed: number;
  total: number;
};

function progressByLesson(reader: Reader, lessonIds: string[]): Map<string, LessonStatus> {
  if (lessonIds.length === 0) return new Map();
  const rows = db()
    .select({ lessonId: lessonProgress.lessonId, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(and(eq(lessonProgress.orgId, reader.orgId), eq(lessonProgress.userId, reader.id), inArray(lessonProgress.lessonId, lessonIds)))
    .all();
  return new Map(rows.map((r) => [r.lessonId, r.completedAt ? "completed" : "started"]));
}

/** Every visible module (or one, by slug) with its lessons and this reader's progress, in library order. */
export function listModules(reader: Reader, filter: { moduleSlug?: string } = {}): CatalogModule[] {
  const moduleRows = db()
    .select({ id: modules.id, slug: modules.slug, title: modules.title, summary: modules.summary, skill: modules.skill })
    .from(modules)
    .where(and(visibleTo(reader.orgId), isNull(modules.archivedAt), filter.moduleSlug ? eq(modules.slug, filter.moduleSlug) : undefined))
    .orderBy(asc(modules.position), asc(modules.title))
    .all();
  if (moduleRows.length === 0) return [];
  const lessonRows = db()
    .select({
      id: lessons.id,
      moduleId: lessons.moduleId,
      slug: lessons.slug,
      title: lessons.title,
      summary: lessons.summary,
      skill: lessons.skill,
      stages: lessons.stages,
      minutes: lessons.minutes,
      level: lessons.level,
    })
    .from(lessons)
    .where(and(inArray(lessons.moduleId, moduleRows.map((m) => m.id)), isNull(lessons.archivedAt)))
    .orderBy(asc(lessons.position))
    .all();
  const progress = progressByLesson(reader, lessonRows.map((l) => l.id));
  return moduleRows
    .map((m) => {
      const all = lessonRows.filter((l) => l.moduleId === m.id).map(({ moduleId: _m, ...l }) => ({ ...l, status: progress.get(l.id) ?? ("new" as const) }));
      return { ...m, lessons: all, completed: all.filter((l) => l.status === "completed").length, total: all.length };
    })
    .filter((m) => m.lessons.length > 0 || filter.moduleSlug);
}

/** The lessons that match a skill and a sales stage; modules left empty drop out, their progress stays whole. */
export function narrowModules(modules: CatalogModule[], filter: { skill?: string; stage?: string }): CatalogModule[] {
  return modules
    .map((m) => ({ ...m, lessons: m.lessons.filter((l) => (!filter.skill || l.skill === filter.skill) && (!filter.stage || l.stages.includes(filter.stage))) }))
    .filter((m) => m.lessons.length > 0);
}

export type LessonPage = {
  module: { id: string; slug: string; title: string };
  lesson: { id: string; slug: string; title: string; objective: string; minutes: number; level: string; versionId: string; hash: string };
  position: number;
  total: number;
  previous: { slug: string; title: string } | null;
  next: { slug: string; title: string } | null;
};

// The reader's two queries, built once: a lesson page runs them on every view.
const moduleLessons = prepared((database) =>
  database
    .select({ moduleId: modules.id, owner: modules.owner, moduleTitle: modules.title, id: lessons.id, slug: lessons.slug, title: lessons.title })
    .from(modules)
    .innerJoin(lessons, and(eq(lessons.moduleId, modules.id), isNull(lessons.archivedAt)))
    .where(and(visibleTo(sql.placeholder("orgId")), eq(modules.slug, sql.placeholder("moduleSlug")), isNull(modules.archivedAt)))
    .orderBy(asc(lessons.position))
    .prepare(),
);
const currentLesson = prepared((database) =>
  database
    .select({
      id: lessons.id,
      slug: lessons.slug,
      title: lessons.title,
      objective: lessons.objective,
      minutes: lessons.minutes,
      level: lessons.level,
      versionId: lessonVersions.id,
      hash: lessonVersions.hash,
    })
    .from(lessons)
    .innerJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .where(eq(lessons.id, sql.placeholder("lessonId")))
    .prepare(),
);

export function findLessonPage(reader: Reader, moduleSlug: string, lessonSlug: string): LessonPage | null {
  // The module's lessons in one query; an organization's own module wins over a library
  // module with the same slug.
  const rows = moduleLessons().all({ orgId: reader.orgId, moduleSlug });
  const owner = rows.some((r) => r.owner !== LIBRARY_OWNER) ? rows.find((r) => r.owner !== LIBRARY_OWNER)!.owner : LIBRARY_OWNER;
  const siblings = rows.filter((r) => r.owner === owner);
  const index = siblings.findIndex((l) => l.slug === lessonSlug);
  if (index < 0) return null;
  const first = siblings[0]!;
  const lesson = currentLesson().get({ lessonId: siblings[index]!.id });
  if (!lesson) return null;
  const around = (i: number) => (siblings[i] ? { slug: siblings[i]!.slug, title: siblings[i]!.title } : null);
  return { module: { id: first.moduleId, slug: moduleSlug, title: first.moduleTitle }, lesson, position: index + 1, total: siblings.length, previous: around(index - 1), next: around(index + 1) };
}

/** A version's compiled code, read only when this process has not evaluated it yet. */
export function lessonVersionCode(versionId: string): string {
  return db().select({ code: lessonVersions.code }).from(lessonVersions).where(eq(lessonVersions.id, versionId)).get()!.code;
}

/** The compiled code of a lesson version this reader may see, by its hash. */
export function findLessonCode(reader: Reader, hash: string): string | null {
  const row = db()
    .select({ code: lessonVersions.code })
    .from(lessonVersions)
    .innerJoin(lessons, eq(lessons.id, lessonVersions.lessonId))
    .where(and(eq(lessonVersions.hash, hash), or(eq(lessons.owner, LIBRARY_OWNER), eq(lessons.owner, reader.orgId))))
    .get();
  return row?.code ?? null;
}


export type SearchHit = { moduleSlug: string; moduleTitle: string; slug: string; title: string; snippet: string; minutes: number; status: LessonStatus };

/** Turns what a rep typed into an FTS5 query: every word must appear; the last may be a prefix. */
export function ftsQuery(input: string): string | null {
  const terms = input.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 12) ?? [];
  if (terms.length === 0) return null;
  return terms.map((t, i) => `"${t}"${i === terms.length - 1 && t.length >= 3 ? "*" : ""}`).join(" ");
}

export function searchLessons(reader: Reader, input: string, limit = 20): SearchHit[] {
  const query = ftsQuery(input);
  if (!query) return [];
  const rows = db().all<{ lessonId: string; title: string; snippet: string }>(sql`
    select lesson_id as lessonId,
           highlight(lesson_search, 2, ${MARK_START}, ${MARK_END}) as title,
           snippet(lesson_search, -1, ${MARK_START}, ${MARK_END}, '…', 24) as snippet
    from lesson_search
    where lesson_search match ${query} and owner in (${LIBRARY_OWNER}, ${reader.orgId})
    order by bm25(lesson_search, 0, 0, 8, 4, 1)
    limit ${limit}`);
  if (rows.length === 0) return [];
  const meta = db()
    .select({ id: lessons.id, slug: lessons.slug, minutes: lessons.minutes, moduleSlug: modules.slug, moduleTitle: modules.title })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(and(inArray(lessons.id, rows.map((r) => r.lessonId)), isNull(lessons.archivedAt), isNull(modules.archivedAt)))
    .all();
  const progress = progressByLesson(reader, meta.map((m) => m.id));
  return rows.flatMap((r) => {
    const m = meta.find((x) => x.id === r.lessonId);
    return m ? [{ moduleSlug: m.moduleSlug, moduleTitle: m.moduleTitle, slug: m.slug, title: r.title, snippet: r.snippet, minutes: m.minutes, status: progress.get(m.id) ?? ("new" as const) }] : [];
  });
}

export type Warmup = { moduleSlug: string; slug: string; title: string; keyPoints: string[]; status: LessonStatus };

/** Call prep: the key points of the two or three lessons most relevant to the coming conversation. */
export function prepareForCall(reader: Reader, stage: string, skill?: string): Warmup[] {
  const rows = db()
    .select({ id: lessons.id, slug: lessons.slug, title: lessons.title, stages: lessons.stages, skill: lessons.skill, moduleSlug: modules.slug, keyPoints: lessonVersions.keyPoints, position: lessons.position, modulePosition: modules.position })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .innerJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .where(and(visibleTo(reader.orgId), isNull(lessons.archivedAt), isNull(modules.archivedAt), skill ? eq(lessons.skill, skill) : undefined))
    .all()
    .filter((l) => l.stages.includes(stage));
  const progress = progressByLesson(reader, rows.map((r) => r.id));
  // A lesson written for this moment first (the stage leads its list), then what the rep has
  // already studied (a refresher beats a new idea an hour before a call), then library order.
  const rank = (l: (typeof rows)[number]) => (l.stages[0] === stage ? 2 : 0) + (progress.get(l.id) === "completed" ? 1 : 0) - l.stages.length * 0.1;
  return rows
    .sort((a, b) => rank(b) - rank(a) || a.modulePosition - b.modulePosition || a.position - b.position)
    .slice(0, 3)
    .map((l) => ({ moduleSlug: l.moduleSlug, slug: l.slug, title: l.title, keyPoints: l.keyPoints, status: progress.get(l.id) ?? "new" }));
}


// Today asks for the lesson to continue on every view: both lookups are built once (decision 007).
const lastStartedLesson = prepared((database) =>
  database
    .select({ moduleSlug: modules.slug, slug: lessons.slug, title: lessons.title, minutes: lessons.minutes })
    .from(lessonProgress)
    .innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(and(eq(lessonProgress.userId, sql.placeholder("userId")), isNull(lessonProgress.completedAt), isNull(lessons.archivedAt), isNull(modules.archivedAt)))
    .orderBy(desc(lessonProgress.lastSeenAt))
    .limit(1)
    .prepare(),
);
const firstUnopenedLesson = prepared((database) =>
  database
    .select({ moduleSlug: modules.slug, slug: lessons.slug, title: lessons.title, minutes: lessons.minutes })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(
      and(
        visibleTo(sql.placeholder("orgId")),
        isNull(modules.archivedAt),
        isNull(lessons.archivedAt),
        notExists(database.select({ one: sql`1` }).from(lessonProgress).where(and(eq(lessonProgress.userId, sql.placeholder("userId")), eq(lessonProgress.lessonId, lessons.id)))),
      ),
    )
    // Library order, as listModules gives it; a module's lessons stay together.
    .orderBy(asc(modules.position), asc(modules.title), asc(modules.id), asc(lessons.position))
    .limit(1)
    .prepare(),
);

/** The lesson to continue: the one last opened and not finished, else the next new one in library order. */
export function lessonToContinue(reader: Reader): { moduleSlug: string; slug: string; title: string; minutes: number; started: boolean } | null {
  const started = lastStartedLesson().get({ userId: reader.id });
  if (started) return { ...started, started: true };
  const next = firstUnopenedLesson().get({ orgId: reader.orgId, userId: reader.id });
  return next ? { ...next, started: false } : null;
}

// What a signed-in person may read: the built-in library and their organization's own modules.
import { and, asc, desc, eq, inArray, isNotNull, isNull, notExists, or, sql, type Placeholder } from "drizzle-orm";
import { first, prepared, rows, type Handle } from "~/db/connection.server";
import { lessonSearch } from "~/db/dialect";
import type { LessonStatus } from "~/db/model";
import { LIBRARY_OWNER, lessonProgress, lessons, lessonVersions, modules, users } from "~/db/schema";
import { MARK_END, MARK_START } from "~/shared/marks";

export type Reader = { id: string; orgId: string };

const visibleTo = (orgId: string | Placeholder) => or(eq(modules.owner, LIBRARY_OWNER), eq(modules.owner, orgId));

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

async function progressByLesson(db: Handle, reader: Reader, lessonIds: string[]): Promise<Map<string, LessonStatus>> {
  if (lessonIds.length === 0) return new Map();
  const found = await db
    .select({ lessonId: lessonProgress.lessonId, completedAt: lessonProgress.completedAt })
    .from(lessonProgress)
    .where(
      and(
        eq(lessonProgress.orgId, reader.orgId),
        eq(lessonProgress.userId, reader.id),
        inArray(lessonProgress.lessonId, lessonIds),
      ),
    );
  return new Map(found.map((r) => [r.lessonId, r.completedAt ? "completed" : "started"]));
}

/** Every visible module (or one, by slug) with its lessons and this reader's progress, in library order. */
export async function listModules(
  db: Handle,
  reader: Reader,
  filter: { moduleSlug?: string } = {},
): Promise<CatalogModule[]> {
  const moduleRows = await db
    .select({
      id: modules.id,
      slug: modules.slug,
      title: modules.title,
      summary: modules.summary,
      skill: modules.skill,
    })
    .from(modules)
    .where(
      and(
        visibleTo(reader.orgId),
        isNull(modules.archivedAt),
        filter.moduleSlug ? eq(modules.slug, filter.moduleSlug) : undefined,
      ),
    )
    .orderBy(asc(modules.position), asc(modules.title));
  if (moduleRows.length === 0) return [];
  const lessonRows = await db
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
    .where(
      and(
        inArray(
          lessons.moduleId,
          moduleRows.map((m) => m.id),
        ),
        isNull(lessons.archivedAt),
        // A studio lesson that was never published is the trainers' only.
        isNotNull(lessons.currentVersionId),
      ),
    )
    .orderBy(asc(lessons.position));
  const progress = await progressByLesson(
    db,
    reader,
    lessonRows.map((l) => l.id),
  );
  return moduleRows
    .map((m) => {
      const all = lessonRows
        .filter((l) => l.moduleId === m.id)
        .map(({ moduleId: _m, ...l }) => ({ ...l, status: progress.get(l.id) ?? ("new" as const) }));
      return { ...m, lessons: all, completed: all.filter((l) => l.status === "completed").length, total: all.length };
    })
    .filter((m) => m.lessons.length > 0 || filter.moduleSlug);
}

/** The lessons that match a skill and a sales stage; modules left empty drop out, their progress stays whole. */
export function narrowModules(modules: CatalogModule[], filter: { skill?: string; stage?: string }): CatalogModule[] {
  return modules
    .map((m) => ({
      ...m,
      lessons: m.lessons.filter(
        (l) => (!filter.skill || l.skill === filter.skill) && (!filter.stage || l.stages.includes(filter.stage)),
      ),
    }))
    .filter((m) => m.lessons.length > 0);
}

export type LessonPage = {
  module: { id: string; slug: string; title: string };
  lesson: {
    id: string;
    slug: string;
    title: string;
    objective: string;
    minutes: number;
    level: string;
    versionId: string;
    hash: string;
    /** Who published this version in the studio, and when; null for the built-in library. */
    author: string | null;
    publishedAt: Date | null;
  };
  position: number;
  total: number;
  previous: { slug: string; title: string } | null;
  next: { slug: string; title: string } | null;
};

// The reader's two queries, built once: a lesson page runs them on every view.
// A lesson page's module with each lesson's current version, in one query: on PostgreSQL every
// query is a round trip, and the lesson page is the hottest page after Today.
const moduleLessons = prepared("catalog_module_lessons", (database) =>
  database
    .select({
      moduleId: modules.id,
      owner: modules.owner,
      moduleTitle: modules.title,
      id: lessons.id,
      slug: lessons.slug,
      title: lessons.title,
      objective: lessons.objective,
      minutes: lessons.minutes,
      level: lessons.level,
      versionId: lessonVersions.id,
      hash: lessonVersions.hash,
      author: users.name,
      publishedAt: lessonVersions.createdAt,
    })
    .from(modules)
    .innerJoin(
      lessons,
      and(eq(lessons.moduleId, modules.id), isNull(lessons.archivedAt), isNotNull(lessons.currentVersionId)),
    )
    .leftJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .leftJoin(users, eq(users.id, lessonVersions.authorId))
    .where(
      and(
        visibleTo(sql.placeholder("orgId")),
        eq(modules.slug, sql.placeholder("moduleSlug")),
        isNull(modules.archivedAt),
      ),
    )
    .orderBy(asc(lessons.position)),
);

export async function findLessonPage(
  db: Handle,
  reader: Reader,
  moduleSlug: string,
  lessonSlug: string,
): Promise<LessonPage | null> {
  // The module's lessons in one query; an organization's own module wins over a library
  // module with the same slug.
  const found = await moduleLessons(db).execute({ orgId: reader.orgId, moduleSlug });
  const owner = found.some((r) => r.owner !== LIBRARY_OWNER)
    ? found.find((r) => r.owner !== LIBRARY_OWNER)!.owner
    : LIBRARY_OWNER;
  const siblings = found.filter((r) => r.owner === owner);
  const index = siblings.findIndex((l) => l.slug === lessonSlug);
  if (index < 0) return null;
  const opening = siblings[0]!;
  const { id, slug, title, objective, minutes, level, versionId, hash, author, publishedAt } = siblings[index]!;
  if (!versionId || !hash) return null;
  const lesson = {
    id,
    slug,
    title,
    objective,
    minutes,
    level,
    versionId,
    hash,
    author: author ?? null,
    publishedAt: author ? publishedAt : null,
  };
  const around = (i: number) => (siblings[i] ? { slug: siblings[i]!.slug, title: siblings[i]!.title } : null);
  return {
    module: { id: opening.moduleId, slug: moduleSlug, title: opening.moduleTitle },
    lesson,
    position: index + 1,
    total: siblings.length,
    previous: around(index - 1),
    next: around(index + 1),
  };
}

/** A version's compiled code, read only when this process has not evaluated it yet. */
export async function lessonVersionCode(db: Handle, versionId: string): Promise<string> {
  return (await first(
    db.select({ code: lessonVersions.code }).from(lessonVersions).where(eq(lessonVersions.id, versionId)).limit(1),
  ))!.code;
}

/** The compiled code of a lesson version this reader may see, by its hash. */
export async function findLessonCode(db: Handle, reader: Reader, hash: string): Promise<string | null> {
  const row = await first(
    db
      .select({ code: lessonVersions.code })
      .from(lessonVersions)
      .innerJoin(lessons, eq(lessons.id, lessonVersions.lessonId))
      .where(and(eq(lessonVersions.hash, hash), or(eq(lessons.owner, LIBRARY_OWNER), eq(lessons.owner, reader.orgId))))
      .limit(1),
  );
  return row?.code ?? null;
}

export type SearchHit = {
  moduleSlug: string;
  moduleTitle: string;
  slug: string;
  title: string;
  snippet: string;
  /** The words of the search found in the title or snippet, as written there. */
  matched: string[];
  minutes: number;
  status: LessonStatus;
};

// Words too common to find anything by (PostgreSQL's English configuration drops them too, so
// both engines search the same words).
const STOP_WORDS = new Set(
  "a an and are as at be but by for from how i if in into is it its my no not of on or our so that the their then there these they this to was we what when where which who why will with you your".split(
    " ",
  ),
);

/**
 * The words of what a rep typed, for the search (lessonSearch): letters and digits only, lower
 * case, common words left out, at most twelve. A lesson matches on any of them; the last may be
 * a prefix.
 */
export function ftsQuery(input: string): string[] | null {
  const terms = [
    ...new Set(
      input
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu)
        ?.filter((word) => !STOP_WORDS.has(word)) ?? [],
    ),
  ].slice(0, 12);
  return terms.length === 0 ? null : terms;
}

/** The words a hit's title and snippet have marked, as they are written there: what matched. */
function markedWords(...texts: string[]): string[] {
  const found = new Map<string, string>();
  for (const text of texts) {
    for (const [, word] of text.matchAll(new RegExp(`${MARK_START}(.*?)${MARK_END}`, "gsu"))) {
      const key = word!.toLowerCase();
      if (!found.has(key)) found.set(key, word!);
    }
  }
  return [...found.values()];
}

export async function searchLessons(db: Handle, reader: Reader, input: string, limit = 20): Promise<SearchHit[]> {
  const words = ftsQuery(input);
  if (!words) return [];
  const hits = await rows<{ lessonId: string; title: string; snippet: string }>(
    db,
    lessonSearch(words, [LIBRARY_OWNER, reader.orgId], { start: MARK_START, end: MARK_END }, limit),
  );
  if (hits.length === 0) return [];
  const meta = await db
    .select({
      id: lessons.id,
      slug: lessons.slug,
      minutes: lessons.minutes,
      moduleSlug: modules.slug,
      moduleTitle: modules.title,
    })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(
      and(
        inArray(
          lessons.id,
          hits.map((r) => r.lessonId),
        ),
        isNull(lessons.archivedAt),
        isNull(modules.archivedAt),
      ),
    );
  const progress = await progressByLesson(
    db,
    reader,
    meta.map((m) => m.id),
  );
  return hits.flatMap((r) => {
    const m = meta.find((x) => x.id === r.lessonId);
    return m
      ? [
          {
            moduleSlug: m.moduleSlug,
            moduleTitle: m.moduleTitle,
            slug: m.slug,
            title: r.title,
            snippet: r.snippet,
            matched: markedWords(r.title, r.snippet),
            minutes: m.minutes,
            status: progress.get(m.id) ?? ("new" as const),
          },
        ]
      : [];
  });
}

export type Warmup = { moduleSlug: string; slug: string; title: string; keyPoints: string[]; status: LessonStatus };

/** Call prep: the key points of the two or three lessons most relevant to the coming conversation. */
export async function prepareForCall(db: Handle, reader: Reader, stage: string, skill?: string): Promise<Warmup[]> {
  const found = await db
    .select({
      id: lessons.id,
      slug: lessons.slug,
      title: lessons.title,
      stages: lessons.stages,
      skill: lessons.skill,
      moduleSlug: modules.slug,
      keyPoints: lessonVersions.keyPoints,
      position: lessons.position,
      modulePosition: modules.position,
    })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .innerJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
    .where(
      and(
        visibleTo(reader.orgId),
        isNull(lessons.archivedAt),
        isNull(modules.archivedAt),
        skill ? eq(lessons.skill, skill) : undefined,
      ),
    );
  const candidates = found.filter((l) => l.stages.includes(stage));
  const progress = await progressByLesson(
    db,
    reader,
    candidates.map((r) => r.id),
  );
  // A lesson written for this moment first (the stage leads its list), then what the rep has
  // already studied (a refresher beats a new idea an hour before a call), then library order.
  const rank = (l: (typeof candidates)[number]) =>
    (l.stages[0] === stage ? 2 : 0) + (progress.get(l.id) === "completed" ? 1 : 0) - l.stages.length * 0.1;
  return candidates
    .sort((a, b) => rank(b) - rank(a) || a.modulePosition - b.modulePosition || a.position - b.position)
    .slice(0, 3)
    .map((l) => ({
      moduleSlug: l.moduleSlug,
      slug: l.slug,
      title: l.title,
      keyPoints: l.keyPoints,
      status: progress.get(l.id) ?? "new",
    }));
}

// Today asks for the lesson to continue on every view: both lookups are built once (decision 007).
const lastStartedLesson = prepared("catalog_last_started_lesson", (database) =>
  database
    .select({ moduleSlug: modules.slug, slug: lessons.slug, title: lessons.title, minutes: lessons.minutes })
    .from(lessonProgress)
    .innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(
      and(
        eq(lessonProgress.userId, sql.placeholder("userId")),
        isNull(lessonProgress.completedAt),
        isNull(lessons.archivedAt),
        isNull(modules.archivedAt),
      ),
    )
    .orderBy(desc(lessonProgress.lastSeenAt))
    .limit(1),
);
const firstUnopenedLesson = prepared("catalog_first_unopened_lesson", (database) =>
  database
    .select({ moduleSlug: modules.slug, slug: lessons.slug, title: lessons.title, minutes: lessons.minutes })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(
      and(
        visibleTo(sql.placeholder("orgId")),
        isNull(modules.archivedAt),
        isNull(lessons.archivedAt),
        isNotNull(lessons.currentVersionId),
        notExists(
          database
            .select({ one: sql`1` })
            .from(lessonProgress)
            .where(and(eq(lessonProgress.userId, sql.placeholder("userId")), eq(lessonProgress.lessonId, lessons.id))),
        ),
      ),
    )
    // Library order, as listModules gives it; a module's lessons stay together.
    .orderBy(asc(modules.position), asc(modules.title), asc(modules.id), asc(lessons.position))
    .limit(1),
);

/** The lesson to continue: the one last opened and not finished, else the next new one in library order. */
export async function lessonToContinue(
  db: Handle,
  reader: Reader,
): Promise<{ moduleSlug: string; slug: string; title: string; minutes: number; started: boolean } | null> {
  const started = await first(lastStartedLesson(db).execute({ userId: reader.id }));
  if (started) return { ...started, started: true };
  const next = await first(firstUnopenedLesson(db).execute({ orgId: reader.orgId, userId: reader.id }));
  return next ? { ...next, started: false } : null;
}

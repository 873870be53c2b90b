// What /content/insights shows: which lessons and questions work, for a period and a team. The
// questions' figures come from the item tallies kept with each answer (./tallies.server, decision
// 039; a team's are counted from its reps' answers), lesson starts counted by the database from
// lesson progress's (org, started_at, …) covering index, reviewed role-plays by (org, status,
// submitted_at); the arithmetic is in ./item-analysis, the thresholds in decision 037. A computed
// view is kept 30 s (the dashboards' viewCache).
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { data } from "react-router";
import type { Handle } from "~/db/connection.server";
import { inList, oneIf } from "~/db/dialect";
import {
  LIBRARY_OWNER,
  attempts,
  lessonProgress,
  lessonVersions,
  lessons,
  moduleCompletions,
  modules,
  questions,
  roleplaySubmissions,
  roleplays,
  teamMembers,
  teams,
} from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { PERIODS, parseInsightsFilter, type Period } from "~/features/insights/dashboard.server";
import { toCsvText } from "~/shared/csv";
import { dayLabel, timeLabel } from "~/shared/date-formats";
import { addDays, dayIn, instantIn, weekOf } from "~/shared/days";
import { log } from "~/shared/log.server";
import { viewCache } from "~/shared/view-cache.server";
import { editorLinkFor } from "./editor-link";
import { ratingsInScope } from "./ratings.server";
import {
  analyzeLessonItems,
  criterionFigures,
  lessonFigures,
  middleValues,
  type ItemFigures,
  type LessonStarts,
  type QuestionText,
} from "./item-analysis";
import type { ItemTally } from "./tallies";
import { countedTallies, storedTallies } from "./tallies.server";

export type ContentFilter = { team: string | null; period: Period; version?: string | null };

/** The period, team and (for one lesson) version a view is for, read from its URL (a GET form). */
export function parseContentFilter(url: URL): ContentFilter {
  const version = url.searchParams.get("version");
  // An id not even shaped like one gets the same 404 as an unknown version.
  return {
    ...parseInsightsFilter(url),
    version: version ? (/^[a-z0-9]{10,40}$/.test(version) ? version : "unknown") : null,
  };
}

/**
 * The period and team a view covers: the whole organization, or one of its teams' members. A
 * period is whole weeks of the organization's (Monday to Sunday), this one and those before it.
 */
export type ContentScope = {
  orgId: string;
  timezone: string;
  /** The Monday the period starts on, and its first moment. */
  fromWeek: string;
  from: Date;
  teams: Array<{ id: string; name: string }>;
  teamId: string | null;
  /** The team's members; null for the whole organization. */
  repIds: string[] | null;
};

export async function contentScope(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "timezone">,
  filter: ContentFilter,
  now: Date,
): Promise<ContentScope> {
  const teamList = await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(eq(teams.orgId, user.orgId))
    .orderBy(asc(teams.name));
  if (filter.team && !teamList.some((t) => t.id === filter.team)) {
    log.warn(
      { userId: user.id, team: filter.team },
      "authorization refused: content insights for a team outside the organization",
    );
    throw data({ message: "That team is not in your organization." }, { status: 404 });
  }
  const repIds = filter.team
    ? (
        await db
          .select({ id: teamMembers.userId })
          .from(teamMembers)
          .where(
            and(eq(teamMembers.orgId, user.orgId), eq(teamMembers.teamId, filter.team), eq(teamMembers.role, "member")),
          )
      ).map((r) => r.id)
    : null;
  const fromWeek = addDays(weekOf(dayIn(user.timezone, now)), -7 * (PERIODS[filter.period] - 1));
  return {
    orgId: user.orgId,
    timezone: user.timezone,
    fromWeek,
    from: instantIn(user.timezone, fromWeek, 0),
    teams: teamList,
    teamId: filter.team,
    repIds,
  };
}

/** What a view says of its scope: its teams, the Monday its period starts on and when it was computed. */
const scopeLabels = (scope: ContentScope, now: Date) => ({
  teams: scope.teams,
  teamId: scope.teamId,
  fromWeek: dayLabel(scope.fromWeek, dayIn(scope.timezone, now)),
  asOf: timeLabel(now, scope.timezone),
});

const byReps = (column: Parameters<typeof inList>[0], scope: ContentScope) =>
  scope.repIds ? [inList(column, scope.repIds)] : [];

/** Lesson starts of the scope's reps in its period. */
const startedInScope = (scope: ContentScope) =>
  and(
    eq(lessonProgress.orgId, scope.orgId),
    gte(lessonProgress.startedAt, scope.from),
    ...byReps(lessonProgress.userId, scope),
  );

const NO_STARTS: LessonStarts = { started: 0, finished: 0, middleSeconds: [] };

/**
 * Each lesson's starts in the period, counted by the database rather than read row by row (tens
 * of thousands at 26 weeks): started and finished, and the finishers' seconds as a histogram
 * (seconds are capped at four times the lesson's minutes, so it stays small), from which the
 * middle one or two values are picked.
 */
async function lessonStarts(db: Handle, scope: ContentScope): Promise<Map<string, LessonStarts>> {
  const [counts, histogram] = await Promise.all([
    db
      .select({
        lessonId: lessonProgress.lessonId,
        started: sql<number>`count(*)`.mapWith(Number),
        finished: sql<number>`sum(${oneIf(isNotNull(lessonProgress.completedAt))})`.mapWith(Number),
      })
      .from(lessonProgress)
      .where(startedInScope(scope))
      .groupBy(lessonProgress.lessonId),
    db
      .select({
        lessonId: lessonProgress.lessonId,
        seconds: lessonProgress.secondsSpent,
        reps: sql<number>`count(*)`.mapWith(Number),
      })
      .from(lessonProgress)
      .where(and(startedInScope(scope), isNotNull(lessonProgress.completedAt)))
      .groupBy(lessonProgress.lessonId, lessonProgress.secondsSpent),
  ]);
  const seconds = new Map<string, Array<{ seconds: number; reps: number }>>();
  for (const h of histogram) (seconds.get(h.lessonId) ?? seconds.set(h.lessonId, []).get(h.lessonId)!).push(h);
  return new Map(counts.map((c) => [c.lessonId, { ...c, middleSeconds: middleValues(seconds.get(c.lessonId) ?? []) }]));
}

type LessonRow = {
  id: string;
  title: string;
  slug: string;
  minutes: number;
  moduleId: string;
  moduleSlug: string;
  moduleTitle: string;
  owner: string;
  currentVersionId: string | null;
};

/** The lessons the organization's reps may take (its own and the built-in library), by id. */
async function lessonsById(db: Handle, orgId: string, ids: string[]): Promise<Map<string, LessonRow>> {
  if (ids.length === 0) return new Map();
  const list = await db
    .select({
      id: lessons.id,
      title: lessons.title,
      slug: lessons.slug,
      minutes: lessons.minutes,
      moduleId: lessons.moduleId,
      moduleSlug: modules.slug,
      moduleTitle: modules.title,
      owner: lessons.owner,
      currentVersionId: lessons.currentVersionId,
    })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(and(inArray(lessons.id, ids), or(eq(lessons.owner, LIBRARY_OWNER), eq(lessons.owner, orgId))));
  return new Map(list.map((l) => [l.id, l]));
}

/** The questions' tallies in the scope and period (optionally of one lesson and version), per lesson. */
function tallies(
  db: Handle,
  scope: ContentScope,
  only: { lessonId?: string; versionId?: string | null } = {},
): Promise<Map<string, Map<string, ItemTally>>> {
  return scope.repIds
    ? countedTallies(db, { ...scope, repIds: scope.repIds, ...only })
    : storedTallies(db, { orgId: scope.orgId, fromWeek: scope.fromWeek, ...only });
}

/** The keys each rep who started a lesson in the period and has not finished it has answered, per lesson. */
async function unfinishedAnswers(db: Handle, scope: ContentScope): Promise<Map<string, Map<string, Set<string>>>> {
  const list = await db
    .select({ lessonId: attempts.lessonId, userId: attempts.userId, key: attempts.questionKey })
    .from(lessonProgress)
    .innerJoin(
      attempts,
      and(eq(attempts.userId, lessonProgress.userId), eq(attempts.lessonId, lessonProgress.lessonId)),
    )
    .where(and(startedInScope(scope), isNull(lessonProgress.completedAt), eq(attempts.first, true)));
  const answered = new Map<string, Map<string, Set<string>>>();
  for (const a of list) {
    const reps = answered.get(a.lessonId) ?? answered.set(a.lessonId, new Map()).get(a.lessonId)!;
    reps.set(a.userId, (reps.get(a.userId) ?? new Set()).add(a.key));
  }
  return answered;
}

/**
 * Each lesson's questions, worded as in `versionId` if given, else as in the latest version that
 * has the key; and each version's keys in its order (where reps stop is judged on the current one's).
 */
async function lessonQuestions(
  db: Handle,
  lessonIds: string[],
  versionId?: string | null,
): Promise<{ byLesson: Map<string, QuestionText[]>; versionKeys: Map<string, string[]> }> {
  if (lessonIds.length === 0) return { byLesson: new Map(), versionKeys: new Map() };
  const list = await db
    .select({
      lessonId: questions.lessonId,
      versionId: questions.lessonVersionId,
      key: questions.key,
      kind: questions.kind,
      prompt: questions.prompt,
      choices: questions.choices,
      position: questions.position,
      made: lessonVersions.createdAt,
    })
    .from(questions)
    .innerJoin(lessonVersions, eq(lessonVersions.id, questions.lessonVersionId))
    .where(versionId ? eq(questions.lessonVersionId, versionId) : inArray(questions.lessonId, lessonIds))
    .orderBy(asc(lessonVersions.createdAt), asc(questions.position));
  const latest = new Map<string, Map<string, (typeof list)[number]>>();
  const versionKeys = new Map<string, string[]>();
  for (const q of list) {
    const keys = latest.get(q.lessonId) ?? new Map();
    keys.delete(q.key); // re-inserted last: the newest version's wording and place
    keys.set(q.key, q);
    latest.set(q.lessonId, keys);
    (versionKeys.get(q.versionId) ?? versionKeys.set(q.versionId, []).get(q.versionId)!).push(q.key);
  }
  const byLesson = new Map(
    [...latest].map(([lessonId, keys]) => [
      lessonId,
      [...keys.values()]
        .sort((a, b) => a.position - b.position)
        .map((q) => ({ key: q.key, kind: q.kind, prompt: q.prompt, choices: q.choices })),
    ]),
  );
  return { byLesson, versionKeys };
}

/** The questions, with those the lesson's current version no longer has marked retired. */
function markRetired(list: QuestionText[], lesson: LessonRow, versionKeys: Map<string, string[]>): QuestionText[] {
  if (!lesson.currentVersionId) return list;
  const current = versionKeys.get(lesson.currentVersionId) ?? [];
  const kept = new Set(current);
  return list.map((q) => (kept.has(q.key) ? q : { ...q, retired: true }));
}

export type Table = { title: string; columns: string[]; rows: Array<Array<string | number>> };
export type FlaggedQuestion = {
  lessonId: string;
  lessonTitle: string;
  key: string;
  prompt: string;
  link: string;
  flags: ItemFigures["flags"];
};

const pct = (value: number | null) => (value === null ? "" : Math.round(value * 1000) / 10);
const twoPlaces = (value: number | null) => (value === null ? "" : Math.round(value * 100) / 100);

function itemsTable(title: string, items: ItemFigures[]): Table {
  return {
    title,
    columns: [
      "Question",
      "Prompt",
      "Answers",
      "Facility %",
      "Discrimination",
      "Picks %",
      "Partial credit",
      "Recall 7d %",
      "Recall 30d %",
      "Recall 90d %",
      "Flags",
    ],
    rows: items.map((i) => [
      i.key,
      i.prompt,
      i.answers,
      pct(i.facility),
      twoPlaces(i.discrimination),
      i.picks.map((p) => `${p.id}${p.correct ? "✓" : ""} ${Math.round(p.rate * 100)}`).join("; "),
      i.partialCredit.map((p) => `${p.score}: ${p.answers}`).join("; "),
      ...i.recall.map((r) => pct(r.rate)),
      i.flags.map((f) => f.kind).join(", "),
    ]),
  };
}

type Overview = Awaited<ReturnType<typeof computeOverview>>;
type LessonItems = Awaited<ReturnType<typeof computeLessonItems>>;
// Kept 30 s per organization, team and period (and lesson and version), like the dashboards.
const overviews = viewCache<Overview>();
const lessonViews = viewCache<LessonItems>();

/** The overview: lessons and modules, every flagged question, role-plays. */
export async function contentInsights(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "timezone">,
  filter: ContentFilter,
  now: Date,
) {
  // Authorization first, every time (a team outside the organization is a 404): the cache is
  // keyed by the scope it allows.
  const scope = await contentScope(db, user, filter, now);
  const key = `${scope.orgId}|${scope.teamId ?? "org"}|${filter.period}`;
  return overviews(key, now, () => computeOverview(db, scope, filter, now));
}

async function computeOverview(db: Handle, scope: ContentScope, filter: ContentFilter, now: Date) {
  const timezone = scope.timezone;
  const [starts, itemTallies, unfinished, reviewed, ratings] = await Promise.all([
    lessonStarts(db, scope),
    tallies(db, scope),
    unfinishedAnswers(db, scope),
    db
      .select({
        roleplayId: roleplaySubmissions.roleplayId,
        key: roleplaySubmissions.roleplayKey,
        lessonId: roleplaySubmissions.lessonId,
        manager: roleplaySubmissions.managerScores,
        self: roleplaySubmissions.selfScores,
      })
      .from(roleplaySubmissions)
      .where(
        and(
          eq(roleplaySubmissions.orgId, scope.orgId),
          eq(roleplaySubmissions.status, "reviewed"),
          gte(roleplaySubmissions.submittedAt, scope.from),
          ...byReps(roleplaySubmissions.userId, scope),
        ),
      ),
    ratingsInScope(db, scope),
  ]);
  const lessonIds = [...new Set([...starts.keys(), ...itemTallies.keys(), ...ratings.map((r) => r.lessonId)])];
  const [lessonMap, { byLesson: questionMap, versionKeys }] = await Promise.all([
    lessonsById(db, scope.orgId, lessonIds),
    lessonQuestions(db, lessonIds),
  ]);

  /** The lesson's questions, those its current version no longer has marked retired. */
  const questionsOf = (lesson: LessonRow) => markRetired(questionMap.get(lesson.id) ?? [], lesson, versionKeys);
  const lessonRows: Table["rows"] = [];
  const flagged: FlaggedQuestion[] = [];
  const ordered = [...lessonMap.values()].sort(
    (a, b) => a.moduleTitle.localeCompare(b.moduleTitle) || a.title.localeCompare(b.title),
  );
  for (const lesson of ordered) {
    // Reps who have not finished stopped within the lesson as it is now.
    const keys =
      (lesson.currentVersionId && versionKeys.get(lesson.currentVersionId)) ||
      (questionMap.get(lesson.id) ?? []).map((q) => q.key);
    const answered = unfinished.get(lesson.id) ?? new Map<string, Set<string>>();
    const figures = lessonFigures(starts.get(lesson.id) ?? NO_STARTS, keys, answered);
    lessonRows.push([
      lesson.moduleTitle,
      lesson.title,
      figures.started,
      figures.finished,
      pct(figures.completionRate),
      figures.medianMinutes ?? "",
      lesson.minutes,
      figures.stoppedAt ? `${figures.stoppedAt.key} (${figures.stoppedAt.reps})` : "",
    ]);
    const items = analyzeLessonItems(questionsOf(lesson), itemTallies.get(lesson.id) ?? new Map());
    for (const item of items.filter((i) => i.flags.length))
      flagged.push({
        lessonId: lesson.id,
        lessonTitle: lesson.title,
        key: item.key,
        prompt: item.prompt,
        link: editorLinkFor({ lessonId: lesson.id, owner: lesson.owner, key: item.key }),
        flags: item.flags,
      });
  }

  const moduleRows = await moduleTable(db, scope, ordered);
  const roleplayRows = await roleplayTable(db, reviewed);
  const tables = {
    lessons: {
      title: "Lessons",
      columns: [
        "Module",
        "Lesson",
        "Started",
        "Finished",
        "Completion %",
        "Median minutes",
        "Estimate minutes",
        "Most stopped at",
      ],
      rows: lessonRows,
    },
    modules: { title: "Modules", columns: ["Module", "Started", "Finished", "Completion %"], rows: moduleRows },
    flags: {
      title: "Flagged questions",
      columns: ["Lesson", "Question", "Prompt", "Flag", "Reason"],
      rows: flagged.flatMap((q) => q.flags.map((f) => [q.lessonTitle, q.key, q.prompt, f.kind, f.reason])),
    },
    roleplays: {
      title: "Role-play criteria",
      columns: [
        "Role-play",
        "Criterion",
        "Reviews",
        "Level 1",
        "Level 2",
        "Level 3",
        "Level 4",
        "Level 5",
        "Self-assessed",
        "Calibration gap (points)",
      ],
      rows: roleplayRows,
    },
    ratings: {
      title: "What reps say",
      columns: ["Module", "Lesson", "Useful", "Not useful", "Useful %"],
      rows: ordered.flatMap((l) => {
        const mine = ratings.filter((r) => r.lessonId === l.id);
        const useful = mine.filter((r) => r.useful).length;
        return mine.length ? [[l.moduleTitle, l.title, useful, mine.length - useful, pct(useful / mine.length)]] : [];
      }),
    },
    comments: {
      title: "Comments",
      columns: ["Lesson", "Rep", "Verdict", "Comment", "Day"],
      rows: ratings
        .filter((r) => r.comment && lessonMap.has(r.lessonId))
        .map((r) => [
          lessonMap.get(r.lessonId)!.title,
          r.repName,
          r.useful ? "useful" : "not useful",
          r.comment!,
          dayIn(timezone, r.ratedAt),
        ]),
    },
  } satisfies Record<string, Table>;
  const lessonLinks = ordered.map((l) => ({ id: l.id, title: l.title, module: l.moduleTitle }));
  return {
    scope: scopeLabels(scope, now),
    period: filter.period,
    tables,
    flagged,
    lessonLinks,
  };
}

async function moduleTable(db: Handle, scope: ContentScope, ordered: LessonRow[]): Promise<Table["rows"]> {
  // Reps who started any lesson of the module in the period, and of them the ones who completed
  // it, counted by the database (from the starts' covering index and the (org, module) index of
  // completions).
  const counted = await db
    .select({
      moduleId: lessons.moduleId,
      started: sql<number>`count(distinct ${lessonProgress.userId})`.mapWith(Number),
      finished: sql<number>`count(distinct ${moduleCompletions.userId})`.mapWith(Number),
    })
    .from(lessonProgress)
    .innerJoin(lessons, eq(lessons.id, lessonProgress.lessonId))
    .leftJoin(
      moduleCompletions,
      and(
        eq(moduleCompletions.orgId, lessonProgress.orgId),
        eq(moduleCompletions.moduleId, lessons.moduleId),
        eq(moduleCompletions.userId, lessonProgress.userId),
      ),
    )
    .where(startedInScope(scope))
    .groupBy(lessons.moduleId);
  const byModule = new Map(counted.map((m) => [m.moduleId, m]));
  const rows: Table["rows"] = [];
  // In the lessons' order (by module title), each module once.
  for (const moduleId of new Set(ordered.map((l) => l.moduleId))) {
    const m = byModule.get(moduleId);
    if (!m) continue;
    const title = ordered.find((l) => l.moduleId === moduleId)!.moduleTitle;
    rows.push([title, m.started, m.finished, pct(m.started ? m.finished / m.started : null)]);
  }
  return rows;
}

async function roleplayTable(
  db: Handle,
  reviewed: Array<{
    roleplayId: string;
    key: string;
    lessonId: string;
    manager: Record<string, number> | null;
    self: Record<string, number> | null;
  }>,
): Promise<Table["rows"]> {
  const ids = [...new Set(reviewed.map((r) => r.roleplayId))];
  if (ids.length === 0) return [];
  const defs = await db
    .select({
      id: roleplays.id,
      lessonId: roleplays.lessonId,
      key: roleplays.key,
      title: roleplays.title,
      rubric: roleplays.rubric,
    })
    .from(roleplays)
    .innerJoin(lessonVersions, eq(lessonVersions.id, roleplays.lessonVersionId))
    .where(inArray(roleplays.id, ids))
    .orderBy(desc(lessonVersions.createdAt));
  // Across versions a role-play is its lesson and key; its rubric as its latest reviewed version has it
  // (the newest first, and the first of each lesson and key is kept).
  const rows: Table["rows"] = [];
  const seen = new Set<string>();
  for (const def of defs) {
    const id = `${def.lessonId}/${def.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const mine = reviewed.filter((r) => r.lessonId === def.lessonId && r.key === def.key && r.manager);
    for (const c of criterionFigures(
      def.rubric,
      mine.map((r) => ({ manager: r.manager!, self: r.self })),
    ))
      rows.push([def.title, c.name, c.reviews, ...c.levels, c.selfAssessed, c.calibrationGap ?? ""]);
  }
  return rows;
}

/** One lesson's questions in full (choices, partial credit, recall), for a version or all of them. */
export async function lessonItemInsights(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId" | "timezone">,
  lessonId: string,
  filter: ContentFilter,
  now: Date,
) {
  const lesson = (await lessonsById(db, user.orgId, [lessonId])).get(lessonId);
  if (!lesson) throw data({ message: "We could not find that lesson." }, { status: 404 });
  const versions = await db
    .select({ id: lessonVersions.id, createdAt: lessonVersions.createdAt })
    .from(lessonVersions)
    .where(eq(lessonVersions.lessonId, lessonId))
    .orderBy(asc(lessonVersions.createdAt));
  if (filter.version && !versions.some((v) => v.id === filter.version))
    throw data({ message: "That version is not one of this lesson's." }, { status: 404 });
  const scope = await contentScope(db, user, filter, now);
  const key = `${scope.orgId}|${scope.teamId ?? "org"}|${filter.period}|${lessonId}|${filter.version ?? "all"}`;
  return lessonViews(key, now, () => computeLessonItems(db, scope, lesson, versions, filter, now));
}

async function computeLessonItems(
  db: Handle,
  scope: ContentScope,
  lesson: LessonRow,
  versions: Array<{ id: string; createdAt: Date }>,
  filter: ContentFilter,
  now: Date,
) {
  const lessonId = lesson.id;
  // Without a version, or with the current one, the questions read carry the current version's
  // keys; an older version's need the current keys read apart (to mark what was dropped).
  const currentApart = Boolean(filter.version && lesson.currentVersionId && filter.version !== lesson.currentVersionId);
  const [itemTallies, { byLesson: questionMap, versionKeys }, current] = await Promise.all([
    tallies(db, scope, { lessonId, versionId: filter.version }),
    lessonQuestions(db, [lessonId], filter.version),
    currentApart ? lessonQuestions(db, [lessonId], lesson.currentVersionId) : null,
  ]);
  const items = analyzeLessonItems(
    markRetired(questionMap.get(lessonId) ?? [], lesson, current?.versionKeys ?? versionKeys),
    itemTallies.get(lessonId) ?? new Map(),
  );
  return {
    lesson: {
      id: lesson.id,
      title: lesson.title,
      moduleTitle: lesson.moduleTitle,
      builtIn: lesson.owner === LIBRARY_OWNER,
    },
    versions: versions.map((v, i) => ({
      id: v.id,
      label: `Version ${i + 1}`,
      current: v.id === lesson.currentVersionId,
    })),
    version: filter.version ?? null,
    scope: scopeLabels(scope, now),
    period: filter.period,
    items: items.map((i) => ({
      ...i,
      link: editorLinkFor({ lessonId: lesson.id, owner: lesson.owner, key: i.key }),
    })),
    tables: { questions: itemsTable(`Questions of ${lesson.title}`, items) },
  };
}

export function toCsv(table: Table): string {
  return toCsvText([table.columns, ...table.rows]);
}

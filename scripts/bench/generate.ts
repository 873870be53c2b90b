// Generates the benchmark organization into its own database: reps in teams with months of
// believable activity (statements and roll-ups, attempts, lesson progress, FSRS cards and
// reviews, boosts, role-play submissions and reviews, assignments, retention snapshots).
// It writes rows in bulk with SQLite prepared statements, the shapes the app's own; the
// PostgreSQL bench copies the finished file over with db:copy (scripts/db-copy.ts).
import { closeDatabase, db, migrateDatabase, sqliteClient } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { dayIn } from "~/shared/days";
import { VERBS } from "~/features/activity/statements.server";
import { hashPassword } from "~/features/auth/password.server";
import { createSession } from "~/features/auth/sessions.server";
import { syncLibrary } from "~/features/content/sync.server";
import { seededRandom } from "~/features/demo/demo-org";
import { Rating, review, type StoredCard } from "~/features/reinforcement/fsrs.server";
import { snapshotRetention } from "~/features/reinforcement/snapshots.server";

const DAY = 86_400_000;
const TZ = "America/New_York";

export type BenchOrg = {
  orgId: string;
  reps: Array<{ id: string; token: string }>;
  managers: Array<{ id: string; token: string }>;
  admin: { id: string; token: string };
  /** The admin of a second, empty organization, where the people-import scenario brings in its file. */
  importAdmin: { id: string; token: string };
  lessons: Array<{ path: string; id: string; questions: Array<{ key: string; choices: string[] }> }>;
  counts: Record<string, number>;
};

type LessonInfo = {
  id: string;
  moduleId: string;
  slug: string;
  moduleSlug: string;
  title: string;
  minutes: number;
  skill: string;
  versionId: string;
  questions: Array<{ id: string; key: string; correct: string[]; wrong: string[]; prompt: string }>;
};

function library(): LessonInfo[] {
  const sqlite = sqliteClient();
  const rows = sqlite
    .prepare(
      `select l.id, l.module_id as moduleId, l.slug, m.slug as moduleSlug, l.title, l.minutes, l.skill, l.current_version_id as versionId
       from lessons l join modules m on m.id = l.module_id where l.archived_at is null order by m.position, l.position`,
    )
    .all() as Array<Omit<LessonInfo, "questions">>;
  const questions = sqlite.prepare(
    `select id, key, prompt, choices from questions where lesson_version_id = ? order by position`,
  );
  return rows.map((l) => ({
    ...l,
    questions: (questions.all(l.versionId) as Array<{ id: string; key: string; prompt: string; choices: string }>).map(
      (q) => {
        const choices = JSON.parse(q.choices) as Array<{ id: string; correct: boolean }>;
        return {
          id: q.id,
          key: q.key,
          prompt: q.prompt,
          correct: choices.filter((c) => c.correct).map((c) => c.id),
          wrong: choices.filter((c) => !c.correct).map((c) => c.id),
        };
      },
    ),
  }));
}

export async function generateBenchOrg(options: {
  reps: number;
  teams: number;
  months: number;
  now?: Date;
  log?: (line: string) => void;
}): Promise<BenchOrg> {
  const log = options.log ?? (() => {});
  const now = options.now ?? new Date();
  const random = seededRandom(`bench-${options.reps}-${options.teams}-${options.months}`);
  await migrateDatabase();
  await syncLibrary(db());
  const sqlite = sqliteClient();
  const lessons = library();
  const passwordHash = await hashPassword("bench-password");
  const counts: Record<string, number> = {};
  const gen: Generation = {
    sqlite,
    orgId: newId(),
    random,
    now,
    start: now.getTime() - options.months * 30 * DAY,
    count: (table, n = 1) => (counts[table] = (counts[table] ?? 0) + n),
  };

  const people = writePeople(gen, options, passwordHash);
  const importAdminId = writeImportOrganization(gen, passwordHash);
  log(`people: ${people.repIds.length} reps, ${people.teamIds.length} teams, ${people.managerIds.length} managers`);
  writeLearningHistory(gen, people, lessons, log);
  writePracticeAndAssignments(gen, people);
  log("practice and assignments written");
  await writeRetentionSnapshots(gen);
  counts.retention_snapshots = (
    sqlite.prepare(`select count(*) as n from retention_snapshots`).get() as { n: number }
  ).n;
  log("retention snapshots written");

  // ---------------------------------------------------------------- sessions for the load
  const signIn = async (id: string) => ({ id, token: await createSession(db(), id, now) });
  const reps = await Promise.all(people.repIds.map(signIn));
  const managers = await Promise.all(people.managerIds.map(signIn));
  const admin = await signIn(people.adminId);
  const importAdmin = await signIn(importAdminId);
  sqlite.pragma("wal_checkpoint(TRUNCATE)");
  sqlite.exec("analyze");
  await closeDatabase();
  return {
    orgId: gen.orgId,
    reps,
    managers,
    admin,
    importAdmin,
    lessons: lessons.map((l) => ({
      path: `/learn/${l.moduleSlug}/${l.slug}`,
      id: l.id,
      questions: l.questions.map((q) => ({ key: q.key, choices: [...q.correct, ...q.wrong] })),
    })),
    counts,
  };
}

/** What every step writes with: the database, the organization, the seeded randomness and the clock. */
type Generation = {
  sqlite: ReturnType<typeof sqliteClient>;
  orgId: string;
  // One seeded sequence for the whole run: the steps draw from it in a fixed order, so a size
  // always generates the same organization.
  random: () => number;
  now: Date;
  start: number;
  count: (table: string, n?: number) => number;
};

type People = {
  adminId: string;
  teamIds: string[];
  managerIds: string[];
  repIds: string[];
  repTeam: Map<string, string>;
};

// ---------------------------------------------------------------- people
function writePeople(gen: Generation, options: { reps: number; teams: number }, passwordHash: string): People {
  const { sqlite, orgId, start } = gen;
  const insertUser = sqlite.prepare(
    `insert into users (id, org_id, email, name, password_hash, active, created_at) values (?, ?, ?, ?, ?, 1, ?)`,
  );
  const insertRole = sqlite.prepare(`insert into user_roles (org_id, user_id, role) values (?, ?, ?)`);
  const insertTeam = sqlite.prepare(`insert into teams (id, org_id, name, created_at) values (?, ?, ?, ?)`);
  const insertMember = sqlite.prepare(
    `insert into team_members (org_id, team_id, user_id, role, created_at) values (?, ?, ?, ?, ?)`,
  );
  const teamIds: string[] = [];
  const repIds: string[] = [];
  const repTeam = new Map<string, string>();
  const managerIds: string[] = [];
  const adminId = newId();
  sqlite.transaction(() => {
    sqlite
      .prepare(
        `insert into organizations (id, name, timezone, desired_retention, boost_minutes, digest_hour, created_at) values (?, ?, ?, 0.9, 3, 8, ?)`,
      )
      .run(orgId, "Benchmark Sales", TZ, start);
    insertUser.run(adminId, orgId, "bench-admin@example.com", "Bench Admin", passwordHash, start);
    insertRole.run(orgId, adminId, "admin");
    for (let t = 0; t < options.teams; t++) {
      const id = newId();
      teamIds.push(id);
      insertTeam.run(id, orgId, `Team ${String(t + 1).padStart(3, "0")}`, start);
    }
    // One manager for every two teams, as in a real sales floor.
    for (let m = 0; m < Math.ceil(options.teams / 2); m++) {
      const id = newId();
      managerIds.push(id);
      insertUser.run(id, orgId, `bench-manager-${m}@example.com`, `Manager ${m}`, passwordHash, start);
      insertRole.run(orgId, id, "manager");
      for (const teamId of teamIds.slice(m * 2, m * 2 + 2)) insertMember.run(orgId, teamId, id, "manager", start);
    }
    for (let r = 0; r < options.reps; r++) {
      const id = newId();
      repIds.push(id);
      const teamId = teamIds[r % teamIds.length]!;
      repTeam.set(id, teamId);
      insertUser.run(id, orgId, `bench-rep-${r}@example.com`, `Rep ${r}`, passwordHash, start);
      insertRole.run(orgId, id, "rep");
      insertMember.run(orgId, teamId, id, "member", start);
    }
  })();
  gen.count("users", 1 + managerIds.length + repIds.length);
  return { adminId, teamIds, managerIds, repIds, repTeam };
}

/**
 * A second organization with only its admin: the people-import scenario imports 10,000 people into
 * it, so the benchmark organization's dashboards (and PostgreSQL's copy of it) stay as generated.
 */
function writeImportOrganization(gen: Generation, passwordHash: string): string {
  const orgId = newId();
  const adminId = newId();
  gen.sqlite.transaction(() => {
    gen.sqlite
      .prepare(`insert into organizations (id, name, timezone, created_at) values (?, ?, ?, ?)`)
      .run(orgId, "Benchmark Imports", TZ, gen.start);
    gen.sqlite
      .prepare(
        `insert into users (id, org_id, email, name, password_hash, active, created_at) values (?, ?, ?, ?, ?, 1, ?)`,
      )
      .run(adminId, orgId, "bench-import-admin@example.com", "Import Admin", passwordHash, gen.start);
    gen.sqlite.prepare(`insert into user_roles (org_id, user_id, role) values (?, ?, 'admin')`).run(orgId, adminId);
  })();
  gen.count("users");
  return adminId;
}

// ---------------------------------------------------------------- learning history
function prepareHistoryInserts(sqlite: Generation["sqlite"]) {
  return {
    statement: sqlite.prepare(
      `insert into statements (id, org_id, actor_id, verb, object_type, object_id, object_name, result_score, result_success, result_duration_ms, team_id, context, timestamp) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?)`,
    ),
    daily: sqlite.prepare(
      `insert into daily_activity (org_id, user_id, day, statements, lessons_opened, lessons_completed, modules_completed, questions_answered, questions_correct, seconds_learned, boosts_completed, roleplays_submitted) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    ),
    attempt: sqlite.prepare(
      `insert into attempts (id, org_id, user_id, question_id, lesson_id, lesson_version_id, question_key, chosen, correct, score, first, context, submission_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    progress: sqlite.prepare(
      `insert into lesson_progress (org_id, user_id, lesson_id, started_version_id, started_at, last_seen_at, reached_end_at, completed_at, seconds_spent) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    module: sqlite.prepare(
      `insert into module_completions (org_id, user_id, module_id, completed_at) values (?, ?, ?, ?)`,
    ),
    card: sqlite.prepare(
      `insert into cards (id, org_id, user_id, lesson_id, question_key, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses, state, last_review, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateCard: sqlite.prepare(
      `update cards set due = ?, stability = ?, difficulty = ?, scheduled_days = ?, learning_steps = ?, reps = ?, lapses = ?, state = ?, last_review = ? where id = ?`,
    ),
    review: sqlite.prepare(
      `insert into review_logs (id, org_id, user_id, card_id, attempt_id, rating, state, stability, difficulty, scheduled_days, due, reviewed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    boost: sqlite.prepare(
      `insert into boosts (id, org_id, user_id, day, card_ids, answered, started_at, finished_at) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

/** What the history steps share: the generation, the inserts, and the library in order. */
type History = {
  gen: Generation;
  ins: ReturnType<typeof prepareHistoryInserts>;
  lessons: LessonInfo[];
  moduleLessons: Map<string, string[]>;
};

/** One rep's learning so far: where they are in the library and their cards. */
type Rep = {
  repId: string;
  teamId: string;
  accuracy: number;
  next: number;
  submission: number;
  cards: Map<string, StoredCard & { id: string; lessonId: string; key: string }>;
  completedModules: Set<string>;
  completedLessons: Set<string>;
};

/** A day the rep is active: the clock moves on as they work, and the day's roll-up adds up. */
type ActiveDay = {
  at: Date;
  date: string;
  daily: {
    statements: number;
    opened: number;
    completed: number;
    modules: number;
    answered: number;
    correct: number;
    seconds: number;
    boosts: number;
  };
  statement: (
    verb: string,
    type: string,
    objectId: string,
    name: string,
    score: number | null,
    success: number | null,
    duration: number | null,
  ) => void;
  answer: (
    q: LessonInfo["questions"][number],
    lesson: LessonInfo,
    context: "lesson" | "boost",
    first: boolean,
  ) => { attemptId: string; right: boolean };
};

function writeLearningHistory(gen: Generation, people: People, lessons: LessonInfo[], log: (line: string) => void) {
  const moduleLessons = new Map<string, string[]>();
  for (const l of lessons) moduleLessons.set(l.moduleId, [...(moduleLessons.get(l.moduleId) ?? []), l.id]);
  const history: History = { gen, ins: prepareHistoryInserts(gen.sqlite), lessons, moduleLessons };
  const totalDays = Math.round((gen.now.getTime() - gen.start) / DAY);

  const BATCH = 100;
  const { repIds } = people;
  for (let from = 0; from < repIds.length; from += BATCH) {
    gen.sqlite.transaction(() => {
      for (const repId of repIds.slice(from, from + BATCH))
        writeRepHistory(history, repId, people.repTeam.get(repId)!, totalDays);
    })();
    log(`activity: ${Math.min(from + BATCH, repIds.length)} of ${repIds.length} reps`);
  }
}

function writeRepHistory(history: History, repId: string, teamId: string, totalDays: number) {
  const { random, start } = history.gen;
  const kind = random();
  // 15% champions, 55% steady, 30% who stop at some point.
  const activeChance = kind < 0.15 ? 0.75 : kind < 0.7 ? 0.35 : 0.55;
  const accuracy = kind < 0.15 ? 0.85 : 0.7;
  const stopsAt = kind >= 0.7 ? Math.floor(random() * totalDays * 0.7) : totalDays + 1;
  const rep: Rep = {
    repId,
    teamId,
    accuracy,
    next: 0,
    submission: 0,
    cards: new Map(),
    completedModules: new Set(),
    completedLessons: new Set(),
  };
  for (let d = 0; d < totalDays; d++) {
    if (d >= stopsAt || random() > activeChance) continue;
    // Between 13:00 and 21:59 UTC: one calendar day in New York.
    const at = new Date(Math.floor(start / DAY) * DAY + d * DAY + (13 + Math.floor(random() * 9)) * 3_600_000);
    const today = startActiveDay(history, rep, at);
    takeTheDaysBoost(history, rep, today);
    takeTheNextLesson(history, rep, today);
    writeDailyActivity(history, rep, today);
  }
}

/** A day's clock and roll-up, with the two things a rep does: an xAPI statement and an answer. */
function startActiveDay(history: History, rep: Rep, at: Date): ActiveDay {
  const { gen, ins } = history;
  const { orgId, random, count } = gen;
  const { repId, teamId } = rep;
  const today: ActiveDay = {
    at,
    date: dayIn(TZ, at),
    daily: {
      statements: 0,
      opened: 0,
      completed: 0,
      modules: 0,
      answered: 0,
      correct: 0,
      seconds: 0,
      boosts: 0,
    },
    statement: (verb, type, objectId, name, score, success, duration) => {
      ins.statement.run(
        newId(),
        orgId,
        repId,
        verb,
        type,
        objectId,
        name,
        score,
        success,
        duration,
        teamId,
        today.at.getTime(),
      );
      today.daily.statements++;
      count("statements");
    },
    answer: (q, lesson, context, first) => {
      const right = random() < rep.accuracy;
      const chosen = right ? q.correct : [q.wrong[0] ?? q.correct[0]!];
      const attemptId = newId();
      ins.attempt.run(
        attemptId,
        orgId,
        repId,
        q.id,
        lesson.id,
        lesson.versionId,
        q.key,
        JSON.stringify(chosen),
        right ? 1 : 0,
        right ? 1 : 0,
        first ? 1 : 0,
        context,
        `gen-${repId}-${++rep.submission}`,
        today.at.getTime(),
      );
      count("attempts");
      today.statement(
        VERBS.answered,
        "question",
        `${lesson.id}#${q.key}`,
        q.prompt.slice(0, 200),
        right ? 1 : 0,
        right ? 1 : 0,
        null,
      );
      today.daily.answered++;
      if (right) today.daily.correct++;
      return { attemptId, right };
    },
  };
  return today;
}

/** The day's boost: up to three due cards, least recently reviewed first. */
function takeTheDaysBoost(history: History, rep: Rep, today: ActiveDay) {
  const { gen, ins, lessons } = history;
  const { orgId, random, count } = gen;
  const { repId, cards } = rep;
  const due = [...cards.values()]
    .filter((c) => c.due.getTime() <= today.at.getTime())
    .sort((a, b) => a.due.getTime() - b.due.getTime())
    .slice(0, 3);
  if (!(due.length && random() < 0.8)) return;
  const startedAt = today.at;
  for (const card of due) {
    const lesson = lessons.find((l) => l.id === card.lessonId)!;
    const q = lesson.questions.find((x) => x.key === card.key)!;
    const at = (today.at = new Date(today.at.getTime() + 40_000));
    const { attemptId, right } = today.answer(q, lesson, "boost", false);
    const nextCard = review(card, right ? Rating.Good : Rating.Again, at, 0.9);
    ins.updateCard.run(
      nextCard.due.getTime(),
      nextCard.stability,
      nextCard.difficulty,
      nextCard.scheduledDays,
      nextCard.learningSteps,
      nextCard.reps,
      nextCard.lapses,
      nextCard.state,
      at.getTime(),
      card.id,
    );
    ins.review.run(
      newId(),
      orgId,
      repId,
      card.id,
      attemptId,
      right ? Rating.Good : Rating.Again,
      nextCard.state,
      nextCard.stability,
      nextCard.difficulty,
      nextCard.scheduledDays,
      card.due.getTime(),
      at.getTime(),
    );
    count("review_logs");
    cards.set(card.id, { ...card, ...nextCard });
  }
  const boostId = newId();
  ins.boost.run(
    boostId,
    orgId,
    repId,
    today.date,
    JSON.stringify(due.map((c) => c.id)),
    JSON.stringify(due.map((c) => c.id)),
    startedAt.getTime(),
    today.at.getTime(),
  );
  count("boosts");
  today.statement(
    VERBS.boosted,
    "boost",
    boostId,
    `Daily boost ${today.date}`,
    null,
    1,
    today.at.getTime() - startedAt.getTime(),
  );
  today.daily.boosts++;
}

/** The next lesson in the library, start to finish, with a card for each of its questions. */
function takeTheNextLesson(history: History, rep: Rep, today: ActiveDay) {
  const { gen, ins, lessons } = history;
  const { orgId, random, count } = gen;
  if (!(rep.next < lessons.length && random() < 0.7)) return;
  const lesson = lessons[rep.next++]!;
  const opened = today.at;
  today.statement(VERBS.opened, "lesson", lesson.id, lesson.title, null, null, null);
  today.daily.opened++;
  const firsts: FirstAnswer[] = [];
  for (const q of lesson.questions) {
    const at = (today.at = new Date(today.at.getTime() + 45_000));
    firsts.push({ key: q.key, ...today.answer(q, lesson, "lesson", true), at });
  }
  const at = (today.at = new Date(today.at.getTime() + 60_000));
  const seconds = Math.round((at.getTime() - opened.getTime()) / 1000);
  ins.progress.run(
    orgId,
    rep.repId,
    lesson.id,
    lesson.versionId,
    opened.getTime(),
    at.getTime(),
    at.getTime(),
    at.getTime(),
    seconds,
  );
  count("lesson_progress");
  today.statement(VERBS.completed, "lesson", lesson.id, lesson.title, null, 1, seconds * 1000);
  today.daily.completed++;
  today.daily.seconds += seconds;
  rep.completedLessons.add(lesson.id);
  writeFirstCards(history, rep, today, lesson, firsts);
  completeModuleIfDone(history, rep, today, lesson);
}

type FirstAnswer = { key: string; attemptId: string; right: boolean; at: Date };

/** A lesson's first answers schedule its cards, each with its first review. */
function writeFirstCards(history: History, rep: Rep, today: ActiveDay, lesson: LessonInfo, firsts: FirstAnswer[]) {
  const { gen, ins } = history;
  const { orgId, count } = gen;
  const { repId, cards } = rep;
  const { at } = today;
  for (const f of firsts) {
    const card = review(null, f.right ? Rating.Good : Rating.Again, f.at, 0.9);
    const id = newId();
    ins.card.run(
      id,
      orgId,
      repId,
      lesson.id,
      f.key,
      card.due.getTime(),
      card.stability,
      card.difficulty,
      card.scheduledDays,
      card.learningSteps,
      card.reps,
      card.lapses,
      card.state,
      card.lastReview?.getTime() ?? null,
      at.getTime(),
    );
    ins.review.run(
      newId(),
      orgId,
      repId,
      id,
      f.attemptId,
      f.right ? Rating.Good : Rating.Again,
      card.state,
      card.stability,
      card.difficulty,
      card.scheduledDays,
      f.at.getTime(),
      f.at.getTime(),
    );
    count("cards");
    count("review_logs");
    cards.set(id, { ...card, id, lessonId: lesson.id, key: f.key });
  }
}

function completeModuleIfDone(history: History, rep: Rep, today: ActiveDay, lesson: LessonInfo) {
  const { completedModules, completedLessons } = rep;
  if (
    !completedModules.has(lesson.moduleId) &&
    history.moduleLessons.get(lesson.moduleId)!.every((id) => completedLessons.has(id))
  ) {
    completedModules.add(lesson.moduleId);
    history.ins.module.run(history.gen.orgId, rep.repId, lesson.moduleId, today.at.getTime());
    today.statement(VERBS.completed, "module", lesson.moduleId, lesson.moduleSlug, null, 1, null);
    today.daily.modules++;
  }
}

function writeDailyActivity(history: History, rep: Rep, today: ActiveDay) {
  const { daily } = today;
  if (daily.statements > 0) {
    history.ins.daily.run(
      history.gen.orgId,
      rep.repId,
      today.date,
      daily.statements,
      daily.opened,
      daily.completed,
      daily.modules,
      daily.answered,
      daily.correct,
      daily.seconds,
      daily.boosts,
    );
    history.gen.count("daily_activity");
  }
}

// ---------------------------------------------------------------- practice and coaching
function writePracticeAndAssignments(gen: Generation, people: People) {
  gen.sqlite.transaction(() => {
    writeRoleplaySubmissions(gen, people);
    writeAssignments(gen, people);
  })();
}

/** About a third of the reps submitted a role-play; open ones are mostly reviewed by their manager. */
function writeRoleplaySubmissions(gen: Generation, people: People) {
  const { sqlite, orgId, random, now, start, count } = gen;
  const { repIds, teamIds, managerIds, repTeam } = people;
  const plays = sqlite
    .prepare(
      `select r.id, r.lesson_id as lessonId, r.lesson_version_id as versionId, r.key, r.mode, r.turns, r.rubric from roleplays r join lessons l on l.id = r.lesson_id and l.current_version_id = r.lesson_version_id`,
    )
    .all() as Array<{
    id: string;
    lessonId: string;
    versionId: string;
    key: string;
    mode: "open" | "branching";
    turns: string;
    rubric: string;
  }>;
  const insSubmission = sqlite.prepare(
    `insert into roleplay_submissions (id, org_id, user_id, roleplay_id, lesson_id, lesson_version_id, roleplay_key, mode, status, path, replies, auto_score, self_scores, self_score, manager_scores, manager_score, manager_comment, reviewer_id, created_at, submitted_at, reviewed_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const repId of repIds) {
    if (random() > 0.35) continue;
    const play = plays[Math.floor(random() * plays.length)]!;
    const rubric = JSON.parse(play.rubric) as Array<{ id: string; weight: number }>;
    const at = start + Math.floor(random() * (now.getTime() - start));
    const level = () => 2 + Math.floor(random() * 4);
    const self = Object.fromEntries(rubric.map((c) => [c.id, level()]));
    const selfScore = rubric.reduce((s, c) => s + c.weight * self[c.id]! * 20, 0) / 100;
    const reviewed = play.mode === "open" && random() < 0.6;
    const manager = Object.fromEntries(rubric.map((c) => [c.id, level()]));
    const managerScore = rubric.reduce((s, c) => s + c.weight * manager[c.id]! * 20, 0) / 100;
    const turns = JSON.parse(play.turns) as Array<{ id: string }>;
    const replies =
      play.mode === "open"
        ? turns.map((t) => ({
            turnId: t.id,
            text: "What happened last time, and what would need to change?",
            recordingId: null,
          }))
        : [];
    const teamManager = managerIds[teamIds.indexOf(repTeam.get(repId)!) >> 1]!;
    insSubmission.run(
      newId(),
      orgId,
      repId,
      play.id,
      play.lessonId,
      play.versionId,
      play.key,
      play.mode,
      reviewed ? "reviewed" : "submitted",
      JSON.stringify(replies),
      play.mode === "branching" ? 40 + Math.floor(random() * 60) : null,
      JSON.stringify(self),
      selfScore,
      reviewed ? JSON.stringify(manager) : null,
      reviewed ? managerScore : null,
      reviewed ? "Good questions; slow down before the pitch." : null,
      reviewed ? teamManager : null,
      at,
      at,
      reviewed ? at + DAY : null,
    );
    count("roleplay_submissions");
  }
}

/** Three module assignments from each manager to one of their teams, due three weeks on. */
function writeAssignments(gen: Generation, people: People) {
  const { sqlite, orgId, random, now, start, count } = gen;
  const { teamIds, managerIds } = people;
  const insAssignment = sqlite.prepare(
    `insert into assignments (id, org_id, created_by, kind, target_id, roleplay_key, title, team_id, due_day, note, created_at) values (?, ?, ?, ?, ?, null, ?, ?, ?, '', ?)`,
  );
  const modulesList = sqlite
    .prepare(`select id, title from modules where archived_at is null order by position`)
    .all() as Array<{ id: string; title: string }>;
  managerIds.forEach((managerId, m) => {
    for (let a = 0; a < 3; a++) {
      const module = modulesList[(m + a) % modulesList.length]!;
      const created = start + Math.floor(random() * (now.getTime() - start - 14 * DAY));
      insAssignment.run(
        newId(),
        orgId,
        managerId,
        "module",
        module.id,
        `Module: ${module.title}`,
        teamIds[m * 2 + (a % 2)] ?? teamIds[0]!,
        dayIn(TZ, new Date(created + 21 * DAY)),
        created,
      );
      count("assignments");
    }
  });
}

// ---------------------------------------------------------------- retention snapshots
/** Weekly snapshots for the last twelve weeks, and today's. */
async function writeRetentionSnapshots(gen: Generation) {
  const { orgId, now } = gen;
  for (let week = 12; week >= 1; week--) {
    const at = new Date(now.getTime() - week * 7 * DAY);
    await snapshotRetention(db(), orgId, dayIn(TZ, at), at);
  }
  await snapshotRetention(db(), orgId, dayIn(TZ, now), now);
}

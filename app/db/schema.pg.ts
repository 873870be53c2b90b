// The whole data model for PostgreSQL, table by table beside schema.sqlite.ts (tests/unit/schema-parity
// holds the two equal: same tables, columns, keys, indexes and defaults). Every table that belongs to
// an organization carries `org_id`, and the feature modules filter every request-serving query by it.
//
// Column types, SQLite → PostgreSQL. Both engines store the same values, so raw SQL behaves alike:
//   text (enums too, checked by the app, not pg enum types) → text
//   integer → integer;  real → double precision;  integer boolean → boolean
//   integer timestamp_ms → bigint of epoch milliseconds (timestampMs below), read as a Date
//   JSON text → jsonb, with the same $type;  blob buffer → bytea
import { sql } from "drizzle-orm";
import {
  ANSWER_CONTEXTS,
  ASSIGNMENT_KINDS,
  AUDIT_SOURCES,
  AUDIT_SUBJECTS,
  ROLEPLAY_STATUSES,
  ROLES,
  TEAM_ROLES,
  TRAINING_STATUSES,
  PUSH_KINDS,
  PUSH_STATUSES,
  type BranchStep,
  type OpenReply,
  type Role,
  type StoredChoice,
  type StoredCriterion,
  type StoredTurn,
} from "./model";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";

// Milliseconds since the epoch, as SQLite keeps them, rather than timestamptz: the same numbers in
// both engines. node-postgres returns bigint as a string, hence Number().
const timestampMs = customType<{ data: Date; driverData: number | string }>({
  dataType: () => "bigint",
  toDriver: (date: Date) => date.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

const createdAt = () =>
  timestampMs("created_at")
    .notNull()
    .default(sql`(extract(epoch from clock_timestamp()) * 1000)::bigint`);

// The owning organization, the user, the lesson and the lesson version a row is about: the same
// columns in many tables.
const requiredReference = (name: string, target: () => AnyPgColumn) => text(name).notNull().references(target);
const orgIdColumn = () => requiredReference("org_id", () => organizations.id);
const userIdColumn = () => requiredReference("user_id", () => users.id);
const lessonIdColumn = () => requiredReference("lesson_id", () => lessons.id);
const lessonVersionIdColumn = () => requiredReference("lesson_version_id", () => lessonVersions.id);

// ---------------------------------------------------------------------------- people

export const organizations = pgTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  // Reinforcement settings: FSRS's desired retention (0.80–0.95), the minutes a day a boost may
  // take (its size follows the rep's backlog and pace: decision 023), and the local hour at which
  // the daily digest goes out.
  desiredRetention: doublePrecision("desired_retention").notNull().default(0.9),
  boostMinutes: integer("boost_minutes").notNull().default(3),
  digestHour: integer("digest_hour").notNull().default(8),
  // FSRS-6's 21 weights trained on the organization's own reviews and kept because they predicted
  // its latest reviews better (decision 024); null while it is scheduled with FSRS's defaults.
  fsrsParameters: jsonb("fsrs_parameters").$type<number[]>(),
  // When an admin last saved the settings page (digest hour, time zone ...): null until they have,
  // which the onboarding checklist reads as "the digest hour is not set yet".
  settingsSavedAt: timestampMs("settings_saved_at"),
  createdAt: createdAt(),
});

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    // Stored lower-cased; one account per address across the installation, because the
    // login form asks only for e-mail and password.
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("users_email").on(t.email), index("users_org").on(t.orgId)],
);

export const userRoles = pgTable(
  "user_roles",
  {
    orgId: orgIdColumn(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

export const teams = pgTable(
  "teams",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("teams_org_name").on(t.orgId, t.name)],
);

export const teamMembers = pgTable(
  "team_members",
  {
    orgId: orgIdColumn(),
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: TEAM_ROLES }).notNull(),
    joinedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId, t.role] }), index("team_members_user").on(t.userId)],
);

// ---------------------------------------------------------------------------- auth

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // SHA-256 of the token's secret half; the secret itself is only ever in the cookie.
    secretHash: bytea("secret_hash").notNull(),
    createdAt: createdAt(),
    lastVerifiedAt: timestampMs("last_verified_at").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

// A browser that has signed in to an account before, remembered by a long-lived cookie holding
// `<id>.<secret>` like a session's token: a right password from it passes the account's sign-in
// lock (decision 016).
export const knownDevices = pgTable(
  "known_devices",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // SHA-256 of the cookie's secret half, as for sessions.
    secretHash: bytea("secret_hash").notNull(),
    createdAt: createdAt(),
    lastSignInAt: timestampMs("last_sign_in_at").notNull(),
  },
  (t) => [index("known_devices_user").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    email: text("email").notNull(),
    roles: jsonb("roles").$type<Role[]>().notNull(),
    teamId: text("team_id").references(() => teams.id, { onDelete: "set null" }),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").references(() => users.id),
    // The account a people import made for this address (decision 029): accepting sets its
    // password and name instead of creating one. Null for an invitation from the People page.
    userId: text("user_id").references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestampMs("expires_at").notNull(),
    acceptedAt: timestampMs("accepted_at"),
  },
  (t) => [uniqueIndex("invitations_token").on(t.tokenHash), index("invitations_org").on(t.orgId)],
);

export const passwordResets = pgTable(
  "password_resets",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: timestampMs("expires_at").notNull(),
    usedAt: timestampMs("used_at"),
  },
  (t) => [uniqueIndex("password_resets_token").on(t.tokenHash)],
);

// Fixed-window counters shared by every app process (they all use this database).
export const throttles = pgTable("throttles", {
  key: text("key").primaryKey(),
  // Epoch milliseconds: past what PostgreSQL's 32-bit integer holds (SQLite's integer is 64-bit).
  windowStart: bigint("window_start", { mode: "number" }).notNull(),
  count: integer("count").notNull(),
});

// ---------------------------------------------------------------------------- mail

export const outbox = pgTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").references(() => organizations.id),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    // The HTML part, when the message has one (the digest); the text part is always there.
    html: text("html"),
    createdAt: createdAt(),
    // Set when an SMTP server accepted it; null while it only sits in the outbox.
    sentAt: timestampMs("sent_at"),
  },
  (t) => [index("outbox_org_created").on(t.orgId, t.createdAt)],
);

// ---------------------------------------------------------------------------- content

export const modules = pgTable(
  "modules",
  {
    id: text("id").primaryKey(),
    owner: text("owner").notNull(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    skill: text("skill").notNull(),
    position: integer("position").notNull(),
    createdAt: createdAt(),
    archivedAt: timestampMs("archived_at"),
  },
  (t) => [uniqueIndex("modules_owner_slug").on(t.owner, t.slug)],
);

export const lessons = pgTable(
  "lessons",
  {
    id: text("id").primaryKey(),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id),
    owner: text("owner").notNull(),
    slug: text("slug").notNull(),
    position: integer("position").notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    objective: text("objective").notNull(),
    skill: text("skill").notNull(),
    stages: jsonb("stages").$type<string[]>().notNull(),
    minutes: integer("minutes").notNull(),
    level: text("level").notNull(),
    tags: jsonb("tags").$type<string[]>().notNull(),
    currentVersionId: text("current_version_id"),
    createdAt: createdAt(),
    archivedAt: timestampMs("archived_at"),
  },
  (t) => [uniqueIndex("lessons_module_slug").on(t.moduleId, t.slug), index("lessons_owner").on(t.owner)],
);

export const lessonVersions = pgTable(
  "lesson_versions",
  {
    id: text("id").primaryKey(),
    lessonId: lessonIdColumn(),
    // SHA-256 of the compiler version and the source: equal hash, nothing to compile.
    hash: text("hash").notNull(),
    source: text("source").notNull(),
    // Compiled by mdx-bundler from the source with every answer key removed: safe to send.
    code: text("code").notNull(),
    frontmatter: jsonb("frontmatter").$type<Record<string, unknown>>().notNull(),
    bodyText: text("body_text").notNull(),
    keyPoints: jsonb("key_points").$type<string[]>().notNull(),
    wordCount: integer("word_count").notNull(),
    // Who published it in the studio; null for the built-in library's sync from content/.
    authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("lesson_versions_lesson_hash").on(t.lessonId, t.hash)],
);

export const questions = pgTable(
  "questions",
  {
    id: text("id").primaryKey(),
    lessonVersionId: lessonVersionIdColumn(),
    lessonId: lessonIdColumn(),
    // The trainer's quiz id: stable across versions, so a rep's history follows the question.
    key: text("key").notNull(),
    kind: text("kind", { enum: ["single", "multiple"] }).notNull(),
    prompt: text("prompt").notNull(),
    choices: jsonb("choices").$type<StoredChoice[]>().notNull(),
    position: integer("position").notNull(),
  },
  (t) => [
    uniqueIndex("questions_version_key").on(t.lessonVersionId, t.key),
    index("questions_lesson_key").on(t.lessonId, t.key),
  ],
);

export const roleplays = pgTable(
  "roleplays",
  {
    id: text("id").primaryKey(),
    lessonVersionId: lessonVersionIdColumn(),
    lessonId: lessonIdColumn(),
    key: text("key").notNull(),
    mode: text("mode", { enum: ["branching", "open"] }).notNull(),
    title: text("title").notNull(),
    persona: text("persona").notNull(),
    situation: text("situation").notNull(),
    goal: text("goal").notNull(),
    turns: jsonb("turns").$type<StoredTurn[]>().notNull(),
    rubric: jsonb("rubric").$type<StoredCriterion[]>().notNull(),
  },
  (t) => [
    uniqueIndex("roleplays_version_key").on(t.lessonVersionId, t.key),
    index("roleplays_lesson_key").on(t.lessonId, t.key),
  ],
);

// A lesson's working text in the studio: one per lesson, kept after publishing (the state
// "changed since publishing" is revision > published_revision). A save carries the revision it
// started from; one over someone else's newer revision is refused (decision 031).
export const lessonDrafts = pgTable(
  "lesson_drafts",
  {
    lessonId: text("lesson_id")
      .primaryKey()
      .references(() => lessons.id),
    orgId: orgIdColumn(),
    body: text("body").notNull(),
    frontmatter: jsonb("frontmatter").$type<Record<string, unknown>>().notNull(),
    // The published version the draft started from (null for a lesson never published).
    baseVersionId: text("base_version_id"),
    revision: integer("revision").notNull(),
    publishedRevision: integer("published_revision").notNull().default(0),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestampMs("updated_at").notNull(),
    // The last preview's compiled code, so the preview's script is served by whichever server.
    previewHash: text("preview_hash"),
    previewCode: text("preview_code"),
  },
  (t) => [index("lesson_drafts_org").on(t.orgId)],
);

// An image a trainer uploaded for the organization's lessons (decision 032): kept in the database,
// so every app server has it, and named by its content so its URL can be cached for good.
export const contentImages = pgTable(
  "content_images",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    // <first 32 hex digits of the SHA-256 of the bytes>.<png|jpg|webp|gif>: made by the server.
    name: text("name").notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    // What the image shows, as the trainer described it: the alt text of the snippet to paste.
    alt: text("alt").notNull(),
    data: bytea("data").notNull(),
    uploadedBy: userIdColumn(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("content_images_org_name").on(t.orgId, t.name),
    index("content_images_org_created").on(t.orgId, t.createdAt),
  ],
);

// ---------------------------------------------------------------------------- learning

export const lessonProgress = pgTable(
  "lesson_progress",
  {
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    lessonId: lessonIdColumn(),
    startedVersionId: text("started_version_id").notNull(),
    startedAt: timestampMs("started_at").notNull(),
    lastSeenAt: timestampMs("last_seen_at").notNull(),
    reachedEndAt: timestampMs("reached_end_at"),
    completedAt: timestampMs("completed_at"),
    secondsSpent: integer("seconds_spent").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.lessonId] }),
    index("lesson_progress_org_user").on(t.orgId, t.userId),
    // Content insights' lesson starts of a period: read from the index alone, in start order.
    index("lesson_progress_org_started").on(t.orgId, t.startedAt, t.lessonId, t.userId, t.completedAt, t.secondsSpent),
  ],
);

export const attempts = pgTable(
  "attempts",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    questionId: text("question_id")
      .notNull()
      .references(() => questions.id),
    lessonId: lessonIdColumn(),
    lessonVersionId: lessonVersionIdColumn(),
    questionKey: text("question_key").notNull(),
    chosen: jsonb("chosen").$type<string[]>().notNull(),
    correct: boolean("correct").notNull(),
    score: doublePrecision("score").notNull(),
    // The rep's first answer to this question (lesson + key): what proficiency counts.
    first: boolean("first").notNull(),
    context: text("context", { enum: ANSWER_CONTEXTS }).notNull(),
    // Sent with the form; the same submission sent twice is stored once.
    submissionId: text("submission_id").notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("attempts_user_submission").on(t.userId, t.submissionId),
    index("attempts_user_lesson_key").on(t.userId, t.lessonId, t.questionKey),
    index("attempts_org_created").on(t.orgId, t.createdAt),
  ],
);

export const moduleCompletions = pgTable(
  "module_completions",
  {
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id),
    completedAt: timestampMs("completed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.moduleId] }),
    // Content insights' finishers of a module, among the organization's completions of it.
    index("module_completions_org_module").on(t.orgId, t.moduleId, t.userId),
  ],
);

/** A rep's verdict on a lesson at its end (useful or not, and an optional comment): one per rep and lesson. */
export const lessonRatings = pgTable(
  "lesson_ratings",
  {
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    lessonId: lessonIdColumn(),
    useful: boolean("useful").notNull(),
    comment: text("comment"),
    ratedAt: timestampMs("rated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.lessonId] }), index("lesson_ratings_org_lesson").on(t.orgId, t.lessonId)],
);

// Item tallies (decision 039): what /content/insights reads instead of the organization's answers.
// Each is kept in the answer's transaction (features/content-insights/tallies.server.ts), per
// question (lesson + key), the version answered and the organization's week (its Monday), so a
// period is a sum over a few thousand rows however many answers it holds.

/** First answers: how many, how many right, and the sums the point-biserial correlation needs. */
export const questionTallies = pgTable(
  "question_tallies",
  {
    orgId: orgIdColumn(),
    week: text("week").notNull(),
    lessonId: lessonIdColumn(),
    questionKey: text("question_key").notNull(),
    lessonVersionId: lessonVersionIdColumn(),
    answers: integer("answers").notNull().default(0),
    correct: integer("correct").notNull().default(0),
    // Over the first answers whose rep has another first answer in the lesson: how many, how many
    // right, and the sums of the rest score r (the share of the rep's other first answers right),
    // of r² and of r over the right ones.
    pairs: integer("pairs").notNull().default(0),
    rightPairs: integer("right_pairs").notNull().default(0),
    restSum: doublePrecision("rest_sum").notNull().default(0),
    restSquares: doublePrecision("rest_squares").notNull().default(0),
    rightRestSum: doublePrecision("right_rest_sum").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.week, t.lessonId, t.questionKey, t.lessonVersionId] })],
);

/** First answers that picked each choice. */
export const choiceTallies = pgTable(
  "choice_tallies",
  {
    orgId: orgIdColumn(),
    week: text("week").notNull(),
    lessonId: lessonIdColumn(),
    questionKey: text("question_key").notNull(),
    lessonVersionId: lessonVersionIdColumn(),
    choice: text("choice").notNull(),
    picks: integer("picks").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.week, t.lessonId, t.questionKey, t.lessonVersionId, t.choice] })],
);

/** First answers by the credit they earned, in hundredths (0–100). */
export const creditTallies = pgTable(
  "credit_tallies",
  {
    orgId: orgIdColumn(),
    week: text("week").notNull(),
    lessonId: lessonIdColumn(),
    questionKey: text("question_key").notNull(),
    lessonVersionId: lessonVersionIdColumn(),
    credit: integer("credit").notNull(),
    answers: integer("answers").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.week, t.lessonId, t.questionKey, t.lessonVersionId, t.credit] })],
);

/** Boost answers 7, 30 or 90 days or more after the rep's card was made, and how many were right. */
export const recallTallies = pgTable(
  "recall_tallies",
  {
    orgId: orgIdColumn(),
    week: text("week").notNull(),
    lessonId: lessonIdColumn(),
    questionKey: text("question_key").notNull(),
    after: integer("after").notNull(),
    answers: integer("answers").notNull().default(0),
    correct: integer("correct").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.week, t.lessonId, t.questionKey, t.after] })],
);

// ---------------------------------------------------------------------------- activity

/** An append-only log shaped like xAPI statements: actor, verb, object, result, context. */
export const statements = pgTable(
  "statements",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    actorId: text("actor_id")
      .notNull()
      .references(() => users.id),
    verb: text("verb").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    objectName: text("object_name").notNull(),
    resultScore: doublePrecision("result_score"),
    resultSuccess: boolean("result_success"),
    resultDurationMs: integer("result_duration_ms"),
    teamId: text("team_id"),
    context: jsonb("context").$type<Record<string, string | number | boolean>>(),
    timestamp: timestampMs("timestamp").notNull(),
  },
  (t) => [
    index("statements_org_time").on(t.orgId, t.timestamp),
    index("statements_actor_time").on(t.actorId, t.timestamp),
  ],
);

/** One row per rep and day (in the organization's time zone), kept up to date as statements arrive. */
export const dailyActivity = pgTable(
  "daily_activity",
  {
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    day: text("day").notNull(),
    // The Monday of the day's week, so the weekly dashboards group by it without computing it on
    // every row they read. PostgreSQL has only stored generated columns, and their expression must
    // be immutable: flywheel_week_of(text) is created by a hand-written migration before the tables.
    week: text("week").generatedAlwaysAs(sql`flywheel_week_of("day")`),
    statements: integer("statements").notNull().default(0),
    lessonsOpened: integer("lessons_opened").notNull().default(0),
    lessonsCompleted: integer("lessons_completed").notNull().default(0),
    modulesCompleted: integer("modules_completed").notNull().default(0),
    questionsAnswered: integer("questions_answered").notNull().default(0),
    questionsCorrect: integer("questions_correct").notNull().default(0),
    secondsLearned: integer("seconds_learned").notNull().default(0),
    boostsCompleted: integer("boosts_completed").notNull().default(0),
    roleplaysSubmitted: integer("roleplays_submitted").notNull().default(0),
  },
  // The org/week index holds the columns the weekly dashboards read, in week order (decision 008);
  // the user/day index holds them for a team's reps, one index range per rep (decision 027).
  (t) => [
    primaryKey({ columns: [t.userId, t.day] }),
    index("daily_activity_org_week").on(t.orgId, t.week, t.userId, t.day, t.secondsLearned),
    index("daily_activity_user_day").on(t.userId, t.day, t.orgId, t.week, t.secondsLearned),
  ],
);

// ---------------------------------------------------------------------------- reinforcement

/** One FSRS card per rep and question (lesson + quiz key, stable across lesson versions). */
export const cards = pgTable(
  "cards",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    lessonId: lessonIdColumn(),
    questionKey: text("question_key").notNull(),
    due: timestampMs("due").notNull(),
    stability: doublePrecision("stability").notNull(),
    difficulty: doublePrecision("difficulty").notNull(),
    scheduledDays: integer("scheduled_days").notNull(),
    learningSteps: integer("learning_steps").notNull(),
    reps: integer("reps").notNull(),
    lapses: integer("lapses").notNull(),
    state: integer("state").notNull(),
    lastReview: timestampMs("last_review"),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("cards_user_question").on(t.userId, t.lessonId, t.questionKey),
    index("cards_user_due").on(t.userId, t.due),
    index("cards_org_user").on(t.orgId, t.userId),
  ],
);

export const reviewLogs = pgTable(
  "review_logs",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    cardId: text("card_id")
      .notNull()
      .references(() => cards.id),
    attemptId: text("attempt_id").references(() => attempts.id),
    rating: integer("rating").notNull(),
    state: integer("state").notNull(),
    stability: doublePrecision("stability").notNull(),
    difficulty: doublePrecision("difficulty").notNull(),
    scheduledDays: integer("scheduled_days").notNull(),
    // When the card had been due, and when it was reviewed.
    due: timestampMs("due").notNull(),
    reviewedAt: timestampMs("reviewed_at").notNull(),
  },
  (t) => [index("review_logs_card").on(t.cardId), index("review_logs_org_reviewed").on(t.orgId, t.reviewedAt)],
);

/** A day's boost: the cards chosen when the rep first opened it, so the set does not shift. */
export const boosts = pgTable(
  "boosts",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    day: text("day").notNull(),
    cardIds: jsonb("card_ids").$type<string[]>().notNull(),
    answered: jsonb("answered").$type<string[]>().notNull(),
    startedAt: timestampMs("started_at").notNull(),
    finishedAt: timestampMs("finished_at"),
    // The rep's pace (decision 023): the time from the question shown (the boost opened, or the
    // previous answer) to its answer, summed over the answers that took at most two minutes.
    lastAnswerAt: timestampMs("last_answer_at"),
    answeringMs: integer("answering_ms").notNull().default(0),
    timedAnswers: integer("timed_answers").notNull().default(0),
  },
  // The org/day index also carries what boost completion counts, so the dashboard reads no rows;
  // the user/day index does the same for a team's reps (decision 027).
  (t) => [
    uniqueIndex("boosts_user_day").on(t.userId, t.day),
    index("boosts_org_day").on(t.orgId, t.day, t.userId, t.finishedAt),
    index("boosts_user_day_finished").on(t.userId, t.day, t.orgId, t.finishedAt),
  ],
);

/**
 * One training of an organization's FSRS parameters (decision 024): asked for by an admin or
 * claimed by the weekly run (the unique claim: one run per organization and week, whatever the
 * number of servers), then what it measured on the most recent reviews and whether it kept them.
 */
export const parameterTrainings = pgTable(
  "parameter_trainings",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    // "weekly:<Monday>" or "request:<id>".
    claim: text("claim").notNull(),
    requestedBy: text("requested_by").references(() => users.id),
    requestedAt: timestampMs("requested_at").notNull(),
    startedAt: timestampMs("started_at"),
    finishedAt: timestampMs("finished_at"),
    status: text("status", { enum: TRAINING_STATUSES }).notNull(),
    // The repeat reviews (a card's second or later) it learned from and was tested on, and their reps.
    reviews: integer("reviews"),
    reps: integer("reps"),
    testReviews: integer("test_reviews"),
    currentLogLoss: doublePrecision("current_log_loss"),
    currentRmse: doublePrecision("current_rmse"),
    trainedLogLoss: doublePrecision("trained_log_loss"),
    trainedRmse: doublePrecision("trained_rmse"),
    parameters: jsonb("parameters").$type<number[]>(),
    // What a person reads: why the parameters were kept, discarded or not trained.
    reason: text("reason"),
    cardsRescheduled: integer("cards_rescheduled"),
  },
  (t) => [
    uniqueIndex("parameter_trainings_org_claim").on(t.orgId, t.claim),
    index("parameter_trainings_org_requested").on(t.orgId, t.requestedAt),
    index("parameter_trainings_status").on(t.status, t.requestedAt),
  ],
);

export const reminderPreferences = pgTable("reminder_preferences", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  orgId: orgIdColumn(),
  digest: boolean("digest").notNull().default(true),
  // The hash of the token in the digest's unsubscribe link.
  unsubscribeTokenHash: text("unsubscribe_token_hash"),
  // Whether the digest carries the first question's choices as one-tap answer links (decision 030).
  answerLinks: boolean("answer_links").notNull().default(true),
  // Push (decision 036): which kinds reach the rep's subscribed devices (none until a device is
  // subscribed), and whether the digest e-mail still comes on a day its boost went by push.
  pushBoost: boolean("push_boost").notNull().default(true),
  pushAssignments: boolean("push_assignments").notNull().default(true),
  pushReviews: boolean("push_reviews").notNull().default(true),
  digestWithPush: boolean("digest_with_push").notNull().default(false),
  // Whether a manager's role-play review is also told by e-mail.
  reviewMail: boolean("review_mail").notNull().default(true),
});

/** A vacation hold: no boosts and no digests from `startDay` until `endDay` (exclusive). */
export const vacations = pgTable(
  "vacations",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    startDay: text("start_day").notNull(),
    endDay: text("end_day").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("vacations_user").on(t.userId)],
);

/** Written before a digest is sent: the primary key makes a second send impossible. */
export const digestSends = pgTable(
  "digest_sends",
  {
    userId: userIdColumn(),
    day: text("day").notNull(),
    orgId: orgIdColumn(),
    outboxId: text("outbox_id"),
    sentAt: timestampMs("sent_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.day] })],
);

/**
 * A one-tap answer link in a digest (decision 030): only the SHA-256 of its token is stored. It
 * answers one card of one boost for one rep, once, until the organization's next day begins.
 */
export const answerLinks = pgTable(
  "answer_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    boostId: text("boost_id")
      .notNull()
      .references(() => boosts.id),
    cardId: text("card_id")
      .notNull()
      .references(() => cards.id),
    day: text("day").notNull(),
    expiresAt: timestampMs("expires_at").notNull(),
    // Set, in the answer's transaction, by the one submission that used it.
    usedAt: timestampMs("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("answer_links_user").on(t.userId), index("answer_links_expires").on(t.expiresAt)],
);

// ---------------------------------------------------------------------------- practice

export const roleplaySubmissions = pgTable(
  "roleplay_submissions",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    roleplayId: text("roleplay_id")
      .notNull()
      .references(() => roleplays.id),
    lessonId: lessonIdColumn(),
    lessonVersionId: lessonVersionIdColumn(),
    roleplayKey: text("roleplay_key").notNull(),
    mode: text("mode", { enum: ["branching", "open"] }).notNull(),
    status: text("status", { enum: ROLEPLAY_STATUSES }).notNull(),
    path: jsonb("path").$type<BranchStep[]>().notNull(),
    replies: jsonb("replies").$type<OpenReply[]>().notNull(),
    // Branching: points earned over the best path's points, 0–100. Open: null.
    autoScore: doublePrecision("auto_score"),
    selfScores: jsonb("self_scores").$type<Record<string, number>>(),
    selfScore: doublePrecision("self_score"),
    managerScores: jsonb("manager_scores").$type<Record<string, number>>(),
    managerScore: doublePrecision("manager_score"),
    managerComment: text("manager_comment"),
    reviewerId: text("reviewer_id").references(() => users.id),
    createdAt: timestampMs("created_at").notNull(),
    submittedAt: timestampMs("submitted_at"),
    reviewedAt: timestampMs("reviewed_at"),
  },
  (t) => [
    index("roleplay_submissions_user").on(t.userId, t.lessonId, t.roleplayKey),
    index("roleplay_submissions_org_status").on(t.orgId, t.status, t.submittedAt),
  ],
);

export const recordings = pgTable(
  "recordings",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    submissionId: text("submission_id").references(() => roleplaySubmissions.id),
    // A server-generated file name under the recordings folder; never the uploader's name.
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    bytes: integer("bytes").notNull(),
    // Read from the file itself (features/practice/audio-files.server.ts); empty only on rows
    // stored before the container was parsed.
    durationMs: integer("duration_ms"),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    // Also finds the unattached ones by age, for the hourly clean-up of orphans.
    index("recordings_submission").on(t.submissionId, t.createdAt),
    // A rep's uploads of the last 24 hours, for the daily quota.
    index("recordings_user_created").on(t.userId, t.createdAt),
  ],
);

export const notifications = pgTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    title: text("title").notNull(),
    link: text("link").notNull(),
    createdAt: timestampMs("created_at").notNull(),
    readAt: timestampMs("read_at"),
  },
  (t) => [index("notifications_user").on(t.userId, t.readAt)],
);

// ---------------------------------------------------------------------------- coaching

/**
 * A manager's nudge to a rep: a message sent by e-mail through the outbox from the rep's page in
 * Insights. Kept to throttle them (one per rep in any 24 hours, decision 026) and to show the last.
 */
export const nudges = pgTable(
  "nudges",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    sentBy: text("sent_by")
      .notNull()
      .references(() => users.id),
    message: text("message").notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [index("nudges_user_created").on(t.userId, t.createdAt)],
);

/**
 * Who must do what by when. Recipients are the reps picked one by one plus, for a team
 * assignment, whoever is a member of the team now (so reps who join later get it too).
 */
export const assignments = pgTable(
  "assignments",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: ASSIGNMENT_KINDS }).notNull(),
    // A lesson or a module id; a role-play is the lesson that holds it plus its key.
    targetId: text("target_id").notNull(),
    roleplayKey: text("roleplay_key"),
    title: text("title").notNull(),
    teamId: text("team_id").references(() => teams.id),
    dueDay: text("due_day").notNull(),
    note: text("note").notNull().default(""),
    createdAt: timestampMs("created_at").notNull(),
    cancelledAt: timestampMs("cancelled_at"),
  },
  (t) => [index("assignments_org").on(t.orgId, t.createdAt), index("assignments_team").on(t.teamId)],
);

export const assignmentReps = pgTable(
  "assignment_reps",
  {
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id),
    userId: userIdColumn(),
    orgId: orgIdColumn(),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.userId] }), index("assignment_reps_user").on(t.userId)],
);

/** Retention per rep and skill, one row a day, so dashboards chart it without scanning cards. */
export const retentionSnapshots = pgTable(
  "retention_snapshots",
  {
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    skill: text("skill").notNull(),
    day: text("day").notNull(),
    cards: integer("cards").notNull(),
    meanRetrievability: doublePrecision("mean_retrievability").notNull(),
    atRisk: integer("at_risk").notNull(),
    mastered: integer("mastered").notNull(),
    // The mean recall expected 30 days after the snapshot if the rep keeps their boost habit
    // (docs/metrics.md): written for today's snapshot only, so null on older days.
    forecastRetrievability: doublePrecision("forecast_retrievability"),
  },
  // The org/day index carries every column the dashboards read (recall over time, heat map,
  // reps at risk, the forecast): a whole organization's snapshots of a day come from the index
  // alone. The user/day index does the same for a team's reps, a range per rep (decision 027).
  (t) => [
    primaryKey({ columns: [t.userId, t.skill, t.day] }),
    index("retention_snapshots_org_day").on(
      t.orgId,
      t.day,
      t.skill,
      t.userId,
      t.meanRetrievability,
      t.cards,
      t.atRisk,
      t.forecastRetrievability,
    ),
    index("retention_snapshots_user_day").on(
      t.userId,
      t.day,
      t.orgId,
      t.skill,
      t.meanRetrievability,
      t.cards,
      t.atRisk,
      t.forecastRetrievability,
    ),
  ],
);

// ---------------------------------------------------------------------------- forms

/**
 * One row per create form carried out: its key (rendered fresh into the form by the page) and
 * what it created. The same form sent twice finds its row and answers with the first result.
 */
export const formSubmissions = pgTable(
  "form_submissions",
  {
    userId: userIdColumn(),
    key: text("key").notNull(),
    orgId: orgIdColumn(),
    resultId: text("result_id").notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);

// ---------------------------------------------------------------------------- audit trail

// Who changed people, teams and the organization's settings, when, and from where (decision 029).
// Kept at least a year: the scheduled work deletes events older than 400 days, never younger.
export const auditEvents = pgTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    // Null for the system (a scheduled job); kept as a name in `actorLabel` if the account goes.
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    actorLabel: text("actor_label"),
    action: text("action").notNull(),
    subjectType: text("subject_type", { enum: AUDIT_SUBJECTS }).notNull(),
    subjectId: text("subject_id"),
    // The subject as a person reads it when the event happened (an e-mail, a team's name).
    subjectLabel: text("subject_label").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
    source: text("source", { enum: AUDIT_SOURCES }).notNull(),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [
    index("audit_events_org_time").on(t.orgId, t.createdAt),
    index("audit_events_org_subject").on(t.orgId, t.subjectLabel, t.createdAt),
    index("audit_events_time").on(t.createdAt),
  ],
);

// ---------------------------------------------------------------------------- push

/** A server-wide key pair or secret made at first start and kept here (the VAPID keys: decision 036). */
export const serverKeys = pgTable("server_keys", {
  name: text("name").primaryKey(),
  publicKey: text("public_key").notNull(),
  privateKey: text("private_key").notNull(),
  createdAt: createdAt(),
});

/** One device a rep subscribed to push on: its push service endpoint and its keys (RFC 8291). */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    // What the rep sees in the list of devices ("Chrome on Android"), from the subscribing page.
    label: text("label").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("push_subscriptions_endpoint").on(t.endpoint), index("push_subscriptions_user").on(t.userId)],
);

/**
 * The push queue (decision 036): one row per notification and device, claimed before it is sent.
 * `once` is "<kind>:<day>" (one of a kind a day per device) or "test:<id>".
 */
export const pushSends = pgTable(
  "push_sends",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    userId: userIdColumn(),
    // No reference: the row outlives a subscription the push service reports gone.
    subscriptionId: text("subscription_id").notNull(),
    kind: text("kind", { enum: PUSH_KINDS }).notNull(),
    once: text("once").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    url: text("url").notNull(),
    status: text("status", { enum: PUSH_STATUSES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestampMs("next_attempt_at").notNull(),
    claimedAt: timestampMs("claimed_at"),
    finishedAt: timestampMs("finished_at"),
    error: text("error"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("push_sends_subscription_once").on(t.subscriptionId, t.once),
    index("push_sends_status_next").on(t.status, t.nextAttemptAt),
    index("push_sends_user").on(t.userId),
  ],
);

// ---------------------------------------------------------------------------- provisioning (SCIM)

// A bearer token an organization's identity provider provisions people with (decision 034): the
// token is `<id>.<secret>` like a session's, only SHA-256 of the secret is stored.
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: text("id").primaryKey(),
    orgId: orgIdColumn(),
    label: text("label").notNull(),
    secretHash: bytea("secret_hash").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestampMs("created_at").notNull(),
    lastUsedAt: timestampMs("last_used_at"),
    revokedAt: timestampMs("revoked_at"),
  },
  (t) => [index("scim_tokens_org").on(t.orgId, t.createdAt)],
);

// What the identity provider said about a person that Flywheel has no column for: its own id for
// them (externalId), their name in parts and their manager (the enterprise extension's manager), kept to answer GETs.
export const scimUsers = pgTable(
  "scim_users",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: orgIdColumn(),
    externalId: text("external_id"),
    // The provider's userName, lower-cased, when it is not the account's address (Entra's
    // userPrincipalName beside the person's mail): the address follows the work e-mail.
    userName: text("user_name"),
    // The name in parts, as the provider sends it: a PATCH of one part makes the name from both.
    givenName: text("given_name"),
    familyName: text("family_name"),
    managerId: text("manager_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("scim_users_org_external").on(t.orgId, t.externalId)],
);

// ---------------------------------------------------------------------------- single sign-on

// An organization's OpenID Connect provider (decision 033). The client secret is kept as the
// provider issued it, because the token request must send it; the admin page shows only its end.
export const ssoConnections = pgTable("sso_connections", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organizations.id),
  providerName: text("provider_name").notNull(),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecret: text("client_secret").notNull(),
  defaultRole: text("default_role", { enum: ROLES }).notNull().default("rep"),
  // Password sign-in is off for the organization's people, admins excepted.
  requireSso: boolean("require_sso").notNull().default(false),
  createdAt: createdAt(),
  updatedAt: timestampMs("updated_at").notNull(),
});

// The e-mail domains an organization signs in with its provider: one organization a domain.
export const ssoDomains = pgTable(
  "sso_domains",
  {
    domain: text("domain").primaryKey(),
    orgId: orgIdColumn(),
    createdAt: createdAt(),
  },
  (t) => [index("sso_domains_org").on(t.orgId)],
);

// One sign-in under way at the provider: the state is kept as its SHA-256, with the PKCE verifier,
// the nonce, the issuer it was sent to and the hash of a cookie secret that binds it to the browser
// that started it. Used once: `usedAt` is set before the code is redeemed.
export const ssoLogins = pgTable(
  "sso_logins",
  {
    stateHash: text("state_hash").primaryKey(),
    orgId: orgIdColumn(),
    issuer: text("issuer").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    nonce: text("nonce").notNull(),
    browserHash: text("browser_hash").notNull(),
    returnTo: text("return_to").notNull(),
    createdAt: timestampMs("created_at").notNull(),
    expiresAt: timestampMs("expires_at").notNull(),
    usedAt: timestampMs("used_at"),
  },
  (t) => [index("sso_logins_expiry").on(t.expiresAt)],
);

// The provider's account (issuer and subject) behind a Flywheel account, recorded at its first
// single sign-on: later sign-ins find the account by it, whatever the address says then.
export const ssoIdentities = pgTable(
  "sso_identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    orgId: orgIdColumn(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestampMs("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), uniqueIndex("sso_identities_user").on(t.userId)],
);

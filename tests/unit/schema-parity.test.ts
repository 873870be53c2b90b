import { sql, type SQL, type Table } from "drizzle-orm";
import { boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as pg from "~/db/schema.pg";
import * as sqlite from "~/db/schema.sqlite";
import { schemaDifferences, type AllowedDifference } from "../support/schema-parity";

/** Where the two schemas are meant to differ: the same meaning, spelled in each engine's SQL. */
const ALLOWED: AllowedDifference[] = [
  {
    property: "default",
    sqlite: "sql (cast(unixepoch('subsecond') * 1000 as integer))",
    pg: "sql (extract(epoch from clock_timestamp()) * 1000)::bigint",
    reason: "created_at defaults: the current time in epoch milliseconds, each engine has its own functions for it",
  },
  {
    property: "generated",
    columns: ["daily_activity.week"],
    sqlite: `always as date("day", '-6 days', 'weekday 1')`,
    pg: `always as flywheel_week_of("day")`,
    reason:
      "daily_activity.week: PostgreSQL needs an immutable generation expression and its text-to-date casts are only stable, " +
      "so the migration's flywheel_week_of(text) computes the same Monday",
  },
  {
    property: "type",
    columns: ["throttles.window_start"],
    sqlite: "SQLiteInteger → PgInteger",
    pg: "PgBigInt53",
    reason: "throttles.window_start holds epoch milliseconds: SQLite's integer is 64-bit, PostgreSQL's integer only 32",
  },
];

describe("schema parity", () => {
  it("the SQLite and PostgreSQL schemas describe the same tables", () => {
    expect(schemaDifferences(sqlite, pg, ALLOWED)).toEqual([]);
  });

  it("a mutated schema fails the parity check", () => {
    // Copies of four PostgreSQL tables, each changed where its comments say, and one table left out.
    const userRoles = pgTable(
      "user_roles",
      {
        orgId: text("org_id")
          .notNull()
          .references(() => pg.organizations.id),
        userId: text("user_id") // no onDelete
          .notNull()
          .references(() => pg.users.id),
        role: text("role", { enum: ["rep", "manager"] }).notNull(), // fewer roles
      },
      (t) => [primaryKey({ columns: [t.role, t.userId] })], // columns swapped
    );
    const questions = pgTable(
      "questions",
      {
        id: text("id").primaryKey(),
        lessonVersionId: text("lesson_version_id")
          .notNull()
          .references(() => pg.lessonVersions.id),
        lessonId: text("lesson_id")
          .notNull()
          .references(() => pg.lessons.id),
        key: text("key"), // nullable
        kind: text("kind", { enum: ["single", "multiple"] }).notNull(),
        // no prompt
        choices: jsonb("choices").notNull(),
        position: doublePrecision("position").notNull(), // not an integer
      },
      (t) => [index("questions_version_key").on(t.lessonVersionId, t.key)], // not unique; questions_lesson_key dropped
    );
    const reminderPreferences = pgTable("reminder_preferences", {
      userId: text("user_id")
        .primaryKey()
        .references(() => pg.users.id),
      orgId: text("org_id")
        .notNull()
        .references(() => pg.organizations.id),
      digest: boolean("digest").notNull().default(false), // was true
      unsubscribeTokenHash: text("unsubscribe_token_hash"),
      answerLinks: boolean("answer_links").notNull().default(true),
      pushBoost: boolean("push_boost").notNull().default(true),
      pushAssignments: boolean("push_assignments").notNull().default(true),
      pushReviews: boolean("push_reviews").notNull().default(true),
      digestWithPush: boolean("digest_with_push").notNull().default(false),
      reviewMail: boolean("review_mail").notNull().default(true),
    });
    const dailyActivity = dailyActivityCopy(sql`flywheel_week_of("day")`, 1); // statements default was 0
    const { vacations: _dropped, ...withoutVacations } = pg;
    const mutated = { ...withoutVacations, userRoles, questions, reminderPreferences, dailyActivity };

    const differences = schemaDifferences(sqlite, mutated, ALLOWED);
    const expected = [
      'user_roles.role: enum differs (SQLite: ["rep","manager","trainer","admin"]; PostgreSQL: ["rep","manager"])',
      "user_roles: primary key differs (SQLite: (user_id, role); PostgreSQL: (role, user_id))",
      "user_roles: foreign key (user_id) differs " +
        "(SQLite: → users(id) on delete cascade on update no action; PostgreSQL: → users(id) on delete no action on update no action)",
      "questions.key: notNull differs (SQLite: true; PostgreSQL: false)",
      "questions.prompt: column missing in PostgreSQL",
      "questions.position: type differs (SQLite: SQLiteInteger → PgInteger; PostgreSQL: PgDoublePrecision)",
      "questions: index questions_version_key differs (SQLite: unique (lesson_version_id, key); PostgreSQL: (lesson_version_id, key))",
      "questions: index questions_lesson_key missing in PostgreSQL",
      "reminder_preferences.digest: default differs (SQLite: true; PostgreSQL: false)",
      "daily_activity.statements: default differs (SQLite: 0; PostgreSQL: 1)",
      "vacations: table missing in PostgreSQL",
    ];
    expect(differences).toEqual(expect.arrayContaining(expected));
    expect(differences).toHaveLength(expected.length);
  });

  it("an allowed difference covers only the expressions it names", () => {
    const dailyActivity = dailyActivityCopy(sql`flywheel_week_of("day", 'sunday')`);
    expect(schemaDifferences(sqlite, { ...pg, dailyActivity }, ALLOWED)).toEqual([
      `daily_activity.week: generated differs (SQLite: always as date("day", '-6 days', 'weekday 1'); ` +
        `PostgreSQL: always as flywheel_week_of("day", 'sunday'))`,
      `allowed difference no longer occurs: generated (${ALLOWED[1]!.reason})`,
    ]);
  });

  it("the row types of the two schemas are the same", () => {
    // Checked by tsc (npm run typecheck); at run time expectTypeOf does nothing.
    type RowTypes<Module> = {
      [Name in keyof Module]: Module[Name] extends Table
        ? { select: Module[Name]["$inferSelect"]; insert: Module[Name]["$inferInsert"] }
        : never;
    };
    expectTypeOf<RowTypes<typeof pg>>().toEqualTypeOf<RowTypes<typeof sqlite>>();
  });
});

// A copy of PostgreSQL's daily_activity with another week expression and statements default.
function dailyActivityCopy(week: SQL, statementsDefault = 0) {
  const counter = (name: string) => integer(name).notNull().default(0);
  return pgTable(
    "daily_activity",
    {
      orgId: text("org_id")
        .notNull()
        .references(() => pg.organizations.id),
      userId: text("user_id")
        .notNull()
        .references(() => pg.users.id),
      day: text("day").notNull(),
      week: text("week").generatedAlwaysAs(week),
      statements: integer("statements").notNull().default(statementsDefault),
      lessonsOpened: counter("lessons_opened"),
      lessonsCompleted: counter("lessons_completed"),
      modulesCompleted: counter("modules_completed"),
      questionsAnswered: counter("questions_answered"),
      questionsCorrect: counter("questions_correct"),
      secondsLearned: counter("seconds_learned"),
      boostsCompleted: counter("boosts_completed"),
      roleplaysSubmitted: counter("roleplays_submitted"),
    },
    (t) => [
      primaryKey({ columns: [t.userId, t.day] }),
      index("daily_activity_org_week").on(t.orgId, t.week, t.userId, t.day, t.secondsLearned),
      index("daily_activity_user_day").on(t.userId, t.day, t.orgId, t.week, t.secondsLearned),
    ],
  );
}

import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  closeDatabase,
  db,
  engineName,
  first,
  postgresPool,
  rows,
  runSql,
  sqliteClient,
  transaction,
  type Handle,
} from "~/db/connection.server";
import { dailyActivity, lessonProgress, lessons, statements } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import { syncLibrary } from "~/features/content/sync.server";
import { recordLessonOpened } from "~/features/learning/progress.server";
import { lessonSource, makeContentDir } from "../support/content";
import { makeOrg, makeTeam, makeUser } from "../support/people";

const postgres = engineName() === "postgres";

/**
 * Whether a commit waits for the disk: SQLite's synchronous pragma on the connection (2 = FULL,
 * 1 = NORMAL), or PostgreSQL's synchronous_commit ("on", "off") as `handle` sees it.
 */
async function synchronous(handle: Handle = db()): Promise<number | string> {
  if (!postgres) return sqliteClient().pragma("synchronous", { simple: true }) as number;
  return (await rows<{ value: string }>(handle, sql`select current_setting('synchronous_commit') as value`))[0]!.value;
}
const DURABLE = postgres ? "on" : 2; // 2 = FULL
const NOT_DURABLE = postgres ? "off" : 1; // 1 = NORMAL

/** The error the driver itself raised, from under drizzle's "Failed query" wrapper; undefined if nothing failed. */
async function failureOf(work: Promise<unknown>): Promise<{ message?: string; code?: string } | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    let found = error as { cause?: unknown; message?: string; code?: string };
    while (found.cause) found = found.cause as typeof found;
    return found;
  }
}

const insertUserOfNoOrg = () =>
  runSql(db(), sql`insert into users (id, org_id, email, name) values ('u', 'no-such-org', 'a@b.c', 'A')`);

describe("the database connection", () => {
  // The throw-away test server runs with synchronous_commit off for speed (its data is expendable):
  // this file's database gets PostgreSQL's default back, so that only what the app changes shows.
  beforeAll(async () => {
    if (!postgres) return;
    const name = (await rows<{ name: string }>(db(), sql`select current_database() as name`))[0]!.name;
    await runSql(db(), sql.raw(`alter database "${name.replaceAll('"', '""')}" set synchronous_commit = on`));
    await closeDatabase(); // new connections read the database's settings
  });

  it("runs with WAL, foreign keys, a 5 s busy timeout and synchronous FULL", async () => {
    if (postgres) {
      // PostgreSQL always writes ahead and checks foreign keys; what the app could change is checked.
      const refused = await failureOf(insertUserOfNoOrg());
      expect(refused?.code).toBe("23503"); // foreign_key_violation
      // A request waits at most 5 s for a connection, as a SQLite one waits at most 5 s for the lock.
      expect(postgresPool().options.connectionTimeoutMillis).toBe(5000);
      // Ordinary transactions wait for the disk at commit.
      expect(await synchronous()).toBe("on");
      expect(await transaction(db(), (tx) => synchronous(tx))).toBe("on");
      return;
    }
    const sqlite = sqliteClient();
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(await synchronous()).toBe(2); // 2 = FULL
  });

  it("refuses rows that point at nothing", async () => {
    const refused = await failureOf(insertUserOfNoOrg());
    expect(refused?.message).toMatch(postgres ? /violates foreign key constraint/ : /FOREIGN KEY/);
  });

  it("commits a view without waiting for the disk, then goes back to FULL, even when the work fails", async () => {
    const seen = await transaction(db(), (tx) => synchronous(tx), { durable: false });
    expect(seen).toBe(NOT_DURABLE);
    expect(await synchronous()).toBe(DURABLE);
    expect(await transaction(db(), (tx) => synchronous(tx))).toBe(DURABLE);
    await expect(
      transaction(
        db(),
        async () => {
          throw new Error("boom");
        },
        { durable: false },
      ),
    ).rejects.toThrow("boom");
    expect(await synchronous()).toBe(DURABLE);
    expect(await transaction(db(), (tx) => synchronous(tx))).toBe(DURABLE);
    // Inside an ordinary transaction the outer commit decides.
    expect(await transaction(db(), (tx) => transaction(tx, (inner) => synchronous(inner), { durable: false }))).toBe(
      DURABLE,
    );
  });
});

describe("the prepared activity statements", () => {
  it("store nulls as nulls, booleans as 0/1 (PostgreSQL: as booleans), context as JSON, and add counters into the day", async () => {
    const org = await makeOrg();
    const rep = await makeUser(org.id, ["rep"]);
    const at = new Date("2026-03-02T10:00:00Z");
    const base = { orgId: org.id, timezone: "UTC", actorId: rep.id, timestamp: at } as const;
    await transaction(db(), async (tx) => {
      await recordStatement(
        tx,
        { ...base, verb: "opened", object: { type: "lesson", id: "l1", name: "Lesson" } },
        { lessonsOpened: 1 },
      );
      await recordStatement(
        tx,
        {
          ...base,
          verb: "answered",
          object: { type: "question", id: "q1", name: "Q" },
          result: { success: false, score: 0 },
          context: { lesson: "l1", first: true },
        },
        { questionsAnswered: 1 },
      );
      await recordStatement(
        tx,
        {
          ...base,
          verb: "answered",
          object: { type: "question", id: "q2", name: "Q" },
          result: { success: true, score: 1 },
        },
        { questionsAnswered: 1, questionsCorrect: 1 },
      );
    });
    // The context as text: a JSON null would read back as null too, an SQL NULL as no text at all.
    const stored = await rows(
      db(),
      sql`select object_id, result_success, result_score, cast(context as text) as context, "timestamp" from statements where actor_id = ${rep.id} order by object_id`,
    );
    // jsonb keeps its own text form of the object (keys by length, ", " and ": " between).
    const [no, yes, context] = postgres
      ? [false, true, '{"first": true, "lesson": "l1"}']
      : [0, 1, JSON.stringify({ lesson: "l1", first: true })];
    expect(stored).toEqual([
      { object_id: "l1", result_success: null, result_score: null, context: null, timestamp: at.getTime() },
      { object_id: "q1", result_success: no, result_score: 0, context, timestamp: at.getTime() },
      { object_id: "q2", result_success: yes, result_score: 1, context: null, timestamp: at.getTime() },
    ]);
    expect(
      (await first(db().select().from(statements).where(eq(statements.objectId, "q1")).limit(1)))?.context,
    ).toEqual({ lesson: "l1", first: true });
    const day = await first(db().select().from(dailyActivity).where(eq(dailyActivity.userId, rep.id)).limit(1));
    expect(day).toMatchObject({
      day: "2026-03-02",
      statements: 3,
      lessonsOpened: 1,
      questionsAnswered: 2,
      questionsCorrect: 1,
      secondsLearned: 0,
    });
  });

  it("carry the team the actor is a member of when they are recorded, and no team for someone in none", async () => {
    const org = await makeOrg();
    const [rep, loner, manager] = [
      await makeUser(org.id, ["rep"]),
      await makeUser(org.id, ["rep"]),
      await makeUser(org.id, ["manager"]),
    ];
    // A manager of a team is not its member: only membership names the statement's team.
    const team = await makeTeam(org.id, "East", [
      { userId: rep.id, role: "member" },
      { userId: manager.id, role: "manager" },
    ]);
    const at = new Date("2026-03-02T10:00:00Z");
    await transaction(db(), async (tx) => {
      for (const actor of [rep, loner, manager])
        await recordStatement(tx, {
          orgId: org.id,
          timezone: "UTC",
          actorId: actor.id,
          verb: "opened",
          object: { type: "lesson", id: "l1", name: "Lesson" },
          timestamp: at,
        });
    });
    const teamOf = async (actorId: string) =>
      (await first(db().select({ teamId: statements.teamId }).from(statements).where(eq(statements.actorId, actorId))))
        ?.teamId;
    expect(await teamOf(rep.id)).toBe(team.id);
    expect(await teamOf(loner.id)).toBeNull();
    expect(await teamOf(manager.id)).toBeNull();
  });

  it("log a lesson's first opening, not a re-read within the reading session", async () => {
    const org = await makeOrg();
    const rep = { ...(await makeUser(org.id, ["rep"])), timezone: "UTC" };
    await syncLibrary(db(), { dir: makeContentDir({ "01-first.mdx": lessonSource("First") }), owner: org.id });
    const lesson = (await first(
      db()
        .select({ id: lessons.id, title: lessons.title, versionId: lessons.currentVersionId })
        .from(lessons)
        .where(eq(lessons.owner, org.id))
        .limit(1),
    ))!;
    const open = (at: string) =>
      recordLessonOpened(db(), rep, { id: lesson.id, title: lesson.title, versionId: lesson.versionId! }, new Date(at));
    expect(await open("2026-03-02T10:00:00Z")).toBe("started");
    await open("2026-03-02T10:10:00Z");
    await open("2026-03-02T11:00:00Z");
    expect(await db().select().from(statements).where(eq(statements.actorId, rep.id))).toHaveLength(2);
    expect(
      await first(db().select().from(dailyActivity).where(eq(dailyActivity.userId, rep.id)).limit(1)),
    ).toMatchObject({ statements: 2, lessonsOpened: 1 });
    const progress = (await first(
      db().select().from(lessonProgress).where(eq(lessonProgress.userId, rep.id)).limit(1),
    ))!;
    expect(progress.startedAt).toEqual(new Date("2026-03-02T10:00:00Z"));
    expect(progress.lastSeenAt).toEqual(new Date("2026-03-02T11:00:00Z"));
    expect(progress.startedVersionId).toBe(lesson.versionId);
  });
});

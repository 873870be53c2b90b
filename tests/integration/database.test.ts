import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transactionWithoutSync } from "~/db/connection.server";
import { dailyActivity, lessonProgress, lessons, statements } from "~/db/schema";
import { recordStatement } from "~/features/activity/statements.server";
import { syncLibrary } from "~/features/content/sync.server";
import { recordLessonOpened } from "~/features/learning/progress.server";
import { lessonSource, makeContentDir } from "../support/content";
import { makeOrg, makeUser } from "../support/people";

const synchronous = () => db().$client.pragma("synchronous", { simple: true });

describe("the database connection", () => {
  it("runs with WAL, foreign keys, a 5 s busy timeout and synchronous FULL", () => {
    const sqlite = db().$client;
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(synchronous()).toBe(2); // 2 = FULL
  });

  it("refuses rows that point at nothing", () => {
    expect(() => db().$client.prepare("insert into users (id, org_id, email, name) values ('u', 'no-such-org', 'a@b.c', 'A')").run()).toThrow(/FOREIGN KEY/);
  });

  it("commits a view without waiting for the disk, then goes back to FULL, even when the work fails", () => {
    const seen = transactionWithoutSync(() => synchronous());
    expect(seen).toBe(1); // 1 = NORMAL
    expect(synchronous()).toBe(2);
    expect(() =>
      transactionWithoutSync(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(synchronous()).toBe(2);
    // Inside an ordinary transaction the outer commit decides.
    expect(db().transaction(() => transactionWithoutSync(() => synchronous()))).toBe(2);
  });
});

describe("the prepared activity statements", () => {
  it("store nulls as nulls, booleans as 0/1, context as JSON, and add counters into the day", async () => {
    const org = await makeOrg();
    const rep = await makeUser(org.id, ["rep"]);
    const at = new Date("2026-03-02T10:00:00Z");
    const base = { orgId: org.id, timezone: "UTC", actorId: rep.id, timestamp: at } as const;
    db().transaction((tx) => {
      recordStatement(tx, { ...base, verb: "opened", object: { type: "lesson", id: "l1", name: "Lesson" } }, { lessonsOpened: 1 });
      recordStatement(tx, { ...base, verb: "answered", object: { type: "question", id: "q1", name: "Q" }, result: { success: false, score: 0 }, context: { lesson: "l1", first: true } }, { questionsAnswered: 1 });
      recordStatement(tx, { ...base, verb: "answered", object: { type: "question", id: "q2", name: "Q" }, result: { success: true, score: 1 } }, { questionsAnswered: 1, questionsCorrect: 1 });
    });
    const rows = db().$client.prepare("select object_id, result_success, result_score, context, timestamp from statements where actor_id = ? order by object_id").all(rep.id);
    expect(rows).toEqual([
      { object_id: "l1", result_success: null, result_score: null, context: null, timestamp: at.getTime() },
      { object_id: "q1", result_success: 0, result_score: 0, context: JSON.stringify({ lesson: "l1", first: true }), timestamp: at.getTime() },
      { object_id: "q2", result_success: 1, result_score: 1, context: null, timestamp: at.getTime() },
    ]);
    expect(db().select().from(statements).where(eq(statements.objectId, "q1")).get()?.context).toEqual({ lesson: "l1", first: true });
    const day = db().select().from(dailyActivity).where(eq(dailyActivity.userId, rep.id)).get();
    expect(day).toMatchObject({ day: "2026-03-02", statements: 3, lessonsOpened: 1, questionsAnswered: 2, questionsCorrect: 1, secondsLearned: 0 });
  });

  it("log a lesson's first opening, not a re-read within the reading session", async () => {
    const org = await makeOrg();
    const rep = { ...(await makeUser(org.id, ["rep"])), timezone: "UTC" };
    await syncLibrary({ dir: makeContentDir({ "01-first.mdx": lessonSource("First") }), owner: org.id });
    const lesson = db().select({ id: lessons.id, title: lessons.title, versionId: lessons.currentVersionId }).from(lessons).where(eq(lessons.owner, org.id)).get()!;
    const open = (at: string) => recordLessonOpened(rep, { id: lesson.id, title: lesson.title, versionId: lesson.versionId! }, new Date(at));
    expect(open("2026-03-02T10:00:00Z")).toBe("started");
    open("2026-03-02T10:10:00Z");
    open("2026-03-02T11:00:00Z");
    expect(db().select().from(statements).where(eq(statements.actorId, rep.id)).all()).toHaveLength(2);
    expect(db().select().from(dailyActivity).where(eq(dailyActivity.userId, rep.id)).get()).toMatchObject({ statements: 2, lessonsOpened: 1 });
    const progress = db().select().from(lessonProgress).where(eq(lessonProgress.userId, rep.id)).get()!;
    expect(progress.startedAt).toEqual(new Date("2026-03-02T10:00:00Z"));
    expect(progress.lastSeenAt).toEqual(new Date("2026-03-02T11:00:00Z"));
    expect(progress.startedVersionId).toBe(lesson.versionId);
  });
});

import fs from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { attempts, lessonProgress, lessons, lessonVersions, modules, questions } from "~/db/schema";
import { lessonToContinue } from "~/features/content/catalog.server";
import { checkLibrary } from "~/features/content/check.server";
import { syncLibrary } from "~/features/content/sync.server";
import { recordLessonOpened } from "~/features/learning/progress.server";
import { findCurrentQuestion } from "~/features/content/questions.server";
import { answerQuestion } from "~/features/learning/answers.server";
import { emptyContentDir, lessonSource, makeContentDir } from "../support/content";
import { makeOrg, makeUser } from "../support/people";
import { orgLesson } from "../support/learning";

const quiz = [
  {
    id: "q1",
    choices: [
      ["yes", true],
      ["no", false],
    ] as Array<[string, boolean]>,
  },
];

describe("content sync", () => {
  it("compiles a changed lesson into a new version, leaves the unchanged one alone, and old attempts keep their version", async () => {
    const owner = (await makeOrg()).id;
    const dir = makeContentDir({
      "01-first.mdx": lessonSource("First", quiz),
      "02-second.mdx": lessonSource("Second", quiz),
    });
    expect(await syncLibrary(db(), { dir, owner })).toMatchObject({ compiled: 2, unchanged: 0, archived: 0 });

    const firstLesson = (await first(
      db()
        .select()
        .from(lessons)
        .where(and(eq(lessons.owner, owner), eq(lessons.slug, "first")))
        .limit(1),
    ))!;
    const user = await makeUser(owner, ["rep"]);
    const before = (await findCurrentQuestion(db(), firstLesson.id, "q1"))!;
    await answerQuestion(db(), {
      user: { ...user, timezone: "UTC" },
      question: before,
      lessonTitle: "First",
      chosen: ["c1"],
      submissionId: "s-1",
      context: "lesson",
    });

    fs.writeFileSync(path.join(dir, "testing", "01-first.mdx"), lessonSource("First", quiz, "A new paragraph."));
    expect(await syncLibrary(db(), { dir, owner })).toMatchObject({ compiled: 1, unchanged: 1 });

    const versions = await db().select().from(lessonVersions).where(eq(lessonVersions.lessonId, firstLesson.id));
    expect(versions).toHaveLength(2);
    const current = (await first(db().select().from(lessons).where(eq(lessons.id, firstLesson.id)).limit(1)))!;
    expect(current.currentVersionId).not.toBe(firstLesson.currentVersionId);
    const attempt = (await first(db().select().from(attempts).where(eq(attempts.userId, user.id)).limit(1)))!;
    expect(attempt.lessonVersionId).toBe(firstLesson.currentVersionId);
    expect((await findCurrentQuestion(db(), firstLesson.id, "q1"))!.lessonVersionId).toBe(current.currentVersionId);
    // Both versions keep their extracted questions.
    expect(await db().select().from(questions).where(eq(questions.lessonId, firstLesson.id))).toHaveLength(2);
  });

  it("a restart with nothing changed compiles nothing", async () => {
    const owner = (await makeOrg()).id;
    const dir = makeContentDir({ "01-only.mdx": lessonSource("Only", quiz) });
    await syncLibrary(db(), { dir, owner });
    expect(await syncLibrary(db(), { dir, owner })).toEqual({ compiled: 0, unchanged: 1, archived: 0, skipped: 0 });
  });

  it("a restart finds what changed beside the lesson files: a renumbered lesson, module.json, a row archived by hand", async () => {
    const owner = (await makeOrg()).id;
    const dir = makeContentDir({
      "01-alpha.mdx": lessonSource("Alpha", quiz),
      "02-beta.mdx": lessonSource("Beta", quiz),
    });
    await syncLibrary(db(), { dir, owner });
    const lessonRow = (slug: string) =>
      first(
        db()
          .select()
          .from(lessons)
          .where(and(eq(lessons.owner, owner), eq(lessons.slug, slug)))
          .limit(1),
      );

    // The same source under a new number: the lesson moves, nothing compiles.
    fs.renameSync(path.join(dir, "testing", "02-beta.mdx"), path.join(dir, "testing", "05-beta.mdx"));
    expect(await syncLibrary(db(), { dir, owner })).toEqual({ compiled: 0, unchanged: 2, archived: 0, skipped: 0 });
    expect((await lessonRow("beta"))!.position).toBe(5);

    // The module's title, from module.json.
    const metaFile = path.join(dir, "testing", "module.json");
    fs.writeFileSync(metaFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(metaFile, "utf8")), title: "Renamed" }));
    await syncLibrary(db(), { dir, owner });
    const moduleRow = await first(
      db()
        .select({ title: modules.title, archivedAt: modules.archivedAt })
        .from(modules)
        .where(and(eq(modules.owner, owner), eq(modules.slug, "testing")))
        .limit(1),
    );
    expect(moduleRow).toEqual({ title: "Renamed", archivedAt: null });

    // A lesson and then the module archived in the database while their files are still there come back.
    await db()
      .update(lessons)
      .set({ archivedAt: new Date() })
      .where(eq(lessons.id, (await lessonRow("alpha"))!.id));
    await syncLibrary(db(), { dir, owner });
    expect((await lessonRow("alpha"))!.archivedAt).toBeNull();
    await db().update(modules).set({ archivedAt: new Date() }).where(eq(modules.owner, owner));
    await syncLibrary(db(), { dir, owner });
    expect(
      (await first(db().select({ archivedAt: modules.archivedAt }).from(modules).where(eq(modules.owner, owner))))!,
    ).toEqual({ archivedAt: null });
  });

  it("archives a removed lesson and keeps its history", async () => {
    const owner = (await makeOrg()).id;
    const dir = makeContentDir({
      "01-stays.mdx": lessonSource("Stays", quiz),
      "02-goes.mdx": lessonSource("Goes", quiz),
    });
    await syncLibrary(db(), { dir, owner });
    fs.rmSync(path.join(dir, "testing", "02-goes.mdx"));
    expect(await syncLibrary(db(), { dir, owner })).toMatchObject({ compiled: 0, archived: 1 });
    const gone = (await first(
      db()
        .select()
        .from(lessons)
        .where(and(eq(lessons.owner, owner), eq(lessons.slug, "goes")))
        .limit(1),
    ))!;
    expect(gone.archivedAt).not.toBeNull();
    expect(await db().select().from(lessonVersions).where(eq(lessonVersions.lessonId, gone.id))).toHaveLength(1);
  });

  it("a lesson that stops passing the check keeps its last good version", async () => {
    const owner = (await makeOrg()).id;
    const dir = makeContentDir({ "01-fragile.mdx": lessonSource("Fragile", quiz) });
    await syncLibrary(db(), { dir, owner });
    fs.writeFileSync(path.join(dir, "testing", "01-fragile.mdx"), lessonSource("Fragile", quiz, "{oops}"));
    expect(await syncLibrary(db(), { dir, owner })).toMatchObject({ compiled: 0, archived: 0, skipped: 1 });
    const lesson = (await first(
      db()
        .select()
        .from(lessons)
        .where(and(eq(lessons.owner, owner), eq(lessons.slug, "fragile")))
        .limit(1),
    ))!;
    expect(lesson.archivedAt).toBeNull();
  });

  it("a lesson entry that cannot be read (a folder with a lesson's name) is reported and the rest syncs", async () => {
    const owner = (await makeOrg()).id;
    const dir = makeContentDir({ "01-fine.mdx": lessonSource("Fine", quiz) });
    fs.mkdirSync(path.join(dir, "testing", "02-folder.mdx"));
    expect(await syncLibrary(db(), { dir, owner })).toMatchObject({ compiled: 1, skipped: 0 });
    expect(checkLibrary(dir).errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^The lesson file could not be read: EISDIR/),
    ]);
  });

  it("Today's lesson to continue: the last one opened and not finished, else the first never opened in library order", async () => {
    const org = await makeOrg();
    const rep = { ...(await makeUser(org.id, ["rep"])), timezone: "UTC" };
    // The organization's library is its own three lessons: the built-in ones are archived.
    await syncLibrary(db(), { dir: emptyContentDir() });
    await syncLibrary(db(), {
      dir: makeContentDir({
        "01-one.mdx": lessonSource("One"),
        "02-two.mdx": lessonSource("Two"),
        "03-three.mdx": lessonSource("Three"),
      }),
      owner: org.id,
    });
    const open = async (slug: string, at: string) =>
      recordLessonOpened(db(), rep, await orgLesson(org.id, slug), new Date(at));
    const next = () => lessonToContinue(db(), rep);

    expect(await next()).toMatchObject({ moduleSlug: "testing", slug: "one", started: false });
    await open("three", "2026-03-02T09:00:00Z");
    expect(await next()).toMatchObject({ slug: "three", started: true });
    await open("one", "2026-03-02T10:00:00Z");
    expect(await next()).toMatchObject({ slug: "one", started: true });
    await db()
      .update(lessonProgress)
      .set({ completedAt: new Date("2026-03-02T10:05:00Z") })
      .where(eq(lessonProgress.userId, rep.id));
    expect(await next()).toMatchObject({ slug: "two", title: "Two", minutes: 3, started: false });
    await open("two", "2026-03-02T11:00:00Z");
    await db()
      .update(lessonProgress)
      .set({ completedAt: new Date("2026-03-02T11:05:00Z") })
      .where(eq(lessonProgress.userId, rep.id));
    expect(await next()).toBeNull();
  });
});

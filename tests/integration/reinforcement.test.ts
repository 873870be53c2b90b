import { spawn } from "node:child_process";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { boosts, cards, digestSends, lessons, organizations, outbox, reviewLogs, statements } from "~/db/schema";
import { syncLibrary } from "~/features/content/sync.server";
import { findCurrentQuestion } from "~/features/content/questions.server";
import { answerQuestion, finishLesson } from "~/features/learning/answers.server";
import { recordLessonOpened } from "~/features/learning/progress.server";
import { currentStreak } from "~/features/learning/progress-report.server";
import { newId } from "~/db/ids";
import { addDays, dayIn, instantIn } from "~/shared/days";
import { Rating, retrievability, review } from "~/features/reinforcement/fsrs.server";
import { answerBoostCard } from "~/features/learning/boost-answers.server";
import { boostSummary, dueCards, openTodaysBoost } from "~/features/reinforcement/boost.server";
import { sendDueDigests, setDigestEnabled, startVacation } from "~/features/reinforcement/reminders.server";
import { lessonSource, makeContentDir } from "../support/content";
import { makeOrg, makeUser } from "../support/people";

const DAY = 86_400_000;
const T0 = new Date("2026-04-01T14:00:00Z");
const quizzes = ["a", "b", "c", "d"].map((id) => ({
  id,
  choices: [
    ["right", true],
    ["wrong", false],
  ] as Array<[string, boolean]>,
}));

/**
 * A week of boosts that each used the whole minutes (three questions: one minute at 20 s) before
 * `day`, so that no minutes are saved for it and its boost holds three (decision 023).
 */
async function usedUpTheWeekBefore(user: { id: string; orgId: string }, day: string) {
  for (let d = 1; d <= 7; d++)
    await db()
      .insert(boosts)
      .values({
        id: newId(),
        orgId: user.orgId,
        userId: user.id,
        day: addDays(day, -d),
        cardIds: ["x", "y", "z"],
        answered: ["x", "y", "z"],
        startedAt: T0,
        finishedAt: T0,
      });
}

/** A rep who completed one four-question lesson at T0, answering `wrongKeys` wrong the first time. */
async function repWithCards(wrongKeys: string[] = [], timezone = "America/New_York") {
  const org = await makeOrg();
  await db().update(organizations).set({ timezone }).where(eq(organizations.id, org.id));
  await syncLibrary(db(), { dir: makeContentDir({ "01-one.mdx": lessonSource("One", quizzes) }), owner: org.id });
  const lesson = (await first(
    db()
      .select()
      .from(lessons)
      .where(and(eq(lessons.owner, org.id), eq(lessons.slug, "one")))
      .limit(1),
  ))!;
  const user = { ...(await makeUser(org.id, ["rep"])), timezone };
  await recordLessonOpened(db(), user, { id: lesson.id, title: "One", versionId: lesson.currentVersionId! }, T0);
  for (const [i, q] of quizzes.entries()) {
    const question = (await findCurrentQuestion(db(), lesson.id, q.id))!;
    const chosen = [wrongKeys.includes(q.id) ? "c2" : "c1"];
    await answerQuestion(db(), {
      user,
      question,
      lessonTitle: "One",
      chosen,
      submissionId: `lesson-${i}`,
      context: "lesson",
      now: new Date(T0.getTime() + i * 60_000),
    });
  }
  await finishLesson(db(), user, lesson.id, "One", new Date(T0.getTime() + 5 * 60_000));
  return { org, user, lesson };
}

describe("FSRS scheduling", () => {
  it("a card answered Good comes back later than one answered Again", () => {
    const good = review(null, Rating.Good, T0, 0.9);
    const again = review(null, Rating.Again, T0, 0.9);
    expect(good.due.getTime()).toBeGreaterThan(again.due.getTime());
    const goodTwice = review(good, Rating.Good, good.due, 0.9);
    const goodThenAgain = review(good, Rating.Again, good.due, 0.9);
    expect(goodTwice.due.getTime()).toBeGreaterThan(goodThenAgain.due.getTime());
    expect(goodTwice.stability).toBeGreaterThan(good.stability);
  });

  it("a higher desired retention brings cards back sooner", () => {
    const relaxed = review(review(null, Rating.Good, T0, 0.8), Rating.Good, new Date(T0.getTime() + 3 * DAY), 0.8);
    const strict = review(review(null, Rating.Good, T0, 0.95), Rating.Good, new Date(T0.getTime() + 3 * DAY), 0.95);
    expect(strict.due.getTime()).toBeLessThan(relaxed.due.getTime());
  });

  it("retrievability falls as time passes", () => {
    const card = review(null, Rating.Good, T0, 0.9);
    const values = [0, 1, 5, 30, 120].map((d) => retrievability(card, new Date(T0.getTime() + d * DAY)));
    expect(values[0]).toBeCloseTo(1);
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeLessThan(values[i - 1]!);
    // At the scheduled due date, recall is near the desired retention.
    expect(retrievability(card, card.due)).toBeGreaterThan(0.85);
    expect(retrievability(card, card.due)).toBeLessThan(0.95);
  });
});

describe("cards and the daily boost", () => {
  it("completing a lesson turns each question into a card, seeded by the first answer", async () => {
    const { user } = await repWithCards(["b"]);
    const mine = await db().select().from(cards).where(eq(cards.userId, user.id));
    expect(mine.map((c) => c.questionKey).sort()).toEqual(["a", "b", "c", "d"]);
    const wrong = mine.find((c) => c.questionKey === "b")!;
    const right = mine.find((c) => c.questionKey === "a")!;
    expect(wrong.due.getTime()).toBeLessThan(right.due.getTime());
    expect(await db().select().from(reviewLogs).where(eq(reviewLogs.userId, user.id))).toHaveLength(4);
  });

  it("offers the least likely remembered cards first, at most N, and nothing before they are due", async () => {
    const { user } = await repWithCards(["c"]);
    expect((await openTodaysBoost(db(), user, new Date(T0.getTime() + 10 * 60_000))).state).toBe("empty");
    const later = new Date(T0.getTime() + 20 * DAY);
    const due = await dueCards(db(), user.id, later, 10);
    expect(due.map((c) => c.questionKey)[0]).toBe("c"); // answered wrong: shortest stability, lowest recall
    for (let i = 1; i < due.length; i++)
      expect(due[i]!.retrievability).toBeGreaterThanOrEqual(due[i - 1]!.retrievability);
    // One minute at the default 20 s a question, nothing saved: three of the four due.
    await db().update(organizations).set({ boostMinutes: 1 }).where(eq(organizations.id, user.orgId));
    await usedUpTheWeekBefore(user, dayIn(user.timezone, later));
    const boost = await openTodaysBoost(db(), user, later);
    expect(boost.state).toBe("open");
    if (boost.state !== "open") return;
    expect(boost.total).toBe(3);
    expect(boost.waiting).toBe(1);
  });

  it("answering a boost reschedules the card, logs the review and finishes the boost once", async () => {
    const { user } = await repWithCards();
    await db().update(organizations).set({ boostMinutes: 1 }).where(eq(organizations.id, user.orgId));
    const later = new Date(T0.getTime() + 30 * DAY);
    await usedUpTheWeekBefore(user, dayIn(user.timezone, later));
    const logsOf = () =>
      db()
        .select({ id: reviewLogs.id, cardId: reviewLogs.cardId })
        .from(reviewLogs)
        .where(eq(reviewLogs.userId, user.id));
    const logsBefore = new Set((await logsOf()).map((log) => log.id));
    const answered: string[] = [];
    for (let i = 0; i < 3; i++) {
      const view = await openTodaysBoost(db(), user, later);
      if (view.state !== "open") throw new Error(`expected an open boost, got ${view.state}`);
      const before = (await first(db().select().from(cards).where(eq(cards.id, view.current.cardId)).limit(1)))!;
      const outcome = await answerBoostCard(db(), {
        user,
        boostId: view.boostId,
        cardId: view.current.cardId,
        chosen: ["c1"],
        confidence: "knew",
        submissionId: `boost-${i}`,
        now: later,
      });
      expect(outcome.result.correct).toBe(true);
      expect(outcome.comesBack.getTime()).toBeGreaterThan(later.getTime() + 7 * DAY);
      expect((await first(db().select().from(cards).where(eq(cards.id, before.id)).limit(1)))!.reps).toBe(
        before.reps + 1,
      );
      answered.push(view.current.cardId);
      // The same submission again changes nothing.
      await answerBoostCard(db(), {
        user,
        boostId: view.boostId,
        cardId: view.current.cardId,
        chosen: ["c1"],
        confidence: "knew",
        submissionId: `boost-${i}`,
        now: later,
      });
    }
    expect((await openTodaysBoost(db(), user, later)).state).toBe("done");
    expect((await dueCards(db(), user.id, later, 10)).map((c) => c.id)).not.toContain(answered[0]);
    const finished = await db()
      .select()
      .from(statements)
      .where(and(eq(statements.actorId, user.id), eq(statements.verb, "urn:flywheel:verbs:finished-boost")));
    expect(finished).toHaveLength(1);
    expect(
      (await first(db().select().from(boosts).where(eq(boosts.userId, user.id)).limit(1)))!.finishedAt,
    ).not.toBeNull();
    // One review logged per answered card, none for the repeated submissions.
    const logged = (await logsOf()).filter((log) => !logsBefore.has(log.id)).map((log) => log.cardId);
    expect(logged.sort()).toEqual([...answered].sort());
  });

  it("a wrong boost answer rates Again and brings the card back soon", async () => {
    const { user } = await repWithCards();
    const later = new Date(T0.getTime() + 30 * DAY);
    const view = await openTodaysBoost(db(), user, later);
    if (view.state !== "open") throw new Error("expected an open boost");
    const outcome = await answerBoostCard(db(), {
      user,
      boostId: view.boostId,
      cardId: view.current.cardId,
      chosen: ["c2"],
      confidence: "knew",
      submissionId: "boost-wrong",
      now: later,
    });
    expect(outcome.result.correct).toBe(false);
    expect(outcome.comesBack.getTime() - later.getTime()).toBeLessThanOrEqual(2 * DAY);
    // The latest review (in order of time: PostgreSQL returns rows in no set order without one).
    const log = (
      await db()
        .select()
        .from(reviewLogs)
        .where(eq(reviewLogs.cardId, view.current.cardId))
        .orderBy(reviewLogs.reviewedAt)
    ).at(-1)!;
    expect(log.rating).toBe(Rating.Again);
  });
});

describe("a boost across the organization's midnight", () => {
  const MINUTE = 60_000;
  for (const timezone of ["America/New_York", "Pacific/Auckland"]) {
    it(`a boost begun at 23:50 in ${timezone} is finished after midnight, then the next day's boost is chosen`, async () => {
      const { user } = await repWithCards([], timezone);
      await db().update(organizations).set({ boostMinutes: 1 }).where(eq(organizations.id, user.orgId));
      const day = addDays(dayIn(timezone, T0), 30);
      await usedUpTheWeekBefore(user, day);
      const late = instantIn(timezone, day, 23, 50);
      const first1 = await openTodaysBoost(db(), user, late);
      if (first1.state !== "open") throw new Error(`expected an open boost, got ${first1.state}`);
      const answer = (cardId: string, boostId: string, now: Date, n: number) =>
        answerBoostCard(db(), {
          user,
          boostId,
          cardId,
          chosen: ["c1"],
          confidence: "knew",
          submissionId: `midnight-${n}`,
          now,
        });
      await answer(first1.current.cardId, first1.boostId, new Date(late.getTime() + 5 * MINUTE), 1);
      const middle = await openTodaysBoost(db(), user, new Date(late.getTime() + 6 * MINUTE));
      if (middle.state !== "open") throw new Error(`expected an open boost, got ${middle.state}`);
      await answer(middle.current.cardId, middle.boostId, new Date(late.getTime() + 7 * MINUTE), 3);
      // The last question is shown before midnight and answered after it.
      const second = await openTodaysBoost(db(), user, new Date(late.getTime() + 8 * MINUTE));
      if (second.state !== "open") throw new Error(`expected an open boost, got ${second.state}`);
      expect(second.boostId).toBe(first1.boostId);
      const afterMidnight = new Date(late.getTime() + 11 * MINUTE);
      expect(dayIn(timezone, afterMidnight)).toBe(addDays(day, 1));
      const outcome = await answer(second.current.cardId, second.boostId, afterMidnight, 2);
      expect(outcome.finished).toBe(true);

      const yesterdays = (await first(db().select().from(boosts).where(eq(boosts.id, first1.boostId)).limit(1)))!;
      expect(yesterdays.day).toBe(day);
      expect(yesterdays.answered).toEqual([first1.current.cardId, middle.current.cardId, second.current.cardId]);
      expect(yesterdays.finishedAt).not.toBeNull();
      const finished = await db()
        .select()
        .from(statements)
        .where(and(eq(statements.actorId, user.id), eq(statements.verb, "urn:flywheel:verbs:finished-boost")));
      expect(finished).toHaveLength(1);

      // Then the new day's boost: the question still due, not the three just answered.
      const next = await openTodaysBoost(db(), user, new Date(afterMidnight.getTime() + MINUTE));
      if (next.state !== "open") throw new Error(`expected the new day's boost, got ${next.state}`);
      expect(next.boostId).not.toBe(first1.boostId);
      expect([first1.current.cardId, middle.current.cardId, second.current.cardId]).not.toContain(next.current.cardId);
    });

    it(`a boost still in progress after midnight in ${timezone} is continued on reopening, and Today says so`, async () => {
      const { user } = await repWithCards([], timezone);
      await db().update(organizations).set({ boostMinutes: 1 }).where(eq(organizations.id, user.orgId));
      const day = addDays(dayIn(timezone, T0), 30);
      await usedUpTheWeekBefore(user, day);
      const late = instantIn(timezone, day, 23, 55);
      const view = await openTodaysBoost(db(), user, late);
      if (view.state !== "open") throw new Error(`expected an open boost, got ${view.state}`);
      await answerBoostCard(db(), {
        user,
        boostId: view.boostId,
        cardId: view.current.cardId,
        chosen: ["c1"],
        confidence: "guessed",
        submissionId: "in-progress-1",
        now: new Date(late.getTime() + MINUTE),
      });
      const reopened = new Date(late.getTime() + 10 * MINUTE); // 00:05 the next day
      expect(await boostSummary(db(), user, 1, reopened)).toMatchObject({ state: "open", due: 3, answered: 1 });
      const again = await openTodaysBoost(db(), user, reopened);
      if (again.state !== "open") throw new Error(`expected the boost in progress, got ${again.state}`);
      expect({ boostId: again.boostId, answered: again.answered, total: again.total }).toEqual({
        boostId: view.boostId,
        answered: 1,
        total: 3,
      });
    });
  }

  it("a boost opened but not started before midnight is not carried over: the new day chooses its own", async () => {
    const { user } = await repWithCards();
    const day = addDays(dayIn(user.timezone, T0), 30);
    const opened = await openTodaysBoost(db(), user, instantIn(user.timezone, day, 23, 58));
    const next = await openTodaysBoost(db(), user, instantIn(user.timezone, addDays(day, 1), 0, 3));
    if (opened.state !== "open" || next.state !== "open") throw new Error("expected open boosts");
    expect(next.boostId).not.toBe(opened.boostId);
    const stored = (await first(db().select().from(boosts).where(eq(boosts.id, next.boostId)).limit(1)))!;
    expect(stored.day).toBe(addDays(day, 1));
  });

  it("an answer names its boost: another rep's boost, or one it is not in, is refused", async () => {
    const { user } = await repWithCards();
    const { user: other } = await repWithCards();
    const later = new Date(T0.getTime() + 30 * DAY);
    const mine = await openTodaysBoost(db(), user, later);
    const theirs = await openTodaysBoost(db(), other, later);
    if (mine.state !== "open" || theirs.state !== "open") throw new Error("expected open boosts");
    await expect(
      answerBoostCard(db(), {
        user,
        boostId: theirs.boostId,
        cardId: mine.current.cardId,
        chosen: ["c1"],
        confidence: "knew",
        submissionId: "wrong-boost",
        now: later,
      }),
    ).rejects.toThrow("That question is not in your boost");
  });
});

describe("after a boost smaller than what is due", () => {
  it("the questions left over are waiting, on the boost and on Today", async () => {
    const { user } = await repWithCards();
    await db().update(organizations).set({ boostMinutes: 1 }).where(eq(organizations.id, user.orgId));
    const later = new Date(T0.getTime() + 30 * DAY);
    await usedUpTheWeekBefore(user, dayIn(user.timezone, later));
    for (let i = 0; i < 3; i++) {
      const view = await openTodaysBoost(db(), user, later);
      if (view.state !== "open") throw new Error(`expected an open boost, got ${view.state}`);
      await answerBoostCard(db(), {
        user,
        boostId: view.boostId,
        cardId: view.current.cardId,
        chosen: ["c1"],
        confidence: "knew",
        submissionId: `waiting-${i}`,
        now: later,
      });
    }
    const done = await openTodaysBoost(db(), user, later);
    expect(done).toMatchObject({ state: "done", total: 3, waiting: 1 });
    expect(await boostSummary(db(), user, 1, later)).toMatchObject({ state: "done", waiting: 1 });
  });
});

describe("vacation hold", () => {
  it("pauses boosts, shifts the schedule by its length, and keeps the streak", async () => {
    const { user } = await repWithCards();
    const before = await db().select().from(cards).where(eq(cards.userId, user.id));
    const leave = new Date(T0.getTime() + 1 * DAY);
    expect(await currentStreak(db(), user, leave)).toBe(1);
    await startVacation(db(), user, "2026-04-12", leave); // 10 days, back on the 12th (New York)
    const after = await db().select().from(cards).where(eq(cards.userId, user.id));
    for (const card of before) {
      const moved = after.find((c) => c.id === card.id)!;
      expect(moved.due.getTime() - card.due.getTime()).toBe(10 * DAY);
    }
    const away = new Date("2026-04-08T15:00:00Z");
    expect((await openTodaysBoost(db(), user, away)).state).toBe("vacation");
    // Today says so too: the hold is checked first, whatever else is read with it.
    expect(await boostSummary(db(), user, 3, away)).toEqual({ state: "vacation", until: "2026-04-12" });
    // Back on the 12th: the streak from before the hold is still there.
    expect(await currentStreak(db(), user, new Date("2026-04-12T15:00:00Z"))).toBe(1);
    await sendDueDigests(db(), new Date("2026-04-10T15:00:00Z"));
    expect(await db().select().from(outbox).where(eq(outbox.to, user.email))).toHaveLength(0);
  });
});

describe("the daily digest", () => {
  it("is sent once, at the organization's hour, only to reps with something due", async () => {
    const { user, org } = await repWithCards();
    const idle = await makeUser(org.id, ["rep"]);
    const dueDay = new Date(T0.getTime() + 30 * DAY);
    const early = new Date(Date.UTC(dueDay.getUTCFullYear(), dueDay.getUTCMonth(), dueDay.getUTCDate(), 11)); // 07:00 in New York
    const onTime = new Date(early.getTime() + 2 * 60 * 60_000); // 09:00
    // Other tests' reps share this database file: count this rep's mail only.
    const mailTo = (email: string) => db().select().from(outbox).where(eq(outbox.to, email));
    await sendDueDigests(db(), early);
    expect(await mailTo(user.email)).toHaveLength(0);
    await sendDueDigests(db(), onTime);
    expect(await mailTo(user.email)).toHaveLength(1);
    await sendDueDigests(db(), new Date(onTime.getTime() + 60_000));
    const mail = await mailTo(user.email);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toMatch(/4 questions due/);
    expect(mail[0]!.text).toMatch(/\/unsubscribe\/[a-z0-9]+/);
    expect(await db().select().from(outbox).where(eq(outbox.to, idle.email))).toHaveLength(0);
    await setDigestEnabled(db(), user, false);
    await sendDueDigests(db(), new Date(onTime.getTime() + DAY));
    expect(await mailTo(user.email)).toHaveLength(1);
  });

  it("is sent once when two processes race to send it", async () => {
    const { user } = await repWithCards();
    const at = new Date(T0.getTime() + 30 * DAY + 6 * 60 * 60_000).toISOString(); // 14:00 in New York
    // Each process loads, then waits for the same instant, so their sends overlap.
    const startAt = Date.now() + 4000;
    // Each closes its database at the end: an open PostgreSQL pool would keep the process alive.
    const script = [
      `import { closeDatabase, db } from "./app/db/connection.server";`,
      `import { sendDueDigests } from "./app/features/reinforcement/reminders.server";`,
      `while (Date.now() < ${startAt}) {}`,
      `const r = await sendDueDigests(db(), new Date(${JSON.stringify(at)}));`,
      `await closeDatabase();`,
      `console.log(JSON.stringify(r));`,
    ].join(" ");
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
          env: { ...process.env, LOG_LEVEL: "silent" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("exit", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(err))));
      });
    await Promise.all([run(), run(), run()]);
    expect(await db().select().from(digestSends).where(eq(digestSends.userId, user.id))).toHaveLength(1);
    expect(await db().select().from(outbox).where(eq(outbox.to, user.email))).toHaveLength(1);
  });
});

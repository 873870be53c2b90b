// Answering questions over real HTTP against the production build, on this file's database.
import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import {
  attempts,
  boosts,
  cards,
  dailyActivity,
  lessonProgress,
  lessons,
  modules,
  questions,
  reviewLogs,
  statements,
  users,
} from "~/db/schema";
import { syncLibrary } from "~/features/content/sync.server";
import { makeContentDir, lessonSource } from "../support/content";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, type TestServer } from "../support/server";

let server: TestServer;
let rep: Client;
let repId: string;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "1" });
  // A rep with no demo history, so every question starts unanswered.
  repId = (await first(
    db().select({ id: users.id }).from(users).where(eq(users.email, "marcus.chen@example.com")).limit(1),
  ))!.id;
  await db().delete(reviewLogs).where(eq(reviewLogs.userId, repId));
  await db().delete(cards).where(eq(cards.userId, repId));
  await db().delete(boosts).where(eq(boosts.userId, repId));
  await db().delete(attempts).where(eq(attempts.userId, repId));
  await db().delete(lessonProgress).where(eq(lessonProgress.userId, repId));
  await db().delete(statements).where(eq(statements.actorId, repId));
  await db().delete(dailyActivity).where(eq(dailyActivity.userId, repId));
  rep = new Client(server.url);
  expect((await rep.login("marcus.chen@example.com", "flywheel-demo")).status).toBe(302);
});
afterAll(() => server?.stop());

async function lessonBySlug(moduleSlug: string, slug: string) {
  return (await first(
    db()
      .select({ id: lessons.id, versionId: lessons.currentVersionId })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(and(eq(modules.slug, moduleSlug), eq(lessons.slug, slug)))
      .limit(1),
  ))!;
}

function currentQuestions(lessonId: string, versionId: string) {
  return db()
    .select()
    .from(questions)
    .where(and(eq(questions.lessonId, lessonId), eq(questions.lessonVersionId, versionId)));
}

const attemptsOf = (userId: string) => db().select().from(attempts).where(eq(attempts.userId, userId));
const PATH = "/learn/listening/silence-and-pauses";

describe("answering a quiz", () => {
  it("before answering, nothing the browser receives tells which choice is right or why", async () => {
    const lesson = await lessonBySlug("listening", "silence-and-pauses");
    const qs = await currentQuestions(lesson.id, lesson.versionId!);
    expect(qs.length).toBeGreaterThan(2);
    const html = await (await rep.request(PATH)).text();
    const hash = /\/lesson-code\/([a-f0-9]{64})\.js/.exec(html)![1]!;
    const script = await (await rep.request(`/lesson-code/${hash}.js`)).text();
    const data = await (await rep.request(`${PATH}.data`)).text();
    for (const payload of [html, script, data]) {
      expect(payload).not.toMatch(/\bcorrect\b/i);
      expect(payload).not.toMatch(/explanation/i);
      for (const q of qs) for (const c of q.choices) expect(payload).not.toContain(c.explanation);
    }
    // The questions themselves are there, with numbered choices.
    expect(script).toContain(`id:"${qs[0]!.key}"`);
    expect(script).toContain('value:"c1"');
  });

  it("scores on the server, stores the lesson version, and returns feedback only afterwards", async () => {
    const lesson = await lessonBySlug("listening", "silence-and-pauses");
    const q = (await currentQuestions(lesson.id, lesson.versionId!))[0]!;
    const right = q.choices.find((c) => c.correct)!;
    const response = await rep.post(PATH, {
      intent: "answer",
      question: q.key,
      choice: right.id,
      submission: "integration-a1",
      js: "1",
    });
    expect(response.status).toBe(200);
    const stored = (await attemptsOf(repId)).filter((a) => a.questionKey === q.key);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      lessonVersionId: lesson.versionId,
      correct: true,
      score: 1,
      first: true,
      context: "lesson",
      chosen: [right.id],
    });
    const after = await (await rep.request(`${PATH}.data`)).text();
    expect(after).toContain(right.explanation);
  });

  it("stores the same submission once", async () => {
    const lesson = await lessonBySlug("listening", "silence-and-pauses");
    const q = (await currentQuestions(lesson.id, lesson.versionId!))[1]!;
    const form = {
      intent: "answer",
      question: q.key,
      choice: q.choices[0]!.id,
      submission: "integration-dup",
      js: "1",
    };
    expect((await rep.post(PATH, form)).status).toBe(200);
    expect((await rep.post(PATH, form)).status).toBe(200);
    expect((await attemptsOf(repId)).filter((a) => a.questionKey === q.key)).toHaveLength(1);
    const answered = await db()
      .select()
      .from(statements)
      .where(and(eq(statements.actorId, repId), eq(statements.objectId, `${lesson.id}#${q.key}`)));
    expect(answered).toHaveLength(1);
  });

  it("without JavaScript, an answer returns to the question", async () => {
    const lesson = await lessonBySlug("listening", "silence-and-pauses");
    const q = (await currentQuestions(lesson.id, lesson.versionId!))[2]!;
    const response = await rep.post(PATH, {
      intent: "answer",
      question: q.key,
      choice: q.choices.filter((c) => c.correct).map((c) => c.id),
      submission: "integration-nojs",
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${PATH}?answered=${q.key}#quiz-${q.key}`);
  });

  it("refuses bad input with a 4xx and a message, storing nothing", async () => {
    const lesson = await lessonBySlug("listening", "silence-and-pauses");
    const q = (await currentQuestions(lesson.id, lesson.versionId!))[3]!;
    const before = (await attemptsOf(repId)).length;
    const cases: Array<[Record<string, string | string[]>, number, RegExp]> = [
      [
        { intent: "answer", question: "no-such-question", choice: "c1", submission: "bad-input-1", js: "1" },
        404,
        /not in this lesson/,
      ],
      [
        { intent: "answer", question: q.key, choice: "c99", submission: "bad-input-2", js: "1" },
        400,
        /not one of this question's choices/,
      ],
      [
        { intent: "answer", question: q.key, choice: "<script>", submission: "bad-input-3", js: "1" },
        400,
        /not one of the choices/,
      ],
      [{ intent: "answer", question: q.key, submission: "bad-input-4", js: "1" }, 400, /Pick an answer/],
      [{ intent: "answer", question: q.key, choice: "c1" }, 400, /out of date/],
      [{ intent: "delete-everything" }, 400, /.+/],
    ];
    for (const [form, status, message] of cases) {
      const response = await rep.post(PATH, form);
      expect(response.status, JSON.stringify(form)).toBe(status);
      expect(await response.text()).toMatch(message);
    }
    expect(await attemptsOf(repId)).toHaveLength(before);
  });

  it("completes the lesson once, when the end is reached and every question answered", async () => {
    const path = "/learn/listening/confirm-next-step";
    const lesson = await lessonBySlug("listening", "confirm-next-step");
    const qs = await currentQuestions(lesson.id, lesson.versionId!);
    await rep.request(path);
    const early = await rep.post(path, { intent: "finish" });
    expect(early.status).toBe(200);
    expect(await early.text()).toContain("Almost there");
    for (const [i, q] of qs.entries()) {
      await rep.post(path, {
        intent: "answer",
        question: q.key,
        choice: q.choices[0]!.id,
        submission: `complete-${i}`,
        js: "1",
      });
    }
    const progress = (await first(
      db()
        .select()
        .from(lessonProgress)
        .where(and(eq(lessonProgress.userId, repId), eq(lessonProgress.lessonId, lesson.id)))
        .limit(1),
    ))!;
    expect(progress.completedAt).not.toBeNull();
    expect(progress.secondsSpent).toBeGreaterThan(0);
    const done = await rep.post(path, { intent: "finish" });
    expect(done.status).toBe(303);
    const completions = await db()
      .select()
      .from(statements)
      .where(
        and(
          eq(statements.actorId, repId),
          eq(statements.objectId, lesson.id),
          eq(statements.verb, "http://adlnet.gov/expapi/verbs/completed"),
        ),
      );
    expect(completions).toHaveLength(1);
    const rollup = await db().select().from(dailyActivity).where(eq(dailyActivity.userId, repId));
    expect(rollup.reduce((n, r) => n + r.lessonsCompleted, 0)).toBe(1);
  });
});

describe("organizations' content is sealed", () => {
  it("a rep cannot read or answer another organization's lesson", async () => {
    const other = await makeOrg("Globex");
    const dir = makeContentDir(
      {
        "01-secret.mdx": lessonSource("Globex secret sauce", [
          {
            id: "q1",
            choices: [
              ["a", true],
              ["b", false],
            ],
          },
        ]),
      },
      "globex-only",
    );
    await syncLibrary(db(), { dir, owner: other.id });
    const globexRep = new Client(server.url);
    const globexUser = await makeUser(other.id, ["rep"]);
    await globexRep.login(globexUser.email, TEST_PASSWORD);
    const page = await globexRep.request("/learn/globex-only/secret");
    expect(page.status).toBe(200);
    const script = /\/lesson-code\/[a-f0-9]{64}\.js/.exec(await page.text())![0];
    const compressed = { headers: { "accept-encoding": "br, gzip" } };
    expect((await globexRep.request(script, compressed)).status).toBe(200);
    // Neither the script nor its compressed copy reaches another organization's rep.
    expect((await rep.request(script)).status).toBe(404);
    expect((await rep.request(script, compressed)).status).toBe(404);

    expect((await rep.request("/learn/globex-only/secret")).status).toBe(404);
    const before = (await attemptsOf(repId)).length;
    const response = await rep.post("/learn/globex-only/secret", {
      intent: "answer",
      question: "q1",
      choice: "c1",
      submission: "cross-org-1",
      js: "1",
    });
    expect(response.status).toBe(404);
    expect(await attemptsOf(repId)).toHaveLength(before);
    const library = await (await rep.request("/library?q=secret+sauce")).text();
    expect(library).not.toContain("Globex secret sauce");
  });
});

describe("answers sent at the same moment", () => {
  it("many reps answering at once through two workers are all stored, each once, with every rep's day counted once per answer", async () => {
    // Two worker processes on one database, each running several requests' transactions
    // interleaved (decision 010): nothing may be lost, doubled or mixed between requests.
    const busy = await startServer({ WEB_CONCURRENCY: "2", LOG_LEVEL: "error" });
    try {
      const lesson = await lessonBySlug("listening", "silence-and-pauses");
      const [question] = await currentQuestions(lesson.id, lesson.versionId!);
      const people = await db()
        .select({ id: users.id, email: users.email })
        .from(users)
        .where(like(users.email, "%.%@example.com"));
      expect(people.length).toBeGreaterThanOrEqual(10);
      const reps = await Promise.all(
        people.map(async (person) => {
          const client = new Client(busy.url);
          expect((await client.login(person.email, "flywheel-demo")).status).toBe(302);
          return { ...person, client };
        }),
      );
      const before = new Map<string, number>();
      for (const r of reps) before.set(r.id, (await attemptsOf(r.id)).length);
      const dayTotal = async (userId: string) =>
        (
          await db()
            .select({ n: dailyActivity.questionsAnswered })
            .from(dailyActivity)
            .where(eq(dailyActivity.userId, userId))
        ).reduce((sum, d) => sum + d.n, 0);
      const daysBefore = new Map<string, number>();
      for (const r of reps) daysBefore.set(r.id, await dayTotal(r.id));

      // Every rep sends three different answers and one of them twice, all at once.
      const sends = reps.flatMap((r) =>
        ["c1", "c2", "c3", "c1"].map((_, i) =>
          r.client.post(PATH, {
            intent: "answer",
            question: question!.key,
            choice: question!.choices[i % question!.choices.length]!.id,
            submission: `burst-${r.id.slice(0, 6)}-${i % 3}`,
            js: "1",
          }),
        ),
      );
      const statuses = (await Promise.all(sends)).map((response) => response.status);
      // The server's errors are logged (LOG_LEVEL error), so a failure here says what went wrong.
      expect(
        statuses.filter((s) => s >= 300 && s !== 303),
        busy.output(),
      ).toEqual([]);
      for (const r of reps) {
        expect({ rep: r.email, stored: (await attemptsOf(r.id)).length - before.get(r.id)! }).toEqual({
          rep: r.email,
          stored: 3,
        });
        expect({ rep: r.email, counted: (await dayTotal(r.id)) - daysBefore.get(r.id)! }).toEqual({
          rep: r.email,
          counted: 3,
        });
      }
    } finally {
      await busy.stop();
    }
  });
});

describe("answering the daily boost", () => {
  it("the main demo rep has a boost; an answer must say how sure the rep was and name the boost it was shown in", async () => {
    const demoRep = new Client(server.url);
    expect((await demoRep.login("rep@example.com", "flywheel-demo")).status).toBe(302);
    const page = await demoRep.request("/boost");
    const html = await page.text();
    const text = html
      .replace(/<script[\s\S]*?<\/script>/g, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ");
    expect(page.status, text.slice(0, 2000)).toBe(200);
    expect(text).toMatch(/Question 1 of \d/);
    const field = (name: string) => new RegExp(`name="${name}" value="([a-z0-9]+)"`).exec(html)?.[1];
    const [boost, card, submission] = [field("boost"), field("card"), field("submission")];
    expect(submission, "the answer form's key").toMatch(/^[a-z0-9]+$/);
    // Nothing is chosen for the rep.
    expect(html).not.toMatch(/name="confidence"[^>]*checked/);
    const userId = (await first(
      db().select({ id: users.id }).from(users).where(eq(users.email, "rep@example.com")).limit(1),
    ))!.id;
    // The form names the rep's own open boost and one of their cards.
    const shown = await first(
      db()
        .select()
        .from(boosts)
        .where(eq(boosts.id, boost ?? ""))
        .limit(1),
    );
    expect(shown).toMatchObject({ userId, finishedAt: null });
    expect(
      await first(
        db()
          .select({ userId: cards.userId })
          .from(cards)
          .where(eq(cards.id, card ?? ""))
          .limit(1),
      ),
    ).toEqual({
      userId,
    });
    const reviews = () => db().select().from(reviewLogs).where(eq(reviewLogs.userId, userId));
    const before = (await reviews()).length;

    const unsure = await demoRep.post("/boost", { boost: boost!, card: card!, choice: "c1", submission: submission! });
    expect(unsure.status).toBe(400);
    expect(await unsure.text()).toMatch(/Say how sure you were/);
    const elsewhere = await demoRep.post("/boost", {
      boost: "a".repeat(26),
      card: card!,
      choice: "c1",
      confidence: "knew",
      submission: submission!,
    });
    expect(elsewhere.status).toBe(404);
    expect(await reviews()).toHaveLength(before);

    const answered = await demoRep.post("/boost", {
      boost: boost!,
      card: card!,
      choice: "c1",
      confidence: "guessed",
      submission: submission!,
    });
    expect(answered.status).toBe(303);
    expect(answered.headers.get("location")).toBe(`/boost?reviewed=${card}`);
    expect(await reviews()).toHaveLength(before + 1);
  });
});

// The trainer studio over real HTTP against the production build, on this file's database:
// who may enter, two trainers saving one lesson, publishing and republishing with a rep's
// attempt keeping its version, a preview that records nothing, hostile MDX refused with its
// line, history and restore, library copies, and an organization's lessons reaching its own reps
// (library, search, prep, assignments) and nobody else's.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import {
  attempts,
  cards,
  lessonDrafts,
  lessonProgress,
  lessons,
  lessonVersions,
  LIBRARY_OWNER,
  modules,
  questions,
  roleplaySubmissions,
  statements,
} from "~/db/schema";
import { VERBS } from "~/features/activity/statements.server";
import { syncLibrary } from "~/features/content/sync.server";
import { SKELETONS } from "~/features/studio/skeletons";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, submissionKey, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

async function signedIn(orgId: string, roles: Parameters<typeof makeUser>[1]) {
  const user = await makeUser(orgId, roles);
  const client = new Client(server.url);
  expect((await client.login(user.email, TEST_PASSWORD)).status).toBe(302);
  return { user, client };
}

/** An organization with two trainers, a rep and a manager, all signed in. */
async function organization() {
  const org = await makeOrg();
  const [trainer, second, rep, manager] = await Promise.all([
    signedIn(org.id, ["trainer"]),
    signedIn(org.id, ["trainer"]),
    signedIn(org.id, ["rep"]),
    signedIn(org.id, ["manager"]),
  ]);
  return { org, trainer, second, rep, manager };
}

const FIELDS = {
  title: "Asking about the zanzibar budget",
  summary: "How to ask about budget without sounding like a form.",
  objective: "Ask one open question about budget on your next call.",
  skill: "questioning",
  stages: "discovery",
  level: "foundation",
  minutes: "3",
  tags: "budget",
};

function lessonBody(prompt = "What do you ask first?", key = "first-question") {
  return `Some words about asking good questions about the zanzibar budget for the reader.

<Quiz id="${key}" prompt="${prompt}">
  <Choice correct explanation="Because it opens the conversation.">What happens if nothing changes?</Choice>
  <Choice explanation="Because it closes the conversation.">Do you have budget?</Choice>
</Quiz>

<KeyPoint>

- Ask about the cost of doing nothing.

</KeyPoint>
`;
}

async function createModule(client: Client, title = "Our playbook") {
  const submission = submissionKey(await (await client.request("/content")).text());
  const response = await client.post("/content", {
    intent: "create-module",
    title,
    summary: "What our own reps need to know about our deals.",
    skill: "questioning",
    submission,
  });
  expect(response.status).toBe(303);
  return /module-(.+)$/.exec(response.headers.get("location")!)![1]!;
}

async function createLesson(client: Client, moduleId: string, title = "Budget questions") {
  const submission = submissionKey(await (await client.request("/content")).text());
  const response = await client.post("/content", { intent: "create-lesson", module: moduleId, title, submission });
  expect(response.status).toBe(303);
  return /\/content\/lessons\/(.+)$/.exec(response.headers.get("location")!)![1]!;
}

async function revisionOf(client: Client, lessonId: string): Promise<string> {
  const html = await (await client.request(`/content/lessons/${lessonId}`)).text();
  return /name="revision" value="(\d+)"/.exec(html)![1]!;
}

/** The lesson's draft text as stored. */
async function draftBody(lessonId: string) {
  return (await first(
    db().select({ body: lessonDrafts.body }).from(lessonDrafts).where(eq(lessonDrafts.lessonId, lessonId)),
  ))!.body;
}

async function submitDraft(
  client: Client,
  lessonId: string,
  intent: "save" | "preview" | "publish",
  body: string,
  extra: Record<string, string> = {},
) {
  const revision = extra.revision ?? (await revisionOf(client, lessonId));
  return client.post(`/content/lessons/${lessonId}`, { ...FIELDS, body, intent, ...extra, revision });
}

/** A published lesson of the organization: its id and where reps read it. */
async function publishedLesson(client: Client, title = "Our playbook") {
  const moduleId = await createModule(client, title);
  const lessonId = await createLesson(client, moduleId);
  const response = await submitDraft(client, lessonId, "publish", lessonBody());
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toContain("published=1");
  const row = (await first(
    db()
      .select({ slug: lessons.slug, moduleSlug: modules.slug, versionId: lessons.currentVersionId })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(eq(lessons.id, lessonId)),
  ))!;
  return { moduleId, lessonId, path: `/learn/${row.moduleSlug}/${row.slug}`, versionId: row.versionId! };
}

describe("who may enter the studio", () => {
  it("reps and managers get 403 on every studio page; another organization's trainer gets 404 on every id", async () => {
    const a = await organization();
    const b = await organization();
    const { lessonId, moduleId } = await publishedLesson(a.trainer.client);
    const pages = [
      "/content",
      `/content/lessons/${lessonId}`,
      `/content/lessons/${lessonId}/preview`,
      `/content/lessons/${lessonId}/history`,
    ];
    for (const who of [a.rep.client, a.manager.client])
      for (const page of pages) expect((await who.request(page)).status, page).toBe(403);
    expect((await a.rep.client.post(`/content/lessons/${lessonId}/draft`, { intent: "check", body: "x" })).status).toBe(
      403,
    );

    for (const page of pages.slice(1)) expect((await b.trainer.client.request(page)).status, page).toBe(404);
    const hash =
      (await first(db().select({ hash: lessonDrafts.previewHash }).from(lessonDrafts)))?.hash ?? "0".repeat(64);
    expect((await b.trainer.client.request(`/content/lessons/${lessonId}/preview-code/${hash}.js`)).status).toBe(404);
    expect(
      (
        await b.trainer.client.post(`/content/lessons/${lessonId}/draft`, {
          ...FIELDS,
          intent: "autosave",
          body: "x",
          revision: "1",
        })
      ).status,
    ).toBe(404);
    const before = await revisionOf(a.trainer.client, lessonId);
    expect((await submitDraft(b.trainer.client, lessonId, "save", "taken over", { revision: before })).status).toBe(
      404,
    );
    const forms: Array<Record<string, string>> = [
      { intent: "archive-module", module: moduleId },
      { intent: "rename-module", module: moduleId, title: "Taken over" },
      { intent: "move-lesson", lesson: lessonId, direction: "up" },
      { intent: "archive-lesson", lesson: lessonId },
    ];
    for (const form of forms) expect((await b.trainer.client.post("/content", form)).status, form.intent).toBe(404);
    expect(
      (
        await b.trainer.client.post(`/content/lessons/${lessonId}/history`, {
          intent: "restore",
          version: "x",
          revision: "1",
        })
      ).status,
    ).toBe(404);
    // Nothing of A's changed.
    const lesson = (await first(db().select().from(lessons).where(eq(lessons.id, lessonId))))!;
    expect(lesson.archivedAt).toBeNull();
    expect((await first(db().select().from(modules).where(eq(modules.id, moduleId))))!.title).toBe("Our playbook");
  });
});

describe("an organization's lessons reach its own reps only", () => {
  it("a draft is the trainers' only; once published, the organization's reps find it in the library, search, prep and assignments, and another organization's do not", async () => {
    const a = await organization();
    const b = await organization();
    const moduleId = await createModule(a.trainer.client, "Zanzibar deals");
    const lessonId = await createLesson(a.trainer.client, moduleId, "Budget questions");
    expect((await submitDraft(a.trainer.client, lessonId, "save", lessonBody())).status).toBe(303);
    expect(await (await a.rep.client.request("/library")).text()).not.toContain("Zanzibar deals");

    expect((await submitDraft(a.trainer.client, lessonId, "publish", lessonBody())).status).toBe(303);
    const library = await (await a.rep.client.request("/library")).text();
    expect(library).toContain("Zanzibar deals");
    expect(library).toContain(FIELDS.title);
    expect(await (await a.rep.client.request("/library?q=zanzibar")).text()).toContain("budget");
    expect(await (await a.rep.client.request("/prep?stage=discovery&skill=questioning")).text()).toContain(
      FIELDS.title,
    );
    expect(await (await a.manager.client.request("/coach/assignments")).text()).toContain(FIELDS.title);

    const { path } = {
      path: `/learn/${(await first(db().select({ slug: modules.slug }).from(modules).where(eq(modules.id, moduleId))))!.slug}`,
    };
    const lessonSlug = (await first(db().select({ slug: lessons.slug }).from(lessons).where(eq(lessons.id, lessonId))))!
      .slug;
    const page = await a.rep.client.request(`${path}/${lessonSlug}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("What do you ask first?");
    // The lesson page credits the version's author.
    expect(html.replaceAll("<!-- -->", "")).toMatch(
      /By Person [^<]+ · this version published [A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}/,
    );

    expect(await (await b.rep.client.request("/library")).text()).not.toContain("Zanzibar deals");
    expect(await (await b.rep.client.request("/library?q=zanzibar")).text()).not.toContain(FIELDS.title);
    expect(await (await b.rep.client.request("/prep?stage=discovery&skill=questioning")).text()).not.toContain(
      FIELDS.title,
    );
    expect(await (await b.manager.client.request("/coach/assignments")).text()).not.toContain(FIELDS.title);
    expect((await b.rep.client.request(`${path}/${lessonSlug}`)).status).toBe(404);
  });
});

describe("an organization's lesson in the learning loop", () => {
  it("reaches the rep's Today by assignment, counts on the manager's dashboard when done, and comes back in the boost", async () => {
    const a = await organization();
    const team = await makeTeam(a.org.id, "Zanzibar team", [
      { userId: a.manager.user.id, role: "manager" },
      { userId: a.rep.user.id, role: "member" },
    ]);
    const { path } = await publishedLesson(a.trainer.client);
    const page = await (await a.manager.client.request("/coach/assignments")).text();
    const target = new RegExp(`<option value="([^"]+)">[^<]*${FIELDS.title}`).exec(page)![1]!;
    const due = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const created = await a.manager.client.post("/coach/assignments", {
      intent: "create",
      target,
      teamId: team.id,
      dueDay: due,
      note: "Before the zanzibar calls",
      submission: submissionKey(page),
    });
    expect(created.status).toBe(200);
    const today = (await (await a.rep.client.request("/today")).text()).replaceAll("<!-- -->", "");
    expect(today).toContain(FIELDS.title);
    expect(today).toContain("Before the zanzibar calls");

    // The rep opens the lesson from Today, answers its question and finishes it.
    expect((await a.rep.client.request(path)).status).toBe(200);
    expect(
      (
        await a.rep.client.post(path, {
          intent: "answer",
          question: "first-question",
          choice: "c1",
          submission: "studio-loop-1",
        })
      ).status,
    ).toBe(303);
    expect((await a.rep.client.post(path, { intent: "finish" })).status).toBe(303);
    // One rep reached, none not started or in progress, one completed, none overdue.
    const csv = await (await a.manager.client.request("/insights/export/assignments.csv")).text();
    expect(csv).toMatch(new RegExp(`${FIELDS.title}[^\\n]*,Zanzibar team,${due},1,0,0,1,0`));

    // Its question became the rep's review card; once due (set a day back here), the daily boost asks it.
    const [card] = await db().select().from(cards).where(eq(cards.userId, a.rep.user.id));
    expect(card!.questionKey).toBe("first-question");
    await db()
      .update(cards)
      .set({ due: new Date(Date.now() - 86_400_000) })
      .where(eq(cards.id, card!.id));
    const boost = (await (await a.rep.client.request("/boost")).text()).replaceAll("<!-- -->", "");
    expect(boost).toContain("What do you ask first?");
  });
});

describe("archiving", () => {
  it("an archived lesson or module leaves the reps' library and search, and comes back as it was", async () => {
    const a = await organization();
    const moduleId = await createModule(a.trainer.client, "Zanzibar deals");
    const lessonId = await createLesson(a.trainer.client, moduleId, "Budget questions");
    expect((await submitDraft(a.trainer.client, lessonId, "publish", lessonBody())).status).toBe(303);
    const visible = async () => ({
      library: (await (await a.rep.client.request("/library")).text()).includes(FIELDS.title),
      search: (await (await a.rep.client.request("/library?q=zanzibar")).text()).includes(FIELDS.title),
    });
    expect(await visible()).toEqual({ library: true, search: true });

    expect((await a.trainer.client.post("/content", { intent: "archive-lesson", lesson: lessonId })).status).toBe(303);
    expect(await visible()).toEqual({ library: false, search: false });
    expect(await (await a.trainer.client.request("/content")).text()).toContain(`Bring back ${FIELDS.title}`);
    expect((await a.trainer.client.post("/content", { intent: "unarchive-lesson", lesson: lessonId })).status).toBe(
      303,
    );
    expect(await visible()).toEqual({ library: true, search: true });

    // A lesson of an archived module waits for its module.
    expect((await a.trainer.client.post("/content", { intent: "archive-module", module: moduleId })).status).toBe(303);
    expect((await a.trainer.client.post("/content", { intent: "archive-lesson", lesson: lessonId })).status).toBe(303);
    const refused = await a.trainer.client.post("/content", { intent: "unarchive-lesson", lesson: lessonId });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("bring the module back first");
    expect((await first(db().select().from(lessons).where(eq(lessons.id, lessonId))))!.archivedAt).not.toBeNull();
    expect((await a.trainer.client.post("/content", { intent: "unarchive-module", module: moduleId })).status).toBe(
      303,
    );
    expect((await a.trainer.client.post("/content", { intent: "unarchive-lesson", lesson: lessonId })).status).toBe(
      303,
    );
    expect(await visible()).toEqual({ library: true, search: true });
    const verbs = (
      await db().select({ verb: statements.verb }).from(statements).where(eq(statements.objectId, lessonId))
    ).map((r) => r.verb);
    expect(verbs.filter((v) => v === VERBS.unarchived)).toHaveLength(2);
  });
});

describe("publishing", () => {
  it("republishing keeps a rep's earlier attempt on its version and the question's card while its id stays; dropping an answered question asks first", async () => {
    const a = await organization();
    const { lessonId, path, versionId } = await publishedLesson(a.trainer.client);
    expect((await a.rep.client.request(path)).status).toBe(200);
    const answer = await a.rep.client.post(path, {
      intent: "answer",
      question: "first-question",
      choice: "c1",
      submission: "studio-test-1",
    });
    expect(answer.status).toBe(303);
    // Finishing the lesson gives the rep a review card for its question.
    expect((await a.rep.client.post(path, { intent: "finish" })).status).toBe(303);
    const cardBefore = (await first(db().select().from(cards).where(eq(cards.userId, a.rep.user.id))))!;
    expect(cardBefore.questionKey).toBe("first-question");

    // Same id, new prompt: a new version, the rep's attempt stays on the first.
    const changed = await submitDraft(a.trainer.client, lessonId, "publish", lessonBody("What do you ask now?"));
    expect(changed.status).toBe(303);
    const current = (await first(db().select().from(lessons).where(eq(lessons.id, lessonId))))!;
    expect(current.currentVersionId).not.toBe(versionId);
    const attempt = (await first(db().select().from(attempts).where(eq(attempts.userId, a.rep.user.id))))!;
    expect(attempt.lessonVersionId).toBe(versionId);
    const repPage = (await (await a.rep.client.request(path)).text()).replaceAll("<!-- -->", "");
    expect(repPage).toContain("What do you ask now?");
    // The rep's answer stays shown under the question, said to be from the earlier version.
    expect(repPage).toContain("You answered this on an earlier version of the lesson");
    // The card stays the same card (its FSRS state and history with it).
    const cardsAfter = await db().select().from(cards).where(eq(cards.userId, a.rep.user.id));
    expect(cardsAfter.map((c) => c.id)).toEqual([cardBefore.id]);

    const published = async () =>
      (await first(db().select().from(lessons).where(eq(lessons.id, lessonId))))!.currentVersionId;
    // The answered question's right answer swapped: asked first, naming the change.
    const swapped = lessonBody("What do you ask now?")
      .replace("<Choice correct explanation", "<Choice explanation")
      .replace('<Choice explanation="Because it closes', '<Choice correct explanation="Because it closes');
    const askedSwap = await submitDraft(a.trainer.client, lessonId, "publish", swapped);
    expect(askedSwap.status).toBe(409);
    const swapPage = (await askedSwap.text()).replaceAll("<!-- -->", "");
    expect(swapPage).toContain("first-question): answered by 1 rep, its right answer changes");
    expect(swapPage).toContain('name="confirm" value="first-question:right-answer"');
    expect(await published()).toBe(current.currentVersionId);

    // A new id for the answered question instead: the confirmation of the swap does not cover it.
    const rekeyed = lessonBody("What do you ask now?", "renamed-question");
    const asked = await submitDraft(a.trainer.client, lessonId, "publish", rekeyed, {
      confirm: "first-question:right-answer",
    });
    expect(asked.status).toBe(409);
    const askedPage = (await asked.text()).replaceAll("<!-- -->", "");
    expect(askedPage).toContain("Publish anyway");
    expect(askedPage).toContain("first-question): answered by 1 rep, dropped or given a new id");
    expect(await published()).toBe(current.currentVersionId);
    const confirmed = await submitDraft(a.trainer.client, lessonId, "publish", rekeyed, {
      confirm: "first-question:dropped",
    });
    expect(confirmed.status).toBe(303);
    const keys = await db()
      .select({ key: questions.key })
      .from(questions)
      .innerJoin(lessons, eq(lessons.currentVersionId, questions.lessonVersionId))
      .where(eq(lessons.id, lessonId));
    expect(keys.map((k) => k.key)).toEqual(["renamed-question"]);

    // Recorded: created, published three times, by the trainer.
    const verbs = (
      await db().select({ verb: statements.verb }).from(statements).where(eq(statements.actorId, a.trainer.user.id))
    ).map((s) => s.verb);
    expect(verbs.filter((v) => v === VERBS.authored)).toHaveLength(2);
    expect(verbs.filter((v) => v === VERBS.published)).toHaveLength(3);
  });

  it("hostile MDX is refused with its line, and nothing is published", async () => {
    const a = await organization();
    const moduleId = await createModule(a.trainer.client);
    const lessonId = await createLesson(a.trainer.client, moduleId);
    const hostile = `Intro line for the reader.\n\nimport fs from "node:fs"\n\n{process.exit(1)}\n\n[click](javascript:alert(1))\n\n<KeyPoint>\n\n- x\n\n</KeyPoint>\n`;
    const response = await submitDraft(a.trainer.client, lessonId, "publish", hostile);
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toMatch(/Line 3:1: [^<]*import/);
    expect(html).toMatch(/Line 5:1: /);
    expect(html).toMatch(/Line 7:\d+: [^<]*javascript/i);
    expect((await first(db().select().from(lessons).where(eq(lessons.id, lessonId))))!.currentVersionId).toBeNull();
    // The draft keeps what was typed.
    expect((await first(db().select().from(lessonDrafts).where(eq(lessonDrafts.lessonId, lessonId))))!.body).toBe(
      hostile,
    );
  });

  it("warns, and still saves, on quiz wording that item analysis keeps flagging", async () => {
    const a = await organization();
    const lessonId = await createLesson(a.trainer.client, await createModule(a.trainer.client));
    const body = lessonBody("Which of these is not an open question?").replace(
      "What happens if nothing changes?",
      "Is there budget for this?",
    );
    expect((await submitDraft(a.trainer.client, lessonId, "save", body)).status).toBe(303);
    const editor = (await (await a.trainer.client.request(`/content/lessons/${lessonId}`)).text()).replaceAll(
      "<!-- -->",
      "",
    );
    expect(editor).toContain("suggestion");
    expect(editor).toContain("asks with “not”, which a rep reading fast misses. Write it in capitals (NOT)");
  });

  it("a draft over 200 KB is refused with a clear message", async () => {
    const a = await organization();
    const lessonId = await createLesson(a.trainer.client, await createModule(a.trainer.client));
    const response = await submitDraft(a.trainer.client, lessonId, "save", "word ".repeat(45_000));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("at most 200 KB");
  });
});

describe("two trainers, one lesson", () => {
  it("a save over someone else's newer draft is refused with both texts, and the merged text saves", async () => {
    const a = await organization();
    const lessonId = await createLesson(a.trainer.client, await createModule(a.trainer.client));
    const opened = await revisionOf(a.trainer.client, lessonId);
    expect(await revisionOf(a.second.client, lessonId)).toBe(opened);

    const theirs = lessonBody("Theirs: what do you ask?");
    expect((await submitDraft(a.trainer.client, lessonId, "save", theirs, { revision: opened })).status).toBe(303);
    const mine = lessonBody("Mine: what do you ask?");
    const refused = await submitDraft(a.second.client, lessonId, "save", mine, {
      revision: opened,
      summary: "My own summary of budget questions.",
    });
    expect(refused.status).toBe(409);
    const page = (await refused.text()).replaceAll("<!-- -->", "");
    expect(page).toContain("Theirs: what do you ask?");
    expect(page).toContain("Mine: what do you ask?");
    // Every detail of theirs is shown, with yours beside it where they differ.
    const details = /data-testid="their-details">(.*?)<\/dl>/s.exec(page)![1]!.replace(/<[^>]+>/g, " ");
    for (const value of [FIELDS.title, FIELDS.objective, FIELDS.level, FIELDS.tags, FIELDS.minutes])
      expect(details).toContain(value);
    expect(details).toMatch(
      /Summary\s+How to ask about budget without sounding like a form\.\s+· yours: My own summary of budget questions\./,
    );
    // Nothing lost: the stored draft is still theirs.
    expect((await first(db().select().from(lessonDrafts).where(eq(lessonDrafts.lessonId, lessonId))))!.body).toBe(
      theirs,
    );

    const merged = lessonBody("Merged: what do you ask?");
    const mergeRevision = /name="revision" value="(\d+)"/.exec(page)![1]!;
    expect((await submitDraft(a.second.client, lessonId, "save", merged, { revision: mergeRevision })).status).toBe(
      303,
    );
    expect((await first(db().select().from(lessonDrafts).where(eq(lessonDrafts.lessonId, lessonId))))!.body).toBe(
      merged,
    );

    // The autosave route refuses the same way, with who saved.
    const stale = await a.trainer.client.post(`/content/lessons/${lessonId}/draft`, {
      ...FIELDS,
      intent: "autosave",
      body: "stale",
      revision: opened,
    });
    expect(stale.status).toBe(409);
    expect((await stale.json()).by).toBe(a.second.user.name);
  });
});

describe("preview", () => {
  it("shows the draft as reps will see it, plays its quiz, and records nothing", async () => {
    const a = await organization();
    const lessonId = await createLesson(a.trainer.client, await createModule(a.trainer.client));
    expect((await submitDraft(a.trainer.client, lessonId, "preview", lessonBody())).status).toBe(303);
    const tally = async () =>
      Promise.all(
        [attempts, lessonProgress, cards].map(async (t) => (await db().select({ n: count() }).from(t))[0]!.n),
      ).then(async (n) => [
        ...n,
        (await db().select({ n: count() }).from(statements).where(eq(statements.actorId, a.trainer.user.id)))[0]!.n,
      ]);
    const before = await tally();

    const preview = await a.trainer.client.request(`/content/lessons/${lessonId}/preview?width=phone`);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain("What do you ask first?");
    expect(html).toContain("max-w-[375px]");
    const script = /src="(\/content\/lessons\/[^"]+\/preview-code\/[a-f0-9]{64}\.js)"/.exec(html)![1]!;
    const code = await (await a.trainer.client.request(script)).text();
    expect(code).toContain("__flywheelLessons");
    // Answer keys never reach the browser, in the preview either.
    expect(code).not.toContain("opens the conversation");

    const answered = await a.trainer.client.post(`/content/lessons/${lessonId}/preview?width=phone`, {
      intent: "answer",
      question: "first-question",
      choice: "c2",
    });
    expect(answered.status).toBe(303);
    const back = answered.headers.get("location")!;
    expect(back).toContain("answers=first-question%3Ac2");
    const feedback = await (await a.trainer.client.request(back)).text();
    expect(feedback).toContain("Because it closes the conversation.");
    expect(await tally()).toEqual(before);
    // Nor is a rep's lesson list touched: the draft was never published.
    expect((await first(db().select().from(lessons).where(eq(lessons.id, lessonId))))!.currentVersionId).toBeNull();
  });
});

describe("preview of a branching role-play", () => {
  it("plays its turns from the URL, scores the path and stores no submission", async () => {
    const a = await organization();
    const lessonId = await createLesson(a.trainer.client, await createModule(a.trainer.client));
    const roleplay = SKELETONS.find((s) => s.label === "RolePlay")!.text(1);
    const text = `A sentence for the reader about budgets.\n\n${roleplay}\n<KeyPoint>\n\n- Trade, don't give.\n\n</KeyPoint>\n`;
    expect((await submitDraft(a.trainer.client, lessonId, "preview", text)).status).toBe(303);
    const preview = `/content/lessons/${lessonId}/preview`;
    const opening = await (await a.trainer.client.request(preview)).text();
    expect(opening).toContain("Your proposal is 20% over what we budgeted");

    const first_ = await a.trainer.client.post(preview, {
      intent: "roleplay-choose",
      roleplay: "roleplay-1",
      reply: "r2",
    });
    expect(first_.status).toBe(303);
    const second = await (await a.trainer.client.request(first_.headers.get("location")!)).text();
    expect(second).toContain("You asked what is behind the number before moving.");
    expect(second).toContain("We sized it for 200 users, not 300.");

    const after = new URL(first_.headers.get("location")!, server.url);
    const last = await a.trainer.client.post(`${after.pathname}${after.search}`, {
      intent: "roleplay-choose",
      roleplay: "roleplay-1",
      reply: "r1",
    });
    const done = await (await a.trainer.client.request(last.headers.get("location")!)).text();
    expect(done.replaceAll("<!-- -->", "")).toContain("You scored 100/100");
    const [stored] = await db()
      .select({ n: count() })
      .from(roleplaySubmissions)
      .where(eq(roleplaySubmissions.userId, a.trainer.user.id));
    expect(stored!.n).toBe(0);
  });
});

describe("history, restore and copies", () => {
  it("plays an open role-play's turns with written replies and their notes, and stores no submission", async () => {
    const a = await organization();
    const lessonId = await createLesson(a.trainer.client, await createModule(a.trainer.client));
    const levels = [1, 2, 3, 4, 5].map((n) => `<Level score="${n}">Level ${n} of listening.</Level>`).join("\n");
    const roleplay = [
      `<RolePlay id="guarded" mode="open" title="A guarded buyer" persona="Ines, head of customer service" situation="Second call; she sounds guarded." goal="Find the concern behind her objection.">`,
      `<Turn id="t1" buyer="It has been a rough month: the queue hit 40 minutes." hint="Reflect before you ask."/>`,
      `<Turn id="t2" buyer="Just send me a proposal and I will take a look."/>`,
      "<Rubric>",
      ...[
        ["listen", "Listens", 40],
        ["reflect", "Reflects", 30],
        ["next", "Agrees a next step", 30],
      ].map(
        ([id, name, weight]) => `<Criterion id="${id}" name="${name}" weight="${weight}">\n${levels}\n</Criterion>`,
      ),
      "</Rubric>",
      `</RolePlay>`,
    ].join("\n");
    const text = `A sentence for the reader about guarded buyers.\n\n${roleplay}\n<KeyPoint>\n\n- Hear her out first.\n\n</KeyPoint>\n`;
    expect((await submitDraft(a.trainer.client, lessonId, "preview", text)).status).toBe(303);
    const preview = `/content/lessons/${lessonId}/preview`;
    const opening = (await (await a.trainer.client.request(preview)).text()).replaceAll("<!-- -->", "");
    expect(opening).toContain("Turn 1 of 2");

    const empty = await a.trainer.client.post(preview, { intent: "roleplay-reply", roleplay: "guarded", turn: "t1" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Write a reply to try the next turn.");

    const first_ = await a.trainer.client.post(preview, {
      intent: "roleplay-reply",
      roleplay: "guarded",
      turn: "t1",
      "reply-t1": "Forty minutes sounds exhausting. What has that meant for your team?",
    });
    expect(first_.status).toBe(303);
    const second = (await (await a.trainer.client.request(first_.headers.get("location")!)).text()).replaceAll(
      "<!-- -->",
      "",
    );
    expect(second).toContain("Turn 2 of 2");
    expect(second).toContain("Forty minutes sounds exhausting.");
    // The automatic notes a rep gets on the reply: "What has that meant…" is an open question.
    expect(second).toMatch(/Questions:\s*<span[^>]*>open<\/span>/);
    expect(second).toContain("Just send me a proposal");

    const after = new URL(first_.headers.get("location")!, server.url);
    // A reply to a turn that is not the one in front of the rep moves nothing.
    const stale = await a.trainer.client.post(`${after.pathname}${after.search}`, {
      intent: "roleplay-reply",
      roleplay: "guarded",
      turn: "t1",
      "reply-t1": "Again?",
    });
    expect(
      (await (await a.trainer.client.request(stale.headers.get("location")!)).text()).replaceAll("<!-- -->", ""),
    ).toContain("Turn 2 of 2");
    const last = await a.trainer.client.post(`${after.pathname}${after.search}`, {
      intent: "roleplay-reply",
      roleplay: "guarded",
      turn: "t2",
      "reply-t2": "Happy to. Who else will read it, and when shall we go through it together?",
    });
    const done = (await (await a.trainer.client.request(last.headers.get("location")!)).text()).replaceAll(
      "<!-- -->",
      "",
    );
    expect(done).toContain("Submitted. Your manager will review it with the rubric");
    expect(done).toContain("Who else will read it");
    const [stored] = await db()
      .select({ n: count() })
      .from(roleplaySubmissions)
      .where(eq(roleplaySubmissions.userId, a.trainer.user.id));
    expect(stored!.n).toBe(0);
  });

  it("lists every version with who and when, shows a diff, and restores an old version as the draft", async () => {
    const a = await organization();
    const { lessonId, versionId } = await publishedLesson(a.trainer.client);
    expect((await submitDraft(a.trainer.client, lessonId, "publish", lessonBody("Second prompt?"))).status).toBe(303);
    const history = await (await a.trainer.client.request(`/content/lessons/${lessonId}/history`)).text();
    expect(history).toContain("Version 2");
    expect(history).toContain("Version 1");
    expect(history).toContain(a.trainer.user.name);
    expect(history).toContain("Removed: ");
    expect(history).toContain("Second prompt?");

    const restored = await a.trainer.client.post(`/content/lessons/${lessonId}/history`, {
      intent: "restore",
      version: versionId,
      revision: /name="revision" value="(\d+)"/.exec(history)![1]!,
    });
    expect(restored.status).toBe(303);
    const draft = (await first(db().select().from(lessonDrafts).where(eq(lessonDrafts.lessonId, lessonId))))!;
    expect(draft.body).toContain("What do you ask first?");
    expect(draft.revision).toBeGreaterThan(draft.publishedRevision);
    const verbs = (
      await db().select({ verb: statements.verb }).from(statements).where(eq(statements.actorId, a.trainer.user.id))
    ).map((s) => s.verb);
    expect(verbs).toContain(VERBS.restored);
    const list = await (await a.trainer.client.request("/content")).text();
    expect(list).toContain("Changed since publishing");
  });

  it("a restore never replaces a draft saved after the history page was opened, and asks before replacing unpublished changes", async () => {
    const a = await organization();
    const { lessonId, versionId } = await publishedLesson(a.trainer.client);
    expect((await submitDraft(a.trainer.client, lessonId, "publish", lessonBody("Second prompt?"))).status).toBe(303);
    const historyPath = `/content/lessons/${lessonId}/history`;
    const revisionOn = (html: string) => /name="revision" value="(\d+)"/.exec(html)![1]!;
    const seen = revisionOn(await (await a.trainer.client.request(historyPath)).text());
    // Meanwhile the second trainer saves words of their own, not published.
    const theirs = lessonBody("The second trainer's prompt?");
    expect((await submitDraft(a.second.client, lessonId, "save", theirs)).status).toBe(303);

    // The first trainer restores from the page opened before: refused, nothing replaced.
    const stale = await a.trainer.client.post(historyPath, { intent: "restore", version: versionId, revision: seen });
    expect(stale.status).toBe(409);
    expect((await stale.text()).replaceAll("<!-- -->", "")).toContain(
      `The draft was saved by ${a.second.user.name} after this page was opened, so nothing was restored.`,
    );
    expect(await draftBody(lessonId)).toBe(theirs);

    // A fresh page says the draft has unpublished changes; restoring asks first, naming who saved them.
    const fresh = (await (await a.trainer.client.request(historyPath)).text()).replaceAll("<!-- -->", "");
    expect(fresh).toContain(`The draft has changes not published yet (saved by ${a.second.user.name} on`);
    const asked = await a.trainer.client.post(historyPath, {
      intent: "restore",
      version: versionId,
      revision: revisionOn(fresh),
    });
    expect(asked.status).toBe(409);
    const askedPage = (await asked.text()).replaceAll("<!-- -->", "");
    expect(askedPage).toContain(
      "The draft has changes that are not published yet. Restoring this version replaces them.",
    );
    expect(askedPage).toContain("Restore version 1 anyway");
    expect(await draftBody(lessonId)).toBe(theirs);

    // Confirmed: version 1's text is the draft.
    const confirmed = await a.trainer.client.post(historyPath, {
      intent: "restore",
      version: versionId,
      revision: revisionOn(fresh),
      confirm: "1",
    });
    expect(confirmed.status).toBe(303);
    expect(await draftBody(lessonId)).toContain("What do you ask first?");
    // A revision that is not a number is refused with a message.
    expect(
      (await a.trainer.client.post(historyPath, { intent: "restore", version: versionId, revision: "x" })).status,
    ).toBe(400);
  });

  it("a flag on a built-in question leads to its lesson's copy, opened at that question", async () => {
    const a = await organization();
    const [question] = await db()
      .select({ lessonId: questions.lessonId, key: questions.key })
      .from(questions)
      .innerJoin(lessons, eq(lessons.currentVersionId, questions.lessonVersionId))
      .where(eq(lessons.owner, LIBRARY_OWNER))
      .limit(1);
    const flagLink = `/content?lesson=${question!.lessonId}&question=${question!.key}`;
    const library = (await first(
      db()
        .select({ title: modules.title })
        .from(lessons)
        .innerJoin(modules, eq(modules.id, lessons.moduleId))
        .where(eq(lessons.id, question!.lessonId)),
    ))!;
    // With no module of its own yet, the copy goes into a new one named as the library's.
    const page = (await (await a.trainer.client.request(flagLink)).text()).replaceAll("<!-- -->", "");
    expect(page).toContain(`name="question" value="${question!.key}"`);
    expect(page).toContain(`<option value="new">A new module: ${library.title}</option>`);
    const copied = await a.trainer.client.post("/content", {
      intent: "copy-lesson",
      lesson: question!.lessonId,
      into: "new",
      question: question!.key,
      submission: submissionKey(page),
    });
    expect(copied.status).toBe(303);
    expect(copied.headers.get("location")).toMatch(new RegExp(`^/content/lessons/[^/?]+\\?question=${question!.key}$`));
    const own = await db()
      .select({ title: modules.title, slug: modules.slug })
      .from(modules)
      .where(eq(modules.owner, a.org.id));
    expect(own).toEqual([{ title: library.title, slug: expect.stringMatching(/-copy$/) }]);
    // With a module of its own, the copy can go there.
    const moduleId = await createModule(a.trainer.client);
    const again = await (await a.trainer.client.request(flagLink)).text();
    const intoOwn = await a.trainer.client.post("/content", {
      intent: "copy-lesson",
      lesson: question!.lessonId,
      into: moduleId,
      submission: submissionKey(again),
    });
    expect(intoOwn.status).toBe(303);
    const inModule = await db().select({ id: lessons.id }).from(lessons).where(eq(lessons.moduleId, moduleId));
    expect(inModule).toHaveLength(1);
  });

  it("copies a library module as the organization's drafts, leaving the library as it was", async () => {
    const a = await organization();
    const library = (await first(
      db()
        .select({ id: modules.id, title: modules.title })
        .from(modules)
        .where(eq(modules.owner, LIBRARY_OWNER))
        .limit(1),
    ))!;
    const libraryLessons = await db().select({ id: lessons.id }).from(lessons).where(eq(lessons.moduleId, library.id));
    const submission = submissionKey(await (await a.trainer.client.request("/content")).text());
    const copied = await a.trainer.client.post("/content", { intent: "copy-module", module: library.id, submission });
    expect(copied.status).toBe(303);
    const copy = (await first(
      db()
        .select()
        .from(modules)
        .where(and(eq(modules.owner, a.org.id), eq(modules.title, library.title))),
    ))!;
    expect(copy.slug).toMatch(/-copy$/);
    const copies = await db()
      .select({ id: lessons.id, versionId: lessons.currentVersionId, body: lessonDrafts.body })
      .from(lessons)
      .innerJoin(lessonDrafts, eq(lessonDrafts.lessonId, lessons.id))
      .where(eq(lessons.moduleId, copy.id));
    expect(copies.length).toBe(libraryLessons.filter(Boolean).length);
    expect(copies.every((c) => c.versionId === null && c.body.length > 100)).toBe(true);
    // A copy publishes as it came from the library.
    const first_ = copies[0]!;
    const editor = await (await a.trainer.client.request(`/content/lessons/${first_.id}`)).text();
    expect(editor).not.toContain("problems to fix before publishing");
    // The library module is untouched and still the library's.
    const [still] = await db().select({ n: count() }).from(lessons).where(eq(lessons.moduleId, library.id));
    expect(still!.n).toBe(libraryLessons.length);
    const versionsOfCopies = await db()
      .select({ n: count() })
      .from(lessonVersions)
      .where(eq(lessonVersions.lessonId, first_.id));
    expect(versionsOfCopies[0]!.n).toBe(0);
  });

  it("the library's next sync changes the library lesson and leaves the organization's copy as it was", async () => {
    const a = await organization();
    const library = (await first(
      db()
        .select({ id: lessons.id, slug: lessons.slug, moduleSlug: modules.slug, versionId: lessons.currentVersionId })
        .from(lessons)
        .innerJoin(modules, eq(modules.id, lessons.moduleId))
        .where(eq(lessons.owner, LIBRARY_OWNER))
        .limit(1),
    ))!;
    const moduleId = await createModule(a.trainer.client);
    const page = await (await a.trainer.client.request("/content")).text();
    const copied = await a.trainer.client.post("/content", {
      intent: "copy-lesson",
      lesson: library.id,
      into: moduleId,
      submission: submissionKey(page),
    });
    expect(copied.status).toBe(303);
    const copyId = /\/content\/lessons\/([^/?]+)/.exec(copied.headers.get("location")!)![1]!;
    expect((await submitDraft(a.trainer.client, copyId, "publish", await draftBody(copyId))).status).toBe(303);
    const copyVersion = (await first(db().select().from(lessons).where(eq(lessons.id, copyId))))!.currentVersionId;

    // The library changes upstream: one more line in that lesson's file, then the sync.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flywheel-library-"));
    fs.cpSync("content", dir, { recursive: true });
    const folder = path.join(dir, library.moduleSlug);
    const file = fs.readdirSync(folder).find((f) => f.endsWith(`-${library.slug}.mdx`))!;
    fs.appendFileSync(path.join(folder, file), "\nA line the library added upstream.\n");
    expect((await syncLibrary(db(), { dir })).compiled).toBe(1);

    const source = async (lessonId: string) => {
      const row = (await first(
        db()
          .select({ source: lessonVersions.source })
          .from(lessons)
          .innerJoin(lessonVersions, eq(lessonVersions.id, lessons.currentVersionId))
          .where(eq(lessons.id, lessonId)),
      ))!;
      return row.source;
    };
    expect(await source(library.id)).toContain("A line the library added upstream.");
    // The copy: the same published version, and a draft without the line.
    expect((await first(db().select().from(lessons).where(eq(lessons.id, copyId))))!.currentVersionId).toBe(
      copyVersion,
    );
    expect(await source(copyId)).not.toContain("A line the library added upstream.");
    expect(await draftBody(copyId)).not.toContain("A line the library added upstream.");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

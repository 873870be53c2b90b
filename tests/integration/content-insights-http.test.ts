// /content/insights over real HTTP on the production build: who may see it, another organization's
// ids, the period and team filters, the lesson's question figures and the CSV downloads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/connection.server";
import { findCurrentQuestion } from "../../app/features/content/questions.server";
import { syncLibrary } from "../../app/features/content/sync.server";
import { answerQuestion } from "../../app/features/learning/answers.server";
import { recordLessonOpened } from "../../app/features/learning/progress.server";
import { reviewSubmission } from "../../app/features/practice/roleplay-reviews.server";
import { selfAssess, submitOpenRoleplay } from "../../app/features/practice/roleplay-submissions.server";
import { lessonSource, makeContentDir } from "../support/content";
import { completeLesson, orgLesson, orgLessons, type TestLesson } from "../support/learning";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
let server: TestServer;
let lesson: TestLesson;
let otherLesson: TestLesson;
let teamId: string;
let otherTeamId: string;
let repName: string;
const clients: Record<string, Client> = {};

async function signedIn(role: string, email: string) {
  clients[role] = new Client(server.url);
  expect((await clients[role].login(email, TEST_PASSWORD)).status).toBe(302);
}
const text = async (role: string, path: string) => {
  const response = await clients[role]!.request(path);
  return { status: response.status, body: (await response.text()).replaceAll("<!-- -->", "") };
};

beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
  const org = await makeOrg();
  const [trainer, admin, manager, rep] = await Promise.all([
    makeUser(org.id, ["trainer"]),
    makeUser(org.id, ["admin"]),
    makeUser(org.id, ["manager"]),
    makeUser(org.id, ["rep"]),
  ]);
  lesson = (await orgLessons(org.id, 1, 2))[0]!;
  // Three reps finished the lesson two days ago (one missed q1), a fourth forty days ago.
  const reps = await Promise.all([1, 2, 3, 4].map(() => makeUser(org.id, ["rep"])));
  const learner = (r: { id: string }) => ({ id: r.id, orgId: org.id, timezone: "UTC" });
  const recent = new Date(Date.now() - 2 * DAY);
  await completeLesson(learner(reps[0]!), lesson!, recent, ["q1"]);
  await completeLesson(learner(reps[1]!), lesson!, recent);
  await completeLesson(learner(reps[2]!), lesson!, recent);
  await completeLesson(learner(reps[3]!), lesson!, new Date(Date.now() - 40 * DAY));
  teamId = (await makeTeam(org.id, "Solo team", [{ userId: reps[0]!.id, role: "member" }])).id;

  const other = await makeOrg();
  otherLesson = (await orgLessons(other.id, 1, 2))[0]!;
  otherTeamId = (await makeTeam(other.id, "Elsewhere")).id;
  const otherTrainer = await makeUser(other.id, ["trainer"]);
  repName = rep.name;
  await Promise.all([
    signedIn("trainer", trainer.email),
    signedIn("admin", admin.email),
    signedIn("manager", manager.email),
    signedIn("rep", rep.email),
    signedIn("otherTrainer", otherTrainer.email),
  ]);
});
afterAll(() => server?.stop());

describe("content insights over HTTP", () => {
  it("reps and managers get 403 on the page, a lesson's figures and every download", async () => {
    for (const role of ["rep", "manager"]) {
      expect((await text(role, "/content/insights")).status, role).toBe(403);
      expect((await text(role, `/content/insights/lessons/${lesson.id}`)).status, role).toBe(403);
      expect((await text(role, "/content/insights/export/lessons.csv")).status, role).toBe(403);
    }
  });

  it("a trainer sees the lessons of the period; the period and team filters narrow them", async () => {
    const page = await text("trainer", "/content/insights?period=4w");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Content insights");
    expect(page.body).toContain("Lesson 1");
    // The period is whole weeks, and the page names its first Monday as it writes every day, and
    // when its figures were counted (a view is kept 30 s).
    expect(page.body).toMatch(
      /Whole weeks, Monday to Sunday: from the week of Mon, [A-Z][a-z]{2} \d{1,2}(, \d{4})?, this week included\. Figures as of \d{1,2}:\d{2} [AP]M\./,
    );
    const csv = async (query: string) =>
      (await text("trainer", `/content/insights/export/lessons.csv?${query}`)).body.split("\r\n");
    // Module, lesson, started, finished, completion %, median minutes (3 each), estimate, stopped at.
    expect((await csv("period=4w"))[0]).toBe(
      "Module,Lesson,Started,Finished,Completion %,Median minutes,Estimate minutes,Most stopped at",
    );
    expect((await csv("period=4w"))[1]).toMatch(/^Testing module,Lesson 1,3,3,100,3,\d+,$/);
    expect((await csv("period=12w"))[1]).toMatch(/^Testing module,Lesson 1,4,4,100,3,/);
    expect((await csv(`period=4w&team=${teamId}`))[1]).toMatch(/^Testing module,Lesson 1,1,1,100,3,/);
    // The module of that one lesson: the same reps started it, and finishing the lesson finished it.
    const modules = async (query: string) =>
      (await text("trainer", `/content/insights/export/modules.csv?${query}`)).body.split("\r\n");
    expect((await modules("period=4w")).slice(0, 2)).toEqual([
      "Module,Started,Finished,Completion %",
      "Testing module,3,3,100",
    ]);
    expect((await modules("period=12w"))[1]).toBe("Testing module,4,4,100");
    expect((await modules(`period=4w&team=${teamId}`))[1]).toBe("Testing module,1,1,100");
  });

  it("a lesson's questions show facility and choices, and download for the chosen version", async () => {
    const page = await text("admin", `/content/insights/lessons/${lesson.id}?period=4w`);
    expect(page.status).toBe(200);
    // q1: two of three first answers right.
    expect(page.body).toMatch(/3 first answers · facility 67%/);
    // The question's link opens the organization's lesson in the studio's editor at the question.
    const editor = `/content/lessons/${lesson.id}?question=q1`;
    expect(page.body).toContain(`href="${editor}"`);
    const opened = await text("admin", editor);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatch(/The question “q1” starts on line \d+ of the lesson text\./);
    const csv = await text(
      "admin",
      `/content/insights/export/questions.csv?period=4w&lesson=${lesson.id}&version=${lesson.versionId}`,
    );
    expect(csv.status).toBe(200);
    const [header, q0, q1] = csv.body.split("\r\n");
    expect(header).toMatch(/^Question,Prompt,Answers,Facility %,Discrimination,/);
    expect(q0).toMatch(/^q0,[^,]+,3,100,,/);
    expect(q1).toMatch(/^q1,[^,]+,3,66\.7,,/);
  });

  it("another organization's lesson, version or team gets 404, page and download alike", async () => {
    expect((await text("trainer", `/content/insights/lessons/${otherLesson.id}`)).status).toBe(404);
    expect((await text("trainer", `/content/insights/export/questions.csv?lesson=${otherLesson.id}`)).status).toBe(404);
    expect(
      (await text("trainer", `/content/insights/lessons/${lesson.id}?version=${otherLesson.versionId}`)).status,
    ).toBe(404);
    expect((await text("trainer", `/content/insights?team=${otherTeamId}`)).status).toBe(404);
    expect((await text("trainer", `/content/insights/export/flags.csv?team=${otherTeamId}`)).status).toBe(404);
    expect((await text("trainer", "/content/insights/export/nonsense.csv")).status).toBe(404);
    expect((await text("trainer", "/content/insights?team=not-an-id!")).status).toBe(404);
  });

  it("every table downloads as CSV", async () => {
    for (const name of ["lessons", "modules", "flags", "roleplays"]) {
      const response = await clients.trainer!.request(`/content/insights/export/${name}.csv`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    }
  });

  it("a rep rates a lesson at its end and may change it; trainers of the organization, and only they, read it", async () => {
    const here = "/learn/testing/lesson-1";
    const first = await clients.rep!.post(here, { intent: "rate", useful: "yes", comment: "Too long for a call" });
    expect(first.status).toBe(303);
    expect(first.headers.get("location")).toBe(`${here}?rated=1#lesson-rating`);
    expect((await clients.rep!.post(here, { intent: "rate", useful: "no", comment: "Changed my mind" })).status).toBe(
      303,
    );
    const page = await text("rep", `${here}?rated=1`);
    expect(page.body).toContain("Update my rating");
    expect(page.body).toContain("Changed my mind");
    // Bad input: a clear message, nothing changed.
    const bad = await clients.rep!.post(here, { intent: "rate", useful: "maybe" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Say whether the lesson was useful.");
    expect((await clients.manager!.post(here, { intent: "rate", useful: "yes" })).status).toBe(403);

    // 26 weeks: the views of 4 and 12 weeks the tests above opened are kept for 30 s, as counted then.
    const ratings = (await text("trainer", "/content/insights/export/ratings.csv?period=26w")).body.split("\r\n");
    expect(ratings[1]).toBe("Testing module,Lesson 1,0,1,0");
    const comments = (await text("trainer", "/content/insights/export/comments.csv?period=26w")).body;
    expect(comments).toContain(`${repName},not useful,Changed my mind`);
    expect(comments).not.toContain("Too long for a call");
    expect((await text("admin", "/content/insights?period=26w")).body).toContain("Changed my mind");
    // Another organization's trainer sees neither the comment nor the name.
    for (const path of ["/content/insights?period=4w", "/content/insights/export/comments.csv?period=4w"]) {
      const elsewhere = await text("otherTrainer", path);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.body).not.toContain("Changed my mind");
      expect(elsewhere.body).not.toContain(repName);
    }
  });
});

/** A lesson with an open role-play graded on three criteria, and a quiz lesson (synced again for a second version). */
const levels = [1, 2, 3, 4, 5].map((n) => `<Level score="${n}">Level ${n}.</Level>`).join("\n");
const ROLEPLAY = [
  `<RolePlay id="guarded" mode="open" title="A guarded buyer" persona="Ines, head of customer service" situation="Second call; she sounds guarded." goal="Find the concern behind her objection.">`,
  `<Turn id="t1" buyer="It has been a rough month: the queue hit 40 minutes."/>`,
  "<Rubric>",
  `<Criterion id="listen" name="Listens" weight="40">\n${levels}\n</Criterion>`,
  `<Criterion id="reflect" name="Reflects" weight="30">\n${levels}\n</Criterion>`,
  `<Criterion id="next" name="Agrees a next step" weight="30">\n${levels}\n</Criterion>`,
  "</Rubric>",
  "</RolePlay>",
].join("\n");
const twoChoices = (id: string) => ({
  id,
  choices: [
    ["right", true],
    ["wrong", false],
  ] as Array<[string, boolean]>,
});
const contentDir = (quizKeys: string[]) =>
  makeContentDir({
    "01-lesson-1.mdx": lessonSource("Lesson 1", quizKeys.map(twoChoices)),
    "02-guarded.mdx": lessonSource("Guarded buyers", [], `\n\n${ROLEPLAY}\n`),
  });

describe("role-plays and versions, hand-worked", () => {
  let org: { id: string };
  let trainer: Client;
  let v1: TestLesson;
  let v2: TestLesson;
  const learner = (r: { id: string }) => ({ id: r.id, orgId: org.id, timezone: "UTC" });

  beforeAll(async () => {
    org = await makeOrg();
    const [trainerUser, manager] = await Promise.all([makeUser(org.id, ["trainer"]), makeUser(org.id, ["manager"])]);
    const reps = await Promise.all([1, 2, 3, 4, 5].map(() => makeUser(org.id, ["rep"])));
    await makeTeam(org.id, "Coached", [
      { userId: manager.id, role: "manager" },
      ...reps.map((r) => ({ userId: r.id, role: "member" as const })),
    ]);
    // Version 1 of the quiz lesson has q0 and q1; version 2 keeps q0 and replaces q1 by q2.
    await syncLibrary(db(), { dir: contentDir(["q0", "q1"]), owner: org.id });
    v1 = { ...(await orgLesson(org.id, "lesson-1")), keys: ["q0", "q1"] };
    const recent = new Date(Date.now() - 2 * DAY);
    // On version 1: reps 0 and 1, rep 1 wrong on q0 and q1.
    // Each takes (2 questions + 1) × the minutes between answers: 3, 6, 3, 9 and 12 minutes (the
    // cap is four times the lesson's 3 minutes).
    await completeLesson(learner(reps[0]!), v1, recent, [], 1);
    await completeLesson(learner(reps[1]!), v1, recent, ["q0", "q1"], 2);
    await syncLibrary(db(), { dir: contentDir(["q0", "q2"]), owner: org.id });
    v2 = { ...(await orgLesson(org.id, "lesson-1")), keys: ["q0", "q2"] };
    expect(v2.versionId).not.toBe(v1.versionId);
    // On version 2: reps 2, 3 and 4; rep 2 wrong on q2.
    for (const [i, rep] of reps.slice(2).entries())
      await completeLesson(
        learner(rep),
        v2,
        new Date(recent.getTime() + i * 3_600_000),
        i === 0 ? ["q2"] : [],
        [1, 3, 4][i],
      );
    // Outside the team: one more finisher forty days ago (12 minutes), and a rep who opened
    // version 2 two days ago, answered q0 and stopped.
    const [late, stopped] = await Promise.all([makeUser(org.id, ["rep"]), makeUser(org.id, ["rep"])]);
    await completeLesson(learner(late), v2, new Date(Date.now() - 40 * DAY), [], 4);
    await recordLessonOpened(db(), learner(stopped), v2, recent);
    await answerQuestion(db(), {
      user: learner(stopped),
      question: (await findCurrentQuestion(db(), v2.id, "q0"))!,
      lessonTitle: v2.title,
      chosen: ["c1"],
      submissionId: `stopped-${v2.id}`,
      context: "lesson",
      now: new Date(recent.getTime() + 60_000),
    });

    // The role-play: reps 0–2 hand it in and are reviewed two days ago, rep 3 forty days ago, rep 4
    // is not reviewed. Self-assessed by reps 0 and 1.
    const guarded = await orgLesson(org.id, "guarded");
    const reviewer = { ...manager, orgId: org.id, timezone: "UTC" };
    const scored: Array<[manager: Record<string, number>, self: Record<string, number> | null, daysAgo: number]> = [
      [{ listen: 4, reflect: 2, next: 3 }, { listen: 5, reflect: 2, next: 3 }, 2],
      [{ listen: 4, reflect: 3, next: 5 }, { listen: 5, reflect: 4, next: 5 }, 2],
      [{ listen: 2, reflect: 3, next: 3 }, null, 2],
      [{ listen: 1, reflect: 1, next: 1 }, null, 40],
    ];
    for (const [i, rep] of reps.entries()) {
      const at = new Date(Date.now() - (scored[i]?.[2] ?? 2) * DAY);
      const id = await submitOpenRoleplay(
        db(),
        learner(rep),
        guarded.id,
        guarded.title,
        "guarded",
        { t1: { text: "A rough month: what happened with the queue?", recordingId: null } },
        at,
      );
      if (!scored[i]) continue;
      const [managerScores, self] = scored[i]!;
      if (self) await selfAssess(db(), learner(rep), guarded.id, "guarded", self);
      await reviewSubmission(db(), reviewer, id, managerScores, "Thanks.", new Date(at.getTime() + 3_600_000));
    }
    trainer = new Client(server.url);
    expect((await trainer.login(trainerUser.email, TEST_PASSWORD)).status).toBe(302);
  });

  const csv = async (path: string) => {
    const response = await trainer.request(path);
    expect(response.status, path).toBe(200);
    return (await response.text()).split("\r\n");
  };

  it("role-play criteria: the manager's levels counted 1–5 and the calibration gap in points", async () => {
    // Listens, in 4 weeks: levels 4, 4, 2 → level 2 once, level 4 twice. Self-assessed twice:
    // (5 − 4) × 20 = 20 and (5 − 4) × 20 = 20, mean 20 points.
    // Reflects: levels 2, 3, 3 → level 2 once, level 3 twice; (2 − 2) × 20 = 0 and (4 − 3) × 20 = 20, mean 10.
    // Agrees a next step: levels 3, 5, 3; self 3 and 5 match their managers, gap 0. Rep 4's
    // unreviewed submission counts nowhere.
    expect((await csv("/content/insights/export/roleplays.csv?period=4w")).slice(1, 4)).toEqual([
      "A guarded buyer,Listens,3,0,1,0,2,0,2,20",
      "A guarded buyer,Reflects,3,0,1,2,0,0,2,10",
      "A guarded buyer,Agrees a next step,3,0,0,2,0,1,2,0",
    ]);
    // Twelve weeks take in the review forty days ago: level 1 on every criterion, no self-assessment.
    expect((await csv("/content/insights/export/roleplays.csv?period=12w")).slice(1, 4)).toEqual([
      "A guarded buyer,Listens,4,1,1,0,2,0,2,20",
      "A guarded buyer,Reflects,4,1,1,2,0,0,2,10",
      "A guarded buyer,Agrees a next step,4,1,0,2,0,1,2,0",
    ]);
    const page = (await (await trainer.request("/content/insights?period=4w")).text()).replaceAll("<!-- -->", "");
    expect(page).toContain("A guarded buyer");
  });

  it("a lesson's funnel and its module, counted over both versions", async () => {
    // 4 weeks: six reps started, five finished (5 ÷ 6 = 83.3%); their minutes 3, 3, 6, 9, 12, the
    // median the middle one, 6; the one who stopped answered q0, so stopped at q2, the next
    // question of the lesson as it is now (version 2: q0, q2; q1 is no longer in it).
    const lessonsCsv = async (period: string) =>
      (await csv(`/content/insights/export/lessons.csv?period=${period}`)).slice(1).filter(Boolean);
    expect(await lessonsCsv("4w")).toEqual(["Testing module,Lesson 1,6,5,83.3,6,3,q2 (1)"]);
    // 12 weeks add the finisher of forty days ago (12 minutes): 7 started, 6 finished (85.7%);
    // minutes 3, 3, 6, 9, 12, 12, the median the mean of the middle two, (6 + 9) ÷ 2 = 7.5.
    expect(await lessonsCsv("12w")).toEqual(["Testing module,Lesson 1,7,6,85.7,7.5,3,q2 (1)"]);
    // The module: the same reps started it; none finished it (nobody finished its role-play lesson).
    expect((await csv("/content/insights/export/modules.csv?period=4w"))[1]).toBe("Testing module,6,0,0");
    expect((await csv("/content/insights/export/modules.csv?period=12w"))[1]).toBe("Testing module,7,0,0");
  });

  it("the version filter counts each version's answers; with none, every version's", async () => {
    const questions = async (version: string) =>
      (await csv(`/content/insights/export/questions.csv?period=4w&lesson=${v1.id}${version}`))
        .slice(1)
        .filter(Boolean)
        .map((row) => row.split(",").slice(0, 4).join(","));
    // Version 1: q0 answered by 2, 1 right (50%); q1 by 2, 1 right.
    expect(await questions(`&version=${v1.versionId}`)).toEqual(["q0,Question q0?,2,50", "q1,Question q1?,2,50"]);
    // Version 2: q0 by 4 (three finishers and the rep who stopped), all right; q2 by 3, 2 right (66.7%).
    expect(await questions(`&version=${v2.versionId}`)).toEqual(["q0,Question q0?,4,100", "q2,Question q2?,3,66.7"]);
    // Every version: q0 keeps its history across versions, 6 answers, 5 right (83.3%); q1 stays listed.
    const all = await questions("");
    expect(all).toContain("q0,Question q0?,6,83.3");
    expect(all).toContain("q1,Question q1?,2,50");
    expect(all).toContain("q2,Question q2?,3,66.7");
    // The page names both versions, the current one marked.
    const page = (await (await trainer.request(`/content/insights/lessons/${v1.id}?period=4w`)).text()).replaceAll(
      "<!-- -->",
      "",
    );
    // q1, which version 2 dropped, keeps its figures but has no link to fix it and no flag.
    const q1 = /id="question-q1"(.*?)<\/article>/s.exec(page)![1]!;
    expect(q1).toContain("No longer in the lesson: a later version dropped it.");
    expect(q1).not.toContain("Open the question");
    expect(/id="question-q2"(.*?)<\/article>/s.exec(page)![1]!).toContain("Open the question");
    expect(page).toContain("Version 1");
    expect(page).toMatch(/Version 2[^<]*\(current\)/);
  });
});

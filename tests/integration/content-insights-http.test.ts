// /content/insights over real HTTP on the production build: who may see it, another organization's
// ids, the period and team filters, the lesson's question figures and the CSV downloads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { completeLesson, orgLessons, type TestLesson } from "../support/learning";
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
    // The period is whole weeks, and the page names its first Monday as it writes every day.
    expect(page.body).toMatch(
      /Whole weeks, Monday to Sunday: from the week of Mon, [A-Z][a-z]{2} \d{1,2}(, \d{4})?, this week included\./,
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

    const ratings = (await text("trainer", "/content/insights/export/ratings.csv?period=4w")).body.split("\r\n");
    expect(ratings[1]).toBe("Testing module,Lesson 1,0,1,0");
    const comments = (await text("trainer", "/content/insights/export/comments.csv?period=4w")).body;
    expect(comments).toContain(`${repName},not useful,Changed my mind`);
    expect(comments).not.toContain("Too long for a call");
    expect((await text("admin", "/content/insights?period=4w")).body).toContain("Changed my mind");
    // Another organization's trainer sees neither the comment nor the name.
    for (const path of ["/content/insights?period=4w", "/content/insights/export/comments.csv?period=4w"]) {
      const elsewhere = await text("otherTrainer", path);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.body).not.toContain("Changed my mind");
      expect(elsewhere.body).not.toContain(repName);
    }
  });
});

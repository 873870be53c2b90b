// The installable app that works offline (issue 18, decision 035): the manifest and icons, the
// service worker controlling the page, lessons read from the worker's copies with every request
// to the server aborted (the worker's own included), answers kept on the phone and stored once
// when the server is back, and a sign-out that leaves nothing of the rep for the next person.
import type { BrowserContext, Page, Route } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { db } from "../../app/db/connection.server";
import { attempts, lessonProgress, lessons, modules, reviewLogs } from "../../app/db/schema";
import { createAssignment, targetValue } from "../../app/features/coaching/assignments.server";
import {
  expect,
  finishedLessonDaysAgo,
  horizontalOverflow,
  newOrganization,
  seriousViolations,
  signInAs,
  test,
  type Person,
} from "./fixtures";

test.use({ serviceWorkers: "allow" });

const LESSON = { module: "questioning", slug: "funnel-questions", title: "Funnel questions" };
const LESSON_PATH = `/learn/${LESSON.module}/${LESSON.slug}`;

async function lessonId(): Promise<string> {
  const [found] = await db()
    .select({ id: lessons.id })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(and(eq(modules.slug, LESSON.module), eq(lessons.slug, LESSON.slug)));
  return found!.id;
}

/** A rep of a new organization with the lesson assigned to them by their manager (due in a week). */
async function repWithAssignedLesson(name: string): Promise<Person> {
  const org = await newOrganization();
  const rep = await org.person(["rep"], name);
  const manager = await org.person(["manager"], `${name} Manager`);
  const team = await org.team(`${name}'s team`, { members: [rep], managers: [manager] });
  const now = new Date();
  const due = new Date(now.getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
  await createAssignment(
    db(),
    { ...manager, timezone: "UTC" },
    {
      target: targetValue({ kind: "lesson", id: await lessonId(), roleplayKey: null }),
      teamId: team.id,
      repIds: [],
      dueDay: due,
      note: "",
    },
    now,
  );
  return rep;
}

/** Opens Today signed in and waits until the service worker controls the page and has saved the rep's pages. */
async function savedForOffline(page: Page) {
  await page.goto("/today");
  await expect(page.locator("html[data-offline=kept]")).toBeAttached({ timeout: 30_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** Cuts the server off: the browser says it is offline, and every request (the worker's too) is aborted. */
async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route("**", (route) => route.abort("internetdisconnected"));
}

async function comeBackOnline(context: BrowserContext) {
  await context.unroute("**");
  await context.setOffline(false);
}

/** A tap on the assigned lesson's link in Today. */
const tapAssignedLesson = (page: Page) =>
  page
    .getByRole("link", { name: new RegExp(LESSON.title) })
    .first()
    .click();

/** Marks the page's document: a navigation inside the app keeps the mark, a page load loses it. */
const markDocument = (page: Page) => page.evaluate(() => Object.assign(window, { flywheelMark: true }));
const stillMarked = async (page: Page) =>
  (await page.evaluate(() => (window as unknown as { flywheelMark?: boolean }).flywheelMark)) === true;

function answersTo(rep: Person, questionKey: string) {
  return db()
    .select({ id: attempts.id })
    .from(attempts)
    .where(and(eq(attempts.userId, rep.id), eq(attempts.questionKey, questionKey)));
}

test("the app installs: manifest fields, icons of the stated sizes, and a service worker controlling the page", async ({
  page,
  request,
}) => {
  await signInAs(page, await repWithAssignedLesson("Ines Duarte"));
  await savedForOffline(page);
  const href = await page.locator("link[rel=manifest]").getAttribute("href");
  expect(await page.locator("link[rel=apple-touch-icon]").getAttribute("href")).toBe("/icons/apple-touch-icon.png");
  expect(await page.locator("meta[name=theme-color]").getAttribute("content")).toBe("#1f5fd1");

  const response = await request.get(href!);
  expect(response.headers()["content-type"]).toBe("application/manifest+json");
  const manifest = await response.json();
  expect(manifest).toMatchObject({
    name: "Flywheel",
    short_name: "Flywheel",
    display: "standalone",
    start_url: "/today",
  });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
  const base = new URL(response.url());
  expect(new URL(manifest.start_url, base).pathname.startsWith(new URL(manifest.scope, base).pathname)).toBe(true);

  const icons: Array<{ src: string; sizes: string; type: string; purpose: string }> = manifest.icons;
  expect(icons.map((i) => `${i.sizes} ${i.purpose}`).sort()).toEqual([
    "192x192 any",
    "512x512 any",
    "512x512 maskable",
  ]);
  for (const icon of [...icons, { src: "/icons/apple-touch-icon.png", sizes: "180x180", type: "image/png" }]) {
    const file = await request.get(icon.src);
    expect(file.status(), icon.src).toBe(200);
    expect(file.headers()["content-type"]).toBe(icon.type);
    const bytes = await file.body();
    // A PNG: its signature, then the IHDR chunk with the width and height.
    expect(bytes.subarray(1, 4).toString("ascii")).toBe("PNG");
    expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
  }
  // The worker's scope is the whole app, so start_url is inside it.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(new URL(scope).pathname).toBe("/");
});

test("offline, an assigned lesson opens from the phone; an answer waits there and is stored once when the server is back", async ({
  page,
  context,
}) => {
  const rep = await repWithAssignedLesson("Tobias Lind");
  await signInAs(page, rep);
  await savedForOffline(page);
  // Saving the copy is not the rep opening the lesson.
  const opened = await db().select().from(lessonProgress).where(eq(lessonProgress.userId, rep.id));
  expect(opened).toEqual([]);

  await goOffline(context);
  await page.goto(LESSON_PATH);
  await expect(page.getByRole("heading", { level: 1, name: LESSON.title })).toBeVisible();
  const quiz = page.locator("#quiz-one-layer-deeper");
  await quiz.getByLabel("Where is that churn showing up most?").check();
  await quiz.getByRole("button", { name: "Check answer" }).click();
  await expect(quiz.getByRole("status")).toHaveText("Saved on this phone; it will be sent when you are back online.");
  expect(await answersTo(rep, "one-layer-deeper")).toHaveLength(0);

  await comeBackOnline(context);
  await expect(quiz.getByRole("status")).toHaveText("Sent. Reload the page to see how you did.", { timeout: 30_000 });
  await expect.poll(async () => (await answersTo(rep, "one-layer-deeper")).length).toBe(1);
  // The server shows the answer as given (read past the worker: a slow answer would show the copy).
  expect(await (await page.request.get(LESSON_PATH)).text()).toContain("Your pick, and right.");
  // Another page load tries the queue again: nothing is left to send, and the answer stays one.
  await page.goto("/today");
  await expect(page.locator("html[data-offline=kept]")).toBeAttached();
  expect(await answersTo(rep, "one-layer-deeper")).toHaveLength(1);
});

test("offline, a tap on the assigned lesson in Today opens it from the phone", async ({ page, context }) => {
  const rep = await repWithAssignedLesson("Lea Brandt");
  await signInAs(page, rep);
  await savedForOffline(page);
  await goOffline(context);
  // A tap on a link inside the app, with nothing reachable: the app loads the whole page, and the
  // worker answers with the copy.
  await tapAssignedLesson(page);
  await expect(page.getByRole("heading", { level: 1, name: LESSON.title })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${LESSON_PATH}$`));
  // A page the phone does not keep (Progress was never opened): the offline page, not an error.
  await page.getByRole("navigation").getByRole("link", { name: "Progress" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "You're offline" })).toBeVisible();
  await expect(page).toHaveURL(/\/progress$/);
  await comeBackOnline(context);
});

test("on a network that is up but does not answer, a tap inside the app shows the saved lesson without loading a page", async ({
  page,
  context,
}) => {
  const rep = await repWithAssignedLesson("Noor Haddad");
  await signInAs(page, rep);
  await savedForOffline(page);
  // A page load (the fallback when no data is kept) would lose this document's mark.
  await markDocument(page);
  // Every request from here on, the worker's included, reaches nothing and never fails; the
  // browser still says it is online, so the tap is React Router's, asking for the lesson's data.
  await context.route("**", () => undefined);
  const dataAsked = page.waitForRequest((request) => request.url().includes(`${LESSON_PATH}.data`));
  await tapAssignedLesson(page);
  await dataAsked;
  await expect(page.getByRole("heading", { level: 1, name: LESSON.title })).toBeVisible({ timeout: 15_000 });
  // The lesson's body (its script, kept by its hash) and its quiz are there too.
  await expect(page.locator("#quiz-one-layer-deeper")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${LESSON_PATH}$`));
  expect(await stillMarked(page)).toBe(true);
  await context.unrouteAll({ behavior: "ignoreErrors" });
});

test("with the server unreachable and a page's data not kept, a tap inside the app loads the page's copy", async ({
  page,
  context,
}) => {
  const rep = await repWithAssignedLesson("Jonas Berg");
  await signInAs(page, rep);
  await savedForOffline(page);
  // The phone kept the lesson but not its data (saved by an earlier version of the worker).
  const dropped = await page.evaluate(
    async ([user, path]) => (await caches.open(`flywheel-pages-${user}`)).delete(`${path}.data`),
    [rep.id, LESSON_PATH],
  );
  expect(dropped).toBe(true);
  await markDocument(page);
  // Requests fail at once, though the browser says it is online: React Router asks for the data.
  await context.route("**", (route) => route.abort("connectionrefused"));
  await tapAssignedLesson(page);
  await expect(page.getByRole("heading", { level: 1, name: LESSON.title })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${LESSON_PATH}$`));
  // The worker had the app load the whole page, which it answered with the copy.
  expect(await stillMarked(page)).toBe(false);
  await context.unrouteAll({ behavior: "ignoreErrors" });
});

test("on a network that does not answer, the saved copy of a page shows instead of waiting", async ({
  page,
  context,
}) => {
  const rep = await repWithAssignedLesson("Amara Okoye");
  await signInAs(page, rep);
  await savedForOffline(page);
  // The lesson's requests reach nothing and never fail: only the worker's timeout can end the wait.
  await context.route(`**${LESSON_PATH}`, () => undefined);
  await page.goto(LESSON_PATH);
  await expect(page.getByRole("heading", { level: 1, name: LESSON.title })).toBeVisible();
  await context.unrouteAll({ behavior: "ignoreErrors" });
});

test("offline, today's boost opens from the phone and its answer is stored once when the server is back", async ({
  page,
  context,
}) => {
  const rep = await repWithAssignedLesson("Sofia Brandt");
  // A lesson finished a month ago: its questions are due in today's boost.
  await finishedLessonDaysAgo(rep, "listening", "silence-and-pauses", 30);
  await signInAs(page, rep);
  await savedForOffline(page);
  const reviews = () => db().select({ id: reviewLogs.id }).from(reviewLogs).where(eq(reviewLogs.userId, rep.id));
  // The lesson's answers were its cards' first reviews; the boost adds one per answer.
  const before = (await reviews()).length;

  await goOffline(context);
  await page.goto("/boost");
  await expect(page.getByText(/Question 1 of \d+/)).toBeVisible();
  await page.locator("input[name=choice]").first().check();
  await page.getByLabel("I know this").check();
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved on this phone; it will be sent when you are back online.");
  expect(await reviews()).toHaveLength(before);

  await comeBackOnline(context);
  await expect.poll(async () => (await reviews()).length, { timeout: 30_000 }).toBe(before + 1);
  // (React marks the seams between text and values with comments.)
  expect(await (await page.request.get("/boost")).text()).toMatch(/Question (<!-- -->)?2(<!-- -->)? of/);
  // Another page load tries the queue again: nothing is left to send, and the answer stays one.
  await page.goto("/today");
  await expect(page.locator("html[data-offline=kept]")).toBeAttached();
  expect(await reviews()).toHaveLength(before + 1);
});

test("on a slow network, the page after an answer waits for the server: a copy saved before the answer never stands in for it", async ({
  page,
  context,
}) => {
  const rep = await repWithAssignedLesson("Tariq Aziz");
  await finishedLessonDaysAgo(rep, "listening", "silence-and-pauses", 30);
  await signInAs(page, rep);
  await savedForOffline(page);
  await page.goto("/boost");
  await expect(page.getByText(/Question 1 of \d+/)).toBeVisible();
  // The answer reaches the server; the boost's data after it is held for longer than the worker
  // waits before it answers with a copy (its copy of /boost.data was saved before the answer).
  const held: Route[] = [];
  await context.route(
    (url) => url.pathname === "/boost.data",
    (route) => (route.request().method() === "GET" ? void held.push(route) : route.continue()),
  );
  await page.locator("input[name=choice]").first().check();
  await page.getByLabel("I know this").check();
  await page.getByRole("button", { name: "Check" }).click();
  await expect.poll(() => held.length).toBeGreaterThan(0);
  await page.waitForTimeout(4_000);
  for (const route of held) await route.continue();
  await context.unrouteAll({ behavior: "ignoreErrors" });
  // The server's answer: the feedback on the question answered.
  await expect(page.getByText(/^(Right|Not quite)\.$/)).toBeVisible();
});

test("signing out with no connection deletes the rep's pages from the phone all the same", async ({
  page,
  context,
}) => {
  const rep = await repWithAssignedLesson("Ines Duarte");
  await signInAs(page, rep);
  await savedForOffline(page);
  // Asked again while the page changes (the sign-out may load the offline page in its place).
  const kept = () =>
    page
      .evaluate(async () => (await caches.keys()).filter((name) => name.startsWith("flywheel-pages-")))
      .catch(() => null);
  expect(await kept()).toEqual([`flywheel-pages-${rep.id}`]);
  await goOffline(context);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect.poll(kept).toEqual([]);
  await comeBackOnline(context);
});

test("after a sign-out, the next person on the same phone finds none of the first rep's pages offline", async ({
  page,
  context,
}) => {
  const first = await repWithAssignedLesson("Maren Holt");
  await signInAs(page, first);
  await savedForOffline(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect
    .poll(() => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith("flywheel-pages-"))))
    .toEqual([]);

  // Someone else signs in on the same browser; the lesson is not assigned to them.
  const second = await (await newOrganization()).person(["rep"], "Kofi Mensah");
  await signInAs(page, second);
  await page.goto("/today");
  await expect(page.locator("html[data-offline=kept]")).toBeAttached({ timeout: 30_000 });
  expect(await page.evaluate(async () => await caches.keys())).not.toContain(`flywheel-pages-${first.id}`);

  await goOffline(context);
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto(LESSON_PATH);
  await expect(page.getByRole("heading", { level: 1, name: "You're offline" })).toBeVisible();
  await expect(page.getByText(LESSON.title)).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  expect(await horizontalOverflow(page)).toBe(0);
  await page.goto("/today");
  await expect(page.getByText("Good to see you, Kofi.")).toBeVisible();
  await expect(page.getByText("Maren")).toHaveCount(0);
  await comeBackOnline(context);
});

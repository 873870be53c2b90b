// Every page of every role on the demo, on a laptop and on a 375 px phone: axe finds nothing
// serious or critical, nothing scrolls sideways on the phone, and no date is written in a form the
// app no longer uses (ISO days, day/month, UTC: app/shared/date-formats.ts has the one format per
// kind of place). A route added to app/routes.ts without a visit here fails the first test.
import type { RouteConfigEntry } from "@react-router/dev/routes";
import type { Browser } from "@playwright/test";
import { and, eq, inArray } from "drizzle-orm";
import routes from "../../app/routes";
import { db, first } from "../../app/db/connection.server";
import { lessons, modules, roleplaySubmissions, teams, users } from "../../app/db/schema";
import { openDraft, publishDraft, saveDraft } from "../../app/features/studio/drafts.server";
import { copyLibraryLesson, createModule } from "../../app/features/studio/studio.server";
import { expect, horizontalOverflow, seriousViolations, signIn, test } from "./fixtures";

type Visit = { path: string; route: string };

/** Every URL pattern in app/routes.ts (layouts flattened), as React Router matches them. */
function patterns(entries: RouteConfigEntry[], prefix = ""): string[] {
  return entries.flatMap((entry) => {
    const here = entry.path === undefined ? prefix : `${prefix}/${entry.path}`.replace(/\/+/g, "/");
    const own =
      entry.index || (entry.path !== undefined && !entry.children?.length) ? [here === "/*" ? "*" : here || "/"] : [];
    return [...own, ...patterns(entry.children ?? [], here)];
  });
}

// Not pages: health checks, sign-out, scripts, recordings and CSV downloads, the SCIM API, the list
// of pages a phone keeps offline (JSON; the offline page itself is the service worker's, checked in
// offline.spec.ts); "*" is the 404 page, visited below.
const NOT_PAGES = new Set([
  "/healthz",
  "/ping",
  "/logout",
  "/offline/pages",
  // The service worker's post of a push subscription it ended (push-reminders.test.ts).
  "/push/forget",
  "/lesson-code/:file",
  "/practice/recordings",
  "/practice/recordings/:recordingId",
  "/insights/export/:file",
  "/content/insights/export/:file",
  "/admin/people/import/template.csv",
  "/admin/audit/export.csv",
  // SCIM's API for identity providers: JSON only (tests/integration/scim.test.ts).
  "/scim/v2/*",
  "/content/modules/:moduleId/export.zip",
  "/content/images/:name",
  "/setup",
  "/content/lessons/:lessonId/draft",
  "/content/lessons/:lessonId/preview-code/:file",
]);

const idOf = async (email: string) =>
  (await first(db().select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1)))!.id;

/** The demo's pages for each of its main logins (and a rep with a reviewed role-play), by route. */
async function demoPages(): Promise<Record<string, Visit[]>> {
  const { slug: questioning, id: questioningId } = (await first(
    db()
      .select({ slug: lessons.slug, id: lessons.id })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(eq(modules.slug, "questioning"))
      .orderBy(lessons.position)
      .limit(1),
  ))!;
  const priya = await idOf("priya.raman@example.com");
  const reviewed = (await first(
    db()
      .select({ id: roleplaySubmissions.id })
      .from(roleplaySubmissions)
      .where(and(eq(roleplaySubmissions.userId, priya), eq(roleplaySubmissions.status, "reviewed")))
      .limit(1),
  ))!.id;
  const waiting = (await first(
    db()
      .select({ id: roleplaySubmissions.id })
      .from(roleplaySubmissions)
      .where(
        and(
          eq(roleplaySubmissions.status, "submitted"),
          eq(roleplaySubmissions.mode, "open"),
          inArray(roleplaySubmissions.userId, [await idOf("elena.petrova@example.com")]),
        ),
      )
      .limit(1),
  ))!.id;
  const east = (await first(db().select({ id: teams.id }).from(teams).where(eq(teams.name, "Enterprise East"))))!.id;
  const v = (path: string, route = path): Visit => ({ path, route });
  return {
    "rep@example.com": [
      v("/today"),
      v("/boost"),
      // Pages every role has, with nothing of the role in them but the shell (which each role's
      // own pages below check): visited once, as the rep.
      v("/library"),
      v("/library?q=price%20objection", "/library"),
      v("/prep"),
      v("/account/password"),
      v("/learn/questioning", "/learn/:module"),
      v(`/learn/questioning/${questioning}`, "/learn/:module/:lesson"),
      v("/learn/listening/roleplay-listening", "/learn/:module/:lesson"),
      v("/learn/negotiation/roleplay-renewal", "/learn/:module/:lesson"),
      v("/progress"),
      v("/account/reminders"),
    ],
    "priya.raman@example.com": [v(`/practice/submissions/${reviewed}`, "/practice/submissions/:submissionId")],
    "manager@example.com": [
      v("/coach"),
      v("/coach/reviews"),
      v(`/coach/reviews/${waiting}`, "/coach/reviews/:submissionId"),
      v("/coach/assignments"),
      v("/insights"),
      v("/insights?period=26w", "/insights"),
      v(`/insights/reps/${priya}`, "/insights/reps/:repId"),
      v("/account/reminders"),
    ],
    "trainer@example.com": [
      v("/content"),
      v("/content/import"),
      v("/content/images"),
      v("/content/insights"),
      v("/content/insights?period=26w", "/content/insights"),
      v(`/content/insights/lessons/${questioningId}?period=26w`, "/content/insights/lessons/:lessonId"),
    ],
    "admin@example.com": [
      v("/admin"),
      v("/admin/users"),
      v(`/admin/users/${await idOf("rep@example.com")}`, "/admin/users/:userId"),
      v("/admin/teams"),
      v(`/admin/teams/${east}`, "/admin/teams/:teamId"),
      v("/admin/outbox"),
      v("/admin/settings"),
      v("/admin/people/import"),
      v("/admin/audit"),
      v("/admin/scim"),
      v("/admin/sign-in"),
      // The whole organization's dashboard (a manager's shows their teams); the admin's studio
      // pages are the trainer's, visited above.
      v("/insights"),
      // A page the admin may not enter, and one that does not exist: both inside the shell.
      v("/today"),
      v("/no-such-page", "*"),
    ],
  };
}

/**
 * A lesson of the demo organization's own, copied from the library and published twice through
 * the studio's functions (made once): the editor, preview and history have something to show.
 */
async function studioLesson(): Promise<string> {
  const trainer = (await first(
    db().select({ id: users.id, orgId: users.orgId }).from(users).where(eq(users.email, "trainer@example.com")),
  ))!;
  const own = await first(db().select({ id: lessons.id }).from(lessons).where(eq(lessons.owner, trainer.orgId)));
  if (own) return own.id;
  const who = { ...trainer, timezone: "UTC" };
  const now = new Date();
  const library = (await first(
    db()
      .select({ id: lessons.id })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(eq(modules.slug, "questioning"))
      .orderBy(lessons.position)
      .limit(1),
  ))!.id;
  const moduleId = await createModule(
    db(),
    who,
    { title: "Our playbook", summary: "Our own deals.", skill: "questioning" },
    now,
  );
  const lessonId = await copyLibraryLesson(db(), who, library, moduleId, now);
  await publishDraft(db(), who, lessonId, { revision: 1, confirmed: [] }, now);
  const { draft } = await openDraft(db(), who, lessonId, now);
  await saveDraft(
    db(),
    who,
    lessonId,
    { fields: { ...draft.fields, minutes: "6" }, body: `${draft.body}\nOne more line.\n`, revision: draft.revision },
    now,
  );
  await publishDraft(db(), who, lessonId, { revision: draft.revision + 1, confirmed: [] }, now);
  return lessonId;
}

/** The studio's pages of one of the demo organization's own lessons, for its trainer. */
async function studioPages(): Promise<Visit[]> {
  const studio = await studioLesson();
  return [
    { path: `/content/lessons/${studio}`, route: "/content/lessons/:lessonId" },
    { path: `/content/lessons/${studio}/preview`, route: "/content/lessons/:lessonId/preview" },
    { path: `/content/lessons/${studio}/history`, route: "/content/lessons/:lessonId/history" },
  ];
}

const SIGNED_OUT: Visit[] = [
  { path: "/login", route: "/login" },
  { path: "/forgot-password", route: "/forgot-password" },
  { path: "/invite/not-a-real-token", route: "/invite/:token" },
  { path: "/reset-password/not-a-real-token", route: "/reset-password/:token" },
  { path: "/unsubscribe/not-a-real-token", route: "/unsubscribe/:token" },
  { path: "/answer/not-a-real-token?choice=c1", route: "/answer/:token" },
  { path: "/sso/callback?state=not-a-real-state", route: "/sso/callback" },
  { path: "/", route: "/" },
];

/** The page's words, without lessons (trainers' text), form controls or scripts. */
async function datesWrittenWrong(page: import("@playwright/test").Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("script, style, select, textarea, .lesson").forEach((node) => node.remove());
    // One space between elements, so two cells never run together into something date-like.
    copy.querySelectorAll("*").forEach((node) => node.append(" "));
    return copy.textContent ?? "";
  });
  return [...text.matchAll(/\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\/\d{1,2}\b|\bUTC\b/g)].map((m) => m[0]);
}

async function checkPages(browser: Browser, email: string | null, visits: Visit[]) {
  const problems: string[] = [];
  for (const viewport of [
    { width: 1366, height: 768 },
    { width: 375, height: 812 },
  ]) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    if (email) await signIn(page, email);
    for (const { path } of visits) {
      const where = `${email ?? "signed out"} ${path} at ${viewport.width} px`;
      await page.goto(path);
      await expect(page.locator("main, [role=main]").first(), where).toBeVisible();
      for (const finding of await seriousViolations(page)) problems.push(`${where}: ${finding}`);
      if (viewport.width === 375) {
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) problems.push(`${where}: scrolls ${overflow} px sideways`);
      } else {
        for (const date of await datesWrittenWrong(page)) problems.push(`${where}: a date written as “${date}”`);
      }
    }
    await context.close();
  }
  return problems;
}

test("every page of app/routes.ts is visited below, for some role", async () => {
  const visited = new Set(
    [...Object.values(await demoPages()).flat(), ...(await studioPages()), ...SIGNED_OUT].map((v) => v.route),
  );
  const missing = patterns(routes).filter((route) => !NOT_PAGES.has(route) && !visited.has(route));
  expect(missing).toEqual([]);
});

test("trainer@example.com, the studio: the editor, preview and history pass axe on a laptop and a phone, and fit the phone", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  expect(await checkPages(browser, "trainer@example.com", await studioPages())).toEqual([]);
});

test("signed out: every page passes axe, on a laptop and a phone", async ({ browser }) => {
  // As for the signed-in pages below: each page twice through axe on a shared machine.
  test.setTimeout(60_000 + 20_000 * SIGNED_OUT.length);
  expect(await checkPages(browser, null, SIGNED_OUT)).toEqual([]);
});

for (const email of [
  "rep@example.com",
  "priya.raman@example.com",
  "manager@example.com",
  "trainer@example.com",
  "admin@example.com",
]) {
  test(`${email}: every page passes axe on a laptop and a phone, fits the phone, and writes dates one way`, async ({
    browser,
  }) => {
    // Each page twice through axe, on a shared two-core machine: up to ten seconds a page.
    test.setTimeout(60_000 + 20_000 * (await demoPages())[email]!.length);
    const pages = (await demoPages())[email]!;
    expect(await checkPages(browser, email, pages)).toEqual([]);
  });
}

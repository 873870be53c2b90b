// Issue 18, "Installable app", over real HTTP on the production build (decision 035): the list of
// pages a rep's phone keeps offline (/offline/pages) is the rep's own and no-store; a copy saved
// for later records no lesson visit; the answer sent again after the connection came back is
// stored once; the manifest, icons and worker are served with the types and caching they need.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { attempts, lessonProgress, lessons, modules, statements } from "~/db/schema";
import { createAssignment, targetValue } from "~/features/coaching/assignments.server";
import { recordLessonOpened } from "~/features/learning/progress.server";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, submissionKey, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

async function lesson(moduleSlug: string, slug: string) {
  return (await first(
    db()
      .select({ id: lessons.id, title: lessons.title, versionId: lessons.currentVersionId, moduleId: modules.id })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(and(eq(modules.slug, moduleSlug), eq(lessons.slug, slug)))
      .limit(1),
  ))!;
}

async function moduleLessonPaths(moduleSlug: string): Promise<string[]> {
  const found = await db()
    .select({ slug: lessons.slug })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(eq(modules.slug, moduleSlug));
  return found.map((l) => `/learn/${moduleSlug}/${l.slug}`);
}

/** A rep in a team of their own, with a manager who assigns them things, signed in on the server. */
async function signedInRep(roles: Array<"rep" | "manager"> = ["rep"]) {
  const org = await makeOrg();
  const rep = { ...(await makeUser(org.id, roles)), timezone: "UTC" };
  const manager = { ...(await makeUser(org.id, ["manager"])), timezone: "UTC" };
  const team = await makeTeam(org.id, "Field", [
    { userId: rep.id, role: "member" },
    { userId: manager.id, role: "manager" },
  ]);
  const client = new Client(server.url);
  expect((await client.login(rep.email, TEST_PASSWORD)).status).toBe(302);
  const assign = async (target: string) =>
    createAssignment(
      db(),
      manager,
      {
        target,
        teamId: team.id,
        repIds: [],
        dueDay: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
        note: "",
      },
      new Date(),
    );
  return { org, rep, client, assign };
}

async function offlinePagesOf(client: Client) {
  const response = await client.request("/offline/pages");
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  return (await response.json()) as { user: string; pages: string[] };
}

describe("/offline/pages", () => {
  it("lists Today, the boost, the rep's assigned lessons (a module's every lesson) and the lessons they started", async () => {
    const { rep, client, assign } = await signedInRep();
    const assigned = await lesson("questioning", "funnel-questions");
    const closing = await lesson("closing", "map-the-buying-group");
    await assign(targetValue({ kind: "lesson", id: assigned.id, roleplayKey: null }));
    await assign(targetValue({ kind: "module", id: closing.moduleId, roleplayKey: null }));
    const started = await lesson("listening", "silence-and-pauses");
    await recordLessonOpened(db(), rep, { ...started, versionId: started.versionId! });

    const { user, pages } = await offlinePagesOf(client);
    expect(user).toBe(rep.id);
    const closingLessons = await moduleLessonPaths("closing");
    expect(closingLessons.length).toBeGreaterThan(1);
    expect(pages.sort()).toEqual(
      [
        "/today",
        "/boost",
        "/learn/questioning/funnel-questions",
        "/learn/closing",
        ...closingLessons,
        "/learn/listening/silence-and-pauses",
      ].sort(),
    );
  });

  it("holds nothing of another rep's, and nothing for someone without Today", async () => {
    const first = await signedInRep();
    await first.assign(
      targetValue({ kind: "lesson", id: (await lesson("questioning", "funnel-questions")).id, roleplayKey: null }),
    );
    const other = await signedInRep();
    expect(await offlinePagesOf(other.client)).toEqual({ user: other.rep.id, pages: ["/today", "/boost"] });
    const manager = await signedInRep(["manager"]);
    expect(await offlinePagesOf(manager.client)).toEqual({ user: manager.rep.id, pages: [] });
  });

  it("sends someone signed out to the sign-in page", async () => {
    const response = await new Client(server.url).request("/offline/pages");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?redirectTo=%2Foffline%2Fpages");
  });
});

describe("copies for later and answers sent again", () => {
  it("a lesson saved for offline reading records no visit; opening it does", async () => {
    const { rep, client } = await signedInRep();
    // The page, and its data (`.data`, what a tap inside the app asks for; the worker keeps both).
    for (const path of ["/learn/questioning/funnel-questions", "/learn/questioning/funnel-questions.data"]) {
      const copy = await client.request(path, { headers: { "X-Flywheel-Offline": "keep" } });
      expect(copy.status, path).toBe(200);
      expect(copy.headers.get("cache-control")).toBe("private, no-store");
      expect(await copy.text()).toContain("Funnel questions");
      expect(await db().select().from(lessonProgress).where(eq(lessonProgress.userId, rep.id))).toEqual([]);
      expect(await db().select().from(statements).where(eq(statements.actorId, rep.id))).toEqual([]);
    }

    expect((await client.request("/learn/questioning/funnel-questions")).status).toBe(200);
    expect(await db().select().from(lessonProgress).where(eq(lessonProgress.userId, rep.id))).toHaveLength(1);
  });

  it("a quiz answer kept offline and sent twice (once before the connection dropped) is stored once", async () => {
    const { rep, client } = await signedInRep();
    const path = "/learn/questioning/funnel-questions";
    const submission = submissionKey(await (await client.request(path)).text());
    // What the phone sends from its queue: the page's form, from the page's origin.
    const form = { intent: "answer", question: "one-layer-deeper", choice: "c2", submission, js: "1" };
    const sameOrigin = { Origin: server.url, "Sec-Fetch-Site": "same-origin" };
    expect((await client.post(path, form, sameOrigin)).status).toBe(200);
    expect((await client.post(path, form, sameOrigin)).status).toBe(200);
    const stored = await db()
      .select({ correct: attempts.correct })
      .from(attempts)
      .where(and(eq(attempts.userId, rep.id), eq(attempts.questionKey, "one-layer-deeper")));
    expect(stored).toEqual([{ correct: true }]);
    // The cross-origin check still holds for a replayed post.
    const forged = await client.post(
      path,
      { ...form, submission: `${submission}x` },
      {
        Origin: "https://evil.example",
        "Sec-Fetch-Site": "cross-site",
      },
    );
    expect(forged.status).toBe(403);
  });
});

describe("the installable app's files", () => {
  it("serves the manifest, the icons and the worker with their types; the worker is revalidated on each visit", async () => {
    const client = new Client(server.url);
    const manifest = await client.request("/manifest.webmanifest");
    expect(manifest.headers.get("content-type")).toBe("application/manifest+json");
    const icons = (await manifest.json()).icons as Array<{ src: string; type: string }>;
    for (const icon of icons) {
      const file = await client.request(icon.src);
      expect(file.status, icon.src).toBe(200);
      expect(file.headers.get("content-type")).toBe(icon.type);
    }
    const worker = await client.request("/sw.js");
    expect(worker.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(worker.headers.get("cache-control")).toBe("no-cache");
    // The page links to them; iOS reads the touch icon and the theme colour.
    const login = await (await client.request("/login")).text();
    expect(login).toContain('rel="manifest" href="/manifest.webmanifest"');
    expect(login).toContain('rel="apple-touch-icon" href="/icons/apple-touch-icon.png"');
    expect(login).toContain('name="theme-color" content="#1f5fd1"');
  });
});

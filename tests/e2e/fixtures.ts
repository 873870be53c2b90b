import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";
import { and, eq } from "drizzle-orm";
import { db } from "../../app/db/connection.server";
import { cards, lessons, modules, questions, type Role } from "../../app/db/schema";
import { findCurrentQuestion } from "../../app/features/content/questions.server";
import { answerQuestion, finishLesson } from "../../app/features/learning/answers.server";
import { boostCapacity, DEFAULT_SECONDS_PER_QUESTION } from "../../app/features/reinforcement/boost-size";
import { organizationSettings } from "../../app/features/people/organizations.server";
import { recordLessonOpened } from "../../app/features/learning/progress.server";
import { makeOrg, makeTeam, makeUser, TEST_PASSWORD } from "../support/people";

export const E2E_DATABASE = ".tmp/e2e/flywheel.db";
// The fixtures below open the server's database (scripts/e2e-server.mjs) with the app's own modules.
process.env.DATABASE_PATH = path.resolve(E2E_DATABASE);

export const DEMO_PASSWORD = "flywheel-demo";

/** Signs a page's browser context in over HTTP (the cookie lands in the context's jar). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  const response = await page.request.post("/login", { form: { email, password }, maxRedirects: 0 });
  expect(response.status(), `login for ${email}`).toBe(302);
}

export const test = base;

/**
 * axe's serious and critical findings on the page, one line each (empty when there are none).
 * Legacy mode runs axe in the page and its frames (the app has no cross-origin frames) instead of
 * finishing each run in a blank page of its own: the same findings in half the time, which across
 * every page of every role is minutes of a CI run (docs/testing.md).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

/** How far the page scrolls sideways: 0 when it fits the viewport. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
export { expect };

/** The newest outbox message to `to`, read through the admin's outbox page. */
export async function linkFromOutbox(page: Page, to: string, pathPrefix: string): Promise<string> {
  await page.goto("/admin/outbox");
  const message = page
    .getByRole("article")
    .filter({ hasText: `To ${to}` })
    .first();
  const text = await message.innerText();
  const match = new RegExp(`https?://[^\\s]+${pathPrefix}[a-z0-9]+`).exec(text);
  if (!match) throw new Error(`no ${pathPrefix} link for ${to} in:\n${text}`);
  return new URL(match[0]).pathname;
}

/** A person's review cards, read from the server's database. */
export function cardsOf(person: Person) {
  return db().select({ questionKey: cards.questionKey, due: cards.due }).from(cards).where(eq(cards.userId, person.id));
}

/**
 * How many questions a daily boost holds in the person's organization for a rep new to boosts:
 * the minutes at the default pace, and as many again saved from the week without a boost
 * (boost-size.ts, decision 023).
 */
export async function boostSizeOf(person: Person): Promise<number> {
  const { boostMinutes } = await organizationSettings(db(), person.orgId);
  return 2 * boostCapacity(boostMinutes, { secondsPerQuestion: DEFAULT_SECONDS_PER_QUESTION });
}

export type Person = { id: string; email: string; orgId: string; name: string };

/** "Tomás Ortega" → "tomas.ortega": the app's e-mail field (zod's z.email) refuses accented letters. */
function addressPart(name: string) {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replaceAll(" ", ".");
}

/**
 * A new organization of the test's own, beside the demo one: the people and teams a test changes
 * are its own, made like tests/support/people.ts makes them, so no test edits demo rows.
 */
export async function newOrganization() {
  const org = await makeOrg();
  const tag = org.id.slice(0, 8);
  return {
    id: org.id,
    name: org.name,
    person: (roles: Role[], name: string): Promise<Person> =>
      makeUser(org.id, roles, `${addressPart(name)}.${tag}@test.example`, name),
    team: (name: string, people: { members?: Person[]; managers?: Person[] }) =>
      makeTeam(org.id, name, [
        ...(people.members ?? []).map((p) => ({ userId: p.id, role: "member" as const })),
        ...(people.managers ?? []).map((p) => ({ userId: p.id, role: "manager" as const })),
      ]),
  };
}

/** Signs a test's own person in (their password is tests/support/people.ts's). */
export function signInAs(page: Page, person: Person) {
  return signIn(page, person.email, TEST_PASSWORD);
}

/**
 * The rep opened a lesson, answered every question (the first choice each time) and finished it
 * `daysAgo` days ago, through the app's own functions with that clock: its cards are as
 * they would be today had the rep done it then.
 */
export async function finishedLessonDaysAgo(rep: Person, moduleSlug: string, lessonSlug: string, daysAgo: number) {
  const then = new Date(Date.now() - daysAgo * 86_400_000);
  const learner = { id: rep.id, orgId: rep.orgId, timezone: "UTC" };
  const [lesson] = await db()
    .select({ id: lessons.id, title: lessons.title, versionId: lessons.currentVersionId })
    .from(lessons)
    .innerJoin(modules, eq(modules.id, lessons.moduleId))
    .where(and(eq(modules.slug, moduleSlug), eq(lessons.slug, lessonSlug)));
  if (!lesson) throw new Error(`no lesson ${moduleSlug}/${lessonSlug}`);
  const keys = await db()
    .select({ key: questions.key })
    .from(questions)
    .where(and(eq(questions.lessonId, lesson.id), eq(questions.lessonVersionId, lesson.versionId!)));
  await recordLessonOpened(db(), learner, { id: lesson.id, title: lesson.title, versionId: lesson.versionId! }, then);
  for (const { key } of keys) {
    const question = (await findCurrentQuestion(db(), lesson.id, key))!;
    await answerQuestion(db(), {
      user: learner,
      question,
      lessonTitle: lesson.title,
      chosen: [question.choices[0]!.id],
      submissionId: crypto.randomUUID(),
      context: "lesson",
      now: then,
    });
  }
  expect((await finishLesson(db(), learner, lesson.id, lesson.title, then)).completed).toBe(true);
  return keys.length;
}

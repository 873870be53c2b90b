import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "flywheel-demo";

/** Signs a page's browser context in over HTTP (the cookie lands in the context's jar). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  const response = await page.request.post("/login", { form: { email, password }, maxRedirects: 0 });
  expect(response.status(), `login for ${email}`).toBe(302);
}

export const test = base;

/** axe's serious and critical findings on the page, one line each (empty when there are none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
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

/**
 * Moves a rep's clock forward by `days`: every scheduling time of their cards moves back, which
 * is what the server sees when that many days have passed.
 */
export async function travelForward(email: string, days: number): Promise<void> {
  const { default: Database } = await import("better-sqlite3");
  const database = new Database(E2E_DATABASE);
  try {
    const shift = days * 86_400_000;
    database
      .prepare(
        "update cards set due = due - ?, last_review = last_review - ? where user_id = (select id from users where email = ?)",
      )
      .run(shift, shift, email);
  } finally {
    database.close();
  }
}

export async function cardsOf(email: string): Promise<Array<{ questionKey: string; due: number }>> {
  const { default: Database } = await import("better-sqlite3");
  const database = new Database(E2E_DATABASE, { readonly: true });
  try {
    return database
      .prepare(
        "select question_key as questionKey, due from cards where user_id = (select id from users where email = ?)",
      )
      .all(email) as Array<{ questionKey: string; due: number }>;
  } finally {
    database.close();
  }
}

export const E2E_DATABASE = ".tmp/e2e/flywheel.db";

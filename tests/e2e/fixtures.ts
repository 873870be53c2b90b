import { test as base, expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "flywheel-demo";

/** Signs a page's browser context in over HTTP (the cookie lands in the context's jar). */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  const response = await page.request.post("/login", { form: { email, password }, maxRedirects: 0 });
  expect(response.status(), `login for ${email}`).toBe(302);
}

export const test = base;
export { expect };

/** The newest outbox message to `to`, read through the admin's outbox page. */
export async function linkFromOutbox(page: Page, to: string, pathPrefix: string): Promise<string> {
  await page.goto("/admin/outbox");
  const message = page.getByRole("article").filter({ hasText: `To ${to}` }).first();
  const text = await message.innerText();
  const match = new RegExp(`https?://[^\\s]+${pathPrefix}[a-z0-9]+`).exec(text);
  if (!match) throw new Error(`no ${pathPrefix} link for ${to} in:\n${text}`);
  return new URL(match[0]).pathname;
}

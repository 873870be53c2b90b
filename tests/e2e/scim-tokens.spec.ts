// An admin makes a SCIM token for their identity provider in a real browser (decision 034): on a
// phone, the token is shown once (and works), the list says when it was made and last used, and
// revoking it stops it; without JavaScript the same forms post and answer.
import { expect, horizontalOverflow, newOrganization, seriousViolations, signInAs, test } from "./fixtures";

const scimUsers = (baseURL: string, token: string) =>
  fetch(`${baseURL}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });

test("on a phone an admin creates a token, sees it once, and revokes it", async ({ browser, baseURL }) => {
  test.slow();
  const org = await newOrganization();
  const admin = await org.person(["admin"], "Sami Admin");
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await signInAs(page, admin);

  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "SCIM" }).click();
  await expect(page).toHaveURL(/\/admin\/scim$/);
  await expect(page.getByText("No token yet")).toBeVisible();
  await expect(page.getByText(/\/scim\/v2$/)).toBeVisible();

  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("Name the token after the identity provider")).toBeVisible();

  await page.getByLabel("Name").fill("Okta");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText("it is shown only this once")).toBeVisible();
  const token = await page.getByLabel("Token", { exact: true }).inputValue();
  expect(token).toMatch(/^[a-z0-9]+\.[a-z0-9]+$/);
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  expect((await scimUsers(baseURL!, token)).status).toBe(200);

  // Shown once: the page read again lists the token by name, never the token itself.
  await page.goto("/admin/scim");
  await expect(page.getByText("Okta", { exact: true })).toBeVisible();
  await expect(page.getByText(/Last used (?!Never)/)).toBeVisible();
  expect(await page.content()).not.toContain(token);

  await page.getByRole("button", { name: "Revoke Okta" }).click();
  await expect(page.getByText("The token is revoked")).toBeVisible();
  await expect(page.getByText(/Revoked/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke Okta" })).toHaveCount(0);
  expect((await scimUsers(baseURL!, token)).status).toBe(401);
  await context.close();
});

test("without JavaScript the token is created and shown by the page the server sends", async ({ browser, baseURL }) => {
  const org = await newOrganization();
  const admin = await org.person(["admin"], "Nojs Scim");
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, admin);
  await page.goto("/admin/scim");
  await page.getByLabel("Name").fill("Entra ID");
  await page.getByRole("button", { name: "Create token" }).click();
  const token = await page.getByLabel("Token", { exact: true }).inputValue();
  expect((await scimUsers(baseURL!, token)).status).toBe(200);
  await page.getByRole("button", { name: "Revoke Entra ID" }).click();
  await expect(page.getByText("The token is revoked")).toBeVisible();
  await context.close();
});

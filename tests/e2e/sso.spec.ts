// Single sign-on in a real browser against a real OpenID provider (oidc-provider) that this spec
// starts on localhost (decision 033): an admin sets it up and tests the connection on a phone, a
// new person signs in through the provider and lands on Today with an account made just in time,
// and "Require SSO" refuses the password of a rep on the claimed domain, not of one outside it.
import { eq } from "drizzle-orm";
import { db } from "../../app/db/connection.server";
import { users } from "../../app/db/schema";
import { startTestProvider, type TestProvider } from "../support/oidc-provider";
import { makeUser, TEST_PASSWORD } from "../support/people";
import { expect, horizontalOverflow, newOrganization, seriousViolations, signInAs, test } from "./fixtures";

const PORT = Number(process.env.E2E_PORT ?? 3210);
let provider: TestProvider;
test.beforeAll(async () => {
  provider = await startTestProvider(`http://127.0.0.1:${PORT}/sso/callback`);
});
test.afterAll(async () => provider?.stop());

test("an admin sets up SSO; a new person signs in through the provider; Require SSO refuses a password", async ({
  browser,
}) => {
  test.slow();
  const org = await newOrganization();
  const admin = await org.person(["admin"], "Ada Admin");
  const domain = `${org.id.slice(0, 8)}.sso.test`;
  // A rep on the claimed domain, and one whose address is not (an agency's: decision 038).
  const rep = await makeUser(org.id, ["rep"], `pat@${domain}`, "Pat Password");
  const outside = await org.person(["rep"], "Olu Outside");
  const newcomer = `casey@${domain}`;
  provider.addAccount({ email: newcomer, verified: true, name: "Casey Newcomer" });

  // The admin, on a phone.
  const adminContext = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await adminContext.newPage();
  await signInAs(page, admin);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Sign-in" }).click();
  await expect(page).toHaveURL(/\/admin\/sign-in$/);
  await expect(page.getByText(`http://127.0.0.1:${PORT}/sso/callback`)).toBeVisible();
  await page.getByLabel("Provider name").fill("Test IdP");
  await page.getByLabel("Issuer URL").fill(provider.issuer);
  await page.getByLabel("Client ID").fill(provider.clientId);
  await page.getByLabel("Client secret").fill(provider.clientSecret);
  await page.getByLabel("E-mail domains").fill(domain);
  await page.getByLabel("Role of people who join by signing in").selectOption("rep");
  await page.getByRole("checkbox", { name: /Require SSO/ }).check();
  await page.getByRole("button", { name: "Save sign-in settings" }).click();
  await expect(page.getByText("Sign-in settings saved.")).toBeVisible();
  await expect(page.getByText(`ending in …${provider.clientSecret.slice(-4)}`)).toBeVisible();
  await expect(page.getByTestId("outside-domains")).toHaveText(
    "1 person (Olu Outside) has an address on none of these domains and keeps signing in with a password: your provider cannot sign them in.",
  );
  await page.getByRole("button", { name: "Test the connection" }).click();
  await expect(page.getByText(`Connected: ${provider.issuer}`)).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await adminContext.close();

  // A newcomer: e-mail first, then the provider's button, the provider's own sign-in, and back.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/login");
  await visitor.getByLabel("E-mail").fill(newcomer);
  await visitor.getByRole("button", { name: "Use single sign-on" }).click();
  await visitor.getByRole("button", { name: "Continue with Test IdP" }).click();
  await expect(visitor).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
  await visitor.locator('input[name="password"]').fill("any password");
  await visitor.getByRole("button", { name: "Sign-in" }).click();
  await expect(visitor).toHaveURL(/\/today$/);
  const [account] = await db()
    .select({ orgId: users.orgId, name: users.name })
    .from(users)
    .where(eq(users.email, newcomer));
  expect(account).toEqual({ orgId: org.id, name: "Casey Newcomer" });

  // A rep of the organization with a password: refused, and offered the provider instead.
  const repPage = await (await browser.newContext()).newPage();
  await repPage.goto("/login");
  await repPage.getByLabel("E-mail").fill(rep.email);
  await repPage.getByLabel("Password").fill(TEST_PASSWORD);
  await repPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(repPage.getByText("Your organization signs in with Test IdP, not with a password.")).toBeVisible();
  await expect(repPage.getByRole("button", { name: "Continue with Test IdP" })).toBeVisible();
  await expect(repPage).toHaveURL(/\/login$/);
  expect(await seriousViolations(repPage)).toEqual([]);

  // The agency's rep still signs in with their password.
  const outsidePage = await (await browser.newContext()).newPage();
  await outsidePage.goto("/login");
  await outsidePage.getByLabel("E-mail").fill(outside.email);
  await outsidePage.getByLabel("Password").fill(TEST_PASSWORD);
  await outsidePage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(outsidePage).toHaveURL(/\/today$/);
});

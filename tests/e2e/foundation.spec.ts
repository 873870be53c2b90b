import {
  DEMO_PASSWORD,
  expect,
  horizontalOverflow,
  linkFromOutbox,
  newOrganization,
  signIn,
  signInAs,
  test,
} from "./fixtures";

const NAVIGATION: Record<string, string[]> = {
  "rep@example.com": ["Today", "Library", "Call prep", "Progress"],
  "manager@example.com": ["Library", "Call prep", "Coaching", "Insights"],
  "trainer@example.com": ["Library", "Call prep", "Content"],
  "admin@example.com": ["Library", "Call prep", "Insights", "Content", "Admin"],
};

test("each demo role signs in through the form and sees its own navigation", async ({ page }) => {
  for (const [email, items] of Object.entries(NAVIGATION)) {
    await page.context().clearCookies();
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link")).toHaveText(items);
  }
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "rep@example.com");
  await page.goto("/today");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/today");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Ftoday$/);
});

test("an admin invites a rep, who accepts, sets a password and signs in", async ({ page, browser }) => {
  const org = await newOrganization();
  const admin = await org.person(["admin"], "Dana Admin");
  await org.team("Field", {});
  const email = `new.rep.${org.id.slice(0, 8)}@test.example`;
  await signInAs(page, admin);
  await page.goto("/admin/users");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Team").selectOption({ label: "Field" });
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}`)).toBeVisible();
  const invitePath = await linkFromOutbox(page, email, "/invite/");

  const newcomer = await browser.newPage();
  await newcomer.goto(invitePath);
  await expect(newcomer.getByRole("heading", { name: `Join ${org.name}` })).toBeVisible();
  await newcomer.getByLabel("Your name").fill("Riley Park");
  await newcomer.getByLabel("Password", { exact: true }).fill("riley-password-1");
  await newcomer.getByLabel("Password again").fill("riley-password-1");
  await newcomer.getByRole("button", { name: "Join and sign in" }).click();
  await expect(newcomer).toHaveURL(/\/today$/);
  await newcomer.getByRole("button", { name: "Sign out" }).click();
  await expect(newcomer).toHaveURL(/\/login$/);

  // The link is single-use.
  await newcomer.goto(invitePath);
  await expect(newcomer.getByRole("heading", { name: "This invitation can't be used" })).toBeVisible();

  await newcomer.goto("/login");
  await newcomer.getByLabel("E-mail").fill(email);
  await newcomer.getByLabel("Password").fill("riley-password-1");
  await newcomer.getByRole("button", { name: "Sign in" }).click();
  await expect(newcomer).toHaveURL(/\/today$/);
  await newcomer.close();

  // The newcomer joined the team the admin chose.
  await page.goto("/admin/teams");
  await page.getByRole("link", { name: "Field" }).click();
  await expect(page.getByText("Riley Park")).toBeVisible();
});

test("a password reset arrives in the outbox and signs out the old sessions", async ({ page, browser }) => {
  const org = await newOrganization();
  const person = await org.person(["rep"], "Elena Park");
  const admin = await org.person(["admin"], "Ada Admin");
  const rep = await browser.newPage();
  await signInAs(rep, person);
  await rep.goto("/today");
  await expect(rep.getByRole("heading", { name: "Today" })).toBeVisible();

  const visitor = await browser.newPage();
  await visitor.goto("/login");
  await visitor.getByRole("link", { name: "Forgot your password?" }).click();
  // The sign-in page has an E-mail field too: wait for the new page before typing.
  await expect(visitor.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await visitor.getByLabel("E-mail").fill(person.email);
  await visitor.getByRole("button", { name: "Send me a reset link" }).click();
  await expect(visitor.getByText("If that address has an account")).toBeVisible();

  await signInAs(page, admin);
  const resetPath = await linkFromOutbox(page, person.email, "/reset-password/");
  await visitor.goto(resetPath);
  await visitor.getByLabel("New password", { exact: true }).fill("elena-new-password");
  await visitor.getByLabel("New password again").fill("elena-new-password");
  await visitor.getByRole("button", { name: "Save and sign in" }).click();
  await expect(visitor).toHaveURL(/\/today$/);

  // The session opened before the reset is gone.
  await rep.reload();
  await expect(rep).toHaveURL(/\/login/);
  await rep.close();
  await visitor.close();
});

test("a deactivated rep is signed out at once", async ({ page, browser }) => {
  const org = await newOrganization();
  const person = await org.person(["rep"], "Omar Aziz");
  const admin = await org.person(["admin"], "Ada Admin");
  const rep = await browser.newPage();
  await signInAs(rep, person);
  await rep.goto("/today");
  await expect(rep.getByRole("heading", { name: "Today" })).toBeVisible();

  await signInAs(page, admin);
  await page.goto("/admin/users");
  await page.getByRole("link", { name: "Omar Aziz" }).click();
  await page.getByRole("button", { name: "Deactivate Omar Aziz" }).click();
  await expect(page.getByText("All their sessions have ended")).toBeVisible();

  await rep.reload();
  await expect(rep).toHaveURL(/\/login/);
  await rep.close();
});

test("the login page works at 375 px wide", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/login");
  expect(await horizontalOverflow(page)).toBe(0);
  const button = page.getByRole("button", { name: "Sign in" });
  const box = (await button.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  await page.getByLabel("E-mail").fill("rep@example.com");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await button.click();
  await expect(page).toHaveURL(/\/today$/);
});

test("on a phone, a rep reaches their account's pages from the header", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, "rep@example.com");
  await page.goto("/today");
  await page.getByRole("banner").getByRole("link", { name: "Account" }).click();
  await expect(page).toHaveURL(/\/account\/password$/);
  const tabs = page.getByRole("navigation", { name: "Your account" });
  await tabs.getByRole("link", { name: "Reminders" }).click();
  await expect(page).toHaveURL(/\/account\/reminders$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Reminders");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Call prep" }).click();
  await expect(page).toHaveURL(/\/prep$/);
});

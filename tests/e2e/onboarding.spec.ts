import {
  expect,
  horizontalOverflow,
  linkFromOutbox,
  newOrganization,
  seriousViolations,
  signInAs,
  test,
} from "./fixtures";

test("a new organization's admin on a phone: the checklist, its empty pages and Insights read well and pass axe", async ({
  browser,
}) => {
  // Nine pages, each checked by axe, on a shared two-core machine.
  test.slow();
  const org = await newOrganization();
  const admin = await org.person(["admin", "manager", "trainer"], "Noor Admin");
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await signInAs(page, admin);

  await page.goto("/");
  await expect(page).toHaveURL(/\/insights$/);
  await expect(page.getByRole("heading", { name: "Getting started" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No reps yet" })).toBeVisible();
  await expect(page.getByText("reps at risk")).toHaveCount(0);
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);

  for (const path of ["/admin", "/admin/users", "/admin/teams", "/admin/settings", "/coach", "/coach/assignments"]) {
    await page.goto(path);
    expect(await horizontalOverflow(page), path).toBe(0);
    expect(await seriousViolations(page), path).toEqual([]);
  }

  // Each step links to where it is done.
  await page.goto("/admin");
  const checklist = page.getByRole("region", { name: "Getting started" });
  await checklist.getByRole("link", { name: "Make a team →" }).click();
  await expect(page).toHaveURL(/\/admin\/teams$/);
  await expect(page.getByText("No teams yet.")).toBeVisible();

  // With an invitation waiting and a team to fill: the list and the checkboxes read well too.
  await page.goto("/admin/users");
  await page.getByLabel("E-mail").fill(`waiting.${org.id.slice(0, 8)}@test.example`);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("region", { name: /Invitations waiting/ })).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await org.person(["rep"], "Ola Rep");
  const team = await org.team("Phone Team", {});
  await page.goto(`/admin/teams/${team.id}`);
  await expect(page.getByRole("group", { name: "Add members" })).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

test("without JavaScript an admin invites, sends again, revokes and fills a team with several reps at once", async ({
  browser,
}) => {
  const org = await newOrganization();
  const admin = await org.person(["admin"], "Ravi Admin");
  const [ana, ben] = await Promise.all([org.person(["rep"], "Ana Lima"), org.person(["rep"], "Ben Ode")]);
  await org.team("Hunters", { members: [ben] });
  await org.team("Farmers", {});
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await signInAs(page, admin);

  const email = `waiting.${org.id.slice(0, 8)}@test.example`;
  await page.goto("/admin/users");
  await page.getByLabel("E-mail").fill(email);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(`Invitation sent to ${email}`)).toBeVisible();
  const waiting = page.getByRole("region", { name: /Invitations waiting/ });
  await expect(waiting.getByText(email)).toBeVisible();
  const first = await linkFromOutbox(page, email, "/invite/");

  await page.goto("/admin/users");
  await page.getByRole("button", { name: `Send again to ${email}` }).click();
  await expect(page.getByText(`A new invitation link went to ${email}`)).toBeVisible();
  expect(await linkFromOutbox(page, email, "/invite/")).not.toBe(first);

  await page.goto("/admin/users");
  await page.getByRole("button", { name: `Revoke the invitation to ${email}` }).click();
  await expect(page.getByText(`The invitation to ${email} is revoked`)).toBeVisible();
  await expect(page.getByRole("region", { name: /Invitations waiting/ })).toHaveCount(0);

  await page.goto("/admin/teams");
  await page.getByRole("link", { name: "Farmers" }).click();
  const add = page.getByRole("group", { name: "Add members" });
  await expect(add.getByText("in Hunters")).toBeVisible();
  await add.getByLabel(/Ana Lima/).check();
  await add.getByLabel(/Ben Ode/).check();
  await page.getByRole("button", { name: "Add the people ticked" }).click();
  await expect(page.getByText("2 members added.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Members (2)" })).toBeVisible();
  await expect(page.getByText(ana.email)).toBeVisible();
  await context.close();
});

// An admin brings people in from a CSV file in a real browser (decision 029): on a phone, the dry
// run shows what the file would do and passes axe, the apply does it, and the audit trail says so;
// without JavaScript the same flow works by choosing the file again for the apply.
import { eq } from "drizzle-orm";
import { db } from "../../app/db/connection.server";
import { users } from "../../app/db/schema";
import { expect, horizontalOverflow, newOrganization, seriousViolations, signInAs, test } from "./fixtures";

function peopleFile(tag: string) {
  return Buffer.from(
    [
      "email,name,roles,team,manages",
      `lea.${tag}@test.example,Léa Rep,rep,Phone West,`,
      `omar.${tag}@test.example,Omar Manager,manager,,Phone West`,
      "",
    ].join("\r\n"),
  );
}

test("on a phone an admin previews a file, applies it, and finds it in the audit trail", async ({ browser }) => {
  test.slow();
  const org = await newOrganization();
  const admin = await org.person(["admin", "manager"], "Ines Admin");
  const tag = org.id.slice(0, 8);
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await signInAs(page, admin);

  await page.goto("/admin/users");
  await page.getByRole("link", { name: "Import many from a file" }).click();
  await expect(page).toHaveURL(/\/admin\/people\/import$/);
  await expect(page.getByRole("link", { name: "Download the template (CSV)" })).toBeVisible();

  await page
    .getByLabel("CSV file")
    .setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: peopleFile(tag) });
  await page.getByRole("button", { name: "Dry run" }).click();
  const dryRun = page.getByRole("region", { name: "Dry run" });
  await expect(dryRun).toContainText("2 to add and invite");
  await expect(dryRun).toContainText("1 new team: Phone West");
  await expect(dryRun).toContainText(`lea.${tag}@test.example`);
  await expect(dryRun).toContainText("manages: Phone West");
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  expect(
    await db()
      .select()
      .from(users)
      .where(eq(users.email, `lea.${tag}@test.example`)),
  ).toEqual([]);

  // The browser keeps the chosen file: the apply sends it again and the server checks it is the same.
  await page.getByRole("button", { name: "Apply this import" }).click();
  await expect(page.getByText("Imported. 2 added and invited, 0 changed, 0 unchanged, 1 team created")).toBeVisible();
  expect(
    await db()
      .select()
      .from(users)
      .where(eq(users.email, `lea.${tag}@test.example`)),
  ).toHaveLength(1);

  await page.goto("/admin/audit");
  await expect(page.getByRole("listitem").filter({ hasText: "People imported: file" })).toBeVisible();
  await page.getByLabel("What").selectOption({ label: "Person added" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/action=person\.created/);
  await expect(page.getByText(`Person added: omar.${tag}@test.example`)).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await context.close();
});

test("without JavaScript: a problem is shown with its line, and a corrected file is applied after choosing it again", async ({
  browser,
}) => {
  test.slow();
  const org = await newOrganization();
  const admin = await org.person(["admin"], "Nojs Admin");
  const tag = org.id.slice(0, 8);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, admin);
  await page.goto("/admin/people/import");

  const broken = Buffer.from(`email,name,roles\nbad.${tag}@test.example,"=HYPERLINK(""x"")",rep\n`);
  await page.getByLabel("CSV file").setInputFiles({ name: "broken.csv", mimeType: "text/csv", buffer: broken });
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByText(/Line 2: the name “=HYPERLINK/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Apply this import" })).toHaveCount(0);

  const file = { name: "people.csv", mimeType: "text/csv", buffer: peopleFile(tag) };
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByRole("region", { name: "Dry run" })).toContainText("2 to add and invite");
  // A page sent by the server: the file field is empty again, so the same file is chosen once more.
  await page.getByLabel("CSV file").setInputFiles(file);
  await page.getByRole("button", { name: "Apply this import" }).click();
  await expect(page.getByText("Imported. 2 added and invited")).toBeVisible();
  await context.close();
});

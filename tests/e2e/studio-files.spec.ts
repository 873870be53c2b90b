// A trainer brings a module in from a zip and an image into a lesson, in a real browser (decision
// 032): on a phone, a zip with hostile lessons is refused with every problem at its file, line and
// column and nothing imported; the corrected zip is imported; an uploaded image's snippet, pasted
// into a lesson, shows the picture to a rep of the organization.
import { and, eq } from "drizzle-orm";
import { db } from "../../app/db/connection.server";
import { modules } from "../../app/db/schema";
import { lessonFrontmatter, lessonSource } from "../support/content";
import { solidPng } from "../support/images";
import { moduleJson, zipOf } from "../support/module-zips";
import { expect, horizontalOverflow, newOrganization, seriousViolations, signInAs, test } from "./fixtures";

const PNG = solidPng(2, 2);

const zipFile = (name: string, zip: Uint8Array) => ({ name, mimeType: "application/zip", buffer: Buffer.from(zip) });

test("on a phone a trainer sees every problem of a zip, then imports the corrected one", async ({ browser }) => {
  test.slow();
  const org = await newOrganization();
  const trainer = await org.person(["trainer"], "Tomas Trainer");
  const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const page = await context.newPage();
  await signInAs(page, trainer);

  const hostile = `${lessonFrontmatter("Hostile")}\nWords for the reader.\n\n<script>alert(1)</script>\n\n[Click](javascript:alert(1))\n`;
  await page.goto("/content/import");
  await page
    .getByLabel("Module zip")
    .setInputFiles(
      zipFile(
        "objections.zip",
        zipOf({ "objections/module.json": moduleJson("Objections"), "objections/01-hostile.mdx": hostile }),
      ),
    );
  await page.getByRole("button", { name: "Check and import" }).click();
  const problems = page.getByRole("region", { name: /problems?$/ });
  await expect(problems).toContainText("objections/01-hostile.mdx:14:1");
  await expect(problems).toContainText("<script> is not allowed in lessons");
  await expect(problems).toContainText("objections/01-hostile.mdx:16:1");
  await expect(problems).toContainText("The link “javascript:alert(1)” uses the scheme “javascript:”");
  await expect(page.getByText("nothing was imported")).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  expect(await db().select().from(modules).where(eq(modules.owner, org.id))).toEqual([]);

  const corrected = zipOf({
    "objections/module.json": moduleJson("Objections"),
    "objections/01-price.mdx": lessonSource("Price objections"),
  });
  await page.getByLabel("Module zip").setInputFiles(zipFile("objections.zip", corrected));
  await page.getByRole("button", { name: "Check and import" }).click();
  await expect(page.getByText("Imported “Objections”: 1 lesson published to your reps.")).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  expect(
    await db()
      .select({ slug: modules.slug })
      .from(modules)
      .where(and(eq(modules.owner, org.id), eq(modules.slug, "objections"))),
  ).toEqual([{ slug: "objections" }]);
  await page.getByRole("link", { name: "Open it as your reps see it" }).click();
  await expect(page).toHaveURL(/\/learn\/objections$/);
  await expect(page.getByText("Price objections").first()).toBeVisible();
  await context.close();
});

test("an uploaded image, pasted into a lesson, shows to a rep of the organization", async ({ browser }) => {
  test.slow();
  const org = await newOrganization();
  const trainer = await org.person(["trainer"], "Ida Images");
  const rep = await org.person(["rep"], "Rui Rep");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, trainer);

  await page.goto("/content/images");
  await page.getByLabel(/^Image/).setInputFiles({ name: "chart.png", mimeType: "image/png", buffer: PNG });
  await page.getByLabel("What it shows").fill("A red square standing for the deal");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("Uploaded. Paste")).toBeVisible();
  const snippet = await page.getByLabel("Snippet for a lesson").inputValue();
  expect(snippet).toMatch(/^!\[A red square standing for the deal\]\(\/content\/images\/[0-9a-f]{32}\.png\)$/);
  await expect(page.getByRole("img", { name: "A red square standing for the deal" })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto("/content/import");
  await page.getByLabel("Module zip").setInputFiles(
    zipFile(
      "pictures.zip",
      zipOf({
        "pictures/module.json": moduleJson("Pictures"),
        "pictures/01-the-deal.mdx": lessonSource("The deal", [], `\n\n${snippet}\n`),
      }),
    ),
  );
  await page.getByRole("button", { name: "Check and import" }).click();
  await expect(page.getByText("Imported “Pictures”")).toBeVisible();
  await context.close();

  const repContext = await browser.newContext({ viewport: { width: 375, height: 812 } });
  const repPage = await repContext.newPage();
  await signInAs(repPage, rep);
  await repPage.goto("/learn/pictures/the-deal");
  const image = repPage.getByRole("img", { name: "A red square standing for the deal" });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(2);
  expect(await horizontalOverflow(repPage)).toBe(0);
  await repContext.close();
});

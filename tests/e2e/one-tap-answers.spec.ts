// Issue 18, "One tap from the e-mail", in Chromium at a phone's width: the digest's answer link,
// read from the admin's outbox, opens the question without signing in, with the tapped choice
// selected; Submit records the answer once and shows the feedback (decision 030).
import { eq } from "drizzle-orm";
import { db } from "../../app/db/connection.server";
import { answerLinks, organizations, outbox, reviewLogs } from "../../app/db/schema";
import { sendDueDigests } from "../../app/features/reinforcement/reminders.server";
import { expect, finishedLessonDaysAgo, horizontalOverflow, newOrganization, signInAs, test } from "./fixtures";

/** A zone where `at` is around noon, so the link sent at `at` is good for hours whatever the hour. */
function zoneAtNoon(at: Date): string {
  const offset = 12 - at.getUTCHours();
  return offset === 0 ? "Etc/UTC" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/**
 * A rep of a new organization (its digest hour past, about noon there) with questions due from a
 * lesson finished a month ago, and today's digest sent: its answer links are good for hours.
 */
async function repWithDigest(name: string) {
  const now = new Date();
  const org = await newOrganization();
  await db()
    .update(organizations)
    .set({ timezone: zoneAtNoon(now), digestHour: 0 })
    .where(eq(organizations.id, org.id));
  const rep = await org.person(["rep"], name);
  await finishedLessonDaysAgo(rep, "prospecting", "research-before-reaching-out", 30);
  await sendDueDigests(db(), now);
  return { org, rep, now };
}

for (const javaScriptEnabled of [true, false])
  test(`a rep answers the digest's first question from the e-mail on a phone, JavaScript ${javaScriptEnabled ? "on" : "off"}`, async ({
    browser,
  }) => {
    const { org, rep } = await repWithDigest("Nadia Haddad");
    const admin = await org.person(["admin"], "Ines Moreau");

    // The admin's outbox shows the digest; its first answer link is what the rep taps.
    const desk = await browser.newContext();
    const outboxPage = await desk.newPage();
    await signInAs(outboxPage, admin);
    await outboxPage.goto("/admin/outbox");
    const digest = outboxPage
      .getByRole("article")
      .filter({ hasText: `To ${rep.email}` })
      .first();
    await expect(digest).toContainText("Tap your answer");
    const link = /https?:\/\/\S+(\/answer\/[a-z0-9]+\?choice=c1)\b/.exec(await digest.innerText())?.[1];
    expect(link, "an answer link for the first choice").toBeTruthy();
    await desk.close();

    const phone = await browser.newContext({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled,
    });
    const page = await phone.newPage();
    const reviewsBefore = await db().select().from(reviewLogs).where(eq(reviewLogs.userId, rep.id));
    await page.goto(link!);
    await expect(page.getByText("Daily boost · from “Research before reaching out”")).toBeVisible();
    const choices = page.locator("form input[name=choice]");
    await expect(choices.first()).toBeChecked();
    expect(await horizontalOverflow(page)).toBe(0);
    // Opening the page recorded nothing.
    expect(await db().select().from(reviewLogs).where(eq(reviewLogs.userId, rep.id))).toHaveLength(
      reviewsBefore.length,
    );

    await page.getByRole("button", { name: "Submit" }).tap();
    await expect(page.getByRole("heading", { name: /^(Right\.|Not quite\.|Partly right)/ })).toBeVisible();
    await expect(page.getByText(/comes back on/)).toBeVisible();
    await expect(page.getByRole("link", { name: /Sign in/ })).toBeVisible();
    expect(await db().select().from(reviewLogs).where(eq(reviewLogs.userId, rep.id))).toHaveLength(
      reviewsBefore.length + 1,
    );

    // The link is spent: opened again, it says so and offers to sign in.
    await page.goto(link!);
    await expect(page.getByText("This link has already been used")).toBeVisible();
    await phone.close();
  });

test("an altered answer link, and one past its day, open a page that says so and records nothing", async ({
  browser,
}) => {
  const { rep, now } = await repWithDigest("Tomas Ruiz");
  const [mail] = await db().select({ text: outbox.text }).from(outbox).where(eq(outbox.to, rep.email));
  const link = /https?:\/\/\S+(\/answer\/([a-z0-9]+)\?choice=c1)\b/.exec(mail!.text);
  expect(link, "an answer link in the digest").toBeTruthy();
  const [, path, token] = link!;

  const reviewsBefore = (await db().select().from(reviewLogs).where(eq(reviewLogs.userId, rep.id))).length;
  const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
  const page = await phone.newPage();
  // One character changed.
  const altered = path!.replace(token!, token!.slice(0, -1) + (token!.endsWith("a") ? "b" : "a"));
  await page.goto(altered);
  await expect(page.getByText("This answer link is not valid.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit" })).toHaveCount(0);
  expect(await horizontalOverflow(page)).toBe(0);

  // The day it was for has ended (its expiry moved into the past, as the next day's start would).
  await db()
    .update(answerLinks)
    .set({ expiresAt: new Date(now.getTime() - 60_000) })
    .where(eq(answerLinks.userId, rep.id));
  await page.goto(path!);
  await expect(page.getByText(/has expired\. Sign in for today's boost\./)).toBeVisible();
  await expect(page.getByRole("button", { name: "Submit" })).toHaveCount(0);
  expect(await db().select().from(reviewLogs).where(eq(reviewLogs.userId, rep.id))).toHaveLength(reviewsBefore);
  await phone.close();
});

import type { Locator } from "@playwright/test";
import { expect, newOrganization, signInAs, test } from "./fixtures";

/** A rep on a team with their manager, and another team's manager, in an organization of the test's own. */
async function teamWithRep(repName: string) {
  const org = await newOrganization();
  const rep = await org.person(["rep"], repName);
  const manager = await org.person(["manager"], "Morgan Lee");
  const otherManager = await org.person(["manager"], "Casey Wong");
  await org.team("Field", { members: [rep], managers: [manager] });
  await org.team("Inside", { managers: [otherManager] });
  return { rep, manager, otherManager };
}

/**
 * Replies to each buyer turn of an open role-play as it comes: only the current turn has a reply
 * box, and after each reply the buyer's next line appears. Returns how many turns there were.
 */
async function replyTurnByTurn(roleplay: Locator, text: (turn: number) => string): Promise<number> {
  for (let i = 0; i < 12; i++) {
    await expect(roleplay.locator("textarea")).toHaveCount(1);
    const [position, total] = (await roleplay.getByText(/^Turn \d+ of \d+$/).innerText()).match(/\d+/g)!.map(Number);
    expect(position).toBe(i + 1);
    await roleplay.locator("textarea").fill(text(i));
    const last = position === total;
    await roleplay.getByRole("button", { name: last ? "Send and submit for review" : "Send reply" }).click();
    // The reply now sits under the buyer's line, and the next turn (or the submitted view) follows.
    await expect(roleplay.getByText(text(i))).toBeVisible();
    if (last) return total!;
    await expect(roleplay.getByText(`Turn ${i + 2} of ${total}`)).toBeVisible();
  }
  throw new Error("the role-play did not end");
}

test("a rep submits an open role-play, the manager reviews it, the rep sees the score and the comment", async ({
  page,
  browser,
}) => {
  const { rep, manager: reviewer } = await teamWithRep("Marcus Chen");
  await signInAs(page, rep);
  await page.goto("/learn/prospecting/roleplay-cold-call");
  const roleplay = page.locator("section[id^=roleplay-]");
  // One buyer turn at a time: the rep's reply, then the buyer's next turn.
  const turns = await replyTurnByTurn(
    roleplay,
    (i) =>
      `Fair enough. You mentioned the new hires start in March. What does their first week look like today? (${i + 1})`,
  );
  expect(turns).toBeGreaterThanOrEqual(3);
  await expect(roleplay.getByText("Submitted. Your manager will review it")).toBeVisible();
  await expect(roleplay.getByText(/Questions:/).first()).toBeVisible();

  // Self-assessment: the middle level on every criterion.
  const criteria = roleplay.locator("form fieldset");
  const count = await criteria.count();
  for (let i = 0; i < count; i++) await criteria.nth(i).getByRole("radio").nth(2).check();
  await roleplay.getByRole("button", { name: "Save my scores" }).click();
  await expect(roleplay.getByRole("table")).toContainText("Overall (0–100)");

  const manager = await browser.newPage();
  await signInAs(manager, reviewer);
  await manager.goto("/coach/reviews");
  await manager.getByRole("link", { name: /Marcus Chen:/ }).click();
  await expect(manager.getByText("What does their first week look like today? (1)")).toBeVisible();
  const fieldsets = manager.locator("form fieldset");
  const n = await fieldsets.count();
  for (let i = 0; i < n; i++) await fieldsets.nth(i).getByRole("radio").nth(3).check();
  await manager
    .getByLabel(/Comment for Marcus/)
    .fill("Strong recovery on the brush-off. Next time, name the trigger in your first sentence.");
  await manager.getByRole("button", { name: "Send review" }).click();
  await expect(manager).toHaveURL(/\/coach\/reviews\?sent=/);
  await expect(manager.getByRole("status")).toContainText("Review sent. Marcus Chen sees your scores");
  await manager.close();

  await page.goto("/today");
  await page.getByRole("link", { name: /reviewed your role-play “I've got about two minutes”/ }).click();
  await expect(page.getByText("Strong recovery on the brush-off.")).toBeVisible();
  const table = page.getByRole("table");
  await expect(table.getByRole("row", { name: /Overall/ })).toContainText("60");
  await expect(table.getByRole("row", { name: /Overall/ })).toContainText("80");
  await expect(page.getByText("You scored yourself 20 points lower than your manager did")).toBeVisible();
  // The rep reads their own replies beside the review.
  const mine = page.locator("section[aria-labelledby=my-replies-heading]");
  await expect(mine.getByText("What does their first week look like today? (1)")).toBeVisible();
});

test("a branching role-play scores the chosen path", async ({ page }) => {
  const rep = await (await newOrganization()).person(["rep"], "Rosa Diaz");
  await signInAs(page, rep);
  await page.goto("/learn/negotiation/roleplay-renewal");
  const roleplay = page.locator("section[id^=roleplay-]");
  for (let i = 0; i < 12; i++) {
    const say = roleplay.getByRole("button", { name: "Say it" });
    if (!(await say.isVisible())) break;
    await roleplay.locator("form label").first().click();
    await say.click();
    await expect(roleplay.getByText(/\d+ points?\./).nth(i)).toBeVisible();
  }
  await expect(roleplay.getByText(/You scored \d+\/100/)).toBeVisible();
  // Rating yourself does not show a second score for the same attempt.
  const criteria = roleplay.locator("form fieldset");
  const count = await criteria.count();
  for (let i = 0; i < count; i++) await criteria.nth(i).getByRole("radio").nth(1).check();
  await roleplay.getByRole("button", { name: "Save my scores" }).click();
  await expect(roleplay.getByRole("table", { name: "Your own rating" })).toBeVisible();
  await expect(roleplay.getByText(/Overall/)).toHaveCount(0);
  await expect(roleplay.getByText(/\d+\/100/)).toHaveCount(1);
});

test("a rep records a spoken reply in the browser, and only the rep and their manager can play it", async ({
  page,
  browser,
}) => {
  const problems: string[] = [];
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  const { rep, manager: reviewer, otherManager } = await teamWithRep("Hannah Schmidt");
  await signInAs(page, rep);
  await page.goto("/learn/listening/roleplay-listening");
  const roleplay = page.locator("section[id^=roleplay-]");
  await roleplay.getByRole("button", { name: "Record your reply" }).first().click();
  await expect(roleplay.getByRole("status").first()).toHaveText(/Recording/);
  await page.waitForTimeout(1_500); // a second and a half of the fake microphone's tone
  await roleplay.getByRole("button", { name: "Stop recording" }).click();
  await expect(roleplay.getByRole("status").first()).toHaveText("Recording attached.");
  await expect(roleplay.locator("audio").first()).toHaveAttribute("src", /^blob:/);

  await replyTurnByTurn(
    roleplay,
    (i) => `So what I'm hearing is that the rollout slipped twice. What changed the second time? (${i + 1})`,
  );
  await expect(roleplay.getByText("Submitted. Your manager will review it")).toBeVisible();
  expect(problems, "no console errors (the preview plays under the page's CSP)").toEqual([]);

  const manager = await browser.newPage();
  await signInAs(manager, reviewer);
  await manager.goto("/coach/reviews");
  await manager.getByRole("link", { name: /Hannah Schmidt:/ }).click();
  const audio = manager.getByLabel("Hannah Schmidt's recorded reply");
  await expect(audio).toHaveCount(1);
  const src = (await audio.getAttribute("src"))!;
  expect(src).toMatch(/^\/practice\/recordings\/[a-z0-9]+$/);
  const played = await manager.request.get(src);
  expect(played.status()).toBe(200);
  expect(played.headers()["content-type"]).toMatch(/^audio\/(webm|ogg)/);
  const bytes = await played.body();
  expect(bytes.length).toBeGreaterThan(1_000);
  const magic = bytes.subarray(0, 4);
  expect(
    magic.equals(Buffer.from([0x1a, 0x45, 0xdf, 0xa3])) || magic.toString("latin1") === "OggS",
    "a WebM or Ogg file",
  ).toBe(true);
  expect((await page.request.get(src)).status()).toBe(200);
  await manager.close();

  // Another team's manager gets nothing.
  const other = await browser.newPage();
  await signInAs(other, otherManager);
  expect((await other.request.get(src)).status()).toBe(404);
  await other.close();
});

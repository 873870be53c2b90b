import fs from "node:fs";
import { expect, horizontalOverflow, newOrganization, seriousViolations, signInAs, test } from "./fixtures";

/** Every explanation a trainer wrote in a lesson file: none may reach a browser unasked. */
function explanationsIn(file: string): string[] {
  const source = fs.readFileSync(file, "utf8");
  return [...source.matchAll(/explanation="([^"]+)"/g)].map((m) => m[1]!.replace(/&apos;/g, "'"));
}

/** The text of each choice of a quiz in a lesson file, whether it is right, and its explanation. */
function choicesOf(file: string, quizId: string): Array<{ text: string; correct: boolean; explanation: string }> {
  const source = fs.readFileSync(file, "utf8");
  const body = source.split(`<Quiz id="${quizId}"`)[1]!.split("</Quiz>")[0]!;
  return [...body.matchAll(/<Choice( correct)? explanation="([^"]+)"[^>]*>([^<]+)<\/Choice>/g)].map((m) => ({
    text: m[3]!.replace(/&apos;/g, "'"),
    correct: Boolean(m[1]),
    explanation: m[2]!.replace(/&apos;/g, "'"),
  }));
}

/** A rep of a new organization: what the test answers, opens and finishes is theirs, not a demo rep's. */
async function newRep(name: string) {
  return (await newOrganization()).person(["rep"], name);
}

test("browse the library, search by a phrase from a lesson's body, and read it on a phone", async ({ page }) => {
  await signInAs(page, await newRep("Lena Vogt"));
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/library");
  await expect(page.getByRole("heading", { level: 2, name: "Questioning", exact: true })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel("Sales stage").selectOption("negotiation");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/stage=negotiation/);
  await expect(page.getByRole("link", { name: "Set your target and walk-away before the call" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open and closed questions" })).toHaveCount(0);

  await page.goto("/library");
  await page.getByLabel("Search lessons").fill("spreadsheets to plan your shifts");
  await page.getByRole("button", { name: "Show" }).click();
  const results = page
    .getByRole("region", { name: /lesson.* for/ })
    .or(page.locator("section[aria-labelledby=search-results]"));
  const hit = results.getByRole("link", { name: "Open and closed questions" });
  await expect(hit).toBeVisible();
  // The words searched for are highlighted (in any of their forms), and nothing else is.
  const marked = await results.locator("mark").allInnerTexts();
  expect(marked).toContain("spreadsheets");
  for (const word of marked) expect(word).toMatch(/^(spreadsheets?|plan\w*|shifts?)$/i);

  await hit.click();
  await expect(page.getByRole("heading", { level: 1, name: "Open and closed questions" })).toBeVisible();
  await expect(page.getByText(/1 of \d+/)).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test("nothing received before answering reveals the right choice or an explanation", async ({ page }) => {
  const bodies: Array<{ url: string; body: string }> = [];
  page.on("response", async (response) => {
    const type = response.headers()["content-type"] ?? "";
    if (/html|javascript|json|turbo|octet|text/.test(type) || response.url().endsWith(".data")) {
      bodies.push({ url: response.url(), body: await response.text().catch(() => "") });
    }
  });
  await signInAs(page, await newRep("Tomás Ortega"));
  await page.goto("/library");
  // Client-side navigation: the data request and the lesson's script are fetched, too.
  await page.getByRole("link", { name: "Anchor with a first offer you can defend" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Anchor with a first offer you can defend" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Anchor with a first offer you can defend");
  await page.waitForLoadState("networkidle");

  const secrets = explanationsIn("content/negotiation/02-anchoring-first-offers.mdx");
  expect(secrets.length).toBeGreaterThan(8);
  expect(bodies.some((b) => b.url.includes("/lesson-code/"))).toBe(true);
  expect(bodies.some((b) => b.url.includes(".data"))).toBe(true);
  for (const { url, body } of bodies) {
    // The app's own bundles name these fields in their code; lesson content must not carry them.
    if (!url.includes("/assets/")) {
      expect(body, url).not.toMatch(/\bcorrect\b/i);
      expect(body, url).not.toMatch(/explanation/i);
    }
    for (const secret of secrets)
      expect(body.includes(secret.slice(0, 60)), `${url} leaks “${secret.slice(0, 40)}…”`).toBe(false);
  }
});

test("answering with JavaScript shows feedback without a page reload", async ({ page }) => {
  const [wrong, ...others] = choicesOf("content/negotiation/03-trading-concessions.mdx", "ask-in-return");
  expect(wrong!.correct).toBe(false);
  await signInAs(page, await newRep("Aiko Tanaka"));
  await page.goto("/learn/negotiation/trading-concessions");
  await page.evaluate(() => ((window as unknown as { stayedHere: boolean }).stayedHere = true));
  const quiz = page.locator("#quiz-ask-in-return");
  await quiz.locator("label").filter({ hasText: wrong!.text }).click();
  await quiz.getByRole("button", { name: "Check answer" }).click();
  await expect(quiz.getByRole("status")).toContainText("Not quite.");
  // The pick's explanation and the right answers arrive with the verdict.
  await expect(quiz.getByText(`Your pick. ${wrong!.explanation}`)).toBeVisible();
  const right = others.filter((c) => c.correct);
  expect(right).toHaveLength(2);
  for (const choice of right) await expect(quiz.getByText(`The right answer. ${choice.explanation}`)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stayedHere?: boolean }).stayedHere)).toBe(true);
});

test("answering without JavaScript posts the form and returns to the question with feedback", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const right = choicesOf("content/negotiation/04-price-too-high.mdx", "budget-gap").find((c) => c.correct)!;
  await signInAs(page, await newRep("Kwame Mensah"));
  await page.goto("/learn/negotiation/price-too-high");
  const quiz = page.locator("#quiz-budget-gap");
  await quiz.locator("label").filter({ hasText: right.text }).click();
  await quiz.getByRole("button", { name: "Check answer" }).click();
  await expect(page).toHaveURL(/answered=.+#quiz-budget-gap$/);
  await expect(quiz.getByRole("status")).toHaveText("Right.");
  await expect(quiz.getByText(`Your pick, and right. ${right.explanation}`)).toBeVisible();
  await context.close();
});

test("finishing a lesson ticks it in the library", async ({ page }) => {
  await signInAs(page, await newRep("Ines Duarte"));
  await page.goto("/learn/negotiation/targets-and-walk-away");
  const quizzes = page.locator("section[id^=quiz-]");
  const count = await quizzes.count();
  expect(count).toBeGreaterThanOrEqual(3);
  for (let i = 0; i < count; i++) {
    const quiz = quizzes.nth(i);
    await quiz.locator("label").first().click();
    await quiz.getByRole("button", { name: "Check answer" }).click();
    await expect(quiz.getByRole("status")).toBeVisible();
  }
  await page.getByRole("button", { name: "Finish and continue →" }).click();
  await expect(page).toHaveURL(/\/learn\/negotiation\/anchoring-first-offers\?finished=[a-z-]+$/);
  await page.goto("/library");
  const row = page
    .locator("li", { has: page.getByRole("link", { name: "Set your target and walk-away before the call" }) })
    .first();
  await expect(row.getByText("Completed")).toBeVisible();
  await page.goto("/learn/negotiation");
  await expect(page.getByText("1 of 7 done")).toBeVisible();
});

test("a quiz says “pick all that apply” once, and offers “Try again” only after a wrong answer", async ({ page }) => {
  const file = "content/questioning/05-qualifying-questions.mdx";
  await signInAs(page, await newRep("Ravi Iyer"));
  await page.goto("/learn/questioning/qualifying-questions");

  const multiple = page.locator("#quiz-real-this-year");
  await expect(multiple.getByText(/pick all that apply/i)).toHaveCount(1);

  const right = page.locator("#quiz-send-me-a-proposal");
  const rightChoice = choicesOf(file, "send-me-a-proposal").find((c) => c.correct)!;
  await right
    .locator("label")
    .filter({ hasText: rightChoice.text.slice(0, 40) })
    .click();
  await right.getByRole("button", { name: "Check answer" }).click();
  await expect(right.getByRole("status")).toContainText("Right.");
  await expect(right.getByRole("button", { name: "Try again" })).toHaveCount(0);

  const wrong = page.locator("#quiz-build-or-buy");
  const wrongChoice = choicesOf(file, "build-or-buy").find((c) => !c.correct)!;
  await wrong
    .locator("label")
    .filter({ hasText: wrongChoice.text.slice(0, 40) })
    .click();
  await wrong.getByRole("button", { name: "Check answer" }).click();
  await expect(wrong.getByRole("status")).toContainText("Not quite.");
  await expect(wrong.getByRole("button", { name: "Try again" })).toBeVisible();
});

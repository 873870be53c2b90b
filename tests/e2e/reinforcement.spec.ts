import { cardsOf, expect, signIn, test, travelForward } from "./fixtures";

const REP = "sofia.rossi@example.com";

test("finish a lesson, its questions become cards, time passes, the boost offers them, answering moves them out", async ({
  page,
}) => {
  await signIn(page, REP);
  await page.goto("/today");
  await expect(page.getByText("Finish a lesson and its questions will come back here")).toBeVisible();

  await page.goto("/learn/prospecting/research-before-reaching-out");
  const quizzes = page.locator("section[id^=quiz-]");
  const count = await quizzes.count();
  for (let i = 0; i < count; i++) {
    await quizzes.nth(i).locator("label").first().click();
    await quizzes.nth(i).getByRole("button", { name: "Check answer" }).click();
    await expect(quizzes.nth(i).getByRole("status")).toBeVisible();
  }
  await page.getByRole("button", { name: "Finish and continue →" }).click();
  await expect(page).toHaveURL(/reason-to-call$/);

  const created = await cardsOf(REP);
  expect(created).toHaveLength(count);
  await page.goto("/boost");
  await expect(page.getByText("Nothing due right now.")).toBeVisible();

  await travelForward(REP, 30);
  await page.goto("/today");
  await expect(page.getByText(new RegExp(`${count} questions due`))).toBeVisible();
  await page.getByRole("link", { name: "Start your boost" }).click();

  for (let i = 0; i < count; i++) {
    await expect(page.getByText(`Question ${i + 1} of ${count}`)).toBeVisible();
    await expect(page.getByText("from “Research before reaching out”")).toBeVisible();
    await page.locator("form label").first().click();
    await page.getByText("I know this").click();
    await page.getByRole("button", { name: "Check" }).click();
    await expect(page.getByRole("heading", { name: /Right\.|Not quite\.|Partly right/ })).toBeVisible();
    await expect(page.getByText(/comes back on .* \((today|tomorrow|in \d+ days)\)/)).toBeVisible();
    await page.getByRole("link", { name: i + 1 < count ? "Next question" : "Finish" }).click();
  }
  await expect(page.getByText(`Done for today: ${count} questions reviewed.`)).toBeVisible();
  const after = await cardsOf(REP);
  for (const card of after) expect(card.due).toBeGreaterThan(Date.now());
});

test("the boost works without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, "priya.raman@example.com");
  await travelForward("priya.raman@example.com", 60);
  await page.goto("/boost");
  await expect(page.getByText(/Question 1 of \d/)).toBeVisible();
  await page.locator("form label").first().click();
  await page.getByText("I'm guessing").click();
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page).toHaveURL(/\/boost\?reviewed=/);
  await expect(page.getByRole("heading", { name: /Right\.|Not quite\.|Partly right/ })).toBeVisible();
  await context.close();
});

test("the main demo rep has a boost at any hour: nothing is chosen for them, and what is left over is waiting", async ({
  page,
}) => {
  await signIn(page, "rep@example.com");
  await page.goto("/today");
  await expect(page.getByText(/5 questions due/)).toBeVisible();
  await page.getByRole("link", { name: "Start your boost" }).click();
  let multiple = 0;
  for (let i = 0; i < 5; i++) {
    await expect(page.getByText(`Question ${i + 1} of 5`)).toBeVisible();
    const confidence = page.getByRole("group", { name: "How sure are you?" }).getByRole("radio");
    await expect(confidence).toHaveCount(3);
    for (const radio of await confidence.all()) await expect(radio).not.toBeChecked();
    const form = page.locator("form");
    if ((await form.getByRole("checkbox").count()) > 0) {
      multiple++;
      await expect(form.getByText(/pick all that apply/i)).toHaveCount(1);
    }
    await form.locator("label").first().click();
    // Checking without saying how sure is refused by the browser: the rep says it.
    await page.getByRole("button", { name: "Check" }).click();
    await expect(page.getByText(`Question ${i + 1} of 5`)).toBeVisible();
    await page.getByText("I'm guessing").click();
    await page.getByRole("button", { name: "Check" }).click();
    await expect(page.getByRole("heading", { name: /Right\.|Not quite\.|Partly right/ })).toBeVisible();
    await page.getByRole("link", { name: i < 4 ? "Next question" : "Finish" }).click();
  }
  expect(multiple).toBeGreaterThan(0);
  await expect(page.getByText("Done for today: 5 questions reviewed.")).toBeVisible();
  await expect(page.getByText(/\d+ more questions? (is|are) waiting for your next boost\./)).toBeVisible();
  await expect(page.getByText(/comes back on .*\(today\)/)).toHaveCount(0);
});

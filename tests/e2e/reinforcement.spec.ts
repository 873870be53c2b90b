import {
  boostSizeOf,
  cardsOf,
  expect,
  finishedLessonDaysAgo,
  newOrganization,
  signIn,
  signInAs,
  test,
} from "./fixtures";

test("finishing a lesson turns each of its questions into a card that is not due yet", async ({ page }) => {
  const rep = await (await newOrganization()).person(["rep"], "Sofia Novak");
  await signInAs(page, rep);
  await page.goto("/today");
  await expect(page.getByText("Finish a lesson and its questions will come back here")).toBeVisible();

  await page.goto("/learn/prospecting/research-before-reaching-out");
  const quizzes = page.locator("section[id^=quiz-]");
  const count = await quizzes.count();
  expect(count).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) {
    await quizzes.nth(i).locator("label").first().click();
    await quizzes.nth(i).getByRole("button", { name: "Check answer" }).click();
    await expect(quizzes.nth(i).getByRole("status")).toBeVisible();
  }
  await page.getByRole("button", { name: "Finish and continue →" }).click();
  await expect(page).toHaveURL(/reason-to-call\?finished=research-before-reaching-out$/);
  // The next lesson opens with what was just done, said once: the score, the streak, what comes back when.
  const note = page.getByRole("status").filter({ hasText: "Lesson done" });
  await expect(note).toContainText("Lesson done: “Research before reaching out”.");
  await expect(note).toContainText(new RegExp(`\\d+ of ${count} questions right on your first answer\\.`));
  await expect(note).toContainText("Day one of a streak.");
  await expect(note).toContainText(
    new RegExp(`Its ${count} questions join your daily boost\\. The first comes back on`),
  );
  await note.getByRole("link", { name: "Dismiss" }).click();
  await expect(page).toHaveURL(/reason-to-call$/);
  await expect(page.getByText("Lesson done")).toHaveCount(0);

  const created = await cardsOf(rep);
  expect(created).toHaveLength(count);
  for (const card of created) expect(card.due.getTime()).toBeGreaterThan(Date.now());
  await page.goto("/boost");
  await expect(page.getByText("Nothing due right now.")).toBeVisible();
});

test("a month after a lesson, the boost offers its questions and answering them moves them out", async ({ page }) => {
  const rep = await (await newOrganization()).person(["rep"], "Sofia Novak");
  const count = await finishedLessonDaysAgo(rep, "prospecting", "research-before-reaching-out", 30);
  const boost = Math.min(count, await boostSizeOf(rep));
  await signInAs(page, rep);
  await page.goto("/today");
  await expect(page.getByText(new RegExp(`${boost} questions due`))).toBeVisible();
  await page.getByRole("link", { name: "Start your boost" }).click();

  for (let i = 0; i < boost; i++) {
    await expect(page.getByText(`Question ${i + 1} of ${boost}`)).toBeVisible();
    await expect(page.getByText("from “Research before reaching out”")).toBeVisible();
    await page.locator("form label").first().click();
    await page.getByText("I know this").click();
    await page.getByRole("button", { name: "Check" }).click();
    await expect(page.getByRole("heading", { name: /Right\.|Not quite\.|Partly right/ })).toBeVisible();
    await expect(page.getByText(/comes back on .* \((today|tomorrow|in \d+ days)\)/)).toBeVisible();
    await page.getByRole("link", { name: i + 1 < boost ? "Next question" : "Finish" }).click();
  }
  // The end of the boost says what was done: the score, the streak, what comes back when.
  const done = page.getByRole("region", { name: /Done for today/ });
  await expect(done.getByRole("heading")).toHaveText(
    new RegExp(`^Done for today: ${boost} questions reviewed, \\d+ right\\.$`),
  );
  await expect(done).toContainText(/day one of a streak|\d+-day streak/);
  await expect(done).toContainText(/comes back on .* \((today|tomorrow|in \d+ days)\)|waiting for your next boost/);
  await expect(done.getByRole("link", { name: "Back to Today" })).toBeVisible();
  // The answered cards moved into the future; what did not fit in the boost is still due.
  const after = await cardsOf(rep);
  expect(after).toHaveLength(count);
  expect(after.filter((card) => card.due.getTime() > Date.now())).toHaveLength(boost);
});

test("the boost works without JavaScript", async ({ browser }) => {
  const rep = await (await newOrganization()).person(["rep"], "Priya Shah");
  await finishedLessonDaysAgo(rep, "prospecting", "research-before-reaching-out", 60);
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signInAs(page, rep);
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
  await expect(page.getByText(/6 questions due/)).toBeVisible();
  await page.getByRole("link", { name: "Start your boost" }).click();
  let multiple = 0;
  for (let i = 0; i < 6; i++) {
    await expect(page.getByText(`Question ${i + 1} of 6`)).toBeVisible();
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
    await expect(page.getByText(`Question ${i + 1} of 6`)).toBeVisible();
    await page.getByText("I'm guessing").click();
    await page.getByRole("button", { name: "Check" }).click();
    await expect(page.getByRole("heading", { name: /Right\.|Not quite\.|Partly right/ })).toBeVisible();
    await page.getByRole("link", { name: i < 5 ? "Next question" : "Finish" }).click();
  }
  expect(multiple).toBeGreaterThan(0);
  await expect(page.getByText(/^Done for today: 6 questions reviewed, \d right\.$/)).toBeVisible();
  await expect(page.getByText(/You're on a \d+-day streak\./)).toBeVisible();
  await expect(page.getByText(/\d+ more questions? (is|are) waiting for your next boost\./)).toBeVisible();
  await expect(page.getByText(/comes back on .*\(today\)/)).toHaveCount(0);
});

// The trainer studio in Chromium: a trainer writes a lesson with a quiz in the editor (CodeMirror
// with JavaScript, the plain textarea without), sees the analyzer's error at its line, fixes it,
// previews at phone width and publishes; a rep of the same organization finds it and answers;
// a republish leaves the rep's attempt on its version; another organization reaches none of it.
import type { Browser, Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { db, first } from "../../app/db/connection.server";
import { attempts, lessonDrafts, lessons, modules } from "../../app/db/schema";
import { expect, newOrganization, signInAs, test, type Person } from "./fixtures";

function body(word: string, prompt: string, withError: boolean) {
  return `Some words for the reader about ${word} pricing calls and what to ask.

<Quiz id="${word}-price" prompt="${prompt}">
  <Choice correct explanation="It learns what the price is for.">What will you compare it with?</Choice>
  <Choice${withError ? "" : ' explanation="It answers before you know what matters."'}>It is ten dollars.</Choice>
</Quiz>

<KeyPoint>

- Answer a price question with a question.

</KeyPoint>
`;
}

async function pageAs(
  browser: Browser,
  person: Person,
  options: { javaScriptEnabled?: boolean; phone?: boolean } = {},
) {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    ...(options.phone ? { viewport: { width: 375, height: 740 } } : {}),
  });
  const page = await context.newPage();
  await signInAs(page, person);
  return page;
}

async function createModuleAndLesson(page: Page, word: string) {
  await page.goto("/content");
  await page.getByLabel("Title", { exact: true }).fill(`${word} deals`);
  await page.getByLabel("Summary", { exact: true }).fill(`Our own ${word} deals, for our own reps.`);
  await page.getByRole("button", { name: "Create module" }).click();
  await expect(page.getByRole("heading", { name: `${word} deals` })).toBeVisible();
  await page.getByLabel("New lesson title").fill(`${word} pricing`);
  await page.getByRole("button", { name: "Add lesson" }).click();
  await expect(page).toHaveURL(/\/content\/lessons\/[^/]+$/);
  await page.getByLabel("Summary (one sentence for the library)").fill(`How to answer the ${word} price question.`);
  await page
    .getByLabel("Objective (the rep will be able to…)")
    .fill(`Answer the ${word} price question with a question.`);
  await page.getByLabel("Title", { exact: true }).fill(`Pricing ${word} calls`);
  return new URL(page.url()).pathname.split("/").pop()!;
}

async function lessonPath(lessonId: string) {
  const row = (await first(
    db()
      .select({ slug: lessons.slug, moduleSlug: modules.slug })
      .from(lessons)
      .innerJoin(modules, eq(modules.id, lessons.moduleId))
      .where(eq(lessons.id, lessonId)),
  ))!;
  return `/learn/${row.moduleSlug}/${row.slug}`;
}

async function answerAsRep(page: Page, word: string, title: string, path: string) {
  await page.goto("/library");
  await expect(page.getByText(`${word} deals`).first()).toBeVisible();
  await page.goto(`/library?q=${word}`);
  await expect(page.getByRole("link", { name: new RegExp(title) }).first()).toBeVisible();
  await page.goto(path);
  await page.getByLabel("What will you compare it with?").check();
  await page.getByRole("button", { name: "Check answer" }).click();
  await expect(page.getByText("It learns what the price is for.")).toBeVisible();
}

async function outsiders(browser: Browser, editor: string, path: string, word: string) {
  const other = await newOrganization();
  const trainer = await pageAs(browser, await other.person(["trainer"], "Olga Outsider"));
  expect((await trainer.goto(editor))!.status()).toBe(404);
  expect((await trainer.goto(`${editor}/preview`))!.status()).toBe(404);
  expect((await trainer.goto(`${editor}/history`))!.status()).toBe(404);
  const lessonId = editor.split("/").pop()!;
  const moduleId = (await first(db().select({ id: lessons.moduleId }).from(lessons).where(eq(lessons.id, lessonId))))!
    .id;
  expect((await trainer.request.get(`/content/modules/${moduleId}/export.zip`)).status()).toBe(404);
  // Their studio lists nothing of it.
  expect((await trainer.goto("/content"))!.status()).toBe(200);
  await expect(trainer.getByText(`${word} deals`)).toHaveCount(0);
  const rep = await pageAs(browser, await other.person(["rep"], "Omar Outsider"));
  expect((await rep.goto(path))!.status()).toBe(404);
  expect((await rep.goto(editor))!.status()).toBe(403);
  // Neither their library nor its search finds it.
  expect((await rep.goto(`/library?q=${word}`))!.status()).toBe(200);
  await expect(rep.getByText(`Pricing ${word} calls`)).toHaveCount(0);
  expect((await rep.goto("/library"))!.status()).toBe(200);
  await expect(rep.getByText(`${word} deals`)).toHaveCount(0);
  await trainer.context().close();
  await rep.context().close();
}

test("a trainer writes, previews and publishes a lesson with JavaScript; a rep answers it; a republish keeps the attempt's version", async ({
  browser,
}) => {
  const org = await newOrganization();
  const trainerPerson = await org.person(["trainer"], "Tess Trainer");
  const repPerson = await org.person(["rep"], "Ravi Rep");
  const word = `quokka${org.id
    .slice(0, 4)
    .toLowerCase()
    .replace(/[^a-z]/g, "x")}`;
  const trainer = await pageAs(browser, trainerPerson);
  const lessonId = await createModuleAndLesson(trainer, word);
  const editor = `/content/lessons/${lessonId}`;

  // CodeMirror replaces the textarea; the insert menu is there.
  const code = trainer.getByTestId("lesson-editor");
  await expect(code).toBeVisible();
  await expect(trainer.getByRole("button", { name: "+ Quiz" })).toBeVisible();
  await code.click();
  await trainer.keyboard.press("Control+A");
  await trainer.keyboard.insertText(body(word, "The buyer asks for the price first. What do you say?", true));
  // The analyzer's error shows as you type, on line 5 (the Choice without an explanation).
  const errorLine = () =>
    trainer.evaluate(
      () => [...document.querySelectorAll(".cm-line")].findIndex((l) => l.querySelector(".cm-lintRange-error")) + 1,
    );
  await expect.poll(errorLine, { timeout: 20_000 }).toBe(5);

  await code.click();
  await trainer.keyboard.press("Control+A");
  await trainer.keyboard.insertText(body(word, "The buyer asks for the price first. What do you say?", false));
  await expect.poll(errorLine, { timeout: 20_000 }).toBe(0);
  await expect(trainer.getByTestId("editor-status")).toContainText("Saved at", { timeout: 20_000 });

  await trainer.getByRole("button", { name: "Save and preview" }).click();
  await expect(trainer).toHaveURL(/\/preview$/);
  await trainer.getByRole("link", { name: "Phone width" }).click();
  await expect(trainer).toHaveURL(/width=phone/);
  const frame = trainer.getByTestId("preview-frame");
  expect((await frame.boundingBox())!.width).toBeLessThanOrEqual(375);
  await frame.getByLabel("It is ten dollars.").check();
  await frame.getByRole("button", { name: "Check answer" }).click();
  await expect(frame.getByText("It answers before you know what matters.")).toBeVisible();
  expect(await db().select().from(attempts).where(eq(attempts.userId, trainerPerson.id))).toEqual([]);

  await trainer.goto(editor);
  await trainer.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(trainer.getByText("Published. Reps see this version now.")).toBeVisible();
  const firstVersion = (await first(db().select().from(lessons).where(eq(lessons.id, lessonId))))!.currentVersionId;

  const path = await lessonPath(lessonId);
  const rep = await pageAs(browser, repPerson, { phone: true });
  await answerAsRep(rep, word, `Pricing ${word} calls`, path);

  // The trainer changes the question (same id) and republishes.
  await trainer.goto(editor);
  await trainer.getByTestId("lesson-editor").click();
  await trainer.keyboard.press("Control+A");
  await trainer.keyboard.insertText(body(word, "The buyer wants a number now. What do you say?", false));
  await trainer.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(trainer.getByText("Published. Reps see this version now.")).toBeVisible();

  await rep.goto(path);
  await expect(rep.getByRole("heading", { name: "The buyer wants a number now. What do you say?" })).toBeVisible();
  // The rep's earlier answer, given on the first version, still shows under the same question, said to be
  // from an earlier version, and can be given again on this one.
  await expect(rep.getByText("It learns what the price is for.")).toBeVisible();
  await expect(rep.getByText("You answered this on an earlier version of the lesson")).toBeVisible();
  await expect(rep.getByRole("button", { name: "Answer it again" })).toBeVisible();
  const attempt = (await first(db().select().from(attempts).where(eq(attempts.userId, repPerson.id))))!;
  expect(attempt.lessonVersionId).toBe(firstVersion);
  expect((await first(db().select().from(lessons).where(eq(lessons.id, lessonId))))!.currentVersionId).not.toBe(
    firstVersion,
  );

  await outsiders(browser, editor, path, word);
  await trainer.context().close();
  await rep.context().close();
});

test("with JavaScript, a change to the lesson's details alone is autosaved, the reading estimate follows the typing; text kept offline over a draft someone saved since is shown beside the editor, never dropped", async ({
  browser,
}) => {
  const org = await newOrganization();
  const first_ = await pageAs(browser, await org.person(["trainer"], "Fay First"));
  const second = await pageAs(browser, await org.person(["trainer"], "Sol Second"), { javaScriptEnabled: false });
  const lessonId = await createModuleAndLesson(first_, "wombat");
  const editor = `/content/lessons/${lessonId}`;
  // Only the details changed (createModuleAndLesson fills title, summary and objective): autosaved.
  await expect(first_.getByTestId("editor-status")).toContainText("Saved at", { timeout: 20_000 });
  await first_.reload();
  await expect(first_.getByLabel("Title", { exact: true })).toHaveValue("Pricing wombat calls");

  // The reading estimate follows the text and the minutes as they are typed.
  const estimate = first_.getByTestId("minutes-estimate");
  await first_.getByLabel("Minutes", { exact: true }).fill("1");
  await first_.getByTestId("lesson-editor").click();
  await first_.keyboard.press("Control+End");
  await first_.keyboard.insertText(`\n${"Ask what the price is compared with before you answer it. ".repeat(60)}\n`);
  await expect(estimate).toContainText(
    /It takes about \d+ minutes to read and answer, more than the 1 minutes it says/,
    {
      timeout: 20_000,
    },
  );
  await first_.getByLabel("Minutes", { exact: true }).fill("7");
  await expect(estimate).toContainText(/Estimated at about \d+ minutes? to read and answer\./);
  await expect
    .poll(
      async () =>
        (
          await first(
            db()
              .select({ frontmatter: lessonDrafts.frontmatter })
              .from(lessonDrafts)
              .where(eq(lessonDrafts.lessonId, lessonId)),
          )
        )?.frontmatter.minutes,
      { timeout: 20_000 },
    )
    .toBe("7");

  // The connection drops; the trainer types on. Their words stay in this browser.
  await first_.context().route("**/content/lessons/*/draft", (route) => route.abort());
  await first_.getByTestId("lesson-editor").click();
  await first_.keyboard.press("Control+End");
  await first_.keyboard.insertText("\nWords typed on a train.\n");
  await expect(first_.getByTestId("editor-status")).toContainText("Offline", { timeout: 20_000 });
  // Meanwhile the second trainer saves the draft (no JavaScript: the plain form).
  await second.goto(editor);
  await second.getByLabel("Summary (one sentence for the library)").fill("The second trainer's summary.");
  await second.getByRole("button", { name: "Save draft" }).click();
  await expect(second.getByText("Draft saved.")).toBeVisible();

  // Back online, the first trainer reloads: the draft is the second trainer's, and the words typed
  // offline are shown beside it to copy, not dropped and not written over it.
  await first_.context().unroute("**/content/lessons/*/draft");
  await first_.reload();
  await expect(first_.getByLabel("Summary (one sentence for the library)")).toHaveValue(
    "The second trainer's summary.",
  );
  const earlier = first_.getByRole("region", { name: "Your earlier unsaved text" });
  await expect(earlier.getByRole("textbox")).toHaveValue(/Words typed on a train\./);
  await expect(first_.getByTestId("lesson-editor")).not.toContainText("Words typed on a train.");
  // Kept until the trainer lets it go.
  await first_.reload();
  await expect(earlier).toBeVisible();
  await earlier.getByRole("button", { name: "Forget this text" }).click();
  await expect(earlier).toHaveCount(0);
  await first_.reload();
  await expect(first_.getByTestId("lesson-editor")).toBeVisible();
  await expect(earlier).toHaveCount(0);
  await first_.context().close();
  await second.context().close();
});

test("two trainers without JavaScript: a save over a newer draft shows both texts and every detail, the merged text saves; the module exports as a zip", async ({
  browser,
}) => {
  const org = await newOrganization();
  const first_ = await pageAs(browser, await org.person(["trainer"], "Ada First"), { javaScriptEnabled: false });
  const second = await pageAs(browser, await org.person(["trainer"], "Ben Second"), { javaScriptEnabled: false });
  const lessonId = await createModuleAndLesson(first_, "numbat");
  await first_.getByRole("button", { name: "Save draft" }).click();
  await expect(first_.getByText("Draft saved.")).toBeVisible();
  const editor = `/content/lessons/${lessonId}`;
  const text = (page: Page) => page.getByLabel(/^Lesson text/);

  // Both open the draft; the first saves, then the second saves over it.
  await second.goto(editor);
  await text(first_).fill(body("numbat", "The first trainer's question?", false));
  await first_.getByLabel("Summary (one sentence for the library)").fill("The first trainer's summary.");
  await first_.getByRole("button", { name: "Save draft" }).click();
  await expect(first_.getByText("Draft saved.")).toBeVisible();
  await text(second).fill(body("numbat", "The second trainer's question?", false));
  await second.getByRole("button", { name: "Save draft" }).click();
  await expect(
    second.getByText(/Ada First saved this lesson while you were editing it\. Nothing was lost/),
  ).toBeVisible();
  await expect(second.getByLabel(/^Their text/)).toHaveValue(/The first trainer's question\?/);
  await expect(second.getByTestId("their-details")).toContainText("The first trainer's summary.");
  await expect(text(second)).toHaveValue(/The second trainer's question\?/);
  // The merge, saved over the revision now shown.
  await text(second).fill(body("numbat", "The merged question?", false));
  await second.getByRole("button", { name: "Save my merged text" }).click();
  await expect(second.getByText("Draft saved.")).toBeVisible();
  await first_.goto(editor);
  await expect(text(first_)).toHaveValue(/The merged question\?/);

  // Published, the module downloads as a zip of its folder (a module of drafts only has nothing to export).
  await first_.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(first_.getByText("Published. Reps see this version now.")).toBeVisible();
  await first_.goto("/content");
  const href = await first_.getByRole("link", { name: "Export numbat deals as a .zip" }).getAttribute("href");
  const zip = await first_.request.get(href!);
  expect(zip.status()).toBe(200);
  expect(zip.headers()["content-type"]).toContain("application/zip");
  expect((await zip.body()).subarray(0, 2).toString()).toBe("PK");
  await first_.context().close();
  await second.context().close();
});

test("without JavaScript: the textarea editor saves, lists the error with its line, previews, plays the quiz and publishes", async ({
  browser,
}) => {
  const org = await newOrganization();
  const trainerPerson = await org.person(["trainer"], "Nadia Nojs");
  const repPerson = await org.person(["rep"], "Noah Nojs");
  const word = `wombat${org.id
    .slice(0, 4)
    .toLowerCase()
    .replace(/[^a-z]/g, "x")}`;
  const trainer = await pageAs(browser, trainerPerson, { javaScriptEnabled: false, phone: true });
  const lessonId = await createModuleAndLesson(trainer, word);
  const text = trainer.getByLabel(/Lesson text/);
  await text.fill(body(word, "The buyer asks for the price first. What do you say?", true));
  await trainer.getByRole("button", { name: "Save draft" }).click();
  await expect(trainer.getByText("Draft saved.")).toBeVisible();
  await expect(trainer.getByTestId("problems")).toContainText('Line 5:3: <Choice> needs a explanation="…" attribute.');

  await trainer
    .getByLabel(/Lesson text/)
    .fill(body(word, "The buyer asks for the price first. What do you say?", false));
  await trainer.getByRole("button", { name: "Save and preview" }).click();
  await expect(trainer).toHaveURL(/\/preview$/);
  await trainer.getByLabel("It is ten dollars.").check();
  await trainer.getByRole("button", { name: "Check answer" }).click();
  await expect(trainer.getByText("It answers before you know what matters.")).toBeVisible();

  await trainer.getByRole("link", { name: "Back to the editor" }).click();
  await trainer.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(trainer.getByText("Published. Reps see this version now.")).toBeVisible();

  const rep = await pageAs(browser, repPerson, { javaScriptEnabled: false, phone: true });
  await answerAsRep(rep, word, `Pricing ${word} calls`, await lessonPath(lessonId));
  await trainer.context().close();
  await rep.context().close();
});

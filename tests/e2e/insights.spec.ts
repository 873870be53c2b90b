import { expect, horizontalOverflow, newOrganization, seriousViolations, signIn, signInAs, test } from "./fixtures";
import { dayLabel } from "../../app/shared/date-formats";
import { dayIn } from "../../app/shared/days";
import { completeLesson, orgLessons } from "../support/learning";

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  return rows;
}

test("a manager assigns a module to a team, a rep completes it from Today, the manager sees it completed", async ({
  page,
  browser,
}) => {
  const org = await newOrganization();
  const lead = await org.person(["manager"], "Morgan Lee");
  const finisher = await org.person(["rep"], "Ana Ruiz");
  const waiting = await org.person(["rep"], "Ben Okafor");
  await org.team("Field", { members: [finisher, waiting], managers: [lead] });

  const manager = await browser.newPage();
  await signInAs(manager, lead);
  await manager.goto("/coach/assignments");
  await manager.getByLabel("What").selectOption({ label: "Module: Prospecting" });
  await manager.getByLabel("To a whole team").selectOption({ label: "Field (reps who join later get it too)" });
  // A month ahead: due dates are refused in the past and beyond two years.
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await manager.getByLabel("Due", { exact: true }).fill(due);
  await manager.getByLabel("Note (optional)").fill("Before the outbound sprint");
  await manager.getByRole("button", { name: "Assign" }).click();
  await expect(manager.getByText("Assigned. Your reps see it on their Today page.")).toBeVisible();

  await signInAs(page, finisher);
  await page.goto("/today");
  const assigned = page.locator("section[aria-labelledby=assignments-heading]");
  await expect(assigned.getByRole("listitem")).toHaveCount(1);
  await expect(assigned.getByText("“Before the outbound sprint”", { exact: true })).toBeVisible();
  // Days read as the app writes them in the organization's zone (UTC for a test's own organization).
  const dueLabel = dayLabel(due, dayIn("UTC", new Date()));
  await expect(assigned.getByText(`Not started · due ${dueLabel}`)).toBeVisible();
  await assigned.getByRole("link", { name: "Module: Prospecting" }).click();
  await expect(page).toHaveURL(/\/learn\/prospecting$/);
  await page
    .getByRole("link")
    .filter({ hasText: /./ })
    .and(page.locator('a[href^="/learn/prospecting/"]'))
    .first()
    .click();

  for (let lesson = 0; lesson < 5; lesson++) {
    const quizzes = page.locator("section[id^=quiz-]");
    await expect(page.getByText(`${lesson + 1} of 5`)).toBeVisible();
    await expect(quizzes.first()).toBeVisible();
    const count = await quizzes.count();
    for (let i = 0; i < count; i++) {
      await quizzes.nth(i).locator("label").first().click();
      await quizzes.nth(i).getByRole("button", { name: "Check answer" }).click();
      await expect(quizzes.nth(i).getByRole("status")).toBeVisible();
    }
    const here = page.url();
    await page.getByRole("button", { name: /Finish and continue|Finish the module/ }).click();
    await page.waitForURL((url) => url.toString() !== here);
  }
  await expect(page).toHaveURL(/\/learn\/prospecting\?finished=/);
  await expect(page.getByText("5 of 5 done")).toBeVisible();
  // A completed assignment leaves the rep's Today.
  await page.goto("/today");
  await expect(page.getByRole("heading", { name: "Today" })).toBeVisible();
  await expect(assigned).toHaveCount(0);

  await manager.goto("/insights");
  await manager.locator("section[aria-labelledby=assignments-heading]").getByText("Show table").click();
  const table = manager.locator("section[aria-labelledby=assignments-heading] table");
  // The organization's only assignment: one of the team's two reps finished, the other has not begun.
  await expect(table.locator("tbody tr")).toHaveCount(1);
  const cells = await table.locator("tbody tr td").allInnerTexts();
  // Assignment, Team, Due, Reps, Not started, In progress, Completed, Overdue
  expect(cells).toEqual(["Module: Prospecting", "Field", dueLabel, "2", "1", "0", "1", "0"]);
  await manager.close();
});

test("a CSV export matches its table", async ({ page }) => {
  await signIn(page, "manager@example.com");
  await page.goto("/insights");
  const section = page.locator("section[aria-labelledby=weekly-heading]");
  await section.getByText("Show table").click();
  const table = section.getByRole("table");
  const header = await table.locator("thead th").allInnerTexts();
  const rows = await table
    .locator("tbody tr")
    // A day shows as "Mon, Nov 2" and carries its ISO form, which the CSV holds.
    .evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.querySelectorAll("td")].map(
          (td) => td.querySelector("time")?.getAttribute("datetime") ?? td.textContent ?? "",
        ),
      ),
    );
  const href = await section.getByRole("link", { name: "Download CSV" }).getAttribute("href");
  const response = await page.request.get(href!);
  expect(response.headers()["content-type"]).toContain("text/csv");
  const csv = parseCsv(await response.text());
  expect(csv[0]).toEqual(header);
  expect(csv.slice(1)).toEqual(rows);
  expect(rows.length).toBe(12);
});

test("a manager reads the dashboard and a rep's drill-down on a phone", async ({ page }) => {
  await signIn(page, "manager@example.com");
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/insights");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Insights");
  await expect(page.getByRole("heading", { name: /Who.s slipping/ })).toBeVisible();
  // Wide tables scroll inside their own box; the page itself never scrolls sideways.
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);

  const rep = page.locator('a[href^="/insights/reps/"]').first();
  const [repName, repPath] = [await rep.innerText(), await rep.getAttribute("href")];
  await rep.click();
  await expect(page).toHaveURL((url) => url.pathname === repPath);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(repName);
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test("the manager's dashboard reads in one laptop screen: key figures and who's slipping first, charts with 12 px labels, tables behind Show table", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await signIn(page, "manager@example.com");
  await page.goto("/insights");
  // What a manager needs in ten seconds is above the fold: the figures at a glance and who is slipping.
  const glance = page.getByRole("region", { name: "At a glance" });
  const slipping = page.getByRole("region", { name: /Who.s slipping/ });
  // The figures whole, and who is slipping from its heading to its two most urgent reps (how far the
  // last reasons wrap depends on the day the demo was loaded, so the whole list is not held to it).
  for (const part of [glance, slipping.getByRole("heading").first(), slipping.getByRole("row").nth(2)]) {
    const box = (await part.boundingBox())!;
    expect(box.y + box.height, "fits the first screen").toBeLessThanOrEqual(768);
  }
  await expect(glance).toContainText("Boosts finished");
  await expect(glance).toContainText("Waiting for review");
  // Measured on the demo: 5,392 px with every chart's table open and the figures spread over cards,
  // about 3,530 px with the tables behind "Show table" and the figures at a glance.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  // 5,392 px before the tables were folded away; the 30-day forecast card (issue 22) adds ~400.
  expect(height, "the dashboard's height").toBeLessThan(4500);

  // Every chart's axis labels are at least 12 px, on a laptop and on a phone.
  for (const width of [1366, 375]) {
    await page.setViewportSize({ width, height: 768 });
    const sizes = await page
      .locator("figure [data-axis] *")
      .evaluateAll((labels) =>
        labels.filter((l) => l.textContent?.trim()).map((l) => l.getBoundingClientRect().height),
      );
    expect(sizes.length, `axis labels at ${width} px`).toBeGreaterThan(10);
    const fonts = await page
      .locator("figure [data-axis] *")
      .evaluateAll((labels) => labels.map((l) => parseFloat(getComputedStyle(l).fontSize)));
    expect(Math.min(...fonts), `smallest axis label at ${width} px`).toBeGreaterThanOrEqual(12);
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  // Each chart's table is closed until asked for, and opens without JavaScript (a <details>).
  const weekly = page.getByRole("region", { name: "Weekly active reps" });
  await expect(weekly.getByRole("table")).toBeHidden();
  await weekly.getByText("Show table").click();
  await expect(weekly.getByRole("table")).toBeVisible();
  // Recall has a target, and its chart draws it.
  const recall = page.getByRole("region", { name: "Recall per skill over time" });
  await expect(recall.locator("figure")).toContainText(/Target \d+%/);
});

test("a rep rates a lesson at its end; the trainer reads the comment and follows a flag to the question in the editor", async ({
  browser,
}) => {
  const org = await newOrganization();
  const trainer = await org.person(["trainer"], "Tara Trainer");
  const rater = await org.person(["rep"], "Rita Rater");
  const [lesson] = await orgLessons(org.id, 1, 2);
  // Thirty reps answer both questions right two days ago: facility 100%, above the 90% that flags
  // a question too easy, from the 30 first answers a flag needs.
  const then = new Date(Date.now() - 2 * 86_400_000);
  for (let i = 0; i < 30; i++) {
    const rep = await org.person(["rep"], `Quick Rep ${i}`);
    await completeLesson({ id: rep.id, orgId: org.id, timezone: "UTC" }, lesson!, then);
  }

  const repPage = await browser.newPage();
  await signInAs(repPage, rater);
  await repPage.goto("/learn/testing/lesson-1");
  const rating = repPage.locator("section#lesson-rating");
  await rating.getByLabel("Not useful").check();
  await rating.getByLabel("Comment for the trainer (optional)").fill("The second question gives itself away.");
  await rating.getByRole("button", { name: "Send my rating" }).click();
  await expect(rating.getByText("Thanks: your trainer sees your rating.")).toBeVisible();
  await expect(rating.getByRole("button", { name: "Update my rating" })).toBeVisible();
  await repPage.close();

  const page = await browser.newPage();
  await signInAs(page, trainer);
  await page.goto("/content/insights?period=4w");
  await expect(page.getByRole("cell", { name: "The second question gives itself away." })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Rita Rater" })).toBeVisible();
  const flag = page.getByRole("listitem").filter({ hasText: "Lesson 1 · q1" });
  await expect(flag.getByText(/Facility 100% is above 90%/)).toBeVisible();
  await flag.getByRole("link", { name: "Open the question to fix it" }).click();
  await expect(page).toHaveURL(new RegExp(`/content/lessons/${lesson!.id}\\?question=q1$`));
  const line = Number(
    /starts on line (\d+)/.exec((await page.getByText(/The question “q1” starts on line \d+/).innerText())!)![1],
  );
  // The editor's cursor is on that line, the question's opening tag.
  await expect(page.locator(".cm-activeLine")).toContainText('id="q1"');
  await expect(page.locator(".cm-lineNumbers .cm-activeLineGutter")).toHaveText(String(line));
  await page.close();
});

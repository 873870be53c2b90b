import { expect, horizontalOverflow, seriousViolations, signIn, test } from "./fixtures";

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
  const manager = await browser.newPage();
  await signIn(manager, "manager2@example.com");
  await manager.goto("/coach/assignments");
  await manager.getByLabel("What").selectOption({ label: "Module: Prospecting" });
  await manager.getByLabel("To a whole team").selectOption({ label: "Mid-Market (reps who join later get it too)" });
  // A month ahead: due dates are refused in the past and beyond two years.
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await manager.getByLabel("Due", { exact: true }).fill(due);
  await manager.getByLabel("Note (optional)").fill("Before the outbound sprint");
  await manager.getByRole("button", { name: "Assign" }).click();
  await expect(manager.getByText("Assigned. Your reps see it on their Today page.")).toBeVisible();

  await signIn(page, "noah.fischer@example.com");
  await page.goto("/today");
  const assigned = page.locator("section[aria-labelledby=assignments-heading]");
  await expect(assigned.getByText("“Before the outbound sprint”", { exact: true })).toBeVisible();
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
  await expect(page.getByText("5/5 done")).toBeVisible();

  await manager.goto("/insights");
  const row = manager.locator("section[aria-labelledby=assignments-heading] tr", { hasText: "Module: Prospecting" });
  await expect(row).toBeVisible();
  const cells = await row.locator("td").allInnerTexts();
  // Assignment, Team, Due, Reps, Not started, In progress, Completed, Overdue
  expect(cells[1]).toBe("Mid-Market");
  expect(Number(cells[6])).toBeGreaterThanOrEqual(1);
  await manager.close();
});

test("a CSV export matches its table", async ({ page }) => {
  await signIn(page, "manager@example.com");
  await page.goto("/insights");
  const section = page.locator("section[aria-labelledby=weekly-heading]");
  const table = section.getByRole("table");
  const header = await table.locator("thead th").allInnerTexts();
  const rows = await table
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
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
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Who.s slipping/ })).toBeVisible();
  // Wide tables scroll inside their own box; the page itself never scrolls sideways.
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);

  await page.locator('a[href^="/insights/reps/"]').first().click();
  await expect(page).toHaveURL(/\/insights\/reps\//);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
});

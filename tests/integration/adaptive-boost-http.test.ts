// Issue 22 over real HTTP, on the production build: the boost's size on Today and /boost (the
// backlog, the minutes at the rep's pace, the minutes saved), the admin's minutes setting, and a
// training of the organization's parameters asked for from the settings page, run off the
// request in a worker thread of the server.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { boosts, cards, organizations, parameterTrainings } from "~/db/schema";
import { addDays, dayIn } from "~/shared/days";
import { completeLesson, orgLessons } from "../support/learning";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";
import { seedReviewHistory } from "../support/review-history";
import { Client, startServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
let server: TestServer;
beforeAll(async () => {
  server = await startServer({ FLYWHEEL_DEMO: "0" });
});
afterAll(() => server?.stop());

async function signedIn(email: string) {
  const client = new Client(server.url);
  expect((await client.login(email, TEST_PASSWORD)).status).toBe(302);
  return client;
}

/** A rep who finished three four-question lessons a month ago: twelve questions due now. */
async function repWithBacklog(boostMinutes: number) {
  const org = await makeOrg();
  await db().update(organizations).set({ boostMinutes }).where(eq(organizations.id, org.id));
  const rep = await makeUser(org.id, ["rep"]);
  const lessons = await orgLessons(org.id, 3);
  const month = new Date(Date.now() - 30 * DAY);
  for (const lesson of lessons) await completeLesson({ id: rep.id, orgId: org.id, timezone: "UTC" }, lesson, month);
  const due = await db().select({ due: cards.due }).from(cards).where(eq(cards.userId, rep.id));
  expect(due.filter((c) => c.due.getTime() <= Date.now())).toHaveLength(12);
  return { org, rep, client: await signedIn(rep.email) };
}

/** A page's HTML without the empty comments React puts between adjacent pieces of text, apostrophes unescaped. */
const page = async (client: Client, path: string) =>
  (await (await client.request(path)).text()).replaceAll("<!-- -->", "").replaceAll("&#x27;", "'");

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];

describe("the boost's size over HTTP", () => {
  it("is what fits in the minutes at the rep's own pace; Today and the boost say how many wait and for how long", async () => {
    const { rep, client } = await repWithBacklog(3);
    // The last seven days: four questions a day, 40 s each. Pace 40 s: four fit in 3 minutes,
    // and no day left minutes unused.
    const today = dayIn("UTC", new Date());
    for (let d = 1; d <= 7; d++)
      await db()
        .insert(boosts)
        .values({
          id: newId(),
          orgId: rep.orgId,
          userId: rep.id,
          day: addDays(today, -d),
          cardIds: ["a", "b", "c", "d"],
          answered: ["a", "b", "c", "d"],
          startedAt: new Date(Date.now() - d * DAY),
          finishedAt: new Date(Date.now() - d * DAY + 160_000),
          answeringMs: 160_000,
          timedAnswers: 4,
        });
    const todayPage = await page(client, "/today");
    expect(todayPage).toContain("4 questions due · about 3 minutes");
    expect(todayPage).toMatch(/8 more questions are waiting beyond today's: your boosts of the next 2 days/);

    const boostPage = await page(client, "/boost");
    expect(boostPage).toContain("Question 1 of 4");
    expect(boostPage).toMatch(/8 more questions are waiting beyond today's/);
    const chosen = (await first(
      db()
        .select()
        .from(boosts)
        .where(and(eq(boosts.userId, rep.id), eq(boosts.day, today)))
        .limit(1),
    ))!;
    expect(chosen.cardIds).toHaveLength(4);

    // An answer is timed from the question's showing, for the rep's pace.
    const answer = await client.post("/boost", {
      boost: field(boostPage, "boost")!,
      card: field(boostPage, "card")!,
      submission: field(boostPage, "submission")!,
      choice: "c1",
      confidence: "knew",
    });
    expect(answer.status).toBe(303);
    const after = (await first(db().select().from(boosts).where(eq(boosts.id, chosen.id)).limit(1)))!;
    expect(after.answered).toHaveLength(1);
    expect(after.timedAnswers).toBe(1);
    expect(after.answeringMs).toBeGreaterThan(0);
    expect(after.answeringMs).toBeLessThanOrEqual(120_000);
  });

  it("for a rep new to boosts: 20 s a question, plus one day's minutes saved from the quiet week before", async () => {
    const { client } = await repWithBacklog(1);
    // One minute at 20 s: three a day; the week without a boost saved one more day's worth.
    const todayPage = await page(client, "/today");
    expect(todayPage).toContain("6 questions due · about 2 minutes");
    expect(todayPage).toMatch(/6 more questions are waiting beyond today's: your boosts of the next 2 days/);
    expect(await page(client, "/boost")).toContain("Question 1 of 6");
  });
});

describe("the admin's boost minutes", () => {
  const form = (boostMinutes: string) => ({
    name: "Renamed",
    timezone: "UTC",
    desiredRetention: "0.9",
    boostMinutes,
    digestHour: "8",
  });
  const minutesOf = async (orgId: string) =>
    (await first(
      db().select({ m: organizations.boostMinutes }).from(organizations).where(eq(organizations.id, orgId)),
    ))!.m;

  it("are 3 by default, saved when whole minutes from 1 to 15, and refused under the field otherwise", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin"]);
    const client = await signedIn(admin.email);
    const settings = await page(client, "/admin/settings");
    expect(settings).toContain("Minutes per daily boost");
    expect(settings).toMatch(/name="boostMinutes"[^>]*value="3"|value="3"[^>]*name="boostMinutes"/);
    expect(settings).toContain("scheduled with FSRS's default parameters");
    expect((await client.post("/admin/settings", form("5"))).status).toBe(200);
    expect(await minutesOf(org.id)).toBe(5);
    for (const bad of ["0", "16", "2.5", "three", "", "-1"]) {
      const response = await client.post("/admin/settings", form(bad));
      expect(response.status, bad).toBe(400);
      expect(await response.text()).toContain("Enter a whole number of minutes from 1 to 15.");
    }
    expect(await minutesOf(org.id)).toBe(5);
    const unknown = await client.post("/admin/settings", { intent: "explode" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("This page does not know that action");
  });

  it("cannot be changed, nor a training asked for, by a rep or a manager", async () => {
    const org = await makeOrg();
    for (const role of ["rep", "manager"] as const) {
      const person = await makeUser(org.id, [role]);
      const client = await signedIn(person.email);
      expect((await client.post("/admin/settings", form("9"))).status).toBe(403);
      expect((await client.post("/admin/settings", { intent: "train" })).status).toBe(403);
    }
    expect(await minutesOf(org.id)).toBe(3);
    expect(await db().select().from(parameterTrainings).where(eq(parameterTrainings.orgId, org.id))).toEqual([]);
  });
});

describe("a training asked for from the settings page", () => {
  /** The settings page once no training is under way (the server trains off the request). */
  async function settled(client: Client): Promise<string> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const html = await page(client, "/admin/settings");
      if (!html.includes("Training under way")) return html;
      if (Date.now() > deadline) throw new Error("the training did not finish in 90 s");
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it("on a small history: not trained, and the page says what is missing", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin"]);
    await seedReviewHistory(org.id, { reps: 4, cardsPerRep: 5, days: 60, now: new Date() });
    const client = await signedIn(admin.email);
    const asked = await client.post("/admin/settings", { intent: "train" });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain("Training started.");
    const html = await settled(client);
    expect(html).toContain("Not trained");
    expect(html).toMatch(/Not enough history yet: \d+ repeat reviews from 4 reps; training needs 1,000 from 20\./);
  });

  it("on a large history: kept, with the date, the reviews and both measures shown, and the cards rescheduled", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin"]);
    await seedReviewHistory(org.id, { reps: 22, cardsPerRep: 10, days: 160, now: new Date() });
    const client = await signedIn(admin.email);
    expect((await client.post("/admin/settings", { intent: "train" })).status).toBe(200);
    const html = await settled(client);
    const training = (await first(
      db().select().from(parameterTrainings).where(eq(parameterTrainings.orgId, org.id)).limit(1),
    ))!;
    expect(training.status, training.reason ?? "").toBe("kept");
    expect(html).toContain("Kept");
    expect(html).toContain(`${training.reviews!.toLocaleString("en-US")} (22)`);
    expect(html).toContain(`${training.currentLogLoss!.toFixed(3)} → ${training.trainedLogLoss!.toFixed(3)}`);
    expect(html).toContain(`${(training.currentRmse! * 100).toFixed(1)} → ${(training.trainedRmse! * 100).toFixed(1)}`);
    expect(html).toContain(`${training.cardsRescheduled!.toLocaleString("en-US")} cards rescheduled.`);
    expect(html).toMatch(/scheduled with parameters trained on your organization's own reviews on /);
    const saved = (await first(
      db().select({ p: organizations.fsrsParameters }).from(organizations).where(eq(organizations.id, org.id)),
    ))!.p;
    expect(saved).toEqual(training.parameters);
    expect(training.cardsRescheduled).toBe(220);
  }, 120_000);

  it("is refused, with a message, while another is under way", async () => {
    const org = await makeOrg();
    const admin = await makeUser(org.id, ["admin"]);
    await db()
      .insert(parameterTrainings)
      .values({
        id: newId(),
        orgId: org.id,
        claim: `request:${newId()}`,
        requestedBy: admin.id,
        requestedAt: new Date(),
        status: "queued",
      });
    const client = await signedIn(admin.email);
    expect(await page(client, "/admin/settings")).toContain("Training under way");
    const again = await client.post("/admin/settings", { intent: "train" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("A training is already under way for your organization.");
  });
});

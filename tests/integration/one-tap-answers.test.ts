// Issue 18, "One tap from the e-mail", over real HTTP on the production build (decision 030): the
// digest in the outbox carries the first boost question's choices as links in both its parts; a
// GET shows the question and records nothing; a Submit records once exactly what /boost records;
// a reused, expired, altered or switched-off link is refused with a page that says so.
import { and, asc, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { answerLinks, attempts, boosts, cards, organizations, outbox, reviewLogs, statements } from "~/db/schema";
import { answerBoostCard, answerFromLink } from "~/features/learning/boost-answers.server";
import { Refusal } from "~/features/refusal";
import { ANSWER_LINKS_KEPT_DAYS, setAnswerLinksEnabled } from "~/features/reinforcement/answer-links.server";
import { dueCount, openTodaysBoost } from "~/features/reinforcement/boost.server";
import { sendDueDigests } from "~/features/reinforcement/reminders.server";
import { runScheduledWork } from "~/features/ops/scheduled-work.server";
import { addDays, dayIn, instantIn } from "~/shared/days";
import { completeLesson, orgLessons } from "../support/learning";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";
import { Client, startServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
const ORIGIN = "https://flywheel.example.test";
let server: TestServer;
let savedOrigin: string | undefined;
beforeAll(async () => {
  // Links are built from the configured origin, never from a request; the server itself runs
  // without APP_ORIGIN (it would refuse 127.0.0.1 as a Host) and the test follows each link's path.
  server = await startServer({ FLYWHEEL_DEMO: "0", APP_ORIGIN: "" });
  savedOrigin = process.env.APP_ORIGIN;
  process.env.APP_ORIGIN = ORIGIN;
});
afterAll(async () => {
  if (savedOrigin === undefined) delete process.env.APP_ORIGIN;
  else process.env.APP_ORIGIN = savedOrigin;
  await server?.stop();
});

/**
 * A zone where `at` is around noon, so that a link sent at `at` is good for hours on the server's
 * clock whatever hour the test runs (Etc/GMT-N is N hours ahead of UTC).
 */
function zoneAtNoon(at: Date): string {
  const offset = 12 - at.getUTCHours(); // -11 … 12
  return offset === 0 ? "Etc/UTC" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** An organization whose digest goes at midnight on its clock, and reps who finished one lesson a month before `now`. */
async function orgWithReps(now: Date, count = 1) {
  const org = await makeOrg();
  const timezone = zoneAtNoon(now);
  await db().update(organizations).set({ timezone, digestHour: 0 }).where(eq(organizations.id, org.id));
  const [lesson] = await orgLessons(org.id, 1);
  const reps = [];
  for (let i = 0; i < count; i++) {
    const rep = { ...(await makeUser(org.id, ["rep"])), timezone };
    await completeLesson(rep, lesson!, new Date(now.getTime() - 30 * DAY));
    reps.push(rep);
  }
  return { org, reps, timezone };
}

const boostRow = async (repId: string) =>
  (await first(db().select().from(boosts).where(eq(boosts.userId, repId)).limit(1)))!;

const digestsTo = (email: string) =>
  db().select().from(outbox).where(eq(outbox.to, email)).orderBy(asc(outbox.createdAt));

/** The answer links of a mail's part, by choice, as the paths the test server answers. */
function answerLinksIn(part: string): Map<string, string> {
  const links = new Map<string, string>();
  for (const m of part
    .replaceAll("&amp;", "&")
    .matchAll(/https:\/\/flywheel\.example\.test(\/answer\/[a-z0-9]+\?choice=(c\d+))/g))
    links.set(m[2]!, m[1]!);
  return links;
}

/** Everything an answer writes for a rep, to compare before and after. */
async function recorded(repId: string) {
  return {
    cards: await db().select().from(cards).where(eq(cards.userId, repId)).orderBy(asc(cards.id)),
    reviews: await db().select().from(reviewLogs).where(eq(reviewLogs.userId, repId)),
    attempts: await db().select().from(attempts).where(eq(attempts.userId, repId)),
    statements: await db().select().from(statements).where(eq(statements.actorId, repId)),
    boosts: await db().select().from(boosts).where(eq(boosts.userId, repId)),
  };
}

const text = async (response: Response) =>
  (await response.text()).replaceAll("<!-- -->", "").replaceAll("&#x27;", "'").replaceAll("&quot;", '"');

describe("the digest's answer links", () => {
  it("carry the first question of the day's boost in the text and the HTML part, built on APP_ORIGIN", async () => {
    const now = new Date();
    const { reps, timezone } = await orgWithReps(now);
    const rep = reps[0]!;
    await sendDueDigests(db(), now);
    const [mail] = await digestsTo(rep.email);
    expect(mail).toBeDefined();
    const boost = (await first(db().select().from(boosts).where(eq(boosts.userId, rep.id)).limit(1)))!;
    expect(boost.day).toBe(dayIn(timezone, now));
    const link = (await first(db().select().from(answerLinks).where(eq(answerLinks.userId, rep.id)).limit(1)))!;
    // The link answers the boost's first question, and stops at the organization's next midnight.
    expect(link.boostId).toBe(boost.id);
    expect(link.cardId).toBe(boost.cardIds[0]);
    expect(link.expiresAt.getTime()).toBe(instantIn(timezone, addDays(boost.day, 1), 0).getTime());
    expect(link.usedAt).toBeNull();

    const card = (await first(db().select().from(cards).where(eq(cards.id, link.cardId)).limit(1)))!;
    const prompt = `Question ${card.questionKey}?`;
    for (const part of [mail!.text, mail!.html!]) {
      expect(part).toContain(prompt);
      expect([...answerLinksIn(part).keys()]).toEqual(["c1", "c2"]);
      expect(part).toContain(`${ORIGIN}/boost`);
      expect(part).toMatch(/\/unsubscribe\/[a-z0-9]+/);
      // No answer key in the mail.
      expect(part).not.toContain("Because right is right");
    }
    expect(answerLinksIn(mail!.html!)).toEqual(answerLinksIn(mail!.text));
    // One token per digest, only its hash stored.
    const token = /\/answer\/([a-z0-9]+)/.exec(mail!.text)![1]!;
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(link.tokenHash).not.toContain(token);
    // Mail clients: tables and inline styles, nothing that runs.
    expect(mail!.html).toMatch(/^<!DOCTYPE html>/);
    expect(mail!.html).toContain('<table role="presentation"');
    expect(mail!.html).not.toMatch(/<script|<style|<link |javascript:|\son[a-z]+=/i);
  });

  it("open a page that records nothing; Submit records once what /boost records, and a second Submit is refused", async () => {
    const now = new Date();
    const { reps } = await orgWithReps(now, 2);
    const [rep, twin] = reps as [(typeof reps)[0], (typeof reps)[0]];
    await sendDueDigests(db(), now);
    const [mail] = await digestsTo(rep.email);
    const links = answerLinksIn(mail!.text);
    const visitor = new Client(server.url);
    const before = await recorded(rep.id);

    // A mail scanner opens every link, twice: the page shows the question with that choice
    // picked, no answer key, and nothing changes.
    for (const choice of ["c1", "c2", "c1"]) {
      const page = await visitor.request(links.get(choice)!);
      expect(page.status).toBe(200);
      expect(page.headers.get("cache-control")).toContain("no-store");
      const html = await text(page);
      expect(html).toContain(">Submit<");
      expect(html).toMatch(
        new RegExp(`value="${choice}" checked|checked="" value="${choice}"|value="${choice}"[^>]*checked`),
      );
      expect(html).not.toContain("Because right is right");
      expect(html).not.toContain("Because wrong is wrong");
    }
    expect(await visitor.request(links.get("c1")!, { method: "HEAD" })).toHaveProperty("status", 200);
    expect(await recorded(rep.id)).toEqual(before);
    expect(visitor.jar.size).toBe(0);

    // Submit: the right answer.
    const path = links.get("c1")!.split("?")[0]!;
    const submitted = await visitor.post(path, { choice: "c1" });
    expect(submitted.status, await submitted.clone().text()).toBe(200);
    const feedback = await text(submitted);
    expect(feedback).toContain("Right.");
    expect(feedback).toContain("Because right is right.");
    expect(feedback).toContain("Sign in for the rest of the boost");
    // It grants nothing else: no session, and /boost still asks to sign in.
    expect(visitor.jar.size).toBe(0);
    expect((await visitor.request("/boost")).status).toBe(302);

    const after = await recorded(rep.id);
    const link = (await first(db().select().from(answerLinks).where(eq(answerLinks.userId, rep.id)).limit(1)))!;
    expect(link.usedAt).not.toBeNull();
    expect(after.reviews).toHaveLength(before.reviews.length + 1);
    expect(after.attempts).toHaveLength(before.attempts.length + 1);
    expect(after.statements.length).toBeGreaterThan(before.statements.length);
    const moved = after.cards.find((c) => c.id === link.cardId)!;
    const was = before.cards.find((c) => c.id === link.cardId)!;
    expect(moved.due.getTime()).toBeGreaterThan(was.due.getTime());
    expect(moved.reps).toBe(was.reps + 1);
    expect(after.boosts[0]!.answered).toEqual([link.cardId]);

    // The twin answers the same way on /boost: the same things are written.
    const twinClient = new Client(server.url);
    expect((await twinClient.login(twin.email, TEST_PASSWORD)).status).toBe(302);
    const twinBefore = await recorded(twin.id);
    const boostPage = await text(await twinClient.request("/boost"));
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(boostPage)![1]!;
    expect(field("card")).toBe(twinBefore.boosts[0]!.cardIds[0]);
    expect(
      (
        await twinClient.post("/boost", {
          boost: field("boost"),
          card: field("card"),
          submission: field("submission"),
          choice: "c1",
          confidence: "knew",
        })
      ).status,
    ).toBe(303);
    const twinAfter = await recorded(twin.id);
    const newOf = <T extends { id: string }>(all: T[], old: T[]) => all.filter((r) => !old.some((o) => o.id === r.id));
    const [linkReview] = newOf(after.reviews, before.reviews);
    const [boostReview] = newOf(twinAfter.reviews, twinBefore.reviews);
    expect(linkReview!.rating).toBe(boostReview!.rating);
    const shape = (c: (typeof after.cards)[0]) => ({
      reps: c.reps,
      lapses: c.lapses,
      state: c.state,
      days: c.scheduledDays,
    });
    expect(shape(moved)).toEqual(shape(twinAfter.cards.find((c) => c.id === field("card"))!));
    const attemptShape = (a: (typeof after.attempts)[0]) => ({
      context: a.context,
      correct: a.correct,
      score: a.score,
      chosen: a.chosen,
    });
    expect(newOf(after.attempts, before.attempts).map(attemptShape)).toEqual(
      newOf(twinAfter.attempts, twinBefore.attempts).map(attemptShape),
    );
    const verbs = (rows: typeof after.statements) => rows.map((s) => s.verb).sort();
    expect(verbs(newOf(after.statements, before.statements))).toEqual(
      verbs(newOf(twinAfter.statements, twinBefore.statements)),
    );
    expect(after.boosts[0]!.answered).toHaveLength(twinAfter.boosts[0]!.answered.length);

    // Used: a second Submit and a later GET are refused with a page that says so, and change nothing.
    const again = await visitor.post(path, { choice: "c2" });
    expect(again.status).toBe(409);
    expect(await text(again)).toContain("This link has already been used");
    const reopened = await visitor.request(links.get("c2")!);
    expect(reopened.status).toBe(200);
    expect(await text(reopened)).toContain("This link has already been used");
    expect(await recorded(rep.id)).toEqual(after);
  });

  it("stores one answer when two Submits race (a double click, two tabs)", async () => {
    const now = new Date();
    const { reps } = await orgWithReps(now);
    const rep = reps[0]!;
    await sendDueDigests(db(), now);
    const path = answerLinksIn((await digestsTo(rep.email))[0]!.text)
      .get("c2")!
      .split("?")[0]!;
    const before = await recorded(rep.id);
    const responses = await Promise.all(
      Array.from({ length: 4 }, () => new Client(server.url).post(path, { choice: "c2" })),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const after = await recorded(rep.id);
    expect(after.reviews).toHaveLength(before.reviews.length + 1);
    expect(after.attempts).toHaveLength(before.attempts.length + 1);
    expect(after.boosts[0]!.answered).toHaveLength(1);
  });

  it("expire when the organization's next day begins", async () => {
    const now = new Date();
    const { reps, timezone } = await orgWithReps(now, 2);
    const [yesterdays, todays] = reps as [(typeof reps)[0], (typeof reps)[0]];
    // Yesterday's digest (sent at noon yesterday on the organization's clock) expired at midnight.
    const yesterdayNoon = new Date(now.getTime() - DAY);
    await sendDueDigests(db(), yesterdayNoon);
    const old = answerLinksIn((await digestsTo(yesterdays.email))[0]!.text).get("c1")!;
    const before = await recorded(yesterdays.id);
    const page = await new Client(server.url).request(old);
    expect(page.status).toBe(410);
    expect(await text(page)).toMatch(/This link was for your boost of \w{3}, \w{3} \d{1,2} and has expired/);
    const post = await new Client(server.url).post(old.split("?")[0]!, { choice: "c1" });
    expect(post.status).toBe(410);
    expect(await recorded(yesterdays.id)).toEqual(before);

    // Today's link, at the injected instant its day ends: refused; a millisecond before, taken.
    await db().delete(answerLinks).where(eq(answerLinks.userId, todays.id));
    await sendDueDigests(db(), now);
    const token = /\/answer\/([a-z0-9]+)/.exec((await digestsTo(todays.email)).at(-1)!.text)![1]!;
    const midnight = instantIn(timezone, addDays(dayIn(timezone, now), 1), 0);
    const refusal = await answerFromLink(db(), { token, chosen: ["c1"], now: midnight }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(Refusal);
    expect((refusal as Refusal).status).toBe(410);
    expect(
      await db()
        .select()
        .from(answerLinks)
        .where(and(eq(answerLinks.userId, todays.id), isNull(answerLinks.usedAt))),
    ).toHaveLength(1);
    const answer = await answerFromLink(db(), { token, chosen: ["c1"], now: new Date(midnight.getTime() - 1) });
    expect(answer.result.correct).toBe(true);
  });

  it("refuse an altered token, a cross-site Submit, and never answer another rep's or organization's card", async () => {
    const now = new Date();
    const { reps } = await orgWithReps(now);
    const other = await orgWithReps(now);
    const rep = reps[0]!;
    const stranger = other.reps[0]!;
    await sendDueDigests(db(), now);
    const path = answerLinksIn((await digestsTo(rep.email))[0]!.text)
      .get("c1")!
      .split("?")[0]!;
    const strangerBefore = await recorded(stranger.id);
    const before = await recorded(rep.id);
    const token = path.split("/").at(-1)!;
    const altered = `/answer/${token.slice(0, -1)}${token.endsWith("a") ? "b" : "a"}`;
    for (const bad of [altered, "/answer/short", `/answer/${token}x`, `/answer/${token.toUpperCase()}`]) {
      const page = await new Client(server.url).request(`${bad}?choice=c1`);
      expect(page.status, bad).toBe(404);
      expect(await text(page)).toContain("This answer link is not valid");
      expect((await new Client(server.url).post(bad, { choice: "c1" })).status, bad).toBe(404);
    }
    // From another site's page: refused before the app sees it.
    const crossSite = await new Client(server.url).post(path, { choice: "c1" }, { Origin: "https://evil.example" });
    expect(crossSite.status).toBe(403);
    expect(await recorded(rep.id)).toEqual(before);

    // Naming the stranger's boost and card in the form changes nothing of theirs: the token decides.
    const strangerBoost = strangerBefore.boosts[0]!;
    const done = await new Client(server.url).post(path, {
      choice: "c1",
      boost: strangerBoost.id,
      card: strangerBoost.cardIds[0]!,
    });
    expect(done.status).toBe(200);
    expect(await recorded(stranger.id)).toEqual(strangerBefore);
    const link = (await first(db().select().from(answerLinks).where(eq(answerLinks.userId, rep.id)).limit(1)))!;
    expect((await recorded(rep.id)).boosts[0]!.answered).toEqual([link.cardId]);
  });

  it("are deleted a month after they expire, used or not, by the hourly clean-up; younger ones stay", async () => {
    const now = new Date();
    const { reps } = await orgWithReps(now, 2);
    await sendDueDigests(db(), now);
    const [old, young] = await Promise.all(
      reps.map(async (rep) => (await first(db().select().from(answerLinks).where(eq(answerLinks.userId, rep.id))))!),
    );
    // The clean-up runs ANSWER_LINKS_KEPT_DAYS after the links expire: both stay until then.
    const later = new Date(old!.expiresAt.getTime() + ANSWER_LINKS_KEPT_DAYS * DAY);
    await db()
      .update(answerLinks)
      .set({ expiresAt: new Date(old!.expiresAt.getTime() - 1) })
      .where(eq(answerLinks.tokenHash, old!.tokenHash));
    const done = await runScheduledWork(db(), later, { snapshots: false, orphans: true });
    expect(done.answerLinksDeleted).toBeGreaterThanOrEqual(1);
    // (The run also sends that day's digests, with new links.)
    expect(await db().select().from(answerLinks).where(eq(answerLinks.tokenHash, old!.tokenHash))).toEqual([]);
    expect(await db().select().from(answerLinks).where(eq(answerLinks.tokenHash, young!.tokenHash))).toHaveLength(1);
  });

  it("can be turned off on /account/reminders: the next digest has none, and those sent stop working", async () => {
    const now = new Date();
    const { reps, timezone } = await orgWithReps(now);
    const rep = reps[0]!;
    await sendDueDigests(db(), now);
    const sent = answerLinksIn((await digestsTo(rep.email))[0]!.text).get("c1")!;

    const client = new Client(server.url);
    expect((await client.login(rep.email, TEST_PASSWORD)).status).toBe(302);
    const settings = await text(await client.request("/account/reminders"));
    expect(settings).toContain("Answer from the e-mail");
    expect(settings).toMatch(
      /name="answerLinks" value="on" checked|checked="" name="answerLinks"|name="answerLinks"[^>]*checked/,
    );
    const off = await client.post("/account/reminders", { intent: "answer-links" });
    expect(off.status).toBe(200);
    expect(await text(off)).toContain("No more answer links in the digest");

    const before = await recorded(rep.id);
    const page = await new Client(server.url).request(sent);
    expect(page.status).toBe(403);
    expect(await text(page)).toContain("Answer links are turned off");
    expect((await new Client(server.url).post(sent.split("?")[0]!, { choice: "c1" })).status).toBe(403);
    expect(await recorded(rep.id)).toEqual(before);

    // Tomorrow's digest (its instant injected): the plain boost link, no answer links.
    const tomorrow = instantIn(timezone, addDays(dayIn(timezone, now), 1), 12);
    await sendDueDigests(db(), tomorrow);
    const mails = await digestsTo(rep.email);
    expect(mails).toHaveLength(2);
    for (const part of [mails[1]!.text, mails[1]!.html!]) {
      expect(answerLinksIn(part).size).toBe(0);
      expect(part).toContain(`${ORIGIN}/boost`);
    }
    expect(await db().select().from(answerLinks).where(eq(answerLinks.userId, rep.id))).toHaveLength(1);

    // On again: the links sent before stay dead (a forwarded digest is not revived), and the
    // next digest carries new ones.
    expect((await client.post("/account/reminders", { intent: "answer-links", answerLinks: "on" })).status).toBe(200);
    expect((await new Client(server.url).request(sent)).status).toBe(410);
    await sendDueDigests(db(), new Date(tomorrow.getTime() + DAY));
    expect(answerLinksIn((await digestsTo(rep.email))[2]!.text).size).toBe(2);
  });

  it("tell today's boost as it stands: what it has left and its next question, and no e-mail once it is done", async () => {
    const now = new Date();
    const { org, reps } = await orgWithReps(now, 4);
    const [fresh, halfway, done, doneWithoutLinks] = reps as [(typeof reps)[0], ...typeof reps];
    // A second lesson makes eight questions due; a one-minute boost holds six of them (three a
    // day at the default pace, and as many saved from the days before): two wait for tomorrow.
    const second = (await orgLessons(org.id, 2))[1]!;
    for (const rep of reps) await completeLesson(rep, second, new Date(now.getTime() - 30 * DAY));
    await db().update(organizations).set({ boostMinutes: 1 }).where(eq(organizations.id, org.id));
    await setAnswerLinksEnabled(db(), doneWithoutLinks!, false, now);
    // Before the digest's run, one rep answers the boost's first question and two answer all of it.
    const earlier = new Date(now.getTime() - 60_000);
    const answer = async (rep: (typeof reps)[0], count: number) => {
      for (let i = 0; i < count; i++) {
        const boost = await openTodaysBoost(db(), rep, earlier);
        if (boost.state !== "open") throw new Error(`no question left to answer (${boost.state})`);
        await answerBoostCard(db(), {
          user: rep,
          boostId: boost.boostId,
          cardId: boost.current.cardId,
          chosen: ["c1"],
          confidence: "knew",
          submissionId: `before-the-digest-${i}`,
          now: earlier,
        });
      }
    };
    await answer(halfway!, 1);
    const size = (await boostRow(halfway!.id)).cardIds.length;
    expect(size).toBe(6);
    await answer(done!, size);
    await answer(doneWithoutLinks!, size);
    expect((await boostRow(done!.id)).finishedAt).not.toBeNull();

    await sendDueDigests(db(), now);
    const [freshMail] = await digestsTo(fresh!.email);
    expect(freshMail!.subject).toBe(`Your daily boost: ${size} questions due`);
    const [halfwayMail] = await digestsTo(halfway!.email);
    const left = size - 1;
    expect(halfwayMail!.subject).toBe(`Your daily boost: ${left} question${left === 1 ? "" : "s"} due`);
    // Its links answer the boost's next question, not the one already answered.
    const link = (await first(db().select().from(answerLinks).where(eq(answerLinks.userId, halfway!.id)).limit(1)))!;
    expect(link.cardId).toBe((await boostRow(halfway!.id)).cardIds[1]);
    for (const part of [halfwayMail!.text, halfwayMail!.html!]) expect(answerLinksIn(part).size).toBe(2);
    // Nothing is left of today's boost and nothing is assigned: nothing to say, no e-mail, and no
    // answer link made for nobody.
    expect(await digestsTo(done!.email)).toEqual([]);
    expect(await digestsTo(doneWithoutLinks!.email)).toEqual([]);
    expect(await db().select().from(answerLinks).where(eq(answerLinks.userId, done!.id))).toEqual([]);
    // (The questions that did not fit are still due: they are tomorrow's.)
    expect(await dueCount(db(), done!.id, now)).toBe(2);
  });
});

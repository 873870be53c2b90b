// Training an organization's FSRS weights (decision 024) on a real database: skipped on a small
// history, kept and applied on a large one, claimed once however many processes try, weekly once
// per organization and week, and the cards rescheduled from their history without changing it.
import { and, asc, eq, like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, first } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { cards, organizations, parameterTrainings, reviewLogs } from "~/db/schema";
import { dayIn, weekOf } from "~/shared/days";
import { replay } from "~/features/reinforcement/fsrs.server";
import { requestTraining, runDueTrainings, runQueuedTraining } from "~/features/reinforcement/training.server";
import { makeOrg, makeUser } from "../support/people";
import { seedReviewHistory } from "../support/review-history";

const DAY = 86_400_000;
const NOW = new Date("2027-06-16T10:00:00Z");
const at = (date: Date) => () => date;

async function orgWithAdmin() {
  const org = await makeOrg();
  const admin = await makeUser(org.id, ["admin"]);
  return { org, admin: { id: admin.id, orgId: org.id } };
}

describe("training an organization's parameters", () => {
  it("is skipped while the history is too small, and says how far it is from enough", async () => {
    const { org, admin } = await orgWithAdmin();
    await seedReviewHistory(org.id, { reps: 3, cardsPerRep: 4, days: 60, now: NOW });
    const id = await requestTraining(db(), admin, NOW);
    const done = (await runQueuedTraining(db(), id, at(NOW)))!;
    expect(done.status).toBe("skipped");
    expect(done.reps).toBe(3);
    expect(done.reason).toMatch(
      /^Not enough history yet: \d+ repeat reviews from 3 reps; training needs 1,000 from 20\./,
    );
    const saved = await first(
      db().select({ p: organizations.fsrsParameters }).from(organizations).where(eq(organizations.id, org.id)),
    );
    expect(saved!.p).toBeNull();
  });

  it("keeps weights that predict the latest reviews better, and reschedules every card from its unchanged history", async () => {
    const { org, admin } = await orgWithAdmin();
    const { repIds } = await seedReviewHistory(org.id, { reps: 22, cardsPerRep: 10, days: 160, now: NOW });
    // A vacation hold moved one card's last review (and due day) five days on: its new due day
    // counts from there.
    const held = (await first(db().select().from(cards).where(eq(cards.userId, repIds[0]!)).limit(1)))!;
    await db()
      .update(cards)
      .set({ lastReview: new Date(held.lastReview!.getTime() + 5 * DAY), due: new Date(held.due.getTime() + 5 * DAY) })
      .where(eq(cards.id, held.id));
    const logsBefore = await db()
      .select()
      .from(reviewLogs)
      .where(eq(reviewLogs.orgId, org.id))
      .orderBy(asc(reviewLogs.id));
    const cardsBefore = await db().select().from(cards).where(eq(cards.orgId, org.id));

    const id = await requestTraining(db(), admin, NOW);
    const done = (await runQueuedTraining(db(), id, at(NOW)))!;
    expect(done.status, done.reason ?? "").toBe("kept");
    expect(done.reps).toBe(22);
    expect(done.reviews).toBeGreaterThanOrEqual(1000);
    expect(done.testReviews).toBeGreaterThan(0);
    expect(done.trainedLogLoss!).toBeLessThan(done.currentLogLoss!);
    expect(done.trainedRmse!).toBeLessThanOrEqual(done.currentRmse!);
    expect(done.reason).toMatch(/^Kept: on the most recent/);
    expect(done.cardsRescheduled).toBe(cardsBefore.length);
    const parameters = (await first(
      db().select({ p: organizations.fsrsParameters }).from(organizations).where(eq(organizations.id, org.id)),
    ))!.p!;
    expect(parameters).toEqual(done.parameters);

    // The history is exactly as it was.
    expect(
      await db().select().from(reviewLogs).where(eq(reviewLogs.orgId, org.id)).orderBy(asc(reviewLogs.id)),
    ).toEqual(logsBefore);
    // Each card is what its history replayed with the kept weights makes it, due from its own last review.
    for (const card of await db().select().from(cards).where(eq(cards.orgId, org.id))) {
      const history = logsBefore
        .filter((l) => l.cardId === card.id)
        .sort((a, b) => a.reviewedAt.getTime() - b.reviewedAt.getTime())
        .map((l) => ({ rating: l.rating, at: l.reviewedAt }));
      const expected = replay(history, 0.9, parameters)!;
      expect(card.stability).toBeCloseTo(expected.stability, 9);
      expect(card.difficulty).toBeCloseTo(expected.difficulty, 9);
      const before = cardsBefore.find((c) => c.id === card.id)!;
      expect(card.lastReview).toEqual(before.lastReview);
      expect(card.reps).toBe(before.reps);
      expect(card.due.getTime() - card.lastReview!.getTime()).toBe(
        expected.due.getTime() - expected.lastReview!.getTime(),
      );
    }
  }, 120_000);

  it("is claimed once: two processes running the same request, one trains", async () => {
    const { admin } = await orgWithAdmin();
    const id = await requestTraining(db(), admin, NOW);
    const results = await Promise.all([runQueuedTraining(db(), id, at(NOW)), runQueuedTraining(db(), id, at(NOW))]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.find((r) => r !== null)!.status).toBe("skipped");
  });

  it("refuses a second request while one is under way, and a training cut short stops blocking after 30 minutes", async () => {
    const { org, admin } = await orgWithAdmin();
    await requestTraining(db(), admin, NOW);
    await expect(requestTraining(db(), admin, new Date(NOW.getTime() + 60_000))).rejects.toThrow(
      "A training is already under way",
    );
    // Its server stopped while it ran: the scheduler marks it failed, and a new request is taken.
    await db()
      .update(parameterTrainings)
      .set({ status: "running", startedAt: NOW })
      .where(eq(parameterTrainings.orgId, org.id));
    const later = new Date(NOW.getTime() + 31 * 60_000);
    await runDueTrainings(db(), at(later));
    expect(await requestTraining(db(), admin, later)).toMatch(/^[a-z0-9]+$/);
    const rows = await db()
      .select({ status: parameterTrainings.status, reason: parameterTrainings.reason })
      .from(parameterTrainings)
      .where(and(eq(parameterTrainings.orgId, org.id), like(parameterTrainings.claim, "request:%")));
    expect(rows.map((r) => r.status).sort()).toEqual(["failed", "queued"]);
    expect(rows.find((r) => r.status === "failed")!.reason).toMatch(/The server stopped before the training finished/);
  });

  it("a training cut short while rescheduling, its weights already in force, is kept and says so", async () => {
    const { org, admin } = await orgWithAdmin();
    const weights = [...Array.from({ length: 21 }, (_, i) => 0.1 + i / 100)];
    await db().update(organizations).set({ fsrsParameters: weights }).where(eq(organizations.id, org.id));
    await db()
      .insert(parameterTrainings)
      .values({
        id: newId(),
        orgId: org.id,
        claim: `request:${newId()}`,
        requestedBy: admin.id,
        requestedAt: NOW,
        startedAt: NOW,
        status: "running",
        parameters: weights,
        reason: "Kept: on the most recent 500 reviews, the trained parameters predicted recall better.",
      });
    await runDueTrainings(db(), at(new Date(NOW.getTime() + 31 * 60_000)));
    const [row] = await db().select().from(parameterTrainings).where(eq(parameterTrainings.orgId, org.id));
    expect(row!.status).toBe("kept");
    expect(row!.reason).toMatch(/The server stopped while the cards were being rescheduled/);
  });

  it("runs weekly at night, claimed once per organization and week however many schedulers try", async () => {
    const { org } = await orgWithAdmin();
    // Not in the organization's daytime (its clock is UTC).
    await runDueTrainings(db(), at(new Date("2027-06-21T14:00:00Z")));
    expect(await db().select().from(parameterTrainings).where(like(parameterTrainings.claim, "weekly:%"))).toEqual([]);
    const monday = new Date("2027-06-21T03:00:00Z");
    await Promise.all([
      runDueTrainings(db(), at(monday)),
      runDueTrainings(db(), at(monday)),
      runDueTrainings(db(), at(monday)),
    ]);
    // Another night of the same week: already done.
    await runDueTrainings(db(), at(new Date(monday.getTime() + 2 * DAY)));
    const weekly = (when: Date) =>
      db()
        .select({ status: parameterTrainings.status })
        .from(parameterTrainings)
        .where(
          and(
            eq(parameterTrainings.orgId, org.id),
            eq(parameterTrainings.claim, `weekly:${weekOf(dayIn("UTC", when))}`),
          ),
        );
    expect(await weekly(monday)).toEqual([{ status: "skipped" }]);
    await runDueTrainings(db(), at(new Date(monday.getTime() + 7 * DAY)));
    expect(await weekly(new Date(monday.getTime() + 7 * DAY))).toEqual([{ status: "skipped" }]);
  }, 120_000);
});

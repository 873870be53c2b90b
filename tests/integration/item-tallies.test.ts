// The item tallies /content/insights reads (decision 039): kept in each answer's transaction, they
// equal the organization's stored answers counted at once, week by week; a database with answers
// and no tallies (an upgrade) gets them at start, once.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../app/db/connection.server";
import { choiceTallies, creditTallies, organizations, questionTallies, recallTallies } from "../../app/db/schema";
import { findCurrentQuestion } from "../../app/features/content/questions.server";
import type { ItemTally } from "../../app/features/content-insights/tallies";
import { backfillTallies, countedTallies, storedTallies } from "../../app/features/content-insights/tallies.server";
import { answerQuestion } from "../../app/features/learning/answers.server";
import { instantIn } from "../../app/shared/days";
import { completeLesson, orgLessons, type TestLesson } from "../support/learning";
import { makeOrg, makeUser } from "../support/people";

const DAY = 86_400_000;
// Far from UTC, so an answer's week is the organization's, not the server's.
const TIMEZONE = "Pacific/Auckland";
const START = new Date("2026-03-02T09:00:00Z");
let orgId: string;
let repIds: string[];
let lesson: TestLesson | undefined;

const counts = ["answers", "correct", "pairs", "rightPairs", "restSum", "restSquares", "rightRestSum"] as const;

/** Two sets of tallies (lesson → key → tally) hold the same figures (the sums to nine places). */
function expectSameTallies(actual: Map<string, Map<string, ItemTally>>, expected: Map<string, Map<string, ItemTally>>) {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [lessonId, keys] of expected) {
    const other = actual.get(lessonId)!;
    expect([...other.keys()].sort()).toEqual([...keys.keys()].sort());
    for (const [key, tally] of keys) {
      const got = other.get(key)!;
      for (const c of counts) expect(got[c], `${key} ${c}`).toBeCloseTo(tally[c], 9);
      expect(got.picks, key).toEqual(tally.picks);
      expect(got.credits, key).toEqual(tally.credits);
      expect(got.recall, key).toEqual(tally.recall);
    }
  }
}

beforeAll(async () => {
  const org = await makeOrg();
  orgId = org.id;
  await db().update(organizations).set({ timezone: TIMEZONE }).where(eq(organizations.id, orgId));
  [lesson] = await orgLessons(orgId, 1, 4);
  const reps = await Promise.all(Array.from({ length: 9 }, () => makeUser(orgId, ["rep"])));
  repIds = reps.map((r) => r.id);
  const learner = (id: string) => ({ id, orgId, timezone: TIMEZONE });
  // Eight reps finish the lesson over four weeks, each missing a different pair of questions.
  const wrong = [[], ["q0"], ["q1", "q2"], ["q3"], ["q0", "q1", "q2", "q3"], ["q2"], [], ["q1", "q3"]];
  for (const [i, rep] of reps.slice(0, 8).entries())
    await completeLesson(learner(rep.id), lesson!, new Date(START.getTime() + i * 3.5 * DAY), wrong[i]);
  // The ninth answers two questions, out of order, a week apart: the second changes the first's rest score.
  for (const [i, [key, choice]] of [
    ["q3", "c2"],
    ["q1", "c1"],
  ].entries())
    await answerQuestion(db(), {
      user: learner(reps[8]!.id),
      question: (await findCurrentQuestion(db(), lesson!.id, key!))!,
      lessonTitle: lesson!.title,
      chosen: [choice!],
      submissionId: `ninth-${key}`,
      context: "lesson",
      now: new Date(START.getTime() + (7 + 7 * i) * DAY),
    });
  // Boost answers 3, 10, 40 and 100 days after the first four reps' cards (the first not counted).
  for (const [i, rep] of reps.slice(0, 4).entries())
    for (const [j, days] of [3, 10, 40, 100].entries())
      await answerQuestion(db(), {
        user: learner(rep.id),
        question: (await findCurrentQuestion(db(), lesson!.id, "q1"))!,
        lessonTitle: lesson!.title,
        chosen: [(i + j) % 2 ? "c2" : "c1"],
        submissionId: `boost-${i}-${j}`,
        context: "boost",
        now: new Date(START.getTime() + i * 3.5 * DAY + days * DAY),
      });
});

const counted = (fromWeek: string) =>
  countedTallies(db(), { orgId, timezone: TIMEZONE, repIds, fromWeek, from: instantIn(TIMEZONE, fromWeek, 0) });

describe("item tallies", () => {
  it("kept with each answer, they equal the answers counted at once, for any first week", async () => {
    const all = await storedTallies(db(), { orgId, fromWeek: "2000-01-03" });
    const q1 = all.get(lesson!.id)!.get("q1")!;
    // q1: nine first answers (the ninth rep's included), wrong for reps 3, 5 and 8 (wrong[2], [4], [7]).
    expect([q1.answers, q1.correct]).toEqual([9, 6]);
    // Boosts: 10 days → the 7-day bucket, 40 → 30, 100 → 90; reps 0–3 alternate right and wrong.
    expect([...q1.recall.entries()].sort()).toEqual([
      [30, { answers: 4, correct: 2 }],
      [7, { answers: 4, correct: 2 }],
      [90, { answers: 4, correct: 2 }],
    ]);
    expectSameTallies(all, await counted("2000-01-03"));
    // From the organization's week of 16 March: the later reps' answers and boosts only.
    expectSameTallies(await storedTallies(db(), { orgId, fromWeek: "2026-03-16" }), await counted("2026-03-16"));
    const later = (await storedTallies(db(), { orgId, fromWeek: "2026-03-16" })).get(lesson!.id)!.get("q1")!;
    expect(later.answers).toBeLessThan(q1.answers);
  });

  it("a database with answers and no tallies gets them at start, and only once", async () => {
    const before = await storedTallies(db(), { orgId, fromWeek: "2000-01-03" });
    for (const table of [questionTallies, choiceTallies, creditTallies, recallTallies])
      await db().delete(table).where(eq(table.orgId, orgId));
    expect((await storedTallies(db(), { orgId, fromWeek: "2000-01-03" })).size).toBe(0);
    await backfillTallies(db());
    expectSameTallies(await storedTallies(db(), { orgId, fromWeek: "2000-01-03" }), before);
    await backfillTallies(db());
    expectSameTallies(await storedTallies(db(), { orgId, fromWeek: "2000-01-03" }), before);
  });
});

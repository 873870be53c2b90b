// The adaptive boost's size (decision 023): the backlog, the budget at the rep's pace, the
// minutes saved between days, and a rep coming back from a hold or a long absence.
import { describe, expect, it } from "vitest";
import {
  answerTime,
  boostCapacity,
  DEFAULT_SECONDS_PER_QUESTION,
  leastRecalledFirst,
  MIN_TIMED_ANSWERS,
  paceFrom,
  planBoost,
  savedQuestions,
} from "~/features/reinforcement/boost-size";

const DAY = 86_400_000;
const NOW = new Date("2027-03-10T09:00:00Z");

describe("the rep's pace", () => {
  it("is the default 20 s a question until 10 answers are timed, then the rep's own mean", () => {
    const nine = paceFrom([{ answeringMs: 9 * 40_000, timedAnswers: 9 }]);
    expect(nine).toEqual({ secondsPerQuestion: DEFAULT_SECONDS_PER_QUESTION, measured: false, answers: 9 });
    const ten = paceFrom([
      { answeringMs: 6 * 40_000, timedAnswers: 6 },
      { answeringMs: 4 * 25_000, timedAnswers: 4 },
    ]);
    expect(MIN_TIMED_ANSWERS).toBe(10);
    expect(ten).toEqual({ secondsPerQuestion: 34, measured: true, answers: 10 });
  });

  it("is held between 5 and 60 seconds a question", () => {
    expect(paceFrom([{ answeringMs: 10 * 1_000, timedAnswers: 10 }]).secondsPerQuestion).toBe(5);
    expect(paceFrom([{ answeringMs: 10 * 110_000, timedAnswers: 10 }]).secondsPerQuestion).toBe(60);
  });

  it("counts an answer from its question's showing; one over two minutes was interrupted and is not counted", () => {
    expect(answerTime(new Date(NOW.getTime() - 25_000), NOW)).toBe(25_000);
    expect(answerTime(new Date(NOW.getTime() - 121_000), NOW)).toBeNull();
    expect(answerTime(NOW, NOW)).toBeNull();
    expect(answerTime(new Date(NOW.getTime() + 5_000), NOW)).toBeNull();
  });
});

describe("the budget", () => {
  it("holds as many questions as fit in the minutes at the pace, at least one", () => {
    expect(boostCapacity(3, { secondsPerQuestion: 20 })).toBe(9);
    expect(boostCapacity(3, { secondsPerQuestion: 40 })).toBe(4);
    expect(boostCapacity(1, { secondsPerQuestion: 60 })).toBe(1);
    expect(boostCapacity(1, { secondsPerQuestion: 90 })).toBe(1);
  });

  it("takes the whole backlog when it fits, and says what waits when it does not", () => {
    const pace = { secondsPerQuestion: 20 };
    expect(planBoost(5, 9, pace)).toEqual({ size: 5, waiting: 0, daysToClear: 1, minutes: 2 });
    expect(planBoost(40, 9, pace)).toEqual({ size: 9, waiting: 31, daysToClear: 5, minutes: 3 });
    expect(planBoost(0, 9, pace)).toEqual({ size: 0, waiting: 0, daysToClear: 0, minutes: 0 });
  });

  it("saves the minutes of days without a boost, at most one day's worth, and spends them once", () => {
    // Saturday and Sunday without a boost: Monday may take two days' worth, never three.
    expect(savedQuestions(9, [9, 9, 9, 9, 9, 0, 0])).toBe(9);
    // A short boost saves what it left.
    expect(savedQuestions(9, [9, 9, 9, 9, 9, 9, 4])).toBe(5);
    // Monday spent the weekend's minutes: Tuesday has nothing saved.
    expect(savedQuestions(9, [9, 9, 9, 9, 0, 0, 18])).toBe(0);
    // Every day used in full: nothing saved, and a long boost cannot borrow ahead.
    expect(savedQuestions(9, [9, 9, 9, 9, 9, 9, 9])).toBe(0);
    expect(savedQuestions(9, [20, 20, 20, 20, 20, 20, 20])).toBe(0);
  });
});

describe("the order", () => {
  const card = (id: string, stabilityDays: number, reviewedDaysAgo: number, dueDaysAgo: number) => ({
    id,
    stability: stabilityDays,
    lastReview: new Date(NOW.getTime() - reviewedDaysAgo * DAY),
    due: new Date(NOW.getTime() - dueDaysAgo * DAY),
  });

  it("is least likely remembered first: the most days past per day of stability, then the earliest due", () => {
    const ordered = leastRecalledFirst(
      [card("fresh", 30, 31, 1), card("forgotten", 2, 20, 18), card("middling", 5, 12, 7), card("tie", 5, 12, 8)],
      NOW,
    );
    expect(ordered.map((c) => c.id)).toEqual(["forgotten", "tie", "middling", "fresh"]);
  });
});

describe("a rep back from a hold or a long absence", () => {
  // A rep away three weeks comes back to 40 due cards: least recalled first, a few minutes a day,
  // the weekend's unused minutes spent on the first day back and never more.
  it("works through the backlog over days, never more than the budget and the saved minutes allow", () => {
    const pace = { secondsPerQuestion: 20 };
    const daily = boostCapacity(3, pace);
    let backlog = 40;
    const answeredByDay: number[] = [0, 0, 0, 0, 0, 0, 0];
    const sizes: number[] = [];
    while (backlog > 0) {
      const capacity = daily + savedQuestions(daily, answeredByDay.slice(-7));
      const plan = planBoost(backlog, capacity, pace);
      expect(plan.size).toBeLessThanOrEqual(2 * daily);
      sizes.push(plan.size);
      backlog -= plan.size;
      answeredByDay.push(plan.size);
    }
    expect(sizes).toEqual([18, 9, 9, 4]);
    // Over the four days, the boosts took no more than four days' minutes and the week saved before.
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(4 * daily + daily);
  });

  it("the first day back takes the least recalled of the backlog, the rest wait", () => {
    const backlog = Array.from({ length: 40 }, (_, i) => ({
      id: `card-${i}`,
      stability: 1 + i,
      lastReview: new Date(NOW.getTime() - 25 * DAY),
      due: new Date(NOW.getTime() - (20 - (i % 5)) * DAY),
    }));
    const plan = planBoost(backlog.length, 18, { secondsPerQuestion: 20 });
    const today = leastRecalledFirst(backlog, NOW).slice(0, plan.size);
    expect(today.map((c) => c.id)).toEqual(Array.from({ length: 18 }, (_, i) => `card-${i}`));
    expect(plan.waiting).toBe(22);
  });
});

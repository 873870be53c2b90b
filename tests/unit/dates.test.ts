import { describe, expect, it } from "vitest";
import { comesBackText, nextBoostText, relativeDay } from "~/ui/dates";

const HOUR = 3_600_000;

describe("dates said in the organization's day", () => {
  it("a question due late tonight in New York comes back today, even 22 hours away", () => {
    // 00:30 on Dec 2 in New York; due 23:00 the same evening there.
    const now = new Date("2026-12-02T05:30:00Z");
    const due = new Date("2026-12-03T04:00:00Z");
    expect(comesBackText(due, now, "America/New_York", "Your next question")).toBe(
      "Your next question comes back on Wed, Dec 2 (today).",
    );
  });

  it("just after midnight in New York a question due that afternoon is today, not tomorrow", () => {
    const now = new Date("2026-12-02T05:01:00Z"); // 00:01 in New York
    expect(relativeDay(new Date("2026-12-02T20:00:00Z"), now, "America/New_York")).toBe("today");
    const justBefore = new Date("2026-12-02T04:59:00Z"); // 23:59 on Dec 1 in New York
    expect(relativeDay(new Date("2026-12-02T20:00:00Z"), justBefore, "America/New_York")).toBe("tomorrow");
  });

  it("in Auckland ten minutes past midnight is tomorrow, though it is only twenty minutes away", () => {
    const now = new Date("2026-12-02T10:50:00Z"); // 23:50 on Dec 2 in Auckland (UTC+13)
    const due = new Date("2026-12-02T11:10:00Z"); // 00:10 on Dec 3 there
    expect(comesBackText(due, now, "Pacific/Auckland")).toBe("It comes back on Thu, Dec 3 (tomorrow).");
  });

  it("a question due at half past midnight tomorrow is tomorrow at every hour of today, in New York and Auckland", () => {
    for (const [timezone, today, tomorrowUtc] of [
      ["America/New_York", "2026-12-02T05:00:00Z", "2026-12-03T05:30:00Z"],
      ["Pacific/Auckland", "2026-12-01T11:00:00Z", "2026-12-02T11:30:00Z"],
    ] as const) {
      const due = new Date(tomorrowUtc);
      for (let hour = 0; hour < 24; hour++) {
        const now = new Date(new Date(today).getTime() + hour * HOUR + 59 * 60_000);
        expect(relativeDay(due, now, timezone), `${timezone} at ${now.toISOString()}`).toBe("tomorrow");
      }
      expect(relativeDay(due, new Date(new Date(today).getTime() - 60_000), timezone)).toBe("in 2 days");
    }
  });

  it("after a boost, questions still due are waiting, not coming back on a past day", () => {
    const now = new Date("2026-12-02T15:00:00Z");
    const overdue = new Date("2026-11-01T15:00:00Z");
    expect(nextBoostText({ waiting: 3, nextDue: overdue }, now, "America/New_York")).toBe(
      "3 more questions are waiting for your next boost.",
    );
    expect(nextBoostText({ waiting: 1, nextDue: overdue }, now, "America/New_York")).toBe(
      "1 more question is waiting for your next boost.",
    );
    expect(nextBoostText({ waiting: 0, nextDue: new Date("2026-12-05T15:00:00Z") }, now, "America/New_York")).toBe(
      "Your next question comes back on Sat, Dec 5 (in 3 days).",
    );
    expect(nextBoostText({ waiting: 0, nextDue: null }, now, "America/New_York")).toBeNull();
  });
});

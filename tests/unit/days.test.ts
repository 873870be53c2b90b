import { describe, expect, it } from "vitest";
import { dayIn, instantIn, previousDay, streakLength } from "~/shared/days";

describe("days in the organization's time zone", () => {
  it("a late evening in New York is still that day there, though it is tomorrow in UTC", () => {
    const at = new Date("2026-03-10T03:30:00Z");
    expect(dayIn("UTC", at)).toBe("2026-03-10");
    expect(dayIn("America/New_York", at)).toBe("2026-03-09");
    expect(dayIn("Asia/Tokyo", at)).toBe("2026-03-10");
  });

  it("counts a streak back from today, or from yesterday when today has nothing yet", () => {
    const days = new Set(["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-05", "2026-03-06"]);
    expect(streakLength(days, "2026-03-06")).toBe(2);
    expect(streakLength(days, "2026-03-07")).toBe(2);
    expect(streakLength(days, "2026-03-08")).toBe(0);
    expect(streakLength(days, "2026-03-04")).toBe(3);
  });

  it("passes over vacation days without breaking or counting them", () => {
    const days = new Set(["2026-03-01", "2026-03-02", "2026-03-09"]);
    const away = new Set(["2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08"]);
    expect(streakLength(days, "2026-03-09", away)).toBe(3);
    expect(streakLength(days, "2026-03-09")).toBe(1);
    expect(streakLength(days, "2026-03-05", away)).toBe(2);
  });

  it("crosses month and year ends", () => {
    expect(previousDay("2026-03-01")).toBe("2026-02-28");
    expect(previousDay("2028-03-01")).toBe("2028-02-29");
    expect(previousDay("2027-01-01")).toBe("2026-12-31");
  });
});

describe("a local time in the organization's zone", () => {
  it("is the instant its clock reads that time, in winter, in summer and across the date line", () => {
    expect(instantIn("America/New_York", "2026-12-02", 9, 30).toISOString()).toBe("2026-12-02T14:30:00.000Z");
    expect(instantIn("America/New_York", "2026-07-02", 9, 30).toISOString()).toBe("2026-07-02T13:30:00.000Z");
    expect(instantIn("Pacific/Auckland", "2026-12-03", 0, 10).toISOString()).toBe("2026-12-02T11:10:00.000Z");
    expect(instantIn("UTC", "2026-12-02", 23, 59).toISOString()).toBe("2026-12-02T23:59:00.000Z");
    for (const [zone, day] of [
      ["America/New_York", "2026-03-08"],
      ["America/New_York", "2026-11-01"],
      ["Pacific/Auckland", "2026-04-05"],
      ["Pacific/Auckland", "2026-09-27"],
    ] as const)
      for (let hour = 0; hour < 24; hour++) expect(dayIn(zone, instantIn(zone, day, hour, 15))).toBe(day);
  });
});

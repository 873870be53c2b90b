import { describe, expect, it } from "vitest";
import { axisDayLabel, dayLabel, dayOfLabel, hourLabel, momentLabel, timeLabel } from "~/shared/date-formats";

describe("one format per kind of place, in the organization's time zone", () => {
  it("a day in a sentence or a list: weekday, month and day, and the year only when it is not this year", () => {
    expect(dayLabel("2026-11-03", "2026-12-02")).toBe("Tue, Nov 3");
    expect(dayLabel("2027-01-05", "2026-12-30")).toBe("Tue, Jan 5, 2027");
    expect(dayLabel("2025-12-31", "2026-01-02")).toBe("Wed, Dec 31, 2025");
  });

  it("an instant is the day its organization's clock reads, not UTC's", () => {
    // 03:30 UTC on Dec 3 is still the evening of Dec 2 in New York, and already Dec 3 in Auckland.
    const at = new Date("2026-12-03T03:30:00Z");
    expect(dayOfLabel(at, "America/New_York", at)).toBe("Wed, Dec 2");
    expect(dayOfLabel(at, "Pacific/Auckland", at)).toBe("Thu, Dec 3");
    // New Year's Eve in New York is still last year's day when UTC has moved on.
    const newYear = new Date("2027-01-01T02:00:00Z");
    expect(dayOfLabel(newYear, "America/New_York", newYear)).toBe("Thu, Dec 31");
  });

  it("a moment is that day and the time on the organization's clock, with plain spaces", () => {
    const at = new Date("2026-12-02T19:05:00Z");
    expect(momentLabel(at, "America/New_York", at)).toBe("Wed, Dec 2, 2:05 PM");
    expect(timeLabel(at, "Europe/Berlin")).toBe("8:05 PM");
    expect(timeLabel(at, "UTC")).not.toMatch(/[\u202f\u00a0]/);
  });

  it("a chart's axis names the day without the weekday; an hour reads like a time", () => {
    expect(axisDayLabel("2026-09-14")).toBe("Sep 14");
    expect(hourLabel(8)).toBe("8:00 AM");
    expect(hourLabel(0)).toBe("12:00 AM");
    expect(hourLabel(17)).toBe("5:00 PM");
  });

  it("never writes the forms it replaced: ISO days, day/month, or UTC", () => {
    const samples = [
      dayLabel("2026-09-14", "2026-09-01"),
      dayOfLabel(new Date("2026-09-14T12:00:00Z"), "UTC", new Date("2026-09-14T12:00:00Z")),
      momentLabel(new Date("2026-09-14T12:00:00Z"), "UTC", new Date("2026-09-14T12:00:00Z")),
      axisDayLabel("2026-09-14"),
    ];
    for (const text of samples) expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|\b\d{1,2}\/\d{1,2}\b|UTC/);
  });
});

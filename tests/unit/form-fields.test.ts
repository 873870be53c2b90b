import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isCalendarDay } from "~/shared/days";
import { dueDayField, uniqueList } from "~/features/forms";

describe("isCalendarDay", () => {
  it("accepts real days, leap days in leap years only, and nothing else", () => {
    for (const day of ["2026-01-01", "2026-12-31", "2028-02-29", "2000-02-29"])
      expect(isCalendarDay(day), day).toBe(true);
    for (const day of [
      "2027-02-29",
      "1900-02-29",
      "2027-02-30",
      "2099-13-45",
      "9999-99-99",
      "2026-00-10",
      "2026-1-1",
      "2026-01-01T00:00",
      "",
    ])
      expect(isCalendarDay(day), day).toBe(false);
  });
});

describe("dueDayField", () => {
  const field = dueDayField("2026-12-02");
  it("takes today up to two years ahead", () => {
    expect(field.safeParse("2026-12-02").success).toBe(true);
    expect(field.safeParse("2028-12-02").success).toBe(true);
  });
  it("says which rule a day breaks", () => {
    const message = (day: string) => field.safeParse(day).error?.issues[0]?.message;
    expect(message("2026-12-01")).toBe("Pick a due date from today on.");
    expect(message("2027-02-30")).toMatch(/on the calendar/);
    expect(message("2029-12-31")).toBe("Pick a due date within the next two years.");
  });
});

describe("uniqueList", () => {
  const roles = uniqueList(z.enum(["rep", "manager"]), 2, "roles");
  it("collapses repeats and refuses more than the cap", () => {
    expect(roles.parse(["rep", "rep", "manager", "rep"])).toEqual(["rep", "manager"]);
    expect(roles.parse(undefined)).toEqual([]);
    expect(roles.parse("rep")).toEqual(["rep"]);
    const ids = uniqueList(z.string(), 3, "teams");
    expect(ids.safeParse(["a", "b", "c", "d"]).error?.issues[0]?.message).toBe("Pick at most 3 teams.");
  });
});

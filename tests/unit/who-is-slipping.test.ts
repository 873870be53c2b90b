import { describe, expect, it } from "vitest";
import { whoIsSlipping, type RepStanding } from "~/features/insights/metrics.server";

const TODAY = "2026-12-02";
const TARGET = 0.9;
const rep = (name: string, retention: number | null, lastActive: string | null): RepStanding => ({
  userId: name.toLowerCase(),
  name,
  email: `${name.toLowerCase()}@example.com`,
  teams: ["East"],
  retention,
  lastActive,
});

describe("who's slipping (docs/metrics.md, Severity)", () => {
  it("puts a rep a month overdue above reps a little under the recall target", () => {
    const standings = [
      rep("Ana", 0.87, "2026-12-01"),
      rep("Ben", 0.88, "2026-12-02"),
      rep("Cleo", 0.95, "2026-12-01"), // active, recall fine, but a month late on an assignment
      rep("Dev", 0.93, "2026-11-30"), // nothing wrong
    ];
    const overdue = [{ userId: "cleo", title: "Discovery questions", dueDay: "2026-11-01" }];
    const slipping = whoIsSlipping(standings, overdue, TODAY, TARGET);
    expect(slipping.map((r) => r.name)).toEqual(["Cleo", "Ana", "Ben"]);
    expect(slipping[0]!.reasons).toEqual(['"Discovery questions" overdue by 31 days']);
    // 3 for being overdue, 4 more for four full weeks late.
    expect(slipping[0]!.severity).toBe(7);
    // 3 and 2 points under the target: one point each (a part of 5 counts as 5).
    expect(slipping.slice(1).map((r) => r.severity)).toEqual([1, 1]);
  });

  it("adds up every reason and caps the time-based points", () => {
    const standings = [rep("Eve", 0.6, "2026-08-01"), rep("Finn", null, null), rep("Gus", 0.9, "2026-11-18")];
    const overdue = [
      { userId: "eve", title: "Pricing", dueDay: "2026-06-01" },
      { userId: "eve", title: "Listening", dueDay: "2026-12-01" },
    ];
    const [eve, finn, gus] = whoIsSlipping(standings, overdue, TODAY, TARGET);
    // Overdue: (3 + 4, capped) + (3 + 0); away 123 days: 2 + 15 weeks, capped at 6; recall 30 points under: 6.
    expect(eve!.severity).toBe(7 + 3 + 6 + 6);
    expect(eve!.reasons).toEqual([
      '"Pricing" overdue by 184 days',
      '"Listening" overdue by 1 day',
      "no learning for 123 days (last on Sat, Aug 1)",
      "recall 60%, below the 90% target",
    ]);
    expect(finn).toMatchObject({ name: "Finn", severity: 4, reasons: ["has never practiced"] });
    // Exactly 14 days away counts; recall exactly on the target does not.
    expect(gus).toMatchObject({ name: "Gus", severity: 2, reasons: ["no learning for 14 days (last on Wed, Nov 18)"] });
  });

  it("orders reps of equal severity by name and leaves out reps with nothing wrong", () => {
    const standings = [rep("Zoe", 0.85, TODAY), rep("Amir", 0.85, TODAY), rep("Kim", 0.91, TODAY)];
    expect(whoIsSlipping(standings, [], TODAY, TARGET).map((r) => r.name)).toEqual(["Amir", "Zoe"]);
  });
});

// The throttle's counting, on the database with an injected clock.
import { describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { forgiveThrottle, hitThrottle, type ThrottleRule } from "~/features/auth/throttle.server";

const MINUTE = 60_000;
const rule: ThrottleRule = { limit: 3, windowMs: 15 * MINUTE };
// A quarter past the hour: where windows on the clock's quarter hours would begin again.
const QUARTER = Date.UTC(2027, 2, 1, 9, 15);

describe("the throttle", () => {
  it("counts a window from its first attempt: a limit's worth either side of a quarter hour is refused", async () => {
    const key = `test:${newId()}`;
    for (const at of [QUARTER - 2 * MINUTE, QUARTER - MINUTE, QUARTER + MINUTE])
      expect(await hitThrottle(db(), [[key, rule]], at)).toEqual({ allowed: true });
    // At 9:17, eleven minutes are left of the window that began at 9:13.
    expect(await hitThrottle(db(), [[key, rule]], QUARTER + 2 * MINUTE)).toEqual({
      allowed: false,
      retryAfterSeconds: 11 * 60,
    });
    // At 9:28 it has passed: a new window begins with this attempt.
    expect(await hitThrottle(db(), [[key, rule]], QUARTER + 13 * MINUTE)).toEqual({ allowed: true });
  });

  it("gives an attempt back within its window only, and refuses none for a key that only counts", async () => {
    const key = `test:${newId()}`;
    const counted = `test:${newId()}`;
    for (let i = 0; i < rule.limit; i++) await hitThrottle(db(), [[key, rule]], QUARTER);
    await forgiveThrottle(db(), key, rule, QUARTER + MINUTE);
    expect(await hitThrottle(db(), [[key, rule]], QUARTER + MINUTE)).toEqual({ allowed: true });
    for (let i = 0; i < rule.limit * 2; i++)
      expect(await hitThrottle(db(), [[counted, rule, "counted"]], QUARTER)).toEqual({ allowed: true });
    // Its count is kept all the same: counted in earnest, the next attempt is refused.
    expect((await hitThrottle(db(), [[counted, rule]], QUARTER)).allowed).toBe(false);
  });
});

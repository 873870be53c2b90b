// The short cache of computed views (dashboards, content insights): by key, for 30 s of the
// injected clock, one computation for a burst of requests.
import { describe, expect, it } from "vitest";
import { VIEW_TTL_MS, viewCache } from "~/shared/view-cache.server";

const T0 = new Date("2026-12-01T09:00:00Z");
const at = (ms: number) => new Date(T0.getTime() + ms);

describe("viewCache", () => {
  it("keeps a view 30 s per key, then computes it again", async () => {
    const cached = viewCache<string>();
    let computed = 0;
    const compute = (label: string) => async () => `${label} #${++computed}`;
    expect(await cached("org|12w", T0, compute("org"))).toBe("org #1");
    expect(await cached("org|12w", at(VIEW_TTL_MS - 1), compute("org"))).toBe("org #1");
    // Another key (a team, a period) is its own view.
    expect(await cached("team|12w", at(1_000), compute("team"))).toBe("team #2");
    expect(await cached("org|12w", at(VIEW_TTL_MS), compute("org"))).toBe("org #3");
  });

  it("never answers an earlier clock with a view computed later", async () => {
    const cached = viewCache<string>();
    await cached("k", at(5_000), async () => "later");
    expect(await cached("k", T0, async () => "earlier")).toBe("earlier");
  });

  it("a burst of requests for one view costs one computation", async () => {
    const cached = viewCache<number>();
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async () => {
      runs += 1;
      await gate;
      return 42;
    };
    const burst = [0, 10, 20].map((ms) => cached("k", at(ms), slow));
    release();
    expect(await Promise.all(burst)).toEqual([42, 42, 42]);
    expect(runs).toBe(1);
  });

  it("a failed computation is not kept: the next request tries again", async () => {
    const cached = viewCache<string>();
    await expect(
      cached("k", T0, async () => {
        throw new Error("database away");
      }),
    ).rejects.toThrow("database away");
    expect(await cached("k", at(1), async () => "back")).toBe("back");
  });

  it("holds at most maxEntries views, dropping the oldest", async () => {
    const cached = viewCache<string>({ maxEntries: 2 });
    let computed = 0;
    const compute = async () => `#${++computed}`;
    await cached("a", T0, compute);
    await cached("b", T0, compute);
    await cached("c", T0, compute);
    expect(await cached("b", T0, compute)).toBe("#2");
    expect(await cached("a", T0, compute)).toBe("#4");
  });
});

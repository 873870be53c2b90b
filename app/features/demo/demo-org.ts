// What the demo's parts share: the organization the seed created, and the random numbers that
// make every fresh demo look the same. Kept apart so the history modules need not import the
// seed that calls them.

/** The demo organization as seeded: ids by team name and by e-mail, and its reps. */
export type DemoOrg = {
  orgId: string;
  teamIds: Record<string, string>;
  userIds: Record<string, string>;
  reps: Array<{ id: string; email: string; teamId: string }>;
};

/** A small deterministic generator, so every fresh demo looks the same. */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

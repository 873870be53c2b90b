// Three app servers on one database (the test file's SQLite file or PostgreSQL database): what
// must happen once happens once, and what one server knows the others know.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db/connection.server";
import { dayIn } from "~/shared/days";
import { newId } from "~/db/ids";
import { boosts, digestSends, organizations, outbox, recordings, retentionSnapshots, users } from "~/db/schema";
import { recordingsDirectory } from "~/features/practice/recordings.server";
import { Client, startServer, type TestServer } from "../support/server";

const run = promisify(execFile);
let servers: TestServer[] = [];

beforeAll(async () => {
  // Started together on an empty database: each migrates, syncs the library and offers the demo.
  servers = await Promise.all([1, 2, 3].map(() => startServer({ FLYWHEEL_DEMO: "1", FLYWHEEL_DIGESTS: "0" })));
}, 240_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const scheduledWork = (now: string) =>
  run(process.execPath, ["--import", "tsx", "scripts/scheduled-work.ts", "--now", now], {
    env: { ...process.env, LOG_LEVEL: "silent" },
  });

describe("three app servers on one database", () => {
  it("load the demo organization once, however they race at start-up", async () => {
    expect(await db().select({ n: count() }).from(organizations)).toEqual([{ n: 1 }]);
    expect(await db().select({ n: count() }).from(users).where(eq(users.email, "rep@example.com"))).toEqual([{ n: 1 }]);
  });

  it("share sessions: signed in on one, signed in on every one", async () => {
    const first = new Client(servers[0]!.url);
    expect((await first.login("rep@example.com", "flywheel-demo")).status).toBe(302);
    for (const server of servers.slice(1)) {
      const other = new Client(server.url);
      other.cookie = first.cookie;
      const today = await other.request("/today");
      expect(today.status).toBe(200);
      expect(await today.text()).toMatch(/Good to see you, (<!-- -->)?Jordan/);
    }
  });

  it("count sign-in guesses together: ten wrong passwords spread over the servers lock the account on all of them", async () => {
    for (let i = 0; i < 10; i++) {
      const response = await new Client(servers[i % 3]!.url).login("manager2@example.com", "wrong password");
      expect(response.status).toBe(401);
    }
    for (const server of servers)
      expect((await new Client(server.url).login("manager2@example.com", "flywheel-demo")).status).toBe(429);
  });

  it("choose a rep's boost of the day once when the rep opens it on all three at the same moment", async () => {
    const signedIn = new Client(servers[0]!.url);
    await signedIn.login("priya.raman@example.com", "flywheel-demo");
    const [rep] = await db().select({ id: users.id }).from(users).where(eq(users.email, "priya.raman@example.com"));
    const boostsOf = async () =>
      (await db().select({ n: count() }).from(boosts).where(eq(boosts.userId, rep!.id)))[0]!.n;
    // The demo's history already holds her past boosts.
    const before = await boostsOf();
    const pages = await Promise.all(
      servers.map(async (server) => {
        const client = new Client(server.url);
        client.cookie = signedIn.cookie;
        const response = await client.request("/boost");
        expect(response.status).toBe(200);
        return (await response.text()).match(/<legend[^>]*>[\s\S]*?<\/legend>/g) ?? [];
      }),
    );
    expect(await boostsOf()).toBe(before + 1);
    expect(pages[0]!.length).toBeGreaterThan(0);
    expect(pages[1]).toEqual(pages[0]);
    expect(pages[2]).toEqual(pages[0]);
  });

  it("send each rep's daily digest once, take the day's retention snapshots once and delete each orphan recording once when three schedulers run at the same time", async () => {
    // Two months after the demo's history (written with the servers' clock, so cards are due),
    // at 15:00 UTC: 10:00 or 11:00 in New York, the demo organization's zone, past its 08:00 digest hour.
    const at = new Date(Date.now() + 60 * 86_400_000);
    at.setUTCHours(15, 0, 0, 0);
    const now = at.toISOString();
    const day = dayIn("America/New_York", at);
    // Recordings the rep never attached: twelve uploaded two days before, one an hour before.
    const [rep] = await db()
      .select({ id: users.id, orgId: users.orgId })
      .from(users)
      .where(eq(users.email, "rep@example.com"));
    const upload = async (hoursBefore: number) => {
      const id = newId();
      fs.mkdirSync(recordingsDirectory(), { recursive: true });
      fs.writeFileSync(path.join(recordingsDirectory(), `${id}.webm`), "a recording");
      await db()
        .insert(recordings)
        .values({
          id,
          orgId: rep!.orgId,
          userId: rep!.id,
          fileName: `${id}.webm`,
          contentType: "audio/webm",
          bytes: 11,
          durationMs: 1_000,
          createdAt: new Date(at.getTime() - hoursBefore * 3_600_000),
        });
      return id;
    };
    const orphans = await Promise.all(Array.from({ length: 12 }, () => upload(48)));
    const recent = await upload(1);

    const runs = await Promise.all([1, 2, 3].map(() => scheduledWork(now)));
    const results = runs.map(
      (r) => JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { digestsSent: number; recordingsDeleted: number },
    );
    const sent = results.map((r) => r.digestsSent);
    expect(results.reduce((sum, r) => sum + r.recordingsDeleted, 0)).toBe(orphans.length);
    expect(
      await db()
        .select({ id: recordings.id })
        .from(recordings)
        .where(inArray(recordings.id, [...orphans, recent])),
    ).toEqual([{ id: recent }]);
    for (const id of orphans) expect(fs.existsSync(path.join(recordingsDirectory(), `${id}.webm`))).toBe(false);
    expect(fs.existsSync(path.join(recordingsDirectory(), `${recent}.webm`))).toBe(true);
    const claims = await db()
      .select({ userId: digestSends.userId, outboxId: digestSends.outboxId })
      .from(digestSends)
      .where(eq(digestSends.day, day));
    expect(claims.length).toBeGreaterThan(0);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(claims.length);
    // One digest per rep: every claim points at its own message, and no address got two.
    const digestIds = claims.map((c) => c.outboxId!);
    const digests = await db().select({ to: outbox.to }).from(outbox).where(inArray(outbox.id, digestIds));
    expect(digests).toHaveLength(claims.length);
    expect(new Set(digests.map((m) => m.to)).size).toBe(claims.length);

    const snapshotsOf = async () =>
      (
        await db()
          .select({ n: count() })
          .from(retentionSnapshots)
          .where(and(eq(retentionSnapshots.day, day)))
      )[0]!.n;
    const afterThree = await snapshotsOf();
    expect(afterThree).toBeGreaterThan(0);
    await scheduledWork(now);
    expect(await snapshotsOf()).toBe(afterThree);
    expect(await db().select({ n: count() }).from(digestSends).where(eq(digestSends.day, day))).toEqual([
      { n: claims.length },
    ]);
  });
});

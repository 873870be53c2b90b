// The digest budget of issue 18 (docs/benchmarks.md): the bench organization's daily digest run,
// with one-tap answer links in the e-mails and the boost by push to half of the reps, timed as the
// scheduler runs it (`runScheduledWork`). Run by scripts/bench/run.ts in a process of its own, on
// the engine its environment names, after that engine's server has stopped; prints one JSON line.
//
// The push service is a plain-http receiver on 127.0.0.1 in this process that answers 201 like a
// real one (PUSH_TEST_HTTP_ENDPOINTS=1, set by the caller, lets the app send to it); every message
// is still encrypted and signed by the app as for a real service.
//
//   node --import tsx scripts/bench/digest.ts <orgId>
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq, like } from "drizzle-orm";
import { closeDatabase, db, first } from "~/db/connection.server";
import { newId } from "~/db/ids";
import { digestSends, organizations, outbox, pushSends, pushSubscriptions, userRoles, users } from "~/db/schema";
import { runScheduledWork } from "~/features/ops/scheduled-work.server";
import { dayIn, instantIn } from "~/shared/days";

const orgId = process.argv[2];
if (!orgId) throw new Error("usage: digest.ts <orgId>");

let received = 0;
const receiver = http.createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    received++;
    response.writeHead(201).end();
  });
});
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const port = (receiver.address() as AddressInfo).port;

try {
  const org = (await first(
    db()
      .select({ timezone: organizations.timezone, digestHour: organizations.digestHour })
      .from(organizations)
      .where(eq(organizations.id, orgId)),
  ))!;
  // Today's digest, a few minutes after the organization's digest hour.
  const day = dayIn(org.timezone, new Date());
  const now = instantIn(org.timezone, day, org.digestHour, 5);

  // A run before this one (--reuse) already sent today's: it is sent again, in full.
  const reps = await db()
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "rep")))
    .where(and(eq(users.orgId, orgId), eq(users.active, true)));
  const repIds = reps.map((r) => r.id);
  await db()
    .delete(digestSends)
    .where(and(eq(digestSends.orgId, orgId), eq(digestSends.day, day)));
  await db()
    .delete(pushSends)
    .where(and(eq(pushSends.orgId, orgId), like(pushSends.once, `%:${day}`)));
  await db()
    .delete(pushSubscriptions)
    .where(
      and(eq(pushSubscriptions.orgId, orgId), like(pushSubscriptions.endpoint, "http://127.0.0.1:%/bench-push/%")),
    );

  // Every other rep has a phone subscribed (the default preferences: the boost by push, no digest
  // e-mail that day); the others get the e-mail with its answer links.
  const keys = crypto.createECDH("prime256v1");
  keys.generateKeys();
  const p256dh = keys.getPublicKey().toString("base64url");
  const subscribed = repIds.filter((_, i) => i % 2 === 0);
  for (let i = 0; i < subscribed.length; i += 500)
    await db()
      .insert(pushSubscriptions)
      .values(
        subscribed.slice(i, i + 500).map((userId, j) => ({
          id: newId(),
          orgId,
          userId,
          endpoint: `http://127.0.0.1:${port}/bench-push/${i + j}`,
          p256dh,
          auth: crypto.randomBytes(16).toString("base64url"),
          label: "Bench phone",
          createdAt: now,
        })),
      );

  const started = performance.now();
  const run = await runScheduledWork(db(), now, { snapshots: false, orphans: false });
  const seconds = Math.round((performance.now() - started) / 100) / 10;

  // The e-mails this run wrote: each digest sent by e-mail names its outbox message.
  const mails = await db()
    .select({ text: outbox.text })
    .from(digestSends)
    .innerJoin(outbox, eq(outbox.id, digestSends.outboxId))
    .where(and(eq(digestSends.orgId, orgId), eq(digestSends.day, day)));
  const withLinks = mails.filter((m) => m.text.includes("/answer/")).length;
  process.stdout.write(
    `${JSON.stringify({ reps: repIds.length, devices: subscribed.length, seconds, digests: run.digestsSent, mails: mails.length, withLinks, pushes: run.pushesSent, received })}\n`,
  );
} finally {
  receiver.close();
  await closeDatabase();
}

// The push queue (decision 036). Every notification is a row in push_sends, one per device,
// written in the transaction that decides it (the digest run's claim, a manager's review) and
// sent after the commit. A sender claims rows by moving them from "queued" to "sending" before it
// sends, so several processes and servers never send the same row; a failure that surely did not
// reach the push service is retried with backoff; a send that began and gave no answer is
// recorded as "unknown" and never repeated: a second notification is worse than a missed one.
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import webpush from "web-push";
import { afterCommit, db as sharedDatabase, first, type Handle } from "~/db/connection.server";
import { skipLockedRows } from "~/db/dialect";
import { newId } from "~/db/ids";
import { organizations, pushSends, pushSubscriptions, reminderPreferences, vacations } from "~/db/schema";
import type { PushKind } from "~/db/schema";
import type { SessionUser } from "~/features/auth/sessions.server";
import { hitThrottle } from "~/features/auth/throttle.server";
import { Refusal } from "~/features/refusal";
import { dayIn } from "~/shared/days";
import { log } from "~/shared/log.server";
import { devicesByRep } from "./subscriptions.server";
import { vapidKeys, vapidSubject } from "./vapid.server";

/** What a notification says: a title, one short line and the path it opens. Never an answer or a score. */
export type PushMessage = { title: string; body: string; url: string };

export type QueuedPush = PushMessage & {
  orgId: string;
  userId: string;
  subscriptionId: string;
  kind: PushKind;
  once: string;
};

/** Tries before a failing send is given up: after 30 s, 2, 8 and 32 minutes. */
export const MAX_ATTEMPTS = 5;
const FIRST_RETRY_MS = 30_000;
/** How long a push service has to answer before the outcome counts as unknown. */
const SEND_TIMEOUT_MS = 10_000;
/** A row still "sending" this long after its claim belongs to a process that stopped mid-send. */
const ABANDONED_AFTER_MS = 10 * 60_000;
/** How long a push service keeps a notification for a device that is offline. */
const TIME_TO_LIVE_S = 12 * 60 * 60;
const CLAIM_BATCH = 200;
const CONCURRENT_SENDS = 16;

export function retryDelayMs(attempts: number): number {
  return FIRST_RETRY_MS * 4 ** Math.max(0, attempts - 1);
}

/** The key that allows one notification of a kind a day per device. */
export const oncePerDay = (kind: Exclude<PushKind, "test">, day: string) => `${kind}:${day}`;

/** Writes pushes to the queue on `db` (pass the transaction); one already queued with the same key is left alone. */
export async function queuePushes(db: Handle, pushes: readonly QueuedPush[], now: Date): Promise<string[]> {
  if (pushes.length === 0) return [];
  const inserted = await db
    .insert(pushSends)
    .values(pushes.map((p) => ({ id: newId(), ...p, status: "queued" as const, nextAttemptAt: now })))
    .onConflictDoNothing()
    .returning({ id: pushSends.id });
  return inserted.map((r) => r.id);
}

/** Sends the given queued pushes once `db`'s transaction commits (at once outside one); failures are logged. */
export async function sendAfterCommit(db: Handle, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  await afterCommit(db, () => {
    // The shared handle: the transaction is over when this runs.
    void deliverQueuedPushes(sharedDatabase(), now, { ids }).catch((error: unknown) =>
      log.error({ err: error }, "push delivery failed"),
    );
  });
}

type EventKind = "assignment" | "review";
const preferenceOf = { assignment: reminderPreferences.pushAssignments, review: reminderPreferences.pushReviews };

/**
 * Queues a notification about something that just happened to a rep (a role-play reviewed) on
 * each of their devices: not when they turned that kind off, not on a vacation hold, and not a
 * second of the kind on the same day (of their organization's calendar).
 */
export async function queueRepPush(
  tx: Handle,
  push: PushMessage & { orgId: string; userId: string; kind: EventKind },
  now: Date,
): Promise<string[]> {
  const rep = await first(
    tx
      .select({ timezone: organizations.timezone, wanted: preferenceOf[push.kind] })
      .from(organizations)
      .leftJoin(reminderPreferences, eq(reminderPreferences.userId, push.userId))
      .where(eq(organizations.id, push.orgId))
      .limit(1),
  );
  if (!rep || rep.wanted === false) return [];
  const day = dayIn(rep.timezone, now);
  const hold = await first(
    tx
      .select({ id: vacations.id })
      .from(vacations)
      .where(and(eq(vacations.userId, push.userId), lte(vacations.startDay, day), sql`${vacations.endDay} > ${day}`))
      .limit(1),
  );
  if (hold) return [];
  const devices = (await devicesByRep(tx, [push.userId])).get(push.userId) ?? [];
  const { kind, orgId, userId, title, body, url } = push;
  return queuePushes(
    tx,
    devices.map((subscriptionId) => ({
      orgId,
      userId,
      subscriptionId,
      kind,
      once: oncePerDay(kind, day),
      title,
      body,
      url,
    })),
    now,
  );
}

export type TestPushResult = { devices: number; sent: number; failed: string[] };

/** "Send a test notification": one to each of the rep's devices, sent now, with what came of it. */
/** Test notifications a person may send: this many an hour, all their devices at once counting one. */
export const TEST_PUSH_RULE = { limit: 5, windowMs: 60 * 60_000 };

export async function sendTestPush(
  db: Handle,
  user: Pick<SessionUser, "id" | "orgId">,
  now: Date,
): Promise<TestPushResult> {
  const devices = (await devicesByRep(db, [user.id])).get(user.id) ?? [];
  if (devices.length === 0)
    throw new Refusal("Turn on notifications on this device first: there is no device to send to.", 409);
  // A few tries while setting a phone up; not a way to ring one's devices (or a push service) at will.
  const verdict = await hitThrottle(db, [[`push-test:${user.id}`, TEST_PUSH_RULE]], now.getTime());
  if (!verdict.allowed)
    throw new Refusal(
      `You have sent ${TEST_PUSH_RULE.limit} test notifications in the last hour. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} minutes.`,
      429,
    );
  const ids = await queuePushes(
    db,
    devices.map((subscriptionId) => ({
      orgId: user.orgId,
      userId: user.id,
      subscriptionId,
      kind: "test" as const,
      once: `test:${newId()}`,
      title: "Flywheel notifications work",
      body: "This is how your boost reminders will look.",
      url: "/account/reminders",
    })),
    now,
  );
  const outcomes = await deliverQueuedPushes(db, now, { ids });
  return { devices: devices.length, sent: outcomes.sent, failed: outcomes.problems };
}

export type DeliveryRun = {
  sent: number;
  retrying: number;
  gone: number;
  failed: number;
  unknown: number;
  /** One line per push that did not go, for logs and the test button. */
  problems: string[];
};

type Claimed = {
  id: string;
  userId: string;
  kind: PushKind;
  /** "<kind>:<day>", or "test:<id>" (oncePerDay). */
  once: string;
  title: string;
  body: string;
  url: string;
  attempts: number;
  subscriptionId: string;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
};

/**
 * Sends what is due in the queue at `now` (or only `ids`), a batch at a time, a few at once.
 * First marks as unknown the sends a stopped process left half done.
 */
export async function deliverQueuedPushes(
  db: Handle,
  now: Date,
  { ids, concurrency = CONCURRENT_SENDS }: { ids?: string[]; concurrency?: number } = {},
): Promise<DeliveryRun> {
  const run: DeliveryRun = { sent: 0, retrying: 0, gone: 0, failed: 0, unknown: 0, problems: [] };
  await settleAbandonedSends(db, now);
  for (;;) {
    const batch = await claimDuePushes(db, now, ids);
    if (batch.length === 0) break;
    const keys = await vapidKeys(db);
    const sent: string[] = [];
    const held = await onVacation(db, batch);
    await eachConcurrently(batch, concurrency, async (push) => {
      const outcome = held.has(push.id)
        ? ({ kind: "failed", error: "not sent: the rep is on a vacation hold that day" } as const)
        : await sendOne(push, keys);
      if (outcome.kind === "sent") sent.push(push.id);
      else await recordOutcome(db, push, outcome, now, run);
    });
    // The common outcome in one statement for the whole batch.
    if (sent.length)
      await db
        .update(pushSends)
        .set({ status: "sent", finishedAt: now, error: null })
        .where(inArray(pushSends.id, sent));
    run.sent += sent.length;
    if (ids) break;
  }
  return run;
}

/**
 * Moves queued rows that are due to "sending" and returns them with their device, in one
 * statement: on PostgreSQL rows another server is claiming are skipped (never waited for or
 * taken twice); on SQLite the update holds the only write lock.
 */
async function claimDuePushes(db: Handle, now: Date, ids?: string[]): Promise<Claimed[]> {
  const due = sql`(select ${pushSends.id} from ${pushSends}
    where ${pushSends.status} = 'queued' and ${pushSends.nextAttemptAt} <= ${now.getTime()}
    ${ids ? sql`and ${inArray(pushSends.id, ids)}` : sql``}
    order by ${pushSends.nextAttemptAt} limit ${CLAIM_BATCH}${skipLockedRows()})`;
  const claimed = await db
    .update(pushSends)
    .set({ status: "sending", claimedAt: now, attempts: sql`${pushSends.attempts} + 1` })
    .where(and(inArray(pushSends.id, due), eq(pushSends.status, "queued")))
    .returning({
      id: pushSends.id,
      userId: pushSends.userId,
      kind: pushSends.kind,
      once: pushSends.once,
      title: pushSends.title,
      body: pushSends.body,
      url: pushSends.url,
      attempts: pushSends.attempts,
      subscriptionId: pushSends.subscriptionId,
    });
  if (claimed.length === 0) return [];
  const devices = await db
    .select({
      id: pushSubscriptions.id,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
    })
    .from(pushSubscriptions)
    .where(
      inArray(
        pushSubscriptions.id,
        claimed.map((c) => c.subscriptionId),
      ),
    );
  const byId = new Map(devices.map((d) => [d.id, d]));
  return claimed.map((c) => {
    const device = byId.get(c.subscriptionId);
    return { ...c, endpoint: device?.endpoint ?? null, p256dh: device?.p256dh ?? null, auth: device?.auth ?? null };
  });
}

/**
 * The claimed reminders whose rep is on a vacation hold on the reminder's day: a push queued before
 * the hold began (and retried after it) stays quiet like the ones the hold kept from being queued.
 */
async function onVacation(db: Handle, batch: Claimed[]): Promise<Set<string>> {
  const dayOf = (push: Claimed) => (push.kind === "test" ? null : push.once.slice(push.once.indexOf(":") + 1));
  const reminders = batch.filter((push) => dayOf(push) !== null);
  if (reminders.length === 0) return new Set();
  const holds = await db
    .select({ userId: vacations.userId, startDay: vacations.startDay, endDay: vacations.endDay })
    .from(vacations)
    .where(inArray(vacations.userId, [...new Set(reminders.map((push) => push.userId))]));
  return new Set(
    reminders
      .filter((push) => {
        const day = dayOf(push)!;
        return holds.some((h) => h.userId === push.userId && h.startDay <= day && day < h.endDay);
      })
      .map((push) => push.id),
  );
}

async function settleAbandonedSends(db: Handle, now: Date): Promise<void> {
  await db
    .update(pushSends)
    .set({ status: "unknown", finishedAt: now, error: "the sending process stopped before the push service answered" })
    .where(
      and(eq(pushSends.status, "sending"), lte(pushSends.claimedAt, new Date(now.getTime() - ABANDONED_AFTER_MS))),
    );
}

type Outcome =
  | { kind: "sent" }
  | { kind: "gone"; error: string }
  | { kind: "retry"; error: string }
  | { kind: "failed"; error: string }
  | { kind: "unknown"; error: string };

// Failures that happen before a request leaves: the push service surely did not get it.
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

async function sendOne(push: Claimed, keys: { publicKey: string; privateKey: string }): Promise<Outcome> {
  if (!push.endpoint || !push.p256dh || !push.auth) return { kind: "gone", error: "the device was removed" };
  let request: ReturnType<typeof webpush.generateRequestDetails>;
  try {
    request = webpush.generateRequestDetails(
      { endpoint: push.endpoint, keys: { p256dh: push.p256dh, auth: push.auth } },
      JSON.stringify({ title: push.title, body: push.body, url: push.url, tag: push.kind }),
      {
        vapidDetails: { subject: vapidSubject(), publicKey: keys.publicKey, privateKey: keys.privateKey },
        TTL: TIME_TO_LIVE_S,
        contentEncoding: "aes128gcm",
        // A newer notification of the same kind replaces one the device has not fetched yet.
        topic: push.kind,
      },
    );
  } catch (error) {
    return { kind: "failed", error: `could not encrypt for this device: ${(error as Error).message}` };
  }
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => name.toLowerCase() !== "content-length")
      .map(([name, value]) => [name, String(value)]),
  );
  let response: Response;
  try {
    response = await fetch(request.endpoint, {
      method: "POST",
      headers,
      body: request.body ? new Uint8Array(request.body) : undefined,
      redirect: "manual",
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await response.arrayBuffer().catch(() => undefined);
  } catch (error) {
    const code = ((error as { cause?: { code?: string } }).cause?.code ?? "") as string;
    if (NOT_SENT_CODES.has(code)) return { kind: "retry", error: `the push service could not be reached (${code})` };
    return { kind: "unknown", error: `no answer from the push service: ${(error as Error).message}` };
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { kind: "sent" };
  if (status === 404 || status === 410)
    return { kind: "gone", error: `the push service no longer knows this device (${status})` };
  if (status === 429 || status >= 500) return { kind: "retry", error: `the push service answered ${status}` };
  return { kind: "failed", error: `the push service refused the notification (${status})` };
}

async function recordOutcome(
  db: Handle,
  push: Claimed,
  outcome: Exclude<Outcome, { kind: "sent" }>,
  now: Date,
  run: DeliveryRun,
): Promise<void> {
  run.problems.push(outcome.error);
  if (outcome.kind === "retry" && push.attempts < MAX_ATTEMPTS) {
    run.retrying++;
    await db
      .update(pushSends)
      .set({
        status: "queued",
        error: outcome.error,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(push.attempts)),
      })
      .where(eq(pushSends.id, push.id));
    return;
  }
  const status = outcome.kind === "retry" ? "failed" : outcome.kind;
  run[status]++;
  await db.update(pushSends).set({ status, error: outcome.error, finishedAt: now }).where(eq(pushSends.id, push.id));
  if (outcome.kind === "gone") {
    // The device unsubscribed or expired: forget it, and what else waits for it.
    await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, push.subscriptionId));
    await db
      .update(pushSends)
      .set({ status: "gone", error: outcome.error, finishedAt: now })
      .where(and(eq(pushSends.subscriptionId, push.subscriptionId), eq(pushSends.status, "queued")));
  }
}

async function eachConcurrently<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

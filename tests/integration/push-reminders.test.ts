// Issue 18, "Push reminders" (decision 036): the server sends to a push service the test serves
// on this machine, which decrypts each message with the device's own keys (RFC 8291) and checks
// the VAPID signature against the server's stored key. Subscribing and the test notification go
// over real HTTP to the production build; the daily run and the queue run in this process on the
// same database, with the clock injected.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, first, transaction } from "~/db/connection.server";
import { newId } from "~/db/ids";
import {
  assignmentReps,
  assignments,
  boosts,
  cards,
  organizations,
  outbox,
  pushSends,
  pushSubscriptions,
  serverKeys,
  vacations,
} from "~/db/schema";
import { tellRepOfReview } from "~/features/practice/notifications.server";
import { setReminderChannels, DEFAULT_CHANNELS } from "~/features/push/preferences.server";
import {
  deliverQueuedPushes,
  MAX_ATTEMPTS,
  oncePerDay,
  queuePushes,
  retryDelayMs,
  TEST_PUSH_RULE,
} from "~/features/push/queue.server";
import { devicesOf, subscribeDevice } from "~/features/push/subscriptions.server";
import { sendDueDigests, startVacation } from "~/features/reinforcement/reminders.server";
import { addDays, dayIn } from "~/shared/days";
import { completeLesson, orgLessons } from "../support/learning";
import { makeOrg, makeUser, TEST_PASSWORD } from "../support/people";
import {
  decryptPush,
  newDeviceKeys,
  startPushEndpoint,
  verifiedVapid,
  type DeviceKeys,
  type PushEndpoint,
} from "../support/push-endpoint";
import { Client, startServer, type TestServer } from "../support/server";

const DAY = 86_400_000;
const MINUTE = 60_000;
let server: TestServer;
let pushService: PushEndpoint;
beforeAll(async () => {
  // Plain-http endpoints on this machine: allowed only by this test-only setting, here and in the server.
  process.env.PUSH_TEST_HTTP_ENDPOINTS = "1";
  pushService = await startPushEndpoint();
  server = await startServer({ FLYWHEEL_DEMO: "0", PUSH_TEST_HTTP_ENDPOINTS: "1" });
});
afterAll(async () => {
  delete process.env.PUSH_TEST_HTTP_ENDPOINTS;
  await server?.stop();
  await pushService?.stop();
});

/** A zone where `at` is around noon, so the test never depends on the hour it runs. */
function zoneAtNoon(at: Date): string {
  const offset = 12 - at.getUTCHours();
  return offset === 0 ? "Etc/UTC" : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** An organization whose digest hour has come, with reps who each have questions due at `now`. */
async function orgWithReps(now: Date, count: number) {
  const org = await makeOrg();
  const timezone = zoneAtNoon(now);
  await db().update(organizations).set({ timezone, digestHour: 0 }).where(eq(organizations.id, org.id));
  const [lesson] = await orgLessons(org.id, 1);
  const reps = [];
  for (let i = 0; i < count; i++) {
    const rep = { ...(await makeUser(org.id, ["rep"])), timezone };
    await completeLesson(rep, lesson!, new Date(now.getTime() - 30 * DAY));
    reps.push(rep);
  }
  return { org, reps, timezone, lesson: lesson! };
}

type Device = { name: string; keys: DeviceKeys; endpoint: string };

/** A device subscribed for `rep` (in this process: the HTTP path has its own test). */
async function subscribe(rep: { id: string; orgId: string }): Promise<Device> {
  const name = newId();
  const keys = newDeviceKeys();
  const endpoint = pushService.endpoint(name);
  await subscribeDevice(db(), rep, { endpoint, p256dh: keys.p256dh, auth: keys.auth, label: "Test phone" });
  return { name, keys, endpoint };
}

async function serverPublicKey(): Promise<string> {
  return (await first(db().select({ key: serverKeys.publicKey }).from(serverKeys).where(eq(serverKeys.name, "vapid"))))!
    .key;
}

/** What a device got: decrypted, and its VAPID claims verified with the server's key. */
async function opened(device: Device, index = 0) {
  const request = (await pushService.waitFor(device.name, index + 1))[index]!;
  expect(request.headers["content-encoding"]).toBe("aes128gcm");
  const claims = verifiedVapid(request.headers.authorization, await serverPublicKey());
  const message = JSON.parse(decryptPush(request.body, device.keys)) as {
    title: string;
    body: string;
    url: string;
    tag: string;
  };
  return { claims, message, headers: request.headers };
}

const sendsOf = (userId: string) => db().select().from(pushSends).where(eq(pushSends.userId, userId));
const requestsTo = (device: Device) => pushService.received.filter((r) => r.path === `/push/${device.name}`);
const mailsTo = (email: string) => db().select().from(outbox).where(eq(outbox.to, email));

describe("subscribing a device over HTTP", () => {
  it("stores a well-formed subscription, lists it, and refuses a non-https endpoint or malformed keys with a message", async () => {
    const org = await makeOrg();
    const rep = await makeUser(org.id, ["rep"]);
    const client = new Client(server.url);
    expect((await client.login(rep.email, TEST_PASSWORD)).status).toBe(302);
    const keys = newDeviceKeys();
    const good = {
      intent: "subscribe",
      endpoint: pushService.endpoint(newId()),
      p256dh: keys.p256dh,
      auth: keys.auth,
      label: "Chrome on Android",
    };
    const refusals: [Record<string, string>, string][] = [
      [{ ...good, endpoint: "http://push.example.com/device" }, "must be an https address"],
      [{ ...good, endpoint: "not a url" }, "not a URL"],
      [{ ...good, p256dh: keys.p256dh.slice(0, 40) }, "not a P-256 public key"],
      [{ ...good, auth: Buffer.alloc(8).toString("base64url") }, "not 16 bytes"],
      [{ ...good, auth: "not base64!" }, "not 16 bytes"],
    ];
    for (const [form, message] of refusals) {
      const response = await client.post("/account/reminders", form);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect(await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, rep.id))).toEqual([]);

    const saved = await client.post("/account/reminders", good);
    expect(saved.status).toBe(200);
    const [stored] = await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, rep.id));
    expect(stored).toMatchObject({ endpoint: good.endpoint, p256dh: keys.p256dh, auth: keys.auth, orgId: org.id });
    const page = await (await client.request("/account/reminders")).text();
    expect(page).toContain("Chrome on Android");
    expect(page).toContain("Send a test notification");

    // Another rep cannot remove it: not found, and it stays.
    const other = await makeUser(org.id, ["rep"]);
    const otherClient = new Client(server.url);
    await otherClient.login(other.email, TEST_PASSWORD);
    expect((await otherClient.post("/account/reminders", { intent: "remove-device", device: stored!.id })).status).toBe(
      404,
    );
    expect((await client.post("/account/reminders", { intent: "remove-device", device: stored!.id })).status).toBe(200);
    expect(await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, rep.id))).toEqual([]);
  });

  it("without the test-only setting, a plain-http endpoint on this machine is refused too", async () => {
    delete process.env.PUSH_TEST_HTTP_ENDPOINTS;
    try {
      const keys = newDeviceKeys();
      const org = await makeOrg();
      const rep = await makeUser(org.id, ["rep"]);
      await expect(
        subscribeDevice(db(), rep, {
          endpoint: pushService.endpoint("x"),
          p256dh: keys.p256dh,
          auth: keys.auth,
          label: "",
        }),
      ).rejects.toThrow("must be an https address");
    } finally {
      process.env.PUSH_TEST_HTTP_ENDPOINTS = "1";
    }
  });
});

describe("the test notification", () => {
  it("reaches each of the rep's devices, encrypted for that device and signed with the server's VAPID key", async () => {
    const org = await makeOrg();
    const rep = await makeUser(org.id, ["rep"]);
    const client = new Client(server.url);
    await client.login(rep.email, TEST_PASSWORD);
    const none = await client.post("/account/reminders", { intent: "test-push" });
    expect(none.status).toBe(409);
    expect(await none.text()).toContain("Turn on notifications on this device first");

    const device = await subscribe(rep);
    const before = Date.now();
    const response = await client.post("/account/reminders", { intent: "test-push" });
    expect(response.status).toBe(200);
    expect((await response.text()).replaceAll("<!-- -->", "")).toContain("Test notification sent to your device");
    const { claims, message, headers } = await opened(device);
    expect(message).toEqual({
      title: "Flywheel notifications work",
      body: "This is how your boost reminders will look.",
      url: "/account/reminders",
      tag: "test",
    });
    expect(claims.aud).toBe(pushService.origin);
    expect(claims.exp * 1000).toBeGreaterThan(before);
    expect(claims.exp * 1000).toBeLessThanOrEqual(before + 24 * 60 * MINUTE + 60_000);
    expect(claims.sub).toMatch(/^(mailto:|https:)/);
    expect(Number(headers.ttl)).toBeGreaterThan(0);
    // A message altered in transit does not decrypt.
    const tampered = Buffer.from((await pushService.waitFor(device.name))[0]!.body);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => decryptPush(tampered, device.keys)).toThrow();
    expect(await sendsOf(rep.id)).toMatchObject([{ kind: "test", status: "sent", attempts: 1 }]);
  });

  it("is sent at most five times an hour, then says when to try again and sends nothing", async () => {
    const org = await makeOrg();
    const rep = await makeUser(org.id, ["rep"]);
    const client = new Client(server.url);
    await client.login(rep.email, TEST_PASSWORD);
    const device = await subscribe(rep);
    for (let i = 0; i < TEST_PUSH_RULE.limit; i++)
      expect((await client.post("/account/reminders", { intent: "test-push" })).status).toBe(200);
    const refused = await client.post("/account/reminders", { intent: "test-push" });
    expect(refused.status).toBe(429);
    expect((await refused.text()).replaceAll("<!-- -->", "")).toMatch(
      /You have sent 5 test notifications in the last hour\. Try again in \d+ minutes\./,
    );
    expect(await sendsOf(rep.id)).toHaveLength(TEST_PUSH_RULE.limit);
    expect(requestsTo(device)).toHaveLength(TEST_PUSH_RULE.limit);
  });
});

describe("the daily boost reminder", () => {
  it("goes by push to reps with a device, by e-mail to the rest, both when chosen; once a day, with no answers in it", async () => {
    const now = new Date();
    const { reps, timezone, lesson } = await orgWithReps(now, 3);
    const [pushed, mailed, both] = reps as [(typeof reps)[0], (typeof reps)[0], (typeof reps)[0]];
    const phone = await subscribe(pushed);
    const bothPhone = await subscribe(both);
    await setReminderChannels(db(), both, { ...DEFAULT_CHANNELS, digestWithPush: true });

    const run = await sendDueDigests(db(), now);
    expect(run.pushesQueued).toBe(2);
    const delivered = await deliverQueuedPushes(db(), now);
    expect(delivered).toMatchObject({ sent: 2, retrying: 0, gone: 0, failed: 0, unknown: 0 });

    const { message } = await opened(phone);
    expect(message).toMatchObject({ title: "Your boost is ready", url: "/boost", tag: "boost" });
    expect(message.body).toMatch(/^4 questions are due today/);
    // No prompt, choice or answer key rides in a payload.
    const raw = JSON.stringify(message);
    for (const secret of ["Question", "Because", ...lesson.keys]) expect(raw).not.toContain(secret);
    expect((await opened(bothPhone)).message.tag).toBe("boost");
    expect(await mailsTo(pushed.email)).toHaveLength(0);
    expect(await mailsTo(mailed.email)).toHaveLength(1);
    expect(await mailsTo(both.email)).toHaveLength(1);
    // Only a digest mailed with answer links chooses the day's boost (decision 030): the rep
    // reminded by push alone has it chosen when they open it.
    const boostsOf = (userId: string) => db().select().from(boosts).where(eq(boosts.userId, userId));
    expect(await boostsOf(pushed.id)).toHaveLength(0);
    expect(await boostsOf(mailed.id)).toHaveLength(1);

    // The next minute's run, and a second boost push queued by hand for the day, send nothing more.
    await sendDueDigests(db(), new Date(now.getTime() + MINUTE));
    await deliverQueuedPushes(db(), new Date(now.getTime() + MINUTE));
    const [send] = await sendsOf(pushed.id);
    const day = dayIn(timezone, now);
    expect(
      await queuePushes(
        db(),
        [
          {
            orgId: pushed.orgId,
            userId: pushed.id,
            subscriptionId: send!.subscriptionId,
            kind: "boost",
            once: oncePerDay("boost", day),
            title: "x",
            body: "x",
            url: "/boost",
          },
        ],
        now,
      ),
    ).toEqual([]);
    await deliverQueuedPushes(db(), new Date(now.getTime() + 2 * MINUTE));
    expect(requestsTo(phone)).toHaveLength(1);
    expect(await sendsOf(pushed.id)).toHaveLength(1);
  });

  it("waits for the organization's digest hour", async () => {
    const now = new Date();
    const { org, reps } = await orgWithReps(now, 1);
    const phone = await subscribe(reps[0]!);
    // It is about noon in the organization's zone (orgWithReps): its hour is 13:00.
    await db().update(organizations).set({ digestHour: 13 }).where(eq(organizations.id, org.id));
    expect((await sendDueDigests(db(), now)).pushesQueued).toBe(0);
    await deliverQueuedPushes(db(), now);
    expect(requestsTo(phone)).toEqual([]);
    const atTheHour = new Date(now.getTime() + 60 * MINUTE);
    expect((await sendDueDigests(db(), atTheHour)).pushesQueued).toBe(1);
    await deliverQueuedPushes(db(), atTheHour);
    expect(requestsTo(phone)).toHaveLength(1);
  });

  it("stays quiet on a vacation hold: no push, no mail", async () => {
    const now = new Date();
    const { reps, timezone } = await orgWithReps(now, 1);
    const rep = reps[0]!;
    const phone = await subscribe(rep);
    await startVacation(db(), rep, addDays(dayIn(timezone, now), 3), now);
    // The hold also moved the questions: make them due again, so that only the hold keeps the rep quiet.
    await db()
      .update(cards)
      .set({ due: new Date(now.getTime() - DAY) })
      .where(eq(cards.userId, rep.id));
    expect((await sendDueDigests(db(), now)).pushesQueued).toBe(0);
    await deliverQueuedPushes(db(), now);
    expect(await sendsOf(rep.id)).toEqual([]);
    expect(requestsTo(phone)).toEqual([]);
    expect(await mailsTo(rep.email)).toEqual([]);
    // A review during the hold is not pushed either.
    await transaction(db(), async (tx) => {
      await tellRepOfReview(
        tx,
        {
          manager: { orgId: rep.orgId, name: "Mia Manager" },
          rep,
          submissionId: newId(),
          title: "Discovery call",
          score: 80,
          comment: "",
        },
        now,
      );
    });
    expect(await sendsOf(rep.id)).toEqual([]);
  });
});

describe("a device its browser ended", () => {
  it("is forgotten when the browser posts its endpoint, and the next boost reminder goes by e-mail", async () => {
    const now = new Date();
    const { reps } = await orgWithReps(now, 1);
    const rep = reps[0]!;
    const device = await subscribe(rep);
    const forget = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/push/forget`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...headers },
        body,
      });
    // From another site: refused, and the device stays.
    const crossSite = { Origin: "https://elsewhere.example", "Sec-Fetch-Site": "cross-site" };
    expect((await forget(JSON.stringify({ endpoint: device.endpoint }), crossSite)).status).toBe(403);
    // Not JSON: says what to send. An endpoint not on file, or not a string: the same answer as
    // a forgotten one, and nothing changes.
    const notJson = await forget("endpoint=x");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'Send {"endpoint": "…"} as JSON.' });
    expect((await forget(JSON.stringify({ endpoint: `${device.endpoint}-other` }))).status).toBe(204);
    expect((await forget(JSON.stringify({ endpoint: 42 }))).status).toBe(204);
    expect((await forget("null")).status).toBe(204);
    expect((await fetch(`${server.url}/push/forget`)).status).toBe(405);
    expect(await devicesOf(db(), rep)).toHaveLength(1);

    // The service worker's post after its rep signed out (public/sw.js, forgetPush).
    const sameOrigin = { Origin: server.url, "Sec-Fetch-Site": "same-origin" };
    expect((await forget(JSON.stringify({ endpoint: device.endpoint }), sameOrigin)).status).toBe(204);
    expect(await devicesOf(db(), rep)).toEqual([]);
    const run = await sendDueDigests(db(), now);
    expect(run.pushesQueued).toBe(0);
    expect(await mailsTo(rep.email)).toHaveLength(1);
  });
});

describe("other reminders", () => {
  it("an assignment due tomorrow is pushed once, with its title and link", async () => {
    const now = new Date();
    const { org, reps, timezone } = await orgWithReps(now, 1);
    const rep = reps[0]!;
    // A lesson the rep has not taken yet (the first is completed, which would finish the assignment).
    const [, lesson] = await orgLessons(org.id, 2);
    const manager = await makeUser(org.id, ["manager"]);
    const phone = await subscribe(rep);
    const id = newId();
    const tomorrow = addDays(dayIn(timezone, now), 1);
    await db()
      .insert(assignments)
      .values({
        id,
        orgId: org.id,
        createdBy: manager.id,
        kind: "lesson",
        targetId: lesson!.id,
        title: "Handling price objections",
        dueDay: tomorrow,
        createdAt: new Date(now.getTime() - DAY),
      });
    await db().insert(assignmentReps).values({ assignmentId: id, userId: rep.id, orgId: org.id });
    await sendDueDigests(db(), now);
    await deliverQueuedPushes(db(), now);
    await pushService.waitFor(phone.name, 2);
    const messages = await Promise.all([opened(phone, 0), opened(phone, 1)]);
    const assignment = messages.map((m) => m.message).find((m) => m.tag === "assignment");
    expect(assignment).toMatchObject({ title: "Due tomorrow", body: "“Handling price objections” is due tomorrow." });
    expect(assignment!.url).toMatch(/^\//);
    expect((await sendsOf(rep.id)).map((s) => s.kind).sort()).toEqual(["assignment", "boost"]);
  });

  it("a reviewed role-play is pushed without its score, and its e-mail follows the rep's choice", async () => {
    const now = new Date();
    const { reps } = await orgWithReps(now, 1);
    const rep = reps[0]!;
    const phone = await subscribe(rep);
    await setReminderChannels(db(), rep, { ...DEFAULT_CHANNELS, reviewMail: false });
    const review = (submissionId: string) =>
      transaction(db(), (tx) =>
        tellRepOfReview(
          tx,
          {
            manager: { orgId: rep.orgId, name: "Mia Manager" },
            rep,
            submissionId,
            title: "Discovery call",
            score: 87,
            comment: "Great questions",
          },
          now,
        ),
      );
    await review(newId());
    const { message } = await opened(phone);
    expect(message).toMatchObject({
      title: "Your role-play was reviewed",
      body: "Mia Manager reviewed “Discovery call”.",
      tag: "review",
    });
    expect(message.url).toMatch(/^\/practice\/submissions\//);
    expect(JSON.stringify(message)).not.toMatch(/87|Great questions/);
    expect(await mailsTo(rep.email)).toHaveLength(0);
    // A second review the same day: the notice on Today, but no second push.
    await review(newId());
    await deliverQueuedPushes(db(), now);
    expect(await sendsOf(rep.id)).toHaveLength(1);
    expect(requestsTo(phone)).toHaveLength(1);
  });
});

describe("the queue", () => {
  /** One boost push queued for a new rep's device, as the daily run would. */
  async function queuedPush(now: Date) {
    const org = await makeOrg();
    const rep = await makeUser(org.id, ["rep"]);
    const device = await subscribe(rep);
    const sub = (await first(db().select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, rep.id))))!;
    await queuePushes(
      db(),
      [
        {
          orgId: org.id,
          userId: rep.id,
          subscriptionId: sub.id,
          kind: "boost",
          once: oncePerDay("boost", "2026-12-06"),
          title: "Your boost is ready",
          body: "b",
          url: "/boost",
        },
      ],
      now,
    );
    return { rep, device, sub };
  }

  it("a 404 or 410 from the push service removes the subscription", async () => {
    for (const status of [404, 410]) {
      const now = new Date();
      const { rep, device, sub } = await queuedPush(now);
      pushService.answer(device.name, status);
      expect(await deliverQueuedPushes(db(), now)).toMatchObject({ gone: 1, sent: 0 });
      expect(await db().select().from(pushSubscriptions).where(eq(pushSubscriptions.id, sub.id))).toEqual([]);
      expect(await sendsOf(rep.id)).toMatchObject([{ status: "gone" }]);
    }
  });

  it("a 500 is retried with backoff until the push service takes it, and given up after the last try", async () => {
    const now = new Date();
    const { rep, device } = await queuedPush(now);
    pushService.answer(device.name, 500);
    expect(await deliverQueuedPushes(db(), now)).toMatchObject({ retrying: 1 });
    let [send] = await sendsOf(rep.id);
    expect(send).toMatchObject({ status: "queued", attempts: 1 });
    expect(send!.nextAttemptAt.getTime()).toBe(now.getTime() + retryDelayMs(1));
    // Not before its time.
    await deliverQueuedPushes(db(), new Date(now.getTime() + retryDelayMs(1) - 1));
    expect(requestsTo(device)).toHaveLength(1);
    // At its time, again; then the service recovers.
    const second = new Date(now.getTime() + retryDelayMs(1));
    await deliverQueuedPushes(db(), second);
    expect(requestsTo(device)).toHaveLength(2);
    [send] = await sendsOf(rep.id);
    expect(send!.nextAttemptAt.getTime()).toBe(second.getTime() + retryDelayMs(2));
    expect(retryDelayMs(2)).toBeGreaterThan(retryDelayMs(1));
    pushService.answer(device.name, 201);
    await deliverQueuedPushes(db(), send!.nextAttemptAt);
    expect(await sendsOf(rep.id)).toMatchObject([{ status: "sent", attempts: 3 }]);

    // Another that keeps failing stops after MAX_ATTEMPTS tries.
    const failing = await queuedPush(now);
    pushService.answer(failing.device.name, 503);
    let at = now;
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await deliverQueuedPushes(db(), at);
      at = new Date(at.getTime() + retryDelayMs(MAX_ATTEMPTS));
    }
    expect(requestsTo(failing.device)).toHaveLength(MAX_ATTEMPTS);
    expect(await sendsOf(failing.rep.id)).toMatchObject([{ status: "failed", attempts: MAX_ATTEMPTS }]);
  });

  it("a reminder waiting for a retry when a vacation hold begins on its day is not sent", async () => {
    const now = new Date();
    const { rep, device } = await queuedPush(now);
    pushService.answer(device.name, 500);
    expect(await deliverQueuedPushes(db(), now)).toMatchObject({ retrying: 1 });
    pushService.answer(device.name, 201);
    // The rep starts a hold covering the reminder's day (queuedPush's 2026-12-06) before the retry.
    await db().insert(vacations).values({
      id: newId(),
      orgId: rep.orgId,
      userId: rep.id,
      startDay: "2026-12-06",
      endDay: "2026-12-09",
      createdAt: now,
    });
    await deliverQueuedPushes(db(), new Date(now.getTime() + retryDelayMs(1)));
    expect(requestsTo(device)).toHaveLength(1);
    expect(await sendsOf(rep.id)).toMatchObject([{ status: "failed", error: expect.stringContaining("vacation") }]);

    // A hold that ended the day before does not stop another.
    const other = await queuedPush(now);
    await db().insert(vacations).values({
      id: newId(),
      orgId: other.rep.orgId,
      userId: other.rep.id,
      startDay: "2026-12-01",
      endDay: "2026-12-06",
      createdAt: now,
    });
    await deliverQueuedPushes(db(), now);
    expect(await sendsOf(other.rep.id)).toMatchObject([{ status: "sent" }]);
  });

  it("a send whose outcome is unknown is never repeated: a dropped connection, or a sender that stopped mid-send", async () => {
    const now = new Date();
    const dropped = await queuedPush(now);
    pushService.answer(dropped.device.name, "reset");
    expect(await deliverQueuedPushes(db(), now)).toMatchObject({ unknown: 1 });
    await deliverQueuedPushes(db(), new Date(now.getTime() + DAY));
    expect(requestsTo(dropped.device)).toHaveLength(1);
    expect(await sendsOf(dropped.rep.id)).toMatchObject([{ status: "unknown" }]);

    // A process claimed this one and stopped before the push service answered: its row stays "sending".
    const stopped = await queuedPush(now);
    await db()
      .update(pushSends)
      .set({ status: "sending", claimedAt: now, attempts: 1 })
      .where(eq(pushSends.userId, stopped.rep.id));
    await deliverQueuedPushes(db(), new Date(now.getTime() + MINUTE));
    expect(await sendsOf(stopped.rep.id)).toMatchObject([{ status: "sending" }]);
    await deliverQueuedPushes(db(), new Date(now.getTime() + 11 * MINUTE));
    expect(await sendsOf(stopped.rep.id)).toMatchObject([{ status: "unknown" }]);
    expect(requestsTo(stopped.device)).toEqual([]);
  });

  it("two senders at once send each push once", async () => {
    const now = new Date();
    const pushes = await Promise.all(Array.from({ length: 6 }, () => queuedPush(now)));
    const runs = await Promise.all([deliverQueuedPushes(db(), now), deliverQueuedPushes(db(), now)]);
    expect(runs[0]!.sent + runs[1]!.sent).toBe(6);
    for (const p of pushes) expect(requestsTo(p.device)).toHaveLength(1);
    const statuses = await db()
      .select({ status: pushSends.status })
      .from(pushSends)
      .where(and(eq(pushSends.kind, "boost"), eq(pushSends.once, oncePerDay("boost", "2026-12-06"))));
    expect(statuses.every((s) => s.status !== "queued" && s.status !== "sending")).toBe(true);
  });
});
